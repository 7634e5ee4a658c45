//! `xeroctl agents --create | --update | --delete`: exact bodies, dry runs,
//! confirmation rules.

use insta::assert_snapshot;
use serde_json::json;
use wiremock::MockServer;

use crate::support::*;

#[tokio::test]
async fn create_sends_every_given_field_with_storage_in_bytes() {
    let server = MockServer::start().await;
    expect_body(
        "POST",
        "/management/agents",
        json!({
            "name": "gpu-worker-3", "region": "eu-west", "max_concurrent_requests": 4,
            "description": "H100 worker for production", "supported_tiers": ["priority", "default"],
            "storage_limit_bytes": 500_000_000_000u64
        }),
    )
    .and(no_query())
    .respond_with(json(201, agent("agt_new", "gpu-worker-3")))
    .expect(1)
    .mount(&server)
    .await;
    let run = Env::for_server(&server)
        .run(&[
            "agents",
            "--create",
            "--name",
            "gpu-worker-3",
            "--region",
            "eu-west",
            "--max-concurrent",
            "4",
            "--description",
            "H100 worker for production",
            "--supported-tiers",
            " priority , default",
            "--storage-limit",
            "500",
            "-o",
            "json",
        ])
        .await;
    run.expect_code(0);
    assert_eq!(run.json(), agent("agt_new", "gpu-worker-3"));
}

#[tokio::test]
async fn create_with_only_a_name_sends_only_the_name() {
    let server = MockServer::start().await;
    expect_body(
        "POST",
        "/management/agents",
        json!({"name": "gpu-worker-1"}),
    )
    .respond_with(json(201, bare_agent("agt_new")))
    .expect(1)
    .mount(&server)
    .await;
    let run = Env::for_server(&server)
        .run(&["agents", "--create", "--name", "gpu-worker-1"])
        .await;
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    ID:              agt_new
    Name:            spare-1
    Worker ID:       -
    Status:          pending
    Exec:            running
    Region:          -
    Last heartbeat:  -
    Max concurrent:  -
    Description:     -
    Supported tiers: -
    Storage limit:   -
    Created:         2026-11-22 10:00:00
    Updated:         -
    --- stderr
    Created agent agt_new.
    ");
}

#[tokio::test]
async fn create_name_taken_exits_5_and_is_not_retried() {
    let server = MockServer::start().await;
    expect("POST", "/management/agents")
        .respond_with(api_error(
            409,
            "agent_name_taken",
            "An agent named gpu-1 already exists",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["agents", "--create", "--name", "gpu-1"])
        .await;
    assert_snapshot!(run, @"
    exit: 5
    --- stdout
    --- stderr
    error: An agent named gpu-1 already exists (agent_name_taken, request id req_test_1)
    ");
}

#[tokio::test]
async fn create_usage_errors_send_nothing() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let env = Env::for_server(&server);
    let cases: &[&[&str]] = &[
        &["agents", "--create"],
        &["agents", "agt_1", "--create", "--name", "x"],
        &["agents", "--create", "--name", "x", "--limit", "5"],
        &["agents", "--create", "--name", "x", "--all"],
        &["agents", "--create", "--name", "x", "--force"],
        &["agents", "--create", "--name", "x", "--update"],
        &["agents", "--create", "--name", "x", "--storage-limit", "0"],
        &[
            "agents",
            "--create",
            "--name",
            "x",
            "--storage-limit",
            "1.5",
        ],
        &[
            "agents",
            "--create",
            "--name",
            "x",
            "--storage-limit",
            "99999999999999",
        ],
        &[
            "agents",
            "--create",
            "--name",
            "x",
            "--max-concurrent",
            "-1",
        ],
        &[
            "agents",
            "--create",
            "--name",
            "x",
            "--supported-tiers",
            "a,,b",
        ],
        &[
            "agents",
            "--create",
            "--name",
            "x",
            "--supported-tiers",
            "a,",
        ],
        &["agents", "--create", "--name", " "],
    ];
    let mut runs = Transcript::default();
    for args in cases {
        let run = env.run(args).await;
        run.expect_code(2);
        runs.add(args, &run);
    }
    assert_snapshot!(runs, @"
    $ agents --create
    exit: 2
    --- stdout
    --- stderr
    error: --create needs --name <name>

    $ agents agt_1 --create --name x
    exit: 2
    --- stdout
    --- stderr
    error: --create takes no agent id (got 'agt_1'); the router assigns one

    $ agents --create --name x --limit 5
    exit: 2
    --- stdout
    --- stderr
    error: --limit cannot be used with --create
    hint: see the options of each action with --help

    $ agents --create --name x --all
    exit: 2
    --- stdout
    --- stderr
    error: --all cannot be used with --create
    hint: see the options of each action with --help

    $ agents --create --name x --force
    exit: 2
    --- stdout
    --- stderr
    error: --force cannot be used with --create
    hint: see the options of each action with --help

    $ agents --create --name x --update
    exit: 2
    --- stdout
    --- stderr
    error: the argument '--create' cannot be used with '--update'
    hint: see `xeroctl agents --help`

    $ agents --create --name x --storage-limit 0
    exit: 2
    --- stdout
    --- stderr
    error: invalid value '0' for '--storage-limit <GB>': must be at least 1
    hint: see `xeroctl agents --help`

    $ agents --create --name x --storage-limit 1.5
    exit: 2
    --- stdout
    --- stderr
    error: invalid value '1.5' for '--storage-limit <GB>': '1.5' is not a positive whole number
    hint: see `xeroctl agents --help`

    $ agents --create --name x --storage-limit 99999999999999
    exit: 2
    --- stdout
    --- stderr
    error: --storage-limit 99999999999999 is too large

    $ agents --create --name x --max-concurrent -1
    exit: 2
    --- stdout
    --- stderr
    error: invalid value '-1' for '--max-concurrent <N>': '-1' is not a positive whole number
    hint: see `xeroctl agents --help`

    $ agents --create --name x --supported-tiers a,,b
    exit: 2
    --- stdout
    --- stderr
    error: invalid value 'a,,b' for '--supported-tiers <TIERS>': 'a,,b' has an empty item; give a comma list like priority,default
    hint: see `xeroctl agents --help`

    $ agents --create --name x --supported-tiers a,
    exit: 2
    --- stdout
    --- stderr
    error: invalid value 'a,' for '--supported-tiers <TIERS>': 'a,' has an empty item; give a comma list like priority,default
    hint: see `xeroctl agents --help`

    $ agents --create --name  
    exit: 2
    --- stdout
    --- stderr
    error: invalid value ' ' for '--name <NAME>': must not be empty
    hint: see `xeroctl agents --help`
    ");
}

#[tokio::test]
async fn usage_errors_win_over_missing_credentials() {
    // Nothing configured at all: the usage mistake is still what is reported.
    let env = Env::bare();
    let run = env.run(&["agents", "--create"]).await;
    assert_snapshot!(run, @"
    exit: 2
    --- stdout
    --- stderr
    error: --create needs --name <name>
    ");
    env.run(&["agents", "agt_1", "--update"])
        .await
        .expect_code(2);
    env.run(&[
        "agents",
        "--create",
        "--name",
        "x",
        "--storage-limit",
        "99999999999999",
    ])
    .await
    .expect_code(2);
}

#[tokio::test]
async fn create_dry_run_prints_the_request_and_sends_nothing() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let env = Env::for_server(&server);
    let run = env
        .run(&[
            "agents",
            "--create",
            "--name",
            "w",
            "--storage-limit",
            "2",
            "--dry-run",
            "-o",
            "json",
        ])
        .await;
    run.expect_code(0);
    assert_eq!(
        run.json(),
        json!({
            "dry_run": true,
            "method": "POST",
            "url": format!("{}/{PROJECT}/v1/management/agents", server.uri()),
            "body": {"name": "w", "storage_limit_bytes": 2_000_000_000u64},
        })
    );

    let run = env
        .run(&["agents", "--create", "--name", "w", "--dry-run"])
        .await;
    run.expect_code(0);
    assert_eq!(
        run.stdout(),
        format!(
            "POST {}/{PROJECT}/v1/management/agents\n{{\n  \"name\": \"w\"\n}}\n",
            server.uri()
        )
    );
    assert_eq!(run.stderr(), "Dry run: nothing was sent.\n");
}

#[tokio::test]
async fn update_sends_only_the_given_fields() {
    let server = MockServer::start().await;
    expect_body(
        "PATCH",
        "/management/agents/agt_1",
        json!({"max_concurrent_requests": 16}),
    )
    .respond_with(json(200, agent("agt_1", "gpu-1")))
    .expect(1)
    .mount(&server)
    .await;
    expect_body(
        "PATCH",
        "/management/agents/agt_2",
        json!({"name": "renamed", "description": "Updated H100 worker", "max_concurrent_requests": 2}),
    )
    .respond_with(json(200, agent("agt_2", "renamed")))
    .expect(1)
    .mount(&server)
    .await;
    let env = Env::for_server(&server);
    let run = env
        .run(&["agents", "agt_1", "--update", "--max-concurrent", "16"])
        .await;
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    ID:              agt_1
    Name:            gpu-1
    Worker ID:       wrk_9f3a
    Status:          active
    Exec:            running
    Region:          us-east
    Last heartbeat:  2026-11-23 06:59:48 (12s ago)
    Max concurrent:  8
    Description:     H100 worker
    Supported tiers: priority, default
    Storage limit:   500.0 GB
    Created:         2026-11-01 10:00:00
    Updated:         2026-11-20 10:00:00
    --- stderr
    Updated agent agt_1.
    ");

    let run = env
        .run(&[
            "agents",
            "agt_2",
            "--update",
            "--name",
            "renamed",
            "--description",
            "Updated H100 worker",
            "--max-concurrent",
            "2",
            "-o",
            "json",
        ])
        .await;
    run.expect_code(0);
    assert_eq!(run.json(), agent("agt_2", "renamed"));
}

#[tokio::test]
async fn update_dry_run_and_usage_errors_send_nothing() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let env = Env::for_server(&server);
    let run = env
        .run(&[
            "agents",
            "agt_1",
            "--update",
            "--name",
            "n",
            "--dry-run",
            "-o",
            "json",
        ])
        .await;
    run.expect_code(0);
    assert_eq!(
        run.json(),
        json!({
            "dry_run": true, "method": "PATCH",
            "url": format!("{}/{PROJECT}/v1/management/agents/agt_1", server.uri()),
            "body": {"name": "n"},
        })
    );
    let cases: &[&[&str]] = &[
        &["agents", "agt_1", "--update"],
        &["agents", "--update", "--name", "n"],
        &["agents", "agt_1", "--update", "--region", "x"],
        &["agents", "agt_1", "--update", "--supported-tiers", "a"],
        &["agents", "agt_1", "--update", "--storage-limit", "1"],
        &["agents", "agt_1", "--update", "--name", "n", "--all"],
        &["agents", "agt_1", "--update", "--name", "n", "--force"],
        &["agents", "agt_1", "--update", "--max-concurrent", "0"],
    ];
    let mut runs = Transcript::default();
    for args in cases {
        let run = env.run(args).await;
        run.expect_code(2);
        runs.add(args, &run);
    }
    assert_snapshot!(runs, @"
    $ agents agt_1 --update
    exit: 2
    --- stdout
    --- stderr
    error: --update needs at least one of --name, --description, --max-concurrent

    $ agents --update --name n
    exit: 2
    --- stdout
    --- stderr
    error: --update needs an agent id: xeroctl agents <id> --update

    $ agents agt_1 --update --region x
    exit: 2
    --- stdout
    --- stderr
    error: --region cannot be used with --update
    hint: see the options of each action with --help

    $ agents agt_1 --update --supported-tiers a
    exit: 2
    --- stdout
    --- stderr
    error: --supported-tiers cannot be used with --update
    hint: see the options of each action with --help

    $ agents agt_1 --update --storage-limit 1
    exit: 2
    --- stdout
    --- stderr
    error: --storage-limit cannot be used with --update
    hint: see the options of each action with --help

    $ agents agt_1 --update --name n --all
    exit: 2
    --- stdout
    --- stderr
    error: --all cannot be used with --update
    hint: see the options of each action with --help

    $ agents agt_1 --update --name n --force
    exit: 2
    --- stdout
    --- stderr
    error: --force cannot be used with --update
    hint: see the options of each action with --help

    $ agents agt_1 --update --max-concurrent 0
    exit: 2
    --- stdout
    --- stderr
    error: invalid value '0' for '--max-concurrent <N>': must be at least 1
    hint: see `xeroctl agents --help`
    ");
}

#[tokio::test]
async fn delete_with_force_or_yes_sends_one_delete() {
    let server = MockServer::start().await;
    expect("DELETE", "/management/agents/agt_1")
        .and(no_query())
        .respond_with(wiremock::ResponseTemplate::new(204).insert_header("x-request-id", "r"))
        .expect(2)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let run = env.run(&["agents", "agt_1", "--delete", "--force"]).await;
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    --- stderr
    Deleted agent agt_1.
    ");

    let run = env
        .run(&["agents", "agt_1", "--delete", "--yes", "-o", "json"])
        .await;
    run.expect_code(0);
    assert_eq!(run.json(), json!({"id": "agt_1", "deleted": true}));
    assert_eq!(
        run.stdout(),
        "{\n  \"id\": \"agt_1\",\n  \"deleted\": true\n}\n"
    );
}

#[tokio::test]
async fn delete_dry_run_in_table_mode_shows_the_agent_with_one_get() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    expect("GET", "/management/agents/agt_1")
        .respond_with(json(200, agent("agt_1", "gpu-1")))
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["agents", "agt_1", "--delete", "--dry-run"])
        .await;
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    ID:              agt_1
    Name:            gpu-1
    Worker ID:       wrk_9f3a
    Status:          active
    Exec:            running
    Region:          us-east
    Last heartbeat:  2026-11-23 06:59:48 (12s ago)
    Max concurrent:  8
    Description:     H100 worker
    Supported tiers: priority, default
    Storage limit:   500.0 GB
    Created:         2026-11-01 10:00:00
    Updated:         2026-11-20 10:00:00
    --- stderr
    Dry run: would delete agent agt_1 (DELETE http://127.0.0.1:[port]/demo/v1/management/agents/agt_1); nothing was sent.
    ");
}

#[tokio::test]
async fn delete_dry_run_in_json_prints_the_envelope_and_sends_nothing() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let run = Env::for_server(&server)
        .run(&["agents", "agt_1", "--delete", "--dry-run", "-o", "json"])
        .await;
    run.expect_code(0);
    assert_eq!(
        run.json(),
        json!({
            "dry_run": true, "method": "DELETE",
            "url": format!("{}/{PROJECT}/v1/management/agents/agt_1", server.uri()),
            "body": null,
        })
    );
}

#[tokio::test]
async fn delete_without_a_terminal_or_force_refuses_and_sends_nothing() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let env = Env::for_server(&server);
    let run = env.run(&["agents", "agt_1", "--delete"]).await;
    assert_snapshot!(run, @"
    exit: 2
    --- stdout
    --- stderr
    error: refusing to delete agent agt_1 without confirmation: no terminal to ask on
    hint: re-run with --force (or --yes) to skip the prompt, or --dry-run to see what would happen
    ");
    // Piped "yes" on stdin is not a terminal either: still refused.
    let piped = env
        .run_with_stdin(&["agents", "agt_1", "--delete"], b"y\n")
        .await;
    assert_eq!(piped.to_string(), run.to_string());
    let cases: &[&[&str]] = &[
        &["agents", "--delete", "--force"],
        &["agents", "agt_1", "--delete", "--name", "x", "--force"],
        &["agents", "agt_1", "--delete", "--limit", "3", "--force"],
        &["agents", "agt_1", "--delete", "--update", "--force"],
    ];
    let mut runs = Transcript::default();
    for args in cases {
        let run = env.run(args).await;
        run.expect_code(2);
        runs.add(args, &run);
    }
    assert_snapshot!(runs, @"
    $ agents --delete --force
    exit: 2
    --- stdout
    --- stderr
    error: --delete needs an agent id: xeroctl agents <id> --delete

    $ agents agt_1 --delete --name x --force
    exit: 2
    --- stdout
    --- stderr
    error: --name cannot be used with --delete
    hint: see the options of each action with --help

    $ agents agt_1 --delete --limit 3 --force
    exit: 2
    --- stdout
    --- stderr
    error: --limit cannot be used with --delete
    hint: see the options of each action with --help

    $ agents agt_1 --delete --update --force
    exit: 2
    --- stdout
    --- stderr
    error: the argument '--delete' cannot be used with '--update'
    hint: see `xeroctl agents --help`
    ");
}

#[tokio::test]
async fn delete_of_a_missing_agent_exits_4() {
    let server = MockServer::start().await;
    expect("DELETE", "/management/agents/agt_x")
        .respond_with(api_error(404, "agent_not_found", "Agent agt_x not found"))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["agents", "agt_x", "--delete", "--force", "-o", "json"])
        .await;
    run.expect_code(4);
    assert_eq!(run.stdout(), "");
}

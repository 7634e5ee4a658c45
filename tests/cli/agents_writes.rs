//! `xeroctl agents --create | --update | --delete`: exact bodies, dry runs,
//! confirmation rules.

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
    run.expect_code(0);
    assert!(
        run.stderr().contains("Created agent agt_new."),
        "{}",
        run.stderr()
    );
    assert!(run.stdout().starts_with("ID:"), "{}", run.stdout());
    assert!(run.stdout().contains("pending"), "{}", run.stdout());
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
    run.expect_code(5);
    assert!(
        run.stderr().contains("agent_name_taken"),
        "{}",
        run.stderr()
    );
    assert_eq!(run.stdout(), "");
}

#[tokio::test]
async fn create_usage_errors_send_nothing() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let env = Env::for_server(&server);
    let cases: &[(&[&str], &str)] = &[
        (&["agents", "--create"], "--name"),
        (
            &["agents", "agt_1", "--create", "--name", "x"],
            "no agent id",
        ),
        (
            &["agents", "--create", "--name", "x", "--limit", "5"],
            "--limit",
        ),
        (&["agents", "--create", "--name", "x", "--all"], "--all"),
        (&["agents", "--create", "--name", "x", "--force"], "--force"),
        (
            &["agents", "--create", "--name", "x", "--update"],
            "--update",
        ),
        (
            &["agents", "--create", "--name", "x", "--storage-limit", "0"],
            "--storage-limit",
        ),
        (
            &[
                "agents",
                "--create",
                "--name",
                "x",
                "--storage-limit",
                "1.5",
            ],
            "--storage-limit",
        ),
        (
            &[
                "agents",
                "--create",
                "--name",
                "x",
                "--storage-limit",
                "99999999999999",
            ],
            "too large",
        ),
        (
            &[
                "agents",
                "--create",
                "--name",
                "x",
                "--max-concurrent",
                "-1",
            ],
            "'-1'",
        ),
        (
            &[
                "agents",
                "--create",
                "--name",
                "x",
                "--supported-tiers",
                "a,,b",
            ],
            "empty item",
        ),
        (
            &[
                "agents",
                "--create",
                "--name",
                "x",
                "--supported-tiers",
                "a,",
            ],
            "empty item",
        ),
        (&["agents", "--create", "--name", " "], "--name"),
    ];
    for (args, needle) in cases {
        let run = env.run(args).await;
        run.expect_code(2);
        assert!(
            run.stderr().contains(needle),
            "{args:?}: stderr should name {needle}:\n{}",
            run.stderr()
        );
    }
}

#[tokio::test]
async fn usage_errors_win_over_missing_credentials() {
    // Nothing configured at all: the usage mistake is still what is reported.
    let env = Env::bare();
    let run = env.run(&["agents", "--create"]).await;
    run.expect_code(2);
    assert!(run.stderr().contains("--name"), "{}", run.stderr());
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
    assert!(
        run.stderr().contains("nothing was sent"),
        "{}",
        run.stderr()
    );
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
    run.expect_code(0);
    assert!(
        run.stderr().contains("Updated agent agt_1."),
        "{}",
        run.stderr()
    );
    assert!(run.stdout().contains("gpu-1"), "{}", run.stdout());

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
    let cases: &[(&[&str], &str)] = &[
        (&["agents", "agt_1", "--update"], "at least one"),
        (&["agents", "--update", "--name", "n"], "needs an agent id"),
        (
            &["agents", "agt_1", "--update", "--region", "x"],
            "--region",
        ),
        (
            &["agents", "agt_1", "--update", "--supported-tiers", "a"],
            "--supported-tiers",
        ),
        (
            &["agents", "agt_1", "--update", "--storage-limit", "1"],
            "--storage-limit",
        ),
        (
            &["agents", "agt_1", "--update", "--name", "n", "--all"],
            "--all",
        ),
        (
            &["agents", "agt_1", "--update", "--name", "n", "--force"],
            "--force",
        ),
        (
            &["agents", "agt_1", "--update", "--max-concurrent", "0"],
            "--max-concurrent",
        ),
    ];
    for (args, needle) in cases {
        let run = env.run(args).await;
        run.expect_code(2);
        assert!(run.stderr().contains(needle), "{args:?}:\n{}", run.stderr());
    }
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
    run.expect_code(0);
    assert_eq!(run.stdout(), "");
    assert!(
        run.stderr().contains("Deleted agent agt_1."),
        "{}",
        run.stderr()
    );

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
    run.expect_code(0);
    assert!(run.stdout().contains("gpu-1"), "{}", run.stdout());
    assert!(
        run.stderr().contains("would delete agent agt_1"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("nothing was sent"),
        "{}",
        run.stderr()
    );
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
    run.expect_code(2);
    assert!(run.stderr().contains("no terminal"), "{}", run.stderr());
    assert!(run.stderr().contains("--force"), "{}", run.stderr());
    // Piped "yes" on stdin is not a terminal either: still refused.
    let run = env
        .run_with_stdin(&["agents", "agt_1", "--delete"], b"y\n")
        .await;
    run.expect_code(2);
    let cases: &[(&[&str], &str)] = &[
        (&["agents", "--delete", "--force"], "needs an agent id"),
        (
            &["agents", "agt_1", "--delete", "--name", "x", "--force"],
            "--name",
        ),
        (
            &["agents", "agt_1", "--delete", "--limit", "3", "--force"],
            "--limit",
        ),
        (
            &["agents", "agt_1", "--delete", "--update", "--force"],
            "--update",
        ),
    ];
    for (args, needle) in cases {
        let run = env.run(args).await;
        run.expect_code(2);
        assert!(run.stderr().contains(needle), "{args:?}:\n{}", run.stderr());
    }
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

//! `xeroctl agents join-keys`: list, show, create (token shown once), revoke.

use insta::assert_snapshot;
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

use crate::support::*;

const TOKEN: &str = "jt_9f3aSECRETtoken0000000000000000";

fn created_key() -> serde_json::Value {
    let mut k = join_key("jk_new");
    k["name"] = json!("enroll-east");
    k["max_enrollments"] = json!(1);
    k["supported_tiers"] = json!(["priority", "default"]);
    k["storage_limit_bytes"] = json!(1_000_000_000_000u64);
    k["token"] = json!(TOKEN);
    k
}

fn revoked_key(id: &str) -> serde_json::Value {
    let mut k = join_key(id);
    k["status"] = json!("revoked");
    k["revoked_at"] = json!("2026-11-23T06:59:00Z");
    k
}

#[tokio::test]
async fn list_prints_a_table_and_sends_the_paging_query() {
    let server = MockServer::start().await;
    let mut exhausted = join_key("jk_2");
    exhausted["status"] = json!("exhausted");
    exhausted["enrollments"] = json!(10);
    exhausted["region"] = json!(null);
    let mut expired = join_key("jk_3");
    expired["status"] = json!("expired");
    expired["expires_at"] = json!(null);
    expired["max_enrollments"] = json!(null);
    expect("GET", "/management/join-keys")
        .and(query_is("limit=3&after=jk_0"))
        .respond_with(json(
            200,
            page(
                vec![join_key("jk_1"), exhausted, expired, revoked_key("jk_4")],
                false,
            ),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["agents", "join-keys", "--limit", "3", "--after", "jk_0"])
        .await;
    run.expect_code(0);
    assert_snapshot!("join_keys_list", run);
}

#[tokio::test]
async fn list_json_keeps_the_envelope_and_all_follows_pages() {
    let server = MockServer::start().await;
    expect("GET", "/management/join-keys")
        .and(no_query())
        .respond_with(json(200, page(vec![join_key("jk_1")], true)))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/management/join-keys")
        .and(query_is("limit=100"))
        .respond_with(json(200, page(vec![join_key("jk_1")], true)))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/management/join-keys")
        .and(query_is("limit=100&after=jk_1"))
        .respond_with(json(200, page(vec![join_key("jk_2")], false)))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let run = env.run(&["agents", "join-keys", "-o", "json"]).await;
    run.expect_code(0);
    assert_eq!(run.json(), page(vec![join_key("jk_1")], true));

    let run = env
        .run(&["agents", "join-keys", "--all", "-o", "json"])
        .await;
    run.expect_code(0);
    assert_eq!(
        run.json(),
        json!({"object": "list", "data": [join_key("jk_1"), join_key("jk_2")],
               "has_more": false, "first_id": "jk_1", "last_id": "jk_2"})
    );
}

#[tokio::test]
async fn empty_list_and_partial_list_messages_go_to_stderr() {
    let server = MockServer::start().await;
    expect("GET", "/management/join-keys")
        .and(query_is("limit=1"))
        .respond_with(json(200, page(vec![join_key("jk_1")], true)))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/management/join-keys")
        .and(no_query())
        .respond_with(json(200, page(vec![], false)))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let mut runs = Transcript::default();
    for args in [
        &["agents", "join-keys", "--limit", "1"][..],
        &["agents", "join-keys"],
    ] {
        runs.add(args, &env.run(args).await);
    }
    assert_snapshot!(runs, @"
    $ agents join-keys --limit 1
    exit: 0
    --- stdout
    ID    STATUS  REGION   ENROLLMENTS  MAX  EXPIRES
    jk_1  active  us-east  0            10   2026-11-24 06:50:29
    --- stderr
    hint: more join keys exist: add --after jk_1 for the next page, or --all for everything

    $ agents join-keys
    exit: 0
    --- stdout
    --- stderr
    No join keys found.
    ");
}

#[tokio::test]
async fn get_shows_a_detail_view() {
    let server = MockServer::start().await;
    expect("GET", "/management/join-keys/jk_4")
        .and(no_query())
        .respond_with(json(200, revoked_key("jk_4")))
        .expect(2)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let run = env.run(&["agents", "join-keys", "jk_4"]).await;
    run.expect_code(0);
    assert_snapshot!("join_key_detail", run);
    let run = env
        .run(&["agents", "join-keys", "jk_4", "-o", "json"])
        .await;
    run.expect_code(0);
    assert_eq!(run.json(), revoked_key("jk_4"));
}

#[tokio::test]
async fn create_with_every_option_sends_the_exact_body_and_shows_the_token_once() {
    let server = MockServer::start().await;
    expect_body(
        "POST",
        "/management/join-keys",
        json!({
            "name": "enroll-east", "region": "us-east", "max_enrollments": 1,
            "supported_tiers": ["priority", "default"], "storage_limit_bytes": 1_000_000_000_000u64,
            "expires_in_hours": 48
        }),
    )
    .respond_with(json(201, created_key()))
    .expect(1)
    .mount(&server)
    .await;
    let run = Env::for_server(&server)
        .run(&[
            "agents",
            "join-keys",
            "--create",
            "--name",
            "enroll-east",
            "--region",
            "us-east",
            "--max-enrollments",
            "1",
            "--supported-tiers",
            "priority,default",
            "--storage-limit",
            "1000",
            "--expires-in",
            "48",
        ])
        .await;
    // The token: once, on stdout only.
    assert_eq!(run.stdout().matches(TOKEN).count(), 1, "{run}");
    assert!(
        !run.stderr().contains(TOKEN),
        "token leaked on stderr: {run}"
    );
    assert_snapshot!("join_key_create", run);
}

#[tokio::test]
async fn create_with_no_options_sends_an_empty_object() {
    let server = MockServer::start().await;
    expect_body("POST", "/management/join-keys", json!({}))
        .respond_with(json(201, created_key()))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["agents", "join-keys", "--create", "-o", "json"])
        .await;
    run.expect_code(0);
    assert_eq!(run.json()["token"], TOKEN);
    assert_eq!(run.json(), created_key());
    assert!(!run.stderr().contains(TOKEN), "{}", run.stderr());
}

#[tokio::test]
async fn the_token_never_reaches_the_verbose_log() {
    let server = MockServer::start().await;
    expect("POST", "/management/join-keys")
        .respond_with(json(201, created_key()))
        .expect(2)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let mut logs = String::new();
    for output in ["table", "json"] {
        let run = env
            .run(&["agents", "join-keys", "--create", "-v", "-o", output])
            .await;
        run.expect_code(0);
        // The point: neither secret in the log (the snapshot shows the log).
        assert!(!run.stderr().contains(TOKEN), "{}", run.stderr());
        assert!(!run.stderr().contains(KEY), "{}", run.stderr());
        assert_eq!(run.stdout().matches(TOKEN).count(), 1);
        logs.push_str(&format!("# -o {output}\n{}", normalise(&run.stderr())));
    }
    // The reminder that the token is shown once is for table mode (cli.md).
    assert_snapshot!(logs, @"
    # -o table
    > POST http://127.0.0.1:[port]/demo/v1/management/join-keys (authorization: Bearer [redacted])
    < 201 in [n] ms (request id req_test_1)
    Created join key jk_new.
    warning: save this token now: it is shown only once and cannot be retrieved again
    # -o json
    > POST http://127.0.0.1:[port]/demo/v1/management/join-keys (authorization: Bearer [redacted])
    < 201 in [n] ms (request id req_test_1)
    ");
}

#[tokio::test]
async fn a_broken_create_response_never_echoes_the_token() {
    let server = MockServer::start().await;
    let full = serde_json::to_string(&created_key()).unwrap();
    let cut = &full[..full.find(TOKEN).unwrap() + 10];
    expect("POST", "/management/join-keys")
        .respond_with(
            ResponseTemplate::new(201).set_body_raw(cut.as_bytes().to_vec(), "application/json"),
        )
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    expect("POST", "/management/join-keys")
        .respond_with(json(201, json!({"id": 7, "token": TOKEN})))
        .expect(2)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    // Truncated twice (table, json), then a wrong shape twice.
    for output in ["table", "json", "table", "json"] {
        let run = env
            .run(&["agents", "join-keys", "--create", "-v", "-o", output])
            .await;
        run.expect_code(1);
        run.assert_no_secret(&[TOKEN, &TOKEN[..10]]);
    }
}

#[tokio::test]
async fn create_dry_run_prints_the_body_and_sends_nothing() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let run = Env::for_server(&server)
        .run(&[
            "agents",
            "join-keys",
            "--create",
            "--region",
            "eu-west",
            "--storage-limit",
            "1",
            "--dry-run",
            "-o",
            "json",
        ])
        .await;
    run.expect_code(0);
    assert_eq!(
        run.json(),
        json!({
            "dry_run": true, "method": "POST",
            "url": format!("{}/{PROJECT}/v1/management/join-keys", server.uri()),
            "body": {"region": "eu-west", "storage_limit_bytes": 1_000_000_000u64},
        })
    );
}

#[tokio::test]
async fn revoke_with_force_sends_delete_and_shows_the_revoked_key() {
    let server = MockServer::start().await;
    expect("DELETE", "/management/join-keys/jk_4")
        .and(no_query())
        .respond_with(json(200, revoked_key("jk_4")))
        .expect(2)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let run = env
        .run(&["agents", "join-keys", "jk_4", "--revoke", "--force"])
        .await;
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    ID:              jk_4
    Name:            -
    Status:          revoked
    Region:          us-east
    Enrollments:     0 of 10
    Supported tiers: -
    Storage limit:   -
    Router address:  -
    Expires:         2026-11-24 06:50:29 (in 23h)
    Created:         2026-11-23 06:50:29
    Revoked:         2026-11-23 06:59:00
    --- stderr
    Revoked join key jk_4.
    ");
    let run = env
        .run(&[
            "agents",
            "join-keys",
            "jk_4",
            "--revoke",
            "--yes",
            "-o",
            "json",
        ])
        .await;
    run.expect_code(0);
    assert_eq!(run.json(), revoked_key("jk_4"));
}

#[tokio::test]
async fn revoking_twice_is_a_conflict() {
    let server = MockServer::start().await;
    expect("DELETE", "/management/join-keys/jk_4")
        .respond_with(api_error(
            409,
            "join_key_revoked",
            "Join key jk_4 is already revoked",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["agents", "join-keys", "jk_4", "--revoke", "--force"])
        .await;
    assert_snapshot!(run, @"
    exit: 5
    --- stdout
    --- stderr
    error: Join key jk_4 is already revoked (join_key_revoked, request id req_test_1)
    ");
}

#[tokio::test]
async fn revoke_dry_run_gets_once_in_table_mode_and_sends_nothing_in_json() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    expect("GET", "/management/join-keys/jk_1")
        .respond_with(json(200, join_key("jk_1")))
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let run = env
        .run(&["agents", "join-keys", "jk_1", "--revoke", "--dry-run"])
        .await;
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    ID:              jk_1
    Name:            -
    Status:          active
    Region:          us-east
    Enrollments:     0 of 10
    Supported tiers: -
    Storage limit:   -
    Router address:  -
    Expires:         2026-11-24 06:50:29 (in 23h)
    Created:         2026-11-23 06:50:29
    Revoked:         -
    --- stderr
    Dry run: would revoke join key jk_1 (DELETE http://127.0.0.1:[port]/demo/v1/management/join-keys/jk_1); nothing was sent.
    ");
    let run = env
        .run(&[
            "agents",
            "join-keys",
            "jk_1",
            "--revoke",
            "--dry-run",
            "-o",
            "json",
        ])
        .await;
    run.expect_code(0);
    assert_eq!(run.json()["method"], "DELETE");
    assert_eq!(run.json()["dry_run"], true);
}

#[tokio::test]
async fn usage_errors_send_nothing() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let env = Env::for_server(&server);
    let cases: &[&[&str]] = &[
        &["agents", "join-keys", "jk_1", "--revoke"],
        &["agents", "join-keys", "--revoke", "--force"],
        &["agents", "join-keys", "jk_1", "--create"],
        &["agents", "join-keys", "--create", "--revoke"],
        &["agents", "join-keys", "--create", "--expires-in", "0"],
        &["agents", "join-keys", "--create", "--max-enrollments", "x"],
        &["agents", "join-keys", "--create", "--supported-tiers", ","],
        &["agents", "join-keys", "--create", "--limit", "2"],
        &["agents", "join-keys", "--create", "--force"],
        &[
            "agents",
            "join-keys",
            "jk_1",
            "--revoke",
            "--region",
            "x",
            "--force",
        ],
        &[
            "agents",
            "join-keys",
            "jk_1",
            "--revoke",
            "--all",
            "--force",
        ],
        &["agents", "join-keys", "--region", "x"],
        &["agents", "join-keys", "--force"],
        &["agents", "join-keys", "jk_1", "--limit", "2"],
        &["agents", "join-keys", "--limit", "0"],
        &["agents", "join-keys", "--update"],
    ];
    let mut runs = Transcript::default();
    for args in cases {
        let run = env.run(args).await;
        run.expect_code(2);
        runs.add(args, &run);
    }
    assert_snapshot!(runs, @"
    $ agents join-keys jk_1 --revoke
    exit: 2
    --- stdout
    --- stderr
    error: refusing to revoke join key jk_1 without confirmation: no terminal to ask on
    hint: re-run with --force (or --yes) to skip the prompt, or --dry-run to see what would happen

    $ agents join-keys --revoke --force
    exit: 2
    --- stdout
    --- stderr
    error: --revoke needs a join key id: xeroctl agents join-keys <id> --revoke

    $ agents join-keys jk_1 --create
    exit: 2
    --- stdout
    --- stderr
    error: --create takes no join key id (got 'jk_1')

    $ agents join-keys --create --revoke
    exit: 2
    --- stdout
    --- stderr
    error: the argument '--create' cannot be used with '--revoke'
    hint: see `xeroctl agents join-keys --help`

    $ agents join-keys --create --expires-in 0
    exit: 2
    --- stdout
    --- stderr
    error: invalid value '0' for '--expires-in <HOURS>': must be at least 1
    hint: see `xeroctl agents join-keys --help`

    $ agents join-keys --create --max-enrollments x
    exit: 2
    --- stdout
    --- stderr
    error: invalid value 'x' for '--max-enrollments <N>': 'x' is not a positive whole number
    hint: see `xeroctl agents join-keys --help`

    $ agents join-keys --create --supported-tiers ,
    exit: 2
    --- stdout
    --- stderr
    error: invalid value ',' for '--supported-tiers <TIERS>': ',' has an empty item; give a comma list like priority,default
    hint: see `xeroctl agents join-keys --help`

    $ agents join-keys --create --limit 2
    exit: 2
    --- stdout
    --- stderr
    error: --limit cannot be used with --create
    hint: see the options of each action with --help

    $ agents join-keys --create --force
    exit: 2
    --- stdout
    --- stderr
    error: --force cannot be used with --create
    hint: see the options of each action with --help

    $ agents join-keys jk_1 --revoke --region x --force
    exit: 2
    --- stdout
    --- stderr
    error: --region cannot be used with --revoke
    hint: see the options of each action with --help

    $ agents join-keys jk_1 --revoke --all --force
    exit: 2
    --- stdout
    --- stderr
    error: --all cannot be used with --revoke
    hint: see the options of each action with --help

    $ agents join-keys --region x
    exit: 2
    --- stdout
    --- stderr
    error: --region needs an action: add --create or --revoke

    $ agents join-keys --force
    exit: 2
    --- stdout
    --- stderr
    error: --force needs an action: add --create or --revoke

    $ agents join-keys jk_1 --limit 2
    exit: 2
    --- stdout
    --- stderr
    error: --limit cannot be used when showing a join key
    hint: see the options of each action with --help

    $ agents join-keys --limit 0
    exit: 2
    --- stdout
    --- stderr
    error: invalid value '0' for '--limit <N>': must be between 1 and 100
    hint: see `xeroctl agents join-keys --help`

    $ agents join-keys --update
    exit: 2
    --- stdout
    --- stderr
    error: unexpected argument '--update' found
    hint: see `xeroctl agents join-keys --help`
    ");
}

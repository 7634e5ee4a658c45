//! `xeroctl agents join-keys`, run in-process.

use insta::assert_snapshot;
use serde_json::json;
use wiremock::matchers::body_json;
use wiremock::MockServer;

use crate::support::*;

const TOKEN: &str = "jt_0neT1meS3cretT0ken0000000000000";

#[tokio::test]
async fn list_and_show() {
    let server = MockServer::start().await;
    let mut exhausted = join_key("jk_2");
    exhausted["status"] = json!("exhausted");
    exhausted["enrollments"] = json!(10);
    expect("GET", "/management/join-keys")
        .respond_with(json(200, page(vec![join_key("jk_1"), exhausted], false)))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/management/join-keys/jk_1")
        .respond_with(json(200, join_key("jk_1")))
        .expect(1)
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    assert_snapshot!(h.run(&["agents", "join-keys", "ls"]).await, @r"
    exit: 0
    --- stdout
    ID    STATUS     REGION   ENROLLMENTS  MAX  EXPIRES
    jk_1  active     us-east  0            10   2026-11-24 06:50:29
    jk_2  exhausted  us-east  10           10   2026-11-24 06:50:29
    --- stderr
    ");
    assert_snapshot!(h.run(&["agents", "join-keys", "jk_1"]).await, @r"
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
    ");
}

#[tokio::test]
async fn create_shows_the_token_once_and_only_on_stdout() {
    let server = MockServer::start().await;
    let mut created = join_key("jk_new");
    created["token"] = json!(TOKEN);
    created["max_enrollments"] = json!(1);
    expect("POST", "/management/join-keys")
        .and(body_json(
            json!({"max_enrollments": 1, "expires_in_hours": 2}),
        ))
        .respond_with(json(201, created))
        .expect(2)
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let run = h
        .run(&[
            "agents",
            "join-keys",
            "--create",
            "--max-enrollments",
            "1",
            "--expires-in",
            "2",
        ])
        .await;
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.stdout.matches(TOKEN).count(), 1, "{run}");
    assert!(!run.stderr.contains(TOKEN), "{run}");
    assert!(
        run.stdout.contains(&format!("\n  Token: {TOKEN}\n")),
        "{run}"
    );
    assert!(run.stderr.ends_with(
        "warning: save this token now: it is shown only once and cannot be retrieved again\n"
    ));
    let run = h
        .run(&[
            "agents",
            "join-keys",
            "--create",
            "--max-enrollments",
            "1",
            "--expires-in",
            "2",
            "-o",
            "json",
        ])
        .await;
    assert_eq!(run.json()["token"], json!(TOKEN));
    assert_eq!(run.stderr, "");
}

#[tokio::test]
async fn a_token_echoed_in_a_later_error_is_redacted() {
    let server = MockServer::start().await;
    let mut created = join_key("jk_new");
    created["token"] = json!(TOKEN);
    expect("POST", "/management/join-keys")
        .respond_with(json(201, created))
        .mount(&server)
        .await;
    let run = Harness::new(&server)
        .run(&["agents", "join-keys", "--create", "-v"])
        .await;
    assert_eq!(run.code, 0, "{run}");
    assert!(!run.stderr.contains(TOKEN), "{run}");
}

#[tokio::test]
async fn revoke_asks_without_force_and_sends_with_it() {
    let server = MockServer::start().await;
    let mut revoked = join_key("jk_1");
    revoked["status"] = json!("revoked");
    revoked["revoked_at"] = json!("2026-11-23T06:55:00Z");
    expect("DELETE", "/management/join-keys/jk_1")
        .respond_with(json(200, revoked))
        .expect(1)
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let refused = h.run(&["agents", "join-keys", "jk_1", "--revoke"]).await;
    assert_snapshot!(refused, @r"
    exit: 2
    --- stdout
    --- stderr
    error: refusing to revoke join key jk_1 without confirmation: no terminal to ask on
    hint: re-run with --force (or --yes) to skip the prompt, or --dry-run to see what would happen
    ");
    let run = h
        .run(&["agents", "join-keys", "jk_1", "--revoke", "--force"])
        .await;
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stderr.starts_with("Revoked join key jk_1.\n"), "{run}");
    assert!(run.stdout.contains("Status:          revoked\n"), "{run}");
}

#[tokio::test]
async fn revoking_twice_is_a_conflict() {
    let server = MockServer::start().await;
    expect("DELETE", "/management/join-keys/jk_1")
        .respond_with(api_error(
            409,
            "join_key_revoked",
            "Join key jk_1 is already revoked",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let run = Harness::new(&server)
        .run(&["agents", "join-keys", "jk_1", "--revoke", "--yes"])
        .await;
    assert_eq!(run.code, 5, "{run}");
    assert!(
        run.stderr.starts_with(
            "error: Join key jk_1 is already revoked (join_key_revoked, request id req_inproc_1)\n"
        ),
        "{run}"
    );
}

#[tokio::test]
async fn stray_options_are_refused_before_any_request() {
    let server = MockServer::start().await;
    let h = Harness::new(&server);
    let cases: &[&[&str]] = &[
        &["agents", "join-keys", "--create", "--limit", "3"],
        &["agents", "join-keys", "jk_1", "--all"],
        &["agents", "join-keys", "--region", "us-east"],
        &["agents", "join-keys", "--revoke"],
        &["agents", "join-keys", "jk_1", "--revoke", "--name", "x"],
        &["agents", "join-keys", "jk_1", "--create"],
    ];
    let mut all = String::new();
    for args in cases {
        let run = h.run(args).await;
        all.push_str(&format!("$ {}\n{run}\n", args.join(" ")));
    }
    assert!(received(&server).await.is_empty());
    assert_snapshot!(all);
}

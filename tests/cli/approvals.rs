//! `xeroctl approvals`: requests on the wire (`/exec/approvals`), the
//! confirmation rules, conflicts and `watch`.

use insta::assert_snapshot;
use serde_json::json;
use wiremock::matchers::{body_json, query_param, query_param_is_missing};
use wiremock::MockServer;

use crate::support::*;

const AID: &str = "a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60";

pub fn approval(id: &str, status: &str) -> serde_json::Value {
    json!({
        "id": id, "object": "exec.approval", "invocation_id": "5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10",
        "tool": "kubectl_drain", "workspace_id": "ws_a1b2c3d4", "risk": "destructive", "status": status,
        "created_at": "2026-11-23T06:50:00Z", "expires_at": "2026-11-23T07:50:00Z",
        "resolved_at": null, "resolved_by": null, "note": null, "reason": null
    })
}

#[tokio::test]
async fn list_sends_filters_and_prints_the_columns() {
    let server = MockServer::start().await;
    expect("GET", "/exec/approvals")
        .and(query_param("status", "pending"))
        .and(query_param("risk", "destructive"))
        .and(query_param("workspace_id", "ws_a1b2c3d4"))
        .and(query_param("limit", "5"))
        .and(query_param("after", "a0"))
        .respond_with(json(200, page(vec![approval(AID, "pending")], true)))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&[
            "approvals",
            "list",
            "--status",
            "pending",
            "--risk",
            "destructive",
            "--workspace",
            "ws_a1b2c3d4",
            "--limit",
            "5",
            "--after",
            "a0",
        ])
        .await;
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    ID                                    STATUS   RISK         TOOL           WORKSPACE    CREATED
    a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60  pending  destructive  kubectl_drain  ws_a1b2c3d4  2026-11-23 06:50:00
    --- stderr
    hint: more approvals exist: add --after a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 for the next page, or --all for everything
    ");
}

#[tokio::test]
async fn list_all_streams_every_page_as_one_envelope() {
    let server = MockServer::start().await;
    expect("GET", "/exec/approvals")
        .and(query_param_is_missing("after"))
        .and(query_param("limit", "100"))
        .respond_with(json(200, page(vec![approval("a1", "approved")], true)))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/exec/approvals")
        .and(query_param("after", "a1"))
        .respond_with(json(200, page(vec![approval("a2", "expired")], false)))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["approvals", "list", "--all", "-o", "json"])
        .await;
    run.expect_code(0);
    let v = run.json();
    assert_eq!(v["data"].as_array().unwrap().len(), 2);
    assert_eq!(v["has_more"], false);
    assert_eq!(v["last_id"], "a2");
}

#[tokio::test]
async fn bad_filters_are_usage_errors_and_send_nothing() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let env = Env::for_server(&server);
    let mut runs = Transcript::default();
    for args in [
        &["approvals", "list", "--status", "done"][..],
        &["approvals", "list", "--risk", "huge"],
        &["approvals", "list", "--limit", "101"],
        &["approvals", "show", ".."],
        &["approvals", "watch", "--interval", "0"],
    ] {
        let run = env.run(args).await;
        run.expect_code(2);
        runs.add(args, &run);
    }
    assert_snapshot!(runs, @"
    $ approvals list --status done
    exit: 2
    --- stdout
    --- stderr
    error: invalid value 'done' for '--status <STATUS>'
    hint: possible values: pending, approved, rejected, expired, escalated, timed_out; see `xeroctl approvals list --help`

    $ approvals list --risk huge
    exit: 2
    --- stdout
    --- stderr
    error: invalid value 'huge' for '--risk <RISK>'
    hint: possible values: read, write, destructive, irreversible; see `xeroctl approvals list --help`

    $ approvals list --limit 101
    exit: 2
    --- stdout
    --- stderr
    error: invalid value '101' for '--limit <N>': must be between 1 and 100
    hint: see `xeroctl approvals list --help`

    $ approvals show ..
    exit: 2
    --- stdout
    --- stderr
    error: '..' is not a valid approval id

    $ approvals watch --interval 0
    exit: 2
    --- stdout
    --- stderr
    error: invalid value '0' for '--interval <SECS>': must be greater than 0
    hint: see `xeroctl approvals watch --help`
    ");
}

#[tokio::test]
async fn show_prints_the_detail_and_json_as_sent() {
    let server = MockServer::start().await;
    let mut rejected = approval(AID, "rejected");
    rejected["reason"] = json!("wrong cluster\u{1b}[31m");
    rejected["resolved_at"] = json!("2026-11-23T06:55:00Z");
    expect("GET", &format!("/exec/approvals/{AID}"))
        .respond_with(json(200, rejected))
        .expect(2)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let run = env.run(&["approvals", "show", AID]).await;
    assert!(
        !run.stdout().contains('\u{1b}'),
        "escape reached the terminal"
    );
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    ID:          a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60
    Status:      rejected
    Risk:        destructive
    Tool:        kubectl_drain
    Workspace:   ws_a1b2c3d4
    Invocation:  5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10
    Created:     2026-11-23 06:50:00
    Expires:     2026-11-23 07:50:00 (in 50m)
    Resolved:    2026-11-23 06:55:00
    Resolved by: -
    Note:        -
    Reason:      wrong cluster
    --- stderr
    ");
    let run = env.run(&["approvals", "show", AID, "-o", "json"]).await;
    run.expect_code(0);
    assert_eq!(run.json()["status"], "rejected");
}

#[tokio::test]
async fn show_missing_is_exit_4() {
    let server = MockServer::start().await;
    expect("GET", "/exec/approvals/nope")
        .respond_with(api_error(
            404,
            "approval_not_found",
            "Approval nope not found",
        ))
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["approvals", "show", "nope"])
        .await;
    assert_snapshot!(run, @"
    exit: 4
    --- stdout
    --- stderr
    error: Approval nope not found (approval_not_found, request id req_test_1)
    hint: list approvals with `xeroctl approvals list`
    ");
}

#[tokio::test]
async fn approve_with_force_sends_the_note() {
    let server = MockServer::start().await;
    let mut approved = approval(AID, "approved");
    approved["note"] = json!("CHG-42");
    expect("POST", &format!("/exec/approvals/{AID}/approve"))
        .and(body_json(json!({"note": "CHG-42"})))
        .respond_with(json(200, approved))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["approvals", "approve", AID, "--note", "CHG-42", "--force"])
        .await;
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    ID:          a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60
    Status:      approved
    Risk:        destructive
    Tool:        kubectl_drain
    Workspace:   ws_a1b2c3d4
    Invocation:  5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10
    Created:     2026-11-23 06:50:00
    Expires:     2026-11-23 07:50:00 (in 50m)
    Resolved:    -
    Resolved by: -
    Note:        CHG-42
    Reason:      -
    --- stderr
    Approved a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60: invocation 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 moves on (queued to run).
    ");
}

#[tokio::test]
async fn reject_with_yes_and_no_reason_sends_an_empty_object() {
    let server = MockServer::start().await;
    expect("POST", &format!("/exec/approvals/{AID}/reject"))
        .and(body_json(json!({})))
        .respond_with(json(200, approval(AID, "rejected")))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["approvals", "reject", AID, "--yes", "-o", "json"])
        .await;
    run.expect_code(0);
    assert_eq!(run.json()["status"], "rejected");
}

#[tokio::test]
async fn reject_sends_the_reason() {
    let server = MockServer::start().await;
    expect("POST", &format!("/exec/approvals/{AID}/reject"))
        .and(body_json(json!({"reason": "wrong cluster"})))
        .respond_with(json(200, approval(AID, "rejected")))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&[
            "approvals",
            "reject",
            AID,
            "--reason",
            "wrong cluster",
            "--force",
        ])
        .await;
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    ID:          a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60
    Status:      rejected
    Risk:        destructive
    Tool:        kubectl_drain
    Workspace:   ws_a1b2c3d4
    Invocation:  5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10
    Created:     2026-11-23 06:50:00
    Expires:     2026-11-23 07:50:00 (in 50m)
    Resolved:    -
    Resolved by: -
    Note:        -
    Reason:      -
    --- stderr
    Rejected a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60: invocation 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 ends rejected.
    ");
}

#[tokio::test]
async fn without_a_terminal_or_force_nothing_is_sent() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let env = Env::for_server(&server);
    let mut runs = Transcript::default();
    for verb in ["approve", "reject"] {
        let args = ["approvals", verb, AID];
        runs.add(&args, &env.run(&args).await);
    }
    assert_snapshot!(runs, @"
    $ approvals approve a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60
    exit: 2
    --- stdout
    --- stderr
    error: refusing to approve a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 without confirmation: no terminal to ask on
    hint: re-run with --force (or --yes) to skip the prompt, or --dry-run to see what would happen

    $ approvals reject a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60
    exit: 2
    --- stdout
    --- stderr
    error: refusing to reject a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 without confirmation: no terminal to ask on
    hint: re-run with --force (or --yes) to skip the prompt, or --dry-run to see what would happen
    ");
}

#[tokio::test]
async fn dry_run_prints_the_request_and_sends_nothing() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let env = Env::for_server(&server);
    let run = env
        .run(&[
            "approvals",
            "approve",
            AID,
            "--note",
            "ok",
            "--dry-run",
            "-o",
            "json",
        ])
        .await;
    run.expect_code(0);
    let v = run.json();
    assert_eq!(v["dry_run"], true);
    assert_eq!(v["method"], "POST");
    assert!(v["url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/demo/v1/exec/approvals/{AID}/approve")));
    assert_eq!(v["body"], json!({"note": "ok"}));
    let run = env.run(&["approvals", "reject", AID, "--dry-run"]).await;
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    POST http://127.0.0.1:[port]/demo/v1/exec/approvals/a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60/reject
    {}
    --- stderr
    Dry run: nothing was sent.
    ");
}

#[tokio::test]
async fn conflict_names_the_status_from_the_message() {
    let server = MockServer::start().await;
    expect("POST", &format!("/exec/approvals/{AID}/approve"))
        .respond_with(api_error(
            409,
            "approval_resolved",
            &format!("Approval {AID} is already rejected"),
        ))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", &format!("/exec/approvals/{AID}"))
        .respond_with(json(200, approval(AID, "rejected")))
        .expect(0)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["approvals", "approve", AID, "--force"])
        .await;
    assert_snapshot!(run, @"
    exit: 5
    --- stdout
    --- stderr
    error: Approval a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 is already rejected (approval_resolved, request id req_test_1)
    hint: see it with `xeroctl approvals show a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60`
    ");
}

#[tokio::test]
async fn conflict_without_a_status_asks_the_router_once() {
    let server = MockServer::start().await;
    expect("POST", &format!("/exec/approvals/{AID}/reject"))
        .respond_with(api_error(409, "approval_resolved", "Approval is resolved"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", &format!("/exec/approvals/{AID}"))
        .respond_with(json(200, approval(AID, "expired")))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["approvals", "reject", AID, "--force"])
        .await;
    assert_snapshot!(run, @"
    exit: 5
    --- stdout
    --- stderr
    error: approval a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 is already expired (approval_resolved, request id req_test_1)
    hint: see it with `xeroctl approvals show a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60`
    ");
}

#[tokio::test]
async fn missing_scope_is_exit_3() {
    let server = MockServer::start().await;
    expect("POST", &format!("/exec/approvals/{AID}/approve"))
        .respond_with(api_error(
            403,
            "scope_insufficient",
            "API key lacks the execution scope",
        ))
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["approvals", "approve", AID, "--force"])
        .await;
    run.assert_no_secret(&[]);
    assert_snapshot!(run, @"
    exit: 3
    --- stdout
    --- stderr
    error: API key lacks the execution scope (scope_insufficient, request id req_test_1)
    hint: this key lacks a scope the command needs (management for agents, execution for exec and approvals); `xeroctl status` shows the key's scopes
    ");
}

//! `xeroctl approvals`: requests on the wire (`/exec/approvals`), the
//! confirmation rules, conflicts and `watch`.

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
    run.expect_code(0);
    let out = run.stdout();
    let header: Vec<&str> = out.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        ["ID", "STATUS", "RISK", "TOOL", "WORKSPACE", "CREATED"]
    );
    assert!(
        out.contains(AID)
            && out.contains("destructive")
            && out.contains("kubectl_drain")
            && out.contains("2026-11-23 06:50:00"),
        "{out}"
    );
    assert!(
        run.stderr().contains(&format!("--after {AID}")),
        "{}",
        run.stderr()
    );
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
    let run = env.run(&["approvals", "list", "--status", "done"]).await;
    run.expect_code(2);
    assert!(run.stderr().contains("pending"), "{}", run.stderr());
    env.run(&["approvals", "list", "--risk", "huge"])
        .await
        .expect_code(2);
    env.run(&["approvals", "list", "--limit", "101"])
        .await
        .expect_code(2);
    env.run(&["approvals", "show", ".."]).await.expect_code(2);
    env.run(&["approvals", "watch", "--interval", "0"])
        .await
        .expect_code(2);
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
    run.expect_code(0);
    let out = run.stdout();
    for want in [
        "Tool:",
        "kubectl_drain",
        "Workspace:",
        "ws_a1b2c3d4",
        "Risk:",
        "destructive",
        "Status:",
        "rejected",
        "Invocation:",
        "5f9c3b1a",
        "Expires:",
        "2026-11-23 07:50:00",
        "Resolved:",
        "2026-11-23 06:55:00",
        "Reason:",
        "wrong cluster",
    ] {
        assert!(out.contains(want), "{want} missing:\n{out}");
    }
    assert!(!out.contains('\u{1b}'), "escape reached the terminal");
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
    run.expect_code(4);
    assert!(
        run.stderr().contains("approval_not_found"),
        "{}",
        run.stderr()
    );
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
    run.expect_code(0);
    assert!(run.stdout().contains("approved"), "{}", run.stdout());
    assert!(run.stdout().contains("CHG-42"), "{}", run.stdout());
    assert!(run.stderr().contains("moves on"), "{}", run.stderr());
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
    run.expect_code(0);
    assert!(run.stderr().contains("ends rejected"), "{}", run.stderr());
}

#[tokio::test]
async fn without_a_terminal_or_force_nothing_is_sent() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let env = Env::for_server(&server);
    for verb in ["approve", "reject"] {
        let run = env.run(&["approvals", verb, AID]).await;
        run.expect_code(2);
        assert!(run.stderr().contains("--force"), "{}", run.stderr());
    }
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
    run.expect_code(0);
    assert!(run.stdout().starts_with("POST "), "{}", run.stdout());
    assert!(run.stdout().contains("/reject"), "{}", run.stdout());
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
    run.expect_code(5);
    let err = run.stderr();
    assert!(err.contains("already rejected"), "{err}");
    assert!(
        err.contains("approval_resolved") && err.contains("req_test_1"),
        "{err}"
    );
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
    run.expect_code(5);
    assert!(
        run.stderr()
            .contains(&format!("approval {AID} is already expired")),
        "{}",
        run.stderr()
    );
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
    run.expect_code(3);
    run.assert_no_secret(&[]);
}

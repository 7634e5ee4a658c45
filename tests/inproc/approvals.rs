//! `approvals approve|reject --confirm <tool>`, and the statuses the
//! product's docs add (`escalated`, `timed_out`).

use insta::assert_snapshot;
use serde_json::json;
use wiremock::matchers::body_json;
use wiremock::MockServer;

use crate::support::*;

const AID: &str = "a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60";

fn approval(id: &str, status: &str, tool: &str, risk: &str) -> serde_json::Value {
    json!({
        "id": id, "object": "exec.approval", "invocation_id": "5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10",
        "tool": tool, "workspace_id": "ws_a1b2c3d4", "risk": risk, "status": status,
        "created_at": "2026-11-23T06:50:00Z", "expires_at": "2026-11-23T07:50:00Z",
        "resolved_at": null, "resolved_by": null, "note": null, "reason": null
    })
}

async fn mount_get(server: &MockServer, tool: &str, risk: &str) {
    expect("GET", &format!("/exec/approvals/{AID}"))
        .respond_with(json(200, approval(AID, "pending", tool, risk)))
        .mount(server)
        .await;
}

#[tokio::test]
async fn confirm_naming_another_tool_refuses_and_sends_nothing() {
    let server = MockServer::start().await;
    mount_get(&server, "kubectl_drain", "destructive").await;
    let h = Harness::new(&server);
    let approve = h
        .run(&["approvals", "approve", AID, "--confirm", "db_drop_database"])
        .await;
    let reject = h
        .run(&[
            "approvals",
            "reject",
            AID,
            "--confirm",
            "kubectl_scale",
            "--force",
        ])
        .await;
    assert_snapshot!(format!("{approve}\n{reject}"), @r"
    exit: 2
    --- stdout
    --- stderr
    error: approval a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 is for tool kubectl_drain, not db_drop_database: nothing was sent
    hint: see it with `xeroctl approvals show a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60`

    exit: 2
    --- stdout
    --- stderr
    error: approval a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 is for tool kubectl_drain, not kubectl_scale: nothing was sent
    hint: see it with `xeroctl approvals show a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60`
    ");
    let methods: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.method.to_string())
        .collect();
    assert_eq!(methods, ["GET", "GET"]);
}

#[tokio::test]
async fn a_matching_confirm_stands_in_for_force_without_a_terminal() {
    let server = MockServer::start().await;
    mount_get(&server, "db_drop_database", "irreversible").await;
    let mut approved = approval(AID, "approved", "db_drop_database", "irreversible");
    approved["note"] = json!("CHG-42");
    expect("POST", &format!("/exec/approvals/{AID}/approve"))
        .and(body_json(json!({"note": "CHG-42"})))
        .respond_with(json(200, approved.clone()))
        .expect(1)
        .mount(&server)
        .await;
    expect("POST", &format!("/exec/approvals/{AID}/reject"))
        .and(body_json(json!({})))
        .respond_with(json(
            200,
            approval(AID, "rejected", "db_drop_database", "irreversible"),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let run = h
        .run(&[
            "approvals",
            "approve",
            AID,
            "--note",
            "CHG-42",
            "--confirm",
            "db_drop_database",
            "-o",
            "json",
        ])
        .await;
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.json(), approved);
    let run = h
        .run(&["approvals", "reject", AID, "--confirm", "db_drop_database"])
        .await;
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stderr.starts_with(&format!("Rejected {AID}:")), "{run}");
    let seen: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(
        seen,
        [
            format!("GET /demo/v1/exec/approvals/{AID}"),
            format!("POST /demo/v1/exec/approvals/{AID}/approve"),
            format!("GET /demo/v1/exec/approvals/{AID}"),
            format!("POST /demo/v1/exec/approvals/{AID}/reject"),
        ]
    );
}

#[tokio::test]
async fn confirm_with_dry_run_checks_the_tool_and_sends_no_write() {
    let server = MockServer::start().await;
    mount_get(&server, "kubectl_drain", "destructive").await;
    let run = Harness::new(&server)
        .run(&[
            "approvals",
            "approve",
            AID,
            "--confirm",
            "kubectl_drain",
            "--dry-run",
            "-o",
            "json",
        ])
        .await;
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.json()["method"], json!("POST"));
    let methods: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.method.to_string())
        .collect();
    assert_eq!(methods, ["GET"]);
}

#[tokio::test]
async fn confirm_on_a_missing_approval_exits_4() {
    let server = MockServer::start().await;
    expect("GET", "/exec/approvals/nope")
        .respond_with(api_error(
            404,
            "approval_not_found",
            "Approval nope not found",
        ))
        .mount(&server)
        .await;
    let run = Harness::new(&server)
        .run(&["approvals", "approve", "nope", "--confirm", "kubectl_drain"])
        .await;
    assert_eq!(run.code, 4, "{run}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn escalated_and_timed_out_approvals_are_listed() {
    let server = MockServer::start().await;
    expect("GET", "/exec/approvals")
        .respond_with(json(
            200,
            page(
                vec![
                    approval(
                        "d7f9b1c3",
                        "escalated",
                        "openstack_server_stop",
                        "destructive",
                    ),
                    approval("f9b1d3e5", "timed_out", "kubectl_drain", "destructive"),
                ],
                false,
            ),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let run = Harness::new(&server).run(&["approvals", "list"]).await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    ID        STATUS     RISK         TOOL                   WORKSPACE    CREATED
    d7f9b1c3  escalated  destructive  openstack_server_stop  ws_a1b2c3d4  2026-11-23 06:50:00
    f9b1d3e5  timed_out  destructive  kubectl_drain          ws_a1b2c3d4  2026-11-23 06:50:00
    --- stderr
    ");
}

/// `--status` takes every status the API and the product's docs name, and
/// sends it as the router spells it (`timed-out` is an alias).
#[tokio::test]
async fn every_status_filter_is_sent_as_the_router_spells_it() {
    let server = MockServer::start().await;
    expect("GET", "/exec/approvals")
        .respond_with(json(200, page(vec![], false)))
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let mut sent = Vec::new();
    for status in [
        "pending",
        "approved",
        "rejected",
        "expired",
        "escalated",
        "timed_out",
        "timed-out",
    ] {
        let run = h.run(&["approvals", "list", "--status", status]).await;
        assert_eq!(run.code, 0, "{status}: {run}");
        let requests = received(&server).await;
        let last = requests.last().expect("a request");
        sent.push(format!(
            "{status:<10} -> {}",
            last.url.query().unwrap_or("")
        ));
    }
    assert_eq!(received(&server).await.len(), 7);
    assert_snapshot!(sent.join("\n"), @r"
    pending    -> status=pending
    approved   -> status=approved
    rejected   -> status=rejected
    expired    -> status=expired
    escalated  -> status=escalated
    timed_out  -> status=timed_out
    timed-out  -> status=timed_out
    ");
}

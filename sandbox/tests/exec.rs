//! Tools, invocations, executions, approvals, the SSE stream, introspection.

mod common;

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::json;
use xeroctl_sandbox::{ids, SandboxOptions};

fn invoke_body(tool: &str, args: serde_json::Value) -> serde_json::Value {
    json!({"workspace_id": ids::WORKSPACE, "tool": tool, "arguments": args})
}

#[tokio::test]
async fn tools_have_schemas() {
    let h = common::start().await;
    let t = h.get("/exec/tools/kubectl_get").await;
    assert_eq!(t.body["object"], "exec.tool");
    assert_eq!(t.body["parameters"]["type"], "object");
    assert_eq!(t.body["parameters"]["required"], json!(["resource"]));
    assert_eq!(
        t.body["parameters"]["properties"]["namespace"]["default"],
        "default"
    );
    assert!(t.body["parameters"]["properties"]["labels"]["properties"].is_object());
    let t = h.get("/exec/tools/nope").await;
    assert_eq!(t.status, 404);
    assert_eq!(t.code(), "exec_tool_not_found");
}

#[tokio::test]
async fn invoke_validation() {
    let h = common::start().await;
    let cases = [
        (
            invoke_body("kubectl_scale", json!({"resource": "deployment/web"})),
            "arguments.replicas",
        ),
        (
            invoke_body("kubectl_scale", json!({"resource": "d", "replicas": "2"})),
            "arguments.replicas",
        ),
        (
            invoke_body(
                "kubectl_get",
                json!({"resource": "pods", "labels": {"tier": "x"}}),
            ),
            "arguments.labels.tier",
        ),
        (invoke_body("kubectl_get", json!("pods")), "arguments"),
        (
            json!({"tool": "kubectl_get", "arguments": {}}),
            "workspace_id",
        ),
    ];
    for (body, param) in cases {
        let a = h.post("/exec/invocations", body).await;
        assert_eq!(a.status, 400, "{:?}", a.body);
        assert_eq!(a.code(), "invalid_body");
        assert_eq!(a.param(), Some(param));
    }
    let a = h
        .post("/exec/invocations", invoke_body("nope", json!({})))
        .await;
    assert_eq!((a.status.as_u16(), a.code()), (400, "exec_tool_not_found"));
    let ws = |w: &str| json!({"workspace_id": w, "tool": "kubectl_get", "arguments": {"resource": "pods"}});
    let a = h.post("/exec/invocations", ws("ws_nope")).await;
    assert_eq!((a.status.as_u16(), a.code()), (404, "workspace_not_found"));
    let a = h
        .post("/exec/invocations", ws(ids::WORKSPACE_OFFLINE))
        .await;
    assert_eq!(
        (a.status.as_u16(), a.code()),
        (503, "tool_executor_unavailable")
    );
    let a = h
        .get("/exec/invocations/00000000-0000-4000-8000-000000000000")
        .await;
    assert_eq!(a.code(), "invocation_not_found");
}

#[tokio::test]
async fn read_tool_runs_to_completion() {
    let h = common::start().await;
    let a = h
        .post(
            "/exec/invocations",
            invoke_body("kubectl_get", json!({"resource": "pods"})),
        )
        .await;
    assert_eq!(a.status, 201);
    assert_eq!(a.body["status"], "queued");
    assert!(a.body["approval_id"].is_null());
    let id = a.body["id"].as_str().unwrap();
    assert_eq!(id.len(), 36);
    let done = h.wait_invocation(id, &["completed"]).await;
    assert_eq!(done["exit_code"], 0);
    assert!(done["completed_at"].is_string());
    let eid = done["execution_id"].as_str().unwrap();
    let e = h.get(&format!("/exec/executions/{eid}")).await;
    assert_eq!(e.body["status"], "completed");
    assert_eq!(e.body["invocation_id"], id);
    assert!(e.body["agent_id"].as_str().unwrap().starts_with("agt_"));
    let raw = h.get(&format!("/exec/executions/{eid}/raw")).await;
    assert_eq!(raw.status, 200);
    assert!(raw.bytes.starts_with(b"NAME"));
    assert_eq!(e.body["output_bytes"], raw.bytes.len());

    let a = h
        .post("/exec/invocations", invoke_body("flaky_check", json!({})))
        .await;
    let failed = h
        .wait_invocation(a.body["id"].as_str().unwrap(), &["failed"])
        .await;
    assert_eq!(failed["exit_code"], 1);
    assert!(failed["error"].is_string());
}

#[tokio::test]
async fn raw_is_409_while_running_then_timeout() {
    let h = common::start_with(SandboxOptions {
        tick: Duration::from_millis(100),
        ..Default::default()
    })
    .await;
    let a = h
        .post(
            "/exec/invocations",
            invoke_body("slow_probe", json!({"host": "db.internal"})),
        )
        .await;
    let id = a.body["id"].as_str().unwrap();
    let running = h.wait_invocation(id, &["running"]).await;
    let eid = running["execution_id"].as_str().unwrap();
    let raw = h.get(&format!("/exec/executions/{eid}/raw")).await;
    assert_eq!(raw.status, 409);
    assert_eq!(raw.code(), "execution_not_complete");
    let running_list = h.get("/exec/executions?status=running").await;
    assert!(running_list.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["id"] == eid));
    let done = h.wait_invocation(id, &["timeout"]).await;
    assert!(done["error"].as_str().unwrap().contains("timed out"));
    let e = h.get(&format!("/exec/executions/{eid}")).await;
    assert_eq!(e.body["status"], "timeout");
    assert_eq!(
        h.get(&format!("/exec/executions/{eid}/raw")).await.status,
        200
    );
}

#[tokio::test]
async fn destructive_needs_approval() {
    let h = common::start().await;
    let a = h
        .post(
            "/exec/invocations",
            invoke_body("kubectl_drain", json!({"node": "n1"})),
        )
        .await;
    assert_eq!(a.body["status"], "pending_approval");
    assert_eq!(a.body["risk"], "destructive");
    let inv = a.body["id"].as_str().unwrap();
    let appr = a.body["approval_id"].as_str().unwrap();
    assert!(a.body["approval_url"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:"));
    tokio::time::sleep(Duration::from_millis(80)).await;
    let still = h.get(&format!("/exec/invocations/{inv}")).await;
    assert_eq!(still.body["status"], "pending_approval");

    let ok = h
        .post(
            &format!("/exec/approvals/{appr}/approve"),
            json!({"note": "go"}),
        )
        .await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.body["status"], "approved");
    assert_eq!(ok.body["resolved_by"], "sandbox-user");
    assert_eq!(ok.body["note"], "go");
    let again = h
        .post(&format!("/exec/approvals/{appr}/reject"), json!({}))
        .await;
    assert_eq!(again.status, 409);
    assert_eq!(again.code(), "approval_resolved");
    assert!(again.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("approved"));
    let done = h.wait_invocation(inv, &["completed"]).await;
    assert!(done["execution_id"].is_string());
}

#[tokio::test]
async fn reject_and_cancel() {
    let h = common::start().await;
    let a = h
        .post(
            "/exec/invocations",
            invoke_body("db_drop_database", json!({"database": "x"})),
        )
        .await;
    assert_eq!(a.body["risk"], "irreversible");
    let (inv, appr) = (
        a.body["id"].as_str().unwrap(),
        a.body["approval_id"].as_str().unwrap(),
    );
    let r = h
        .post(
            &format!("/exec/approvals/{appr}/reject"),
            json!({"reason": "no"}),
        )
        .await;
    assert_eq!(r.body["status"], "rejected");
    assert_eq!(r.body["reason"], "no");
    assert_eq!(
        h.get(&format!("/exec/invocations/{inv}")).await.body["status"],
        "rejected"
    );
    let c = h
        .post(&format!("/exec/invocations/{inv}/cancel"), json!({}))
        .await;
    assert_eq!(c.status, 409);
    assert_eq!(c.code(), "invocation_terminal");

    // Cancelling a pending invocation rejects its approval.
    let inv = ids::INVOCATION_PENDING;
    let resp = h
        .http
        .post(h.url(&format!("/exec/invocations/{inv}/cancel")))
        .bearer_auth(h.sb.api_key())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["status"], "cancelled");
    let appr = h
        .get(&format!("/exec/approvals/{}", ids::APPROVAL_PENDING))
        .await;
    assert_eq!(appr.body["status"], "rejected");
    let c = h
        .post(&format!("/exec/invocations/{inv}/cancel"), json!({}))
        .await;
    assert_eq!(c.status, 409);
    assert!(c.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("cancelled"));
}

#[tokio::test]
async fn seeded_executions_and_rerun() {
    let h = common::start().await;
    let raw = h
        .get(&format!("/exec/executions/{}/raw", ids::EXECUTION_BINARY))
        .await;
    assert_eq!(raw.status, 200);
    assert_eq!(raw.headers["content-type"], "application/octet-stream");
    assert_eq!(&raw.bytes[..4], &[0x1f, 0x8b, 0x08, 0x00]);
    assert!(std::str::from_utf8(&raw.bytes).is_err(), "binary output");
    // A real gzip stream, so `xeroctl exec raw <id> | gunzip` works.
    let mut report = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(&raw.bytes[..]),
        &mut report,
    )
    .expect("gzip");
    assert!(report.starts_with("support bundle: node-3\n"), "{report}");
    let e = h
        .get(&format!("/exec/executions/{}", ids::EXECUTION_BINARY))
        .await;
    assert_eq!(e.body["output_bytes"], raw.bytes.len());

    let failed = h.get("/exec/executions?status=failed").await;
    assert!(failed.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["status"] == "failed"));
    assert_eq!(
        h.get("/exec/executions?status=bogus").await.param(),
        Some("status")
    );

    let re = h
        .post(
            &format!("/exec/executions/{}/rerun", ids::EXECUTION_SCALE),
            json!({}),
        )
        .await;
    assert_eq!(re.status, 201);
    assert_eq!(re.body["tool"], "kubectl_scale");
    assert_eq!(re.body["workspace_id"], ids::WORKSPACE);
    h.wait_invocation(re.body["id"].as_str().unwrap(), &["completed"])
        .await;
    let re = h
        .post(
            &format!("/exec/executions/{}/rerun", ids::EXECUTION_APPROVED),
            json!({}),
        )
        .await;
    assert_eq!(re.body["status"], "pending_approval");
    let nf = h.post("/exec/executions/nope/rerun", json!({})).await;
    assert_eq!(nf.code(), "execution_not_found");
}

#[tokio::test]
async fn approvals_filters() {
    let h = common::start().await;
    let pending = h.get("/exec/approvals?status=pending").await;
    let data = pending.body["data"].as_array().unwrap();
    assert_eq!(data.len(), 1);
    assert_eq!(data[0]["id"], ids::APPROVAL_PENDING);
    let irr = h.get("/exec/approvals?risk=irreversible").await;
    assert_eq!(irr.body["data"][0]["id"], ids::APPROVAL_REJECTED);
    let ws = h
        .get(&format!(
            "/exec/approvals?workspace_id={}",
            ids::WORKSPACE_2
        ))
        .await;
    assert!(ws.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["workspace_id"] == ids::WORKSPACE_2));
    assert_eq!(
        h.get("/exec/approvals?risk=huge").await.param(),
        Some("risk")
    );
    assert_eq!(
        h.get("/exec/approvals/nope").await.code(),
        "approval_not_found"
    );
}

#[tokio::test]
async fn stream_sends_execution_updates() {
    let h = common::start().await;
    let resp = h
        .http
        .get(h.url("/exec/executions/stream"))
        .bearer_auth(h.sb.api_key())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    let a = h
        .post(
            "/exec/invocations",
            invoke_body("kubectl_logs", json!({"pod": "web-0"})),
        )
        .await;
    let inv = a.body["id"].as_str().unwrap().to_string();
    let mut stream = resp.bytes_stream();
    let mut text = String::new();
    let found = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(chunk) = stream.next().await {
            text.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
            if text.contains("\"status\":\"completed\"") && text.contains(&inv) {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(found, Ok(true), "{text}");
    assert!(text.contains("event: execution.updated\ndata: {"));

    // Shutdown ends open streams instead of hanging on them.
    let t = std::time::Instant::now();
    h.sb.shutdown().await;
    assert!(t.elapsed() < Duration::from_secs(2));
    let rest = tokio::time::timeout(Duration::from_secs(2), async {
        while let Some(Ok(_)) = stream.next().await {}
    })
    .await;
    assert!(rest.is_ok(), "stream still open after shutdown");
}

#[tokio::test]
async fn agent_introspection() {
    let h = common::start().await;
    for what in ["manifest", "environment", "connectivity"] {
        let a = h
            .get(&format!("/exec/agents/{}/{what}", ids::AGENT_ACTIVE))
            .await;
        assert_eq!(a.status, 200);
        assert!(a.body.is_object());
        let nf = h.get(&format!("/exec/agents/agt_none/{what}")).await;
        assert_eq!(nf.code(), "agent_not_found");
    }
    let m = h
        .get(&format!("/exec/agents/{}/manifest", ids::AGENT_ACTIVE))
        .await;
    assert!(m.body["tools"].as_array().unwrap().len() >= 8);
    let c = h
        .get(&format!("/exec/agents/{}/connectivity", ids::AGENT_OFFLINE))
        .await;
    assert_eq!(c.body["router_reachable"], false);
}

#[tokio::test]
async fn cancel_running_execution() {
    let h = common::start_with(SandboxOptions {
        tick: Duration::from_millis(50),
        ..Default::default()
    })
    .await;
    let a = h
        .post(
            "/exec/invocations",
            invoke_body("slow_probe", json!({"host": "x"})),
        )
        .await;
    let id = a.body["id"].as_str().unwrap();
    let running = h.wait_invocation(id, &["running"]).await;
    let eid = running["execution_id"].as_str().unwrap();
    let c = h
        .post(&format!("/exec/invocations/{id}/cancel"), json!({}))
        .await;
    assert_eq!(c.body["status"], "cancelled");
    let e = h.get(&format!("/exec/executions/{eid}")).await;
    assert_eq!(e.body["status"], "cancelled");
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        h.get(&format!("/exec/invocations/{id}")).await.body["status"],
        "cancelled"
    );
}

//! Every list and show command with `-o yaml` and `-o name`: one snapshot
//! per command holding both runs whole. YAML is the router's document (key
//! order kept); `-o name` is one id per line (tools: the name; a document
//! about an agent or a workspace: that agent's or workspace's id).

use insta::assert_snapshot;
use serde_json::{json, Value};
use wiremock::MockServer;

use crate::support::*;

const INV: &str = "5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10";
const EXE: &str = "7d2e4a91-0b3c-4f5a-8e1d-9c4b3a2f1e08";
const APR: &str = "a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60";

/// Answer `GET <path>` with `body` (twice: once per format), run `args`
/// with `-o yaml` then `-o name`, and return both runs for a snapshot.
async fn both_formats(path: &str, body: Value, args: &[&str]) -> String {
    let server = MockServer::start().await;
    expect("GET", path)
        .respond_with(json(200, body))
        .expect(2)
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let mut shown = String::new();
    for format in ["yaml", "name"] {
        let mut argv = args.to_vec();
        argv.extend(["-o", format]);
        let run = h.run(&argv).await;
        shown.push_str(&format!("$ xeroctl {}\n{run}", argv.join(" ")));
    }
    shown
}

fn list(items: Vec<Value>) -> Value {
    page(items, false)
}

fn event(id: &str, kind: &str, details: Value) -> Value {
    json!({"id": id, "object": "agent.event", "agent_id": "agt_1", "event_type": kind,
        "details": details, "created_at": "2026-11-23T06:40:00Z"})
}

fn candidate(id: &str) -> Value {
    json!({"id": id, "object": "agent.candidate", "worker_id": "wrk_77aa", "hostname": "gpu-node-17",
        "region": "us-east", "fingerprint": "SHA256:q1w2e3", "status": "pending", "agent_id": null,
        "created_at": "2026-11-23T05:00:00Z", "resolved_at": null})
}

fn tool(name: &str, risk: &str) -> Value {
    json!({"name": name, "object": "exec.tool", "description": "Read Kubernetes resources",
        "risk": risk, "domain": "kubernetes", "timeout_ms": 30000,
        "parameters": {"type": "object", "required": ["resource"],
            "properties": {"resource": {"type": "string"}, "namespace": {"type": "string"}}}})
}

fn invocation(id: &str, status: &str) -> Value {
    json!({"id": id, "object": "exec.invocation", "tool": "kubectl_get", "workspace_id": "ws_a1b2c3d4",
        "status": status, "risk": "read", "approval_id": null, "approval_url": null,
        "execution_id": EXE, "exit_code": 0, "error": null, "created_at": "2026-11-23T06:00:00Z",
        "updated_at": "2026-11-23T06:00:02Z", "completed_at": "2026-11-23T06:00:02Z"})
}

fn execution(id: &str, status: &str) -> Value {
    json!({"id": id, "object": "exec.execution", "invocation_id": INV, "tool": "kubectl_get",
        "workspace_id": "ws_a1b2c3d4", "agent_id": "agt_1", "status": status, "exit_code": 0,
        "duration_ms": 1840, "output_bytes": 5321, "created_at": "2026-11-23T06:00:00Z",
        "completed_at": "2026-11-23T06:00:02Z"})
}

fn approval(id: &str) -> Value {
    json!({"id": id, "object": "exec.approval", "invocation_id": INV, "tool": "kubectl_drain",
        "workspace_id": "ws_a1b2c3d4", "risk": "destructive", "status": "pending",
        "created_at": "2026-11-23T06:50:00Z", "expires_at": "2026-11-23T07:50:00Z",
        "resolved_at": null, "resolved_by": null, "note": null, "reason": null})
}

fn learning(id: &str, content: &str) -> Value {
    json!({"id": id, "object": "exec.learning", "content": content, "workspace_id": "ws_a1b2c3d4",
        "score": 0.82, "source_type": "operator", "created_at": "2026-11-20T08:00:00Z"})
}

#[tokio::test]
async fn agents_list() {
    let body = list(vec![agent("agt_1", "gpu-1"), agent("agt_2", "gpu-2")]);
    assert_snapshot!(both_formats("/management/agents", body, &["agents"]).await);
}

#[tokio::test]
async fn agents_show() {
    let body = agent("agt_1", "gpu-1");
    assert_snapshot!(both_formats("/management/agents/agt_1", body, &["agents", "agt_1"]).await);
}

#[tokio::test]
async fn agents_events() {
    let body = list(vec![
        event(
            "evt_01",
            "status_changed",
            json!({"from": "active", "to": "offline"}),
        ),
        event("evt_02", "heartbeat_missed", json!("no heartbeat for 90s")),
    ]);
    let args = ["agents", "agt_1", "--events"];
    assert_snapshot!(both_formats("/management/agents/agt_1/events", body, &args).await);
}

#[tokio::test]
async fn join_keys_list() {
    let body = list(vec![join_key("jk_1"), join_key("jk_2")]);
    let args = ["agents", "join-keys"];
    assert_snapshot!(both_formats("/management/join-keys", body, &args).await);
}

#[tokio::test]
async fn join_keys_show() {
    let args = ["agents", "join-keys", "jk_1"];
    assert_snapshot!(both_formats("/management/join-keys/jk_1", join_key("jk_1"), &args).await);
}

#[tokio::test]
async fn candidates_list() {
    let body = list(vec![candidate("cand_3b9e"), candidate("cand_4c0f")]);
    let args = ["agents", "candidates"];
    assert_snapshot!(both_formats("/management/agents/candidates", body, &args).await);
}

#[tokio::test]
async fn candidates_show() {
    let args = ["agents", "candidates", "cand_3b9e"];
    let path = "/management/agents/candidates/cand_3b9e";
    assert_snapshot!(both_formats(path, candidate("cand_3b9e"), &args).await);
}

#[tokio::test]
async fn exec_tools() {
    let body = list(vec![
        tool("kubectl_get", "read"),
        tool("kubectl_drain", "destructive"),
    ]);
    assert_snapshot!(both_formats("/exec/tools", body, &["exec", "tools"]).await);
}

#[tokio::test]
async fn exec_tool_show() {
    let args = ["exec", "tool-show", "kubectl_get"];
    let body = tool("kubectl_get", "read");
    assert_snapshot!(both_formats("/exec/tools/kubectl_get", body, &args).await);
}

#[tokio::test]
async fn exec_invocations_list() {
    let body = list(vec![
        invocation(INV, "completed"),
        invocation("0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0", "running"),
    ]);
    let args = ["exec", "invocations"];
    assert_snapshot!(both_formats("/exec/invocations", body, &args).await);
}

#[tokio::test]
async fn exec_invocations_show() {
    let path = format!("/exec/invocations/{INV}");
    let args = ["exec", "invocations", INV];
    assert_snapshot!(both_formats(&path, invocation(INV, "completed"), &args).await);
}

#[tokio::test]
async fn exec_watch_of_an_ended_invocation() {
    let path = format!("/exec/invocations/{INV}");
    let args = ["exec", "watch", INV];
    assert_snapshot!(both_formats(&path, invocation(INV, "completed"), &args).await);
}

#[tokio::test]
async fn exec_list() {
    let body = list(vec![
        execution(EXE, "completed"),
        execution("9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a", "failed"),
    ]);
    assert_snapshot!(both_formats("/exec/executions", body, &["exec", "list"]).await);
}

#[tokio::test]
async fn exec_show() {
    let path = format!("/exec/executions/{EXE}");
    let args = ["exec", "show", EXE];
    assert_snapshot!(both_formats(&path, execution(EXE, "completed"), &args).await);
}

#[tokio::test]
async fn exec_context() {
    let body = json!({"object": "exec.context", "workspace_id": "ws_a1b2c3d4",
        "content": "Maintenance window: Sun 02:00-04:00 UTC\nAsk #platform before draining.",
        "updated_at": "2026-11-22T09:30:00Z", "updated_by": "platform-team"});
    let args = ["exec", "context", "--workspace", "ws_a1b2c3d4"];
    assert_snapshot!(both_formats("/exec/context", body, &args).await);
}

#[tokio::test]
async fn exec_agent_manifest() {
    let body = json!({"object": "exec.agent.manifest", "agent_id": "agt_1", "xem_version": "0.14.2",
        "tools": ["kubectl_get", "kubectl_drain"], "workspaces": ["ws_a1b2c3d4"],
        "capabilities": {"raw_output": true, "streaming": true}});
    let args = ["exec", "agent", "agt_1", "--manifest"];
    assert_snapshot!(both_formats("/exec/agents/agt_1/manifest", body, &args).await);
}

#[tokio::test]
async fn exec_agent_environment() {
    let body = json!({"object": "exec.agent.environment", "agent_id": "agt_1", "os": "linux",
        "cpu": {"model": "AMD EPYC 9454", "cores": 48}, "gpu": null});
    let args = ["exec", "agent", "agt_1", "--environment"];
    assert_snapshot!(both_formats("/exec/agents/agt_1/environment", body, &args).await);
}

#[tokio::test]
async fn exec_agent_connectivity() {
    let body = json!({"object": "exec.agent.connectivity", "agent_id": "agt_1",
        "router_reachable": true, "latency_ms": 18.4, "tls": {"verified": true}});
    let args = ["exec", "agent", "agt_1", "--connectivity"];
    assert_snapshot!(both_formats("/exec/agents/agt_1/connectivity", body, &args).await);
}

#[tokio::test]
async fn approvals_list() {
    let body = list(vec![
        approval(APR),
        approval("b2d1f3a5-7c9e-4b2d-9f4a-6e8c0d3b5f71"),
    ]);
    let args = ["approvals", "list"];
    assert_snapshot!(both_formats("/exec/approvals", body, &args).await);
}

#[tokio::test]
async fn approvals_show() {
    let path = format!("/exec/approvals/{APR}");
    let args = ["approvals", "show", APR];
    assert_snapshot!(both_formats(&path, approval(APR), &args).await);
}

#[tokio::test]
async fn learnings_list() {
    let body = list(vec![
        learning("lrn_5a7e01", "Drain node-7 only after 22:00 UTC"),
        learning(
            "lrn_5a7e02",
            "dcgm-exporter blocks eviction:\nuse ignore_daemonsets",
        ),
    ]);
    let args = ["learnings", "list"];
    assert_snapshot!(both_formats("/exec/learnings", body, &args).await);
}

#[tokio::test]
async fn learnings_show() {
    let body = learning(
        "lrn_5a7e02",
        "dcgm-exporter blocks eviction:\nuse ignore_daemonsets",
    );
    let args = ["learnings", "show", "lrn_5a7e02"];
    assert_snapshot!(both_formats("/exec/learnings/lrn_5a7e02", body, &args).await);
}

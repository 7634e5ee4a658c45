//! `/exec/agents/{id}/manifest|environment|connectivity`

use axum::extract::Path;
use axum::response::Response;
use serde_json::{json, Value};

use super::{ok_json, AppState};
use crate::error::ApiResult;
use crate::model::Agent;
use crate::state::WORKSPACES;
use crate::util::{self, fmt_ts};

fn with_agent(sh: &AppState, id: &str, f: impl FnOnce(&Agent) -> Value) -> ApiResult<Response> {
    let db = sh.0.db();
    let a = db
        .agents
        .get(id)
        .ok_or_else(|| super::agents::agent_not_found(id))?;
    let tools: Vec<&str> = db.tools.iter().map(|t| t.name).collect();
    let mut v = f(a);
    if v.get("tools").is_some() {
        v["tools"] = json!(tools);
    }
    Ok(ok_json(&v))
}

fn workspaces_of(id: &str) -> Vec<&'static str> {
    WORKSPACES
        .iter()
        .filter(|(_, agents, _)| agents.contains(&id))
        .map(|(w, _, _)| *w)
        .collect()
}

pub async fn manifest(sh: AppState, Path(id): Path<String>) -> ApiResult<Response> {
    with_agent(&sh, &id, |a| {
        json!({
            "object": "exec.agent.manifest",
            "agent_id": a.id,
            "xem_version": "0.14.2",
            "protocol_version": 3,
            "tools": [],
            "workspaces": workspaces_of(&a.id),
            "max_concurrent_executions": a.max_concurrent_requests.max(1),
            "capabilities": {"raw_output": true, "streaming": true, "approvals": true},
            "generated_at": fmt_ts(&util::now()),
        })
    })
}

pub async fn environment(sh: AppState, Path(id): Path<String>) -> ApiResult<Response> {
    with_agent(&sh, &id, |a| {
        let gpu = a.description.as_deref().unwrap_or("").contains('H');
        json!({
            "object": "exec.agent.environment",
            "agent_id": a.id,
            "os": "linux",
            "distribution": "Ubuntu 24.04.1 LTS",
            "arch": "x86_64",
            "kernel": "6.8.0-49-generic",
            "python": "3.12.3",
            "cpu": {"model": "AMD EPYC 9454", "cores": 48},
            "memory": {"total_bytes": 412_316_860_416u64, "available_bytes": 298_765_432_832u64},
            "gpu": if gpu { json!({"model": "NVIDIA H100 80GB HBM3", "count": 8, "driver": "550.127.05"}) } else { Value::Null },
            "region": a.region,
        })
    })
}

pub async fn connectivity(sh: AppState, Path(id): Path<String>) -> ApiResult<Response> {
    with_agent(&sh, &id, |a| {
        let online = matches!(a.status, "active" | "draining");
        json!({
            "object": "exec.agent.connectivity",
            "agent_id": a.id,
            "router_reachable": online,
            "nats_connected": online,
            "last_seen": a.last_heartbeat_at.as_ref().map(fmt_ts),
            "latency_ms": if online { json!(18.4) } else { Value::Null },
            "router_endpoint": "wss://router.sandbox.invalid/xem",
            "tls": {"verified": true, "protocol": "TLSv1.3"},
            "status": a.status,
        })
    })
}

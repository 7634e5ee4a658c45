//! `xeroctl exec`: every request on the wire, the output and each exit code.

mod agent;
mod executions;
mod interactive;
mod invoke;
mod stream;
mod stream_resume;
mod tools;
mod validate;
mod watch;

use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{json, Value};
use wiremock::{Request, Respond, ResponseTemplate};

pub const INV: &str = "5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10";
pub const EXE: &str = "7d2e4a91-0b3c-4f5a-8e1d-9c4b3a2f1e08";
pub const APPROVAL: &str = "a1c0b2d3-0000-4000-8000-000000000001";

/// Answers with each template in turn, then repeats the last one.
pub struct Sequence {
    steps: Vec<ResponseTemplate>,
    next: AtomicUsize,
}

impl Sequence {
    pub fn new(steps: Vec<ResponseTemplate>) -> Sequence {
        assert!(!steps.is_empty());
        Sequence {
            steps,
            next: AtomicUsize::new(0),
        }
    }
}

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let i = self.next.fetch_add(1, Ordering::SeqCst);
        self.steps[i.min(self.steps.len() - 1)].clone()
    }
}

pub fn invocation(status: &str) -> Value {
    let terminal = matches!(
        status,
        "completed" | "failed" | "cancelled" | "rejected" | "timeout"
    );
    let pending = status == "pending_approval";
    json!({
        "id": INV, "object": "exec.invocation", "tool": "kubectl_get", "workspace_id": "ws_a1b2c3d4",
        "status": status, "risk": if pending { "destructive" } else { "read" },
        "approval_id": if pending { json!(APPROVAL) } else { Value::Null },
        "approval_url": if pending { json!(format!("https://console.example/approvals/{APPROVAL}")) } else { Value::Null },
        "execution_id": if terminal && status != "rejected" { json!(EXE) } else { Value::Null },
        "exit_code": match status { "completed" => json!(0), "failed" => json!(1), _ => Value::Null },
        "error": match status {
            "failed" => json!("kubectl exited with code 1"),
            "timeout" => json!("tool timed out after 30000 ms"),
            "rejected" => json!("approval rejected"),
            _ => Value::Null,
        },
        "created_at": "2026-11-23T06:50:00Z", "updated_at": "2026-11-23T06:50:02Z",
        "completed_at": if terminal { json!("2026-11-23T06:50:02Z") } else { Value::Null }
    })
}

pub fn execution(id: &str, status: &str) -> Value {
    json!({
        "id": id, "object": "exec.execution", "invocation_id": INV, "tool": "kubectl_get",
        "workspace_id": "ws_a1b2c3d4", "agent_id": "agt_7Hq2", "status": status,
        "exit_code": if status == "running" { Value::Null } else { json!(0) },
        "duration_ms": 1840, "output_bytes": 5321,
        "created_at": "2026-11-23T06:50:00Z", "completed_at": "2026-11-23T06:50:02Z"
    })
}

pub fn tool(name: &str, risk: &str) -> Value {
    json!({
        "name": name, "object": "exec.tool", "description": "List or get Kubernetes resources",
        "risk": risk, "domain": "kubernetes", "timeout_ms": 30000,
        "parameters": {"type": "object", "properties": {
            "resource": {"type": "string", "description": "Resource kind, e.g. pods"},
            "namespace": {"type": "string", "description": "Namespace to query", "default": "default"},
            "labels": {"type": "object", "description": "Label selector", "properties": {
                "tier": {"type": "string", "description": "tier label", "enum": ["frontend", "backend"]}
            }}
        }, "required": ["resource"]}
    })
}

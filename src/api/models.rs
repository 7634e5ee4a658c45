//! Typed views of the router's objects (docs/spec/api.md). Lenient on purpose:
//! unknown fields are ignored and every optional field may be missing or
//! null; tables show `-` for those.

use serde::Deserialize;
use serde_json::Value;

/// `{"error": {...}}`, the router's error envelope.
#[derive(Debug, Deserialize)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Debug, Deserialize)]
pub struct ErrorBody {
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub param: Option<String>,
    #[serde(default)]
    pub retry_after: Option<f64>,
}

/// One page of a list endpoint.
#[derive(Debug, Deserialize)]
pub struct Page<T> {
    pub data: Vec<T>,
    #[serde(default)]
    pub has_more: bool,
    #[serde(default)]
    pub first_id: Option<String>,
    #[serde(default)]
    pub last_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Agent {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub worker_id: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub max_concurrent_requests: Option<u64>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub supported_tiers: Option<Vec<String>>,
    #[serde(default)]
    pub storage_limit_enabled: Option<bool>,
    #[serde(default)]
    pub storage_limit_bytes: Option<u64>,
    #[serde(default)]
    pub last_heartbeat_at: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    /// Older routers omit these: not paused.
    #[serde(default)]
    pub exec_paused: Option<bool>,
    #[serde(default)]
    pub exec_paused_workspaces: Option<Vec<String>>,
}

impl Agent {
    /// `running`, `paused (all)` or `paused in ws_a, ws_b`.
    pub fn exec_state(&self) -> String {
        if self.exec_paused == Some(true) {
            return "paused (all)".into();
        }
        match self.exec_paused_workspaces.as_deref() {
            Some(ws) if !ws.is_empty() => format!("paused in {}", ws.join(", ")),
            _ => "running".into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct AgentEvent {
    pub id: String,
    /// Not shown in the events table (it lists one agent's events), but a
    /// field `--columns` may pick: the model's fields are the valid columns.
    #[serde(default)]
    #[allow(dead_code)]
    pub agent_id: Option<String>,
    #[serde(default)]
    pub event_type: Option<String>,
    #[serde(default)]
    pub details: Value,
    #[serde(default)]
    pub created_at: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct JoinKey {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub enrollments: Option<u64>,
    #[serde(default)]
    pub max_enrollments: Option<u64>,
    #[serde(default)]
    pub supported_tiers: Option<Vec<String>>,
    #[serde(default)]
    pub storage_limit_bytes: Option<u64>,
    #[serde(default)]
    pub expires_at: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub revoked_at: Option<String>,
    #[serde(default)]
    pub router_addr: Option<String>,
    /// Only on the create response, once.
    #[serde(default)]
    token: Option<String>,
    /// The product's frontend API names the same secret `key`.
    #[serde(default)]
    key: Option<String>,
}

impl JoinKey {
    /// The one-time enrollment secret, whichever name the router gave it.
    pub fn secret(&self) -> Option<&str> {
        self.token.as_deref().or(self.key.as_deref())
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Tool {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub risk: Option<String>,
    #[serde(default)]
    pub domain: Option<String>,
    #[serde(default)]
    pub timeout_ms: Option<u64>,
    #[serde(default)]
    pub parameters: Value,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Invocation {
    pub id: String,
    #[serde(default)]
    pub tool: Option<String>,
    #[serde(default)]
    pub workspace_id: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub risk: Option<String>,
    #[serde(default)]
    pub approval_id: Option<String>,
    #[serde(default)]
    pub approval_url: Option<String>,
    #[serde(default)]
    pub execution_id: Option<String>,
    #[serde(default)]
    pub exit_code: Option<i64>,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub completed_at: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Execution {
    pub id: String,
    #[serde(default)]
    pub invocation_id: Option<String>,
    #[serde(default)]
    pub tool: Option<String>,
    #[serde(default)]
    pub workspace_id: Option<String>,
    #[serde(default)]
    pub agent_id: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub exit_code: Option<i64>,
    #[serde(default)]
    pub duration_ms: Option<u64>,
    #[serde(default)]
    pub output_bytes: Option<u64>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub completed_at: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Approval {
    pub id: String,
    #[serde(default)]
    pub invocation_id: Option<String>,
    #[serde(default)]
    pub tool: Option<String>,
    #[serde(default)]
    pub workspace_id: Option<String>,
    #[serde(default)]
    pub risk: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub expires_at: Option<String>,
    #[serde(default)]
    pub resolved_at: Option<String>,
    #[serde(default)]
    pub resolved_by: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_with_nulls_and_extra_fields_decodes() {
        let a: Agent = serde_json::from_str(
            r#"{"id":"agt_1","object":"agent","name":"w","worker_id":null,"region":null,
                "supported_tiers":null,"future_field":{"x":1}}"#,
        )
        .unwrap();
        assert_eq!(a.id, "agt_1");
        assert!(a.worker_id.is_none() && a.status.is_none());
    }

    #[test]
    fn event_details_may_be_string_object_or_null() {
        for details in [r#""text""#, r#"{"a":1}"#, "null"] {
            let json = format!(r#"{{"id":"evt_1","details":{details}}}"#);
            let e: AgentEvent = serde_json::from_str(&json).unwrap();
            assert_eq!(e.id, "evt_1");
        }
        let e: AgentEvent = serde_json::from_str(r#"{"id":"evt_2"}"#).unwrap();
        assert!(e.details.is_null());
    }
}

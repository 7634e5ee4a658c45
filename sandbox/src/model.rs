//! The objects the router serves, exactly as they go on the wire.

use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;

use crate::table::Keyed;
use crate::util::{ser_opt_ts, ser_ts};

#[derive(Debug, Clone, Serialize)]
pub struct Agent {
    pub id: String,
    pub object: &'static str,
    pub name: String,
    pub worker_id: Option<String>,
    pub status: &'static str,
    pub region: Option<String>,
    pub max_concurrent_requests: u64,
    pub description: Option<String>,
    pub supported_tiers: Option<Vec<String>>,
    pub storage_limit_enabled: Option<bool>,
    pub storage_limit_bytes: Option<u64>,
    #[serde(serialize_with = "ser_opt_ts")]
    pub last_heartbeat_at: Option<OffsetDateTime>,
    /// Tool execution paused on every workspace.
    pub exec_paused: bool,
    /// Workspaces where tool execution is paused (besides `exec_paused`).
    pub exec_paused_workspaces: Vec<String>,
    #[serde(serialize_with = "ser_ts")]
    pub created_at: OffsetDateTime,
    #[serde(serialize_with = "ser_ts")]
    pub updated_at: OffsetDateTime,
}

impl Agent {
    /// Whether tool execution is paused for this agent in workspace `ws`.
    pub fn exec_paused_in(&self, ws: &str) -> bool {
        self.exec_paused || self.exec_paused_workspaces.iter().any(|w| w == ws)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AgentEvent {
    pub id: String,
    pub object: &'static str,
    pub agent_id: String,
    pub event_type: String,
    pub details: Value,
    #[serde(serialize_with = "ser_ts")]
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize)]
pub struct JoinKey {
    pub id: String,
    pub object: &'static str,
    pub name: Option<String>,
    pub status: &'static str,
    pub region: Option<String>,
    pub enrollments: u64,
    pub max_enrollments: u64,
    pub supported_tiers: Option<Vec<String>>,
    pub storage_limit_bytes: Option<u64>,
    #[serde(serialize_with = "ser_ts")]
    pub expires_at: OffsetDateTime,
    #[serde(serialize_with = "ser_ts")]
    pub created_at: OffsetDateTime,
    #[serde(serialize_with = "ser_opt_ts")]
    pub revoked_at: Option<OffsetDateTime>,
    /// `tcp://host:port` workers should dial, when the creator gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub router_addr: Option<String>,
    /// The secret; never serialized except once at creation.
    #[serde(skip)]
    pub token: String,
}

impl JoinKey {
    /// Recomputes `status` from the other fields at time `now`.
    pub fn refresh_status(&mut self, now: OffsetDateTime) {
        self.status = if self.revoked_at.is_some() {
            "revoked"
        } else if now >= self.expires_at {
            "expired"
        } else if self.enrollments >= self.max_enrollments {
            "exhausted"
        } else {
            "active"
        };
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Invocation {
    pub id: String,
    pub object: &'static str,
    pub tool: String,
    pub workspace_id: String,
    pub status: &'static str,
    pub risk: &'static str,
    pub approval_id: Option<String>,
    pub approval_url: Option<String>,
    pub execution_id: Option<String>,
    pub exit_code: Option<i64>,
    pub error: Option<String>,
    #[serde(serialize_with = "ser_ts")]
    pub created_at: OffsetDateTime,
    #[serde(serialize_with = "ser_ts")]
    pub updated_at: OffsetDateTime,
    #[serde(serialize_with = "ser_opt_ts")]
    pub completed_at: Option<OffsetDateTime>,
    #[serde(skip)]
    pub arguments: Value,
    /// Engine ticks spent in the current status.
    #[serde(skip)]
    pub ticks: u32,
}

pub fn is_terminal_invocation(status: &str) -> bool {
    matches!(
        status,
        "completed" | "failed" | "cancelled" | "rejected" | "timeout"
    )
}

#[derive(Debug, Clone, Serialize)]
pub struct Execution {
    pub id: String,
    pub object: &'static str,
    pub invocation_id: String,
    pub tool: String,
    pub workspace_id: String,
    pub agent_id: String,
    pub status: &'static str,
    pub exit_code: Option<i64>,
    pub duration_ms: Option<u64>,
    pub output_bytes: Option<u64>,
    #[serde(serialize_with = "ser_ts")]
    pub created_at: OffsetDateTime,
    #[serde(serialize_with = "ser_opt_ts")]
    pub completed_at: Option<OffsetDateTime>,
    #[serde(skip)]
    pub raw: Bytes,
    #[serde(skip)]
    pub started: Option<std::time::Instant>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Approval {
    pub id: String,
    pub object: &'static str,
    pub invocation_id: String,
    pub tool: String,
    pub workspace_id: String,
    pub risk: &'static str,
    pub status: &'static str,
    #[serde(serialize_with = "ser_ts")]
    pub created_at: OffsetDateTime,
    #[serde(serialize_with = "ser_ts")]
    pub expires_at: OffsetDateTime,
    #[serde(serialize_with = "ser_opt_ts")]
    pub resolved_at: Option<OffsetDateTime>,
    pub resolved_by: Option<String>,
    pub note: Option<String>,
    pub reason: Option<String>,
}

macro_rules! keyed_by_id {
    ($($t:ty),*) => {$(
        impl Keyed for $t {
            fn key(&self) -> &str {
                &self.id
            }
        }
    )*};
}
/// A worker that asked to join and waits for an operator.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub id: String,
    pub object: &'static str,
    pub worker_id: String,
    pub hostname: String,
    pub region: Option<String>,
    pub fingerprint: String,
    pub status: &'static str,
    pub agent_id: Option<String>,
    #[serde(serialize_with = "ser_ts")]
    pub created_at: OffsetDateTime,
    #[serde(serialize_with = "ser_opt_ts")]
    pub resolved_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Learning {
    pub id: String,
    pub object: &'static str,
    pub content: String,
    pub workspace_id: Option<String>,
    pub score: Option<f64>,
    pub source_type: &'static str,
    #[serde(serialize_with = "ser_ts")]
    pub created_at: OffsetDateTime,
}

/// The context document of one workspace (stored once set).
#[derive(Debug, Clone)]
pub struct WorkspaceContext {
    pub content: String,
    pub updated_at: OffsetDateTime,
    pub updated_by: String,
}

keyed_by_id!(Agent, AgentEvent, JoinKey, Invocation, Execution, Approval, Candidate, Learning);

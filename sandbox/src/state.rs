//! Shared server state: the in-memory database and what every handler needs.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;
use tokio::sync::{broadcast, watch};

use crate::model::{
    Agent, AgentEvent, Approval, Candidate, Execution, Invocation, JoinKey, Learning,
    WorkspaceContext,
};
use crate::table::Table;
use crate::tools::Tool;
use crate::util;
use crate::{Faults, JoinKeySecretField};

/// Who approves and rejects in the sandbox.
pub const SANDBOX_USER: &str = "sandbox-user";

/// Every this many engine steps the held run publishes an update.
pub const HELD_UPDATE_TICKS: u64 = 5;

/// Workspaces and the agents that serve them. `ws_offline01` has no online
/// agent: invoking there is a 503 `tool_executor_unavailable`.
pub const WORKSPACES: &[(&str, &[&str], bool)] = &[
    ("ws_a1b2c3d4", &["agt_7Hq2", "agt_3Lm9"], true),
    ("ws_demo0001", &["agt_3Lm9", "agt_7Hq2"], true),
    ("ws_offline01", &["agt_5Rk1"], false),
];

pub fn workspace(id: &str) -> Option<(&'static [&'static str], bool)> {
    WORKSPACES
        .iter()
        .find(|(w, _, _)| *w == id)
        .map(|(_, agents, online)| (*agents, *online))
}

/// The whole in-memory database, behind one mutex (never held across await).
pub struct Db {
    pub rng: fastrand::Rng,
    pub agents: Table<Agent>,
    /// agent name -> agent id (names are unique).
    pub agent_names: HashMap<String, String>,
    /// agent id -> its events (kept after the agent is deleted).
    pub events: HashMap<String, Table<AgentEvent>>,
    pub event_seq: u64,
    pub join_keys: Table<JoinKey>,
    /// token -> join key id.
    pub join_tokens: HashMap<String, String>,
    pub tools: Table<Tool>,
    pub invocations: Table<Invocation>,
    pub executions: Table<Execution>,
    pub approvals: Table<Approval>,
    pub candidates: Table<Candidate>,
    pub learnings: Table<Learning>,
    /// workspace id -> its context document (absent until set).
    pub contexts: HashMap<String, WorkspaceContext>,
    /// Invocations the engine must move on (`queued`, `running`), in order.
    pub active: Vec<String>,
    /// The held run's execution (seed/held.rs): running until cancelled,
    /// with an update published every [`HELD_UPDATE_TICKS`] ticks.
    pub held: Option<String>,
    /// Engine steps so far.
    pub ticks: u64,
    /// Approvals still `pending` (checked for expiry).
    pub pending_approvals: BTreeSet<String>,
    /// Execution changes to publish on the SSE stream.
    pub updates: broadcast::Sender<Arc<str>>,
}

impl Db {
    pub fn new(seed: u64, updates: broadcast::Sender<Arc<str>>) -> Self {
        Db {
            rng: fastrand::Rng::with_seed(seed),
            agents: Table::default(),
            agent_names: HashMap::new(),
            events: HashMap::new(),
            event_seq: 0,
            join_keys: Table::default(),
            join_tokens: HashMap::new(),
            tools: crate::tools::catalogue(),
            invocations: Table::default(),
            executions: Table::default(),
            approvals: Table::default(),
            candidates: Table::default(),
            learnings: Table::default(),
            contexts: HashMap::new(),
            active: Vec::new(),
            held: None,
            ticks: 0,
            pending_approvals: BTreeSet::new(),
            updates,
        }
    }

    /// Records an agent event.
    pub fn add_event(&mut self, agent_id: &str, event_type: &str, details: Value) {
        self.add_event_at(agent_id, event_type, details, util::now());
    }

    pub fn add_event_at(
        &mut self,
        agent_id: &str,
        event_type: &str,
        details: Value,
        at: time::OffsetDateTime,
    ) {
        self.event_seq += 1;
        let ev = AgentEvent {
            id: format!("evt_{:06}", self.event_seq),
            object: "agent.event",
            agent_id: agent_id.to_string(),
            event_type: event_type.to_string(),
            details,
            created_at: at,
        };
        self.events
            .entry(agent_id.to_string())
            .or_default()
            .insert(ev);
    }

    pub fn insert_agent(&mut self, agent: Agent) {
        self.agent_names
            .insert(agent.name.clone(), agent.id.clone());
        self.agents.insert(agent);
    }

    /// A fresh agent id not yet in use.
    pub fn new_agent_id(&mut self) -> String {
        loop {
            let id = util::alnum_id(&mut self.rng, "agt_", 8);
            if !self.agents.contains(&id) {
                return id;
            }
        }
    }

    pub fn uuid(&mut self) -> String {
        util::uuid_v4(&mut self.rng)
    }

    /// Publishes the current state of execution `id` on the stream.
    pub fn publish_execution(&self, id: &str) {
        if let Some(e) = self.executions.get(id) {
            if let Ok(s) = serde_json::to_string(e) {
                let _ = self.updates.send(Arc::from(s));
            }
        }
    }

    pub fn refresh_join_keys(&mut self) {
        let now = util::now();
        let ids: Vec<String> = self.join_keys.iter().map(|k| k.id.clone()).collect();
        for id in ids {
            if let Some(k) = self.join_keys.get_mut(&id) {
                k.refresh_status(now);
            }
        }
    }
}

/// Everything a handler needs.
pub struct Shared {
    pub db: Mutex<Db>,
    pub project: String,
    /// `http://127.0.0.1:<port>/<project>/console`
    pub console_base: String,
    pub full_key: String,
    pub mgmt_key: String,
    pub faults: Faults,
    pub join_key_secret_field: JoinKeySecretField,
    pub tick: Duration,
    pub request_seq: AtomicU64,
    /// Requests that came over HTTP/2.
    pub http2_requests: AtomicU64,
    /// Response body bytes sent (counted by the `bandwidth_kbps` pacer only).
    pub body_bytes_sent: AtomicU64,
    pub updates: broadcast::Sender<Arc<str>>,
    pub shutdown: watch::Receiver<bool>,
    /// With `--soak-events`: the synthetic execution stream and its counters.
    pub soak: Arc<crate::soak::SoakState>,
}

impl Shared {
    pub fn db(&self) -> MutexGuard<'_, Db> {
        // A panic while holding the lock cannot leave the data half-written in
        // a way that matters to a sandbox: keep serving.
        self.db.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Serializes `v` as a JSON response body.
pub fn to_json<T: Serialize + ?Sized>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}

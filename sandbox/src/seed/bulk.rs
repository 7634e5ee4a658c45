//! Generated agents for scale (`--agents N`).

use super::DAY;
use crate::model::Agent;
use crate::state::Db;
use crate::util::ago;

/// Adds `n` generated agents (`scale-worker-000001`, …). Fast: 100,000 in
/// well under a second in release builds.
pub fn scale(db: &mut Db, n: usize) {
    const REGIONS: [&str; 5] = ["us-east", "us-west", "eu-west", "eu-central", "ap-south"];
    const STATUSES: [&str; 10] = [
        "active", "active", "active", "active", "active", "active", "draining", "offline", "error",
        "pending",
    ];
    let created = ago(30 * DAY);
    let heartbeat = ago(15);
    db.agent_names.reserve(n);
    db.agents.reserve(n);
    for i in 1..=n {
        let id = db.new_agent_id();
        let status = STATUSES[i % STATUSES.len()];
        let pending = status == "pending";
        let a = Agent {
            id,
            object: "agent",
            name: format!("scale-worker-{i:06}"),
            worker_id: (!pending).then(|| format!("wrk_{i:06x}")),
            status,
            region: (!pending).then(|| REGIONS[i % REGIONS.len()].to_string()),
            max_concurrent_requests: (i % 4 * 4) as u64,
            description: None,
            supported_tiers: None,
            storage_limit_enabled: (!pending).then_some(false),
            storage_limit_bytes: None,
            last_heartbeat_at: (!pending).then_some(heartbeat),
            exec_paused: false,
            exec_paused_workspaces: Vec::new(),
            created_at: created,
            updated_at: created,
        };
        db.insert_agent(a);
    }
}

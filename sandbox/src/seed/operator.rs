//! Demo data for the operator features: agent candidates, a paused agent,
//! learnings, a workspace context document, and approvals that were
//! escalated or timed out. Fixed ids are in [`crate::ids`].

use serde_json::json;

use super::{PastRun, DAY};
use crate::ids::*;
use crate::model::{Candidate, Learning, WorkspaceContext};
use crate::state::Db;
use crate::util::ago;

/// Past runs whose approval was `escalated` or `timed_out` (merged, in time
/// order, with the other seeded runs).
pub(super) fn runs() -> Vec<PastRun<'static>> {
    vec![
        PastRun {
            inv: INVOCATION_TIMED_OUT,
            exec: None,
            tool: "kubectl_drain",
            ws: WORKSPACE,
            agent: AGENT_ACTIVE,
            args: json!({"node": "node-5"}),
            status: "rejected",
            exit_code: None,
            error: Some("approval timed out"),
            approval: Some((APPROVAL_TIMED_OUT, "timed_out")),
            mins_ago: 240,
        },
        PastRun {
            inv: INVOCATION_ESCALATED,
            exec: None,
            tool: "openstack_server_stop",
            ws: WORKSPACE_2,
            agent: AGENT_ACTIVE_2,
            args: json!({"server": "db-replica-2", "reason": "disk errors"}),
            status: "rejected",
            exit_code: None,
            error: Some("approval escalated to platform-oncall; not run"),
            approval: Some((APPROVAL_ESCALATED, "escalated")),
            mins_ago: 45,
        },
    ]
}

#[allow(clippy::too_many_arguments)]
fn candidate(
    id: &str,
    worker: &str,
    hostname: &str,
    region: Option<&str>,
    fingerprint: &str,
    status: &'static str,
    agent_id: Option<&str>,
    created_secs_ago: i64,
    resolved_secs_ago: Option<i64>,
) -> Candidate {
    Candidate {
        id: id.into(),
        object: "agent.candidate",
        worker_id: worker.into(),
        hostname: hostname.into(),
        region: region.map(Into::into),
        fingerprint: fingerprint.into(),
        status,
        agent_id: agent_id.map(Into::into),
        created_at: ago(created_secs_ago),
        resolved_at: resolved_secs_ago.map(ago),
    }
}

fn seed_candidates(db: &mut Db) {
    let list = [
        candidate(
            CANDIDATE_APPROVED,
            "wrk_c4e8",
            "gpu-node-03",
            Some("us-east"),
            "SHA256:Xq1v8Hk2bN0rTz5mLcP9wYd3sJf6gA4eU7iKoR1nQ2E",
            "approved",
            Some(AGENT_ERROR),
            10 * DAY + 600,
            Some(10 * DAY),
        ),
        candidate(
            CANDIDATE_REJECTED,
            "wrk_0bad",
            "unknown-host-99",
            Some("ap-south"),
            "SHA256:Zk3pQ8vR2tY6uW0xB4nM7cL1sD5fG9hJ2aE8iO3rT6Y",
            "rejected",
            None,
            2 * DAY + 900,
            Some(2 * DAY),
        ),
        candidate(
            CANDIDATE_PENDING,
            "wrk_e1a7",
            "gpu-node-17",
            Some("us-east"),
            "SHA256:q7Vd3kO9xW2mZl1bTfP8sRcYhN4uJ6gE0aKiQvXyB5s",
            "pending",
            None,
            3600,
            None,
        ),
        candidate(
            CANDIDATE_PENDING_2,
            "wrk_5c90",
            "cpu-node-04",
            Some("eu-west"),
            "SHA256:Lm4Rt8Yp2Wq6Ez0Xc3Vb7Nk1Hj5Gf9Ds2Aa6Ss0Dd4F",
            "pending",
            None,
            1200,
            None,
        ),
    ];
    for c in list {
        db.candidates.insert(c);
    }
}

fn seed_learnings(db: &mut Db) {
    let list = [
        (
            LEARNING_TOOL,
            Some(WORKSPACE),
            Some(0.82),
            "tool",
            "kubectl_drain on the GPU nodes needs ignore_daemonsets: the \
             dcgm-exporter DaemonSet blocks eviction otherwise.",
            6 * DAY,
        ),
        (
            LEARNING_CHAT,
            Some(WORKSPACE),
            Some(0.67),
            "chat",
            "The storefront runs in namespace `shop`, not `default`: pass \
             namespace=shop to kubectl_get and kubectl_logs.",
            4 * DAY,
        ),
        (
            LEARNING_OPERATOR,
            Some(WORKSPACE_2),
            None,
            "operator",
            "Never run db_drop_database against the primary cluster outside \
             the Sunday maintenance window.",
            3 * DAY,
        ),
        (
            LEARNING_TOOL_2,
            Some(WORKSPACE_2),
            Some(0.91),
            "tool",
            "flaky_check against api fails while a canary deploy is in \
             progress; retry after five minutes before escalating.",
            DAY,
        ),
        (
            LEARNING_NO_WORKSPACE,
            None,
            Some(0.55),
            "chat",
            "Operators prefer kubectl_scale over editing manifests for \
             temporary capacity changes.",
            3 * 3600,
        ),
    ];
    for (id, ws, score, source, content, secs_ago) in list {
        db.learnings.insert(Learning {
            id: id.into(),
            object: "exec.learning",
            content: content.into(),
            workspace_id: ws.map(Into::into),
            score,
            source_type: source,
            created_at: ago(secs_ago),
        });
    }
}

const CONTEXT: &str = "# ws_a1b2c3d4: storefront production\n\
\n\
- Kubernetes 1.30, three node pools: `cpu` (node-1..4), `gpu` (node-5..8), `infra`.\n\
- The storefront runs in namespace `shop`; batch jobs in `jobs`.\n\
- Drains need approval and a change ticket (CHG-…) in the note.\n\
- Escalate database work to #dba-oncall.\n";

fn seed_context(db: &mut Db) {
    db.contexts.insert(
        WORKSPACE_WITH_CONTEXT.to_string(),
        WorkspaceContext {
            content: CONTEXT.to_string(),
            updated_at: ago(2 * DAY),
            updated_by: "platform-team".to_string(),
        },
    );
}

fn seed_paused_agent(db: &mut Db) {
    let reason = "noisy neighbour on the eu-west GPU pool";
    if let Some(a) = db.agents.get_mut(AGENT_EXEC_PAUSED) {
        a.exec_paused_workspaces
            .push(AGENT_EXEC_PAUSED_WORKSPACE.to_string());
    }
    db.add_event_at(
        AGENT_EXEC_PAUSED,
        "exec_paused",
        json!({"workspace_id": AGENT_EXEC_PAUSED_WORKSPACE, "reason": reason}),
        ago(2 * 3600),
    );
}

/// Seeds candidates, learnings, the context document and the paused agent
/// (after the agents exist).
pub(super) fn seed(db: &mut Db) {
    seed_candidates(db);
    seed_learnings(db);
    seed_context(db);
    seed_paused_agent(db);
}

//! Demo data with fixed ids (documented in the README of the crate), and
//! generated agents for scale.

mod bulk;
mod held;
mod operator;

pub use bulk::scale;

use serde_json::{json, Value};
use time::OffsetDateTime;

use crate::ids;
use crate::model::{Agent, Approval, Execution, Invocation, JoinKey};
use crate::state::{Db, SANDBOX_USER};
use crate::util::ago;

const DAY: i64 = 86_400;
const GB: u64 = 1_000_000_000;

#[allow(clippy::too_many_arguments)]
fn agent(
    id: &str,
    name: &str,
    worker: Option<&str>,
    status: &'static str,
    region: Option<&str>,
    max: u64,
    description: Option<&str>,
    tiers: Option<&[&str]>,
    storage_gb: Option<u64>,
    heartbeat_secs_ago: Option<i64>,
    created_days_ago: i64,
) -> Agent {
    Agent {
        id: id.into(),
        object: "agent",
        name: name.into(),
        worker_id: worker.map(Into::into),
        status,
        region: region.map(Into::into),
        max_concurrent_requests: max,
        description: description.map(Into::into),
        supported_tiers: tiers.map(|t| t.iter().map(|s| s.to_string()).collect()),
        storage_limit_enabled: worker.map(|_| storage_gb.is_some()),
        storage_limit_bytes: storage_gb.map(|g| g * GB),
        last_heartbeat_at: heartbeat_secs_ago.map(ago),
        exec_paused: false,
        exec_paused_workspaces: Vec::new(),
        created_at: ago(created_days_ago * DAY),
        updated_at: ago(created_days_ago * DAY / 2),
    }
}

fn seed_agents(db: &mut Db) {
    use ids::*;
    let agents = [
        agent(
            AGENT_ACTIVE,
            "gpu-worker-1",
            Some("wrk_9f3a"),
            "active",
            Some("us-east"),
            8,
            Some("H100 worker"),
            Some(&["priority", "default"]),
            Some(500),
            Some(12),
            22,
        ),
        agent(
            AGENT_ACTIVE_2,
            "gpu-worker-2",
            Some("wrk_2b7c"),
            "active",
            Some("eu-west"),
            4,
            Some("A100 worker"),
            Some(&["default"]),
            None,
            Some(5),
            20,
        ),
        agent(
            AGENT_DRAINING,
            "cpu-batch-1",
            Some("wrk_5d1e"),
            "draining",
            Some("us-west"),
            0,
            Some("Batch CPU node, being rotated out"),
            Some(&["batch"]),
            Some(200),
            Some(41),
            18,
        ),
        agent(
            AGENT_OFFLINE,
            "edge-worker-ap",
            Some("wrk_7a2f"),
            "offline",
            Some("ap-south"),
            2,
            None,
            None,
            None,
            Some(3 * DAY),
            15,
        ),
        agent(
            AGENT_ERROR,
            "gpu-worker-3",
            Some("wrk_c4e8"),
            "error",
            Some("us-east"),
            8,
            Some("Spare H100 node"),
            Some(&["priority"]),
            Some(1000),
            Some(7200),
            10,
        ),
        agent(
            AGENT_PENDING,
            "new-worker",
            None,
            "pending",
            None,
            0,
            None,
            None,
            None,
            None,
            1,
        ),
    ];
    for a in agents {
        let (id, created, worker) = (a.id.clone(), a.created_at, a.worker_id.clone());
        let status = a.status;
        db.insert_agent(a);
        db.add_event_at(&id, "created", Value::Null, created);
        let Some(worker) = worker else { continue };
        let t = |mins: i64| created + time::Duration::minutes(mins);
        db.add_event_at(
            &id,
            "enrolled",
            json!({"join_key_id": ids::JOIN_KEY_ACTIVE, "worker_id": worker}),
            t(5),
        );
        db.add_event_at(
            &id,
            "status_changed",
            json!({"from": "pending", "to": "active"}),
            t(6),
        );
        db.add_event_at(
            &id,
            "model_assigned",
            json!("llama-3.1-70b-instruct"),
            t(30),
        );
        match status {
            "draining" => db.add_event_at(
                &id,
                "status_changed",
                json!({"from": "active", "to": "draining", "reason": "rotation"}),
                t(3000),
            ),
            "offline" => {
                db.add_event_at(
                    &id,
                    "heartbeat_missed",
                    json!({"missed": 3, "last_seen": crate::util::fmt_ts(&ago(3 * DAY))}),
                    t(4000),
                );
                db.add_event_at(
                    &id,
                    "status_changed",
                    json!({"from": "active", "to": "offline"}),
                    t(4001),
                );
            }
            "error" => {
                db.add_event_at(
                    &id,
                    "error",
                    json!("CUDA error: device-side assert triggered (GPU 3)"),
                    t(5000),
                );
                db.add_event_at(
                    &id,
                    "status_changed",
                    json!({"from": "active", "to": "error"}),
                    t(5001),
                );
            }
            _ => db.add_event_at(
                &id,
                "heartbeat_missed",
                json!({"missed": 1, "last_seen": crate::util::fmt_ts(&ago(DAY))}),
                t(6000),
            ),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn join_key(
    id: &str,
    name: Option<&str>,
    region: Option<&str>,
    enrollments: u64,
    max: u64,
    expires_hours: i64,
    revoked_days_ago: Option<i64>,
    token: &str,
) -> JoinKey {
    let now = crate::util::now();
    let mut k = JoinKey {
        id: id.into(),
        object: "join_key",
        name: name.map(Into::into),
        status: "active",
        region: region.map(Into::into),
        enrollments,
        max_enrollments: max,
        supported_tiers: region.map(|_| vec!["default".to_string()]),
        storage_limit_bytes: None,
        expires_at: now + time::Duration::hours(expires_hours),
        created_at: ago(3 * DAY),
        revoked_at: revoked_days_ago.map(|d| ago(d * DAY)),
        router_addr: None,
        token: token.into(),
    };
    k.refresh_status(now);
    k
}

fn seed_join_keys(db: &mut Db) {
    use ids::*;
    let keys = [
        join_key(
            JOIN_KEY_ACTIVE,
            Some("us-east fleet"),
            Some("us-east"),
            2,
            10,
            20,
            None,
            JOIN_KEY_ACTIVE_TOKEN,
        ),
        join_key(
            JOIN_KEY_EXHAUSTED,
            Some("eu-west one-off"),
            Some("eu-west"),
            1,
            1,
            30,
            None,
            JOIN_KEY_EXHAUSTED_TOKEN,
        ),
        join_key(
            JOIN_KEY_EXPIRED,
            Some("old ap-south key"),
            Some("ap-south"),
            0,
            5,
            -48,
            None,
            JOIN_KEY_EXPIRED_TOKEN,
        ),
        join_key(
            JOIN_KEY_REVOKED,
            Some("leaked key"),
            Some("us-west"),
            1,
            3,
            40,
            Some(1),
            JOIN_KEY_REVOKED_TOKEN,
        ),
        join_key(
            JOIN_KEY_SINGLE_USE,
            None,
            None,
            0,
            1,
            24,
            None,
            JOIN_KEY_SINGLE_USE_TOKEN,
        ),
    ];
    for k in keys {
        db.join_tokens.insert(k.token.clone(), k.id.clone());
        db.join_keys.insert(k);
    }
}

struct PastRun<'a> {
    inv: &'a str,
    exec: Option<&'a str>,
    tool: &'a str,
    ws: &'a str,
    agent: &'a str,
    args: Value,
    status: &'static str,
    exit_code: Option<i64>,
    error: Option<&'a str>,
    approval: Option<(&'a str, &'static str)>,
    mins_ago: i64,
}

fn seed_run(db: &mut Db, console_base: &str, r: PastRun) {
    let at: OffsetDateTime = ago(r.mins_ago * 60);
    let done = at + time::Duration::seconds(3);
    let risk = db.tools.get(r.tool).map_or("read", |t| t.risk);
    let terminal = r.status != "pending_approval";
    db.invocations.insert(Invocation {
        id: r.inv.into(),
        object: "exec.invocation",
        tool: r.tool.into(),
        workspace_id: r.ws.into(),
        status: r.status,
        risk,
        approval_id: r.approval.map(|(a, _)| a.to_string()),
        approval_url: r
            .approval
            .map(|(a, _)| format!("{console_base}/approvals/{a}")),
        execution_id: r.exec.map(Into::into),
        exit_code: r.exit_code,
        error: r.error.map(Into::into),
        created_at: at,
        updated_at: if terminal { done } else { at },
        completed_at: terminal.then_some(done),
        arguments: r.args.clone(),
        ticks: 0,
    });
    if let Some((aid, astatus)) = r.approval {
        let resolved = astatus != "pending";
        db.approvals.insert(Approval {
            id: aid.into(),
            object: "exec.approval",
            invocation_id: r.inv.into(),
            tool: r.tool.into(),
            workspace_id: r.ws.into(),
            risk,
            status: astatus,
            created_at: at,
            expires_at: if resolved { at } else { crate::util::now() } + time::Duration::hours(1),
            resolved_at: resolved.then_some(at + time::Duration::seconds(2)),
            // A timeout is nobody's decision.
            resolved_by: (resolved && astatus != "timed_out").then(|| SANDBOX_USER.to_string()),
            note: (astatus == "approved").then(|| "maintenance window CHG-1042".to_string()),
            reason: match astatus {
                "rejected" => Some("wrong cluster".to_string()),
                "escalated" => Some("needs a second approver: escalated to platform-oncall".into()),
                _ => None,
            },
        });
        if !resolved {
            db.pending_approvals.insert(aid.into());
        }
    }
    if let Some(eid) = r.exec {
        let raw = crate::tools::output(r.tool, &r.args, r.mins_ago as u64);
        db.executions.insert(Execution {
            id: eid.into(),
            object: "exec.execution",
            invocation_id: r.inv.into(),
            tool: r.tool.into(),
            workspace_id: r.ws.into(),
            agent_id: r.agent.into(),
            status: r.status,
            exit_code: r.exit_code,
            duration_ms: Some(1840 + r.mins_ago as u64 % 700),
            output_bytes: Some(raw.len() as u64),
            created_at: at + time::Duration::seconds(1),
            completed_at: Some(done),
            raw,
            started: None,
        });
    }
}

fn seed_exec(db: &mut Db, console_base: &str) {
    use ids::*;
    let mut runs = vec![
        PastRun {
            inv: INVOCATION_COMPLETED,
            exec: Some(EXECUTION_COMPLETED),
            tool: "kubectl_get",
            ws: WORKSPACE,
            agent: AGENT_ACTIVE,
            args: json!({"resource": "pods", "namespace": "default"}),
            status: "completed",
            exit_code: Some(0),
            error: None,
            approval: None,
            mins_ago: 180,
        },
        PastRun {
            inv: INVOCATION_BINARY,
            exec: Some(EXECUTION_BINARY),
            tool: "support_bundle",
            ws: WORKSPACE,
            agent: AGENT_ACTIVE,
            args: json!({"node": "node-3"}),
            status: "completed",
            exit_code: Some(0),
            error: None,
            approval: None,
            mins_ago: 150,
        },
        PastRun {
            inv: INVOCATION_FAILED,
            exec: Some(EXECUTION_FAILED),
            tool: "flaky_check",
            ws: WORKSPACE_2,
            agent: AGENT_ACTIVE_2,
            args: json!({"target": "api"}),
            status: "failed",
            exit_code: Some(1),
            error: Some("flaky_check exited with code 1: health check failed"),
            approval: None,
            mins_ago: 120,
        },
        PastRun {
            inv: INVOCATION_SCALE,
            exec: Some(EXECUTION_SCALE),
            tool: "kubectl_scale",
            ws: WORKSPACE,
            agent: AGENT_ACTIVE_2,
            args: json!({"resource": "deployment/web", "replicas": 3}),
            status: "completed",
            exit_code: Some(0),
            error: None,
            approval: None,
            mins_ago: 90,
        },
        PastRun {
            inv: INVOCATION_APPROVED,
            exec: Some(EXECUTION_APPROVED),
            tool: "kubectl_drain",
            ws: WORKSPACE,
            agent: AGENT_ACTIVE,
            args: json!({"node": "node-2", "grace_period_seconds": 60}),
            status: "completed",
            exit_code: Some(0),
            error: None,
            approval: Some((APPROVAL_APPROVED, "approved")),
            mins_ago: 60,
        },
        PastRun {
            inv: INVOCATION_REJECTED,
            exec: None,
            tool: "db_drop_database",
            ws: WORKSPACE_2,
            agent: AGENT_ACTIVE_2,
            args: json!({"database": "orders"}),
            status: "rejected",
            exit_code: None,
            error: Some("approval rejected: wrong cluster"),
            approval: Some((APPROVAL_REJECTED, "rejected")),
            mins_ago: 30,
        },
        PastRun {
            inv: INVOCATION_PENDING,
            exec: None,
            tool: "kubectl_drain",
            ws: WORKSPACE,
            agent: AGENT_ACTIVE,
            args: json!({"node": "node-7"}),
            status: "pending_approval",
            exit_code: None,
            error: None,
            approval: Some((APPROVAL_PENDING, "pending")),
            mins_ago: 5,
        },
    ];
    // Oldest first, so that lists in insertion order are in time order.
    runs.extend(operator::runs());
    runs.sort_by_key(|r| std::cmp::Reverse(r.mins_ago));
    for r in runs {
        seed_run(db, console_base, r);
    }
}

/// Seeds the demo data.
pub fn demo(db: &mut Db, console_base: &str) {
    seed_agents(db);
    seed_join_keys(db);
    seed_exec(db, console_base);
    held::seed(db);
    operator::seed(db);
}

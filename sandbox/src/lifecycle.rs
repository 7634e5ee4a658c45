//! Invocation, execution and approval state machines, and the engine that
//! moves them on every tick.

use std::sync::Arc;
use std::time::Instant;

use serde_json::Value;
use time::OffsetDateTime;

use crate::error::{ApiError, ApiResult};
use crate::model::{is_terminal_invocation, Approval, Execution, Invocation};
use crate::state::{workspace, Db, Shared, HELD_UPDATE_TICKS, SANDBOX_USER};
use crate::tools::Outcome;
use crate::util;

/// How long an approval stays pending before it expires.
pub const APPROVAL_TTL_SECS: i64 = 3600;

/// Creates an invocation of a known `tool` (arguments already validated):
/// `queued`, or `pending_approval` with a new approval for destructive and
/// irreversible tools. Returns its id.
pub fn create_invocation(
    db: &mut Db,
    console_base: &str,
    tool: &str,
    workspace_id: &str,
    arguments: Value,
    at: OffsetDateTime,
) -> String {
    let (risk, needs_approval) = match db.tools.get(tool) {
        Some(t) => (t.risk, t.needs_approval()),
        None => ("read", false),
    };
    let id = db.uuid();
    let mut inv = Invocation {
        id: id.clone(),
        object: "exec.invocation",
        tool: tool.to_string(),
        workspace_id: workspace_id.to_string(),
        status: "queued",
        risk,
        approval_id: None,
        approval_url: None,
        execution_id: None,
        exit_code: None,
        error: None,
        created_at: at,
        updated_at: at,
        completed_at: None,
        arguments,
        ticks: 0,
    };
    if needs_approval {
        let approval_id = db.uuid();
        inv.status = "pending_approval";
        inv.approval_url = Some(format!("{console_base}/approvals/{approval_id}"));
        inv.approval_id = Some(approval_id.clone());
        db.approvals.insert(Approval {
            id: approval_id.clone(),
            object: "exec.approval",
            invocation_id: id.clone(),
            tool: tool.to_string(),
            workspace_id: workspace_id.to_string(),
            risk,
            status: "pending",
            created_at: at,
            expires_at: at + time::Duration::seconds(APPROVAL_TTL_SECS),
            resolved_at: None,
            resolved_by: None,
            note: None,
            reason: None,
        });
        db.pending_approvals.insert(approval_id);
    } else {
        db.active.push(id.clone());
    }
    db.invocations.insert(inv);
    id
}

/// queued → running: an agent of the workspace picks it up.
fn start_run(db: &mut Db, inv_id: &str) {
    let now = util::now();
    let Some(inv) = db.invocations.get(inv_id) else {
        return;
    };
    let (tool, ws) = (inv.tool.clone(), inv.workspace_id.clone());
    let agent_id = pick_agent(db, &ws);
    let exec_id = db.uuid();
    db.executions.insert(Execution {
        id: exec_id.clone(),
        object: "exec.execution",
        invocation_id: inv_id.to_string(),
        tool,
        workspace_id: ws,
        agent_id,
        status: "running",
        exit_code: None,
        duration_ms: None,
        output_bytes: None,
        created_at: now,
        completed_at: None,
        raw: bytes::Bytes::new(),
        started: Some(Instant::now()),
    });
    if let Some(inv) = db.invocations.get_mut(inv_id) {
        inv.status = "running";
        inv.execution_id = Some(exec_id.clone());
        inv.updated_at = now;
        inv.ticks = 0;
    }
    db.publish_execution(&exec_id);
}

fn pick_agent(db: &Db, ws: &str) -> String {
    let candidates = workspace(ws).map(|(a, _)| a).unwrap_or(&[]);
    candidates
        .iter()
        .find(|id| {
            db.agents
                .get(id)
                .is_some_and(|a| a.status == "active" && !a.exec_paused_in(ws))
        })
        .or_else(|| {
            candidates
                .iter()
                .find(|id| db.agents.get(id).is_some_and(|a| a.status == "active"))
        })
        .or_else(|| candidates.first())
        .map(|s| s.to_string())
        .or_else(|| {
            db.agents
                .iter()
                .find(|a| a.status == "active")
                .map(|a| a.id.clone())
        })
        .unwrap_or_else(|| "agt_7Hq2".to_string())
}

/// running → completed / failed / timeout, as the tool dictates.
fn finish_run(db: &mut Db, inv_id: &str) {
    let now = util::now();
    let Some(inv) = db.invocations.get(inv_id) else {
        return;
    };
    let Some(tool) = db.tools.get(&inv.tool) else {
        return;
    };
    let (outcome, timeout_ms, tool_name) = (tool.outcome, tool.timeout_ms, tool.name);
    let exec_id = inv.execution_id.clone().unwrap_or_default();
    let seed = db.rng.u64(..);
    let raw = crate::tools::output(tool_name, &inv.arguments, seed);
    let (status, exit_code, error) = match outcome {
        Outcome::Completed => ("completed", Some(0), None),
        Outcome::Failed => (
            "failed",
            Some(1),
            Some(format!(
                "{tool_name} exited with code 1: health check failed"
            )),
        ),
        Outcome::Timeout => (
            "timeout",
            None,
            Some(format!("{tool_name} timed out after {timeout_ms} ms")),
        ),
    };
    if let Some(e) = db.executions.get_mut(&exec_id) {
        e.status = status;
        e.exit_code = exit_code;
        e.duration_ms = Some(match outcome {
            Outcome::Timeout => timeout_ms,
            _ => e
                .started
                .map_or(1, |s| s.elapsed().as_millis().max(1) as u64),
        });
        e.output_bytes = Some(raw.len() as u64);
        e.raw = raw;
        e.completed_at = Some(now);
    }
    if let Some(inv) = db.invocations.get_mut(inv_id) {
        inv.status = status;
        inv.exit_code = exit_code;
        inv.error = error;
        inv.updated_at = now;
        inv.completed_at = Some(now);
    }
    db.publish_execution(&exec_id);
}

/// One engine step: move every active invocation on, expire old approvals.
pub fn step(db: &mut Db) {
    db.ticks += 1;
    publish_held(db);
    let active = std::mem::take(&mut db.active);
    let mut still = Vec::with_capacity(active.len());
    for id in active {
        let Some(inv) = db.invocations.get_mut(&id) else {
            continue;
        };
        inv.ticks += 1;
        let (ticks, status) = (inv.ticks, inv.status);
        match status {
            "queued" => {
                start_run(db, &id);
                still.push(id);
            }
            "running" => {
                let run_ticks = db
                    .invocations
                    .get(&id)
                    .and_then(|i| db.tools.get(&i.tool))
                    .map_or(1, |t| t.run_ticks);
                if ticks >= run_ticks {
                    finish_run(db, &id);
                } else {
                    still.push(id);
                }
            }
            _ => {}
        }
    }
    // Invocations that joined during this step (none today) are kept too.
    still.append(&mut db.active);
    db.active = still;

    let now = util::now();
    let expired: Vec<String> = db
        .pending_approvals
        .iter()
        .filter(|id| db.approvals.get(id).is_some_and(|a| a.expires_at <= now))
        .cloned()
        .collect();
    for id in expired {
        db.pending_approvals.remove(&id);
        let mut inv_id = None;
        if let Some(a) = db.approvals.get_mut(&id) {
            a.status = "expired";
            a.resolved_at = Some(now);
            inv_id = Some(a.invocation_id.clone());
        }
        if let Some(inv) = inv_id.and_then(|i| db.invocations.get_mut(&i)) {
            inv.status = "rejected";
            inv.error = Some("approval expired".into());
            inv.updated_at = now;
            inv.completed_at = Some(now);
        }
    }
}

/// The held run, while it runs, publishes its running time every
/// [`HELD_UPDATE_TICKS`] steps (a log follow that is still going).
fn publish_held(db: &mut Db) {
    if !db.ticks.is_multiple_of(HELD_UPDATE_TICKS) {
        return;
    }
    let Some(id) = db.held.clone() else {
        return;
    };
    match db.executions.get_mut(&id) {
        Some(e) if e.status == "running" => {
            e.duration_ms = e.started.map(|s| s.elapsed().as_millis() as u64);
        }
        _ => {
            db.held = None;
            return;
        }
    }
    db.publish_execution(&id);
}

/// Runs [`step`] every `tick` until shutdown.
pub async fn run(shared: Arc<Shared>) {
    let mut shutdown = shared.shutdown.clone();
    let mut iv = tokio::time::interval(shared.tick);
    iv.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    iv.tick().await;
    loop {
        tokio::select! {
            _ = iv.tick() => step(&mut shared.db()),
            _ = shutdown.changed() => break,
        }
    }
}

fn invocation_not_found(id: &str) -> ApiError {
    ApiError::not_found("invocation_not_found", format!("Invocation {id} not found"))
}

/// Cancels a non-terminal invocation.
pub fn cancel(db: &mut Db, id: &str) -> ApiResult<()> {
    let now = util::now();
    let inv = db
        .invocations
        .get_mut(id)
        .ok_or_else(|| invocation_not_found(id))?;
    if is_terminal_invocation(inv.status) {
        return Err(ApiError::conflict(
            "invocation_terminal",
            format!("Invocation {id} is already {}", inv.status),
        ));
    }
    inv.status = "cancelled";
    inv.error = Some("cancelled by user".into());
    inv.updated_at = now;
    inv.completed_at = Some(now);
    let approval_id = inv.approval_id.clone();
    let exec_id = inv.execution_id.clone();
    db.active.retain(|a| a != id);
    if let Some(aid) = approval_id {
        if db.pending_approvals.remove(&aid) {
            if let Some(a) = db.approvals.get_mut(&aid) {
                a.status = "rejected";
                a.resolved_at = Some(now);
                a.resolved_by = Some(SANDBOX_USER.into());
                a.reason = Some("invocation cancelled".into());
            }
        }
    }
    if let Some(eid) = exec_id {
        let mut changed = false;
        if let Some(e) = db.executions.get_mut(&eid) {
            if e.status == "running" {
                e.status = "cancelled";
                e.duration_ms = Some(e.started.map_or(1, |s| s.elapsed().as_millis() as u64));
                e.raw = bytes::Bytes::from_static(b"cancelled before completion\n");
                e.output_bytes = Some(e.raw.len() as u64);
                e.completed_at = Some(now);
                changed = true;
            }
        }
        if changed {
            db.publish_execution(&eid);
        }
    }
    Ok(())
}

fn pending_approval<'a>(db: &'a mut Db, id: &str) -> ApiResult<&'a mut Approval> {
    let a = db.approvals.get_mut(id).ok_or_else(|| {
        ApiError::not_found("approval_not_found", format!("Approval {id} not found"))
    })?;
    if a.status != "pending" {
        return Err(ApiError::conflict(
            "approval_resolved",
            format!("Approval {id} is already {}", a.status),
        ));
    }
    Ok(a)
}

/// Approves: the invocation goes back to `queued` and proceeds.
pub fn approve(db: &mut Db, id: &str, note: Option<String>) -> ApiResult<()> {
    let now = util::now();
    let a = pending_approval(db, id)?;
    a.status = "approved";
    a.resolved_at = Some(now);
    a.resolved_by = Some(SANDBOX_USER.into());
    a.note = note;
    let inv_id = a.invocation_id.clone();
    db.pending_approvals.remove(id);
    if let Some(inv) = db.invocations.get_mut(&inv_id) {
        if inv.status == "pending_approval" {
            inv.status = "queued";
            inv.ticks = 0;
            inv.updated_at = now;
            db.active.push(inv_id);
        }
    }
    Ok(())
}

/// Rejects: the invocation ends `rejected`.
pub fn reject(db: &mut Db, id: &str, reason: Option<String>) -> ApiResult<()> {
    let now = util::now();
    let a = pending_approval(db, id)?;
    a.status = "rejected";
    a.resolved_at = Some(now);
    a.resolved_by = Some(SANDBOX_USER.into());
    a.reason = reason.clone();
    let inv_id = a.invocation_id.clone();
    db.pending_approvals.remove(id);
    if let Some(inv) = db.invocations.get_mut(&inv_id) {
        if inv.status == "pending_approval" {
            inv.status = "rejected";
            inv.error = Some(match reason {
                Some(r) => format!("approval rejected: {r}"),
                None => "approval rejected".into(),
            });
            inv.updated_at = now;
            inv.completed_at = Some(now);
        }
    }
    Ok(())
}

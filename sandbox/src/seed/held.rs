//! The held run: a `kubectl_logs` follow in `ws_a1b2c3d4` that is `running`
//! when the sandbox starts and stays so until it is cancelled, so that
//! `exec cancel`, `exec invocations --status running` and `exec stream` have
//! something live to act on in a fresh sandbox. The engine never finishes it
//! (it is not in `Db::active`); every few ticks it publishes an update with
//! its running time (see `lifecycle::step`).

use std::time::{Duration, Instant};

use serde_json::json;

use crate::ids::*;
use crate::model::{Execution, Invocation};
use crate::state::Db;
use crate::util::ago;

/// How long before the sandbox started the held run began.
const STARTED_SECS_AGO: i64 = 120;

pub(super) fn seed(db: &mut Db) {
    let at = ago(STARTED_SECS_AGO);
    db.invocations.insert(Invocation {
        id: INVOCATION_RUNNING.into(),
        object: "exec.invocation",
        tool: "kubectl_logs".into(),
        workspace_id: WORKSPACE.into(),
        status: "running",
        risk: "read",
        approval_id: None,
        approval_url: None,
        execution_id: Some(EXECUTION_RUNNING.into()),
        exit_code: None,
        error: None,
        created_at: at,
        updated_at: at + time::Duration::seconds(1),
        completed_at: None,
        arguments: json!({"pod": "web-0", "namespace": "shop", "tail_lines": 100}),
        ticks: 0,
    });
    db.executions.insert(Execution {
        id: EXECUTION_RUNNING.into(),
        object: "exec.execution",
        invocation_id: INVOCATION_RUNNING.into(),
        tool: "kubectl_logs".into(),
        workspace_id: WORKSPACE.into(),
        agent_id: AGENT_ACTIVE.into(),
        status: "running",
        exit_code: None,
        duration_ms: None,
        output_bytes: None,
        created_at: at + time::Duration::seconds(1),
        completed_at: None,
        raw: bytes::Bytes::new(),
        started: Instant::now().checked_sub(Duration::from_secs(STARTED_SECS_AGO as u64)),
    });
    db.held = Some(EXECUTION_RUNNING.into());
}

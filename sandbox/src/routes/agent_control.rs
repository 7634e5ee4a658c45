//! `/management/agents/{id}/pause-exec|resume-exec|revoke-credentials|curve-rotate`
//!
//! The paths and bodies are our reading of the product's operator docs (see
//! api.md); each write records an agent event.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Map, Value};

use super::agents::agent_not_found;
use super::{body_object, json_bytes, known_workspace, only_fields, opt_string, AppState};
use crate::error::{ApiError, ApiResult};
use crate::model::Agent;
use crate::state::{to_json, Db};
use crate::util;

/// Runs `change` on agent `id`, stamps `updated_at`, records the event it
/// returns and answers 200 with the agent.
fn change_agent(
    db: &mut Db,
    id: &str,
    change: impl FnOnce(&mut Agent) -> ApiResult<(&'static str, Value)>,
) -> ApiResult<Response> {
    let a = db.agents.get_mut(id).ok_or_else(|| agent_not_found(id))?;
    let (event, details) = change(a)?;
    a.updated_at = util::now();
    let body = to_json(&*a);
    db.add_event(id, event, details);
    Ok(json_bytes(StatusCode::OK, body))
}

/// The optional `workspace_id` of a body; it must name a known workspace.
fn opt_workspace(m: &Map<String, Value>) -> ApiResult<Option<String>> {
    match opt_string(m, "workspace_id")? {
        Some(ws) if ws.is_empty() => Ok(None),
        Some(ws) => known_workspace(&ws).map(|_| Some(ws)),
        None => Ok(None),
    }
}

/// `POST …/pause-exec` `{"workspace_id"?, "reason"?}`: without a workspace
/// the agent stops executing tools everywhere (`exec_paused`); with one, only
/// there (`exec_paused_workspaces`). 409 `agent_exec_paused` if it already is.
pub async fn pause(
    State(sh): AppState,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    let m = body_object(&body, true)?;
    only_fields(&m, &["workspace_id", "reason"])?;
    let ws = opt_workspace(&m)?;
    let reason = opt_string(&m, "reason")?;
    let mut db = sh.db();
    change_agent(&mut db, &id, |a| {
        let already = match &ws {
            None => a.exec_paused,
            Some(w) => a.exec_paused_in(w),
        };
        if already {
            let where_ = ws.as_deref().map_or(String::new(), |w| format!(" in {w}"));
            return Err(ApiError::conflict(
                "agent_exec_paused",
                format!("Tool execution of agent {id} is already paused{where_}"),
            ));
        }
        match &ws {
            None => a.exec_paused = true,
            Some(w) => a.exec_paused_workspaces.push(w.clone()),
        }
        Ok(("exec_paused", json!({"workspace_id": ws, "reason": reason})))
    })
}

/// `POST …/resume-exec` `{"workspace_id"?}`: with a workspace, resumes there;
/// without one, resumes everywhere (the global pause and every workspace).
/// 409 `agent_exec_not_paused` when there is nothing to resume.
pub async fn resume(
    State(sh): AppState,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    let m = body_object(&body, true)?;
    only_fields(&m, &["workspace_id"])?;
    let ws = opt_workspace(&m)?;
    let mut db = sh.db();
    change_agent(&mut db, &id, |a| {
        let resumed = match &ws {
            None => {
                let any = a.exec_paused || !a.exec_paused_workspaces.is_empty();
                a.exec_paused = false;
                a.exec_paused_workspaces.clear();
                any
            }
            Some(w) => {
                let before = a.exec_paused_workspaces.len();
                a.exec_paused_workspaces.retain(|x| x != w);
                a.exec_paused_workspaces.len() != before
            }
        };
        if !resumed {
            let where_ = ws.as_deref().map_or(String::new(), |w| format!(" in {w}"));
            return Err(ApiError::conflict(
                "agent_exec_not_paused",
                format!("Tool execution of agent {id} is not paused{where_}"),
            ));
        }
        Ok(("exec_resumed", json!({"workspace_id": ws})))
    })
}

/// `POST …/revoke-credentials` `{"reason"?}`: the worker loses its identity
/// and must enroll again: `status: "pending"`, `worker_id: null`.
pub async fn revoke_credentials(
    State(sh): AppState,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    let m = body_object(&body, true)?;
    only_fields(&m, &["reason"])?;
    let reason = opt_string(&m, "reason")?;
    let mut db = sh.db();
    change_agent(&mut db, &id, |a| {
        let details = json!({
            "worker_id": a.worker_id.take(),
            "from": a.status,
            "reason": reason,
        });
        a.status = "pending";
        Ok(("credentials_revoked", details))
    })
}

/// `POST …/curve-rotate` `{"reason"}`: asks the agent to rotate its CURVE
/// keys; 202 with an `agent.key_rotation` object.
pub async fn curve_rotate(
    State(sh): AppState,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    let m = body_object(&body, true)?;
    only_fields(&m, &["reason"])?;
    let reason = match m.get("reason") {
        Some(Value::String(r)) if !r.trim().is_empty() => r.clone(),
        _ => {
            return Err(ApiError::validation(
                "reason",
                "'reason' is required: say why the keys are rotated",
            ))
        }
    };
    let mut db = sh.db();
    if !db.agents.contains(&id) {
        return Err(agent_not_found(&id));
    }
    let now = util::now();
    db.add_event(&id, "key_rotation_requested", json!({"reason": reason}));
    let out = json!({
        "object": "agent.key_rotation",
        "agent_id": id,
        "status": "requested",
        "reason": reason,
        "requested_at": util::fmt_ts(&now),
    });
    Ok(json_bytes(StatusCode::ACCEPTED, to_json(&out)))
}

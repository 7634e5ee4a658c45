//! Sandbox-only endpoints (not part of docs/spec/api.md): worker enrollment with a
//! join-key token, a heartbeat that activates an agent, and a tiny console
//! page behind `approval_url`. None of them needs an API key.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use super::{body_object, json_bytes, only_fields, opt_string, AppState};
use crate::error::{ApiError, ApiResult};
use crate::state::to_json;
use crate::util;

/// `POST /{project}/v1/sandbox/enroll` `{"token", "name"?}`: consumes one
/// enrollment of the join key and creates a `pending` agent with a worker id.
pub async fn enroll(State(sh): AppState, body: Bytes) -> ApiResult<Response> {
    let m = body_object(&body, false)?;
    only_fields(&m, &["token", "name"])?;
    let token = opt_string(&m, "token")?
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::invalid_body("'token' is required").with_param("token"))?;
    let name = opt_string(&m, "name")?.filter(|n| !n.trim().is_empty());
    let mut db = sh.db();
    let key_id = db.join_tokens.get(&token).cloned().ok_or_else(|| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_join_token",
            "Unknown join key token",
        )
    })?;
    let now = util::now();
    let key = db.join_keys.get_mut(&key_id).expect("token index");
    key.refresh_status(now);
    match key.status {
        "revoked" => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "join_key_revoked",
                format!("Join key {key_id} has been revoked"),
            ))
        }
        "expired" => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "join_key_expired",
                format!("Join key {key_id} has expired"),
            ))
        }
        "exhausted" => {
            return Err(ApiError::conflict(
                "join_key_exhausted",
                format!(
                    "Join key {key_id} has no enrollments left ({} of {})",
                    key.enrollments, key.max_enrollments
                ),
            ))
        }
        _ => {}
    }
    let (region, tiers, storage) = (
        key.region.clone(),
        key.supported_tiers.clone(),
        key.storage_limit_bytes,
    );
    let worker_id = util::hex_id(&mut db.rng, "wrk_", 8);
    let name = name.unwrap_or_else(|| format!("worker-{}", &worker_id[4..]));
    let mut agent = super::agents::blank_agent(name);
    agent.worker_id = Some(worker_id.clone());
    agent.region = region;
    agent.supported_tiers = tiers;
    agent.storage_limit_enabled = Some(storage.is_some());
    agent.storage_limit_bytes = storage;
    let id = super::agents::insert_new(&mut db, agent)?;
    if let Some(k) = db.join_keys.get_mut(&key_id) {
        k.enrollments += 1;
        k.refresh_status(now);
    }
    db.add_event(
        &id,
        "enrolled",
        json!({"join_key_id": key_id, "worker_id": worker_id}),
    );
    let body = to_json(db.agents.get(&id).expect("just created"));
    Ok(json_bytes(StatusCode::CREATED, body))
}

/// `POST /{project}/v1/sandbox/agents/{id}/heartbeat`: the agent's worker
/// checks in; a `pending`/`offline`/`error` agent becomes `active`.
pub async fn heartbeat(State(sh): AppState, Path(id): Path<String>) -> ApiResult<Response> {
    let mut db = sh.db();
    let now = util::now();
    let a = db
        .agents
        .get_mut(&id)
        .ok_or_else(|| super::agents::agent_not_found(&id))?;
    let from = a.status;
    a.last_heartbeat_at = Some(now);
    if from != "active" && from != "draining" {
        a.status = "active";
        a.updated_at = now;
    }
    let body = to_json(&*a);
    if from != "active" && from != "draining" {
        db.add_event(&id, "status_changed", json!({"from": from, "to": "active"}));
    }
    Ok(json_bytes(StatusCode::OK, body))
}

/// `GET /{project}/v1/sandbox/stats`: requests served, response body bytes
/// sent (counted only with `--bandwidth-kbps`) and, with `--soak-events`, the
/// soak stream's connections, drops and 503s, for the benchmark.
pub async fn stats(State(sh): AppState) -> Response {
    use std::sync::atomic::Ordering::Relaxed;
    let body = json!({
        "requests": sh.request_seq.load(Relaxed) - 1,
        "http2_requests": sh.http2_requests.load(Relaxed),
        "body_bytes_sent": sh.body_bytes_sent.load(Relaxed),
        "soak_connections": sh.soak.connections.load(Relaxed),
        "soak_drops": sh.soak.drops.load(Relaxed),
        "soak_503s": sh.soak.unavailable.load(Relaxed),
    });
    json_bytes(StatusCode::OK, to_json(&body))
}

/// The page `approval_url` points at: shows the approval and how to act.
pub async fn console_approval(State(sh): AppState, Path(id): Path<String>) -> Response {
    let db = sh.db();
    let Some(a) = db.approvals.get(&id) else {
        return (
            StatusCode::NOT_FOUND,
            Html("<h1>Approval not found</h1>".to_string()),
        )
            .into_response();
    };
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    Html(format!(
        "<!doctype html><html><head><title>Approval {id}</title></head><body>\
         <h1>Approval {id}</h1><p>Tool <b>{}</b> in workspace <b>{}</b> (risk {}): <b>{}</b></p>\
         <p>This is the xeroctl sandbox. Decide with <code>xeroctl approvals approve {id}</code> \
         or <code>xeroctl approvals reject {id}</code>.</p></body></html>",
        esc(&a.tool),
        esc(&a.workspace_id),
        a.risk,
        a.status,
        id = esc(&id),
    ))
    .into_response()
}

//! `/management/agents/candidates`: workers that asked to join and wait for
//! an operator. Approving one creates its agent.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::{
    body_object, json_bytes, list_query, ok_json, only_fields, opt_string, AppState, ListParams,
};
use crate::error::{ApiError, ApiResult};
use crate::model::Candidate;
use crate::state::Db;
use crate::util;

const STATUSES: &[&str] = &["pending", "approved", "rejected"];

fn not_found(id: &str) -> ApiError {
    ApiError::not_found("candidate_not_found", format!("Candidate {id} not found"))
}

/// The candidate `id`, which must still be `pending` (409
/// `candidate_resolved` otherwise).
fn pending<'a>(db: &'a Db, id: &str) -> ApiResult<&'a Candidate> {
    let c = db.candidates.get(id).ok_or_else(|| not_found(id))?;
    if c.status != "pending" {
        return Err(ApiError::conflict(
            "candidate_resolved",
            format!("Candidate {id} is already {}", c.status),
        ));
    }
    Ok(c)
}

pub async fn list(State(sh): AppState, q: ListParams) -> ApiResult<Response> {
    let q = list_query(q)?;
    let status = q.filter("status", Some(STATUSES))?;
    let db = sh.db();
    let page = db.candidates.page(q.after.as_deref(), q.limit, |c| {
        status.as_deref().is_none_or(|s| c.status == s)
    })?;
    Ok(json_bytes(StatusCode::OK, page.to_json()))
}

pub async fn show(State(sh): AppState, Path(id): Path<String>) -> ApiResult<Response> {
    let db = sh.db();
    let c = db.candidates.get(&id).ok_or_else(|| not_found(&id))?;
    Ok(ok_json(c))
}

/// `POST …/candidates/{id}/approve` `{"name"?}`: creates a `pending` agent
/// with the candidate's worker id and region (named after its hostname
/// unless `name` is given), and links it as `agent_id`.
pub async fn approve(
    State(sh): AppState,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    let m = body_object(&body, true)?;
    only_fields(&m, &["name"])?;
    let name = match opt_string(&m, "name")? {
        Some(n) if n.trim().is_empty() => {
            return Err(ApiError::invalid_body("'name' must not be empty").with_param("name"))
        }
        n => n,
    };
    let mut db = sh.db();
    let c = pending(&db, &id)?;
    let mut agent = super::agents::blank_agent(name.unwrap_or_else(|| c.hostname.clone()));
    agent.worker_id = Some(c.worker_id.clone());
    agent.region = c.region.clone();
    agent.storage_limit_enabled = Some(false);
    let worker_id = c.worker_id.clone();
    let agent_id = super::agents::insert_new(&mut db, agent)?;
    db.add_event(
        &agent_id,
        "enrolled",
        json!({"candidate_id": id, "worker_id": worker_id}),
    );
    let c = db.candidates.get_mut(&id).expect("checked above");
    c.status = "approved";
    c.agent_id = Some(agent_id);
    c.resolved_at = Some(util::now());
    Ok(ok_json(&*c))
}

/// `POST …/candidates/{id}/reject` `{"reason"?}`.
pub async fn reject(
    State(sh): AppState,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    let m = body_object(&body, true)?;
    only_fields(&m, &["reason"])?;
    opt_string(&m, "reason")?;
    let mut db = sh.db();
    pending(&db, &id)?;
    let c = db.candidates.get_mut(&id).expect("checked above");
    c.status = "rejected";
    c.resolved_at = Some(util::now());
    Ok(ok_json(&*c))
}

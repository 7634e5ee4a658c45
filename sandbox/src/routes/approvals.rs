//! `/exec/approvals`

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::{body_object, json_bytes, list_query, ok_json, opt_string, AppState, ListParams};
use crate::error::{ApiError, ApiResult};
use crate::lifecycle;

/// `escalated` and `timed_out` are named by the product's docs; the sandbox
/// only seeds them (its own approvals end approved, rejected or expired).
const STATUSES: &[&str] = &[
    "pending",
    "approved",
    "rejected",
    "expired",
    "escalated",
    "timed_out",
];
const RISKS: &[&str] = &["read", "write", "destructive", "irreversible"];

fn not_found(id: &str) -> ApiError {
    ApiError::not_found("approval_not_found", format!("Approval {id} not found"))
}

pub async fn list(State(sh): AppState, q: ListParams) -> ApiResult<Response> {
    let q = list_query(q)?;
    let status = q.filter("status", Some(STATUSES))?;
    let risk = q.filter("risk", Some(RISKS))?;
    let ws = q.filter("workspace_id", None)?;
    let db = sh.db();
    let page = db.approvals.page(q.after.as_deref(), q.limit, |a| {
        status.as_deref().is_none_or(|s| a.status == s)
            && risk.as_deref().is_none_or(|r| a.risk == r)
            && ws.as_deref().is_none_or(|w| a.workspace_id == w)
    })?;
    Ok(json_bytes(StatusCode::OK, page.to_json()))
}

pub async fn show(State(sh): AppState, Path(id): Path<String>) -> ApiResult<Response> {
    let db = sh.db();
    let a = db.approvals.get(&id).ok_or_else(|| not_found(&id))?;
    Ok(ok_json(a))
}

pub async fn approve(
    State(sh): AppState,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    let m = body_object(&body, true)?;
    super::only_fields(&m, &["note"])?;
    let note = opt_string(&m, "note")?;
    let mut db = sh.db();
    lifecycle::approve(&mut db, &id, note)?;
    Ok(ok_json(db.approvals.get(&id).expect("exists")))
}

pub async fn reject(
    State(sh): AppState,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    let m = body_object(&body, true)?;
    super::only_fields(&m, &["reason"])?;
    let reason = opt_string(&m, "reason")?;
    let mut db = sh.db();
    lifecycle::reject(&mut db, &id, reason)?;
    Ok(ok_json(db.approvals.get(&id).expect("exists")))
}

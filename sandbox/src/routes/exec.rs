//! `/exec/tools`, `/exec/invocations`, `/exec/executions`

use std::convert::Infallible;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use serde_json::Value;
use tokio::sync::broadcast;

use super::{body_object, json_bytes, list_query, ok_json, AppState, ListParams};
use crate::error::{ApiError, ApiResult};
use crate::lifecycle;
use crate::state::{to_json, Db, Shared};
use crate::util;

const EXECUTION_STATUSES: &[&str] = &["running", "completed", "failed", "cancelled", "timeout"];
const INVOCATION_STATUSES: &[&str] = &[
    "queued",
    "pending_approval",
    "running",
    "completed",
    "failed",
    "cancelled",
    "rejected",
    "timeout",
];

fn execution_not_found(id: &str) -> ApiError {
    ApiError::not_found("execution_not_found", format!("Execution {id} not found"))
}

pub async fn tools(State(sh): AppState, q: ListParams) -> ApiResult<Response> {
    let q = list_query(q)?;
    let db = sh.db();
    let page = db.tools.page(q.after.as_deref(), q.limit, |_| true)?;
    Ok(json_bytes(StatusCode::OK, page.to_json()))
}

pub async fn tool(State(sh): AppState, Path(name): Path<String>) -> ApiResult<Response> {
    let db = sh.db();
    let t = db.tools.get(&name).ok_or_else(|| {
        ApiError::not_found("exec_tool_not_found", format!("Tool '{name}' not found"))
    })?;
    Ok(ok_json(t))
}

/// Checks tool, arguments and workspace, then creates the invocation.
fn new_invocation(
    db: &mut Db,
    sh: &Shared,
    tool: &str,
    ws: &str,
    args: Value,
) -> ApiResult<Response> {
    let t = db.tools.get(tool).ok_or_else(|| {
        ApiError::bad_request("exec_tool_not_found", format!("Tool '{tool}' not found"))
            .with_param("tool")
    })?;
    crate::schema::validate(&t.parameters, &args, "arguments")?;
    let (_, online) = super::known_workspace(ws)?;
    if !online {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "tool_executor_unavailable",
            format!("No XEM agent is online for workspace {ws}; retry later"),
        ));
    }
    let id = lifecycle::create_invocation(db, &sh.console_base, tool, ws, args, util::now());
    let body = to_json(db.invocations.get(&id).expect("just created"));
    Ok(json_bytes(StatusCode::CREATED, body))
}

pub async fn invoke(State(sh): AppState, body: Bytes) -> ApiResult<Response> {
    let m = body_object(&body, false)?;
    super::only_fields(&m, &["workspace_id", "tool", "arguments"])?;
    let required = |k: &str| -> ApiResult<String> {
        match super::opt_string(&m, k)? {
            Some(s) if !s.is_empty() => Ok(s),
            _ => Err(ApiError::invalid_body(format!("'{k}' is required")).with_param(k)),
        }
    };
    let ws = required("workspace_id")?;
    let tool = required("tool")?;
    let args = m
        .get("arguments")
        .cloned()
        .unwrap_or_else(|| Value::Object(Default::default()));
    let mut db = sh.db();
    new_invocation(&mut db, &sh, &tool, &ws, args)
}

/// `GET /exec/invocations`: newest first.
pub async fn invocations(State(sh): AppState, q: ListParams) -> ApiResult<Response> {
    let q = list_query(q)?;
    let status = q.filter("status", Some(INVOCATION_STATUSES))?;
    let tool = q.filter("tool", None)?;
    let ws = q.filter("workspace_id", None)?;
    let db = sh.db();
    let page = db.invocations.page_rev(q.after.as_deref(), q.limit, |i| {
        status.as_deref().is_none_or(|s| i.status == s)
            && tool.as_deref().is_none_or(|t| i.tool == t)
            && ws.as_deref().is_none_or(|w| i.workspace_id == w)
    })?;
    Ok(json_bytes(StatusCode::OK, page.to_json()))
}

pub async fn invocation(State(sh): AppState, Path(id): Path<String>) -> ApiResult<Response> {
    let db = sh.db();
    let inv = db.invocations.get(&id).ok_or_else(|| {
        ApiError::not_found("invocation_not_found", format!("Invocation {id} not found"))
    })?;
    Ok(ok_json(inv))
}

pub async fn cancel(
    State(sh): AppState,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    body_object(&body, true)?;
    let mut db = sh.db();
    lifecycle::cancel(&mut db, &id)?;
    Ok(ok_json(db.invocations.get(&id).expect("exists")))
}

pub async fn executions(State(sh): AppState, q: ListParams) -> ApiResult<Response> {
    let q = list_query(q)?;
    let status = q.filter("status", Some(EXECUTION_STATUSES))?;
    let db = sh.db();
    let page = db.executions.page(q.after.as_deref(), q.limit, |e| {
        status.as_deref().is_none_or(|s| e.status == s)
    })?;
    Ok(json_bytes(StatusCode::OK, page.to_json()))
}

pub async fn execution(State(sh): AppState, Path(id): Path<String>) -> ApiResult<Response> {
    let db = sh.db();
    let e = db
        .executions
        .get(&id)
        .ok_or_else(|| execution_not_found(&id))?;
    Ok(ok_json(e))
}

pub async fn raw(State(sh): AppState, Path(id): Path<String>) -> ApiResult<Response> {
    let db = sh.db();
    let e = db
        .executions
        .get(&id)
        .ok_or_else(|| execution_not_found(&id))?;
    if e.status == "running" {
        return Err(ApiError::conflict(
            "execution_not_complete",
            format!("Execution {id} is still running"),
        ));
    }
    let ctype = if std::str::from_utf8(&e.raw).is_ok() {
        "text/plain; charset=utf-8"
    } else {
        "application/octet-stream"
    };
    Ok(([(header::CONTENT_TYPE, ctype)], e.raw.clone()).into_response())
}

pub async fn rerun(State(sh): AppState, Path(id): Path<String>) -> ApiResult<Response> {
    let mut db = sh.db();
    let e = db
        .executions
        .get(&id)
        .ok_or_else(|| execution_not_found(&id))?;
    let (tool, ws, inv_id) = (
        e.tool.clone(),
        e.workspace_id.clone(),
        e.invocation_id.clone(),
    );
    let args = db
        .invocations
        .get(&inv_id)
        .map(|i| i.arguments.clone())
        .unwrap_or_else(|| Value::Object(Default::default()));
    new_invocation(&mut db, &sh, &tool, &ws, args)
}

/// `GET /exec/executions/stream`: every execution change as an SSE event
/// (with `--soak-events`, the numbered events of the soak instead).
pub async fn stream(State(sh): AppState, headers: HeaderMap) -> Response {
    if sh.soak.soak.is_on() {
        return crate::soak::stream(&sh.soak, &headers, sh.shutdown.clone());
    }
    live_stream(&sh).into_response()
}

fn live_stream(sh: &Shared) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = sh.updates.subscribe();
    let shutdown = sh.shutdown.clone();
    let ping = (sh.tick * 5).min(Duration::from_secs(15));
    let s = futures_util::stream::unfold((rx, shutdown), |(mut rx, mut shutdown)| async move {
        loop {
            tokio::select! {
                msg = rx.recv() => match msg {
                    Ok(json) => {
                        let ev = Event::default().event("execution.updated").data(&*json);
                        return Some((Ok(ev), (rx, shutdown)));
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                _ = shutdown.changed() => return None,
            }
        }
    });
    Sse::new(s).keep_alive(KeepAlive::new().interval(ping).text("ping"))
}

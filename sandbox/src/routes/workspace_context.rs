//! `/exec/context`: the free-text context document of a workspace, which
//! the agents read before acting there.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use serde_json::{json, Value};

use super::{body_object, known_workspace, ok_json, only_fields, AppState, ListParams};
use crate::error::{ApiError, ApiResult};
use crate::model::WorkspaceContext;
use crate::state::SANDBOX_USER;
use crate::util::fmt_ts;

/// Longest context document, in bytes (64 KiB).
pub const MAX_CONTENT_BYTES: usize = 64 * 1024;

/// The `exec.context` object; `content` is `""` and the rest `null` when
/// none was ever set.
fn object(ws: &str, ctx: Option<&WorkspaceContext>) -> Value {
    json!({
        "object": "exec.context",
        "workspace_id": ws,
        "content": ctx.map_or("", |c| c.content.as_str()),
        "updated_at": ctx.map(|c| fmt_ts(&c.updated_at)),
        "updated_by": ctx.map(|c| c.updated_by.as_str()),
    })
}

fn required_workspace(ws: Option<&str>) -> ApiResult<String> {
    match ws {
        Some(w) if !w.is_empty() => {
            known_workspace(w)?;
            Ok(w.to_string())
        }
        _ => Err(ApiError::validation(
            "workspace_id",
            "'workspace_id' is required",
        )),
    }
}

/// `GET /exec/context?workspace_id=ws_…`
pub async fn show(State(sh): AppState, q: ListParams) -> ApiResult<Response> {
    let axum::extract::Query(params) =
        q.map_err(|e| ApiError::validation("query", e.body_text()))?;
    let ws = required_workspace(params.get("workspace_id").map(String::as_str))?;
    let db = sh.db();
    Ok(ok_json(&object(&ws, db.contexts.get(&ws))))
}

/// `PUT /exec/context` `{"workspace_id", "content"}`: replaces the document
/// (`""` empties it).
pub async fn put(State(sh): AppState, body: Bytes) -> ApiResult<Response> {
    let m = body_object(&body, false)?;
    only_fields(&m, &["workspace_id", "content"])?;
    let ws = required_workspace(m.get("workspace_id").and_then(Value::as_str))?;
    let content = match m.get("content") {
        Some(Value::String(c)) => c.clone(),
        _ => {
            return Err(ApiError::validation(
                "content",
                "'content' is required and must be a string",
            ))
        }
    };
    if content.len() > MAX_CONTENT_BYTES {
        return Err(ApiError::validation(
            "content",
            format!(
                "'content' is {} bytes; the limit is {MAX_CONTENT_BYTES} (64 KiB)",
                content.len()
            ),
        ));
    }
    let mut db = sh.db();
    let ctx = WorkspaceContext {
        content,
        updated_at: crate::util::now(),
        updated_by: SANDBOX_USER.to_string(),
    };
    let out = object(&ws, Some(&ctx));
    db.contexts.insert(ws, ctx);
    Ok(ok_json(&out))
}

//! `/exec/learnings`: what the agents learned (from tools, from chat) and
//! what operators told them. Newest first.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;

use super::{
    body_object, json_bytes, known_workspace, list_query, ok_json, only_fields, opt_string,
    AppState, ListParams,
};
use crate::error::{ApiError, ApiResult};
use crate::model::Learning;
use crate::state::to_json;
use crate::util;

const SOURCE_TYPES: &[&str] = &["tool", "chat", "operator"];
/// Longest `content` of a new learning, in bytes (16 KiB).
pub const MAX_CONTENT_BYTES: usize = 16 * 1024;

pub async fn list(State(sh): AppState, q: ListParams) -> ApiResult<Response> {
    let q = list_query(q)?;
    let ws = q.filter("workspace_id", None)?;
    let source = q.filter("source_type", Some(SOURCE_TYPES))?;
    let db = sh.db();
    let page = db.learnings.page_rev(q.after.as_deref(), q.limit, |l| {
        ws.as_deref()
            .is_none_or(|w| l.workspace_id.as_deref() == Some(w))
            && source.as_deref().is_none_or(|s| l.source_type == s)
    })?;
    Ok(json_bytes(StatusCode::OK, page.to_json()))
}

pub async fn show(State(sh): AppState, Path(id): Path<String>) -> ApiResult<Response> {
    let db = sh.db();
    let l = db.learnings.get(&id).ok_or_else(|| {
        ApiError::not_found("learning_not_found", format!("Learning {id} not found"))
    })?;
    Ok(ok_json(l))
}

/// `POST /exec/learnings` `{"content", "workspace_id"?}`: an operator's
/// learning (`source_type: "operator"`, no score).
pub async fn create(State(sh): AppState, body: Bytes) -> ApiResult<Response> {
    let m = body_object(&body, false)?;
    only_fields(&m, &["content", "workspace_id"])?;
    let content = match m.get("content") {
        Some(Value::String(c)) if !c.trim().is_empty() => c.clone(),
        _ => {
            return Err(ApiError::validation(
                "content",
                "'content' is required and must be a non-empty string",
            ))
        }
    };
    if content.len() > MAX_CONTENT_BYTES {
        return Err(ApiError::validation(
            "content",
            format!(
                "'content' is {} bytes; the limit is {MAX_CONTENT_BYTES} (16 KiB)",
                content.len()
            ),
        ));
    }
    let ws = opt_string(&m, "workspace_id")?.filter(|w| !w.is_empty());
    if let Some(w) = &ws {
        known_workspace(w)?;
    }
    let mut db = sh.db();
    let id = loop {
        let id = util::hex_id(&mut db.rng, "lrn_", 6);
        if !db.learnings.contains(&id) {
            break id;
        }
    };
    let l = db.learnings.insert(Learning {
        id,
        object: "exec.learning",
        content,
        workspace_id: ws,
        score: None,
        source_type: "operator",
        created_at: util::now(),
    });
    Ok(json_bytes(StatusCode::CREATED, to_json(&*l)))
}

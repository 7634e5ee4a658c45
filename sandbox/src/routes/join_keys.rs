//! `/management/join-keys`

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::{
    body_object, json_bytes, list_query, ok_json, only_fields, opt_string, opt_string_list,
    opt_uint, AppState, ListParams,
};
use crate::error::{ApiError, ApiResult};
use crate::model::JoinKey;
use crate::util;

fn not_found(id: &str) -> ApiError {
    ApiError::not_found("join_key_not_found", format!("Join key {id} not found"))
}

pub async fn list(State(sh): AppState, q: ListParams) -> ApiResult<Response> {
    let q = list_query(q)?;
    let mut db = sh.db();
    db.refresh_join_keys();
    let page = db.join_keys.page(q.after.as_deref(), q.limit, |_| true)?;
    Ok(json_bytes(StatusCode::OK, page.to_json()))
}

pub async fn show(State(sh): AppState, Path(id): Path<String>) -> ApiResult<Response> {
    let mut db = sh.db();
    db.refresh_join_keys();
    let k = db.join_keys.get(&id).ok_or_else(|| not_found(&id))?;
    Ok(ok_json(k))
}

pub async fn create(State(sh): AppState, body: Bytes) -> ApiResult<Response> {
    let m = body_object(&body, true)?;
    only_fields(
        &m,
        &[
            "name",
            "region",
            "max_enrollments",
            "supported_tiers",
            "storage_limit_bytes",
            "expires_in_hours",
        ],
    )?;
    let name = opt_string(&m, "name")?;
    let region = opt_string(&m, "region")?;
    let max = opt_uint(&m, "max_enrollments", true)?.unwrap_or(1);
    let tiers = opt_string_list(&m, "supported_tiers")?;
    let storage = opt_uint(&m, "storage_limit_bytes", true)?;
    let hours = opt_uint(&m, "expires_in_hours", true)?.unwrap_or(24);
    if hours > 24 * 365 {
        return Err(
            ApiError::invalid_body("'expires_in_hours' must be at most 8760")
                .with_param("expires_in_hours"),
        );
    }
    let now = util::now();
    let mut db = sh.db();
    let id = loop {
        let id = util::alnum_id(&mut db.rng, "jk_", 8);
        if !db.join_keys.contains(&id) {
            break id;
        }
    };
    let token = util::hex_id(&mut db.rng, "xjt_", 32);
    let key = JoinKey {
        id: id.clone(),
        object: "join_key",
        name,
        status: "active",
        region,
        enrollments: 0,
        max_enrollments: max,
        supported_tiers: tiers,
        storage_limit_bytes: storage,
        expires_at: now + time::Duration::hours(hours as i64),
        created_at: now,
        revoked_at: None,
        token: token.clone(),
    };
    let mut out = serde_json::to_value(&key).unwrap_or_default();
    out["token"] = serde_json::Value::String(token.clone());
    db.join_tokens.insert(token, id);
    db.join_keys.insert(key);
    Ok(json_bytes(StatusCode::CREATED, crate::state::to_json(&out)))
}

pub async fn revoke(State(sh): AppState, Path(id): Path<String>) -> ApiResult<Response> {
    let mut db = sh.db();
    let k = db.join_keys.get_mut(&id).ok_or_else(|| not_found(&id))?;
    if k.revoked_at.is_some() {
        return Err(ApiError::conflict(
            "join_key_revoked",
            format!("Join key {id} is already revoked"),
        ));
    }
    let now = util::now();
    k.revoked_at = Some(now);
    k.refresh_status(now);
    Ok(ok_json(&*k))
}

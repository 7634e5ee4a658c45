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

/// `tcp://host:port`: a host name, an IPv4 address or a bracketed IPv6
/// address, and a port in 1..=65535.
fn valid_router_addr(addr: &str) -> bool {
    let Some((host, port)) = addr
        .strip_prefix("tcp://")
        .and_then(|rest| rest.rsplit_once(':'))
    else {
        return false;
    };
    let port_ok = !port.is_empty()
        && port.bytes().all(|b| b.is_ascii_digit())
        && port.parse::<u16>().is_ok_and(|p| p > 0);
    let host_ok = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(v6) => !v6.is_empty() && v6.bytes().all(|b| b.is_ascii_hexdigit() || b == b':'),
        None => {
            !host.is_empty()
                && host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
        }
    };
    port_ok && host_ok
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
            "router_addr",
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
    let router_addr = opt_string(&m, "router_addr")?;
    if let Some(addr) = &router_addr {
        if !valid_router_addr(addr) {
            return Err(ApiError::validation(
                "router_addr",
                format!("'router_addr' must look like tcp://host:port, got '{addr}'"),
            ));
        }
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
        router_addr,
        token: token.clone(),
    };
    // The one-time secret, under the name this sandbox was told to use
    // (`token`, or `key` like the product's frontend API).
    let mut out = serde_json::to_value(&key).unwrap_or_default();
    out[sh.join_key_secret_field.as_str()] = serde_json::Value::String(token.clone());
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

#[cfg(test)]
mod tests {
    use super::valid_router_addr;

    #[test]
    fn router_addr_shape() {
        for ok in [
            "tcp://router.example.com:7000",
            "tcp://10.0.0.5:443",
            "tcp://[fd00::1]:7000",
            "tcp://localhost:1",
        ] {
            assert!(valid_router_addr(ok), "{ok}");
        }
        for bad in [
            "router.example.com:7000",
            "http://router:7000",
            "tcp://router",
            "tcp://:7000",
            "tcp://router:",
            "tcp://router:0",
            "tcp://router:65536",
            "tcp://router:+80",
            "tcp://rou ter:80",
            "tcp://router:80/path",
            "tcp://[]:80",
            "tcp://fd00::1:80",
        ] {
            assert!(!valid_router_addr(bad), "{bad}");
        }
    }
}

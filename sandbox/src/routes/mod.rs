//! The HTTP surface: routing, the gate (request ids, faults, auth, scopes)
//! and small helpers shared by the handlers.

mod agent_control;
mod agents;
mod approvals;
mod candidates;
mod exec;
mod introspect;
mod join_keys;
mod learnings;
mod sandbox_only;
mod workspace_context;

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::state::Shared;

pub type AppState = State<Arc<Shared>>;

pub fn router(shared: Arc<Shared>) -> Router {
    let p = format!("/{}/v1", shared.project);
    let r = |s: &str| format!("{p}{s}");
    Router::new()
        .route(
            &r("/management/agents"),
            get(agents::list).post(agents::create),
        )
        .route(
            &r("/management/agents/{id}"),
            get(agents::show)
                .patch(agents::update)
                .delete(agents::delete),
        )
        .route(&r("/management/agents/{id}/events"), get(agents::events))
        .route(
            &r("/management/agents/{id}/pause-exec"),
            post(agent_control::pause),
        )
        .route(
            &r("/management/agents/{id}/resume-exec"),
            post(agent_control::resume),
        )
        .route(
            &r("/management/agents/{id}/revoke-credentials"),
            post(agent_control::revoke_credentials),
        )
        .route(
            &r("/management/agents/{id}/curve-rotate"),
            post(agent_control::curve_rotate),
        )
        // Static segments win over `{id}` in axum's router, so these are
        // never taken for an agent id.
        .route(&r("/management/agents/candidates"), get(candidates::list))
        .route(
            &r("/management/agents/candidates/{id}"),
            get(candidates::show),
        )
        .route(
            &r("/management/agents/candidates/{id}/approve"),
            post(candidates::approve),
        )
        .route(
            &r("/management/agents/candidates/{id}/reject"),
            post(candidates::reject),
        )
        .route(
            &r("/management/join-keys"),
            get(join_keys::list).post(join_keys::create),
        )
        .route(
            &r("/management/join-keys/{id}"),
            get(join_keys::show).delete(join_keys::revoke),
        )
        .route(&r("/exec/tools"), get(exec::tools))
        .route(&r("/exec/tools/{name}"), get(exec::tool))
        .route(
            &r("/exec/invocations"),
            get(exec::invocations).post(exec::invoke),
        )
        .route(&r("/exec/invocations/{id}"), get(exec::invocation))
        .route(&r("/exec/invocations/{id}/cancel"), post(exec::cancel))
        .route(&r("/exec/executions"), get(exec::executions))
        .route(&r("/exec/executions/stream"), get(exec::stream))
        .route(&r("/exec/executions/{id}"), get(exec::execution))
        .route(&r("/exec/executions/{id}/raw"), get(exec::raw))
        .route(&r("/exec/executions/{id}/rerun"), post(exec::rerun))
        .route(&r("/exec/agents/{id}/manifest"), get(introspect::manifest))
        .route(
            &r("/exec/agents/{id}/environment"),
            get(introspect::environment),
        )
        .route(
            &r("/exec/agents/{id}/connectivity"),
            get(introspect::connectivity),
        )
        .route(&r("/exec/approvals"), get(approvals::list))
        .route(&r("/exec/approvals/{id}"), get(approvals::show))
        .route(&r("/exec/approvals/{id}/approve"), post(approvals::approve))
        .route(&r("/exec/approvals/{id}/reject"), post(approvals::reject))
        .route(
            &r("/exec/learnings"),
            get(learnings::list).post(learnings::create),
        )
        .route(&r("/exec/learnings/{id}"), get(learnings::show))
        .route(
            &r("/exec/context"),
            get(workspace_context::show).put(workspace_context::put),
        )
        .route(&r("/sandbox/enroll"), post(sandbox_only::enroll))
        .route(&r("/sandbox/stats"), get(sandbox_only::stats))
        .route(
            &r("/sandbox/agents/{id}/heartbeat"),
            post(sandbox_only::heartbeat),
        )
        .route(
            &format!("/{}/console/approvals/{{id}}", shared.project),
            get(sandbox_only::console_approval),
        )
        .fallback(fallback)
        .layer(middleware::from_fn_with_state(shared.clone(), gate))
        .with_state(shared)
}

async fn fallback(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(
        "not_found",
        format!("No such endpoint: {method} {}", uri.path()),
    )
}

/// Marker payload used to drop a connection without answering.
struct DropConnection;

/// Runs before every request: request id, faults, project, key and scope.
async fn gate(State(sh): AppState, req: Request, next: Next) -> Response {
    let n = sh.request_seq.fetch_add(1, Ordering::Relaxed);
    if req.version() == axum::http::Version::HTTP_2 {
        sh.http2_requests.fetch_add(1, Ordering::Relaxed);
    }
    let request_id = format!("req_{:08x}{:08x}", n, fastrand::u32(..));
    let checked = match faults(&sh).await {
        Ok(()) => check_access(&sh, &req).map_err(IntoResponse::into_response),
        Err(resp) => Err(resp),
    };
    let mut resp = match checked {
        Err(resp) => resp,
        Ok(()) => {
            let started = Instant::now();
            let resp = normalize(next.run(req).await);
            let mut resp = resp;
            let us = started.elapsed().as_secs_f64() * 1000.0;
            if let Ok(v) = HeaderValue::from_str(&format!("app;dur={us:.3}")) {
                resp.headers_mut().insert("server-timing", v);
            }
            resp
        }
    };
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    resp
}

async fn faults(sh: &Shared) -> Result<(), Response> {
    let f = &sh.faults;
    if !f.latency.is_zero() {
        tokio::time::sleep(f.latency).await;
    }
    if f.drop_rate > 0.0 && fastrand::f64() < f.drop_rate {
        // Unwinding out of the connection task makes hyper close the socket
        // with no response at all; resume_unwind skips the panic hook, so
        // nothing is printed.
        std::panic::resume_unwind(Box::new(DropConnection));
    }
    if f.rate_429 > 0.0 && fastrand::f64() < f.rate_429 {
        return Err(ApiError::rate_limited(f.retry_after_secs).into_response());
    }
    if f.rate_5xx > 0.0 && fastrand::f64() < f.rate_5xx {
        return Err(server_fault());
    }
    Ok(())
}

/// A 5xx as a proxy or the router might send it.
fn server_fault() -> Response {
    match fastrand::u8(..3) {
        0 => (
            StatusCode::BAD_GATEWAY,
            [(header::CONTENT_TYPE, "text/html")],
            "<html><body>502 Bad Gateway</body></html>",
        )
            .into_response(),
        1 => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "service_unavailable",
            "The router is temporarily unavailable (sandbox fault injection)",
        )
        .into_response(),
        _ => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "Internal server error (sandbox fault injection)",
        )
        .into_response(),
    }
}

fn check_access(sh: &Shared, req: &Request) -> ApiResult<()> {
    let path = req.uri().path();
    let prefix = format!("/{}/v1", sh.project);
    let rest = match path.strip_prefix(&prefix) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
        _ => {
            if path.starts_with(&format!("/{}/console/", sh.project)) {
                return Ok(());
            }
            let mut segs = path.trim_start_matches('/').split('/');
            if let (Some(p), Some("v1")) = (segs.next(), segs.next()) {
                return Err(ApiError::not_found(
                    "project_not_found",
                    format!("Project '{p}' not found"),
                ));
            }
            return Ok(()); // the fallback answers 404
        }
    };
    if rest.starts_with("/sandbox/") {
        return Ok(());
    }
    let key = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_api_key",
                "Missing API key: send 'Authorization: Bearer <key>'",
            )
        })?;
    let scopes: &[&str] = if key == sh.full_key {
        &["management", "execution"]
    } else if key == sh.mgmt_key {
        &["management"]
    } else {
        if let Some((proj, _)) = key.strip_prefix("xero_").and_then(|k| k.rsplit_once('_')) {
            if !proj.is_empty() && proj != sh.project {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "cross_project_access",
                    format!(
                        "This API key belongs to project '{proj}', not '{}'",
                        sh.project
                    ),
                ));
            }
        }
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_api_key",
            "Invalid API key",
        ));
    };
    let needed = if rest.starts_with("/management") {
        Some("management")
    } else if rest.starts_with("/exec") {
        Some("execution")
    } else {
        None
    };
    match needed {
        Some(scope) if !scopes.contains(&scope) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "scope_insufficient",
            format!("This API key lacks the '{scope}' scope"),
        )),
        _ => Ok(()),
    }
}

/// Turns non-JSON error answers from axum itself (405, extractor
/// rejections) into the error envelope.
fn normalize(resp: Response) -> Response {
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return resp;
    }
    let (code, msg) = match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            ("method_not_allowed", "Method not allowed on this endpoint")
        }
        StatusCode::NOT_FOUND => ("not_found", "Not found"),
        s if s.is_server_error() => ("internal_error", "Internal server error"),
        _ => ("invalid_request", "Invalid request"),
    };
    let allow = resp.headers().get(header::ALLOW).cloned();
    let mut out = ApiError::new(status, code, msg).into_response();
    if let Some(a) = allow {
        out.headers_mut().insert(header::ALLOW, a);
    }
    out
}

/// A JSON response from already-serialized bytes.
pub fn json_bytes(status: StatusCode, body: Vec<u8>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        Body::from(body),
    )
        .into_response()
}

pub fn ok_json<T: serde::Serialize + ?Sized>(v: &T) -> Response {
    json_bytes(StatusCode::OK, crate::state::to_json(v))
}

/// The body as a JSON object. An empty body is `{}` only if `allow_empty`.
pub fn body_object(body: &Bytes, allow_empty: bool) -> ApiResult<Map<String, Value>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return if allow_empty {
            Ok(Map::new())
        } else {
            Err(ApiError::invalid_body("Request body is required"))
        };
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(ApiError::invalid_body("Request body must be a JSON object")),
        Err(e) => Err(ApiError::invalid_body(format!("Malformed JSON body: {e}"))),
    }
}

/// Rejects fields not in `allowed`.
pub fn only_fields(m: &Map<String, Value>, allowed: &[&str]) -> ApiResult<()> {
    match m.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => {
            Err(ApiError::invalid_body(format!("Unknown field '{k}'")).with_param(k.clone()))
        }
        None => Ok(()),
    }
}

pub fn opt_string(m: &Map<String, Value>, key: &str) -> ApiResult<Option<String>> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::invalid_body(format!("'{key}' must be a string")).with_param(key)),
    }
}

/// A non-negative integer; with `positive`, zero is refused too.
pub fn opt_uint(m: &Map<String, Value>, key: &str, positive: bool) -> ApiResult<Option<u64>> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_u64() {
            Some(n) if !positive || n > 0 => Ok(Some(n)),
            _ => Err(ApiError::invalid_body(format!(
                "'{key}' must be a {} integer",
                if positive { "positive" } else { "non-negative" }
            ))
            .with_param(key)),
        },
    }
}

pub fn opt_string_list(m: &Map<String, Value>, key: &str) -> ApiResult<Option<Vec<String>>> {
    let bad =
        || ApiError::invalid_body(format!("'{key}' must be an array of strings")).with_param(key);
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string).ok_or_else(bad))
            .collect::<ApiResult<Vec<_>>>()
            .map(Some),
        Some(_) => Err(bad()),
    }
}

/// Checks that `ws` is one of the sandbox's workspaces (404
/// `workspace_not_found` otherwise).
pub fn known_workspace(ws: &str) -> ApiResult<(&'static [&'static str], bool)> {
    crate::state::workspace(ws).ok_or_else(|| {
        ApiError::not_found("workspace_not_found", format!("Workspace {ws} not found"))
    })
}

/// `limit`, `after` and any filters of a list request.
pub struct ListQuery {
    pub limit: usize,
    pub after: Option<String>,
    pub params: HashMap<String, String>,
}

impl ListQuery {
    pub fn filter(&self, key: &str, allowed: Option<&[&str]>) -> ApiResult<Option<String>> {
        match self.params.get(key) {
            None => Ok(None),
            Some(v) if v.is_empty() => Ok(None),
            Some(v) => match allowed {
                Some(list) if !list.contains(&v.as_str()) => Err(ApiError::validation(
                    key,
                    format!("'{key}' must be one of {}", list.join(", ")),
                )),
                _ => Ok(Some(v.clone())),
            },
        }
    }
}

pub fn list_query(
    q: Result<Query<HashMap<String, String>>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<ListQuery> {
    let Query(params) = q.map_err(|e| ApiError::validation("query", e.body_text()))?;
    let limit = match params.get("limit") {
        None => 20,
        Some(s) => match s.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => {
                return Err(ApiError::validation(
                    "limit",
                    format!("'limit' must be an integer between 1 and 100, got '{s}'"),
                ))
            }
        },
    };
    let after = params.get("after").filter(|a| !a.is_empty()).cloned();
    Ok(ListQuery {
        limit,
        after,
        params,
    })
}

pub type ListParams =
    Result<Query<HashMap<String, String>>, axum::extract::rejection::QueryRejection>;

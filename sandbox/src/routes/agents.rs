//! `/management/agents`

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{
    body_object, json_bytes, list_query, ok_json, only_fields, opt_string, opt_string_list,
    opt_uint, AppState, ListParams,
};
use crate::error::{ApiError, ApiResult};
use crate::model::Agent;
use crate::state::{to_json, Db};
use crate::util;

pub fn agent_not_found(id: &str) -> ApiError {
    ApiError::not_found("agent_not_found", format!("Agent {id} not found"))
}

fn name_taken(name: &str) -> ApiError {
    ApiError::conflict(
        "agent_name_taken",
        format!("An agent named '{name}' already exists"),
    )
    .with_param("name")
}

fn required_name(m: &serde_json::Map<String, serde_json::Value>) -> ApiResult<String> {
    match opt_string(m, "name")? {
        Some(n) if !n.trim().is_empty() => Ok(n),
        _ => Err(
            ApiError::invalid_body("'name' is required and must not be empty").with_param("name"),
        ),
    }
}

pub async fn list(State(sh): AppState, q: ListParams) -> ApiResult<Response> {
    let q = list_query(q)?;
    let db = sh.db();
    let page = db.agents.page(q.after.as_deref(), q.limit, |_| true)?;
    Ok(json_bytes(StatusCode::OK, page.to_json()))
}

pub async fn show(State(sh): AppState, Path(id): Path<String>) -> ApiResult<Response> {
    let db = sh.db();
    let a = db.agents.get(&id).ok_or_else(|| agent_not_found(&id))?;
    Ok(ok_json(a))
}

/// Creates an agent (also used by the sandbox enrollment endpoint).
pub fn insert_new(db: &mut Db, mut agent: Agent) -> ApiResult<String> {
    if db.agent_names.contains_key(&agent.name) {
        return Err(name_taken(&agent.name));
    }
    agent.id = db.new_agent_id();
    let id = agent.id.clone();
    db.insert_agent(agent);
    db.add_event(&id, "created", serde_json::Value::Null);
    Ok(id)
}

pub fn blank_agent(name: String) -> Agent {
    let now = util::now();
    Agent {
        id: String::new(),
        object: "agent",
        name,
        worker_id: None,
        status: "pending",
        region: None,
        max_concurrent_requests: 0,
        description: None,
        supported_tiers: None,
        storage_limit_enabled: None,
        storage_limit_bytes: None,
        last_heartbeat_at: None,
        exec_paused: false,
        exec_paused_workspaces: Vec::new(),
        created_at: now,
        updated_at: now,
    }
}

pub async fn create(State(sh): AppState, body: Bytes) -> ApiResult<Response> {
    let m = body_object(&body, false)?;
    only_fields(
        &m,
        &[
            "name",
            "region",
            "max_concurrent_requests",
            "description",
            "supported_tiers",
            "storage_limit_bytes",
        ],
    )?;
    let mut a = blank_agent(required_name(&m)?);
    a.region = opt_string(&m, "region")?;
    a.max_concurrent_requests = opt_uint(&m, "max_concurrent_requests", false)?.unwrap_or(0);
    a.description = opt_string(&m, "description")?;
    a.supported_tiers = opt_string_list(&m, "supported_tiers")?;
    a.storage_limit_bytes = opt_uint(&m, "storage_limit_bytes", true)?;
    a.storage_limit_enabled = a.storage_limit_bytes.map(|_| true);
    let mut db = sh.db();
    let id = insert_new(&mut db, a)?;
    let body = to_json(db.agents.get(&id).expect("just inserted"));
    Ok(json_bytes(StatusCode::CREATED, body))
}

pub async fn update(
    State(sh): AppState,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    let m = body_object(&body, false)?;
    only_fields(&m, &["name", "description", "max_concurrent_requests"])?;
    if m.is_empty() {
        return Err(ApiError::invalid_body(
            "Give at least one of name, description, max_concurrent_requests",
        ));
    }
    let name = if m.contains_key("name") {
        Some(required_name(&m)?)
    } else {
        None
    };
    let description = opt_string(&m, "description")?;
    let max = opt_uint(&m, "max_concurrent_requests", false)?;
    let mut db = sh.db();
    let current = db.agents.get(&id).ok_or_else(|| agent_not_found(&id))?;
    let old_name = current.name.clone();
    if let Some(n) = &name {
        if *n != old_name && db.agent_names.contains_key(n) {
            return Err(name_taken(n));
        }
    }
    let a = db.agents.get_mut(&id).expect("checked above");
    if let Some(n) = &name {
        a.name = n.clone();
    }
    if m.contains_key("description") {
        a.description = description;
    }
    if let Some(max) = max {
        a.max_concurrent_requests = max;
    }
    a.updated_at = util::now();
    let body = to_json(&*a);
    if let Some(n) = name {
        db.agent_names.remove(&old_name);
        db.agent_names.insert(n, id);
    }
    Ok(json_bytes(StatusCode::OK, body))
}

pub async fn delete(State(sh): AppState, Path(id): Path<String>) -> ApiResult<Response> {
    let mut db = sh.db();
    let a = db.agents.remove(&id).ok_or_else(|| agent_not_found(&id))?;
    db.agent_names.remove(&a.name);
    db.add_event(&id, "deleted", json!({"name": a.name}));
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn events(
    State(sh): AppState,
    Path(id): Path<String>,
    q: ListParams,
) -> ApiResult<Response> {
    let q = list_query(q)?;
    let db = sh.db();
    if !db.agents.contains(&id) {
        return Err(agent_not_found(&id));
    }
    match db.events.get(&id) {
        Some(t) => Ok(json_bytes(
            StatusCode::OK,
            t.page(q.after.as_deref(), q.limit, |_| true)?.to_json(),
        )),
        None => {
            let empty = crate::table::Table::<crate::model::AgentEvent>::default();
            let page = empty.page(q.after.as_deref(), q.limit, |_| true)?;
            Ok(json_bytes(StatusCode::OK, page.to_json()))
        }
    }
}

//! HTTP access to the router: one small client, typed models, paging.

pub mod agent_views;
pub mod agents;
pub mod approvals;
pub mod candidates;
pub mod client;
pub mod context;
pub mod errors;
pub mod executions;
pub mod invocations;
pub mod join_keys;
pub mod learnings;
mod log;
pub mod models;
pub mod paginate;
pub mod path;
mod retry;
pub mod tools;
mod transport;
pub mod trust;

pub use client::{ApiRequest, ApiResponse, Client};
pub use paginate::Pager;
pub use path::id_segment;

/// A request body as JSON. Our bodies are plain structs of strings and
/// numbers, which always serialise.
pub(crate) fn to_body<T: serde::Serialize>(body: &T) -> serde_json::Value {
    serde_json::to_value(body).unwrap_or(serde_json::Value::Null)
}

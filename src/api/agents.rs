//! `/management/agents`: the agent routes and their request bodies.

use serde::Serialize;

use super::client::ApiRequest;
use super::path::id_segment;
use crate::error::CliError;

const BASE: &str = "/management/agents";

fn one(id: &str) -> Result<String, CliError> {
    Ok(format!("{BASE}/{}", id_segment("agent", id)?))
}

/// `GET /management/agents` (paging is added by the pager).
pub(crate) fn list() -> ApiRequest {
    ApiRequest::get(BASE)
}

/// `GET /management/agents/{id}`.
pub(crate) fn get(id: &str) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::get(one(id)?))
}

/// `GET /management/agents/{id}/events`.
pub(crate) fn events(id: &str) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::get(format!("{}/events", one(id)?)))
}

/// `POST /management/agents`: only what the user gave is sent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct NewAgent {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_concurrent_requests: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supported_tiers: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage_limit_bytes: Option<u64>,
}

pub(crate) fn create(body: &NewAgent) -> ApiRequest {
    ApiRequest::post(BASE, super::to_body(body))
}

/// `PATCH /management/agents/{id}`: only the fields given change.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct AgentChanges {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_concurrent_requests: Option<u64>,
}

pub(crate) fn update(id: &str, changes: &AgentChanges) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::patch(one(id)?, super::to_body(changes)))
}

/// `DELETE /management/agents/{id}` (204, empty body).
pub(crate) fn delete(id: &str) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::delete(one(id)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bodies_omit_what_was_not_given() {
        let body = NewAgent {
            name: "w".into(),
            region: None,
            max_concurrent_requests: Some(8),
            description: None,
            supported_tiers: Some(vec!["priority".into()]),
            storage_limit_bytes: None,
        };
        assert_eq!(
            create(&body).body,
            Some(
                json!({"name": "w", "max_concurrent_requests": 8, "supported_tiers": ["priority"]})
            )
        );
        let changes = AgentChanges {
            description: Some("d".into()),
            ..Default::default()
        };
        let req = update("agt_1", &changes).unwrap();
        assert_eq!(req.path, "/management/agents/agt_1");
        assert_eq!(req.body, Some(json!({"description": "d"})));
    }

    #[test]
    fn ids_are_one_encoded_segment() {
        assert_eq!(
            events("a/b?c").unwrap().path,
            "/management/agents/a%2Fb%3Fc/events"
        );
        assert!(get("..").is_err());
    }
}

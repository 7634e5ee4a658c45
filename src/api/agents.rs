//! `/management/agents`: the agent routes and their request bodies.

use serde::{Deserialize, Serialize};

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

/// `POST …/{id}/pause-exec`: everywhere, or in one workspace.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct PauseExec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

pub(crate) fn pause_exec(id: &str, body: &PauseExec) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::post(
        format!("{}/pause-exec", one(id)?),
        super::to_body(body),
    ))
}

/// `POST …/{id}/resume-exec`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct ResumeExec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
}

pub(crate) fn resume_exec(id: &str, body: &ResumeExec) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::post(
        format!("{}/resume-exec", one(id)?),
        super::to_body(body),
    ))
}

/// `POST …/{id}/revoke-credentials`: the worker must enroll again.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct RevokeCredentials {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

pub(crate) fn revoke_credentials(
    id: &str,
    body: &RevokeCredentials,
) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::post(
        format!("{}/revoke-credentials", one(id)?),
        super::to_body(body),
    ))
}

/// `POST …/{id}/curve-rotate`: the reason is required.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct CurveRotate {
    pub reason: String,
}

pub(crate) fn curve_rotate(id: &str, body: &CurveRotate) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::post(
        format!("{}/curve-rotate", one(id)?),
        super::to_body(body),
    ))
}

/// The answer to a curve-rotate: the request was recorded.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct KeyRotation {
    #[serde(default)]
    pub agent_id: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub requested_at: Option<String>,
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
    fn exec_control_routes_and_bodies() {
        let req = pause_exec("agt_1", &PauseExec::default()).unwrap();
        assert_eq!(
            (req.method.as_str(), req.path.as_str()),
            ("POST", "/management/agents/agt_1/pause-exec")
        );
        assert_eq!(req.body, Some(json!({})));
        let body = PauseExec {
            workspace_id: Some("ws_a".into()),
            reason: Some("r".into()),
        };
        assert_eq!(
            pause_exec("agt_1", &body).unwrap().body,
            Some(json!({"workspace_id": "ws_a", "reason": "r"}))
        );
        let req = resume_exec(
            "agt_1",
            &ResumeExec {
                workspace_id: Some("ws_a".into()),
            },
        )
        .unwrap();
        assert_eq!(req.path, "/management/agents/agt_1/resume-exec");
        assert_eq!(req.body, Some(json!({"workspace_id": "ws_a"})));
        let req = revoke_credentials("agt_1", &RevokeCredentials::default()).unwrap();
        assert_eq!(req.path, "/management/agents/agt_1/revoke-credentials");
        let req = curve_rotate("agt_1", &CurveRotate { reason: "q".into() }).unwrap();
        assert_eq!(req.path, "/management/agents/agt_1/curve-rotate");
        assert_eq!(req.body, Some(json!({"reason": "q"})));
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

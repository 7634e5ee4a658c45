//! `/management/agents/candidates`: workers waiting to join.

use serde::{Deserialize, Serialize};

use super::client::ApiRequest;
use super::path::id_segment;
use crate::error::CliError;

const BASE: &str = "/management/agents/candidates";

fn one(id: &str) -> Result<String, CliError> {
    Ok(format!("{BASE}/{}", id_segment("candidate", id)?))
}

/// A worker that asked to join and waits for an operator.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Candidate {
    pub id: String,
    #[serde(default)]
    pub worker_id: Option<String>,
    #[serde(default)]
    pub hostname: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub fingerprint: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub agent_id: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub resolved_at: Option<String>,
}

/// `GET …/candidates?status=` (paging is added by the pager).
pub(crate) fn list(status: Option<&str>) -> ApiRequest {
    ApiRequest::get(BASE).query("status", status)
}

pub(crate) fn get(id: &str) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::get(one(id)?))
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct Approve {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

pub(crate) fn approve(id: &str, body: &Approve) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::post(
        format!("{}/approve", one(id)?),
        super::to_body(body),
    ))
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct Reject {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

pub(crate) fn reject(id: &str, body: &Reject) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::post(
        format!("{}/reject", one(id)?),
        super::to_body(body),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn routes_and_bodies() {
        assert_eq!(
            list(Some("pending")).query,
            vec![("status", "pending".to_string())]
        );
        assert_eq!(
            get("cand_1").unwrap().path,
            "/management/agents/candidates/cand_1"
        );
        let req = approve(
            "cand_1",
            &Approve {
                name: Some("n".into()),
            },
        )
        .unwrap();
        assert_eq!(req.path, "/management/agents/candidates/cand_1/approve");
        assert_eq!(req.body, Some(json!({"name": "n"})));
        let req = reject("cand_1", &Reject::default()).unwrap();
        assert_eq!(req.path, "/management/agents/candidates/cand_1/reject");
        assert_eq!(req.body, Some(json!({})));
    }
}

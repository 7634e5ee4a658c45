//! `/exec/learnings`: what the agents learned, and what operators told them.

use serde::{Deserialize, Serialize};

use super::client::ApiRequest;
use super::path::id_segment;
use crate::error::CliError;

const BASE: &str = "/exec/learnings";

/// One learning; `content` can be long (up to 16 KiB).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Learning {
    pub id: String,
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub workspace_id: Option<String>,
    #[serde(default)]
    pub score: Option<f64>,
    #[serde(default)]
    pub source_type: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
}

/// `GET /exec/learnings?workspace_id=&source_type=`, newest first (paging
/// is added by the pager).
pub(crate) fn list(workspace_id: Option<&str>, source_type: Option<&str>) -> ApiRequest {
    ApiRequest::get(BASE)
        .query("workspace_id", workspace_id)
        .query("source_type", source_type)
}

/// `GET /exec/learnings/{id}`.
pub(crate) fn get(id: &str) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::get(format!(
        "{BASE}/{}",
        id_segment("learning", id)?
    )))
}

/// `POST /exec/learnings`: an operator's learning.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct NewLearning {
    pub content: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
}

pub(crate) fn create(body: &NewLearning) -> ApiRequest {
    ApiRequest::post(BASE, super::to_body(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;
    use serde_json::json;

    #[test]
    fn routes_and_bodies() {
        let req = list(Some("ws_a1"), Some("tool"));
        assert_eq!((req.method, req.path.as_str()), (Method::GET, BASE));
        assert_eq!(
            req.query,
            vec![
                ("workspace_id", "ws_a1".to_string()),
                ("source_type", "tool".to_string())
            ]
        );
        assert!(list(None, None).query.is_empty());
        assert_eq!(get("lrn_1").unwrap().path, "/exec/learnings/lrn_1");
        assert!(get("..").is_err());
        let req = create(&NewLearning {
            content: "c".into(),
            workspace_id: None,
        });
        assert_eq!((req.method, req.path.as_str()), (Method::POST, BASE));
        assert_eq!(req.body, Some(json!({"content": "c"})));
    }
}

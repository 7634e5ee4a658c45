//! `/exec/context`: a workspace's context document, which its agents read
//! before acting there.

use serde::{Deserialize, Serialize};

use super::client::ApiRequest;

const BASE: &str = "/exec/context";

/// The document; `content` is `""` when none was ever set.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct WorkspaceContext {
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub updated_by: Option<String>,
}

/// `GET /exec/context?workspace_id=ws_…`.
pub(crate) fn get(workspace_id: &str) -> ApiRequest {
    ApiRequest::get(BASE).query("workspace_id", Some(workspace_id))
}

/// `PUT /exec/context` `{"workspace_id", "content"}`: replaces it whole.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct SetContext {
    pub workspace_id: String,
    pub content: String,
}

pub(crate) fn set(body: &SetContext) -> ApiRequest {
    ApiRequest::new(reqwest::Method::PUT, BASE).body(super::to_body(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;
    use serde_json::json;

    #[test]
    fn routes_and_bodies() {
        let req = get("ws_a1");
        assert_eq!((req.method, req.path.as_str()), (Method::GET, BASE));
        assert_eq!(req.query, vec![("workspace_id", "ws_a1".to_string())]);
        let req = set(&SetContext {
            workspace_id: "ws_a1".into(),
            content: "".into(),
        });
        assert_eq!((req.method, req.path.as_str()), (Method::PUT, BASE));
        assert_eq!(
            req.body,
            Some(json!({"workspace_id": "ws_a1", "content": ""}))
        );
    }
}

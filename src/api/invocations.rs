//! `/exec/invocations`: creating, reading and cancelling tool invocations.

use serde::Serialize;
use serde_json::Value;

use super::client::ApiRequest;
use super::path::id_segment;
use crate::error::CliError;

const BASE: &str = "/exec/invocations";

fn one(id: &str) -> Result<String, CliError> {
    Ok(format!("{BASE}/{}", id_segment("invocation", id)?))
}

/// What `GET /exec/invocations` filters on; `None` sends nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ListFilter<'a> {
    pub status: Option<&'a str>,
    pub tool: Option<&'a str>,
    pub workspace_id: Option<&'a str>,
}

/// `GET /exec/invocations?status=&tool=&workspace_id=`, newest first
/// (paging is added by the pager).
pub(crate) fn list(filter: &ListFilter<'_>) -> ApiRequest {
    ApiRequest::get(BASE)
        .query("status", filter.status)
        .query("tool", filter.tool)
        .query("workspace_id", filter.workspace_id)
}

/// `GET /exec/invocations/{id}`.
pub(crate) fn get(id: &str) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::get(one(id)?))
}

/// `POST /exec/invocations`: `arguments` is the tool's JSON object as given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct NewInvocation {
    pub workspace_id: String,
    pub tool: String,
    pub arguments: Value,
}

pub(crate) fn create(body: &NewInvocation) -> ApiRequest {
    ApiRequest::post(BASE, super::to_body(body))
}

/// `POST /exec/invocations/{id}/cancel` with `{}`; 409 once it has ended.
pub(crate) fn cancel(id: &str) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::post(
        format!("{}/cancel", one(id)?),
        Value::Object(serde_json::Map::new()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;
    use serde_json::json;

    #[test]
    fn create_sends_workspace_tool_and_arguments_in_order() {
        let body = NewInvocation {
            workspace_id: "ws_a1".into(),
            tool: "kubectl_get".into(),
            arguments: json!({"resource": "pods", "n": [1, 2]}),
        };
        let req = create(&body);
        assert_eq!(req.method, Method::POST);
        assert_eq!(req.path, "/exec/invocations");
        let sent = req.body.unwrap();
        assert_eq!(
            sent,
            json!({"workspace_id": "ws_a1", "tool": "kubectl_get",
                   "arguments": {"resource": "pods", "n": [1, 2]}})
        );
        let keys: Vec<&String> = sent.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["workspace_id", "tool", "arguments"]);
    }

    #[test]
    fn get_list_and_cancel_paths() {
        let all = list(&ListFilter::default());
        assert_eq!(
            (all.method, all.path.as_str()),
            (Method::GET, "/exec/invocations")
        );
        assert!(all.query.is_empty());
        let some = list(&ListFilter {
            status: Some("running"),
            tool: Some("kubectl_get"),
            workspace_id: Some("ws_a1"),
        });
        assert_eq!(
            some.query,
            vec![
                ("status", "running".to_string()),
                ("tool", "kubectl_get".to_string()),
                ("workspace_id", "ws_a1".to_string())
            ]
        );
        let req = get("5f9c").unwrap();
        assert_eq!(
            (req.method, req.path.as_str()),
            (Method::GET, "/exec/invocations/5f9c")
        );
        let req = cancel("5f9c").unwrap();
        assert_eq!(req.method, Method::POST);
        assert_eq!(req.path, "/exec/invocations/5f9c/cancel");
        assert_eq!(req.body, Some(json!({})));
    }

    #[test]
    fn ids_are_one_encoded_segment() {
        assert_eq!(
            cancel("a/b?c").unwrap().path,
            "/exec/invocations/a%2Fb%3Fc/cancel"
        );
        assert!(get("..").is_err());
        assert!(cancel(".").is_err());
    }
}

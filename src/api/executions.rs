//! `/exec/executions`: execution records, their raw output, reruns and the
//! live update stream.

use reqwest::Method;

use super::client::ApiRequest;
use super::path::id_segment;
use crate::error::CliError;

const BASE: &str = "/exec/executions";

fn one(id: &str) -> Result<String, CliError> {
    Ok(format!("{BASE}/{}", id_segment("execution", id)?))
}

/// `GET /exec/executions[?status=…]` (paging is added by the pager).
pub(crate) fn list(status: Option<&str>) -> ApiRequest {
    ApiRequest::get(BASE).query("status", status)
}

/// `GET /exec/executions/{id}`.
pub(crate) fn get(id: &str) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::get(one(id)?))
}

/// `GET /exec/executions/{id}/raw`: the output bytes as the agent returned them.
pub(crate) fn raw(id: &str) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::get(format!("{}/raw", one(id)?)))
}

/// `POST /exec/executions/{id}/rerun` (no body): a new invocation.
pub(crate) fn rerun(id: &str) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::new(Method::POST, format!("{}/rerun", one(id)?)))
}

/// `GET /exec/executions/stream`: Server-Sent Events.
pub(crate) fn stream() -> ApiRequest {
    ApiRequest::get(format!("{BASE}/stream"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_filters_on_status_only_when_given() {
        let req = list(None);
        assert_eq!(
            (req.method, req.path.as_str()),
            (Method::GET, "/exec/executions")
        );
        assert!(req.query.is_empty());
        let req = list(Some("failed"));
        assert_eq!(req.query, vec![("status", "failed".to_string())]);
    }

    #[test]
    fn one_execution_paths() {
        let req = get("7d2e").unwrap();
        assert_eq!(
            (req.method, req.path.as_str()),
            (Method::GET, "/exec/executions/7d2e")
        );
        let req = raw("7d2e").unwrap();
        assert_eq!(
            (req.method, req.path.as_str()),
            (Method::GET, "/exec/executions/7d2e/raw")
        );
        let req = rerun("7d2e").unwrap();
        assert_eq!(
            (req.method, req.path.as_str()),
            (Method::POST, "/exec/executions/7d2e/rerun")
        );
        assert_eq!(req.body, None, "rerun sends no body");
        let req = stream();
        assert_eq!(
            (req.method, req.path.as_str()),
            (Method::GET, "/exec/executions/stream")
        );
    }

    #[test]
    fn ids_are_one_encoded_segment() {
        assert_eq!(raw("a/b?c").unwrap().path, "/exec/executions/a%2Fb%3Fc/raw");
        assert!(rerun("..").is_err());
        assert!(get("").is_err());
    }
}

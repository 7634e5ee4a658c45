//! `/exec/agents/{id}/manifest|environment|connectivity`: an XEM agent's
//! self-description.

use super::client::ApiRequest;
use super::path::id_segment;
use crate::error::CliError;

/// Which self-description to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AgentView {
    Manifest,
    Environment,
    Connectivity,
}

impl AgentView {
    /// The path's last segment, also the word used in messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            AgentView::Manifest => "manifest",
            AgentView::Environment => "environment",
            AgentView::Connectivity => "connectivity",
        }
    }
}

/// `GET /exec/agents/{id}/{view}`.
pub(crate) fn get(id: &str, view: AgentView) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::get(format!(
        "/exec/agents/{}/{}",
        id_segment("agent", id)?,
        view.name()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;

    #[test]
    fn one_path_per_view() {
        for (view, path) in [
            (AgentView::Manifest, "/exec/agents/agt_7Hq2/manifest"),
            (AgentView::Environment, "/exec/agents/agt_7Hq2/environment"),
            (
                AgentView::Connectivity,
                "/exec/agents/agt_7Hq2/connectivity",
            ),
        ] {
            let req = get("agt_7Hq2", view).unwrap();
            assert_eq!((req.method, req.path.as_str()), (Method::GET, path));
            assert_eq!(req.body, None);
        }
    }

    #[test]
    fn ids_are_one_encoded_segment() {
        assert_eq!(
            get("a/b?c", AgentView::Manifest).unwrap().path,
            "/exec/agents/a%2Fb%3Fc/manifest"
        );
        assert!(get("..", AgentView::Environment).is_err());
    }
}

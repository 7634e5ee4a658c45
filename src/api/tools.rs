//! `/exec/tools`: the tools the project's XEM manifests expose.

use super::client::ApiRequest;
use super::path::id_segment;
use crate::error::CliError;

const BASE: &str = "/exec/tools";

/// `GET /exec/tools` (paging is added by the pager).
pub(crate) fn list() -> ApiRequest {
    ApiRequest::get(BASE)
}

/// `GET /exec/tools/{name}`.
pub(crate) fn get(name: &str) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::get(format!(
        "{BASE}/{}",
        id_segment("tool", name)?
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;

    #[test]
    fn paths() {
        assert_eq!(list().path, "/exec/tools");
        assert_eq!(list().method, Method::GET);
        let req = get("kubectl_drain").unwrap();
        assert_eq!(req.method, Method::GET);
        assert_eq!(req.path, "/exec/tools/kubectl_drain");
        assert_eq!(req.body, None);
    }

    #[test]
    fn names_are_one_encoded_segment() {
        assert_eq!(get("a/b?c").unwrap().path, "/exec/tools/a%2Fb%3Fc");
        assert!(get("..").is_err());
        assert!(get("").is_err());
    }
}

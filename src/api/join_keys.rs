//! `/management/join-keys`: the join-key routes and the create body.

use serde::Serialize;

use super::client::ApiRequest;
use super::path::id_segment;
use crate::error::CliError;

const BASE: &str = "/management/join-keys";

fn one(id: &str) -> Result<String, CliError> {
    Ok(format!("{BASE}/{}", id_segment("join key", id)?))
}

pub(crate) fn list() -> ApiRequest {
    ApiRequest::get(BASE)
}

pub(crate) fn get(id: &str) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::get(one(id)?))
}

/// `POST /management/join-keys`: only what the user gave is sent (the
/// router defaults `max_enrollments` to 1 and `expires_in_hours` to 24).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct NewJoinKey {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_enrollments: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supported_tiers: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage_limit_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in_hours: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub router_addr: Option<String>,
}

pub(crate) fn create(body: &NewJoinKey) -> ApiRequest {
    ApiRequest::post(BASE, super::to_body(body))
}

/// `DELETE /management/join-keys/{id}`: answers the revoked key.
pub(crate) fn revoke(id: &str) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::delete(one(id)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn create_sends_only_what_was_given() {
        assert_eq!(create(&NewJoinKey::default()).body, Some(json!({})));
        let body = NewJoinKey {
            max_enrollments: Some(1),
            expires_in_hours: Some(2),
            ..Default::default()
        };
        assert_eq!(
            create(&body).body,
            Some(json!({"max_enrollments": 1, "expires_in_hours": 2}))
        );
        assert_eq!(revoke("jk_1").unwrap().path, "/management/join-keys/jk_1");
    }
}

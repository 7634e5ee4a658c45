//! `/exec/approvals`: the approval-gate routes and the decision bodies.

use serde::Serialize;

use super::client::ApiRequest;
use super::path::id_segment;
use crate::error::CliError;

const BASE: &str = "/exec/approvals";

fn one(id: &str) -> Result<String, CliError> {
    Ok(format!("{BASE}/{}", id_segment("approval", id)?))
}

/// What `GET /exec/approvals` is narrowed to; `None` sends no parameter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Filters<'a> {
    pub status: Option<&'a str>,
    pub risk: Option<&'a str>,
    pub workspace_id: Option<&'a str>,
}

/// `GET /exec/approvals?status=&risk=&workspace_id=` (paging is added by
/// the pager).
pub(crate) fn list(filters: Filters<'_>) -> ApiRequest {
    ApiRequest::get(BASE)
        .query("status", filters.status)
        .query("risk", filters.risk)
        .query("workspace_id", filters.workspace_id)
}

/// `GET /exec/approvals/{id}`.
pub(crate) fn get(id: &str) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::get(one(id)?))
}

/// `POST /exec/approvals/{id}/approve` body `{"note"?}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct Approve {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

pub(crate) fn approve(id: &str, body: &Approve) -> Result<ApiRequest, CliError> {
    Ok(ApiRequest::post(
        format!("{}/approve", one(id)?),
        super::to_body(body),
    ))
}

/// `POST /exec/approvals/{id}/reject` body `{"reason"?}`.
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
    use reqwest::Method;
    use serde_json::json;

    fn query(req: &ApiRequest) -> Vec<(&str, &str)> {
        req.query.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }

    #[test]
    fn list_sends_only_the_filters_given() {
        let all = list(Filters::default());
        assert_eq!(all.method, Method::GET);
        assert_eq!(all.path, "/exec/approvals");
        assert!(all.query.is_empty() && all.body.is_none());
        let some = list(Filters {
            status: Some("pending"),
            risk: None,
            workspace_id: Some("ws_a1b2c3d4"),
        });
        assert_eq!(
            query(&some),
            [("status", "pending"), ("workspace_id", "ws_a1b2c3d4")]
        );
        let every = list(Filters {
            status: Some("approved"),
            risk: Some("irreversible"),
            workspace_id: Some("ws_1"),
        });
        assert_eq!(
            query(&every),
            [
                ("status", "approved"),
                ("risk", "irreversible"),
                ("workspace_id", "ws_1")
            ]
        );
    }

    #[test]
    fn get_is_one_encoded_segment() {
        let req = get("a1c0").unwrap();
        assert_eq!(req.method, Method::GET);
        assert_eq!(req.path, "/exec/approvals/a1c0");
        assert_eq!(get("a/b?c").unwrap().path, "/exec/approvals/a%2Fb%3Fc");
        for bad in ["", "..", "."] {
            assert!(get(bad).is_err(), "{bad:?}");
            assert!(approve(bad, &Approve::default()).is_err(), "{bad:?}");
            assert!(reject(bad, &Reject::default()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn approve_posts_the_note_only_when_given() {
        let req = approve("a1", &Approve::default()).unwrap();
        assert_eq!(req.method, Method::POST);
        assert_eq!(req.path, "/exec/approvals/a1/approve");
        assert_eq!(req.body, Some(json!({})));
        let body = Approve {
            note: Some("CHG-42".into()),
        };
        let req = approve("a 1", &body).unwrap();
        assert_eq!(req.path, "/exec/approvals/a%201/approve");
        assert_eq!(req.body, Some(json!({"note": "CHG-42"})));
    }

    #[test]
    fn reject_posts_the_reason_only_when_given() {
        let req = reject("a1", &Reject::default()).unwrap();
        assert_eq!(req.method, Method::POST);
        assert_eq!(req.path, "/exec/approvals/a1/reject");
        assert_eq!(req.body, Some(json!({})));
        let body = Reject {
            reason: Some("wrong cluster".into()),
        };
        let req = reject("a1", &body).unwrap();
        assert_eq!(req.body, Some(json!({"reason": "wrong cluster"})));
    }
}

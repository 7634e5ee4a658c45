//! Authentication, scopes, routing errors and the error envelope.

mod common;

use reqwest::Method;
use serde_json::json;

fn assert_envelope(body: &serde_json::Value) {
    let err = body["error"].as_object().expect("error envelope");
    let mut keys: Vec<&str> = err.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["code", "message", "param", "type"], "{body}");
}

#[tokio::test]
async fn missing_or_wrong_key_is_401() {
    let h = common::start().await;
    let a = h
        .send_with_key(Method::GET, "/management/agents", None, None)
        .await;
    assert_eq!(a.status, 401);
    assert_eq!(a.code(), "invalid_api_key");
    assert_envelope(&a.body);
    let a = h
        .send_with_key(
            Method::GET,
            "/management/agents",
            Some("xero_demo_wrongtoken0000000000000"),
            None,
        )
        .await;
    assert_eq!(a.status, 401);
    assert_eq!(a.code(), "invalid_api_key");
    let a = h
        .send_with_key(Method::GET, "/exec/tools", Some("nonsense"), None)
        .await;
    assert_eq!(a.status, 401);
}

#[tokio::test]
async fn management_only_key_lacks_execution_scope() {
    let h = common::start().await;
    let key = h.sb.management_only_key().to_string();
    assert_eq!(key, "xero_demo_mgmtonly000000000000000");
    assert_eq!(h.sb.api_key(), "xero_demo_sandbox0000000000000000");
    let ok = h
        .send_with_key(Method::GET, "/management/agents", Some(&key), None)
        .await;
    assert_eq!(ok.status, 200);
    let a = h
        .send_with_key(Method::GET, "/exec/tools", Some(&key), None)
        .await;
    assert_eq!(a.status, 403);
    assert_eq!(a.code(), "scope_insufficient");
    assert!(a.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("execution"));
    assert_envelope(&a.body);
}

#[tokio::test]
async fn other_project_key_and_path() {
    let h = common::start().await;
    let a = h
        .send_with_key(
            Method::GET,
            "/management/agents",
            Some("xero_acme-prod_sandbox0000000000000000"),
            None,
        )
        .await;
    assert_eq!(a.status, 403);
    assert_eq!(a.code(), "cross_project_access");

    let url = h.url("/management/agents").replace("/demo/v1", "/other/v1");
    let resp = h
        .http
        .get(url)
        .bearer_auth(h.sb.api_key())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    assert!(resp.headers().contains_key("x-request-id"));
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "project_not_found");
}

#[tokio::test]
async fn unknown_route_wrong_method_and_bad_json() {
    let h = common::start().await;
    let a = h.get("/management/nothing-here").await;
    assert_eq!(a.status, 404);
    assert_envelope(&a.body);

    let a = h.delete("/exec/tools").await;
    assert_eq!(a.status, 405);
    assert_envelope(&a.body);

    let resp = h
        .http
        .post(h.url("/management/agents"))
        .bearer_auth(h.sb.api_key())
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.headers().contains_key("x-request-id"));
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_body");

    let a = h.post("/management/agents", json!(["a"])).await;
    assert_eq!(a.status, 400);
    assert_eq!(a.code(), "invalid_body");
}

#[tokio::test]
async fn request_ids_are_unique() {
    let h = common::start().await;
    let a = h.get("/exec/tools").await;
    let b = h.get("/exec/tools").await;
    let id = |x: &common::Answer| x.headers["x-request-id"].to_str().unwrap().to_string();
    assert!(id(&a).starts_with("req_"));
    assert_ne!(id(&a), id(&b));
}

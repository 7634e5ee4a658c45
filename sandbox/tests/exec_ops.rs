//! Invocation lists, learnings, workspace context, approval statuses.

mod common;

use reqwest::Method;
use serde_json::{json, Value};
use xeroctl_sandbox::ids;

fn ids_of(list: &[Value]) -> Vec<&str> {
    list.iter().map(|v| v["id"].as_str().unwrap()).collect()
}

fn created(v: &Value) -> &str {
    v["created_at"].as_str().unwrap()
}

#[tokio::test]
async fn invocations_list_newest_first_with_filters() {
    let h = common::start().await;
    let all = h.list_all("/exec/invocations", 2).await;
    assert!(all.len() >= 7);
    assert!(all.iter().all(|i| i["object"] == "exec.invocation"));
    // RFC 3339 UTC with whole seconds sorts as text.
    assert!(all.windows(2).all(|w| created(&w[0]) >= created(&w[1])));
    assert_eq!(all[0]["id"], ids::INVOCATION_PENDING);
    let n = ids_of(&all).len();
    let unique: std::collections::HashSet<&str> = ids_of(&all).into_iter().collect();
    assert_eq!(unique.len(), n, "no duplicates across pages");

    let a = h
        .post(
            "/exec/invocations",
            json!({"workspace_id": ids::WORKSPACE_2, "tool": "kubectl_get", "arguments": {"resource": "nodes"}}),
        )
        .await;
    assert_eq!(a.status, 201);
    let new_id = a.body["id"].as_str().unwrap().to_string();
    let first = h.get("/exec/invocations?limit=1").await;
    assert_eq!(first.body["data"][0]["id"], new_id.as_str());
    assert_eq!(first.body["has_more"], true);
    assert_eq!(first.body["first_id"], new_id.as_str());
    assert_eq!(first.body["last_id"], new_id.as_str());
    let next = h
        .get(&format!("/exec/invocations?limit=1&after={new_id}"))
        .await;
    assert_eq!(next.body["data"][0]["id"], ids::INVOCATION_PENDING);

    let failed = h.get("/exec/invocations?status=failed").await;
    assert_eq!(
        ids_of(failed.body["data"].as_array().unwrap()),
        [ids::INVOCATION_FAILED]
    );
    let drains = h.list_all("/exec/invocations?tool=kubectl_drain", 1).await;
    assert!(drains.len() >= 2);
    assert!(drains.iter().all(|i| i["tool"] == "kubectl_drain"));
    let ws2 = h
        .list_all(
            &format!("/exec/invocations?workspace_id={}", ids::WORKSPACE_2),
            3,
        )
        .await;
    assert_eq!(ws2[0]["id"], new_id.as_str());
    assert!(ws2.iter().all(|i| i["workspace_id"] == ids::WORKSPACE_2));
    let combined = h
        .get(&format!(
            "/exec/invocations?status=completed&tool=kubectl_get&workspace_id={}",
            ids::WORKSPACE
        ))
        .await;
    assert_eq!(
        ids_of(combined.body["data"].as_array().unwrap()),
        [ids::INVOCATION_COMPLETED]
    );
    let none = h.get("/exec/invocations?tool=no_such_tool").await;
    assert_eq!(none.body["data"], json!([]));
    assert!(none.body["first_id"].is_null());

    let bad = h.get("/exec/invocations?status=sleeping").await;
    assert_eq!((bad.status.as_u16(), bad.code()), (400, "validation_error"));
    assert_eq!(bad.param(), Some("status"));
    let bad = h.get("/exec/invocations?after=nope").await;
    assert_eq!(bad.param(), Some("after"));
    let bad = h.get("/exec/invocations?limit=0").await;
    assert_eq!(bad.param(), Some("limit"));
    let mgmt = h.sb.management_only_key().to_string();
    let a = h
        .send_with_key(Method::GET, "/exec/invocations", Some(&mgmt), None)
        .await;
    assert_eq!((a.status.as_u16(), a.code()), (403, "scope_insufficient"));
}

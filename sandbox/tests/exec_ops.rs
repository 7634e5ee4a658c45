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
    // The newest seeded run is the held one (started 2 minutes ago).
    assert_eq!(all[0]["id"], ids::INVOCATION_RUNNING);
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
    assert_eq!(next.body["data"][0]["id"], ids::INVOCATION_RUNNING);

    let failed = h.get("/exec/invocations?status=failed").await;
    assert_eq!(
        ids_of(failed.body["data"].as_array().unwrap()),
        [ids::INVOCATION_FAILED]
    );
    let drains = h.list_all("/exec/invocations?tool=kubectl_drain", 1).await;
    assert!(drains.len() >= 3);
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

#[tokio::test]
async fn learnings_list_show_and_filters() {
    let h = common::start().await;
    let all = h.list_all("/exec/learnings", 2).await;
    assert_eq!(
        ids_of(&all),
        [
            ids::LEARNING_NO_WORKSPACE,
            ids::LEARNING_TOOL_2,
            ids::LEARNING_OPERATOR,
            ids::LEARNING_CHAT,
            ids::LEARNING_TOOL
        ],
        "newest first"
    );
    assert!(all.windows(2).all(|w| created(&w[0]) >= created(&w[1])));
    let one = h
        .get(&format!("/exec/learnings/{}", ids::LEARNING_TOOL))
        .await;
    assert_eq!(one.status, 200);
    let mut keys: Vec<&str> = one
        .body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "content",
            "created_at",
            "id",
            "object",
            "score",
            "source_type",
            "workspace_id"
        ]
    );
    assert_eq!(one.body["object"], "exec.learning");
    assert_eq!(one.body["source_type"], "tool");
    assert_eq!(one.body["workspace_id"], ids::WORKSPACE);
    assert_eq!(one.body["score"], 0.82);
    let op = h
        .get(&format!("/exec/learnings/{}", ids::LEARNING_OPERATOR))
        .await;
    assert!(op.body["score"].is_null());
    let global = h
        .get(&format!("/exec/learnings/{}", ids::LEARNING_NO_WORKSPACE))
        .await;
    assert!(global.body["workspace_id"].is_null());

    let ws = h
        .get(&format!("/exec/learnings?workspace_id={}", ids::WORKSPACE))
        .await;
    assert_eq!(
        ids_of(ws.body["data"].as_array().unwrap()),
        [ids::LEARNING_CHAT, ids::LEARNING_TOOL]
    );
    let tool = h.get("/exec/learnings?source_type=tool").await;
    assert_eq!(
        ids_of(tool.body["data"].as_array().unwrap()),
        [ids::LEARNING_TOOL_2, ids::LEARNING_TOOL]
    );
    let both = h
        .get(&format!(
            "/exec/learnings?source_type=operator&workspace_id={}",
            ids::WORKSPACE_2
        ))
        .await;
    assert_eq!(
        ids_of(both.body["data"].as_array().unwrap()),
        [ids::LEARNING_OPERATOR]
    );
    let page = h
        .get(&format!(
            "/exec/learnings?limit=2&after={}",
            ids::LEARNING_TOOL_2
        ))
        .await;
    assert_eq!(
        ids_of(page.body["data"].as_array().unwrap()),
        [ids::LEARNING_OPERATOR, ids::LEARNING_CHAT]
    );
    assert_eq!(page.body["has_more"], true);

    let bad = h.get("/exec/learnings?source_type=dream").await;
    assert_eq!((bad.status.as_u16(), bad.code()), (400, "validation_error"));
    assert_eq!(bad.param(), Some("source_type"));
    assert_eq!(
        h.get("/exec/learnings?after=lrn_none").await.param(),
        Some("after")
    );
    let nf = h.get("/exec/learnings/lrn_none").await;
    assert_eq!((nf.status.as_u16(), nf.code()), (404, "learning_not_found"));
    let mgmt = h.sb.management_only_key().to_string();
    let a = h
        .send_with_key(Method::GET, "/exec/learnings", Some(&mgmt), None)
        .await;
    assert_eq!((a.status.as_u16(), a.code()), (403, "scope_insufficient"));
}

#[tokio::test]
async fn adding_a_learning() {
    let h = common::start().await;
    let a = h
        .post(
            "/exec/learnings",
            json!({"content": "node-9 has a flaky NIC", "workspace_id": ids::WORKSPACE}),
        )
        .await;
    assert_eq!(a.status, 201, "{:?}", a.body);
    assert_eq!(a.body["object"], "exec.learning");
    assert_eq!(a.body["source_type"], "operator");
    assert_eq!(a.body["content"], "node-9 has a flaky NIC");
    assert_eq!(a.body["workspace_id"], ids::WORKSPACE);
    assert!(a.body["score"].is_null());
    let id = a.body["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("lrn_"));
    let first = h.get("/exec/learnings?limit=1").await;
    assert_eq!(first.body["data"][0]["id"], id.as_str());
    let ops = h.get("/exec/learnings?source_type=operator").await;
    assert_eq!(ops.body["data"][0]["id"], id.as_str());
    assert_eq!(
        h.get(&format!("/exec/learnings/{id}")).await.body["content"],
        "node-9 has a flaky NIC"
    );
    let global = h
        .post("/exec/learnings", json!({"content": "project-wide"}))
        .await;
    assert_eq!(global.status, 201);
    assert!(global.body["workspace_id"].is_null());

    // Exactly 16 KiB is fine; one byte more is not.
    let max = "x".repeat(16 * 1024);
    let a = h.post("/exec/learnings", json!({"content": max})).await;
    assert_eq!(a.status, 201);
    let big = "x".repeat(16 * 1024 + 1);
    for body in [
        json!({"content": big}),
        json!({"content": ""}),
        json!({"content": "  \n"}),
        json!({"workspace_id": ids::WORKSPACE}),
        json!({"content": 5}),
    ] {
        let a = h.post("/exec/learnings", body).await;
        assert_eq!((a.status.as_u16(), a.code()), (400, "validation_error"));
        assert_eq!(a.param(), Some("content"));
    }
    let a = h
        .post(
            "/exec/learnings",
            json!({"content": "x", "workspace_id": "ws_nope"}),
        )
        .await;
    assert_eq!((a.status.as_u16(), a.code()), (404, "workspace_not_found"));
    let a = h
        .post("/exec/learnings", json!({"content": "x", "score": 1}))
        .await;
    assert_eq!((a.status.as_u16(), a.code()), (400, "invalid_body"));
    let a = h
        .send_with_key(Method::POST, "/exec/learnings", Some(h.sb.api_key()), None)
        .await;
    assert_eq!((a.status.as_u16(), a.code()), (400, "invalid_body"));
    assert_eq!(h.list_all("/exec/learnings", 100).await.len(), 8);
}

#[tokio::test]
async fn workspace_context_read_and_write() {
    let h = common::start().await;
    let path = |ws: &str| format!("/exec/context?workspace_id={ws}");
    let seeded = h.get(&path(ids::WORKSPACE_WITH_CONTEXT)).await;
    assert_eq!(seeded.status, 200, "{:?}", seeded.body);
    let mut keys: Vec<&str> = seeded
        .body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "content",
            "object",
            "updated_at",
            "updated_by",
            "workspace_id"
        ]
    );
    assert_eq!(seeded.body["object"], "exec.context");
    assert_eq!(seeded.body["workspace_id"], ids::WORKSPACE_WITH_CONTEXT);
    assert!(seeded.body["content"]
        .as_str()
        .unwrap()
        .contains("namespace `shop`"));
    assert_eq!(seeded.body["updated_by"], "platform-team");
    assert!(seeded.body["updated_at"].is_string());

    let never = h.get(&path(ids::WORKSPACE_2)).await;
    assert_eq!(never.status, 200);
    assert_eq!(never.body["content"], "");
    assert!(never.body["updated_at"].is_null() && never.body["updated_by"].is_null());

    let put = |body: Value| {
        let h = &h;
        async move {
            h.send_with_key(
                Method::PUT,
                "/exec/context",
                Some(h.sb.api_key()),
                Some(body),
            )
            .await
        }
    };
    let text = "# demo\nUse namespace `jobs`.\n";
    let a = put(json!({"workspace_id": ids::WORKSPACE_2, "content": text})).await;
    assert_eq!(a.status, 200, "{:?}", a.body);
    assert_eq!(a.body["object"], "exec.context");
    assert_eq!(a.body["content"], text);
    assert_eq!(a.body["workspace_id"], ids::WORKSPACE_2);
    assert!(a.body["updated_at"].is_string());
    assert!(!a.body["updated_by"].as_str().unwrap().is_empty());
    let back = h.get(&path(ids::WORKSPACE_2)).await;
    assert_eq!(back.body, a.body, "what was set is read back");
    // Other workspaces are untouched; "" empties the document.
    let seeded_again = h.get(&path(ids::WORKSPACE_WITH_CONTEXT)).await;
    assert_eq!(seeded_again.body, seeded.body);
    let a = put(json!({"workspace_id": ids::WORKSPACE_2, "content": ""})).await;
    assert_eq!(a.status, 200);
    assert_eq!(h.get(&path(ids::WORKSPACE_2)).await.body["content"], "");
    // The offline workspace exists too.
    let a = put(json!({"workspace_id": ids::WORKSPACE_OFFLINE, "content": "x"})).await;
    assert_eq!(a.status, 200);

    // Exactly 64 KiB is fine; one byte more is not.
    let max = "y".repeat(64 * 1024);
    let a = put(json!({"workspace_id": ids::WORKSPACE, "content": max})).await;
    assert_eq!(a.status, 200);
    let big = "y".repeat(64 * 1024 + 1);
    let a = put(json!({"workspace_id": ids::WORKSPACE, "content": big})).await;
    assert_eq!((a.status.as_u16(), a.code()), (400, "validation_error"));
    assert_eq!(a.param(), Some("content"));
    assert_eq!(
        h.get(&path(ids::WORKSPACE)).await.body["content"]
            .as_str()
            .unwrap()
            .len(),
        64 * 1024,
        "a refused write changes nothing"
    );
    let a = put(json!({"workspace_id": ids::WORKSPACE})).await;
    assert_eq!((a.code(), a.param()), ("validation_error", Some("content")));
    let a = put(json!({"content": "x"})).await;
    assert_eq!(
        (a.code(), a.param()),
        ("validation_error", Some("workspace_id"))
    );
    let a = put(json!({"workspace_id": "ws_nope", "content": "x"})).await;
    assert_eq!((a.status.as_u16(), a.code()), (404, "workspace_not_found"));
    let a = put(json!({"workspace_id": ids::WORKSPACE, "content": "x", "x": 1})).await;
    assert_eq!((a.status.as_u16(), a.code()), (400, "invalid_body"));

    let nf = h.get(&path("ws_nope")).await;
    assert_eq!(
        (nf.status.as_u16(), nf.code()),
        (404, "workspace_not_found")
    );
    let missing = h.get("/exec/context").await;
    assert_eq!(
        (missing.status.as_u16(), missing.code()),
        (400, "validation_error")
    );
    assert_eq!(missing.param(), Some("workspace_id"));
    let mgmt = h.sb.management_only_key().to_string();
    let a = h
        .send_with_key(Method::GET, &path(ids::WORKSPACE), Some(&mgmt), None)
        .await;
    assert_eq!((a.status.as_u16(), a.code()), (403, "scope_insufficient"));
    assert_eq!(h.post("/exec/context", json!({})).await.status, 405);
}

#[tokio::test]
async fn approvals_can_be_escalated_or_timed_out() {
    let h = common::start().await;
    let all = h.list_all("/exec/approvals", 2).await;
    let statuses: std::collections::HashSet<&str> =
        all.iter().map(|a| a["status"].as_str().unwrap()).collect();
    for s in ["pending", "approved", "rejected", "escalated", "timed_out"] {
        assert!(statuses.contains(s), "{s}");
    }
    assert!(all.windows(2).all(|w| created(&w[0]) <= created(&w[1])));
    for (status, id, inv) in [
        (
            "escalated",
            ids::APPROVAL_ESCALATED,
            ids::INVOCATION_ESCALATED,
        ),
        (
            "timed_out",
            ids::APPROVAL_TIMED_OUT,
            ids::INVOCATION_TIMED_OUT,
        ),
    ] {
        let list = h.get(&format!("/exec/approvals?status={status}")).await;
        assert_eq!(list.status, 200);
        assert_eq!(ids_of(list.body["data"].as_array().unwrap()), [id]);
        let a = h.get(&format!("/exec/approvals/{id}")).await;
        assert_eq!(a.body["status"], status);
        assert_eq!(a.body["invocation_id"], inv);
        assert!(a.body["resolved_at"].is_string());
        for action in ["approve", "reject"] {
            let r = h
                .post(&format!("/exec/approvals/{id}/{action}"), json!({}))
                .await;
            assert_eq!((r.status.as_u16(), r.code()), (409, "approval_resolved"));
        }
        let i = h.get(&format!("/exec/invocations/{inv}")).await;
        assert_eq!(i.body["status"], "rejected");
        assert_eq!(i.body["approval_id"], id);
        assert!(i.body["error"].is_string());
    }
    let timed_out = h
        .get(&format!("/exec/approvals/{}", ids::APPROVAL_TIMED_OUT))
        .await;
    assert!(timed_out.body["resolved_by"].is_null());
    let escalated = h
        .get(&format!("/exec/approvals/{}", ids::APPROVAL_ESCALATED))
        .await;
    assert_eq!(escalated.body["risk"], "destructive");
    assert!(escalated.body["reason"].is_string());
    let bad = h.get("/exec/approvals?status=lost").await;
    assert_eq!(bad.param(), Some("status"));
}

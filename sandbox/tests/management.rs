//! Agents and join keys: CRUD, conflicts, pagination, enrollment.

mod common;

use std::collections::HashSet;

use serde_json::json;
use xeroctl_sandbox::{ids, JoinKeySecretField, SandboxOptions};

#[tokio::test]
async fn seeded_agents_cover_every_status() {
    let h = common::start().await;
    let all = h.list_all("/management/agents", 2).await;
    assert_eq!(all.len(), 6);
    let statuses: HashSet<&str> = all.iter().map(|a| a["status"].as_str().unwrap()).collect();
    for s in ["pending", "active", "draining", "offline", "error"] {
        assert!(statuses.contains(s), "{s}");
    }
    let pending = h
        .get(&format!("/management/agents/{}", ids::AGENT_PENDING))
        .await;
    assert!(pending.body["worker_id"].is_null());
    assert!(pending.body["region"].is_null());
    assert!(pending.body["last_heartbeat_at"].is_null());
    assert_eq!(all[0]["id"], ids::AGENT_ACTIVE);
}

#[tokio::test]
async fn pagination_envelope_and_errors() {
    let h = common::start().await;
    let p1 = h.get("/management/agents?limit=4").await;
    assert_eq!(p1.body["has_more"], true);
    assert_eq!(p1.body["data"].as_array().unwrap().len(), 4);
    assert_eq!(p1.body["first_id"], p1.body["data"][0]["id"]);
    assert_eq!(p1.body["last_id"], p1.body["data"][3]["id"]);
    let last = p1.body["last_id"].as_str().unwrap();
    let p2 = h
        .get(&format!("/management/agents?limit=4&after={last}"))
        .await;
    assert_eq!(p2.body["has_more"], false);
    assert_eq!(p2.body["data"].as_array().unwrap().len(), 2);
    let end = p2.body["last_id"].as_str().unwrap();
    let p3 = h.get(&format!("/management/agents?after={end}")).await;
    assert_eq!(p3.status, 200);
    assert_eq!(p3.body["data"], json!([]));
    assert!(p3.body["first_id"].is_null() && p3.body["last_id"].is_null());

    let bad = h.get("/management/agents?after=agt_nope").await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.code(), "validation_error");
    assert_eq!(bad.param(), Some("after"));
    for limit in ["0", "101", "abc", "-1"] {
        let bad = h.get(&format!("/management/agents?limit={limit}")).await;
        assert_eq!(bad.status, 400, "limit={limit}");
        assert_eq!(bad.param(), Some("limit"));
    }
    let ok = h.get("/management/agents?limit=100").await;
    assert_eq!(ok.status, 200);
    let tools = h.list_all("/exec/tools", 3).await;
    assert!(tools.len() >= 8);
    let bad = h.get("/exec/tools?after=no_such_tool").await;
    assert_eq!(bad.param(), Some("after"));
}

#[tokio::test]
async fn agent_crud_and_events() {
    let h = common::start().await;
    let a = h
        .post(
            "/management/agents",
            json!({"name": "t-1", "region": "eu-west", "supported_tiers": ["default"], "storage_limit_bytes": 5_000_000_000u64}),
        )
        .await;
    assert_eq!(a.status, 201, "{:?}", a.body);
    assert_eq!(a.body["status"], "pending");
    assert!(a.body["worker_id"].is_null());
    assert_eq!(a.body["storage_limit_enabled"], true);
    let id = a.body["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("agt_"));

    let dup = h.post("/management/agents", json!({"name": "t-1"})).await;
    assert_eq!(dup.status, 409);
    assert_eq!(dup.code(), "agent_name_taken");
    for body in [json!({}), json!({"name": ""}), json!({"name": 3})] {
        let bad = h.post("/management/agents", body).await;
        assert_eq!(bad.status, 400);
        assert_eq!(bad.code(), "invalid_body");
        assert_eq!(bad.param(), Some("name"));
    }

    let path = format!("/management/agents/{id}");
    let up = h
        .patch(
            &path,
            json!({"description": "d", "max_concurrent_requests": 3}),
        )
        .await;
    assert_eq!(up.status, 200);
    assert_eq!(up.body["description"], "d");
    assert_eq!(up.body["max_concurrent_requests"], 3);
    assert_eq!(up.body["region"], "eu-west");
    let bad = h.patch(&path, json!({"region": "x"})).await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.code(), "invalid_body");
    let bad = h.patch(&path, json!({})).await;
    assert_eq!(bad.status, 400);
    let taken = h.patch(&path, json!({"name": "gpu-worker-1"})).await;
    assert_eq!(taken.status, 409);
    let renamed = h.patch(&path, json!({"name": "t-2"})).await;
    assert_eq!(renamed.body["name"], "t-2");
    let again = h.post("/management/agents", json!({"name": "t-1"})).await;
    assert_eq!(again.status, 201, "old name is free again");

    let ev = h.get(&format!("{path}/events")).await;
    assert_eq!(ev.body["data"][0]["event_type"], "created");

    let del = h.delete(&path).await;
    assert_eq!(del.status, 204);
    assert!(del.bytes.is_empty());
    let gone = h.get(&path).await;
    assert_eq!(gone.status, 404);
    assert_eq!(gone.code(), "agent_not_found");
    assert_eq!(h.delete(&path).await.status, 404);
}

#[tokio::test]
async fn seeded_events_paginate() {
    let h = common::start().await;
    let path = format!("/management/agents/{}/events", ids::AGENT_OFFLINE);
    let all = h.list_all(&path, 2).await;
    let types: Vec<&str> = all
        .iter()
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    assert!(types.contains(&"heartbeat_missed"));
    let missed = all
        .iter()
        .find(|e| e["event_type"] == "heartbeat_missed")
        .unwrap();
    assert!(missed["details"].is_object());
    let err = h
        .list_all(
            &format!("/management/agents/{}/events", ids::AGENT_ERROR),
            20,
        )
        .await;
    let e = err.iter().find(|e| e["event_type"] == "error").unwrap();
    assert!(e["details"].is_string());
    assert_eq!(
        h.get("/management/agents/agt_none/events").await.status,
        404
    );
}

#[tokio::test]
async fn join_key_statuses_and_revoke() {
    let h = common::start().await;
    for (id, status) in [
        (ids::JOIN_KEY_ACTIVE, "active"),
        (ids::JOIN_KEY_EXHAUSTED, "exhausted"),
        (ids::JOIN_KEY_EXPIRED, "expired"),
        (ids::JOIN_KEY_REVOKED, "revoked"),
    ] {
        let k = h.get(&format!("/management/join-keys/{id}")).await;
        assert_eq!(k.body["status"], status, "{id}");
        assert!(k.body.get("token").is_none());
    }
    let k = h.post("/management/join-keys", json!({})).await;
    assert_eq!(k.status, 201);
    assert_eq!(k.body["max_enrollments"], 1);
    assert_eq!(k.body["status"], "active");
    let token = k.body["token"].as_str().unwrap();
    assert!(token.starts_with("xjt_") && token.len() == 36);
    let id = k.body["id"].as_str().unwrap();
    let shown = h.get(&format!("/management/join-keys/{id}")).await;
    assert!(shown.body.get("token").is_none());

    for bad in [
        json!({"max_enrollments": 0}),
        json!({"expires_in_hours": -1}),
        json!({"max_enrollments": "3"}),
    ] {
        let a = h.post("/management/join-keys", bad).await;
        assert_eq!(a.status, 400);
        assert_eq!(a.code(), "invalid_body");
    }

    let r = h.delete(&format!("/management/join-keys/{id}")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["status"], "revoked");
    assert!(r.body["revoked_at"].is_string());
    let again = h.delete(&format!("/management/join-keys/{id}")).await;
    assert_eq!(again.status, 409);
    assert_eq!(again.code(), "join_key_revoked");
    assert_eq!(
        h.get("/management/join-keys/jk_none").await.code(),
        "join_key_not_found"
    );
}

#[tokio::test]
async fn enrollment_consumes_the_key() {
    let h = common::start().await;
    let k = h
        .post(
            "/management/join-keys",
            json!({"region": "eu-central", "max_enrollments": 1, "supported_tiers": ["batch"]}),
        )
        .await;
    let (id, token) = (
        k.body["id"].as_str().unwrap(),
        k.body["token"].as_str().unwrap(),
    );
    // No API key needed: a worker only has the token.
    let a = h
        .send_with_key(
            reqwest::Method::POST,
            "/sandbox/enroll",
            None,
            Some(json!({"token": token, "name": "enrolled-1"})),
        )
        .await;
    assert_eq!(a.status, 201, "{:?}", a.body);
    assert_eq!(a.body["status"], "pending");
    assert_eq!(a.body["region"], "eu-central");
    assert_eq!(a.body["supported_tiers"], json!(["batch"]));
    assert!(a.body["worker_id"].as_str().unwrap().starts_with("wrk_"));
    let agent = a.body["id"].as_str().unwrap();
    let ev = h.get(&format!("/management/agents/{agent}/events")).await;
    assert!(ev.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["event_type"] == "enrolled" && e["details"]["join_key_id"] == id));

    let key = h.get(&format!("/management/join-keys/{id}")).await;
    assert_eq!(key.body["enrollments"], 1);
    assert_eq!(key.body["status"], "exhausted");
    let again = h.post("/sandbox/enroll", json!({"token": token})).await;
    assert_eq!(again.status, 409);
    assert_eq!(again.code(), "join_key_exhausted");

    let cases = [
        (ids::JOIN_KEY_REVOKED_TOKEN, "join_key_revoked"),
        (ids::JOIN_KEY_EXPIRED_TOKEN, "join_key_expired"),
        ("xjt_00000000000000000000000000000000", "invalid_join_token"),
    ];
    for (token, code) in cases {
        let a = h.post("/sandbox/enroll", json!({"token": token})).await;
        assert!(a.status.is_client_error());
        assert_eq!(a.code(), code);
    }

    let hb = h
        .post(&format!("/sandbox/agents/{agent}/heartbeat"), json!({}))
        .await;
    assert_eq!(hb.body["status"], "active");
    assert!(hb.body["last_heartbeat_at"].is_string());
}

#[tokio::test]
async fn join_key_router_addr() {
    let h = common::start().await;
    let addr = "tcp://router.sandbox.invalid:7000";
    let k = h
        .post("/management/join-keys", json!({"router_addr": addr}))
        .await;
    assert_eq!(k.status, 201, "{:?}", k.body);
    assert_eq!(k.body["router_addr"], addr);
    assert!(k.body["token"].is_string());
    let id = k.body["id"].as_str().unwrap();
    let shown = h.get(&format!("/management/join-keys/{id}")).await;
    assert_eq!(shown.body["router_addr"], addr);
    for ok in ["tcp://10.1.2.3:443", "tcp://[fd00::7]:7000"] {
        let k = h
            .post("/management/join-keys", json!({"router_addr": ok}))
            .await;
        assert_eq!(k.status, 201, "{ok}");
    }
    for bad in [
        "router:7000",
        "tcp://router",
        "tcp://router:0",
        "tcp://router:99999",
        "http://router:80",
        "tcp://:80",
        "",
    ] {
        let a = h
            .post("/management/join-keys", json!({"router_addr": bad}))
            .await;
        assert_eq!(
            (a.status.as_u16(), a.code()),
            (400, "validation_error"),
            "{bad}"
        );
        assert_eq!(a.param(), Some("router_addr"));
    }
    let a = h
        .post("/management/join-keys", json!({"router_addr": 7000}))
        .await;
    assert_eq!((a.status.as_u16(), a.param()), (400, Some("router_addr")));
    // Keys created without one do not carry the field.
    let plain = h
        .get(&format!("/management/join-keys/{}", ids::JOIN_KEY_ACTIVE))
        .await;
    assert!(plain.body.get("router_addr").is_none());
}

#[tokio::test]
async fn join_key_secret_can_be_named_key() {
    let h = common::start_with(SandboxOptions {
        join_key_secret_field: JoinKeySecretField::Key,
        ..Default::default()
    })
    .await;
    let k = h.post("/management/join-keys", json!({"name": "fe"})).await;
    assert_eq!(k.status, 201);
    let secret = k.body["key"].as_str().unwrap().to_string();
    assert!(secret.starts_with("xjt_"));
    assert!(k.body.get("token").is_none());
    let id = k.body["id"].as_str().unwrap();
    let shown = h.get(&format!("/management/join-keys/{id}")).await;
    assert!(shown.body.get("key").is_none() && shown.body.get("token").is_none());
    // The secret works for enrollment whatever its name.
    let a = h.post("/sandbox/enroll", json!({"token": secret})).await;
    assert_eq!(a.status, 201, "{:?}", a.body);
    assert_eq!(JoinKeySecretField::default().as_str(), "token");
}

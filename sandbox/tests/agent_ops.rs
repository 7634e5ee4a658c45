//! Agent exec control, credentials and key rotation.

mod common;

use reqwest::Method;
use serde_json::{json, Value};
use xeroctl_sandbox::ids;

fn agent_path(id: &str, action: &str) -> String {
    format!("/management/agents/{id}/{action}")
}

async fn event_types(h: &common::Harness, id: &str) -> Vec<Value> {
    h.list_all(&format!("/management/agents/{id}/events"), 100)
        .await
}

#[tokio::test]
async fn agents_carry_exec_pause_fields() {
    let h = common::start().await;
    let a = h
        .get(&format!("/management/agents/{}", ids::AGENT_ACTIVE))
        .await;
    assert_eq!(a.body["exec_paused"], false);
    assert_eq!(a.body["exec_paused_workspaces"], json!([]));
    let all = h.list_all("/management/agents", 20).await;
    assert_eq!(all.len(), 6, "the seed adds no agents");
    assert!(all.iter().all(|a| a["exec_paused"].is_boolean()));

    let paused = h
        .get(&format!("/management/agents/{}", ids::AGENT_EXEC_PAUSED))
        .await;
    assert_eq!(paused.body["exec_paused"], false);
    assert_eq!(
        paused.body["exec_paused_workspaces"],
        json!([ids::AGENT_EXEC_PAUSED_WORKSPACE])
    );
    let events = event_types(&h, ids::AGENT_EXEC_PAUSED).await;
    let last = events.last().unwrap();
    assert_eq!(last["event_type"], "exec_paused");
    assert_eq!(
        last["details"]["workspace_id"],
        ids::AGENT_EXEC_PAUSED_WORKSPACE
    );
    // The seeded pause can be lifted.
    let r = h
        .post(
            &agent_path(ids::AGENT_EXEC_PAUSED, "resume-exec"),
            json!({"workspace_id": ids::AGENT_EXEC_PAUSED_WORKSPACE}),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["exec_paused_workspaces"], json!([]));
}

#[tokio::test]
async fn pause_and_resume_exec() {
    let h = common::start().await;
    let id = ids::AGENT_ACTIVE;
    let (pause, resume) = (agent_path(id, "pause-exec"), agent_path(id, "resume-exec"));
    let ws = json!({"workspace_id": ids::WORKSPACE, "reason": "investigating"});
    let a = h.post(&pause, ws.clone()).await;
    assert_eq!(a.status, 200, "{:?}", a.body);
    assert_eq!(a.body["object"], "agent");
    assert_eq!(a.body["exec_paused"], false);
    assert_eq!(a.body["exec_paused_workspaces"], json!([ids::WORKSPACE]));
    let shown = h.get(&format!("/management/agents/{id}")).await;
    assert_eq!(
        shown.body["exec_paused_workspaces"],
        json!([ids::WORKSPACE])
    );
    let again = h.post(&pause, ws).await;
    assert_eq!(
        (again.status.as_u16(), again.code()),
        (409, "agent_exec_paused")
    );

    // Everywhere: an empty body is allowed.
    let a = h
        .send_with_key(Method::POST, &pause, Some(h.sb.api_key()), None)
        .await;
    assert_eq!(a.status, 200, "{:?}", a.body);
    assert_eq!(a.body["exec_paused"], true);
    assert_eq!(h.post(&pause, json!({})).await.code(), "agent_exec_paused");
    let covered = h
        .post(&pause, json!({"workspace_id": ids::WORKSPACE_2}))
        .await;
    assert_eq!(covered.status, 409, "already paused everywhere");
    assert_eq!(covered.code(), "agent_exec_paused");

    let not = h
        .post(&resume, json!({"workspace_id": ids::WORKSPACE_2}))
        .await;
    assert_eq!(
        (not.status.as_u16(), not.code()),
        (409, "agent_exec_not_paused")
    );
    let r = h
        .post(&resume, json!({"workspace_id": ids::WORKSPACE}))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["exec_paused_workspaces"], json!([]));
    assert_eq!(r.body["exec_paused"], true);
    let r = h.post(&resume, json!({})).await;
    assert_eq!(r.body["exec_paused"], false);
    let shown = h.get(&format!("/management/agents/{id}")).await;
    assert_eq!(shown.body["exec_paused"], false);
    let none = h.post(&resume, json!({})).await;
    assert_eq!(
        (none.status.as_u16(), none.code()),
        (409, "agent_exec_not_paused")
    );

    // Resuming without a workspace lifts workspace pauses too.
    h.post(&pause, json!({"workspace_id": ids::WORKSPACE_2}))
        .await;
    let r = h.post(&resume, json!({})).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["exec_paused_workspaces"], json!([]));

    let events = event_types(&h, id).await;
    let paused: Vec<&Value> = events
        .iter()
        .filter(|e| e["event_type"] == "exec_paused")
        .collect();
    assert_eq!(paused.len(), 3);
    assert_eq!(paused[0]["details"]["reason"], "investigating");
    assert_eq!(paused[0]["details"]["workspace_id"], ids::WORKSPACE);
    assert!(paused[1]["details"]["workspace_id"].is_null());
    assert_eq!(
        events
            .iter()
            .filter(|e| e["event_type"] == "exec_resumed")
            .count(),
        3
    );
}

#[tokio::test]
async fn exec_control_errors() {
    let h = common::start().await;
    for action in [
        "pause-exec",
        "resume-exec",
        "revoke-credentials",
        "curve-rotate",
    ] {
        // Bodies are checked first: give each a valid one.
        let body = if action == "curve-rotate" {
            json!({"reason": "x"})
        } else {
            json!({})
        };
        let a = h.post(&agent_path("agt_none", action), body).await;
        assert_eq!(
            (a.status.as_u16(), a.code()),
            (404, "agent_not_found"),
            "{action}"
        );
        let a = h
            .post(&agent_path(ids::AGENT_ACTIVE, action), json!({"bogus": 1}))
            .await;
        assert_eq!(
            (a.status.as_u16(), a.code()),
            (400, "invalid_body"),
            "{action}"
        );
        assert_eq!(a.param(), Some("bogus"));
        let a = h
            .send_with_key(
                Method::POST,
                &agent_path(ids::AGENT_ACTIVE, action),
                None,
                None,
            )
            .await;
        assert_eq!(a.status, 401, "{action}");
    }
    for action in ["pause-exec", "resume-exec"] {
        let a = h
            .post(
                &agent_path(ids::AGENT_ACTIVE, action),
                json!({"workspace_id": "ws_nope"}),
            )
            .await;
        assert_eq!((a.status.as_u16(), a.code()), (404, "workspace_not_found"));
        let a = h
            .post(
                &agent_path(ids::AGENT_ACTIVE, action),
                json!({"workspace_id": 7}),
            )
            .await;
        assert_eq!(a.param(), Some("workspace_id"));
    }
    // The management scope is enough.
    let mgmt = h.sb.management_only_key().to_string();
    let a = h
        .send_with_key(
            Method::POST,
            &agent_path(ids::AGENT_ACTIVE_2, "pause-exec"),
            Some(&mgmt),
            Some(json!({})),
        )
        .await;
    assert_eq!(a.status, 200);
    let a = h.get(&agent_path(ids::AGENT_ACTIVE, "pause-exec")).await;
    assert_eq!(a.status, 405);
}

#[tokio::test]
async fn revoke_credentials_makes_the_agent_pending() {
    let h = common::start().await;
    let id = ids::AGENT_ACTIVE;
    let a = h
        .post(
            &agent_path(id, "revoke-credentials"),
            json!({"reason": "host reimaged"}),
        )
        .await;
    assert_eq!(a.status, 200, "{:?}", a.body);
    assert_eq!(a.body["status"], "pending");
    assert!(a.body["worker_id"].is_null());
    let shown = h.get(&format!("/management/agents/{id}")).await;
    assert_eq!(shown.body["status"], "pending");
    assert!(shown.body["worker_id"].is_null());
    let events = event_types(&h, id).await;
    let last = events.last().unwrap();
    assert_eq!(last["event_type"], "credentials_revoked");
    assert_eq!(last["details"]["worker_id"], "wrk_9f3a");
    assert_eq!(last["details"]["reason"], "host reimaged");
    // Without a reason, and again: still 200.
    let again = h
        .send_with_key(
            Method::POST,
            &agent_path(id, "revoke-credentials"),
            Some(h.sb.api_key()),
            None,
        )
        .await;
    assert_eq!(again.status, 200);
}

#[tokio::test]
async fn curve_rotate_needs_a_reason() {
    let h = common::start().await;
    let path = agent_path(ids::AGENT_ACTIVE_2, "curve-rotate");
    let a = h.post(&path, json!({"reason": "quarterly rotation"})).await;
    assert_eq!(a.status, 202, "{:?}", a.body);
    let mut keys: Vec<&str> = a
        .body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        ["agent_id", "object", "reason", "requested_at", "status"]
    );
    assert_eq!(a.body["object"], "agent.key_rotation");
    assert_eq!(a.body["agent_id"], ids::AGENT_ACTIVE_2);
    assert_eq!(a.body["status"], "requested");
    assert_eq!(a.body["reason"], "quarterly rotation");
    assert!(a.body["requested_at"].as_str().unwrap().ends_with('Z'));
    let events = event_types(&h, ids::AGENT_ACTIVE_2).await;
    let last = events.last().unwrap();
    assert_eq!(last["event_type"], "key_rotation_requested");
    assert_eq!(last["details"]["reason"], "quarterly rotation");

    for body in [
        Some(json!({})),
        Some(json!({"reason": ""})),
        Some(json!({"reason": 3})),
        None,
    ] {
        let a = h
            .send_with_key(Method::POST, &path, Some(h.sb.api_key()), body.clone())
            .await;
        assert_eq!(
            (a.status.as_u16(), a.code()),
            (400, "validation_error"),
            "{body:?}"
        );
        assert_eq!(a.param(), Some("reason"));
    }
}

#[tokio::test]
async fn a_paused_agent_is_not_picked_to_execute() {
    let h = common::start().await;
    let run = |ws: &'static str| {
        let h = &h;
        async move {
            let a = h
                .post(
                    "/exec/invocations",
                    json!({"workspace_id": ws, "tool": "kubectl_get", "arguments": {"resource": "pods"}}),
                )
                .await;
            let done = h
                .wait_invocation(a.body["id"].as_str().unwrap(), &["completed"])
                .await;
            let e = h
                .get(&format!(
                    "/exec/executions/{}",
                    done["execution_id"].as_str().unwrap()
                ))
                .await;
            e.body["agent_id"].as_str().unwrap().to_string()
        }
    };
    // ws_demo0001 prefers agt_3Lm9, which is paused there.
    assert_eq!(run(ids::WORKSPACE_2).await, ids::AGENT_ACTIVE);
    h.post(
        &agent_path(ids::AGENT_EXEC_PAUSED, "resume-exec"),
        json!({}),
    )
    .await;
    assert_eq!(run(ids::WORKSPACE_2).await, ids::AGENT_ACTIVE_2);
}

//! Agent candidates: list, show, approve (creates the agent), reject, and
//! the routing next to `/management/agents/{id}`.

mod common;

use reqwest::Method;
use serde_json::{json, Value};
use xeroctl_sandbox::ids;

async fn event_types(h: &common::Harness, id: &str) -> Vec<Value> {
    h.list_all(&format!("/management/agents/{id}/events"), 100)
        .await
}

#[tokio::test]
async fn candidates_list_filter_and_show() {
    let h = common::start().await;
    let all = h.list_all("/management/agents/candidates", 1).await;
    assert_eq!(all.len(), 4);
    let status = |id: &str| {
        all.iter().find(|c| c["id"] == id).unwrap()["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(status(ids::CANDIDATE_PENDING), "pending");
    assert_eq!(status(ids::CANDIDATE_PENDING_2), "pending");
    assert_eq!(status(ids::CANDIDATE_APPROVED), "approved");
    assert_eq!(status(ids::CANDIDATE_REJECTED), "rejected");

    let pending = h.get("/management/agents/candidates?status=pending").await;
    let pending: Vec<&str> = pending.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(pending, [ids::CANDIDATE_PENDING, ids::CANDIDATE_PENDING_2]);
    let bad = h.get("/management/agents/candidates?status=maybe").await;
    assert_eq!((bad.status.as_u16(), bad.code()), (400, "validation_error"));
    assert_eq!(bad.param(), Some("status"));
    let bad = h.get("/management/agents/candidates?after=cand_none").await;
    assert_eq!(bad.param(), Some("after"));

    let c = h
        .get(&format!(
            "/management/agents/candidates/{}",
            ids::CANDIDATE_PENDING
        ))
        .await;
    assert_eq!(c.status, 200);
    let mut keys: Vec<&str> = c
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
            "agent_id",
            "created_at",
            "fingerprint",
            "hostname",
            "id",
            "object",
            "region",
            "resolved_at",
            "status",
            "worker_id"
        ]
    );
    assert_eq!(c.body["object"], "agent.candidate");
    assert_eq!(c.body["hostname"], "gpu-node-17");
    assert!(c.body["fingerprint"]
        .as_str()
        .unwrap()
        .starts_with("SHA256:"));
    assert!(c.body["agent_id"].is_null() && c.body["resolved_at"].is_null());
    let approved = h
        .get(&format!(
            "/management/agents/candidates/{}",
            ids::CANDIDATE_APPROVED
        ))
        .await;
    assert_eq!(approved.body["agent_id"], ids::AGENT_ERROR);
    assert!(approved.body["resolved_at"].is_string());
    let nf = h.get("/management/agents/candidates/cand_none").await;
    assert_eq!(
        (nf.status.as_u16(), nf.code()),
        (404, "candidate_not_found")
    );
}

#[tokio::test]
async fn approving_a_candidate_creates_its_agent() {
    let h = common::start().await;
    let path = format!("/management/agents/candidates/{}", ids::CANDIDATE_PENDING);
    let a = h.post(&format!("{path}/approve"), json!({})).await;
    assert_eq!(a.status, 200, "{:?}", a.body);
    assert_eq!(a.body["status"], "approved");
    assert!(a.body["resolved_at"].is_string());
    let agent_id = a.body["agent_id"].as_str().unwrap().to_string();
    assert!(agent_id.starts_with("agt_"));
    assert_eq!(h.get(&path).await.body["agent_id"], agent_id.as_str());

    let agent = h.get(&format!("/management/agents/{agent_id}")).await;
    assert_eq!(agent.status, 200);
    assert_eq!(agent.body["name"], "gpu-node-17");
    assert_eq!(agent.body["worker_id"], "wrk_e1a7");
    assert_eq!(agent.body["region"], "us-east");
    assert_eq!(agent.body["status"], "pending");
    assert_eq!(agent.body["exec_paused"], false);
    let all = h.list_all("/management/agents", 100).await;
    assert_eq!(all.len(), 7);
    assert!(all.iter().any(|a| a["id"] == agent_id.as_str()));
    let events = event_types(&h, &agent_id).await;
    assert_eq!(events[0]["event_type"], "created");
    assert_eq!(events[1]["event_type"], "enrolled");
    assert_eq!(events[1]["details"]["candidate_id"], ids::CANDIDATE_PENDING);

    for action in ["approve", "reject"] {
        let again = h.post(&format!("{path}/{action}"), json!({})).await;
        assert_eq!(
            (again.status.as_u16(), again.code()),
            (409, "candidate_resolved")
        );
    }
    let seeded = h
        .post(
            &format!(
                "/management/agents/candidates/{}/approve",
                ids::CANDIDATE_REJECTED
            ),
            json!({}),
        )
        .await;
    assert_eq!(seeded.code(), "candidate_resolved");

    // A name of the operator's choice; a taken one is refused and nothing
    // changes.
    let p2 = format!("/management/agents/candidates/{}", ids::CANDIDATE_PENDING_2);
    let taken = h
        .post(&format!("{p2}/approve"), json!({"name": "gpu-worker-1"}))
        .await;
    assert_eq!(
        (taken.status.as_u16(), taken.code()),
        (409, "agent_name_taken")
    );
    assert_eq!(h.get(&p2).await.body["status"], "pending");
    let bad = h.post(&format!("{p2}/approve"), json!({"name": ""})).await;
    assert_eq!((bad.status.as_u16(), bad.param()), (400, Some("name")));
    let named = h
        .post(&format!("{p2}/approve"), json!({"name": "cpu-04"}))
        .await;
    assert_eq!(named.status, 200);
    let agent = named.body["agent_id"].as_str().unwrap();
    assert_eq!(
        h.get(&format!("/management/agents/{agent}")).await.body["name"],
        "cpu-04"
    );
    let nf = h
        .post("/management/agents/candidates/cand_none/approve", json!({}))
        .await;
    assert_eq!(
        (nf.status.as_u16(), nf.code()),
        (404, "candidate_not_found")
    );
}

#[tokio::test]
async fn rejecting_a_candidate() {
    let h = common::start().await;
    let path = format!("/management/agents/candidates/{}", ids::CANDIDATE_PENDING_2);
    let r = h
        .post(&format!("{path}/reject"), json!({"reason": "unknown host"}))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["status"], "rejected");
    assert!(r.body["agent_id"].is_null());
    assert!(r.body["resolved_at"].is_string());
    assert_eq!(h.get(&path).await.body["status"], "rejected");
    let again = h
        .send_with_key(
            Method::POST,
            &format!("{path}/reject"),
            Some(h.sb.api_key()),
            None,
        )
        .await;
    assert_eq!(
        (again.status.as_u16(), again.code()),
        (409, "candidate_resolved")
    );
    let approve = h.post(&format!("{path}/approve"), json!({})).await;
    assert_eq!(approve.code(), "candidate_resolved");
    assert_eq!(h.list_all("/management/agents", 100).await.len(), 6);
    let nf = h
        .post("/management/agents/candidates/cand_none/reject", json!({}))
        .await;
    assert_eq!(nf.code(), "candidate_not_found");
    let bad = h
        .post(&format!("{path}/reject"), json!({"reason": false}))
        .await;
    assert_eq!((bad.status.as_u16(), bad.param()), (400, Some("reason")));
}

#[tokio::test]
async fn candidates_are_not_taken_for_an_agent_id() {
    let h = common::start().await;
    let list = h.get("/management/agents/candidates").await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body["object"], "list");
    assert_eq!(list.body["data"][0]["object"], "agent.candidate");
    let one = h
        .get(&format!(
            "/management/agents/candidates/{}",
            ids::CANDIDATE_PENDING
        ))
        .await;
    assert_eq!(one.body["object"], "agent.candidate");
    // Methods of /management/agents/{id} do not apply to it.
    let del = h.delete("/management/agents/candidates").await;
    assert_eq!(del.status, 405);
    let patch = h
        .patch("/management/agents/candidates", json!({"name": "x"}))
        .await;
    assert_eq!(patch.status, 405);
    // And an agent path with a candidate id is an agent lookup.
    let a = h
        .get(&format!("/management/agents/{}", ids::CANDIDATE_PENDING))
        .await;
    assert_eq!((a.status.as_u16(), a.code()), (404, "agent_not_found"));
    // Agent sub-routes still work next to the candidate routes.
    let ev = h
        .get(&format!("/management/agents/{}/events", ids::AGENT_ACTIVE))
        .await;
    assert_eq!(ev.status, 200);
    let mgmt = h.sb.management_only_key().to_string();
    let a = h
        .send_with_key(
            Method::GET,
            "/management/agents/candidates",
            Some(&mgmt),
            None,
        )
        .await;
    assert_eq!(a.status, 200);
    let a = h
        .send_with_key(Method::GET, "/management/agents/candidates", None, None)
        .await;
    assert_eq!((a.status.as_u16(), a.code()), (401, "invalid_api_key"));
}

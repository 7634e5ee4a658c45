//! `agents candidates`: list, show, approve, reject.

use insta::assert_snapshot;
use serde_json::json;
use wiremock::matchers::{body_json, query_param};
use wiremock::MockServer;

use crate::support::*;

fn candidate(id: &str, status: &str) -> serde_json::Value {
    json!({"id": id, "object": "agent.candidate", "worker_id": "wrk_77aa", "hostname": "gpu-node-17",
        "region": "us-east", "fingerprint": "SHA256:q1w2e3", "status": status, "agent_id": null,
        "created_at": "2026-11-23T05:00:00Z", "resolved_at": null})
}

#[tokio::test]
async fn list_with_a_status_filter() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents/candidates")
        .and(query_param("status", "pending"))
        .respond_with(json(
            200,
            page(vec![candidate("cand_3b9e", "pending")], false),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let run = Harness::new(&server)
        .run(&["agents", "candidates", "--status", "pending"])
        .await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    ID         HOSTNAME     WORKER_ID  REGION   FINGERPRINT    STATUS   CREATED
    cand_3b9e  gpu-node-17  wrk_77aa   us-east  SHA256:q1w2e3  pending  2026-11-23 05:00:00
    --- stderr
    ");
}

#[tokio::test]
async fn show_and_a_missing_one() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents/candidates/cand_3b9e")
        .respond_with(json(200, candidate("cand_3b9e", "pending")))
        .mount(&server)
        .await;
    expect("GET", "/management/agents/candidates/cand_x")
        .respond_with(api_error(
            404,
            "candidate_not_found",
            "Candidate cand_x not found",
        ))
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let run = h
        .run(&["agents", "candidates", "cand_3b9e", "-o", "json"])
        .await;
    assert_eq!(run.json()["hostname"], json!("gpu-node-17"));
    let run = h.run(&["agents", "candidates", "cand_x"]).await;
    assert_eq!(run.code, 4, "{run}");
}

#[tokio::test]
async fn approve_with_force_creates_an_agent() {
    let server = MockServer::start().await;
    let mut approved = candidate("cand_3b9e", "approved");
    approved["agent_id"] = json!("agt_new1");
    expect("POST", "/management/agents/candidates/cand_3b9e/approve")
        .and(body_json(json!({"name": "gpu-node-17"})))
        .respond_with(json(200, approved))
        .expect(1)
        .mount(&server)
        .await;
    let run = Harness::new(&server)
        .run(&[
            "agents",
            "candidates",
            "cand_3b9e",
            "--approve",
            "--name",
            "gpu-node-17",
            "--force",
        ])
        .await;
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stderr
            .starts_with("Approved candidate cand_3b9e: it joined as agent agt_new1.\n"),
        "{run}"
    );
}

#[tokio::test]
async fn deciding_without_a_terminal_or_force_refuses_and_sends_nothing() {
    let server = MockServer::start().await;
    let h = Harness::new(&server);
    let approve = h
        .run(&["agents", "candidates", "cand_3b9e", "--approve"])
        .await;
    let reject = h
        .run(&[
            "agents",
            "candidates",
            "cand_3b9e",
            "--reject",
            "--reason",
            "x",
        ])
        .await;
    assert_snapshot!(format!("{approve}\n{reject}"), @r"
    exit: 2
    --- stdout
    --- stderr
    error: refusing to approve candidate cand_3b9e without confirmation: no terminal to ask on
    hint: re-run with --force (or --yes) to skip the prompt, or --dry-run to see what would happen

    exit: 2
    --- stdout
    --- stderr
    error: refusing to reject candidate cand_3b9e without confirmation: no terminal to ask on
    hint: re-run with --force (or --yes) to skip the prompt, or --dry-run to see what would happen
    ");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_resolved_candidate_is_a_conflict() {
    let server = MockServer::start().await;
    expect("POST", "/management/agents/candidates/cand_1/reject")
        .and(body_json(json!({"reason": "unknown host"})))
        .respond_with(api_error(
            409,
            "candidate_resolved",
            "Candidate cand_1 is already approved",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let run = Harness::new(&server)
        .run(&[
            "agents",
            "candidates",
            "cand_1",
            "--reject",
            "--reason",
            "unknown host",
            "--yes",
        ])
        .await;
    assert_eq!(run.code, 5, "{run}");
}

#[tokio::test]
async fn dry_run_and_stray_options() {
    let server = MockServer::start().await;
    let h = Harness::new(&server);
    let run = h
        .run(&[
            "agents",
            "candidates",
            "cand_1",
            "--approve",
            "--dry-run",
            "-o",
            "json",
        ])
        .await;
    assert_eq!(run.json()["body"], json!({}));
    for args in [
        &[
            "agents",
            "candidates",
            "cand_1",
            "--approve",
            "--reason",
            "x",
        ][..],
        &["agents", "candidates", "cand_1", "--reject", "--name", "x"],
        &["agents", "candidates", "--approve"],
        &["agents", "candidates", "cand_1", "--all"],
        &["agents", "candidates", "cand_1", "--approve", "--reject"],
    ] {
        let run = h.run(args).await;
        assert_eq!(run.code, 2, "{args:?}: {run}");
    }
    assert!(received(&server).await.is_empty());
}

/// A table-mode dry run shows the candidate the decision would act on (one
/// GET) and says what would be sent; nothing is.
#[tokio::test]
async fn a_dry_run_shows_the_candidate() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents/candidates/cand_3b9e")
        .respond_with(json(200, candidate("cand_3b9e", "pending")))
        .expect(1)
        .mount(&server)
        .await;
    let run = Harness::new(&server)
        .run(&[
            "agents",
            "candidates",
            "cand_3b9e",
            "--approve",
            "--dry-run",
        ])
        .await;
    assert_snapshot!(run.to_string().replace(&server.uri(), "http://ROUTER"));
    let sent = received(&server).await;
    assert!(sent.iter().all(|r| r.method.as_str() == "GET"), "{sent:?}");
}

//! `xeroctl agents`: requests on the wire, output and exit codes.

use serde_json::json;
use wiremock::matchers::{body_json, query_param};
use wiremock::MockServer;

use crate::support::*;

#[tokio::test]
async fn list_sends_limit_and_after_and_prints_a_table() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents")
        .and(query_param("limit", "50"))
        .and(query_param("after", "agt_abc123"))
        .respond_with(json(200, page(vec![agent("agt_1", "gpu-1")], false)))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["agents", "--limit", "50", "--after", "agt_abc123"])
        .await;
    run.expect_code(0);
    let out = run.stdout();
    assert!(out.starts_with("ID"), "{out}");
    assert!(
        out.contains("agt_1") && out.contains("gpu-1") && out.contains("12s ago"),
        "{out}"
    );
}

#[tokio::test]
async fn create_sends_only_given_fields_in_bytes() {
    let server = MockServer::start().await;
    expect("POST", "/management/agents")
        .and(body_json(json!({
            "name": "gpu-worker-3", "region": "eu-west", "max_concurrent_requests": 4,
            "description": "H100 worker for production", "supported_tiers": ["priority", "default"],
            "storage_limit_bytes": 500_000_000_000u64
        })))
        .and(wiremock::matchers::header(
            "content-type",
            "application/json",
        ))
        .respond_with(json(201, agent("agt_new", "gpu-worker-3")))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&[
            "agents",
            "--create",
            "--name",
            "gpu-worker-3",
            "--region",
            "eu-west",
            "--max-concurrent",
            "4",
            "--description",
            "H100 worker for production",
            "--supported-tiers",
            "priority, default",
            "--storage-limit",
            "500",
            "-o",
            "json",
        ])
        .await;
    run.expect_code(0);
    assert_eq!(run.json()["id"], "agt_new");
}

#[tokio::test]
async fn two_actions_or_stray_options_send_nothing() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let env = Env::for_server(&server);
    env.run(&["agents", "agt_1", "--update", "--delete"])
        .await
        .expect_code(2);
    let run = env
        .run(&["agents", "agt_1", "--update", "--region", "x"])
        .await;
    run.expect_code(2);
    assert!(run.stderr().contains("--region"), "{}", run.stderr());
    env.run(&["agents", "--force"]).await.expect_code(2);
    env.run(&["agents", "--limit", "0"]).await.expect_code(2);
    env.run(&["agents", "agt_1", "--update"])
        .await
        .expect_code(2);
}

#[tokio::test]
async fn delete_without_tty_or_force_refuses() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let run = Env::for_server(&server)
        .run(&["agents", "agt_1", "--delete"])
        .await;
    run.expect_code(2);
    assert!(run.stderr().contains("--force"), "{}", run.stderr());
}

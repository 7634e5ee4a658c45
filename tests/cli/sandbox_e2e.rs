//! End to end: the real binary against the sandbox router (in-process, on a
//! free loopback port, with a fast state-machine tick).

use std::time::Duration;

use xeroctl_sandbox::{ids, Sandbox, SandboxOptions};

use crate::support::*;

pub async fn start(agents: usize) -> Sandbox {
    Sandbox::start(SandboxOptions {
        port: 0,
        agents,
        tick: Duration::from_millis(20),
        ..Default::default()
    })
    .await
    .expect("sandbox starts")
}

pub fn env_for(sandbox: &Sandbox) -> Env {
    Env::new(
        Some(sandbox.base_url()),
        Some(sandbox.api_key().to_string()),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn enrollment_flow_mints_a_key_a_worker_uses_and_the_agent_appears() {
    let sandbox = start(0).await;
    let env = env_for(&sandbox);

    let run = env
        .run(&[
            "agents",
            "join-keys",
            "--create",
            "--region",
            "us-east",
            "--max-enrollments",
            "1",
            "-o",
            "json",
        ])
        .await;
    run.expect_code(0);
    let key = run.json();
    let token = key["token"].as_str().expect("token in JSON").to_string();
    let key_id = key["id"].as_str().unwrap().to_string();
    assert_eq!(key["status"], "active");

    // The worker side: enroll with the token (sandbox-only endpoint).
    let enroll_url = sandbox.base_url() + "/sandbox/enroll";
    let resp = reqwest::Client::new()
        .post(enroll_url)
        .header("content-type", "application/json")
        .body(serde_json::json!({"token": token, "name": "enrolled-worker"}).to_string())
        .send()
        .await
        .expect("enroll request");
    assert_eq!(resp.status().as_u16(), 201, "enroll answered");

    let run = env.run(&["agents", "--all", "-o", "json"]).await;
    run.expect_code(0);
    let enrolled = run.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "enrolled-worker")
        .cloned()
        .expect("the enrolled agent is listed");
    assert_eq!(enrolled["status"], "pending");
    assert_eq!(enrolled["region"], "us-east");
    let run = env.run(&["agents", "join-keys", &key_id]).await;
    run.expect_code(0);
    assert!(run.stdout().contains("exhausted"), "{}", run.stdout());

    // Revoking an exhausted key works once, then conflicts.
    env.run(&["agents", "join-keys", &key_id, "--revoke", "--force"])
        .await
        .expect_code(0);
    env.run(&["agents", "join-keys", &key_id, "--revoke", "--force"])
        .await
        .expect_code(5);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn agent_lifecycle_against_the_sandbox() {
    let sandbox = start(0).await;
    let env = env_for(&sandbox);
    let run = env
        .run(&[
            "agents",
            "--create",
            "--name",
            "e2e-worker",
            "--region",
            "eu-west",
            "--max-concurrent",
            "4",
            "-o",
            "json",
        ])
        .await;
    run.expect_code(0);
    let id = run.json()["id"].as_str().unwrap().to_string();
    assert_eq!(run.json()["status"], "pending");

    env.run(&["agents", &id, "--update", "--description", "updated by e2e"])
        .await
        .expect_code(0);
    let run = env.run(&["agents", &id]).await;
    run.expect_code(0);
    assert!(run.stdout().contains("updated by e2e"));
    assert!(run.stdout().contains("eu-west"));

    // Same name again: 409 agent_name_taken.
    env.run(&["agents", "--create", "--name", "e2e-worker"])
        .await
        .expect_code(5);

    let run = env.run(&["agents", ids::AGENT_ACTIVE, "--events"]).await;
    run.expect_code(0);
    assert!(run.stdout().contains("EVENT_TYPE"));

    env.run(&["agents", &id, "--delete", "--yes"])
        .await
        .expect_code(0);
    env.run(&["agents", &id]).await.expect_code(4);

    // A management-only key cannot read exec; a wrong key is refused.
    let bad = Env::new(Some(sandbox.base_url()), Some("xero_demo_wrong".into()));
    bad.run(&["agents"]).await.expect_code(3);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn all_streams_a_few_thousand_agents() {
    let sandbox = start(3000).await;
    let env = env_for(&sandbox);
    let run = env.run(&["agents", "--all", "-o", "json"]).await;
    run.expect_code(0);
    let body = run.json();
    let data = body["data"].as_array().unwrap();
    assert!(data.len() >= 3000, "{}", data.len());
    assert_eq!(body["has_more"], false);
    let mut ids: Vec<&str> = data.iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(body["first_id"].as_str(), ids.first().copied());
    assert_eq!(body["last_id"].as_str(), ids.last().copied());
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), data.len(), "no duplicates across pages");

    let run = env.run(&["agents", "--all"]).await;
    run.expect_code(0);
    assert_eq!(
        run.stdout().lines().count(),
        data.len() + 1,
        "header + one row per agent"
    );
    sandbox.shutdown().await;
}

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

fn field(run: &Run, name: &str) -> String {
    run.json()[name]
        .as_str()
        .unwrap_or_else(|| panic!("no {name} in {}", run.stdout()))
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn read_tool_invoke_wait_then_raw_output() {
    let sandbox = start(0).await;
    let env = env_for(&sandbox);
    let run = env
        .run(&[
            "exec",
            "invoke",
            "--workspace",
            ids::WORKSPACE,
            "--tool",
            "kubectl_get",
            "--args",
            r#"{"resource": "pods", "namespace": "default"}"#,
            "--wait",
            "--interval",
            "0.02",
            "-o",
            "json",
        ])
        .await;
    run.expect_code(0);
    assert_eq!(run.json()["status"], "completed");
    let execution = field(&run, "execution_id");

    let run = env.run(&["exec", "show", &execution, "-o", "json"]).await;
    run.expect_code(0);
    let size = run.json()["output_bytes"].as_u64().unwrap();
    let run = env.run(&["exec", "raw", &execution]).await;
    run.expect_code(0);
    assert_eq!(run.0.stdout.len() as u64, size, "raw is byte-exact");
    assert!(run.stdout().contains("NAME"), "{}", run.stdout());
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn destructive_invoke_approve_watch_raw() {
    let sandbox = start(0).await;
    let env = env_for(&sandbox);
    let run = env
        .run(&[
            "exec",
            "invoke",
            "--workspace",
            ids::WORKSPACE,
            "--tool",
            "kubectl_drain",
            "--args",
            r#"{"node": "node-7"}"#,
            "-o",
            "json",
        ])
        .await;
    run.expect_code(0);
    assert_eq!(run.json()["status"], "pending_approval");
    let invocation = field(&run, "id");
    let approval = field(&run, "approval_id");
    assert!(
        run.stderr()
            .contains(&format!("xeroctl approvals approve {approval}")),
        "{}",
        run.stderr()
    );

    // Nothing runs while it waits.
    let run = env
        .run(&[
            "exec",
            "watch",
            &invocation,
            "--interval",
            "0.02",
            "--timeout",
            "0.2",
        ])
        .await;
    run.expect_code(8);

    // No terminal and no --force: refused, and still pending.
    env.run(&["approvals", "approve", &approval])
        .await
        .expect_code(2);
    let run = env
        .run(&["approvals", "show", &approval, "-o", "json"])
        .await;
    assert_eq!(run.json()["status"], "pending");

    let run = env
        .run(&[
            "approvals",
            "approve",
            &approval,
            "--note",
            "e2e",
            "--force",
            "-o",
            "json",
        ])
        .await;
    run.expect_code(0);
    assert_eq!(run.json()["status"], "approved");
    env.run(&["approvals", "approve", &approval, "--force"])
        .await
        .expect_code(5);

    let run = env
        .run(&[
            "exec",
            "watch",
            &invocation,
            "--interval",
            "0.02",
            "-o",
            "json",
        ])
        .await;
    run.expect_code(0);
    assert_eq!(run.json()["status"], "completed");
    let execution = field(&run, "execution_id");
    let run = env.run(&["exec", "raw", &execution]).await;
    run.expect_code(0);
    assert!(run.stdout().contains("node-7"), "{}", run.stdout());
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn rejected_failed_and_timed_out_runs_exit_7() {
    let sandbox = start(0).await;
    let env = env_for(&sandbox);
    let invoke = |tool: &'static str, args: &'static str| {
        let env = &env;
        async move {
            env.run(&[
                "exec",
                "invoke",
                "--workspace",
                ids::WORKSPACE,
                "--tool",
                tool,
                "--args",
                args,
                "-o",
                "json",
            ])
            .await
        }
    };

    let run = invoke("db_drop_database", r#"{"database": "scratch"}"#).await;
    run.expect_code(0);
    let (invocation, approval) = (field(&run, "id"), field(&run, "approval_id"));
    env.run(&["approvals", "reject", &approval, "--reason", "no", "--yes"])
        .await
        .expect_code(0);
    let run = env
        .run(&["exec", "watch", &invocation, "--interval", "0.02"])
        .await;
    run.expect_code(7);
    assert!(run.stderr().contains("rejected"), "{}", run.stderr());

    for (tool, status) in [("flaky_check", "failed"), ("slow_probe", "timeout")] {
        let args = if tool == "slow_probe" {
            r#"{"host": "10.0.0.9"}"#
        } else {
            "{}"
        };
        let run = invoke(tool, args).await;
        run.expect_code(0);
        let invocation = field(&run, "id");
        let run = env
            .run(&[
                "exec",
                "watch",
                &invocation,
                "--interval",
                "0.02",
                "-o",
                "json",
            ])
            .await;
        run.expect_code(7);
        assert_eq!(run.json()["status"], status);
    }
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cancel_binary_raw_and_scopes() {
    let sandbox = start(0).await;
    let env = env_for(&sandbox);

    // Cancel a pending invocation once; the second time it is terminal.
    env.run(&["exec", "cancel", ids::INVOCATION_PENDING])
        .await
        .expect_code(0);
    let run = env.run(&["exec", "cancel", ids::INVOCATION_PENDING]).await;
    run.expect_code(5);
    assert!(run.stderr().contains("cancelled"), "{}", run.stderr());

    // Binary output comes through byte for byte.
    let run = env.run(&["exec", "raw", ids::EXECUTION_BINARY]).await;
    run.expect_code(0);
    assert!(run.0.stdout.starts_with(&[0x1f, 0x8b, 0x08, 0x00]));
    // Byte for byte: still the gzip stream the agent produced, not decoded.
    let mut report = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(&run.0.stdout[..]),
        &mut report,
    )
    .expect("the gzip stream as served");
    assert!(report.starts_with("support bundle: node-3\n"), "{report}");

    // Bad arguments are refused by the router's schema check (400 → exit 2).
    let run = env
        .run(&[
            "exec",
            "invoke",
            "--workspace",
            ids::WORKSPACE,
            "--tool",
            "kubectl_scale",
            "--args",
            r#"{"resource": "deploy/web", "replicas": "three"}"#,
        ])
        .await;
    run.expect_code(2);
    assert!(run.stderr().contains("replicas"), "{}", run.stderr());

    // A management-only key: agents work, exec is refused with exit 3.
    let mgmt = Env::new(
        Some(sandbox.base_url()),
        Some(sandbox.management_only_key().into()),
    );
    mgmt.run(&["agents", "--limit", "1"]).await.expect_code(0);
    let run = mgmt.run(&["exec", "tools"]).await;
    run.expect_code(3);
    assert!(run.stderr().contains("scope"), "{}", run.stderr());
    mgmt.run(&["status"]).await.expect_code(3);
    sandbox.shutdown().await;
}

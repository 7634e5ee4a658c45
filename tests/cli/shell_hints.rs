//! Security finding 10: ids and names from the router that go into a
//! suggested command (`hint: xeroctl approvals approve …`) are shell-quoted,
//! so pasting the hint runs xeroctl and nothing else.

use insta::assert_snapshot;
use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer};

use crate::exec::{execution, invocation};
use crate::support::*;

/// Each is one shell word only once quoted.
const APPROVAL_ID: &str = "ap1; touch /tmp/PWNED #";
const INVOCATION_ID: &str = "inv1 $(touch /tmp/PWNED)";
const LAST_ID: &str = "it's`id`";

fn hostile_invocation(status: &str) -> serde_json::Value {
    let mut inv = invocation(status);
    inv["id"] = json!(INVOCATION_ID);
    if status == "pending_approval" {
        inv["approval_id"] = json!(APPROVAL_ID);
    }
    inv
}

async fn mount_invoke(server: &MockServer, status: &str) {
    expect("POST", "/exec/invocations")
        .respond_with(json(201, hostile_invocation(status)))
        .mount(server)
        .await;
    // The hostile id, percent-encoded as one path segment.
    Mock::given(method("GET"))
        .and(path_regex(r"^/demo/v1/exec/invocations/inv1%20"))
        .respond_with(json(200, hostile_invocation(status)))
        .mount(server)
        .await;
}

const INVOKE: [&str; 9] = [
    "exec",
    "invoke",
    "--workspace",
    "ws_a1b2c3d4",
    "--tool",
    "kubectl_get",
    "--args",
    "{}",
    "--no-validate",
];

#[tokio::test]
async fn the_approval_hints_quote_the_routers_ids() {
    let server = MockServer::start().await;
    mount_invoke(&server, "pending_approval").await;
    let run = Env::for_server(&server).run(&INVOKE).await;
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    ID:           inv1 $(touch /tmp/PWNED)
    Status:       pending_approval
    Tool:         kubectl_get
    Workspace:    ws_a1b2c3d4
    Risk:         destructive
    Approval ID:  ap1; touch /tmp/PWNED #
    Approval URL: https://console.example/approvals/a1c0b2d3-0000-4000-8000-000000000001
    Execution ID: -
    Exit code:    -
    Error:        -
    Created:      2026-11-23 06:50:00
    Updated:      2026-11-23 06:50:02
    Completed:    -
    --- stderr
    approval required (destructive tool): nothing runs until a human approves it
      approval id: ap1; touch /tmp/PWNED #
      review:      https://console.example/approvals/a1c0b2d3-0000-4000-8000-000000000001
      approve:     xeroctl approvals approve 'ap1; touch /tmp/PWNED #'
      reject:      xeroctl approvals reject 'ap1; touch /tmp/PWNED #'
    hint: then follow it with: xeroctl exec watch 'inv1 $(touch /tmp/PWNED)'
    ");
}

#[tokio::test]
async fn the_watch_hints_quote_the_routers_ids() {
    let server = MockServer::start().await;
    mount_invoke(&server, "running").await;
    let env = Env::for_server(&server);
    let mut args = INVOKE.to_vec();
    args.extend(["--wait", "--timeout", "0.3", "--interval", "0.1"]);
    let run = env.run(&args).await;
    assert_snapshot!(run, @"
    exit: 8
    --- stdout
    --- stderr
    Invocation inv1 $(touch /tmp/PWNED) of kubectl_get created; watching it (Ctrl+C stops watching, not the run).
    status: running
    error: gave up watching invocation inv1 $(touch /tmp/PWNED) after 0.30 s (still running)
    hint: it may still finish; keep watching with: xeroctl exec watch 'inv1 $(touch /tmp/PWNED)' (raise --timeout to wait longer)
    ");

    // A failed run points at its execution, by the router's id.
    let mut failed = hostile_invocation("failed");
    failed["execution_id"] = json!("exe|1");
    let server = MockServer::start().await;
    expect("POST", "/exec/invocations")
        .respond_with(json(201, failed))
        .mount(&server)
        .await;
    let mut args = INVOKE.to_vec();
    args.push("--wait");
    let run = Env::for_server(&server).run(&args).await;
    assert_snapshot!(run, @"
    exit: 7
    --- stdout
    ID:           inv1 $(touch /tmp/PWNED)
    Status:       failed
    Tool:         kubectl_get
    Workspace:    ws_a1b2c3d4
    Risk:         read
    Execution ID: exe|1
    Exit code:    1
    Error:        kubectl exited with code 1
    Created:      2026-11-23 06:50:00
    Updated:      2026-11-23 06:50:02
    Completed:    2026-11-23 06:50:02
    --- stderr
    Invocation inv1 $(touch /tmp/PWNED) of kubectl_get created; watching it (Ctrl+C stops watching, not the run).
    status: failed
    error: invocation inv1 $(touch /tmp/PWNED) ended failed: kubectl exited with code 1
    hint: inspect it with: xeroctl exec show 'exe|1' (output: xeroctl exec raw 'exe|1')
    ");
}

/// Ctrl+C while `invoke --wait` watches: the resume line names the
/// router's invocation id, quoted.
#[cfg(unix)]
#[tokio::test]
async fn the_resume_hint_quotes_the_routers_id() {
    let server = MockServer::start().await;
    mount_invoke(&server, "running").await;
    let env = Env::for_server(&server);
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("xeroctl"));
    cmd.env_clear()
        .env("HOME", env.home.path())
        .env("XDG_CONFIG_HOME", env.home.path().join("xdg"))
        .env("NO_COLOR", "1")
        .env(
            "XEROCTL_BASE_URL",
            env.base_url.as_deref().unwrap_or_default(),
        )
        .env("XEROCTL_API_KEY", KEY)
        .args(INVOKE)
        .args(["--wait", "--interval", "0.05"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().expect("spawn xeroctl");
    // Once it polls, its Ctrl+C handler is installed.
    let deadline = Instant::now() + Duration::from_secs(20);
    while received(&server).await.len() < 2 {
        assert!(Instant::now() < deadline, "watch never polled");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("join")
        .expect("wait");
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{err}");
    assert_snapshot!(err, @"
    Invocation inv1 $(touch /tmp/PWNED) of kubectl_get created; watching it (Ctrl+C stops watching, not the run).
    status: running
    error: interrupted while watching invocation inv1 $(touch /tmp/PWNED)
    hint: resume with: xeroctl exec watch 'inv1 $(touch /tmp/PWNED)'
    ");
}

#[tokio::test]
async fn the_after_hint_and_show_hints_quote_the_routers_ids() {
    let server = MockServer::start().await;
    let mut listed = page(vec![json!({"id": "ap_1", "status": "pending"})], true);
    listed["last_id"] = json!(LAST_ID);
    expect("GET", "/exec/approvals")
        .respond_with(json(200, listed))
        .mount(&server)
        .await;
    let mut exe = execution("exe_1", "completed");
    exe["id"] = json!("exe_1&&reboot");
    expect("GET", "/exec/executions/exe_1")
        .respond_with(json(200, exe))
        .mount(&server)
        .await;
    let mut tool = crate::exec::tool("kubectl_get", "read");
    tool["name"] = json!("kubectl_get>x");
    expect("GET", "/exec/tools/kubectl_get")
        .respond_with(json(200, tool))
        .mount(&server)
        .await;
    let env = Env::for_server(&server);

    let mut runs = Transcript::default();
    for args in [
        &["approvals", "list"][..],
        &["exec", "show", "exe_1"],
        &["exec", "tool-show", "kubectl_get"],
    ] {
        let run = env.run(args).await;
        run.expect_code(0);
        runs.add(args, &run);
    }
    assert_snapshot!(runs, @r"
    $ approvals list
    exit: 0
    --- stdout
    ID    STATUS   RISK  TOOL  WORKSPACE  CREATED
    ap_1  pending  -     -     -          -
    --- stderr
    hint: more approvals exist: add --after 'it'\''s`id`' for the next page, or --all for everything

    $ exec show exe_1
    exit: 0
    --- stdout
    ID:          exe_1&&reboot
    Invocation:  5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10
    Tool:        kubectl_get
    Workspace:   ws_a1b2c3d4
    Agent:       agt_7Hq2
    Status:      completed
    Exit code:   0
    Duration:    1.84s
    Output size: 5.3 kB (5321 bytes)
    Created:     2026-11-23 06:50:00
    Completed:   2026-11-23 06:50:02
    --- stderr
    hint: raw output: xeroctl exec raw 'exe_1&&reboot'

    $ exec tool-show kubectl_get
    exit: 0
    --- stdout
    Name:        kubectl_get>x
    Description: List or get Kubernetes resources
    Risk:        read
    Approval:    not required
    Domain:      kubernetes
    Timeout:     30s

    Parameters:
    NAME         TYPE    REQUIRED  DESCRIPTION               DETAILS
    resource     string  yes       Resource kind, e.g. pods  -
    namespace    string  no        Namespace to query        default: default
    labels       object  no        Label selector            -
    labels.tier  string  no        tier label                one of: frontend, backend
    --- stderr
    hint: invoke it with: xeroctl exec invoke --workspace <ws_id> --tool 'kubectl_get>x' --args '{…}'
    ");

    // Plain ids stay as they are.
    let mut listed = page(vec![json!({"id": "ap_1"})], true);
    listed["last_id"] = json!("ap_9:x-1.2");
    let server = MockServer::start().await;
    expect("GET", "/exec/approvals")
        .respond_with(json(200, listed))
        .mount(&server)
        .await;
    let run = Env::for_server(&server).run(&["approvals", "list"]).await;
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    ID    STATUS  RISK  TOOL  WORKSPACE  CREATED
    ap_1  -       -     -     -          -
    --- stderr
    hint: more approvals exist: add --after ap_9:x-1.2 for the next page, or --all for everything
    ");
}

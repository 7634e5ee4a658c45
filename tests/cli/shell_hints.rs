//! Security finding 10: ids and names from the router that go into a
//! suggested command (`hint: xeroctl approvals approve …`) are shell-quoted,
//! so pasting the hint runs xeroctl and nothing else.

use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer};

use crate::exec::{execution, invocation};
use crate::support::*;

/// Each is one shell word only once quoted.
const APPROVAL_ID: &str = "ap1; touch /tmp/PWNED #";
const INVOCATION_ID: &str = "inv1 $(touch /tmp/PWNED)";
const QUOTED_INVOCATION: &str = "'inv1 $(touch /tmp/PWNED)'";
const LAST_ID: &str = "it's`id`";
const QUOTED_LAST: &str = r"'it'\''s`id`'";

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
    run.expect_code(0);
    let err = run.stderr();
    for want in [
        "xeroctl approvals approve 'ap1; touch /tmp/PWNED #'\n",
        "xeroctl approvals reject 'ap1; touch /tmp/PWNED #'\n",
        &format!("xeroctl exec watch {QUOTED_INVOCATION}\n"),
    ] {
        assert!(err.contains(want), "missing {want:?}:\n{err}");
    }
}

#[tokio::test]
async fn the_watch_hints_quote_the_routers_ids() {
    let server = MockServer::start().await;
    mount_invoke(&server, "running").await;
    let env = Env::for_server(&server);
    let mut args = INVOKE.to_vec();
    args.extend(["--wait", "--timeout", "0.3", "--interval", "0.1"]);
    let run = env.run(&args).await;
    run.expect_code(8);
    let want = format!("keep watching with: xeroctl exec watch {QUOTED_INVOCATION} (");
    assert!(run.stderr().contains(&want), "{}", run.stderr());

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
    run.expect_code(7);
    assert!(
        run.stderr()
            .contains("xeroctl exec show 'exe|1' (output: xeroctl exec raw 'exe|1')"),
        "{}",
        run.stderr()
    );
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
    let want = format!("resume with: xeroctl exec watch {QUOTED_INVOCATION}\n");
    assert!(err.contains(&want), "{err}");
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

    let run = env.run(&["approvals", "list"]).await;
    run.expect_code(0);
    let want = format!("add --after {QUOTED_LAST} for the next page");
    assert!(run.stderr().contains(&want), "{}", run.stderr());

    let run = env.run(&["exec", "show", "exe_1"]).await;
    run.expect_code(0);
    let want = "raw output: xeroctl exec raw 'exe_1&&reboot'\n";
    assert!(run.stderr().contains(want), "{}", run.stderr());

    let run = env.run(&["exec", "tool-show", "kubectl_get"]).await;
    run.expect_code(0);
    let want = "--tool 'kubectl_get>x' --args";
    assert!(run.stderr().contains(want), "{}", run.stderr());

    // Plain ids stay as they are.
    let mut listed = page(vec![json!({"id": "ap_1"})], true);
    listed["last_id"] = json!("ap_9:x-1.2");
    let server = MockServer::start().await;
    expect("GET", "/exec/approvals")
        .respond_with(json(200, listed))
        .mount(&server)
        .await;
    let run = Env::for_server(&server).run(&["approvals", "list"]).await;
    assert!(
        run.stderr().contains("add --after ap_9:x-1.2 for"),
        "{}",
        run.stderr()
    );
}

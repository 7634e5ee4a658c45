//! `exec invoke`, `exec cancel` and `exec rerun`.

use serde_json::json;
use wiremock::matchers::body_json;
use wiremock::{MockServer, ResponseTemplate};

use super::{invocation, Sequence, APPROVAL, EXE, INV};
use crate::support::*;

const ARGS: &str = r#"{"resource": "pods", "namespace": "default"}"#;

fn invoke_body() -> serde_json::Value {
    json!({"workspace_id": "ws_a1b2c3d4", "tool": "kubectl_get",
           "arguments": {"resource": "pods", "namespace": "default"}})
}

async fn expect_invoke(server: &MockServer, response: ResponseTemplate) {
    expect("POST", "/exec/invocations")
        .and(body_json(invoke_body()))
        .and(wiremock::matchers::header(
            "content-type",
            "application/json",
        ))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

fn invoke_args<'a>(args: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![
        "exec",
        "invoke",
        "--workspace",
        "ws_a1b2c3d4",
        "--tool",
        "kubectl_get",
        "--args",
        args,
        // The schema check (one GET) has its own tests: validate.rs.
        "--no-validate",
    ];
    v.extend_from_slice(extra);
    v
}

#[tokio::test]
async fn invoke_sends_the_body_and_prints_the_invocation() {
    let server = MockServer::start().await;
    expect_invoke(&server, json(201, invocation("queued"))).await;
    let run = Env::for_server(&server).run(&invoke_args(ARGS, &[])).await;
    run.expect_code(0).assert_no_secret(&[]);
    let out = run.stdout();
    for want in [INV, "queued", "kubectl_get", "ws_a1b2c3d4"] {
        assert!(out.contains(want), "missing {want}:\n{out}");
    }
    assert!(
        run.stderr().contains(&format!("xeroctl exec watch {INV}")),
        "{}",
        run.stderr()
    );
}

#[tokio::test]
async fn invoke_json_gives_the_id_to_jq() {
    let server = MockServer::start().await;
    expect_invoke(&server, json(201, invocation("queued"))).await;
    let run = Env::for_server(&server)
        .run(&invoke_args(ARGS, &["-o", "json"]))
        .await;
    run.expect_code(0);
    assert_eq!(run.json()["id"], INV);
}

#[tokio::test]
async fn args_come_from_a_file_or_stdin() {
    let server = MockServer::start().await;
    expect("POST", "/exec/invocations")
        .and(body_json(invoke_body()))
        .respond_with(json(201, invocation("queued")))
        .expect(2)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let file = env.home.path().join("args.json");
    std::fs::write(&file, ARGS).unwrap();
    let at_file = format!("@{}", file.display());
    env.run(&invoke_args(&at_file, &[])).await.expect_code(0);
    env.run_with_stdin(&invoke_args("-", &[]), ARGS.as_bytes())
        .await
        .expect_code(0);
}

#[tokio::test]
async fn bad_args_exit_2_and_send_nothing() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let env = Env::for_server(&server);
    for bad in [
        "{not json",
        "[1, 2]",
        "\"pods\"",
        "@/nonexistent/args.json",
        "",
    ] {
        let run = env.run(&invoke_args(bad, &[])).await;
        run.expect_code(2);
        assert!(run.stderr().contains("--args"), "{bad}: {}", run.stderr());
    }
    let run = env.run_with_stdin(&invoke_args("-", &[]), b"[]").await;
    run.expect_code(2);
    assert!(run.stderr().contains("JSON object"), "{}", run.stderr());
    // All three flags are required without a terminal to ask on.
    let run = env
        .run(&["exec", "invoke", "--tool", "kubectl_get", "--args", "{}"])
        .await;
    run.expect_code(2);
    assert_eq!(
        run.stderr().lines().next(),
        Some("error: the following required arguments were not provided: --workspace <WS_ID>")
    );
    env.run(&["exec", "invoke", "--workspace", "ws_a", "--args", "{}"])
        .await
        .expect_code(2);
    env.run(&["exec", "invoke", "--workspace", "ws_a", "--tool", "t"])
        .await
        .expect_code(2);
    // Watch options need --wait; values must be positive numbers.
    env.run(&invoke_args(ARGS, &["--interval", "1"]))
        .await
        .expect_code(2);
    for bad in ["0", "-1", "abc"] {
        env.run(&invoke_args(ARGS, &["--wait", "--interval", bad]))
            .await
            .expect_code(2);
    }
}

#[tokio::test]
async fn dry_run_prints_the_request_and_sends_nothing() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let run = Env::for_server(&server)
        .run(&invoke_args(ARGS, &["--dry-run", "-o", "json"]))
        .await;
    run.expect_code(0);
    let v = run.json();
    assert_eq!(v["dry_run"], true);
    assert_eq!(v["method"], "POST");
    assert_eq!(v["body"], invoke_body());
}

#[tokio::test]
async fn pending_approval_prints_the_approval_and_exits_0() {
    let server = MockServer::start().await;
    expect_invoke(&server, json(201, invocation("pending_approval"))).await;
    let run = Env::for_server(&server).run(&invoke_args(ARGS, &[])).await;
    run.expect_code(0);
    let all = format!("{}{}", run.stdout(), run.stderr());
    assert!(all.contains(APPROVAL), "{all}");
    assert!(
        all.contains(&format!("https://console.example/approvals/{APPROVAL}")),
        "{all}"
    );
    assert!(
        run.stderr()
            .contains(&format!("xeroctl approvals approve {APPROVAL}")),
        "{}",
        run.stderr()
    );
}

#[tokio::test]
async fn a_502_on_invoke_is_not_retried() {
    let server = MockServer::start().await;
    expect_invoke(
        &server,
        ResponseTemplate::new(502).set_body_string("bad gateway"),
    )
    .await;
    let run = Env::for_server(&server).run(&invoke_args(ARGS, &[])).await;
    run.expect_code(1);
    assert!(run.stderr().contains("502"), "{}", run.stderr());
}

#[tokio::test]
async fn router_rejections_map_to_exit_codes() {
    for (status, code, exit) in [
        (400, "invalid_body", 2),
        (404, "workspace_not_found", 4),
        (401, "invalid_api_key", 3),
    ] {
        let server = MockServer::start().await;
        expect_invoke(&server, api_error(status, code, "rejected")).await;
        let run = Env::for_server(&server).run(&invoke_args(ARGS, &[])).await;
        run.expect_code(exit);
        assert!(run.stderr().contains(code), "{}", run.stderr());
    }
}

#[tokio::test]
async fn invoke_wait_watches_through_approval() {
    let server = MockServer::start().await;
    expect_invoke(&server, json(201, invocation("pending_approval"))).await;
    expect("GET", &format!("/exec/invocations/{INV}"))
        .respond_with(Sequence::new(vec![
            json(200, invocation("pending_approval")),
            json(200, invocation("queued")),
            json(200, invocation("running")),
            json(200, invocation("completed")),
        ]))
        .expect(4)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&invoke_args(
            ARGS,
            &["--wait", "--interval", "0.02", "-o", "json"],
        ))
        .await;
    run.expect_code(0);
    assert_eq!(run.json()["status"], "completed");
    let err = run.stderr();
    assert!(
        err.contains(&format!("xeroctl approvals approve {APPROVAL}")),
        "{err}"
    );
    assert!(err.contains("status: pending_approval -> queued"), "{err}");
    assert!(err.contains("status: running -> completed"), "{err}");
}

#[tokio::test]
async fn cancel_posts_and_prints_the_cancelled_invocation() {
    let server = MockServer::start().await;
    expect("POST", &format!("/exec/invocations/{INV}/cancel"))
        .and(body_json(json!({})))
        .respond_with(json(200, invocation("cancelled")))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server).run(&["exec", "cancel", INV]).await;
    run.expect_code(0);
    assert!(run.stdout().contains("cancelled"), "{}", run.stdout());
    assert!(
        run.stderr().contains("Cancelled invocation"),
        "{}",
        run.stderr()
    );
}

#[tokio::test]
async fn cancel_unknown_exits_4_and_ended_exits_5_naming_the_status() {
    let server = MockServer::start().await;
    expect("POST", "/exec/invocations/inv_gone/cancel")
        .respond_with(api_error(
            404,
            "invocation_not_found",
            "Invocation inv_gone not found",
        ))
        .expect(1)
        .mount(&server)
        .await;
    expect("POST", &format!("/exec/invocations/{INV}/cancel"))
        .respond_with(api_error(
            409,
            "invocation_terminal",
            "Invocation is terminal",
        ))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", &format!("/exec/invocations/{INV}"))
        .respond_with(json(200, invocation("completed")))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let run = env.run(&["exec", "cancel", "inv_gone"]).await;
    run.expect_code(4);
    assert!(
        run.stderr().contains("invocation_not_found"),
        "{}",
        run.stderr()
    );
    let run = env.run(&["exec", "cancel", INV]).await;
    run.expect_code(5);
    let err = run.stderr();
    assert!(err.contains("already ended (completed)"), "{err}");
    assert!(err.contains("invocation_terminal"), "{err}");
}

#[tokio::test]
async fn rerun_prints_the_new_invocation_and_can_wait() {
    let server = MockServer::start().await;
    expect("POST", &format!("/exec/executions/{EXE}/rerun"))
        .respond_with(json(201, invocation("queued")))
        .expect(2)
        .mount(&server)
        .await;
    expect("GET", &format!("/exec/invocations/{INV}"))
        .respond_with(json(200, invocation("completed")))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let run = env.run(&["exec", "rerun", EXE, "-o", "json"]).await;
    run.expect_code(0);
    assert_eq!(run.json()["id"], INV);
    assert_eq!(run.json()["status"], "queued");
    let run = env
        .run(&["exec", "rerun", EXE, "--wait", "--interval", "0.02"])
        .await;
    run.expect_code(0);
    assert!(run.stdout().contains("completed"), "{}", run.stdout());
}

#[tokio::test]
async fn rerun_unknown_execution_exits_4() {
    let server = MockServer::start().await;
    expect("POST", "/exec/executions/nope/rerun")
        .respond_with(api_error(
            404,
            "execution_not_found",
            "Execution nope not found",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["exec", "rerun", "nope"])
        .await;
    run.expect_code(4);
    assert!(
        run.stderr().contains("xeroctl exec list"),
        "{}",
        run.stderr()
    );
}

//! `exec invoke`, `exec cancel` and `exec rerun`.

use insta::assert_snapshot;
use serde_json::json;
use wiremock::matchers::body_json;
use wiremock::{MockServer, ResponseTemplate};

use super::{invocation, Sequence, EXE, INV};
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
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    ID:           5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10
    Status:       queued
    Tool:         kubectl_get
    Workspace:    ws_a1b2c3d4
    Risk:         read
    Execution ID: -
    Exit code:    -
    Error:        -
    Created:      2026-11-23 06:50:00
    Updated:      2026-11-23 06:50:02
    Completed:    -
    --- stderr
    hint: follow it with: xeroctl exec watch 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10
    ");
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
    let mut runs = Transcript::default();
    for bad in [
        "{not json",
        "[1, 2]",
        "\"pods\"",
        "@/nonexistent/args.json",
        "",
    ] {
        let args = invoke_args(bad, &[]);
        runs.add(&args, &env.run(&args).await);
    }
    let args = invoke_args("-", &[]);
    runs.add(&args, &env.run_with_stdin(&args, b"[]").await);
    assert_snapshot!(runs, @r#"
    $ exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get --args {not json --no-validate
    exit: 2
    --- stdout
    --- stderr
    error: --args (inline) is not valid JSON: key must be a string at line 1 column 2
    hint: give a JSON object, e.g. --args '{"resource": "pods"}'; `xeroctl exec tool-show <tool>` lists the parameters

    $ exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get --args [1, 2] --no-validate
    exit: 2
    --- stdout
    --- stderr
    error: --args (inline) must be a JSON object, got an array
    hint: give a JSON object, e.g. --args '{"resource": "pods"}'; `xeroctl exec tool-show <tool>` lists the parameters

    $ exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get --args "pods" --no-validate
    exit: 2
    --- stdout
    --- stderr
    error: --args (inline) must be a JSON object, got a string
    hint: give a JSON object, e.g. --args '{"resource": "pods"}'; `xeroctl exec tool-show <tool>` lists the parameters

    $ exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get --args @/nonexistent/args.json --no-validate
    exit: 2
    --- stdout
    --- stderr
    error: cannot read --args file /nonexistent/args.json: No such file or directory (os error 2)

    $ exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get --args  --no-validate
    exit: 2
    --- stdout
    --- stderr
    error: --args (inline) is not valid JSON: EOF while parsing a value at line 1 column 0
    hint: give a JSON object, e.g. --args '{"resource": "pods"}'; `xeroctl exec tool-show <tool>` lists the parameters

    $ exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get --args - --no-validate
    exit: 2
    --- stdout
    --- stderr
    error: --args (stdin) must be a JSON object, got an array
    hint: give a JSON object, e.g. --args '{"resource": "pods"}'; `xeroctl exec tool-show <tool>` lists the parameters
    "#);
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
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    ID:           5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10
    Status:       pending_approval
    Tool:         kubectl_get
    Workspace:    ws_a1b2c3d4
    Risk:         destructive
    Approval ID:  a1c0b2d3-0000-4000-8000-000000000001
    Approval URL: https://console.example/approvals/a1c0b2d3-0000-4000-8000-000000000001
    Execution ID: -
    Exit code:    -
    Error:        -
    Created:      2026-11-23 06:50:00
    Updated:      2026-11-23 06:50:02
    Completed:    -
    --- stderr
    approval required (destructive tool): nothing runs until a human approves it
      approval id: a1c0b2d3-0000-4000-8000-000000000001
      review:      https://console.example/approvals/a1c0b2d3-0000-4000-8000-000000000001
      approve:     xeroctl approvals approve a1c0b2d3-0000-4000-8000-000000000001
      reject:      xeroctl approvals reject a1c0b2d3-0000-4000-8000-000000000001
    hint: then follow it with: xeroctl exec watch 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10
    ");
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
    assert_snapshot!(run, @"
    exit: 1
    --- stdout
    --- stderr
    error: HTTP 502 Bad Gateway: bad gateway (HTTP 502)
    hint: the router failed; retry later and quote the request id to support if it persists
    ");
}

#[tokio::test]
async fn router_rejections_map_to_exit_codes() {
    let mut runs = Transcript::default();
    for (status, code, exit) in [
        (400, "invalid_body", 2),
        (404, "workspace_not_found", 4),
        (401, "invalid_api_key", 3),
    ] {
        let server = MockServer::start().await;
        expect_invoke(&server, api_error(status, code, "rejected")).await;
        let run = Env::for_server(&server).run(&invoke_args(ARGS, &[])).await;
        run.expect_code(exit);
        runs.add_as(&format!("the router answers {status} {code}"), &run);
    }
    assert_snapshot!(runs, @"
    # the router answers 400 invalid_body
    exit: 2
    --- stdout
    --- stderr
    error: rejected (invalid_body, request id req_test_1)

    # the router answers 404 workspace_not_found
    exit: 4
    --- stdout
    --- stderr
    error: rejected (workspace_not_found, request id req_test_1)
    hint: check the --workspace id (ws_…)

    # the router answers 401 invalid_api_key
    exit: 3
    --- stdout
    --- stderr
    error: rejected (invalid_api_key, request id req_test_1)
    hint: check the API key: `xeroctl status` shows which key is in use (--api-key, XEROCTL_API_KEY or `xeroctl config add`)
    ");
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
    assert_snapshot!(run, @r#"
    exit: 0
    --- stdout
    {
      "id": "5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10",
      "object": "exec.invocation",
      "tool": "kubectl_get",
      "workspace_id": "ws_a1b2c3d4",
      "status": "completed",
      "risk": "read",
      "approval_id": null,
      "approval_url": null,
      "execution_id": "7d2e4a91-0b3c-4f5a-8e1d-9c4b3a2f1e08",
      "exit_code": 0,
      "error": null,
      "created_at": "2026-11-23T06:50:00Z",
      "updated_at": "2026-11-23T06:50:02Z",
      "completed_at": "2026-11-23T06:50:02Z"
    }
    --- stderr
    Invocation 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 of kubectl_get created; watching it (Ctrl+C stops watching, not the run).
    status: pending_approval
    approval required (destructive tool): nothing runs until a human approves it
      approval id: a1c0b2d3-0000-4000-8000-000000000001
      review:      https://console.example/approvals/a1c0b2d3-0000-4000-8000-000000000001
      approve:     xeroctl approvals approve a1c0b2d3-0000-4000-8000-000000000001
      reject:      xeroctl approvals reject a1c0b2d3-0000-4000-8000-000000000001
    status: pending_approval -> queued
    status: queued -> running
    status: running -> completed
    "#);
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
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    ID:           5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10
    Status:       cancelled
    Tool:         kubectl_get
    Workspace:    ws_a1b2c3d4
    Risk:         read
    Execution ID: 7d2e4a91-0b3c-4f5a-8e1d-9c4b3a2f1e08
    Exit code:    -
    Error:        -
    Created:      2026-11-23 06:50:00
    Updated:      2026-11-23 06:50:02
    Completed:    2026-11-23 06:50:02
    --- stderr
    Cancelled invocation 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10.
    ");
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
    let mut runs = Transcript::default();
    for args in [&["exec", "cancel", "inv_gone"], &["exec", "cancel", INV]] {
        runs.add(args, &env.run(args).await);
    }
    assert_snapshot!(runs, @"
    $ exec cancel inv_gone
    exit: 4
    --- stdout
    --- stderr
    error: Invocation inv_gone not found (invocation_not_found, request id req_test_1)
    hint: check the invocation id printed by `xeroctl exec invoke`

    $ exec cancel 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10
    exit: 5
    --- stdout
    --- stderr
    error: invocation 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 already ended (completed); there is nothing to cancel (invocation_terminal, request id req_test_1)
    hint: see its final state with: xeroctl exec watch 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10
    ");
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
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    ID:           5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10
    Status:       completed
    Tool:         kubectl_get
    Workspace:    ws_a1b2c3d4
    Risk:         read
    Execution ID: 7d2e4a91-0b3c-4f5a-8e1d-9c4b3a2f1e08
    Exit code:    0
    Error:        -
    Created:      2026-11-23 06:50:00
    Updated:      2026-11-23 06:50:02
    Completed:    2026-11-23 06:50:02
    --- stderr
    Re-ran execution 7d2e4a91-0b3c-4f5a-8e1d-9c4b3a2f1e08 as invocation 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10.
    Invocation 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 of kubectl_get created; watching it (Ctrl+C stops watching, not the run).
    status: queued
    status: queued -> completed
    ");
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
    assert_snapshot!(run, @"
    exit: 4
    --- stdout
    --- stderr
    error: Execution nope not found (execution_not_found, request id req_test_1)
    hint: list executions with `xeroctl exec list`
    ");
}

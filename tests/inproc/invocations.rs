//! `exec invocations` and `exec context`.

use insta::assert_snapshot;
use serde_json::json;
use wiremock::matchers::{body_json, query_param, query_param_is_missing};
use wiremock::MockServer;

use crate::support::*;

const INV: &str = "5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10";

fn invocation(id: &str, status: &str) -> serde_json::Value {
    json!({"id": id, "object": "exec.invocation", "tool": "kubectl_get", "workspace_id": "ws_a1b2c3d4",
        "status": status, "risk": "read", "approval_id": null, "approval_url": null, "execution_id": null,
        "exit_code": null, "error": null, "created_at": "2026-11-23T06:00:00Z",
        "updated_at": "2026-11-23T06:00:01Z", "completed_at": null})
}

#[tokio::test]
async fn list_sends_every_filter_and_prints_the_columns() {
    let server = MockServer::start().await;
    expect("GET", "/exec/invocations")
        .and(query_param("status", "running"))
        .and(query_param("tool", "kubectl_get"))
        .and(query_param("workspace_id", "ws_a1b2c3d4"))
        .and(query_param("limit", "2"))
        .respond_with(json(200, page(vec![invocation(INV, "running")], true)))
        .expect(2)
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let args = [
        "exec",
        "invocations",
        "--status",
        "running",
        "--tool",
        "kubectl_get",
        "--workspace",
        "ws_a1b2c3d4",
        "--limit",
        "2",
    ];
    let run = h.run(&args).await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    ID                                    TOOL         WORKSPACE    STATUS   CREATED
    5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10  kubectl_get  ws_a1b2c3d4  running  2026-11-23 06:00:00
    --- stderr
    hint: more invocations exist: add --after 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 for the next page, or --all for everything
    ");
    let mut json_args = args.to_vec();
    json_args.extend(["-o", "json"]);
    let run = h.run(&json_args).await;
    assert_eq!(run.json()["data"][0]["id"], json!(INV));
    assert_eq!(run.json()["has_more"], json!(true));
}

#[tokio::test]
async fn list_without_filters_sends_none() {
    let server = MockServer::start().await;
    expect("GET", "/exec/invocations")
        .and(query_param_is_missing("status"))
        .and(query_param_is_missing("tool"))
        .and(query_param_is_missing("workspace_id"))
        .respond_with(json(200, page(vec![], false)))
        .expect(1)
        .mount(&server)
        .await;
    let run = Harness::new(&server).run(&["exec", "invocations"]).await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    --- stderr
    No invocations found.
    ");
}

#[tokio::test]
async fn show_is_one_get_and_a_missing_one_exits_4() {
    let server = MockServer::start().await;
    expect("GET", &format!("/exec/invocations/{INV}"))
        .respond_with(json(200, invocation(INV, "running")))
        .expect(2)
        .mount(&server)
        .await;
    expect("GET", "/exec/invocations/nope")
        .respond_with(api_error(
            404,
            "invocation_not_found",
            "Invocation nope not found",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let run = h.run(&["exec", "invocations", INV]).await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    ID:           5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10
    Status:       running
    Tool:         kubectl_get
    Workspace:    ws_a1b2c3d4
    Risk:         read
    Execution ID: -
    Exit code:    -
    Error:        -
    Created:      2026-11-23 06:00:00
    Updated:      2026-11-23 06:00:01
    Completed:    -
    --- stderr
    ");
    let run = h.run(&["exec", "invocations", INV, "-o", "json"]).await;
    assert_eq!(run.json(), invocation(INV, "running"));
    let run = h.run(&["exec", "invocations", "nope"]).await;
    assert_eq!(run.code, 4, "{run}");
    assert!(run.stderr.contains("invocation_not_found"), "{run}");
}

#[tokio::test]
async fn bad_options_are_usage_errors_and_send_nothing() {
    let server = MockServer::start().await;
    let h = Harness::new(&server);
    let run = h.run(&["exec", "invocations", INV, "--all"]).await;
    assert_snapshot!(run, @r"
    exit: 2
    --- stdout
    --- stderr
    error: showing invocation 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 takes no options (--all only filter a listing)
    hint: drop the id to list invocations, or the options to show one
    ");
    for args in [
        &["exec", "invocations", "--status", "weird"][..],
        &["exec", "invocations", "--workspace", "nope"],
        &["exec", "context"],
        &["exec", "context", "--workspace", "a1b2"],
    ] {
        let run = h.run(args).await;
        assert_eq!(run.code, 2, "{args:?}: {run}");
    }
    assert!(received(&server).await.is_empty());
}

fn context(content: &str) -> serde_json::Value {
    json!({"object": "exec.context", "workspace_id": "ws_a1b2c3d4", "content": content,
        "updated_at": "2026-11-22T09:30:00Z", "updated_by": "platform-team"})
}

#[tokio::test]
async fn context_prints_the_document_on_stdout_sanitized() {
    let server = MockServer::start().await;
    expect("GET", "/exec/context")
        .and(query_param("workspace_id", "ws_a1b2c3d4"))
        .respond_with(json(
            200,
            context("# storefront\n- namespace `shop`\x1b[2J\n- drains need CHG-…"),
        ))
        .expect(2)
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let run = h
        .run(&["exec", "context", "--workspace", "ws_a1b2c3d4"])
        .await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    # storefront
    - namespace `shop`
    - drains need CHG-…
    --- stderr
    Last changed by platform-team at 2026-11-22 09:30:00.
    ");
    let run = h
        .run(&[
            "exec",
            "context",
            "--workspace",
            "ws_a1b2c3d4",
            "-o",
            "json",
        ])
        .await;
    assert_eq!(
        run.json(),
        context("# storefront\n- namespace `shop`\x1b[2J\n- drains need CHG-…")
    );
}

#[tokio::test]
async fn an_empty_context_and_an_unknown_workspace() {
    let server = MockServer::start().await;
    expect("GET", "/exec/context")
        .and(query_param("workspace_id", "ws_demo0001"))
        .respond_with(json(
            200,
            json!({"object": "exec.context", "workspace_id": "ws_demo0001", "content": "",
                "updated_at": null, "updated_by": null}),
        ))
        .mount(&server)
        .await;
    expect("GET", "/exec/context")
        .and(query_param("workspace_id", "ws_nope"))
        .respond_with(api_error(
            404,
            "workspace_not_found",
            "Workspace ws_nope not found",
        ))
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let empty = h
        .run(&["exec", "context", "--workspace", "ws_demo0001"])
        .await;
    let missing = h.run(&["exec", "context", "--workspace", "ws_nope"]).await;
    assert_snapshot!(format!("{empty}\n{missing}"), @r"
    exit: 0
    --- stdout
    --- stderr
    Workspace ws_demo0001 has no context document.

    exit: 4
    --- stdout
    --- stderr
    error: Workspace ws_nope not found (workspace_not_found, request id req_inproc_1)
    hint: check the --workspace id (ws_…)
    ");
}

#[tokio::test]
async fn set_puts_the_whole_document() {
    let server = MockServer::start().await;
    expect("PUT", "/exec/context")
        .and(body_json(
            json!({"workspace_id": "ws_a1b2c3d4", "content": "Freeze until Monday"}),
        ))
        .respond_with(json(200, context("Freeze until Monday")))
        .expect(2)
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let args = [
        "exec",
        "context",
        "--workspace",
        "ws_a1b2c3d4",
        "--set",
        "Freeze until Monday",
    ];
    let run = h.run(&args).await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    --- stderr
    Replaced the context document of workspace ws_a1b2c3d4 (19 bytes).
    Last changed by platform-team at 2026-11-22 09:30:00.
    ");
    let mut json_args = args.to_vec();
    json_args.extend(["-o", "json"]);
    let run = h.run(&json_args).await;
    assert_eq!(run.json(), context("Freeze until Monday"));
}

#[tokio::test]
async fn set_from_a_file_dry_run_sends_nothing() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("context.md");
    std::fs::write(&file, "line 1\nline 2\n").unwrap();
    let spec = format!("@{}", file.display());
    let h = Harness::new(&server);
    let run = h
        .run(&[
            "exec",
            "context",
            "--workspace",
            "ws_a1b2c3d4",
            "--set",
            &spec,
            "--dry-run",
            "-o",
            "json",
        ])
        .await;
    assert_eq!(run.code, 0, "{run}");
    let v = run.json();
    assert_eq!(v["method"], json!("PUT"));
    assert!(v["url"]
        .as_str()
        .unwrap()
        .ends_with("/demo/v1/exec/context"));
    assert_eq!(
        v["body"],
        json!({"workspace_id": "ws_a1b2c3d4", "content": "line 1\nline 2\n"})
    );
    let run = h
        .run(&[
            "exec",
            "context",
            "--workspace",
            "ws_a1b2c3d4",
            "--set",
            "x",
            "--dry-run",
        ])
        .await;
    assert!(run.stdout.starts_with("PUT "), "{run}");
    assert!(run.stderr.contains("nothing was sent"), "{run}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn set_over_the_limit_is_a_usage_error() {
    let server = MockServer::start().await;
    expect("PUT", "/exec/context")
        .respond_with(api_error(
            400,
            "validation_error",
            "'content' is over 64 KiB",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let run = Harness::new(&server)
        .run(&[
            "exec",
            "context",
            "--workspace",
            "ws_a1b2c3d4",
            "--set",
            "big",
        ])
        .await;
    assert_eq!(run.code, 2, "{run}");
}

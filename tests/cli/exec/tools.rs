//! `exec tools` and `exec tool-show`.

use insta::assert_snapshot;
use wiremock::matchers::query_param;
use wiremock::MockServer;

use super::tool;
use crate::support::*;

#[tokio::test]
async fn tools_sends_paging_and_prints_name_and_description() {
    let server = MockServer::start().await;
    expect("GET", "/exec/tools")
        .and(query_param("limit", "2"))
        .and(query_param("after", "kubectl_drain"))
        .respond_with(json(
            200,
            page(
                vec![tool("kubectl_get", "read"), tool("kubectl_logs", "read")],
                true,
            ),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["exec", "tools", "--limit", "2", "--after", "kubectl_drain"])
        .await;
    run.assert_no_secret(&[]);
    // The cursor of a tool is its name (the hint's --after).
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    NAME          DESCRIPTION
    kubectl_get   List or get Kubernetes resources
    kubectl_logs  List or get Kubernetes resources
    --- stderr
    hint: more tools exist: add --after kubectl_logs for the next page, or --all for everything
    ");
}

#[tokio::test]
async fn tools_all_follows_the_name_cursor() {
    let server = MockServer::start().await;
    expect("GET", "/exec/tools")
        .and(query_param("after", "kubectl_get"))
        .respond_with(json(200, page(vec![tool("kubectl_logs", "read")], false)))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/exec/tools")
        .and(query_param("limit", "100"))
        .respond_with(json(200, page(vec![tool("kubectl_get", "read")], true)))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["exec", "tools", "--all", "-o", "json"])
        .await;
    run.expect_code(0);
    let v = run.json();
    assert_eq!(v["data"].as_array().map(Vec::len), Some(2), "{v}");
    assert_eq!(v["has_more"], false);
    assert_eq!(v["last_id"], "kubectl_logs");
}

#[tokio::test]
async fn tool_show_renders_the_full_descriptor() {
    let server = MockServer::start().await;
    expect("GET", "/exec/tools/kubectl_drain")
        .respond_with(json(200, tool("kubectl_drain", "destructive")))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["exec", "tool-show", "kubectl_drain"])
        .await;
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    Name:        kubectl_drain
    Description: List or get Kubernetes resources
    Risk:        destructive
    Approval:    required (invocations wait in pending_approval)
    Domain:      kubernetes
    Timeout:     30s

    Parameters:
    NAME         TYPE    REQUIRED  DESCRIPTION               DETAILS
    resource     string  yes       Resource kind, e.g. pods  -
    namespace    string  no        Namespace to query        default: default
    labels       object  no        Label selector            -
    labels.tier  string  no        tier label                one of: frontend, backend
    --- stderr
    hint: invoke it with: xeroctl exec invoke --workspace <ws_id> --tool kubectl_drain --args '{…}'
    ");
}

#[tokio::test]
async fn tool_show_json_is_the_descriptor_as_returned() {
    let server = MockServer::start().await;
    let descriptor = tool("kubectl_get", "read");
    expect("GET", "/exec/tools/kubectl_get")
        .respond_with(json(200, descriptor.clone()))
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["exec", "tool-show", "kubectl_get", "-o", "json"])
        .await;
    run.expect_code(0);
    assert_eq!(run.json(), descriptor);
}

#[tokio::test]
async fn tool_show_unknown_tool_exits_4_with_a_hint() {
    let server = MockServer::start().await;
    expect("GET", "/exec/tools/nope%2Fx")
        .respond_with(api_error(
            404,
            "exec_tool_not_found",
            "Tool nope/x not found",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["exec", "tool-show", "nope/x"])
        .await;
    assert_snapshot!(run, @"
    exit: 4
    --- stdout
    --- stderr
    error: Tool nope/x not found (exec_tool_not_found, request id req_test_1)
    hint: list tools with `xeroctl exec tools`
    ");
}

#[tokio::test]
async fn missing_execution_scope_exits_3_with_the_scope_hint() {
    let server = MockServer::start().await;
    expect("GET", "/exec/tools")
        .respond_with(api_error(
            403,
            "scope_insufficient",
            "API key lacks the execution scope",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server).run(&["exec", "tools"]).await;
    run.assert_no_secret(&[]);
    assert_snapshot!(run, @"
    exit: 3
    --- stdout
    --- stderr
    error: API key lacks the execution scope (scope_insufficient, request id req_test_1)
    hint: this key lacks a scope the command needs (management for agents, execution for exec and approvals); `xeroctl status` shows the key's scopes
    ");
}

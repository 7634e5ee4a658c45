//! `exec tools` and `exec tool-show`.

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
    run.expect_code(0).assert_no_secret(&[]);
    let out = run.stdout();
    assert!(out.starts_with("NAME"), "{out}");
    assert!(
        out.contains("DESCRIPTION") && out.contains("kubectl_logs"),
        "{out}"
    );
    assert!(out.contains("List or get Kubernetes resources"), "{out}");
    assert!(
        run.stderr().contains("--after kubectl_logs"),
        "the cursor of a tool is its name: {}",
        run.stderr()
    );
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
    run.expect_code(0);
    let out = run.stdout();
    for want in [
        "Name:",
        "kubectl_drain",
        "Risk:",
        "destructive",
        "Approval:",
        "required",
        "Domain:",
        "kubernetes",
        "Timeout:",
        "30s",
        "Parameters:",
        "REQUIRED",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    let line = |name: &str| {
        out.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no row {name} in\n{out}"))
            .to_string()
    };
    let resource = line("resource ");
    assert!(
        resource.contains("string") && resource.contains("yes"),
        "{resource}"
    );
    assert!(line("namespace ").contains("default: default"));
    let nested = line("labels.tier");
    assert!(
        nested.contains("one of: frontend, backend") && nested.contains("no"),
        "{nested}"
    );
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
    run.expect_code(4);
    assert!(
        run.stderr().contains("exec_tool_not_found"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("xeroctl exec tools"),
        "{}",
        run.stderr()
    );
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
    run.expect_code(3).assert_no_secret(&[]);
    let err = run.stderr();
    assert!(err.contains("scope_insufficient"), "{err}");
    assert!(err.contains("execution for exec"), "{err}");
}

//! `--jq`, `-o yaml`, `-o name`, `--columns`, `--no-headers`.

use insta::assert_snapshot;
use serde_json::json;
use wiremock::matchers::query_param;
use wiremock::MockServer;

use crate::support::*;

async fn two_pages(server: &MockServer) {
    expect("GET", "/management/agents")
        .and(query_param("after", "agt_2"))
        .respond_with(json(200, page(vec![agent("agt_3", "c")], false)))
        .mount(server)
        .await;
    expect("GET", "/management/agents")
        .respond_with(json(
            200,
            page(vec![agent("agt_1", "a"), agent("agt_2", "b")], true),
        ))
        .mount(server)
        .await;
}

#[tokio::test]
async fn jq_over_all_sees_the_whole_merged_envelope() {
    let server = MockServer::start().await;
    two_pages(&server).await;
    let h = Harness::new(&server);
    let run = h.run(&["agents", "--all", "--jq", ".data | length"]).await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    3
    --- stderr
    ");
    let run = h.run(&["agents", "--all", "--jq", ".data[].id"]).await;
    assert_eq!(run.stdout, "agt_1\nagt_2\nagt_3\n", "{run}");
    let run = h.run(&["agents", "agt_x", "--jq", "{id, n: 1}"]).await;
    assert_eq!(run.code, 4, "{run}");
}

#[tokio::test]
async fn a_jq_program_that_does_not_compile_sends_nothing() {
    let server = MockServer::start().await;
    let h = Harness::new(&server);
    let run = h.run(&["agents", "--jq", ".data["]).await;
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr
            .starts_with("error: --jq '.data[' is not a valid jq program: "),
        "{run}"
    );
    assert!(run.stderr.contains("column"), "{run}");
    let run = h.run(&["agents", "--jq", ".id", "-o", "table"]).await;
    assert_snapshot!(run, @r"
    exit: 2
    --- stdout
    --- stderr
    error: --jq prints JSON results; it cannot be used with -o table
    hint: drop -o (or use -o json) with --jq
    ");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_jq_runtime_error_exits_1() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents/agt_1")
        .respond_with(json(200, agent("agt_1", "a")))
        .mount(&server)
        .await;
    let run = Harness::new(&server)
        .run(&["agents", "agt_1", "--jq", ".name + 1"])
        .await;
    assert_eq!(run.code, 1, "{run}");
    assert!(run.stderr.starts_with("error: --jq: "), "{run}");
}

#[tokio::test]
async fn yaml_is_the_json_document_as_yaml() {
    let server = MockServer::start().await;
    two_pages(&server).await;
    expect("GET", "/management/join-keys/jk_1")
        .respond_with(json(200, join_key("jk_1")))
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let run = h.run(&["agents", "join-keys", "jk_1", "-o", "yaml"]).await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    id: jk_1
    object: join_key
    name: null
    status: active
    region: us-east
    enrollments: 0
    max_enrollments: 10
    supported_tiers: null
    storage_limit_bytes: null
    expires_at: 2026-11-24T06:50:29Z
    created_at: 2026-11-23T06:50:29Z
    revoked_at: null
    --- stderr
    ");
    let run = h
        .run(&["agents", "--all", "-o", "yaml", "--limit", "2"])
        .await;
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout.starts_with("object: list\ndata:\n- id: agt_1\n"),
        "{run}"
    );
    assert!(
        run.stdout
            .ends_with("has_more: false\nfirst_id: agt_1\nlast_id: agt_3\n"),
        "{run}"
    );
}

#[tokio::test]
async fn name_prints_ids_one_per_line() {
    let server = MockServer::start().await;
    two_pages(&server).await;
    expect("GET", "/exec/tools")
        .respond_with(json(
            200,
            page(vec![json!({"name": "kubectl_get", "risk": "read"})], false),
        ))
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let run = h.run(&["agents", "--all", "-o", "name"]).await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    agt_1
    agt_2
    agt_3
    --- stderr
    ");
    let run = h.run(&["exec", "tools", "-o", "name"]).await;
    assert_eq!(run.stdout, "kubectl_get\n", "{run}");
}

#[tokio::test]
async fn columns_pick_and_order_fields_and_no_headers_drops_the_header() {
    let server = MockServer::start().await;
    two_pages(&server).await;
    let h = Harness::new(&server);
    let run = h
        .run(&[
            "agents",
            "--columns",
            "id,supported_tiers,max_concurrent_requests",
            "--limit",
            "2",
        ])
        .await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    ID     SUPPORTED_TIERS    MAX_CONCURRENT_REQUESTS
    agt_1  priority, default  8
    agt_2  priority, default  8
    --- stderr
    hint: more agents exist: add --after agt_2 for the next page, or --all for everything
    ");
    let run = h
        .run(&["agents", "--all", "--no-headers", "--columns", "id,name"])
        .await;
    assert_eq!(run.stdout, "agt_1  a\nagt_2  b\nagt_3  c\n", "{run}");
}

#[tokio::test]
async fn an_unknown_column_is_refused_before_any_request() {
    let server = MockServer::start().await;
    let h = Harness::new(&server);
    let run = h.run(&["agents", "--columns", "id,nope"]).await;
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.starts_with("error: --columns: no field 'nope' here\nhint: valid columns: id, name, worker_id, status,"), "{run}");
    let run = h.run(&["agents", "--columns", "id", "-o", "json"]).await;
    assert_eq!(run.code, 2, "{run}");
    assert!(received(&server).await.is_empty());
}

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

/// Each run, whole, under the command line that made it.
async fn runs(h: &Harness, commands: &[&[&str]]) -> String {
    let mut shown = String::new();
    for args in commands {
        let run = h.run(args).await;
        shown.push_str(&format!("$ xeroctl {}\n{run}", args.join(" ")));
    }
    shown
}

#[tokio::test]
async fn a_jq_program_that_does_not_compile_is_exit_2_and_sends_nothing() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let h = Harness::new(&server);
    let shown = runs(
        &h,
        &[
            &["agents", "--jq", ".data["],
            &["agents", "agt_1", "--jq", ".id |"],
            &["agents", "--all", "--jq", ".data | nosuchfn"],
            &["exec", "stream", "--jq", "{id"],
            &["approvals", "watch", "--jq", ".id)"],
        ],
    )
    .await;
    assert_snapshot!(shown, @r#"
    $ xeroctl agents --jq .data[
    exit: 2
    --- stdout
    --- stderr
    error: --jq '.data[' is not a valid jq program: expected closing bracket at column 7
    hint: jq syntax: https://jqlang.org/manual/ (e.g. --jq '.data[].id')
    $ xeroctl agents agt_1 --jq .id |
    exit: 2
    --- stdout
    --- stderr
    error: --jq '.id |' is not a valid jq program: expected term at column 6, found the end
    hint: jq syntax: https://jqlang.org/manual/ (e.g. --jq '.data[].id')
    $ xeroctl agents --all --jq .data | nosuchfn
    exit: 2
    --- stdout
    --- stderr
    error: --jq '.data | nosuchfn' is not a valid jq program: undefined filter `nosuchfn` at column 9
    hint: jq syntax: https://jqlang.org/manual/ (e.g. --jq '.data[].id')
    $ xeroctl exec stream --jq {id
    exit: 2
    --- stdout
    --- stderr
    error: --jq '{id' is not a valid jq program: expected closing brace at column 4
    hint: jq syntax: https://jqlang.org/manual/ (e.g. --jq '.data[].id')
    $ xeroctl approvals watch --jq .id)
    exit: 2
    --- stdout
    --- stderr
    error: --jq '.id)' is not a valid jq program: expected token at column 4
    hint: jq syntax: https://jqlang.org/manual/ (e.g. --jq '.data[].id')
    "#);
}

#[tokio::test]
async fn jq_with_an_explicit_table_yaml_or_name_is_exit_2_and_sends_nothing() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let h = Harness::new(&server);
    let shown = runs(
        &h,
        &[
            &["agents", "--jq", ".id", "-o", "table"],
            &["agents", "--jq", ".id", "-o", "yaml"],
            &["agents", "--jq", ".id", "--output=name"],
        ],
    )
    .await;
    assert_snapshot!(shown, @r#"
    $ xeroctl agents --jq .id -o table
    exit: 2
    --- stdout
    --- stderr
    error: --jq prints JSON results; it cannot be used with -o table
    hint: drop -o (or use -o json) with --jq
    $ xeroctl agents --jq .id -o yaml
    exit: 2
    --- stdout
    --- stderr
    error: --jq prints JSON results; it cannot be used with -o yaml
    hint: drop -o (or use -o json) with --jq
    $ xeroctl agents --jq .id --output=name
    exit: 2
    --- stdout
    --- stderr
    error: --jq prints JSON results; it cannot be used with -o name
    hint: drop -o (or use -o json) with --jq
    "#);
}

#[tokio::test]
async fn jq_with_an_explicit_json_is_the_same_as_jq_alone() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents/agt_1")
        .respond_with(json(200, agent("agt_1", "a")))
        .expect(2)
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let shown = runs(
        &h,
        &[
            &["agents", "agt_1", "-o", "json", "--jq", "[.id, .name]"],
            &["agents", "agt_1", "--jq", "[.id, .name]"],
        ],
    )
    .await;
    assert_snapshot!(shown, @r#"
    $ xeroctl agents agt_1 -o json --jq [.id, .name]
    exit: 0
    --- stdout
    ["agt_1","a"]
    --- stderr
    $ xeroctl agents agt_1 --jq [.id, .name]
    exit: 0
    --- stdout
    ["agt_1","a"]
    --- stderr
    "#);
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
    assert_snapshot!(run, @r#"
    exit: 1
    --- stdout
    --- stderr
    error: --jq: cannot calculate "a" + 1
    "#);
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
async fn an_unknown_column_is_exit_2_listing_the_valid_ones_before_any_request() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let h = Harness::new(&server);
    let shown = runs(
        &h,
        &[
            &["agents", "--columns", "id,nope"],
            &["agents", "join-keys", "--all", "--columns", "status,token"],
            &["exec", "tools", "--columns", "name,id"],
            &["approvals", "list", "--columns", "ID"],
            &["agents", "--columns", "id", "-o", "json"],
            &["agents", "--no-headers", "--jq", ".data"],
        ],
    )
    .await;
    assert_snapshot!(shown, @r#"
    $ xeroctl agents --columns id,nope
    exit: 2
    --- stdout
    --- stderr
    error: --columns: no field 'nope' here
    hint: valid columns: id, name, worker_id, status, region, max_concurrent_requests, description, supported_tiers, storage_limit_enabled, storage_limit_bytes, last_heartbeat_at, created_at, updated_at, exec_paused, exec_paused_workspaces
    $ xeroctl agents join-keys --all --columns status,token
    exit: 2
    --- stdout
    --- stderr
    error: --columns: no field 'token' here
    hint: valid columns: id, name, status, region, enrollments, max_enrollments, supported_tiers, storage_limit_bytes, expires_at, created_at, revoked_at, router_addr
    $ xeroctl exec tools --columns name,id
    exit: 2
    --- stdout
    --- stderr
    error: --columns: no field 'id' here
    hint: valid columns: name, description, risk, domain, timeout_ms, parameters
    $ xeroctl approvals list --columns ID
    exit: 2
    --- stdout
    --- stderr
    error: --columns: no field 'ID' here
    hint: valid columns: id, invocation_id, tool, workspace_id, risk, status, created_at, expires_at, resolved_at, resolved_by, note, reason
    $ xeroctl agents --columns id -o json
    exit: 2
    --- stdout
    --- stderr
    error: --columns shapes tables; it cannot be used with -o json or --jq
    hint: use --jq to pick fields from JSON, e.g. --jq '.data[] | [.id, .status] | @tsv'
    $ xeroctl agents --no-headers --jq .data
    exit: 2
    --- stdout
    --- stderr
    error: --no-headers shapes tables; it cannot be used with -o json or --jq
    hint: use --jq to pick fields from JSON, e.g. --jq '.data[] | [.id, .status] | @tsv'
    "#);
}

/// The `--columns` hint's own example: `@tsv` rows (tabs kept).
#[tokio::test]
async fn jq_tsv_rows_keep_their_tabs() {
    let server = MockServer::start().await;
    two_pages(&server).await;
    let run = Harness::new(&server)
        .run(&[
            "agents",
            "--all",
            "--jq",
            ".data[] | [.id, .status, .description] | @tsv",
        ])
        .await;
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(
        run.stdout,
        "agt_1\tactive\tH100 worker\nagt_2\tactive\tH100 worker\nagt_3\tactive\tH100 worker\n"
    );
}

#[tokio::test]
async fn columns_on_a_command_that_prints_no_list_is_exit_2_before_any_request() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let h = Harness::new(&server);
    let shown = runs(
        &h,
        &[
            &["agents", "agt_1", "--columns", "id"],
            &[
                "agents",
                "join-keys",
                "jk_1",
                "--revoke",
                "--force",
                "--columns",
                "id",
            ],
            &["exec", "invocations", "inv_1", "--columns", "id"],
            &["exec", "stream", "--columns", "id,status"],
            &["approvals", "watch", "--columns", "id"],
            &[
                "exec",
                "context",
                "--workspace",
                "ws_a1b2c3d4",
                "--columns",
                "content",
            ],
            &["status", "--columns", "id"],
            &["config", "list", "--columns", "name"],
        ],
    )
    .await;
    assert_snapshot!(shown, @r#"
    $ xeroctl agents agt_1 --columns id
    exit: 2
    --- stdout
    --- stderr
    error: --columns shapes the tables of the router's lists; this command prints none
    hint: use --jq to pick fields, e.g. --jq '{id, status}' (on a stream it runs once per object)
    $ xeroctl agents join-keys jk_1 --revoke --force --columns id
    exit: 2
    --- stdout
    --- stderr
    error: --columns shapes the tables of the router's lists; this command prints none
    hint: use --jq to pick fields, e.g. --jq '{id, status}' (on a stream it runs once per object)
    $ xeroctl exec invocations inv_1 --columns id
    exit: 2
    --- stdout
    --- stderr
    error: --columns shapes the tables of the router's lists; this command prints none
    hint: use --jq to pick fields, e.g. --jq '{id, status}' (on a stream it runs once per object)
    $ xeroctl exec stream --columns id,status
    exit: 2
    --- stdout
    --- stderr
    error: --columns shapes the tables of the router's lists; this command prints none
    hint: use --jq to pick fields, e.g. --jq '{id, status}' (on a stream it runs once per object)
    $ xeroctl approvals watch --columns id
    exit: 2
    --- stdout
    --- stderr
    error: --columns shapes the tables of the router's lists; this command prints none
    hint: use --jq to pick fields, e.g. --jq '{id, status}' (on a stream it runs once per object)
    $ xeroctl exec context --workspace ws_a1b2c3d4 --columns content
    exit: 2
    --- stdout
    --- stderr
    error: --columns shapes the tables of the router's lists; this command prints none
    hint: use --jq to pick fields, e.g. --jq '{id, status}' (on a stream it runs once per object)
    $ xeroctl status --columns id
    exit: 2
    --- stdout
    --- stderr
    error: --columns shapes the tables of the router's lists; this command prints none
    hint: use --jq to pick fields, e.g. --jq '{id, status}' (on a stream it runs once per object)
    $ xeroctl config list --columns name
    exit: 2
    --- stdout
    --- stderr
    error: --columns shapes the tables of the router's lists; this command prints none
    hint: use --jq to pick fields, e.g. --jq '{id, status}' (on a stream it runs once per object)
    "#);
}

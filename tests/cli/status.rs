//! `xeroctl status`: one probe per scope, sources, and each outcome's exit
//! code.

use insta::assert_snapshot;
use wiremock::matchers::query_param;
use wiremock::MockServer;

use crate::support::*;

async fn probes(server: &MockServer, management: u16, execution: u16) {
    let respond = |status: u16, scope: &str| match status {
        200 => json(200, page(vec![], false)),
        403 => api_error(
            403,
            "scope_insufficient",
            &format!("API key lacks the {scope} scope"),
        ),
        401 => api_error(401, "invalid_api_key", "Invalid API key"),
        other => api_error(other, "server_error", "boom"),
    };
    expect("GET", "/management/agents")
        .and(query_param("limit", "1"))
        .respond_with(respond(management, "management"))
        .expect(1)
        .mount(server)
        .await;
    let exec_calls = if management == 401 { 0 } else { 1 };
    expect("GET", "/exec/tools")
        .and(query_param("limit", "1"))
        .respond_with(respond(execution, "execution"))
        .expect(exec_calls)
        .mount(server)
        .await;
}

#[tokio::test]
async fn all_good_is_exit_0_with_sources_and_redacted_key() {
    let server = MockServer::start().await;
    probes(&server, 200, 200).await;
    let run = Env::for_server(&server).run(&["status"]).await;
    run.expect_code(0).assert_no_secret(&[]);
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    Context:          - (none: flags and environment only)
    Base URL:         http://127.0.0.1:[port]/demo/v1 (from env XEROCTL_BASE_URL)
    Project:          demo
    API key:          xero_demo_…0000 (from env XEROCTL_API_KEY)
    Router:           reachable, [n] ms round trip
    Management scope: yes
    Execution scope:  yes
    Status:           ok
    --- stderr
    Connected; the key holds the management and execution scopes.
    ");
}

#[tokio::test]
async fn json_has_every_field() {
    let server = MockServer::start().await;
    probes(&server, 200, 403).await;
    let run = Env::for_server(&server)
        .run(&["status", "-o", "json"])
        .await;
    run.expect_code(3).assert_no_secret(&[]);
    let v = run.json();
    assert_eq!(v["context"], serde_json::Value::Null);
    assert_eq!(v["sources"]["base_url"], "env XEROCTL_BASE_URL");
    assert_eq!(v["sources"]["api_key"], "env XEROCTL_API_KEY");
    assert_eq!(v["project"], "demo");
    assert_eq!(v["key"], "xero_demo_…0000");
    assert!(v["round_trip_ms"].is_u64(), "{v}");
    assert_eq!(v["reachable"], true);
    assert_eq!(v["scopes"]["management"], true);
    assert_eq!(v["scopes"]["execution"], false);
    assert_eq!(v["ok"], false);
    assert_snapshot!(run, @r#"
    exit: 3
    --- stdout
    {
      "context": null,
      "sources": {
        "context": null,
        "base_url": "env XEROCTL_BASE_URL",
        "api_key": "env XEROCTL_API_KEY"
      },
      "base_url": "http://127.0.0.1:[port]/demo/v1",
      "project": "demo",
      "key": "xero_demo_…0000",
      "reachable": true,
      "round_trip_ms": [n],
      "response_too_large": false,
      "scopes": {
        "management": true,
        "execution": false
      },
      "ok": false
    }
    --- stderr
    error: the API key lacks the execution scope (exec and approvals will be refused)
    hint: create a key with the missing scope in the Xerotier console, then `xeroctl config add`
    "#);
}

#[tokio::test]
async fn missing_management_scope_is_exit_3() {
    let server = MockServer::start().await;
    probes(&server, 403, 200).await;
    let run = Env::for_server(&server).run(&["status"]).await;
    assert_snapshot!(run, @"
    exit: 3
    --- stdout
    Context:          - (none: flags and environment only)
    Base URL:         http://127.0.0.1:[port]/demo/v1 (from env XEROCTL_BASE_URL)
    Project:          demo
    API key:          xero_demo_…0000 (from env XEROCTL_API_KEY)
    Router:           reachable, [n] ms round trip
    Management scope: no (scope_insufficient)
    Execution scope:  yes
    Status:           problem (see below)
    --- stderr
    error: the API key lacks the management scope (agents and join keys will be refused)
    hint: create a key with the missing scope in the Xerotier console, then `xeroctl config add`
    ");
}

#[tokio::test]
async fn rejected_key_is_exit_3_and_skips_the_second_probe() {
    let server = MockServer::start().await;
    probes(&server, 401, 200).await;
    let run = Env::for_server(&server)
        .run(&["status", "-o", "json"])
        .await;
    run.expect_code(3).assert_no_secret(&[]);
    let v = run.json();
    assert_eq!(v["reachable"], true);
    assert_eq!(v["scopes"]["management"], serde_json::Value::Null);
    assert_eq!(v["ok"], false);
    assert_snapshot!(run, @r#"
    exit: 3
    --- stdout
    {
      "context": null,
      "sources": {
        "context": null,
        "base_url": "env XEROCTL_BASE_URL",
        "api_key": "env XEROCTL_API_KEY"
      },
      "base_url": "http://127.0.0.1:[port]/demo/v1",
      "project": "demo",
      "key": "xero_demo_…0000",
      "reachable": true,
      "round_trip_ms": [n],
      "response_too_large": false,
      "scopes": {
        "management": null,
        "execution": null
      },
      "ok": false
    }
    --- stderr
    error: Invalid API key (invalid_api_key, request id req_test_1)
    hint: check the API key: `xeroctl status` shows which key is in use (--api-key, XEROCTL_API_KEY or `xeroctl config add`)
    "#);
}

#[tokio::test]
async fn server_error_is_exit_1() {
    let server = MockServer::start().await;
    probes(&server, 200, 500).await;
    let run = Env::for_server(&server).run(&["status"]).await;
    assert_snapshot!(run, @"
    exit: 1
    --- stdout
    Context:          - (none: flags and environment only)
    Base URL:         http://127.0.0.1:[port]/demo/v1 (from env XEROCTL_BASE_URL)
    Project:          demo
    API key:          xero_demo_…0000 (from env XEROCTL_API_KEY)
    Router:           reachable, [n] ms round trip
    Management scope: yes
    Execution scope:  unknown (check failed)
    Status:           problem (see below)
    --- stderr
    error: boom (server_error, request id req_test_1)
    hint: the router failed; retry later and quote the request id to support if it persists
    ");
}

#[tokio::test]
async fn unreachable_router_is_exit_6() {
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let env = Env::new(
        Some(format!("http://127.0.0.1:{port}/demo/v1")),
        Some(KEY.into()),
    );
    let run = env.run(&["status", "-o", "json"]).await;
    run.expect_code(6).assert_no_secret(&[]);
    let v = run.json();
    assert_eq!(v["reachable"], false);
    assert_eq!(v["round_trip_ms"], serde_json::Value::Null);
    assert_eq!(v["ok"], false);
    let run = env.run(&["status"]).await;
    assert_snapshot!(run, @"
    exit: 6
    --- stdout
    Context:          - (none: flags and environment only)
    Base URL:         http://127.0.0.1:[port]/demo/v1 (from env XEROCTL_BASE_URL)
    Project:          demo
    API key:          xero_demo_…0000 (from env XEROCTL_API_KEY)
    Router:           unreachable
    Management scope: unknown (check failed)
    Execution scope:  not checked
    Status:           problem (see below)
    --- stderr
    error: could not connect to 127.0.0.1:[port]: connection refused
    hint: check the network and --base-url; `xeroctl status` tests the connection
    ");
}

#[tokio::test]
async fn context_and_flag_sources_are_named() {
    let server = MockServer::start().await;
    all_probes_ok(&server).await;
    let env = Env::bare();
    env.write_config(&format!(
        "current = \"sb\"\n[deployment.sb]\nbase_url = \"{}/{PROJECT}/v1\"\napi_key = \"{KEY}\"\n[deployment.other]\nbase_url = \"{}/{PROJECT}/v1\"\napi_key = \"{KEY}\"\n",
        server.uri(),
        server.uri()
    ));
    let run = env.run(&["status", "-o", "json"]).await;
    run.expect_code(0).assert_no_secret(&[]);
    let v = run.json();
    assert_eq!(v["context"], "sb");
    assert_eq!(v["sources"]["context"], "current");
    assert_eq!(v["sources"]["base_url"], "context sb");
    assert_eq!(v["sources"]["api_key"], "context sb");
    assert_eq!(v["ok"], true);

    let run = env
        .run(&["status", "--context", "other", "--api-key", KEY])
        .await;
    run.expect_code(0).assert_no_secret(&[]);
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    Context:          other (flag --context)
    Base URL:         http://127.0.0.1:[port]/demo/v1 (from context other)
    Project:          demo
    API key:          xero_demo_…0000 (from flag)
    Router:           reachable, [n] ms round trip
    Management scope: yes
    Execution scope:  yes
    Status:           ok
    --- stderr
    Connected; the key holds the management and execution scopes.
    ");
}

async fn all_probes_ok(server: &MockServer) {
    for p in ["/management/agents", "/exec/tools"] {
        expect("GET", p)
            .respond_with(json(200, page(vec![], false)))
            .mount(server)
            .await;
    }
}

#[tokio::test]
async fn unreadable_keychain_entry_names_it_and_the_alternatives() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let env = Env::bare();
    env.write_config(&format!(
        "current = \"kc\"\n[deployment.kc]\nbase_url = \"{}/{PROJECT}/v1\"\napi_key_keychain = \"xeroctl-test-no-such-entry\"\n",
        server.uri()
    ));
    let run = env.run(&["status"]).await;
    assert_snapshot!(run, @"
    exit: 3
    --- stdout
    --- stderr
    error: cannot read the API key from keychain entry 'xeroctl-test-no-such-entry': no usable keychain here (keychain use is off (XEROCTL_KEYCHAIN=none))
    hint: store the key again (`xeroctl config add <name> --base-url … --api-key-stdin`: in the keychain where one works, else as `api_key` in the file), or set XEROCTL_API_KEY; the keychain entry 'xeroctl-test-no-such-entry' is looked up under service 'xeroctl'
    ");
}

#[tokio::test]
async fn no_credentials_is_exit_3_with_how_to_fix() {
    let run = Env::bare().run(&["status"]).await;
    assert_snapshot!(run, @"
    exit: 3
    --- stdout
    --- stderr
    error: no base URL is configured
    hint: run `xeroctl config add <name> --base-url https://api.xerotier.ai/<project>/v1 --api-key-stdin`, or set XEROCTL_BASE_URL and XEROCTL_API_KEY
    ");
}

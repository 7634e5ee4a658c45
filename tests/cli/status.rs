//! `xeroctl status`: one probe per scope, sources, and each outcome's exit
//! code.

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
    let out = run.stdout();
    for want in [
        "Context:",
        "none",
        "(from env XEROCTL_BASE_URL)",
        "Project:          demo",
        "xero_demo_…0000 (from env XEROCTL_API_KEY)",
        "reachable,",
        "ms round trip",
        "Management scope: yes",
        "Execution scope:  yes",
    ] {
        assert!(out.contains(want), "{want} missing:\n{out}");
    }
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
    assert!(
        run.stderr().contains("lacks the execution scope"),
        "{}",
        run.stderr()
    );
}

#[tokio::test]
async fn missing_management_scope_is_exit_3() {
    let server = MockServer::start().await;
    probes(&server, 403, 200).await;
    let run = Env::for_server(&server).run(&["status"]).await;
    run.expect_code(3);
    assert!(
        run.stdout().contains("Management scope: no"),
        "{}",
        run.stdout()
    );
    assert!(
        run.stderr().contains("lacks the management scope"),
        "{}",
        run.stderr()
    );
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
    assert!(run.stderr().contains("invalid_api_key"), "{}", run.stderr());
}

#[tokio::test]
async fn server_error_is_exit_1() {
    let server = MockServer::start().await;
    probes(&server, 200, 500).await;
    let run = Env::for_server(&server).run(&["status"]).await;
    run.expect_code(1);
    assert!(
        run.stdout().contains("Execution scope:  unknown"),
        "{}",
        run.stdout()
    );
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
    run.expect_code(6);
    assert!(run.stdout().contains("unreachable"), "{}", run.stdout());
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
    let out = run.stdout();
    assert!(out.contains("other (flag --context)"), "{out}");
    assert!(out.contains("(from flag)"), "{out}");
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
    run.expect_code(3);
    let err = run.stderr();
    assert!(err.contains("xeroctl-test-no-such-entry"), "{err}");
    assert!(
        err.contains("api_key") && err.contains("XEROCTL_API_KEY"),
        "{err}"
    );
}

#[tokio::test]
async fn no_credentials_is_exit_3_with_how_to_fix() {
    let run = Env::bare().run(&["status"]).await;
    run.expect_code(3);
    assert!(run.stderr().contains("config add"), "{}", run.stderr());
}

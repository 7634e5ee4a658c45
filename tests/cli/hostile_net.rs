//! Hostile routers on the wire (spec/cli.md, "Hostile routers and shared
//! machines"): redirects to another origin, redirect loops, proxies for
//! loopback, and bodies that trickle in to outlast the request timeout.

use insta::assert_snapshot;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::approvals::approval;
use crate::exec::EXE;
use crate::raw_server::{response_bytes, RawServer, Reply};
use crate::support::*;

const AID: &str = "a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60";

fn redirect(status: u16, location: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("location", location)
        .insert_header("x-request-id", "req_redirect")
}

#[tokio::test]
async fn a_redirect_to_another_port_is_refused_and_the_other_server_sees_nothing() {
    let router = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    forbid_all(&elsewhere).await;
    let target = format!("{}/demo/v1/exec/approvals/{AID}", elsewhere.uri());
    expect("GET", &format!("/exec/approvals/{AID}"))
        .respond_with(redirect(307, &target))
        .mount(&router)
        .await;
    let run = Env::for_server(&router)
        .run(&["approvals", "show", AID, "-v"])
        .await;
    // A refused redirect is not a network failure: exit 1.
    assert_snapshot!(run, @"
    exit: 1
    --- stdout
    --- stderr
    > GET http://127.0.0.1:[port]/demo/v1/exec/approvals/a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 (authorization: Bearer [redacted])
    < 307 → http://127.0.0.1:[port]/demo/v1/exec/approvals/a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60
    error: the router redirected to http://127.0.0.1:[port]/demo/v1/exec/approvals/a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60, another origin (scheme, host or port) than http://127.0.0.1:[port]; not following it
    hint: check --base-url: if the router moved and you trust the new address, use that one
    ");
    assert_eq!(received(&router).await.len(), 1, "not retried");
    assert!(received(&elsewhere).await.is_empty());
    run.assert_no_secret(&[]);
}

#[tokio::test]
async fn a_redirect_that_changes_the_scheme_is_refused_before_connecting_again() {
    // Same host and port, other scheme: reqwest's own policy would follow
    // it with the bearer token (the https → http downgrade of the finding).
    let location: Arc<OnceLock<String>> = Arc::new(OnceLock::new());
    let shared = location.clone();
    let server = RawServer::start(move |_| {
        let to = shared.get().cloned().unwrap_or_default();
        let head = format!(
            "HTTP/1.1 302 Found\r\nlocation: {to}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        );
        Reply::Bytes(head.into_bytes())
    })
    .await;
    let to = format!(
        "{}/exec/approvals/{AID}",
        server.base_url.replacen("http://", "https://", 1)
    );
    location.set(to.clone()).unwrap();
    let env = Env::new(Some(server.base_url.clone()), Some(KEY.into()));
    let run = env.run(&["approvals", "show", AID, "-v"]).await;
    assert_snapshot!(run, @"
    exit: 1
    --- stdout
    --- stderr
    > GET http://127.0.0.1:[port]/demo/v1/exec/approvals/a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 (authorization: Bearer [redacted])
    < 302 → https://127.0.0.1:[port]/demo/v1/exec/approvals/a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60
    error: the router redirected to https://127.0.0.1:[port]/demo/v1/exec/approvals/a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60, another origin (scheme, host or port) than http://127.0.0.1:[port]; not following it
    hint: check --base-url: if the router moved and you trust the new address, use that one
    ");
    assert_eq!(server.hits(), 1, "no second connection");
}

#[tokio::test]
async fn a_same_origin_redirect_is_followed_and_logged() {
    let server = MockServer::start().await;
    let moved = format!("{}/demo/v1/exec/approvals/moved", server.uri());
    expect("GET", &format!("/exec/approvals/{AID}"))
        .respond_with(redirect(308, &moved))
        .expect(1)
        .mount(&server)
        .await;
    // The key still goes along: same scheme, host and port.
    expect("GET", "/exec/approvals/moved")
        .respond_with(json(200, approval(AID, "pending")))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["approvals", "show", AID, "-o", "json", "-v"])
        .await;
    run.expect_code(0);
    assert_eq!(run.json()["id"], AID);
    assert_snapshot!(normalise(&run.stderr()), @"
    > GET http://127.0.0.1:[port]/demo/v1/exec/approvals/a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 (authorization: Bearer [redacted])
    < 308 → http://127.0.0.1:[port]/demo/v1/exec/approvals/moved
    < 200 in [n] ms (request id req_test_1)
    ");
}

#[tokio::test]
async fn a_redirect_loop_is_bounded_and_not_retried() {
    let server = MockServer::start().await;
    let a = format!("{}/demo/v1/exec/approvals/a", server.uri());
    let b = format!("{}/demo/v1/exec/approvals/b", server.uri());
    // A two-step loop, then a chain that never ends (each hop is new).
    Mock::given(wiremock::matchers::path(api("/exec/approvals/a")))
        .respond_with(redirect(302, &b))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path(api("/exec/approvals/b")))
        .respond_with(redirect(302, &a))
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["approvals", "show", "a"])
        .await;
    assert_snapshot!(run, @"
    exit: 1
    --- stdout
    --- stderr
    error: redirect loop: the router sent the request back to http://127.0.0.1:[port]/demo/v1/exec/approvals/a
    hint: check --base-url: if the router moved and you trust the new address, use that one
    ");
    assert_eq!(received(&server).await.len(), 2, "a, b, then stop");

    let server = MockServer::start().await;
    /// Each hop to a new URL: the path with one more `x`.
    struct Onwards(String);
    impl wiremock::Respond for Onwards {
        fn respond(&self, req: &wiremock::Request) -> ResponseTemplate {
            redirect(302, &format!("{}{}x", self.0, req.url.path()))
        }
    }
    Mock::given(wiremock::matchers::any())
        .respond_with(Onwards(server.uri()))
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["approvals", "show", "start"])
        .await;
    assert_snapshot!(run, @"
    exit: 1
    --- stdout
    --- stderr
    error: too many redirects (more than 5); the last one was to http://127.0.0.1:[port]/demo/v1/exec/approvals/startxxxxxx
    hint: check --base-url: if the router moved and you trust the new address, use that one
    ");
    let hits = received(&server).await.len();
    assert_eq!(hits, 6, "the request and 5 redirects, once");
}

/// A "proxy" that answers anything with an empty list, and records.
async fn recording_proxy() -> MockServer {
    let proxy = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(json(200, page(vec![], false)))
        .mount(&proxy)
        .await;
    proxy
}

fn with_proxy_env(env: Env, proxy: &str) -> Env {
    [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "all_proxy",
    ]
    .iter()
    .fold(env, |env, var| env.env(var, proxy))
}

#[tokio::test]
async fn loopback_requests_never_go_through_a_proxy() {
    let proxy = recording_proxy().await;
    let router = MockServer::start().await;
    expect("GET", "/exec/approvals")
        .respond_with(json(200, page(vec![approval(AID, "pending")], false)))
        .expect(2)
        .mount(&router)
        .await;
    let port = router.address().port();
    let mut logs = String::new();
    for host in ["127.0.0.1", "localhost"] {
        let env = Env::new(
            Some(format!("http://{host}:{port}/demo/v1")),
            Some(KEY.into()),
        );
        let run = with_proxy_env(env, &proxy.uri())
            .run(&["approvals", "list", "-o", "json", "-v"])
            .await;
        run.expect_code(0);
        assert_eq!(run.json()["data"][0]["id"], AID, "{host}");
        logs.push_str(&format!("# {host}\n{}", normalise(&run.stderr())));
    }
    assert_snapshot!(logs, @"
    # 127.0.0.1
      not using the proxy for loopback host 127.0.0.1 (http://127.0.0.1:[port]/)
    > GET http://127.0.0.1:[port]/demo/v1/exec/approvals (authorization: Bearer [redacted])
    < 200 in [n] ms (request id req_test_1)
    # localhost
      not using the proxy for loopback host localhost (http://127.0.0.1:[port]/)
    > GET http://localhost:[port]/demo/v1/exec/approvals (authorization: Bearer [redacted])
    < 200 in [n] ms (request id req_test_1)
    ");
    assert!(received(&proxy).await.is_empty(), "the proxy saw a request");
}

#[tokio::test]
async fn other_hosts_use_the_proxy_and_verbose_hides_its_password() {
    let proxy = recording_proxy().await;
    let port = proxy.address().port();
    let proxy_url = format!("http://puser:proxypass99@127.0.0.1:{port}");
    // Never resolved: a plain-HTTP proxy is handed the whole URL.
    let env = Env::new(
        Some("http://router.invalid/demo/v1".into()),
        Some(KEY.into()),
    );
    let run = with_proxy_env(env, &proxy_url)
        .run(&["approvals", "list", "--insecure-http", "-v", "-o", "json"])
        .await;
    run.expect_code(0);
    run.assert_no_secret(&["proxypass99", "puser"]);
    assert_snapshot!(normalise(&run.stderr()), @"
    > GET http://router.invalid/demo/v1/exec/approvals via proxy http://[redacted]@127.0.0.1:[port]/ (authorization: Bearer [redacted])
    < 200 in [n] ms (request id req_test_1)
    ");
    let seen = received(&proxy).await;
    assert_eq!(seen.len(), 1);
    assert!(seen[0].headers.contains_key("proxy-authorization"));
}

#[tokio::test]
async fn a_trickling_error_body_cannot_outlast_the_request_timeout() {
    // 500 whose 40-byte body arrives one byte a second.
    let slow = || Reply::Trickle {
        status: 500,
        body: b"upstream is thinking about it, slowly.!!".to_vec(),
        every: Duration::from_secs(1),
    };
    let server = RawServer::start(move |_| slow()).await;
    let env = Env::new(Some(server.base_url.clone()), Some(KEY.into()));
    let started = Instant::now();
    let run = env
        .run(&["exec", "raw", EXE, "--request-timeout", "2"])
        .await;
    let took = started.elapsed();
    // A request that timed out is a network failure (exit 6), not retried.
    assert!(took < Duration::from_secs(8), "took {took:?}");
    assert_snapshot!(run, @"
    exit: 6
    --- stdout
    --- stderr
    error: the request to 127.0.0.1:[port] timed out after 2s
    hint: the router did not answer in time; retry, or raise --request-timeout
    ");
    assert_eq!(server.hits(), 1);

    // The same for a success whose JSON body trickles.
    let server = RawServer::start(|n| match n {
        0 => Reply::Trickle {
            status: 200,
            body: br#"{"object":"list","data":[],"has_more":false,"pad":"......"}"#.to_vec(),
            every: Duration::from_secs(1),
        },
        _ => Reply::Bytes(response_bytes(404, "text/plain", b"")),
    })
    .await;
    let env = Env::new(Some(server.base_url.clone()), Some(KEY.into()));
    let started = Instant::now();
    let run = env
        .run(&["approvals", "list", "--request-timeout", "2"])
        .await;
    run.expect_code(6);
    assert!(started.elapsed() < Duration::from_secs(8));
}

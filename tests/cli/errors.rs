//! Error bodies that are not the router's JSON, retries per the policy,
//! and network failures.

use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

use crate::support::*;

fn raw(status: u16, body: &str, content_type: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("x-request-id", "req_raw")
        .set_body_raw(body.as_bytes().to_vec(), content_type)
}

const NGINX: &str = "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

#[tokio::test]
async fn html_error_pages_become_one_readable_line() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents/a404")
        .respond_with(raw(
            404,
            "<!DOCTYPE html><html><title>Not Found</title><body>x</body></html>",
            "text/html",
        ))
        .expect(1)
        .mount(&server)
        .await;
    expect("POST", "/management/agents")
        .respond_with(raw(504, NGINX, "text/html"))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let run = env.run(&["agents", "a404"]).await;
    run.expect_code(4);
    assert!(run.stderr().contains("HTML page"), "{}", run.stderr());
    assert!(run.stderr().contains("\"Not Found\""), "{}", run.stderr());

    let run = env
        .run(&["agents", "--create", "--name", "x", "-o", "json"])
        .await;
    run.expect_code(1);
    assert_eq!(run.stdout(), "");
    let err = run.stderr();
    assert!(
        err.starts_with("error: HTTP 504 Gateway Timeout (an HTML page"),
        "{err}"
    );
    assert!(err.contains("504 Gateway Time-out"), "{err}");
    assert!(err.contains("request id req_raw"), "{err}");
    assert!(!err.contains('<'), "raw HTML leaked: {err}");
    assert_eq!(err.lines().count(), 2, "{err}");
}

#[tokio::test]
async fn truncated_text_and_empty_error_bodies() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents/t400")
        .respond_with(raw(
            400,
            r#"{"error": {"message": "limit must be betw"#,
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/management/agents/t500")
        .respond_with(raw(
            500,
            "upstream connect error or disconnect/reset before headers\nmore",
            "text/plain",
        ))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/management/agents/t409")
        .respond_with(raw(409, "", "text/plain"))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let run = env.run(&["agents", "t400"]).await;
    run.expect_code(2);
    assert!(
        run.stderr().contains("HTTP 400 Bad Request"),
        "{}",
        run.stderr()
    );
    let run = env.run(&["agents", "t500"]).await;
    run.expect_code(1);
    assert!(
        run.stderr()
            .starts_with("error: HTTP 500 Internal Server Error: upstream connect error"),
        "{}",
        run.stderr()
    );
    assert!(!run.stderr().contains("more"), "{}", run.stderr());
    let run = env.run(&["agents", "t409"]).await;
    run.expect_code(5);
    assert!(
        run.stderr().contains("with an empty body"),
        "{}",
        run.stderr()
    );
}

#[tokio::test]
async fn a_success_with_an_unreadable_body_exits_1_and_prints_nothing() {
    let server = MockServer::start().await;
    let full = serde_json::to_string(&page(agents(1, 3), false)).unwrap();
    expect("GET", "/management/agents")
        .respond_with(raw(200, &full[..full.len() / 2], "application/json"))
        .expect(2)
        .mount(&server)
        .await;
    expect("GET", "/management/agents/html")
        .respond_with(raw(200, "<html><body>Sign in</body></html>", "text/html"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/management/agents/empty")
        .respond_with(raw(200, "", "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/management/agents/enveloped")
        .respond_with(api_error(200, "weird", "not really ok"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/management/agents/shape")
        .respond_with(json(200, json!({"id": 42})))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    for output in ["table", "json"] {
        let run = env.run(&["agents", "-o", output]).await;
        run.expect_code(1);
        assert_eq!(run.stdout(), "", "{output}");
        assert!(run.stderr().contains("could not read"), "{}", run.stderr());
    }
    let cases = [
        ("html", "HTML page instead of JSON"),
        ("empty", "empty body"),
        ("enveloped", "not really ok"),
        ("shape", "could not read"),
    ];
    for (id, needle) in cases {
        let run = env.run(&["agents", id, "-o", "json"]).await;
        run.expect_code(1);
        assert_eq!(run.stdout(), "", "{id}");
        assert!(run.stderr().contains(needle), "{id}: {}", run.stderr());
    }
}

#[tokio::test]
async fn the_error_envelope_names_the_parameter() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents")
        .respond_with(json(
            400,
            json!({"error": {"message": "Invalid cursor", "type": "invalid_request_error", "code": "validation_error", "param": "after"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["agents", "--after", "agt_gone"])
        .await;
    run.expect_code(2);
    assert_eq!(
        run.stderr(),
        "error: Invalid cursor (parameter `after`) (validation_error, request id req_test_1)\n"
    );
}

/// First `n` matching requests get `first`, later ones `then`.
async fn flaky(
    server: &MockServer,
    m: &str,
    p: &str,
    n: u64,
    first: ResponseTemplate,
    then: ResponseTemplate,
) {
    expect(m, p)
        .respond_with(first)
        .up_to_n_times(n)
        .expect(n)
        .mount(server)
        .await;
    expect(m, p)
        .respond_with(then)
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn idempotent_requests_are_retried_on_502_503_504() {
    let server = MockServer::start().await;
    flaky(
        &server,
        "GET",
        "/management/agents",
        1,
        raw(502, NGINX, "text/html"),
        json(200, page(agents(1, 1), false)),
    )
    .await;
    flaky(
        &server,
        "PATCH",
        "/management/agents/agt_1",
        1,
        raw(503, "", "text/plain"),
        json(200, agent("agt_1", "n")),
    )
    .await;
    flaky(
        &server,
        "DELETE",
        "/management/agents/agt_1",
        2,
        raw(504, "", "text/plain"),
        ResponseTemplate::new(204),
    )
    .await;
    let env = Env::for_server(&server);
    let run = env.run(&["agents", "-o", "json"]).await;
    run.expect_code(0);
    assert_eq!(run.json()["data"][0]["id"], "agt_0001");
    assert_eq!(run.stderr(), "", "retries are silent without -v");
    env.run(&["agents", "agt_1", "--update", "--name", "n"])
        .await
        .expect_code(0);
    let run = env
        .run(&["agents", "agt_1", "--delete", "--force", "-v"])
        .await;
    run.expect_code(0);
    assert!(run.stderr().contains("retry 2 of 3"), "{}", run.stderr());
}

#[tokio::test]
async fn a_get_that_keeps_failing_gives_up_after_three_retries() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents")
        .respond_with(raw(503, "", "text/plain"))
        .expect(4)
        .mount(&server)
        .await;
    let run = Env::for_server(&server).run(&["agents"]).await;
    run.expect_code(1);
    assert!(run.stderr().contains("HTTP 503"), "{}", run.stderr());
}

#[tokio::test]
async fn a_post_is_not_retried_on_502() {
    let server = MockServer::start().await;
    expect("POST", "/management/agents")
        .respond_with(raw(502, "", "text/plain"))
        .expect(1)
        .mount(&server)
        .await;
    expect("POST", "/management/join-keys")
        .respond_with(raw(503, "", "text/plain"))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    env.run(&["agents", "--create", "--name", "x"])
        .await
        .expect_code(1);
    env.run(&["agents", "join-keys", "--create"])
        .await
        .expect_code(1);
}

#[tokio::test]
async fn a_429_with_a_short_retry_after_is_retried_even_for_post() {
    let server = MockServer::start().await;
    let limited =
        |secs: &str| api_error(429, "rate_limited", "slow down").insert_header("retry-after", secs);
    flaky(
        &server,
        "GET",
        "/management/agents",
        1,
        limited("1"),
        json(200, page(agents(1, 1), false)),
    )
    .await;
    flaky(
        &server,
        "POST",
        "/management/agents",
        1,
        limited("0"),
        json(201, agent("agt_new", "x")),
    )
    .await;
    let env = Env::for_server(&server);
    let started = Instant::now();
    env.run(&["agents"]).await.expect_code(0);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "Retry-After: 1 was not honoured"
    );
    env.run(&["agents", "--create", "--name", "x"])
        .await
        .expect_code(0);
}

#[tokio::test]
async fn a_long_retry_after_is_reported_not_slept() {
    let server = MockServer::start().await;
    let later = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(3600));
    expect("GET", "/management/agents/hdr")
        .respond_with(
            api_error(429, "rate_limited", "slow down").insert_header("retry-after", "120"),
        )
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/management/agents/body")
        .respond_with(json(
            429,
            json!({"error": {"message": "slow down", "code": "rate_limited", "retry_after": 300}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/management/agents/date")
        .respond_with(
            api_error(429, "rate_limited", "slow down")
                .insert_header("retry-after", later.as_str()),
        )
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    for (id, secs) in [("hdr", "120"), ("body", "300"), ("date", "")] {
        let started = Instant::now();
        let run = env.run(&["agents", id]).await;
        run.expect_code(1);
        assert!(started.elapsed() < Duration::from_secs(5), "{id} slept");
        assert!(
            run.stderr().contains(&format!("retry after {secs}")),
            "{id}: {}",
            run.stderr()
        );
        assert!(run.stderr().contains("rate_limited"), "{}", run.stderr());
    }
}

#[tokio::test]
async fn connection_refused_exits_6() {
    let started = Instant::now();
    let run = Env::new(Some(dead_address()), Some(KEY.into()))
        .run(&["agents"])
        .await;
    run.expect_code(6);
    assert!(
        run.stderr().contains("connection refused"),
        "{}",
        run.stderr()
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    run.assert_no_secret(&[]);
}

#[tokio::test]
async fn a_request_timeout_exits_6_quickly_and_is_not_retried() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents")
        .respond_with(json(200, page(vec![], false)).set_delay(Duration::from_secs(10)))
        .expect(1)
        .mount(&server)
        .await;
    expect("POST", "/management/agents")
        .respond_with(json(201, agent("agt_1", "x")).set_delay(Duration::from_secs(10)))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    for args in [&["agents"][..], &["agents", "--create", "--name", "x"][..]] {
        let mut all = args.to_vec();
        all.extend(["--request-timeout", "0.5"]);
        let started = Instant::now();
        let run = env.run(&all).await;
        run.expect_code(6);
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
        assert!(
            run.stderr().contains("timed out after 0.5s"),
            "{}",
            run.stderr()
        );
        assert!(
            run.stderr().contains("--request-timeout"),
            "{}",
            run.stderr()
        );
    }
}

/// A 503 that says when to come back is retried after that delay (not the
/// shorter backoff); one that asks for more than 60 s falls back to the
/// backoff, so the run stays bounded.
#[tokio::test]
async fn a_503_retry_after_is_honoured_for_idempotent_requests() {
    let server = MockServer::start().await;
    flaky(
        &server,
        "GET",
        "/management/agents",
        1,
        raw(503, "", "text/plain").insert_header("retry-after", "1"),
        json(200, page(agents(1, 1), false)),
    )
    .await;
    let started = std::time::Instant::now();
    Env::for_server(&server)
        .run(&["agents", "-o", "json"])
        .await
        .expect_code(0);
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );

    let server = MockServer::start().await;
    flaky(
        &server,
        "GET",
        "/management/agents",
        1,
        raw(503, "", "text/plain").insert_header("retry-after", "3600"),
        json(200, page(agents(1, 1), false)),
    )
    .await;
    let started = std::time::Instant::now();
    Env::for_server(&server)
        .run(&["agents", "-o", "json"])
        .await
        .expect_code(0);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

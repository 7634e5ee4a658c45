//! Error bodies that are not the router's JSON, retries per the policy,
//! and network failures.

use std::time::{Duration, Instant};

use insta::assert_snapshot;
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
    let mut runs = Transcript::default();
    for args in [
        &["agents", "a404"][..],
        &["agents", "--create", "--name", "x", "-o", "json"],
    ] {
        let run = env.run(args).await;
        let err = run.stderr();
        assert!(
            !err.contains("</") && !err.contains("<h"),
            "raw HTML leaked: {run}"
        );
        runs.add(args, &run);
    }
    assert_snapshot!(runs, @r#"
    $ agents a404
    exit: 4
    --- stdout
    --- stderr
    error: HTTP 404 Not Found (an HTML page, probably from a proxy in front of the router: "Not Found") (HTTP 404, request id req_raw)
    hint: check --base-url: it should end in /<project>/v1

    $ agents --create --name x -o json
    exit: 1
    --- stdout
    --- stderr
    error: HTTP 504 Gateway Timeout (an HTML page, probably from a proxy in front of the router: "504 Gateway Time-out") (HTTP 504, request id req_raw)
    hint: the router failed; retry later and quote the request id to support if it persists
    "#);
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
    let mut runs = Transcript::default();
    for id in ["t400", "t500", "t409"] {
        runs.add(&["agents", id], &env.run(&["agents", id]).await);
    }
    assert_snapshot!(runs, @r#"
    $ agents t400
    exit: 2
    --- stdout
    --- stderr
    error: HTTP 400 Bad Request: {"error": {"message": "limit must be betw (HTTP 400, request id req_raw)

    $ agents t500
    exit: 1
    --- stdout
    --- stderr
    error: HTTP 500 Internal Server Error: upstream connect error or disconnect/reset before headers (HTTP 500, request id req_raw)
    hint: the router failed; retry later and quote the request id to support if it persists

    $ agents t409
    exit: 5
    --- stdout
    --- stderr
    error: HTTP 409 Conflict with an empty body (HTTP 409, request id req_raw)
    "#);
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
    let mut runs = Transcript::default();
    for args in [
        &["agents", "-o", "table"][..],
        &["agents", "-o", "json"],
        &["agents", "html", "-o", "json"],
        &["agents", "empty", "-o", "json"],
        &["agents", "enveloped", "-o", "json"],
        &["agents", "shape", "-o", "json"],
    ] {
        let run = env.run(args).await;
        run.expect_code(1);
        runs.add(args, &run);
    }
    assert_snapshot!(runs, @"
    $ agents -o table
    exit: 1
    --- stdout
    --- stderr
    error: the router sent a response it could not read (EOF while parsing a value at line 1 column 622) (HTTP 200, request id req_raw)
    hint: check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests

    $ agents -o json
    exit: 1
    --- stdout
    --- stderr
    error: the router sent a response it could not read (EOF while parsing a value at line 1 column 622) (HTTP 200, request id req_raw)
    hint: check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests

    $ agents html -o json
    exit: 1
    --- stdout
    --- stderr
    error: the router sent an HTML page instead of JSON (HTTP 200, request id req_raw)
    hint: check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests

    $ agents empty -o json
    exit: 1
    --- stdout
    --- stderr
    error: the router sent an empty body (HTTP 200, request id req_raw)
    hint: check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests

    $ agents enveloped -o json
    exit: 1
    --- stdout
    --- stderr
    error: the router answered 200 with an error: not really ok (weird, request id req_test_1)

    $ agents shape -o json
    exit: 1
    --- stdout
    --- stderr
    error: the router sent a response it could not read (invalid type: integer `42`, expected a string at line 1 column 8) (HTTP 200, request id req_test_1)
    hint: check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests
    ");
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
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    --- stderr
    > DELETE http://127.0.0.1:[port]/demo/v1/management/agents/agt_1 (authorization: Bearer [redacted])
    < 504 in [n] ms (request id req_raw)
      retrying in [n] ms (retry 1 of 3)
    > DELETE http://127.0.0.1:[port]/demo/v1/management/agents/agt_1 (authorization: Bearer [redacted])
    < 504 in [n] ms (request id req_raw)
      retrying in [n] ms (retry 2 of 3)
    > DELETE http://127.0.0.1:[port]/demo/v1/management/agents/agt_1 (authorization: Bearer [redacted])
    < 204 in [n] ms (request id -)
    Deleted agent agt_1.
    ");
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
    assert_snapshot!(run, @"
    exit: 1
    --- stdout
    --- stderr
    error: HTTP 503 Service Unavailable with an empty body (HTTP 503, request id req_raw)
    hint: the router failed; retry later and quote the request id to support if it persists
    ");
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
    let mut runs = Transcript::default();
    for id in ["hdr", "body", "date"] {
        let started = Instant::now();
        let run = env.run(&["agents", id]).await;
        run.expect_code(1);
        assert!(started.elapsed() < Duration::from_secs(5), "{id} slept");
        if id == "date" {
            // An HTTP date an hour ahead: the seconds left depend on when
            // the run reads it (3599 or 3600), so checked by its start.
            assert!(run.stderr().contains("rate_limited"), "{run}");
            assert!(run.stderr().contains("retry after 3"), "{run}");
        } else {
            runs.add(&["agents", id], &run);
        }
    }
    assert_snapshot!(runs, @"
    $ agents hdr
    exit: 1
    --- stdout
    --- stderr
    error: rate limited by the router, retry after 120 s (rate_limited, request id req_test_1)
    hint: the router asked for a long pause; wait that long, then run the command again

    $ agents body
    exit: 1
    --- stdout
    --- stderr
    error: rate limited by the router, retry after 300 s (rate_limited, request id req_test_1)
    hint: the router asked for a long pause; wait that long, then run the command again
    ");
}

#[tokio::test]
async fn connection_refused_exits_6() {
    let started = Instant::now();
    let run = Env::new(Some(dead_address()), Some(KEY.into()))
        .run(&["agents"])
        .await;
    assert_snapshot!(run, @"
    exit: 6
    --- stdout
    --- stderr
    error: could not connect to 127.0.0.1:[port]: connection refused
    hint: check the network and --base-url; `xeroctl status` tests the connection
    ");
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
    let mut runs = Transcript::default();
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
        runs.add(&all, &run);
    }
    assert_snapshot!(runs, @"
    $ agents --request-timeout 0.5
    exit: 6
    --- stdout
    --- stderr
    error: the request to 127.0.0.1:[port] timed out after 0.5s
    hint: the router did not answer in time; retry, or raise --request-timeout

    $ agents --create --name x --request-timeout 0.5
    exit: 6
    --- stdout
    --- stderr
    error: the request to 127.0.0.1:[port] timed out after 0.5s
    hint: the router did not answer in time; retry, or raise --request-timeout
    ");
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

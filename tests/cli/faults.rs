//! Faults on the wire for the approvals and status groups (and the
//! methods the agents-side suite in errors.rs leaves out): rate limits,
//! gateway errors, persistent failures and bodies that are not what the
//! endpoint promises.

use insta::assert_snapshot;
use std::time::{Duration, Instant, SystemTime};

use serde_json::json;
use wiremock::matchers::query_param;
use wiremock::{MockServer, ResponseTemplate};

use crate::approvals::approval;
use crate::support::*;

const AID: &str = "a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60";

fn raw(status: u16, body: &str, content_type: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("x-request-id", "req_raw")
        .set_body_raw(body.as_bytes().to_vec(), content_type)
}

fn limited(retry_after: &str) -> ResponseTemplate {
    api_error(429, "rate_limited", "slow down").insert_header("retry-after", retry_after)
}

/// An HTTP date about two seconds ahead (whole seconds: waits 1-2 s).
fn date_in_two_seconds() -> String {
    httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2))
}

/// First `n` requests get `first`, the next one `then`.
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
        .with_priority(1)
        .expect(n)
        .mount(server)
        .await;
    expect(m, p)
        .respond_with(then)
        .with_priority(2)
        .expect(1)
        .mount(server)
        .await;
}

fn approvals_path(suffix: &str) -> String {
    format!("/exec/approvals{suffix}")
}

/// Run, and check the exit code and that the run took at least `min`.
async fn run_timed(env: &Env, args: &[&str], code: i32, min: Duration) -> Run {
    let started = Instant::now();
    let run = env.run(args).await;
    run.expect_code(code);
    let took = started.elapsed();
    assert!(took >= min, "{args:?} did not wait: {took:?}");
    assert!(took < Duration::from_secs(6), "{args:?} too slow: {took:?}");
    run
}

#[tokio::test]
async fn retry_after_in_seconds_or_as_a_date_is_honoured_for_every_method() {
    let server = MockServer::start().await;
    let env = Env::for_server(&server);
    let detail = format!("/{AID}");
    let approve = format!("/{AID}/approve");
    // (method, path, success body, Retry-After is a date, command)
    let cases: [(&str, String, serde_json::Value, bool, &[&str]); 5] = [
        (
            "GET",
            approvals_path(""),
            page(vec![approval(AID, "pending")], false),
            false,
            &["approvals", "list", "-o", "json"],
        ),
        (
            "GET",
            approvals_path(&detail),
            approval(AID, "pending"),
            true,
            &["approvals", "show", AID],
        ),
        (
            "POST",
            approvals_path(&approve),
            approval(AID, "approved"),
            true,
            &["approvals", "approve", AID, "--force"],
        ),
        (
            "PATCH",
            "/management/agents/agt_1".into(),
            agent("agt_1", "n"),
            true,
            &["agents", "agt_1", "--update", "--name", "n"],
        ),
        (
            "DELETE",
            "/management/join-keys/jk_1".into(),
            join_key("jk_1"),
            false,
            &["agents", "join-keys", "jk_1", "--revoke", "--force"],
        ),
    ];
    for (method, path, body, as_date, args) in cases {
        // Mounted just before the run, so the date is still ahead.
        let retry_after = if as_date {
            date_in_two_seconds()
        } else {
            "1".into()
        };
        flaky(
            &server,
            method,
            &path,
            1,
            limited(&retry_after),
            json(200, body),
        )
        .await;
        // Backoff alone would retry within 250 ms: these waited for the header.
        run_timed(&env, args, 0, Duration::from_millis(600)).await;
    }
}

#[tokio::test]
async fn a_long_retry_after_on_a_write_or_status_is_reported_not_slept() {
    let server = MockServer::start().await;
    expect("POST", &approvals_path(&format!("/{AID}/reject")))
        .respond_with(limited("61"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/management/agents")
        .respond_with(limited(&httpdate::fmt_http_date(
            SystemTime::now() + Duration::from_secs(900),
        )))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    for args in [
        &["approvals", "reject", AID, "--force"][..],
        &["status"][..],
    ] {
        let started = Instant::now();
        let run = env.run(args).await;
        run.expect_code(1);
        assert!(started.elapsed() < Duration::from_secs(5), "{args:?} slept");
        // One answer is an HTTP date: the seconds left depend on when the
        // run reads it, so checked by the start of the message.
        assert!(
            run.stderr()
                .contains("rate limited by the router, retry after"),
            "{}",
            run.stderr()
        );
    }
}

#[tokio::test]
async fn gateway_errors_are_retried_on_reads_and_never_on_a_decision() {
    let server = MockServer::start().await;
    flaky(
        &server,
        "GET",
        &approvals_path(""),
        2,
        raw(502, "<html><title>502</title></html>", "text/html"),
        json(200, page(vec![approval(AID, "pending")], false)),
    )
    .await;
    flaky(
        &server,
        "GET",
        &approvals_path(&format!("/{AID}")),
        1,
        raw(504, "", "text/plain"),
        json(200, approval(AID, "pending")),
    )
    .await;
    flaky(
        &server,
        "GET",
        "/exec/tools",
        1,
        raw(503, "", "text/plain"),
        json(200, page(vec![], false)),
    )
    .await;
    expect("GET", "/management/agents")
        .and(query_param("limit", "1"))
        .respond_with(json(200, page(vec![], false)))
        .expect(1)
        .mount(&server)
        .await;
    for (status, verb) in [(502, "approve"), (503, "reject"), (504, "approve")] {
        let id = format!("gw{status}");
        expect("POST", &approvals_path(&format!("/{id}/{verb}")))
            .respond_with(raw(status, "", "text/plain"))
            .expect(1)
            .named(format!("exactly one POST on {status}"))
            .mount(&server)
            .await;
    }
    let env = Env::for_server(&server);
    env.run(&["approvals", "list"]).await.expect_code(0);
    env.run(&["approvals", "show", AID]).await.expect_code(0);
    env.run(&["status"]).await.expect_code(0);
    let mut runs = Transcript::default();
    for (status, verb) in [(502, "approve"), (503, "reject"), (504, "approve")] {
        let id = format!("gw{status}");
        let args = ["approvals", verb, &id, "--force"];
        let run = env.run(&args).await;
        run.expect_code(1);
        runs.add(&args, &run);
    }
    assert_snapshot!(runs, @"
    $ approvals approve gw502 --force
    exit: 1
    --- stdout
    --- stderr
    error: HTTP 502 Bad Gateway with an empty body (HTTP 502, request id req_raw)
    hint: the router failed; retry later and quote the request id to support if it persists

    $ approvals reject gw503 --force
    exit: 1
    --- stdout
    --- stderr
    error: HTTP 503 Service Unavailable with an empty body (HTTP 503, request id req_raw)
    hint: the router failed; retry later and quote the request id to support if it persists

    $ approvals approve gw504 --force
    exit: 1
    --- stdout
    --- stderr
    error: HTTP 504 Gateway Timeout with an empty body (HTTP 504, request id req_raw)
    hint: the router failed; retry later and quote the request id to support if it persists
    ");
}

#[tokio::test]
async fn a_decision_is_retried_when_the_router_says_nothing_was_done() {
    let server = MockServer::start().await;
    flaky(
        &server,
        "POST",
        &approvals_path(&format!("/{AID}/approve")),
        1,
        api_error(503, "tool_executor_unavailable", "no executor online"),
        json(200, approval(AID, "approved")),
    )
    .await;
    flaky(
        &server,
        "POST",
        &approvals_path(&format!("/{AID}/reject")),
        1,
        limited("0"),
        json(200, approval(AID, "rejected")),
    )
    .await;
    let env = Env::for_server(&server);
    env.run(&["approvals", "approve", AID, "--force"])
        .await
        .expect_code(0);
    env.run(&["approvals", "reject", AID, "--yes"])
        .await
        .expect_code(0);
}

#[tokio::test]
async fn a_persistent_500_fails_fast_with_status_and_request_id() {
    let server = MockServer::start().await;
    // 500 is not in the retry set: exactly one request each.
    expect("GET", &approvals_path(""))
        .respond_with(raw(500, "internal error\n", "text/plain"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", &approvals_path(&format!("/{AID}")))
        .respond_with(api_error(500, "internal_error", "the router failed"))
        .expect(1)
        .mount(&server)
        .await;
    expect("POST", &approvals_path(&format!("/{AID}/approve")))
        .respond_with(raw(500, "", "text/plain"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/management/agents")
        .respond_with(raw(500, "oops", "text/plain"))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let cases: [&[&str]; 4] = [
        &["approvals", "list"],
        &["approvals", "show", AID],
        &["approvals", "approve", AID, "--force"],
        &["status"],
    ];
    let mut runs = Transcript::default();
    for args in cases {
        let started = Instant::now();
        let run = env.run(args).await;
        run.expect_code(1);
        assert!(started.elapsed() < Duration::from_secs(3), "{args:?}");
        runs.add(args, &run);
    }
    assert_snapshot!(runs, @"
    $ approvals list
    exit: 1
    --- stdout
    --- stderr
    error: HTTP 500 Internal Server Error: internal error (HTTP 500, request id req_raw)
    hint: the router failed; retry later and quote the request id to support if it persists

    $ approvals show a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60
    exit: 1
    --- stdout
    --- stderr
    error: the router failed (internal_error, request id req_test_1)
    hint: the router failed; retry later and quote the request id to support if it persists

    $ approvals approve a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 --force
    exit: 1
    --- stdout
    --- stderr
    error: HTTP 500 Internal Server Error with an empty body (HTTP 500, request id req_raw)
    hint: the router failed; retry later and quote the request id to support if it persists

    $ status
    exit: 1
    --- stdout
    Context:          - (none: flags and environment only)
    Base URL:         http://127.0.0.1:[port]/demo/v1 (from env XEROCTL_BASE_URL)
    Project:          demo
    API key:          xero_demo_…0000 (from env XEROCTL_API_KEY)
    Router:           reachable, [n] ms round trip
    Management scope: unknown (check failed)
    Execution scope:  not checked
    Status:           problem (see below)
    --- stderr
    error: HTTP 500 Internal Server Error: oops (HTTP 500, request id req_raw)
    hint: the router failed; retry later and quote the request id to support if it persists
    ");
}

#[tokio::test]
async fn a_persistent_503_gives_up_after_the_retry_budget_in_bounded_time() {
    let server = MockServer::start().await;
    expect("GET", &approvals_path(""))
        .respond_with(raw(503, "", "text/plain"))
        .expect(4)
        .mount(&server)
        .await;
    expect("GET", "/management/agents")
        .respond_with(raw(502, "", "text/plain"))
        .expect(4)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let mut runs = Transcript::default();
    for args in [&["approvals", "list"][..], &["status"][..]] {
        let started = Instant::now();
        let run = env.run(args).await;
        run.expect_code(1);
        // 3 backoffs of at most 250 + 500 + 1000 ms, plus start-up.
        assert!(started.elapsed() < Duration::from_secs(5), "{args:?}");
        runs.add(args, &run);
    }
    assert_snapshot!(runs, @"
    $ approvals list
    exit: 1
    --- stdout
    --- stderr
    error: HTTP 503 Service Unavailable with an empty body (HTTP 503, request id req_raw)
    hint: the router failed; retry later and quote the request id to support if it persists

    $ status
    exit: 1
    --- stdout
    Context:          - (none: flags and environment only)
    Base URL:         http://127.0.0.1:[port]/demo/v1 (from env XEROCTL_BASE_URL)
    Project:          demo
    API key:          xero_demo_…0000 (from env XEROCTL_API_KEY)
    Router:           reachable, [n] ms round trip
    Management scope: unknown (check failed)
    Execution scope:  not checked
    Status:           problem (see below)
    --- stderr
    error: HTTP 502 Bad Gateway with an empty body (HTTP 502, request id req_raw)
    hint: the router failed; retry later and quote the request id to support if it persists
    ");
}

#[tokio::test]
async fn success_bodies_that_are_not_json_of_the_right_shape_exit_1() {
    let server = MockServer::start().await;
    let full = serde_json::to_string(&approval(AID, "approved")).unwrap();
    let bodies: Vec<(&str, ResponseTemplate, &str)> = vec![
        (
            "html",
            raw(
                200,
                "<!doctype html><html><body>Sign in</body></html>",
                "text/html",
            ),
            "HTML page instead of JSON",
        ),
        ("text", raw(200, "OK", "text/plain"), "could not read"),
        ("empty", raw(200, "", "application/json"), "an empty body"),
        (
            "cut",
            raw(200, &full[..full.len() / 2], "application/json"),
            "could not read",
        ),
        (
            "shape",
            json(200, json!({"id": 42, "status": ["x"]})),
            "could not read",
        ),
        (
            "enveloped",
            api_error(200, "odd", "not really ok"),
            "not really ok",
        ),
    ];
    for (name, template, _) in &bodies {
        expect("GET", &approvals_path(&format!("/{name}")))
            .respond_with(template.clone())
            .mount(&server)
            .await;
        expect("POST", &approvals_path(&format!("/{name}/approve")))
            .respond_with(template.clone())
            .expect(1)
            .mount(&server)
            .await;
    }
    let env = Env::for_server(&server);
    let mut runs = Transcript::default();
    for (name, _, _) in &bodies {
        for args in [
            &["approvals", "show", name][..],
            &["approvals", "show", name, "-o", "json"][..],
            &["approvals", "approve", name, "--force", "-o", "json"][..],
        ] {
            let run = env.run(args).await;
            run.expect_code(1);
            runs.add(args, &run);
        }
    }
    assert_snapshot!(runs, @"
    $ approvals show html
    exit: 1
    --- stdout
    --- stderr
    error: the router sent an HTML page instead of JSON (HTTP 200, request id req_raw)
    hint: check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests

    $ approvals show html -o json
    exit: 1
    --- stdout
    --- stderr
    error: the router sent an HTML page instead of JSON (HTTP 200, request id req_raw)
    hint: check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests

    $ approvals approve html --force -o json
    exit: 1
    --- stdout
    --- stderr
    error: the router sent an HTML page instead of JSON (HTTP 200, request id req_raw)
    hint: check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests

    $ approvals show text
    exit: 1
    --- stdout
    --- stderr
    error: the router sent a response it could not read (expected value at line 1 column 1) (HTTP 200, request id req_raw)
    hint: check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests

    $ approvals show text -o json
    exit: 1
    --- stdout
    --- stderr
    error: the router sent a response it could not read (expected value at line 1 column 1) (HTTP 200, request id req_raw)
    hint: check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests

    $ approvals approve text --force -o json
    exit: 1
    --- stdout
    --- stderr
    error: the router sent a response it could not read (expected value at line 1 column 1) (HTTP 200, request id req_raw)
    hint: check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests

    $ approvals show empty
    exit: 1
    --- stdout
    --- stderr
    error: the router sent an empty body (HTTP 200, request id req_raw)
    hint: check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests

    $ approvals show empty -o json
    exit: 1
    --- stdout
    --- stderr
    error: the router sent an empty body (HTTP 200, request id req_raw)
    hint: check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests

    $ approvals approve empty --force -o json
    exit: 1
    --- stdout
    --- stderr
    error: the router sent an empty body (HTTP 200, request id req_raw)
    hint: check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests

    $ approvals show cut
    exit: 1
    --- stdout
    --- stderr
    error: the router sent a response it could not read (EOF while parsing a value at line 1 column 177) (HTTP 200, request id req_raw)
    hint: check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests

    $ approvals show cut -o json
    exit: 1
    --- stdout
    --- stderr
    error: the router sent a response it could not read (EOF while parsing a value at line 1 column 177) (HTTP 200, request id req_raw)
    hint: check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests

    $ approvals approve cut --force -o json
    exit: 1
    --- stdout
    --- stderr
    error: the router sent a response it could not read (EOF while parsing a value at line 1 column 177) (HTTP 200, request id req_raw)
    hint: check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests

    $ approvals show shape
    exit: 1
    --- stdout
    --- stderr
    error: the router sent a response it could not read (invalid type: integer `42`, expected a string at line 1 column 8) (HTTP 200, request id req_test_1)
    hint: check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests

    $ approvals show shape -o json
    exit: 1
    --- stdout
    --- stderr
    error: the router sent a response it could not read (invalid type: integer `42`, expected a string at line 1 column 8) (HTTP 200, request id req_test_1)
    hint: check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests

    $ approvals approve shape --force -o json
    exit: 1
    --- stdout
    --- stderr
    error: the router sent a response it could not read (invalid type: integer `42`, expected a string at line 1 column 8) (HTTP 200, request id req_test_1)
    hint: check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests

    $ approvals show enveloped
    exit: 1
    --- stdout
    --- stderr
    error: the router answered 200 with an error: not really ok (odd, request id req_test_1)

    $ approvals show enveloped -o json
    exit: 1
    --- stdout
    --- stderr
    error: the router answered 200 with an error: not really ok (odd, request id req_test_1)

    $ approvals approve enveloped --force -o json
    exit: 1
    --- stdout
    --- stderr
    error: the router answered 200 with an error: not really ok (odd, request id req_test_1)
    ");
}

#[tokio::test]
async fn list_bodies_of_the_wrong_shape_exit_1_in_every_mode() {
    let server = MockServer::start().await;
    expect("GET", &approvals_path(""))
        .respond_with(json(
            200,
            json!({"object": "list", "data": {"not": "an array"}}),
        ))
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    for args in [
        &["approvals", "list"][..],
        &["approvals", "list", "-o", "json"][..],
        &["approvals", "list", "--all", "-o", "json"][..],
        &[
            "approvals",
            "watch",
            "--timeout",
            "0.3",
            "--interval",
            "0.1",
        ][..],
    ] {
        let run = env.run(args).await;
        run.expect_code(1);
        assert!(
            run.stderr().contains("could not read"),
            "{args:?}: {}",
            run.stderr()
        );
    }
}

#[tokio::test]
async fn status_against_something_that_is_not_a_router_is_not_ok() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents")
        .respond_with(raw(
            200,
            "<html><body>Welcome to nginx!</body></html>",
            "text/html",
        ))
        .expect(1)
        .mount(&server)
        .await;
    forbid_exec_tools(&server).await;
    let env = Env::for_server(&server);
    let run = env.run(&["status", "-o", "json"]).await;
    run.expect_code(1);
    let status = run.json();
    assert_eq!(status["ok"], false);
    assert_eq!(status["scopes"]["management"], serde_json::Value::Null);
    assert_snapshot!(normalise(&run.stderr()), @"
    error: the router sent an HTML page instead of JSON (HTTP 200, request id req_raw)
    hint: check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests
    ");
}

async fn forbid_exec_tools(server: &MockServer) {
    expect("GET", "/exec/tools")
        .respond_with(json(200, page(vec![], false)))
        .expect(0)
        .mount(server)
        .await;
}

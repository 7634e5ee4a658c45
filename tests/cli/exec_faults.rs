//! The exec group under attack: retries that must (and must not) happen
//! around invoke, `--args` that is not a JSON object, watch across a
//! dropped connection, hostile ids and strings, secrets and closed pipes.
//! (exec/*.rs covers the happy paths, a 502 on invoke, Ctrl+C on watch.)

use std::time::{Duration, Instant};

use insta::assert_snapshot;
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

use crate::exec::{execution, invocation, tool, Sequence, EXE, INV};
use crate::raw_server::{response_bytes, RawServer, Reply};
use crate::support::*;

const ARGS: &str = r#"{"resource": "pods"}"#;

fn invoke(args: &str) -> Vec<&str> {
    vec![
        "exec",
        "invoke",
        "--workspace",
        "ws_a1b2c3d4",
        "--tool",
        "kubectl_get",
        "--args",
        args,
        // The schema check (one GET) has its own tests: exec/validate.rs.
        "--no-validate",
    ]
}

fn raw(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("x-request-id", "req_raw")
        .set_body_raw(body.as_bytes().to_vec(), "text/plain")
}

#[tokio::test]
async fn invoke_is_sent_exactly_once_on_a_gateway_error() {
    let mut runs = Transcript::default();
    for status in [502, 503, 504] {
        let server = MockServer::start().await;
        expect("POST", "/exec/invocations")
            .respond_with(raw(status, "upstream trouble"))
            .expect(1)
            .named(format!("one invoke on {status}"))
            .mount(&server)
            .await;
        expect("POST", &format!("/exec/invocations/{INV}/cancel"))
            .respond_with(raw(status, ""))
            .expect(1)
            .mount(&server)
            .await;
        expect("POST", &format!("/exec/executions/{EXE}/rerun"))
            .respond_with(raw(status, ""))
            .expect(1)
            .mount(&server)
            .await;
        let env = Env::for_server(&server);
        for args in [
            invoke(ARGS),
            vec!["exec", "cancel", INV],
            vec!["exec", "rerun", EXE],
        ] {
            let run = env.run(&args).await;
            run.expect_code(1);
            runs.add_as(
                &format!("{} (the router answers {status})", args.join(" ")),
                &run,
            );
        }
    }
    assert_snapshot!(runs, @r#"
    # exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get --args {"resource": "pods"} --no-validate (the router answers 502)
    exit: 1
    --- stdout
    --- stderr
    error: HTTP 502 Bad Gateway: upstream trouble (HTTP 502, request id req_raw)
    hint: the router failed; retry later and quote the request id to support if it persists

    # exec cancel 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 (the router answers 502)
    exit: 1
    --- stdout
    --- stderr
    error: HTTP 502 Bad Gateway with an empty body (HTTP 502, request id req_raw)
    hint: the router failed; retry later and quote the request id to support if it persists

    # exec rerun 7d2e4a91-0b3c-4f5a-8e1d-9c4b3a2f1e08 (the router answers 502)
    exit: 1
    --- stdout
    --- stderr
    error: HTTP 502 Bad Gateway with an empty body (HTTP 502, request id req_raw)
    hint: the router failed; retry later and quote the request id to support if it persists

    # exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get --args {"resource": "pods"} --no-validate (the router answers 503)
    exit: 1
    --- stdout
    --- stderr
    error: HTTP 503 Service Unavailable: upstream trouble (HTTP 503, request id req_raw)
    hint: the router failed; retry later and quote the request id to support if it persists

    # exec cancel 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 (the router answers 503)
    exit: 1
    --- stdout
    --- stderr
    error: HTTP 503 Service Unavailable with an empty body (HTTP 503, request id req_raw)
    hint: the router failed; retry later and quote the request id to support if it persists

    # exec rerun 7d2e4a91-0b3c-4f5a-8e1d-9c4b3a2f1e08 (the router answers 503)
    exit: 1
    --- stdout
    --- stderr
    error: HTTP 503 Service Unavailable with an empty body (HTTP 503, request id req_raw)
    hint: the router failed; retry later and quote the request id to support if it persists

    # exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get --args {"resource": "pods"} --no-validate (the router answers 504)
    exit: 1
    --- stdout
    --- stderr
    error: HTTP 504 Gateway Timeout: upstream trouble (HTTP 504, request id req_raw)
    hint: the router failed; retry later and quote the request id to support if it persists

    # exec cancel 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 (the router answers 504)
    exit: 1
    --- stdout
    --- stderr
    error: HTTP 504 Gateway Timeout with an empty body (HTTP 504, request id req_raw)
    hint: the router failed; retry later and quote the request id to support if it persists

    # exec rerun 7d2e4a91-0b3c-4f5a-8e1d-9c4b3a2f1e08 (the router answers 504)
    exit: 1
    --- stdout
    --- stderr
    error: HTTP 504 Gateway Timeout with an empty body (HTTP 504, request id req_raw)
    hint: the router failed; retry later and quote the request id to support if it persists
    "#);
}

#[tokio::test]
async fn invoke_is_retried_when_the_router_did_nothing() {
    let server = MockServer::start().await;
    expect("POST", "/exec/invocations")
        .respond_with(Sequence::new(vec![
            api_error(503, "tool_executor_unavailable", "no executor online"),
            api_error(429, "rate_limited", "slow down").insert_header("retry-after", "1"),
            json(201, invocation("queued")),
        ]))
        .expect(3)
        .mount(&server)
        .await;
    let started = Instant::now();
    let run = Env::for_server(&server)
        .run(&[&invoke(ARGS)[..], &["-o", "json", "-v"]].concat())
        .await;
    run.expect_code(0);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "Retry-After ignored"
    );
    assert_eq!(run.json()["id"], INV);
    run.assert_no_secret(&[]);
    assert_snapshot!(normalise(&run.stderr()), @"
    > POST http://127.0.0.1:[port]/demo/v1/exec/invocations (authorization: Bearer [redacted])
    < 503 in [n] ms (request id req_test_1)
      retrying in [n] ms (retry 1 of 3)
    > POST http://127.0.0.1:[port]/demo/v1/exec/invocations (authorization: Bearer [redacted])
    < 429 in [n] ms (request id req_test_1)
      retrying in [n] ms (retry 2 of 3)
    > POST http://127.0.0.1:[port]/demo/v1/exec/invocations (authorization: Bearer [redacted])
    < 201 in [n] ms (request id req_test_1)
    hint: follow it with: xeroctl exec watch 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10
    ");
}

#[tokio::test]
async fn exec_reads_are_retried_through_gateway_errors_and_rate_limits() {
    let server = MockServer::start().await;
    let later = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    let cases: Vec<(String, ResponseTemplate, serde_json::Value)> = vec![
        (
            "/exec/tools".into(),
            raw(502, ""),
            page(vec![tool("kubectl_get", "read")], false),
        ),
        (
            "/exec/tools/kubectl_get".into(),
            raw(504, ""),
            tool("kubectl_get", "read"),
        ),
        (
            "/exec/executions".into(),
            api_error(429, "rate_limited", "x").insert_header("retry-after", later.as_str()),
            page(vec![execution(EXE, "completed")], false),
        ),
        (
            format!("/exec/executions/{EXE}"),
            raw(503, ""),
            execution(EXE, "completed"),
        ),
    ];
    for (p, first, then) in cases {
        expect("GET", &p)
            .respond_with(Sequence::new(vec![first, json(200, then)]))
            .expect(2)
            .mount(&server)
            .await;
    }
    let env = Env::for_server(&server);
    for args in [
        &["exec", "tools"][..],
        &["exec", "tool-show", "kubectl_get"][..],
        &["exec", "list"][..],
        &["exec", "show", EXE][..],
    ] {
        env.run(args).await.expect_code(0);
    }
}

#[tokio::test]
async fn bad_args_send_nothing() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let env = Env::for_server(&server);
    let dir = tempfile::tempdir().unwrap();
    let not_utf8 = dir.path().join("latin1.json");
    std::fs::write(&not_utf8, b"{\"name\": \"caf\xe9\"}").unwrap();
    let too_big = dir.path().join("big.json");
    let mut big = b"{\"pad\": \"".to_vec();
    big.resize(9 * 1024 * 1024, b'a');
    big.extend_from_slice(b"\"}");
    std::fs::write(&too_big, big).unwrap();
    // Far deeper than any parser recursion limit: an error, not a stack overflow.
    let deep_file = dir.path().join("deep.json");
    let deep = format!("{{\"a\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    std::fs::write(&deep_file, deep).unwrap();
    let deep = format!("@{}", deep_file.display());
    let at_dir = format!("@{}", dir.path().display());
    let at_not_utf8 = format!("@{}", not_utf8.display());
    let at_big = format!("@{}", too_big.display());
    let cases: Vec<&str> = vec![
        "null",
        "42",
        "true",
        "   ",
        "{\"a\": 1} trailing",
        "{\"a\": NaN}",
        "{'a': 1}",
        "@",
        &at_dir,
        &at_not_utf8,
        &at_big,
        &deep,
        // `-` with stdin closed (empty) is not an object either.
        "-",
    ];
    let mut runs = Transcript::default();
    for args in cases {
        let run = env.run(&invoke(args)).await;
        run.expect_code(2);
        runs.add(&invoke(args), &run);
    }
    assert_snapshot!(runs, @r#"
    $ exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get --args null --no-validate
    exit: 2
    --- stdout
    --- stderr
    error: --args (inline) must be a JSON object, got null
    hint: give a JSON object, e.g. --args '{"resource": "pods"}'; `xeroctl exec tool-show <tool>` lists the parameters

    $ exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get --args 42 --no-validate
    exit: 2
    --- stdout
    --- stderr
    error: --args (inline) must be a JSON object, got a number
    hint: give a JSON object, e.g. --args '{"resource": "pods"}'; `xeroctl exec tool-show <tool>` lists the parameters

    $ exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get --args true --no-validate
    exit: 2
    --- stdout
    --- stderr
    error: --args (inline) must be a JSON object, got a boolean
    hint: give a JSON object, e.g. --args '{"resource": "pods"}'; `xeroctl exec tool-show <tool>` lists the parameters

    $ exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get --args     --no-validate
    exit: 2
    --- stdout
    --- stderr
    error: --args (inline) is not valid JSON: EOF while parsing a value at line 1 column 3
    hint: give a JSON object, e.g. --args '{"resource": "pods"}'; `xeroctl exec tool-show <tool>` lists the parameters

    $ exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get --args {"a": 1} trailing --no-validate
    exit: 2
    --- stdout
    --- stderr
    error: --args (inline) is not valid JSON: trailing characters at line 1 column 10
    hint: give a JSON object, e.g. --args '{"resource": "pods"}'; `xeroctl exec tool-show <tool>` lists the parameters

    $ exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get --args {"a": NaN} --no-validate
    exit: 2
    --- stdout
    --- stderr
    error: --args (inline) is not valid JSON: expected value at line 1 column 7
    hint: give a JSON object, e.g. --args '{"resource": "pods"}'; `xeroctl exec tool-show <tool>` lists the parameters

    $ exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get --args {'a': 1} --no-validate
    exit: 2
    --- stdout
    --- stderr
    error: --args (inline) is not valid JSON: key must be a string at line 1 column 2
    hint: give a JSON object, e.g. --args '{"resource": "pods"}'; `xeroctl exec tool-show <tool>` lists the parameters

    $ exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get --args @ --no-validate
    exit: 2
    --- stdout
    --- stderr
    error: --args @ needs a file name, e.g. --args @args.json

    $ exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get --args @[tmp] --no-validate
    exit: 2
    --- stdout
    --- stderr
    error: cannot read --args file [tmp]: Is a directory (os error 21)

    $ exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get --args @[tmp]/latin1.json --no-validate
    exit: 2
    --- stdout
    --- stderr
    error: --args (file [tmp]/latin1.json) is not valid JSON: invalid unicode code point at line 1 column 14
    hint: give a JSON object, e.g. --args '{"resource": "pods"}'; `xeroctl exec tool-show <tool>` lists the parameters

    $ exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get --args @[tmp]/big.json --no-validate
    exit: 2
    --- stdout
    --- stderr
    error: --args (file [tmp]/big.json) is larger than 8 MiB

    $ exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get --args @[tmp]/deep.json --no-validate
    exit: 2
    --- stdout
    --- stderr
    error: --args (file [tmp]/deep.json) is not valid JSON: recursion limit exceeded at line 1 column 133
    hint: give a JSON object, e.g. --args '{"resource": "pods"}'; `xeroctl exec tool-show <tool>` lists the parameters

    $ exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get --args - --no-validate
    exit: 2
    --- stdout
    --- stderr
    error: --args (stdin) is not valid JSON: EOF while parsing a value at line 1 column 0
    hint: give a JSON object, e.g. --args '{"resource": "pods"}'; `xeroctl exec tool-show <tool>` lists the parameters
    "#);
}

/// The response announces 4 KiB, sends a few bytes, and closes.
fn dropped() -> Reply {
    Reply::Truncated {
        declared: 4096,
        body: br#"{"id":"5f9c"#.to_vec(),
    }
}

#[tokio::test]
async fn watch_keeps_going_across_a_dropped_connection_and_a_503() {
    let server = RawServer::start(|n| match n {
        0 => Reply::json(200, &invocation("running")),
        // A whole poll lost to dropped connections, the next to 503s.
        1..=4 => dropped(),
        5..=8 => Reply::Bytes(response_bytes(503, "text/plain", b"")),
        _ => Reply::json(200, &invocation("completed")),
    })
    .await;
    let env = Env::new(Some(server.base_url.clone()), Some(KEY.into()));
    let run = env
        .run(&["exec", "watch", INV, "--interval", "0.05", "-o", "json"])
        .await;
    run.expect_code(0);
    assert_eq!(run.json()["status"], "completed");
    assert!(server.hits() >= 10, "{} requests", server.hits());
}

#[tokio::test]
async fn hostile_ids_stay_one_encoded_path_segment() {
    let server = MockServer::start().await;
    let id = "../../management/agents?x#y z";
    let enc = "..%2F..%2Fmanagement%2Fagents%3Fx%23y%20z";
    expect("GET", &format!("/exec/invocations/{enc}"))
        .respond_with(json(200, invocation("completed")))
        .expect(1)
        .mount(&server)
        .await;
    expect("POST", &format!("/exec/invocations/{enc}/cancel"))
        .respond_with(json(200, invocation("cancelled")))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", &format!("/exec/executions/{enc}"))
        .respond_with(json(200, execution(EXE, "completed")))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", &format!("/exec/executions/{enc}/raw"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"out".to_vec()))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", &format!("/exec/tools/{enc}"))
        .respond_with(json(200, tool("t", "read")))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", &format!("/exec/agents/{enc}/manifest"))
        .respond_with(json(200, json!({"agent_id": "a"})))
        .expect(1)
        .mount(&server)
        .await;
    forbid_all(&server).await;
    let env = Env::for_server(&server);
    for args in [
        &["exec", "watch", id, "--interval", "0.05"][..],
        &["exec", "cancel", id][..],
        &["exec", "show", id][..],
        &["exec", "raw", id][..],
        &["exec", "tool-show", id][..],
        &["exec", "agent", id, "--manifest"][..],
    ] {
        env.run(args).await.expect_code(0);
    }
    for args in [
        &["exec", "watch", ".."][..],
        &["exec", "cancel", "."][..],
        &["exec", "raw", ""][..],
        &["exec", "show", "a\u{1b}b"][..],
        &["exec", "rerun", ".."][..],
    ] {
        let run = env.run(args).await;
        run.expect_code(2);
        assert!(run.stderr().starts_with("error: "), "{}", run.stderr());
    }
}

#[tokio::test]
async fn exec_error_paths_and_dry_runs_never_show_the_key() {
    let server = MockServer::start().await;
    let echo = format!("bad key {KEY}");
    expect("POST", "/exec/invocations")
        .respond_with(api_error(401, "invalid_api_key", &echo))
        .mount(&server)
        .await;
    expect("GET", &format!("/exec/invocations/{INV}"))
        .respond_with(api_error(403, "scope_insufficient", &echo))
        .mount(&server)
        .await;
    expect("GET", "/exec/tools")
        .respond_with(raw(500, &echo))
        .mount(&server)
        .await;
    expect("GET", "/exec/executions/stream")
        .respond_with(api_error(401, "invalid_api_key", &echo))
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let cases: [(&[&str], i32); 8] = [
        (&invoke(ARGS), 3),
        (&["exec", "watch", INV, "--interval", "0.05"], 3),
        (&["exec", "tools"], 1),
        (&["exec", "stream"], 3),
        (&[&invoke(ARGS)[..], &["--dry-run"]].concat(), 0),
        (
            &[&invoke(ARGS)[..], &["--dry-run", "-o", "json"]].concat(),
            0,
        ),
        (&["exec", "cancel", INV, "--dry-run"], 0),
        (&["exec", "rerun", EXE, "--dry-run", "-o", "json"], 0),
    ];
    for (args, code) in cases {
        let run = env.run(&[args, &["-v"]].concat()).await;
        run.expect_code(code);
        run.assert_no_secret(&[&KEY[KEY.len() - 12..]]);
    }
}

/// No escape, C0/C1 control (other than newline) or bidi control.
#[track_caller]
fn assert_inert(what: &str, text: &str) {
    let bad = text.chars().find(|c| {
        (c.is_control() && *c != '\n')
            || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    });
    assert!(bad.is_none(), "{what} carries {bad:?}: {text:?}");
}

const EVIL: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\r\u{8}\u{9b}31m\u{202E}";

fn hostile_invocation(status: &str) -> serde_json::Value {
    let mut inv = invocation(status);
    inv["tool"] = json!(format!("kubectl{EVIL}"));
    inv["error"] = json!(format!("boom{EVIL}\nsecond line"));
    inv["workspace_id"] = json!(format!("ws{EVIL}"));
    inv
}

#[tokio::test]
async fn server_strings_never_reach_the_terminal_raw_in_exec() {
    let server = MockServer::start().await;
    let mut t = tool(&format!("kubectl{EVIL}"), &format!("destructive{EVIL}"));
    t["description"] = json!(format!("does things{EVIL}"));
    expect("GET", "/exec/tools")
        .respond_with(json(200, page(vec![t.clone()], false)))
        .mount(&server)
        .await;
    expect("GET", "/exec/tools/t")
        .respond_with(json(200, t))
        .mount(&server)
        .await;
    let mut ex = execution(EXE, &format!("completed{EVIL}"));
    ex["tool"] = json!(format!("kubectl{EVIL}"));
    expect("GET", "/exec/executions")
        .respond_with(json(200, page(vec![ex.clone()], false)))
        .mount(&server)
        .await;
    expect("GET", &format!("/exec/executions/{EXE}"))
        .respond_with(json(200, ex))
        .mount(&server)
        .await;
    expect("GET", &format!("/exec/invocations/{INV}"))
        .respond_with(json(200, hostile_invocation("failed")))
        .mount(&server)
        .await;
    expect("POST", "/exec/invocations")
        .respond_with(api_error(
            422,
            &format!("bad{EVIL}"),
            &format!("nope{EVIL}"),
        ))
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let cases: [(&[&str], i32); 7] = [
        (&["exec", "tools"], 0),
        (&["exec", "tool-show", "t"], 0),
        (&["exec", "list"], 0),
        (&["exec", "show", EXE], 0),
        (&["exec", "watch", INV, "--interval", "0.05"], 7),
        (&["exec", "watch", INV, "--interval", "0.05", "-v"], 7),
        (&invoke(ARGS), 2),
    ];
    for (args, code) in cases {
        let run = env.run(args).await;
        run.expect_code(code);
        assert_inert(&format!("{args:?} stdout"), &run.stdout());
        assert_inert(&format!("{args:?} stderr"), &run.stderr());
    }
}

/// The spinner runs only on a terminal: a pseudo-terminal (util-linux
/// `script`) shows what it draws.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn the_spinner_never_draws_server_strings_raw() {
    if !std::path::Path::new("/usr/bin/script").exists() {
        eprintln!("skipped: no /usr/bin/script");
        return;
    }
    let server = MockServer::start().await;
    let mut pending = hostile_invocation("pending_approval");
    pending["status"] = json!(format!("pending_approval{EVIL}"));
    pending["approval_id"] = json!(format!("apr{EVIL}"));
    pending["approval_url"] = json!(format!("https://x/{EVIL}"));
    pending["risk"] = json!(format!("destructive{EVIL}"));
    let mut running = hostile_invocation("running");
    running["status"] = json!(format!("run{EVIL}ning"));
    expect("GET", &format!("/exec/invocations/{INV}"))
        .respond_with(Sequence::new(vec![
            json(200, pending),
            json(200, running.clone()),
            json(200, running),
            json(200, hostile_invocation("completed")),
        ]))
        .mount(&server)
        .await;
    let watch = format!("script -qec '\"$XEROCTL\" exec watch {INV} --interval 0.3' /dev/null");
    // indicatif draws nothing when TERM is unset or `dumb`.
    let env = Env::for_server(&server).env("TERM", "xterm");
    let run = env.run_shell(&watch).await;
    run.expect_code(0);
    // What a spinner draws depends on when its ticks land: checked by parts.
    let all = run.stdout();
    assert!(all.contains("status: "), "no progress shown: {all:?}");
    assert!(
        all.contains(&format!("invocation {INV}: ")),
        "no spinner drawn: {all:?}"
    );
    for bad in [
        "\u{1b}]",
        "\u{7}",
        "\u{1b}[2J",
        "\u{9b}",
        "\u{202E}",
        "\u{8}",
    ] {
        assert!(!all.contains(bad), "{bad:?} reached the terminal: {all:?}");
    }
    // Where no bar can be drawn, status changes still show, as lines.
    let run = Env::for_server(&server)
        .env("TERM", "dumb")
        .run_shell(&watch)
        .await;
    run.expect_code(0);
    assert!(
        run.stdout().contains("status: completed"),
        "{:?}",
        run.stdout()
    );
}

#[tokio::test]
async fn a_closed_pipe_ends_exec_output_quietly() {
    let server = MockServer::start().await;
    let tools: Vec<_> = (0..2000)
        .map(|i| tool(&format!("tool_{i:05}"), "read"))
        .collect();
    expect("GET", "/exec/tools")
        .respond_with(json(200, page(tools, false)))
        .mount(&server)
        .await;
    let executions: Vec<_> = (0..2000)
        .map(|i| execution(&format!("ex_{i:05}"), "completed"))
        .collect();
    expect("GET", "/exec/executions")
        .respond_with(json(200, page(executions, false)))
        .mount(&server)
        .await;
    expect("GET", &format!("/exec/executions/{EXE}/raw"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b'x'; 1024 * 1024]))
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    for command in [
        "\"$XEROCTL\" exec tools -o json | head -c1",
        "\"$XEROCTL\" exec tools | head -n1",
        "\"$XEROCTL\" exec list --all -o json | head -c1",
        &format!("\"$XEROCTL\" exec raw {EXE} | head -c1"),
    ] {
        let script = format!("{command} >/dev/null; echo \"status=${{PIPESTATUS[0]}}\" >&2");
        let started = Instant::now();
        let run = env.run_shell(&script).await;
        assert!(started.elapsed() < Duration::from_secs(10), "{command}");
        // Nothing but the exit status: no panic, no "broken pipe", no error.
        assert_eq!(run.stderr(), "status=0\n", "{command}");
    }
}

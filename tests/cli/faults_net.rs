//! Network faults: DNS failure, refused and dropped connections, slow
//! servers, gigantic bodies (bounded memory), watch across failures,
//! Ctrl+C, and a closed pipe, for the groups errors.rs does not cover.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use insta::assert_snapshot;
use wiremock::{MockServer, Request, Respond, ResponseTemplate};

use crate::approvals::approval;
use crate::raw_server::{response_bytes, RawServer, Reply};
use crate::support::*;

const AID: &str = "a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60";

#[track_caller]
fn assert_quick(started: Instant, limit_secs: u64, what: &str) {
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(limit_secs),
        "{what} took {took:?}"
    );
}

#[tokio::test]
async fn dns_failure_exits_6_quickly_for_every_group() {
    let env = Env::new(
        Some("https://no-such-host.invalid/demo/v1".into()),
        Some(KEY.into()),
    );
    for args in [
        &["approvals", "list"][..],
        &["approvals", "approve", AID, "--force"][..],
        &["approvals", "show", AID, "-v"][..],
        &["status"][..],
    ] {
        // Bounded even where DNS itself is slow to answer.
        let args = [args, &["--request-timeout", "3"]].concat();
        let started = Instant::now();
        let run = env.run(&args).await;
        run.expect_code(6);
        assert_quick(started, 15, &format!("{args:?}"));
        // Which of the two depends on the machine's resolver (an answer
        // or silence), so not a snapshot.
        let err = run.stderr();
        assert!(
            err.contains("could not resolve host no-such-host.invalid")
                || err.contains("timed out after 3s"),
            "{args:?}: {}",
            run.stderr()
        );
        run.assert_no_secret(&[]);
    }
}

#[tokio::test]
async fn connection_refused_exits_6_for_approvals_and_status() {
    let env = Env::new(Some(dead_address()), Some(KEY.into()));
    let mut runs = Transcript::default();
    for args in [
        &["approvals", "list", "--all"][..],
        &["approvals", "reject", AID, "--yes"][..],
        &["status", "-o", "json"][..],
    ] {
        let started = Instant::now();
        let run = env.run(args).await;
        run.expect_code(6);
        assert_quick(started, 10, &format!("{args:?}"));
        runs.add(args, &run);
    }
    assert_snapshot!(runs, @r#"
    $ approvals list --all
    exit: 6
    --- stdout
    --- stderr
    error: could not connect to 127.0.0.1:[port]: connection refused
    hint: check the network and --base-url; `xeroctl status` tests the connection

    $ approvals reject a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 --yes
    exit: 6
    --- stdout
    --- stderr
    error: could not connect to 127.0.0.1:[port]: connection refused
    hint: check the network and --base-url; `xeroctl status` tests the connection

    $ status -o json
    exit: 6
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
      "reachable": false,
      "round_trip_ms": null,
      "response_too_large": false,
      "scopes": {
        "management": null,
        "execution": null
      },
      "ok": false
    }
    --- stderr
    error: could not connect to 127.0.0.1:[port]: connection refused
    hint: check the network and --base-url; `xeroctl status` tests the connection
    "#);
}

/// The response announces 4 KiB and sends a few bytes, then the
/// connection closes.
fn dropped() -> Reply {
    Reply::Truncated {
        declared: 4096,
        body: br#"{"object":"list","data":[{"id":"a"#.to_vec(),
    }
}

#[tokio::test]
async fn a_connection_dropped_mid_response_is_retried_on_reads_only() {
    let server = RawServer::start(|_| dropped()).await;
    let env = Env::new(Some(server.base_url.clone()), Some(KEY.into()));
    let started = Instant::now();
    let run = env.run(&["approvals", "list"]).await;
    assert_quick(started, 6, "GET");
    assert_snapshot!(run, @"
    exit: 6
    --- stdout
    --- stderr
    error: the connection to 127.0.0.1:[port] failed: end of file before message length reached
    hint: check the network and --base-url; `xeroctl status` tests the connection
    ");
    assert_eq!(server.hits(), 4, "a GET is retried three times");

    let server = RawServer::start(|_| dropped()).await;
    let env = Env::new(Some(server.base_url.clone()), Some(KEY.into()));
    let run = env.run(&["approvals", "approve", AID, "--force"]).await;
    assert_snapshot!(run, @"
    exit: 6
    --- stdout
    --- stderr
    error: the connection to 127.0.0.1:[port] failed: end of file before message length reached
    hint: check the network and --base-url; `xeroctl status` tests the connection
    ");
    assert_eq!(
        server.hits(),
        1,
        "a POST whose answer was lost is not sent again"
    );

    // Dropped once, then a good answer: a read recovers.
    let server = RawServer::start(|n| match n {
        0 => dropped(),
        _ => Reply::json(200, &page(vec![approval(AID, "pending")], false)),
    })
    .await;
    let env = Env::new(Some(server.base_url.clone()), Some(KEY.into()));
    let run = env.run(&["approvals", "list", "-o", "json"]).await;
    run.expect_code(0);
    assert_eq!(run.json()["data"][0]["id"], AID);
}

#[tokio::test]
async fn a_server_slower_than_the_request_timeout_exits_6_quickly() {
    let server = MockServer::start().await;
    let slow = |body: serde_json::Value| json(200, body).set_delay(Duration::from_secs(10));
    expect("GET", &format!("/exec/approvals/{AID}"))
        .respond_with(slow(approval(AID, "pending")))
        .expect(1)
        .mount(&server)
        .await;
    expect("POST", &format!("/exec/approvals/{AID}/approve"))
        .respond_with(slow(approval(AID, "approved")))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/management/agents")
        .respond_with(slow(page(vec![], false)))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let mut runs = Transcript::default();
    for args in [
        &["approvals", "show", AID][..],
        &["approvals", "approve", AID, "--force"][..],
        &["status"][..],
    ] {
        let mut all = args.to_vec();
        all.extend(["--request-timeout", "0.4"]);
        let started = Instant::now();
        let run = env.run(&all).await;
        run.expect_code(6);
        assert_quick(started, 3, &format!("{args:?}"));
        runs.add(&all, &run);
    }
    assert_snapshot!(runs, @"
    $ approvals show a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 --request-timeout 0.4
    exit: 6
    --- stdout
    --- stderr
    error: the request to 127.0.0.1:[port] timed out after 0.4s
    hint: the router did not answer in time; retry, or raise --request-timeout

    $ approvals approve a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 --force --request-timeout 0.4
    exit: 6
    --- stdout
    --- stderr
    error: the request to 127.0.0.1:[port] timed out after 0.4s
    hint: the router did not answer in time; retry, or raise --request-timeout

    $ status --request-timeout 0.4
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
    error: the request to 127.0.0.1:[port] timed out after 0.4s
    hint: the router did not answer in time; retry, or raise --request-timeout
    ");
}

/// 64 MiB: four times the cap.
const GIGANTIC: usize = 64 * 1024 * 1024;

/// Run under a 40 MiB data limit (heap and anonymous mappings): reading a
/// 64 MiB body into memory aborts ("memory allocation failed"), a bounded
/// reader finishes with its own error. Linux enforces RLIMIT_DATA.
#[cfg(target_os = "linux")]
async fn run_with_memory_limit(env: &Env, args: &str) -> Run {
    env.run_shell(&format!("ulimit -d 40960 && exec \"$XEROCTL\" {args}"))
        .await
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn gigantic_bodies_are_refused_with_bounded_memory() {
    let list_head = br#"{"object":"list","has_more":false,"data":[{"id":"a","name":""#.to_vec();
    // Streamed without a length, then with a (huge) declared length.
    let mut runs = Transcript::default();
    for content_length in [None, Some(GIGANTIC)] {
        let head = list_head.clone();
        let server = RawServer::start(move |_| Reply::Stream {
            status: 200,
            content_length,
            head: head.clone(),
            total: GIGANTIC,
        })
        .await;
        let env = Env::new(Some(server.base_url.clone()), Some(KEY.into()));
        for args in ["approvals list -o json", "agents", "status"] {
            let started = Instant::now();
            let run = run_with_memory_limit(&env, args).await;
            assert_quick(started, 10, "gigantic body");
            let length = content_length.map_or("none".into(), |n| n.to_string());
            runs.add(&[args, "# content-length:", &length], &run);
        }
    }
    assert_snapshot!(runs, @"
    $ approvals list -o json # content-length: none
    exit: 1
    --- stdout
    --- stderr
    error: the response is larger than 16 MiB; refusing to read it (HTTP 200, request id req_big)
    hint: use a smaller --limit, or check that --base-url points at a Xerotier router

    $ agents # content-length: none
    exit: 1
    --- stdout
    --- stderr
    error: the response is larger than 16 MiB; refusing to read it (HTTP 200, request id req_big)
    hint: use a smaller --limit, or check that --base-url points at a Xerotier router

    $ status # content-length: none
    exit: 1
    --- stdout
    Context:          - (none: flags and environment only)
    Base URL:         http://127.0.0.1:[port]/demo/v1 (from env XEROCTL_BASE_URL)
    Project:          demo
    API key:          xero_demo_…0000 (from env XEROCTL_API_KEY)
    Router:           answered, but the response was too large to read, [n] ms round trip
    Management scope: unknown (check failed)
    Execution scope:  not checked
    Status:           problem (see below)
    --- stderr
    error: the response is larger than 16 MiB; refusing to read it (HTTP 200, request id req_big)
    hint: use a smaller --limit, or check that --base-url points at a Xerotier router

    $ approvals list -o json # content-length: 67108864
    exit: 1
    --- stdout
    --- stderr
    error: the response is larger than 16 MiB; refusing to read it (HTTP 200, request id req_big)
    hint: use a smaller --limit, or check that --base-url points at a Xerotier router

    $ agents # content-length: 67108864
    exit: 1
    --- stdout
    --- stderr
    error: the response is larger than 16 MiB; refusing to read it (HTTP 200, request id req_big)
    hint: use a smaller --limit, or check that --base-url points at a Xerotier router

    $ status # content-length: 67108864
    exit: 1
    --- stdout
    Context:          - (none: flags and environment only)
    Base URL:         http://127.0.0.1:[port]/demo/v1 (from env XEROCTL_BASE_URL)
    Project:          demo
    API key:          xero_demo_…0000 (from env XEROCTL_API_KEY)
    Router:           answered, but the response was too large to read, [n] ms round trip
    Management scope: unknown (check failed)
    Execution scope:  not checked
    Status:           problem (see below)
    --- stderr
    error: the response is larger than 16 MiB; refusing to read it (HTTP 200, request id req_big)
    hint: use a smaller --limit, or check that --base-url points at a Xerotier router
    ");
    // A gigantic error page: only its start is read, one line is shown.
    let server = RawServer::start(|_| Reply::Stream {
        status: 500,
        content_length: None,
        head: b"upstream exploded ".to_vec(),
        total: GIGANTIC,
    })
    .await;
    let env = Env::new(Some(server.base_url.clone()), Some(KEY.into()));
    let run = run_with_memory_limit(&env, &format!("approvals show {AID}")).await;
    assert_snapshot!(run, @"
    exit: 1
    --- stdout
    --- stderr
    error: HTTP 500 Internal Server Error: upstream exploded (HTTP 500, request id req_big)
    hint: the router failed; retry later and quote the request id to support if it persists
    ");
}

/// Each call answers with one more pending approval than the last.
struct GrowingApprovals(AtomicUsize);

impl Respond for GrowingApprovals {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        let items = (0..n)
            .map(|i| approval(&format!("ap_{i:04}"), "pending"))
            .collect();
        json(200, page(items, false))
    }
}

#[tokio::test]
async fn watch_keeps_going_across_a_dropped_connection_and_a_503() {
    let served = Arc::new(AtomicUsize::new(0));
    let count = served.clone();
    let server = RawServer::start(move |n| {
        count.fetch_add(1, Ordering::SeqCst);
        match n {
            0 => Reply::json(200, &page(vec![approval("ap_1", "pending")], false)),
            // Dropped on every retry of the second poll, then 503s on the
            // third: both polls fail as a whole, the watch goes on.
            1..=4 => dropped(),
            5..=8 => Reply::Bytes(response_bytes(503, "text/plain", b"")),
            _ => Reply::json(
                200,
                &page(
                    vec![approval("ap_1", "pending"), approval("ap_2", "pending")],
                    false,
                ),
            ),
        }
    })
    .await;
    let env = Env::new(Some(server.base_url.clone()), Some(KEY.into()));
    let run = env
        .run(&[
            "approvals",
            "watch",
            "--interval",
            "0.05",
            "--max-events",
            "2",
            "-o",
            "json",
        ])
        .await;
    run.expect_code(0);
    let ids: Vec<String> = run
        .stdout()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(ids, ["\"ap_1\"", "\"ap_2\""]);
    assert_snapshot!(normalise(&run.stderr()), @"
    Watching for pending approvals every 0.05 s (Ctrl+C to stop)…
    warning: the connection to 127.0.0.1:[port] failed: end of file before message length reached; still polling
    The router answers again; still watching.
    ");
    assert!(served.load(Ordering::SeqCst) >= 10);
}

#[cfg(unix)]
#[tokio::test]
async fn sigint_stops_a_watch_with_exit_130() {
    let server = MockServer::start().await;
    expect("GET", "/exec/approvals")
        .respond_with(json(200, page(vec![approval(AID, "pending")], false)))
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("xeroctl"));
    cmd.env_clear();
    for (k, v) in env.cmd().get_envs() {
        if let Some(v) = v {
            cmd.env(k, v);
        }
    }
    cmd.args(["approvals", "watch", "--interval", "0.1"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let output = tokio::task::spawn_blocking(move || {
        let child = cmd.spawn().expect("spawn");
        // Let it print the first approval, then interrupt it.
        std::thread::sleep(Duration::from_millis(700));
        let killed = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .expect("kill");
        assert!(killed.success());
        child.wait_with_output().expect("wait")
    })
    .await
    .unwrap();
    assert_snapshot!(Run(output), @"
    exit: 130
    --- stdout
    ID                                    STATUS    RISK          TOOL                    WORKSPACE       CREATED
    a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60  pending   destructive   kubectl_drain           ws_a1b2c3d4     2026-11-23 06:50:00
    --- stderr
    Watching for pending approvals every 0.1 s (Ctrl+C to stop)…
    error: interrupted
    ");
}

#[tokio::test]
async fn a_closed_pipe_ends_approvals_and_status_quietly() {
    let server = MockServer::start().await;
    let many: Vec<_> = (0..2000)
        .map(|i| approval(&format!("ap_{i:05}"), "pending"))
        .collect();
    expect("GET", "/exec/approvals")
        .and(wiremock::matchers::query_param("status", "pending"))
        .respond_with(GrowingApprovals(AtomicUsize::new(0)))
        .mount(&server)
        .await;
    expect("GET", "/exec/approvals")
        .respond_with(json(200, page(many, false)))
        .mount(&server)
        .await;
    expect("GET", "/management/agents")
        .respond_with(json(200, page(vec![], false)))
        .mount(&server)
        .await;
    expect("GET", "/exec/tools")
        .respond_with(json(200, page(vec![], false)))
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    for command in [
        "\"$XEROCTL\" approvals list -o json | head -c1",
        "\"$XEROCTL\" approvals list --all -o json | head -c1",
        "\"$XEROCTL\" approvals list | head -n1",
        "\"$XEROCTL\" status -o json | head -c1",
        // Never ends by itself: the closed pipe must end it.
        "\"$XEROCTL\" approvals watch --interval 0.05 -o json | head -n1",
        "\"$XEROCTL\" approvals watch --interval 0.05 | head -n1",
    ] {
        let script = format!("{command} >/dev/null; echo \"status=${{PIPESTATUS[0]}}\" >&2");
        let started = Instant::now();
        let run = env.run_shell(&script).await;
        assert_quick(started, 10, command);
        // Nothing but the exit status (after a watch's opening line): no
        // panic, no "broken pipe", no error.
        let opening = if command.contains("watch") {
            "Watching for pending approvals every 0.05 s (Ctrl+C to stop)…\n"
        } else {
            ""
        };
        assert_eq!(run.stderr(), format!("{opening}status=0\n"), "{command}");
    }
}

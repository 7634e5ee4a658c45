//! `exec watch`: every terminal status, the deadline, transient failures,
//! fatal errors and Ctrl+C. Intervals are tens of milliseconds.

use std::time::{Duration, Instant};

use insta::assert_snapshot;
use wiremock::{MockServer, ResponseTemplate};

use super::{invocation, Sequence, INV};
use crate::screen::Screen;
use crate::support::*;

async fn mount_sequence(server: &MockServer, steps: Vec<ResponseTemplate>, times: u64) {
    expect("GET", &format!("/exec/invocations/{INV}"))
        .respond_with(Sequence::new(steps))
        .expect(times)
        .mount(server)
        .await;
}

#[tokio::test]
async fn watch_stops_on_every_terminal_status() {
    let mut logs = String::new();
    for (status, code) in [
        ("completed", 0),
        ("failed", 7),
        ("cancelled", 7),
        ("rejected", 7),
        ("timeout", 7),
    ] {
        let server = MockServer::start().await;
        mount_sequence(
            &server,
            vec![
                json(200, invocation("queued")),
                json(200, invocation("running")),
                json(200, invocation(status)),
            ],
            3,
        )
        .await;
        let run = Env::for_server(&server)
            .run(&[
                "exec",
                "watch",
                INV,
                "--interval",
                "0.02",
                "--timeout",
                "10",
                "-o",
                "json",
            ])
            .await;
        run.expect_code(code);
        assert_eq!(
            run.json()["status"],
            status,
            "the final invocation is on stdout"
        );
        logs.push_str(&format!("# {status}: exit {code}\n{}\n", run.stderr()));
    }
    assert_snapshot!(logs, @"
    # completed: exit 0
    status: queued
    status: queued -> running
    status: running -> completed

    # failed: exit 7
    status: queued
    status: queued -> running
    status: running -> failed
    error: invocation 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 ended failed: kubectl exited with code 1
    hint: inspect it with: xeroctl exec show 7d2e4a91-0b3c-4f5a-8e1d-9c4b3a2f1e08 (output: xeroctl exec raw 7d2e4a91-0b3c-4f5a-8e1d-9c4b3a2f1e08)

    # cancelled: exit 7
    status: queued
    status: queued -> running
    status: running -> cancelled
    error: invocation 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 ended cancelled
    hint: inspect it with: xeroctl exec show 7d2e4a91-0b3c-4f5a-8e1d-9c4b3a2f1e08 (output: xeroctl exec raw 7d2e4a91-0b3c-4f5a-8e1d-9c4b3a2f1e08)

    # rejected: exit 7
    status: queued
    status: queued -> running
    status: running -> rejected
    error: invocation 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 ended rejected: approval rejected

    # timeout: exit 7
    status: queued
    status: queued -> running
    status: running -> timeout
    error: invocation 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 ended timeout: tool timed out after 30000 ms
    hint: inspect it with: xeroctl exec show 7d2e4a91-0b3c-4f5a-8e1d-9c4b3a2f1e08 (output: xeroctl exec raw 7d2e4a91-0b3c-4f5a-8e1d-9c4b3a2f1e08)
    ");
}

#[tokio::test]
async fn watch_table_mode_prints_the_final_invocation() {
    let server = MockServer::start().await;
    mount_sequence(&server, vec![json(200, invocation("completed"))], 1).await;
    let run = Env::for_server(&server).run(&["exec", "watch", INV]).await;
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    ID:           5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10
    Status:       completed
    Tool:         kubectl_get
    Workspace:    ws_a1b2c3d4
    Risk:         read
    Execution ID: 7d2e4a91-0b3c-4f5a-8e1d-9c4b3a2f1e08
    Exit code:    0
    Error:        -
    Created:      2026-11-23 06:50:00
    Updated:      2026-11-23 06:50:02
    Completed:    2026-11-23 06:50:02
    --- stderr
    status: completed
    ");
}

#[tokio::test]
async fn watch_reaches_its_deadline_with_exit_8() {
    let server = MockServer::start().await;
    expect("GET", &format!("/exec/invocations/{INV}"))
        .respond_with(json(200, invocation("running")))
        .mount(&server)
        .await;
    let started = Instant::now();
    let run = Env::for_server(&server)
        .run(&[
            "exec",
            "watch",
            INV,
            "--interval",
            "0.05",
            "--timeout",
            "0.3",
        ])
        .await;
    run.expect_code(8);
    assert!(started.elapsed() < Duration::from_secs(10));
    // However many polls fit in 0.3 s (a range, below), only the first
    // status is printed: it never changes.
    assert_snapshot!(run, @"
    exit: 8
    --- stdout
    --- stderr
    status: running
    error: gave up watching invocation 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 after 0.30 s (still running)
    hint: it may still finish; keep watching with: xeroctl exec watch 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 (raise --timeout to wait longer)
    ");
    let polls = received(&server).await.len();
    assert!((2..=10).contains(&polls), "polled {polls} times in 0.3 s");
}

#[tokio::test]
async fn watch_survives_a_503_in_the_middle() {
    let server = MockServer::start().await;
    let unavailable = || ResponseTemplate::new(503).set_body_string("upstream unavailable");
    // Four 503s outlast the client's own retries, so the poll loop sees one.
    mount_sequence(
        &server,
        vec![
            json(200, invocation("running")),
            unavailable(),
            unavailable(),
            unavailable(),
            unavailable(),
            json(200, invocation("completed")),
        ],
        6,
    )
    .await;
    let run = Env::for_server(&server)
        .run(&[
            "exec",
            "watch",
            INV,
            "--interval",
            "0.02",
            "-o",
            "json",
            "-v",
        ])
        .await;
    run.expect_code(0);
    assert_eq!(run.json()["status"], "completed");
    assert_snapshot!(normalise(&run.stderr()), @"
    > GET http://127.0.0.1:[port]/demo/v1/exec/invocations/5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 (authorization: Bearer [redacted])
    < 200 in [n] ms (request id req_test_1)
    status: running
    > GET http://127.0.0.1:[port]/demo/v1/exec/invocations/5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 (authorization: Bearer [redacted])
    < 503 in [n] ms (request id -)
      retrying in [n] ms (retry 1 of 3)
    > GET http://127.0.0.1:[port]/demo/v1/exec/invocations/5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 (authorization: Bearer [redacted])
    < 503 in [n] ms (request id -)
      retrying in [n] ms (retry 2 of 3)
    > GET http://127.0.0.1:[port]/demo/v1/exec/invocations/5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 (authorization: Bearer [redacted])
    < 503 in [n] ms (request id -)
      retrying in [n] ms (retry 3 of 3)
    > GET http://127.0.0.1:[port]/demo/v1/exec/invocations/5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 (authorization: Bearer [redacted])
    < 503 in [n] ms (request id -)
    poll failed (HTTP 503 Service Unavailable: upstream unavailable (HTTP 503)); retrying until the deadline
    > GET http://127.0.0.1:[port]/demo/v1/exec/invocations/5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 (authorization: Bearer [redacted])
    < 200 in [n] ms (request id req_test_1)
    status: running -> completed
    ");
}

#[tokio::test]
async fn watch_keeps_polling_through_429_and_500() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        vec![
            ResponseTemplate::new(500).set_body_string("oops"),
            api_error(429, "rate_limited", "slow down").insert_header("retry-after", "0"),
            api_error(429, "rate_limited", "slow down").insert_header("retry-after", "0"),
            api_error(429, "rate_limited", "slow down").insert_header("retry-after", "0"),
            api_error(429, "rate_limited", "slow down").insert_header("retry-after", "0"),
            json(200, invocation("failed")),
        ],
        6,
    )
    .await;
    let run = Env::for_server(&server)
        .run(&["exec", "watch", INV, "--interval", "0.02"])
        .await;
    run.expect_code(7);
}

#[tokio::test]
async fn watch_ends_at_once_on_404_and_401() {
    let mut runs = Transcript::default();
    for (status, code, exit) in [
        (404, "invocation_not_found", 4),
        (401, "invalid_api_key", 3),
    ] {
        let server = MockServer::start().await;
        mount_sequence(&server, vec![api_error(status, code, "no")], 1).await;
        let run = Env::for_server(&server)
            .run(&["exec", "watch", INV, "--interval", "0.02"])
            .await;
        run.expect_code(exit);
        runs.add_as(&format!("the router answers {status} {code}"), &run);
    }
    assert_snapshot!(runs, @"
    # the router answers 404 invocation_not_found
    exit: 4
    --- stdout
    --- stderr
    error: no (invocation_not_found, request id req_test_1)
    hint: check the invocation id printed by `xeroctl exec invoke`

    # the router answers 401 invalid_api_key
    exit: 3
    --- stdout
    --- stderr
    error: no (invalid_api_key, request id req_test_1)
    hint: check the API key: `xeroctl status` shows which key is in use (--api-key, XEROCTL_API_KEY or `xeroctl config add`)
    ");
}

#[tokio::test]
async fn bad_watch_options_are_usage_errors() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let env = Env::for_server(&server);
    let mut runs = Transcript::default();
    for args in [
        ["--interval", "0"],
        ["--interval", "-0.5"],
        ["--interval", "soon"],
        ["--timeout", "0"],
        ["--timeout", "NaN"],
    ] {
        let args = ["exec", "watch", INV, args[0], args[1]];
        let run = env.run(&args).await;
        run.expect_code(2);
        runs.add(&args, &run);
    }
    let run = env.run(&["exec", "watch", ".."]).await;
    run.expect_code(2);
    runs.add(&["exec", "watch", ".."], &run);
    assert_snapshot!(runs, @"
    $ exec watch 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 --interval 0
    exit: 2
    --- stdout
    --- stderr
    error: invalid value '0' for '--interval <SECS>': must be greater than 0
    hint: see `xeroctl exec watch --help`

    $ exec watch 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 --interval -0.5
    exit: 2
    --- stdout
    --- stderr
    error: invalid value '-0.5' for '--interval <SECS>': must be greater than 0
    hint: see `xeroctl exec watch --help`

    $ exec watch 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 --interval soon
    exit: 2
    --- stdout
    --- stderr
    error: invalid value 'soon' for '--interval <SECS>': 'soon' is not a number of seconds
    hint: see `xeroctl exec watch --help`

    $ exec watch 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 --timeout 0
    exit: 2
    --- stdout
    --- stderr
    error: invalid value '0' for '--timeout <SECS>': must be greater than 0
    hint: see `xeroctl exec watch --help`

    $ exec watch 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 --timeout NaN
    exit: 2
    --- stdout
    --- stderr
    error: invalid value 'NaN' for '--timeout <SECS>': 'NaN' is not a number of seconds
    hint: see `xeroctl exec watch --help`

    $ exec watch ..
    exit: 2
    --- stdout
    --- stderr
    error: '..' is not a valid invocation id
    ");
}

#[cfg(unix)]
#[tokio::test]
async fn ctrl_c_exits_130_and_says_how_to_resume() {
    let server = MockServer::start().await;
    expect("GET", &format!("/exec/invocations/{INV}"))
        .respond_with(json(200, invocation("running")))
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("xeroctl"));
    cmd.env_clear()
        .env("HOME", env.home.path())
        .env("XDG_CONFIG_HOME", env.home.path().join("xdg"))
        .env("NO_COLOR", "1")
        .env(
            "XEROCTL_BASE_URL",
            env.base_url.as_deref().unwrap_or_default(),
        )
        .env("XEROCTL_API_KEY", KEY)
        .args(["exec", "watch", INV, "--interval", "0.05"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().expect("spawn xeroctl");
    // Once it polls, its Ctrl+C handler is installed.
    let deadline = Instant::now() + Duration::from_secs(20);
    while received(&server).await.is_empty() {
        assert!(Instant::now() < deadline, "watch never polled");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("join")
        .expect("wait");
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{err}");
    assert_snapshot!(err, @"
    status: running
    error: interrupted while watching invocation 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10
    hint: resume with: xeroctl exec watch 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10
    ");
}

/// Ctrl+C typed at an 80×40 terminal while the spinner turns (its line is
/// wider than the terminal, so it takes two rows and leaves the cursor in
/// the last column): the screen then shows the status line and the error,
/// with no row of the spinner left, `error:` at the start of its own row,
/// the cursor shown again and the terminal's `^C` echo turned back on.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn ctrl_c_on_a_terminal_clears_the_spinner_before_the_error() {
    if !std::path::Path::new("/usr/bin/script").exists() {
        eprintln!("skipped: no /usr/bin/script");
        return;
    }
    let server = MockServer::start().await;
    expect("GET", &format!("/exec/invocations/{INV}"))
        .respond_with(json(200, invocation("running")))
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let script = format!(
        "(sleep 1.5; printf '\\003'; sleep 1.5) | script -qec 'trap \"\" INT; stty cols 80 rows 40; \
         TERM=xterm \"$XEROCTL\" exec watch {INV} --interval 0.2; echo status=$?; \
         stty -a | grep -o -- \"-*echoctl\"' /dev/null"
    );
    let out = env.run_shell(&script).await.stdout();
    let screen = Screen::render(80, &out);
    // Wrapped at 80 columns like any line on that terminal.
    let expected = Screen::render(
        80,
        &[
            "status: running".to_string(),
            format!("error: interrupted while watching invocation {INV}"),
            format!("hint: resume with: xeroctl exec watch {INV}"),
            "status=130".to_string(),
            "echoctl".to_string(),
        ]
        .join("\r\n"),
    );
    assert_eq!(screen, expected, "{out:?}\n{screen:#?}");
    // The spinner was really drawn (and wide enough to wrap), then cleared.
    assert!(
        out.contains(&format!("invocation {INV}: running")),
        "{out:?}"
    );
    assert!(out.contains("\u{1b}[?25h"), "cursor not shown: {out:?}");
}

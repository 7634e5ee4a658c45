//! Secrets: the key never shows (even when a server echoes it), plain
//! HTTP off loopback is refused, config file permissions, and nothing
//! prompts without a terminal. (Terminal safety: terminal_safety.rs.)

use insta::assert_snapshot;
use std::time::Duration;

use serde_json::json;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::approvals::approval;
use crate::support::*;

const AID: &str = "a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60";

/// Bytes-level check on both streams (not just valid UTF-8 text).
#[track_caller]
fn assert_no_key_bytes(run: &Run, what: &str) {
    for (name, bytes) in [("stdout", &run.0.stdout), ("stderr", &run.0.stderr)] {
        let found = bytes.windows(KEY.len()).any(|w| w == KEY.as_bytes());
        assert!(!found, "{what}: the key leaked on {name}");
        // Nor a long fragment of its secret part.
        let tail = &KEY.as_bytes()[KEY.len() - 12..];
        let found = bytes.windows(tail.len()).any(|w| w == tail);
        assert!(!found, "{what}: part of the key leaked on {name}");
    }
}

fn raw(status: u16, body: &str, content_type: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("x-request-id", "req_raw")
        .set_body_raw(body.as_bytes().to_vec(), content_type)
}

/// A server that answers each path with a different failure, several of
/// them quoting the key back.
async fn mount_failures(server: &MockServer) {
    let echo = format!("invalid API key {KEY}");
    let cases: Vec<(&str, String, ResponseTemplate)> = vec![
        (
            "GET",
            "/exec/approvals/e401".into(),
            api_error(401, "invalid_api_key", &echo),
        ),
        (
            "GET",
            "/exec/approvals/e403".into(),
            api_error(
                403,
                "scope_insufficient",
                &format!("key {KEY} lacks execution"),
            ),
        ),
        (
            "GET",
            "/exec/approvals/e404".into(),
            api_error(404, "approval_not_found", "no such approval"),
        ),
        (
            "POST",
            "/exec/approvals/e409/approve".into(),
            api_error(
                409,
                "approval_resolved",
                &format!("already approved by {KEY}"),
            ),
        ),
        (
            "GET",
            "/exec/approvals/e429".into(),
            api_error(429, "rate_limited", &echo).insert_header("retry-after", "600"),
        ),
        (
            "GET",
            "/exec/approvals/e500".into(),
            raw(
                500,
                &format!("<html><title>{KEY}</title></html>"),
                "text/html",
            ),
        ),
        (
            "GET",
            "/exec/approvals/e502".into(),
            raw(
                502,
                &format!("proxy: bad auth header Bearer {KEY}"),
                "text/plain",
            ),
        ),
        (
            "GET",
            "/exec/approvals/shape".into(),
            json(200, json!({"id": 1, "status": KEY})),
        ),
        (
            "GET",
            "/exec/approvals/enveloped".into(),
            api_error(200, "odd", &echo),
        ),
        (
            "GET",
            "/exec/approvals/reqid".into(),
            api_error(404, "approval_not_found", "gone").insert_header("x-request-id", KEY),
        ),
        (
            "GET",
            "/exec/approvals/slow".into(),
            json(200, approval(AID, "pending")).set_delay(Duration::from_secs(5)),
        ),
        (
            "GET",
            "/management/agents".into(),
            api_error(401, "invalid_api_key", &echo),
        ),
    ];
    for (m, p, template) in cases {
        expect(m, &p).respond_with(template).mount(server).await;
    }
}

#[tokio::test]
async fn verbose_error_paths_never_show_the_key_even_when_the_server_echoes_it() {
    let server = MockServer::start().await;
    mount_failures(&server).await;
    let env = Env::for_server(&server);
    let cases: Vec<(Vec<&str>, i32)> = vec![
        (vec!["approvals", "show", "e401"], 3),
        (vec!["approvals", "show", "e403"], 3),
        (vec!["approvals", "show", "e404"], 4),
        (vec!["approvals", "approve", "e409", "--force"], 5),
        (vec!["approvals", "show", "e429"], 1),
        (vec!["approvals", "show", "e500"], 1),
        (vec!["approvals", "show", "e502"], 1),
        (vec!["approvals", "show", "shape"], 1),
        (vec!["approvals", "show", "enveloped", "-o", "json"], 1),
        (vec!["approvals", "show", "reqid"], 4),
        (
            vec!["approvals", "show", "slow", "--request-timeout", "0.3"],
            6,
        ),
        (vec!["status"], 3),
        (vec!["status", "-o", "json"], 3),
        (vec!["agents"], 3),
    ];
    let mut runs = Transcript::default();
    for (args, code) in cases {
        let mut all = args.clone();
        all.push("-v");
        let run = env.run(&all).await;
        run.expect_code(code);
        assert_no_key_bytes(&run, &format!("{args:?}"));
        runs.add(&all, &run);
    }
    assert_snapshot!(runs, @r#"
    $ approvals show e401 -v
    exit: 3
    --- stdout
    --- stderr
    > GET http://127.0.0.1:[port]/demo/v1/exec/approvals/e401 (authorization: Bearer [redacted])
    < 401 in [n] ms (request id req_test_1)
    error: invalid API key [redacted] (invalid_api_key, request id req_test_1)
    hint: check the API key: `xeroctl status` shows which key is in use (--api-key, XEROCTL_API_KEY or `xeroctl config add`)

    $ approvals show e403 -v
    exit: 3
    --- stdout
    --- stderr
    > GET http://127.0.0.1:[port]/demo/v1/exec/approvals/e403 (authorization: Bearer [redacted])
    < 403 in [n] ms (request id req_test_1)
    error: key [redacted] lacks execution (scope_insufficient, request id req_test_1)
    hint: this key lacks a scope the command needs (management for agents, execution for exec and approvals); `xeroctl status` shows the key's scopes

    $ approvals show e404 -v
    exit: 4
    --- stdout
    --- stderr
    > GET http://127.0.0.1:[port]/demo/v1/exec/approvals/e404 (authorization: Bearer [redacted])
    < 404 in [n] ms (request id req_test_1)
    error: no such approval (approval_not_found, request id req_test_1)
    hint: list approvals with `xeroctl approvals list`

    $ approvals approve e409 --force -v
    exit: 5
    --- stdout
    --- stderr
    > POST http://127.0.0.1:[port]/demo/v1/exec/approvals/e409/approve (authorization: Bearer [redacted])
    < 409 in [n] ms (request id req_test_1)
    error: already approved by [redacted] (approval_resolved, request id req_test_1)
    hint: see it with `xeroctl approvals show e409`

    $ approvals show e429 -v
    exit: 1
    --- stdout
    --- stderr
    > GET http://127.0.0.1:[port]/demo/v1/exec/approvals/e429 (authorization: Bearer [redacted])
    < 429 in [n] ms (request id req_test_1)
    error: rate limited by the router, retry after 600 s (rate_limited, request id req_test_1)
    hint: the router asked for a long pause; wait that long, then run the command again

    $ approvals show e500 -v
    exit: 1
    --- stdout
    --- stderr
    > GET http://127.0.0.1:[port]/demo/v1/exec/approvals/e500 (authorization: Bearer [redacted])
    < 500 in [n] ms (request id req_raw)
    error: HTTP 500 Internal Server Error (an HTML page, probably from a proxy in front of the router: "[redacted]") (HTTP 500, request id req_raw)
    hint: the router failed; retry later and quote the request id to support if it persists

    $ approvals show e502 -v
    exit: 1
    --- stdout
    --- stderr
    > GET http://127.0.0.1:[port]/demo/v1/exec/approvals/e502 (authorization: Bearer [redacted])
    < 502 in [n] ms (request id req_raw)
      retrying in [n] ms (retry 1 of 3)
    > GET http://127.0.0.1:[port]/demo/v1/exec/approvals/e502 (authorization: Bearer [redacted])
    < 502 in [n] ms (request id req_raw)
      retrying in [n] ms (retry 2 of 3)
    > GET http://127.0.0.1:[port]/demo/v1/exec/approvals/e502 (authorization: Bearer [redacted])
    < 502 in [n] ms (request id req_raw)
      retrying in [n] ms (retry 3 of 3)
    > GET http://127.0.0.1:[port]/demo/v1/exec/approvals/e502 (authorization: Bearer [redacted])
    < 502 in [n] ms (request id req_raw)
    error: HTTP 502 Bad Gateway: proxy: bad auth header Bearer [redacted] (HTTP 502, request id req_raw)
    hint: the router failed; retry later and quote the request id to support if it persists

    $ approvals show shape -v
    exit: 1
    --- stdout
    --- stderr
    > GET http://127.0.0.1:[port]/demo/v1/exec/approvals/shape (authorization: Bearer [redacted])
    < 200 in [n] ms (request id req_test_1)
    error: the router sent a response it could not read (invalid type: integer `1`, expected a string at line 1 column 7) (HTTP 200, request id req_test_1)
    hint: check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests

    $ approvals show enveloped -o json -v
    exit: 1
    --- stdout
    --- stderr
    > GET http://127.0.0.1:[port]/demo/v1/exec/approvals/enveloped (authorization: Bearer [redacted])
    < 200 in [n] ms (request id req_test_1)
    error: the router answered 200 with an error: invalid API key [redacted] (odd, request id req_test_1)

    $ approvals show reqid -v
    exit: 4
    --- stdout
    --- stderr
    > GET http://127.0.0.1:[port]/demo/v1/exec/approvals/reqid (authorization: Bearer [redacted])
    < 404 in [n] ms (request id [redacted])
    error: gone (approval_not_found, request id [redacted])
    hint: list approvals with `xeroctl approvals list`

    $ approvals show slow --request-timeout 0.3 -v
    exit: 6
    --- stdout
    --- stderr
    > GET http://127.0.0.1:[port]/demo/v1/exec/approvals/slow (authorization: Bearer [redacted])
    < GET failed after [n] ms: error sending request for url (http://127.0.0.1:[port]/demo/v1/exec/approvals/slow)
    error: the request to 127.0.0.1:[port] timed out after 0.3s
    hint: the router did not answer in time; retry, or raise --request-timeout

    $ status -v
    exit: 3
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
    > GET http://127.0.0.1:[port]/demo/v1/management/agents?limit=1 (authorization: Bearer [redacted])
    < 401 in [n] ms (request id req_test_1)
    error: invalid API key [redacted] (invalid_api_key, request id req_test_1)
    hint: check the API key: `xeroctl status` shows which key is in use (--api-key, XEROCTL_API_KEY or `xeroctl config add`)

    $ status -o json -v
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
    > GET http://127.0.0.1:[port]/demo/v1/management/agents?limit=1 (authorization: Bearer [redacted])
    < 401 in [n] ms (request id req_test_1)
    error: invalid API key [redacted] (invalid_api_key, request id req_test_1)
    hint: check the API key: `xeroctl status` shows which key is in use (--api-key, XEROCTL_API_KEY or `xeroctl config add`)

    $ agents -v
    exit: 3
    --- stdout
    --- stderr
    > GET http://127.0.0.1:[port]/demo/v1/management/agents (authorization: Bearer [redacted])
    < 401 in [n] ms (request id req_test_1)
    error: invalid API key [redacted] (invalid_api_key, request id req_test_1)
    hint: check the API key: `xeroctl status` shows which key is in use (--api-key, XEROCTL_API_KEY or `xeroctl config add`)
    "#);
    // The echo is replaced, the rest of the message kept.
    let run = env.run(&["approvals", "show", "e401"]).await;
    assert!(
        run.stderr()
            .starts_with("error: invalid API key [redacted] (invalid_api_key"),
        "{}",
        run.stderr()
    );
    // Also when the key came from the config file or a flag.
    let env = Env::new(Some(format!("{}/demo/v1", server.uri())), None);
    let run = env
        .run(&["approvals", "show", "e401", "-v", "--api-key", KEY])
        .await;
    run.expect_code(3);
    assert_no_key_bytes(&run, "--api-key");
    let env = Env::bare();
    env.write_config(&format!(
        "current = \"c\"\n[deployment.c]\nbase_url = \"{}/demo/v1\"\napi_key = \"{KEY}\"\n",
        server.uri()
    ));
    for args in [
        &["approvals", "show", "e502", "-v"][..],
        &["status", "-v"][..],
        &["config", "list", "-v"][..],
        &["config", "show", "-v", "-o", "json"][..],
    ] {
        let run = env.run(args).await;
        assert_no_key_bytes(&run, &format!("config file, {args:?}"));
    }
}

#[tokio::test]
async fn network_failures_with_verbose_never_show_the_key() {
    for base in [
        dead_address(),
        "https://no-such-host.invalid/demo/v1".to_string(),
    ] {
        let env = Env::new(Some(base.clone()), Some(KEY.into()));
        for args in [
            &["approvals", "list", "-v"][..],
            &["approvals", "reject", AID, "--force", "-v"][..],
            &["status", "-v", "-o", "json"][..],
        ] {
            let run = env.run(&[args, &["--request-timeout", "3"]].concat()).await;
            run.expect_code(6);
            assert_no_key_bytes(&run, &format!("{base} {args:?}"));
        }
    }
}

#[tokio::test]
async fn dry_runs_with_verbose_never_show_the_key() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents/agt_1")
        .respond_with(json(200, agent("agt_1", "gpu-1")))
        .mount(&server)
        .await;
    expect("GET", "/management/join-keys/jk_1")
        .respond_with(json(200, join_key("jk_1")))
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let cases: [&[&str]; 8] = [
        &["approvals", "approve", AID, "--note", "ok"],
        &["approvals", "reject", AID, "--reason", "no"],
        &["agents", "--create", "--name", "x"],
        &["agents", "agt_1", "--update", "--name", "y"],
        &["agents", "agt_1", "--delete"],
        &["agents", "join-keys", "--create", "--max-enrollments", "1"],
        &["agents", "join-keys", "jk_1", "--revoke"],
        &["approvals", "approve", AID, "--force"],
    ];
    for args in cases {
        for output in ["table", "json"] {
            let mut all = args.to_vec();
            all.extend(["--dry-run", "-v", "-o", output]);
            let run = env.run(&all).await;
            run.expect_code(0);
            assert_no_key_bytes(&run, &format!("{all:?}"));
        }
    }
    // Nothing but the table-mode GETs of delete/revoke reached the server.
    let writes = received(&server)
        .await
        .into_iter()
        .filter(|r| r.method.as_str() != "GET")
        .count();
    assert_eq!(writes, 0);
}

#[tokio::test]
async fn a_base_url_with_credentials_is_refused_without_echoing_them() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let host = server.address().to_string();
    let url = format!("http://me:hunter2pass@{host}/demo/v1");
    let env = Env::new(Some(url.clone()), Some(KEY.into()));
    let mut runs = Transcript::default();
    for args in [
        &["approvals", "list", "-v"][..],
        &["approvals", "approve", AID, "--force", "--dry-run", "-v"][..],
        &["status"][..],
    ] {
        let run = env.run(args).await;
        run.expect_code(3);
        run.assert_no_secret(&["hunter2pass", "me:"]);
        runs.add(args, &run);
    }
    assert_snapshot!(runs, @"
    $ approvals list -v
    exit: 3
    --- stdout
    --- stderr
    error: the base URL http://127.0.0.1:[port]/demo/v1 carries a user name or password; xeroctl would print it in logs and dry runs
    hint: remove the user:password@ part; the API key goes in --api-key, XEROCTL_API_KEY or the config file

    $ approvals approve a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 --force --dry-run -v
    exit: 3
    --- stdout
    --- stderr
    error: the base URL http://127.0.0.1:[port]/demo/v1 carries a user name or password; xeroctl would print it in logs and dry runs
    hint: remove the user:password@ part; the API key goes in --api-key, XEROCTL_API_KEY or the config file

    $ status
    exit: 3
    --- stdout
    --- stderr
    error: the base URL http://127.0.0.1:[port]/demo/v1 carries a user name or password; xeroctl would print it in logs and dry runs
    hint: remove the user:password@ part; the API key goes in --api-key, XEROCTL_API_KEY or the config file
    ");
}

#[tokio::test]
async fn plain_http_off_loopback_is_refused_for_every_group() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let mut shown = String::new();
    for url in [
        "http://api.example.com/demo/v1",
        "http://127.0.0.1.nip.io/demo/v1",
        "http://localhost.evil.example/demo/v1",
        "http://0.0.0.0/demo/v1",
        "http://10.0.0.1/demo/v1",
    ] {
        let env = Env::new(Some(url.into()), Some(KEY.into()));
        // Every group refuses alike: one message per URL.
        let mut refusal: Option<String> = None;
        for args in [
            &["approvals", "list"][..],
            &["approvals", "approve", AID, "--force"][..],
            &["approvals", "watch"][..],
            &["status"][..],
        ] {
            let run = env.run(args).await;
            run.expect_code(2);
            assert!(run.stdout().is_empty());
            match &refusal {
                None => refusal = Some(run.stderr()),
                Some(seen) => assert_eq!(&run.stderr(), seen, "{url} {args:?}"),
            }
        }
        shown.push_str(&format!("# {url}\n{}", refusal.unwrap_or_default()));
    }
    assert_snapshot!(shown, @"
    # http://api.example.com/demo/v1
    error: refusing plain http:// to api.example.com: the API key would travel in clear text
    hint: use https://, or pass --insecure-http if you really mean it
    # http://127.0.0.1.nip.io/demo/v1
    error: refusing plain http:// to 127.0.0.1.nip.io: the API key would travel in clear text
    hint: use https://, or pass --insecure-http if you really mean it
    # http://localhost.evil.example/demo/v1
    error: refusing plain http:// to localhost.evil.example: the API key would travel in clear text
    hint: use https://, or pass --insecure-http if you really mean it
    # http://0.0.0.0/demo/v1
    error: refusing plain http:// to 0.0.0.0: the API key would travel in clear text
    hint: use https://, or pass --insecure-http if you really mean it
    # http://10.0.0.1/demo/v1
    error: refusing plain http:// to 10.0.0.1: the API key would travel in clear text
    hint: use https://, or pass --insecure-http if you really mean it
    ");
}

#[cfg(unix)]
fn mode(p: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[tokio::test]
async fn a_config_readable_by_others_draws_one_warning_and_a_write_tightens_it() {
    use std::os::unix::fs::PermissionsExt;
    let server = MockServer::start().await;
    expect("GET", "/management/agents")
        .respond_with(json(200, page(vec![], false)))
        .mount(&server)
        .await;
    expect("GET", "/exec/approvals")
        .respond_with(json(200, page(vec![], false)))
        .mount(&server)
        .await;
    expect("GET", "/exec/tools")
        .respond_with(json(200, page(vec![], false)))
        .mount(&server)
        .await;
    let env = Env::bare();
    let path = env.write_config(&format!(
        "current = \"c\"\n[deployment.c]\nbase_url = \"{}/demo/v1\"\napi_key = \"{KEY}\"\n",
        server.uri()
    ));
    let mut warned = std::collections::BTreeSet::new();
    for loose in [0o644, 0o640, 0o604] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(loose)).unwrap();
        for args in [
            &["agents"][..],
            &["approvals", "list"][..],
            &["status"][..],
            &["config", "list"][..],
        ] {
            let run = env.run(args).await;
            run.expect_code(0);
            let warnings: Vec<String> = run
                .stderr()
                .lines()
                .filter(|l| l.starts_with("warning:"))
                .map(normalise)
                .collect();
            assert_eq!(warnings.len(), 1, "{loose:o} {args:?}: {}", run.stderr());
            warned.insert(warnings[0].clone());
            assert_no_key_bytes(&run, &format!("{args:?}"));
        }
    }
    // One warning per mode, the same whatever the command.
    assert_snapshot!(warned.into_iter().collect::<Vec<_>>().join("\n"), @"
    warning: [tmp]/xdg/xeroctl/config.toml is readable by other users (mode 604); run `chmod 600 [tmp]/xdg/xeroctl/config.toml`
    warning: [tmp]/xdg/xeroctl/config.toml is readable by other users (mode 640); run `chmod 600 [tmp]/xdg/xeroctl/config.toml`
    warning: [tmp]/xdg/xeroctl/config.toml is readable by other users (mode 644); run `chmod 600 [tmp]/xdg/xeroctl/config.toml`
    ");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.run(&[
        "config",
        "add",
        "d",
        "--base-url",
        "https://h/demo/v1",
        "--api-key",
        KEY,
    ])
    .await
    .expect_code(0);
    assert_eq!(mode(&path), 0o600, "a write leaves the file 0600");
    let run = env.run(&["config", "list"]).await;
    assert!(
        !run.stderr().contains("readable by other users"),
        "{}",
        run.stderr()
    );
}

#[tokio::test]
async fn no_confirmation_path_prompts_when_stdin_is_dev_null() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let env = Env::for_server(&server);
    let mut runs = Transcript::default();
    for command in [
        "agents agt_1 --delete",
        "agents join-keys jk_1 --revoke",
        "approvals approve ap_1",
        "approvals reject ap_1 --reason r",
        "config init",
        "config add p --base-url https://h/demo/v1 --api-key-stdin",
    ] {
        let run = env
            .run_shell(&format!("timeout 10 \"$XEROCTL\" {command} < /dev/null"))
            .await;
        run.expect_code(2);
        runs.add(&[command, "< /dev/null"], &run);
    }
    // No prompt ("[y/N]", "API key:") anywhere: only the refusal.
    assert_snapshot!(runs, @r#"
    $ agents agt_1 --delete < /dev/null
    exit: 2
    --- stdout
    --- stderr
    error: refusing to delete agent agt_1 without confirmation: no terminal to ask on
    hint: re-run with --force (or --yes) to skip the prompt, or --dry-run to see what would happen

    $ agents join-keys jk_1 --revoke < /dev/null
    exit: 2
    --- stdout
    --- stderr
    error: refusing to revoke join key jk_1 without confirmation: no terminal to ask on
    hint: re-run with --force (or --yes) to skip the prompt, or --dry-run to see what would happen

    $ approvals approve ap_1 < /dev/null
    exit: 2
    --- stdout
    --- stderr
    error: refusing to approve ap_1 without confirmation: no terminal to ask on
    hint: re-run with --force (or --yes) to skip the prompt, or --dry-run to see what would happen

    $ approvals reject ap_1 --reason r < /dev/null
    exit: 2
    --- stdout
    --- stderr
    error: refusing to reject ap_1 without confirmation: no terminal to ask on
    hint: re-run with --force (or --yes) to skip the prompt, or --dry-run to see what would happen

    $ config init < /dev/null
    exit: 2
    --- stdout
    --- stderr
    error: config init is interactive and needs a terminal
    hint: in scripts use `xeroctl config add <name> --base-url https://api.xerotier.ai/<project>/v1 --api-key-stdin`

    $ config add p --base-url https://h/demo/v1 --api-key-stdin < /dev/null
    exit: 2
    --- stdout
    --- stderr
    error: --api-key-stdin: stdin was empty
    hint: pipe the key in: `echo "$KEY" | xeroctl config add …`
    "#);
    assert!(!env.config_path().exists());
}

/// Every run of more than 4 characters of `key` found in `text`.
fn key_fragments(text: &str, key: &str) -> Vec<String> {
    let chars: Vec<char> = key.chars().collect();
    chars
        .windows(5)
        .map(|w| w.iter().collect::<String>())
        .filter(|w| text.contains(w.as_str()))
        .collect()
}

#[tokio::test]
async fn an_echoed_key_is_scrubbed_before_the_error_is_shortened() {
    // 32 secret characters; none of its 5-character runs is in any
    // message xeroctl prints by itself.
    let key = "xero_demo_Qm7vT2pLx9Wc4RbN8kHj3ZfY6dGs1Ae5";
    let server = MockServer::start().await;
    // The key at column 124 of a text line shortened to 160 characters,
    // and across the 120-character cut of an HTML title.
    let text = format!("{}{key} was refused", ".".repeat(124));
    let title = format!(
        "<html><head><title>{}{key}</title></head></html>",
        "-".repeat(100)
    );
    Mock::given(wiremock::matchers::path(api(&format!(
        "/exec/approvals/{AID}"
    ))))
    .respond_with(raw(401, &text, "text/plain"))
    .mount(&server)
    .await;
    Mock::given(wiremock::matchers::path(api("/exec/approvals/html")))
        .respond_with(raw(401, &title, "text/html"))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path(api("/exec/executions/exe_1/raw")))
        .respond_with(raw(401, &text, "text/plain"))
        .mount(&server)
        .await;
    let env = Env::new(
        Some(format!("{}/{PROJECT}/v1", server.uri())),
        Some(key.into()),
    );
    let mut runs = Transcript::default();
    for args in [
        &["approvals", "show", AID][..],
        &["approvals", "show", "html", "-v"][..],
        &["exec", "raw", "exe_1"][..],
    ] {
        let run = env.run(args).await;
        run.expect_code(3);
        let err = run.stderr();
        let leaked = key_fragments(&format!("{}{err}", run.stdout()), key);
        assert!(leaked.is_empty(), "{args:?} leaked {leaked:?}:\n{err}");
        runs.add(args, &run);
    }
    assert_snapshot!(runs, @r#"
    $ approvals show a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60
    exit: 3
    --- stdout
    --- stderr
    error: HTTP 401 Unauthorized: ............................................................................................................................[redacted] was refused (HTTP 401, request id req_raw)
    hint: check the API key: `xeroctl status` shows which key is in use (--api-key, XEROCTL_API_KEY or `xeroctl config add`)

    $ approvals show html -v
    exit: 3
    --- stdout
    --- stderr
    > GET http://127.0.0.1:[port]/demo/v1/exec/approvals/html (authorization: Bearer [redacted])
    < 401 in [n] ms (request id req_raw)
    error: HTTP 401 Unauthorized (an HTML page, probably from a proxy in front of the router: "----------------------------------------------------------------------------------------------------[redacted]") (HTTP 401, request id req_raw)
    hint: check the API key: `xeroctl status` shows which key is in use (--api-key, XEROCTL_API_KEY or `xeroctl config add`)

    $ exec raw exe_1
    exit: 3
    --- stdout
    --- stderr
    error: HTTP 401 Unauthorized: ............................................................................................................................[redacted] was refused (HTTP 401, request id req_raw)
    hint: check the API key: `xeroctl status` shows which key is in use (--api-key, XEROCTL_API_KEY or `xeroctl config add`)
    "#);
}

#[tokio::test]
async fn a_base_url_that_fails_to_parse_is_echoed_without_its_password() {
    let mut runs = Transcript::default();
    for url in [
        "https://me:hunter2pass@api.example.com:99999/demo/v1",
        "ftp://me:hunter2pass@api.example.com/demo/v1",
        "me:hunter2pass@api.example.com/demo/v1",
        "https://me:hunter2pass@exa mple.com/demo/v1",
    ] {
        let env = Env::new(Some(url.into()), Some(KEY.into()));
        let run = env.run(&["approvals", "list"]).await;
        run.expect_code(3);
        run.assert_no_secret(&["hunter2pass"]);
        // The title masks the password too: the snapshot must not hold it.
        let shown_url = url.replace("hunter2pass", "<password>");
        runs.add_as(
            &format!("XEROCTL_BASE_URL={shown_url} approvals list"),
            &run,
        );
        let run = Env::bare()
            .run_with_stdin(
                &["config", "add", "p", "--base-url", url, "--api-key-stdin"],
                KEY.as_bytes(),
            )
            .await;
        run.expect_code(2);
        run.assert_no_secret(&["hunter2pass"]);
        runs.add_as(
            &format!("config add p --base-url {shown_url} --api-key-stdin"),
            &run,
        );
    }
    assert_snapshot!(runs, @"
    # XEROCTL_BASE_URL=https://me:<password>@api.example.com:99999/demo/v1 approvals list
    exit: 3
    --- stdout
    --- stderr
    error: the base URL 'https://me:***@api.example.com:99999/demo/v1' is not a valid URL (invalid port number)
    hint: it looks like https://api.xerotier.ai/<project>/v1

    # config add p --base-url https://me:<password>@api.example.com:99999/demo/v1 --api-key-stdin
    exit: 2
    --- stdout
    --- stderr
    error: the base URL 'https://me:***@api.example.com:99999/demo/v1' is not a valid URL (invalid port number)
    hint: it looks like https://api.xerotier.ai/<project>/v1

    # XEROCTL_BASE_URL=ftp://me:<password>@api.example.com/demo/v1 approvals list
    exit: 3
    --- stdout
    --- stderr
    error: the base URL 'ftp://me:***@api.example.com/demo/v1' must be an http(s) URL with a host
    hint: it looks like https://api.xerotier.ai/<project>/v1

    # config add p --base-url ftp://me:<password>@api.example.com/demo/v1 --api-key-stdin
    exit: 2
    --- stdout
    --- stderr
    error: the base URL 'ftp://me:***@api.example.com/demo/v1' must be an http(s) URL with a host
    hint: it looks like https://api.xerotier.ai/<project>/v1

    # XEROCTL_BASE_URL=me:<password>@api.example.com/demo/v1 approvals list
    exit: 3
    --- stdout
    --- stderr
    error: the base URL 'me:***@api.example.com/demo/v1' must be an http(s) URL with a host
    hint: it looks like https://api.xerotier.ai/<project>/v1

    # config add p --base-url me:<password>@api.example.com/demo/v1 --api-key-stdin
    exit: 2
    --- stdout
    --- stderr
    error: the base URL 'me:***@api.example.com/demo/v1' must be an http(s) URL with a host
    hint: it looks like https://api.xerotier.ai/<project>/v1

    # XEROCTL_BASE_URL=https://me:<password>@exa mple.com/demo/v1 approvals list
    exit: 3
    --- stdout
    --- stderr
    error: the base URL 'https://me:***@exa mple.com/demo/v1' is not a valid URL (invalid international domain name)
    hint: it looks like https://api.xerotier.ai/<project>/v1

    # config add p --base-url https://me:<password>@exa mple.com/demo/v1 --api-key-stdin
    exit: 2
    --- stdout
    --- stderr
    error: the base URL 'https://me:***@exa mple.com/demo/v1' is not a valid URL (invalid international domain name)
    hint: it looks like https://api.xerotier.ai/<project>/v1
    ");
}

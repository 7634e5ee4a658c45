//! Secrets: the key never shows (even when a server echoes it), plain
//! HTTP off loopback is refused, config file permissions, and nothing
//! prompts without a terminal. (Terminal safety: terminal_safety.rs.)

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
    for (args, code) in cases {
        let mut all = args.clone();
        all.push("-v");
        let run = env.run(&all).await;
        run.expect_code(code);
        assert_no_key_bytes(&run, &format!("{args:?}"));
        assert!(run.stderr().contains("error: "), "{args:?}");
    }
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
    for args in [
        &["approvals", "list", "-v"][..],
        &["approvals", "approve", AID, "--force", "--dry-run", "-v"][..],
        &["status"][..],
    ] {
        let run = env.run(args).await;
        run.expect_code(3);
        assert!(
            run.stderr().contains("user name or password"),
            "{}",
            run.stderr()
        );
        run.assert_no_secret(&["hunter2pass", "me:"]);
    }
}

#[tokio::test]
async fn plain_http_off_loopback_is_refused_for_every_group() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    for url in [
        "http://api.example.com/demo/v1",
        "http://127.0.0.1.nip.io/demo/v1",
        "http://localhost.evil.example/demo/v1",
        "http://0.0.0.0/demo/v1",
        "http://10.0.0.1/demo/v1",
    ] {
        let env = Env::new(Some(url.into()), Some(KEY.into()));
        for args in [
            &["approvals", "list"][..],
            &["approvals", "approve", AID, "--force"][..],
            &["approvals", "watch"][..],
            &["status"][..],
        ] {
            let run = env.run(args).await;
            run.expect_code(2);
            assert!(
                run.stderr().contains("refusing plain http://"),
                "{url} {args:?}: {}",
                run.stderr()
            );
            assert!(run.stdout().is_empty());
        }
    }
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
            let warnings = run.stderr().matches("is readable by other users").count();
            assert_eq!(warnings, 1, "{loose:o} {args:?}: {}", run.stderr());
            assert!(run.stderr().contains("chmod 600"), "{}", run.stderr());
            assert_no_key_bytes(&run, &format!("{args:?}"));
        }
    }
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
        let err = run.stderr();
        assert!(
            !err.contains("[y/N]") && !err.contains("API key:"),
            "{command}: {err}"
        );
        assert!(err.starts_with("error: "), "{command}: {err}");
        assert!(run.stdout().is_empty(), "{command}");
    }
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
    for args in [
        &["approvals", "show", AID][..],
        &["approvals", "show", "html", "-v"][..],
        &["exec", "raw", "exe_1"][..],
    ] {
        let run = env.run(args).await;
        run.expect_code(3);
        let err = run.stderr();
        assert!(err.contains("HTTP 401"), "{args:?}: {err}");
        let leaked = key_fragments(&format!("{}{err}", run.stdout()), key);
        assert!(leaked.is_empty(), "{args:?} leaked {leaked:?}:\n{err}");
    }
}

#[tokio::test]
async fn a_base_url_that_fails_to_parse_is_echoed_without_its_password() {
    for url in [
        "https://me:hunter2pass@api.example.com:99999/demo/v1",
        "ftp://me:hunter2pass@api.example.com/demo/v1",
        "me:hunter2pass@api.example.com/demo/v1",
        "https://me:hunter2pass@exa mple.com/demo/v1",
    ] {
        let env = Env::new(Some(url.into()), Some(KEY.into()));
        let run = env.run(&["approvals", "list"]).await;
        run.expect_code(3);
        assert!(run.stderr().contains("me:***@"), "{url}: {}", run.stderr());
        run.assert_no_secret(&["hunter2pass"]);
        let run = Env::bare()
            .run_with_stdin(
                &["config", "add", "p", "--base-url", url, "--api-key-stdin"],
                KEY.as_bytes(),
            )
            .await;
        run.expect_code(2);
        assert!(run.stderr().contains("me:***@"), "{url}: {}", run.stderr());
        run.assert_no_secret(&["hunter2pass"]);
    }
}

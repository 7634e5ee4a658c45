//! Live dynamic completion through the real protocol: the binary run as
//! the shell runs it (`COMPLETE=bash xeroctl -- xeroctl exec tool-show ''`).

use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::matchers::query_param;
use wiremock::MockServer;

use crate::support::*;

/// Run the completer for `words` (the command line, the word being
/// completed last) as `shell` asks for it.
async fn complete(env: &Env, shell: &str, words: &[&str]) -> Run {
    let mut cmd = env.cmd();
    cmd.env("COMPLETE", shell)
        .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
        .arg("--")
        .args(words);
    run_blocking(cmd, None).await
}

/// The values a bash completion printed (one a line), flags left out
/// (clap offers them too when the word is empty).
fn values(run: &Run) -> Vec<String> {
    run.stdout()
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('-'))
        .map(str::to_owned)
        .collect()
}

async fn list_mock(server: &MockServer, p: &str, data: Vec<serde_json::Value>) {
    expect("GET", p)
        .and(query_param("limit", "100"))
        .respond_with(json(200, page(data, false)))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn each_kind_of_id_completes_from_the_router() {
    let server = MockServer::start().await;
    list_mock(
        &server,
        "/management/agents",
        vec![
            agent("agt_7Hq2", "gpu-east-1"),
            agent("agt_9Zx1", "gpu-west"),
        ],
    )
    .await;
    list_mock(
        &server,
        "/management/join-keys",
        vec![join_key("jk_abc123")],
    )
    .await;
    list_mock(
        &server,
        "/exec/tools",
        vec![
            json!({"name": "kubectl_get", "risk": "read", "description": "List resources"}),
            json!({"name": "kubectl_drain", "risk": "destructive", "description": "Drain a node"}),
        ],
    )
    .await;
    expect("GET", "/exec/approvals")
        .and(query_param("status", "pending"))
        .and(query_param("limit", "100"))
        .respond_with(json(
            200,
            page(vec![json!({"id": "apr_1", "tool": "kubectl_drain"})], false),
        ))
        .expect(1)
        .mount(&server)
        .await;
    list_mock(
        &server,
        "/exec/invocations",
        vec![json!({"id": "inv_1", "tool": "kubectl_get", "status": "running"})],
    )
    .await;
    list_mock(
        &server,
        "/exec/executions",
        vec![json!({"id": "exe_1", "tool": "kubectl_get", "status": "completed"})],
    )
    .await;
    list_mock(
        &server,
        "/management/agents/candidates",
        vec![json!({"id": "cand_1", "hostname": "node-7"})],
    )
    .await;
    let env = Env::for_server(&server);

    let cases: &[(&[&str], &[&str])] = &[
        (&["xeroctl", "agents", "agt_"], &["agt_7Hq2", "agt_9Zx1"]),
        (&["xeroctl", "agents", "pause-exec", "agt_7"], &["agt_7Hq2"]),
        (
            &["xeroctl", "agents", "curve-rotate", "agt_9"],
            &["agt_9Zx1"],
        ),
        (&["xeroctl", "exec", "agent", "agt_7"], &["agt_7Hq2"]),
        (&["xeroctl", "agents", "join-keys", "jk"], &["jk_abc123"]),
        (
            &["xeroctl", "exec", "tool-show", ""],
            &["kubectl_get", "kubectl_drain"],
        ),
        (
            &["xeroctl", "exec", "invoke", "--tool", "kubectl_d"],
            &["kubectl_drain"],
        ),
        (&["xeroctl", "approvals", "approve", ""], &["apr_1"]),
        (&["xeroctl", "approvals", "show", "apr"], &["apr_1"]),
        (&["xeroctl", "exec", "watch", ""], &["inv_1"]),
        (&["xeroctl", "exec", "cancel", "inv"], &["inv_1"]),
        (&["xeroctl", "exec", "show", ""], &["exe_1"]),
        (&["xeroctl", "exec", "rerun", "exe"], &["exe_1"]),
        (&["xeroctl", "agents", "candidates", "cand"], &["cand_1"]),
    ];
    for (words, want) in cases {
        let run = complete(&env, "bash", words).await;
        run.expect_code(0).assert_no_secret(&[]);
        assert_eq!(values(&run), *want, "{words:?}: {}", run.stderr());
        assert_eq!(run.stderr(), "", "{words:?}");
    }

    // Descriptions, where the shell shows them (fish: value<TAB>help).
    let run = complete(&env, "fish", &["xeroctl", "exec", "tool-show", ""]).await;
    assert!(
        run.stdout()
            .contains("kubectl_drain\tdestructive: Drain a node"),
        "{}",
        run.stdout()
    );
    let run = complete(&env, "fish", &["xeroctl", "agents", "agt_7"]).await;
    assert_eq!(run.stdout().trim_end(), "agt_7Hq2\tgpu-east-1");
    let run = complete(&env, "fish", &["xeroctl", "approvals", "reject", "a"]).await;
    assert_eq!(run.stdout().trim_end(), "apr_1\tkubectl_drain");
    // Each list was asked for once: the cache answered every other time.
}

#[tokio::test]
async fn a_second_completion_is_answered_from_the_cache() {
    let server = MockServer::start().await;
    list_mock(
        &server,
        "/exec/tools",
        vec![json!({"name": "kubectl_get", "risk": "read"})],
    )
    .await;
    let env = Env::for_server(&server);
    let words = ["xeroctl", "exec", "tool-show", ""];
    let first = complete(&env, "bash", &words).await;
    assert_eq!(values(&first), ["kubectl_get"]);
    let started = Instant::now();
    let second = complete(&env, "bash", &words).await;
    assert_eq!(values(&second), ["kubectl_get"]);
    eprintln!("warm-cache completion: {:?}", started.elapsed());
    assert_eq!(
        received(&server).await.len(),
        1,
        "the second made no request"
    );

    let dir = env.home.path().join(".cache").join("xeroctl");
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    assert_eq!(files.len(), 1);
    let text = std::fs::read_to_string(files[0].path()).unwrap();
    assert!(!text.contains(KEY) && !text.contains("127.0.0.1"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&files[0].path()), 0o600);
    }
}

#[tokio::test]
async fn xdg_cache_home_is_used_when_set() {
    let server = MockServer::start().await;
    list_mock(&server, "/exec/executions", vec![json!({"id": "exe_1"})]).await;
    let cache = tempfile::tempdir().unwrap();
    let env = Env::for_server(&server).env("XDG_CACHE_HOME", cache.path().to_str().unwrap());
    let run = complete(&env, "bash", &["xeroctl", "exec", "raw", ""]).await;
    assert_eq!(values(&run), ["exe_1"]);
    assert!(cache.path().join("xeroctl").is_dir());
}

#[tokio::test]
async fn a_router_that_is_down_completes_nothing_silently_and_fast() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let env = Env::new(
        Some(format!("http://127.0.0.1:{port}/{PROJECT}/v1")),
        Some(KEY.into()),
    );
    let started = Instant::now();
    let run = complete(&env, "bash", &["xeroctl", "agents", ""]).await;
    let took = started.elapsed();
    run.expect_code(0);
    // Subcommand names still complete; no id, no error text.
    assert!(!run.stdout().contains("agt_"), "{}", run.stdout());
    assert_eq!(run.stderr(), "");
    assert!(took < Duration::from_secs(3), "took {took:?}");
    let run = complete(&env, "bash", &["xeroctl", "exec", "tool-show", ""]).await;
    assert!(values(&run).is_empty(), "{}", run.stdout());
    assert_eq!(run.stderr(), "");
}

#[tokio::test]
async fn a_router_that_hangs_or_fails_is_given_up_on_within_two_seconds() {
    let server = MockServer::start().await;
    expect("GET", "/exec/tools")
        .respond_with(json(200, page(vec![], false)).set_delay(Duration::from_secs(20)))
        .mount(&server)
        .await;
    expect("GET", "/exec/executions")
        .respond_with(api_error(503, "unavailable", "down"))
        .expect(1) // one attempt: never retried
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let started = Instant::now();
    let run = complete(&env, "bash", &["xeroctl", "exec", "tool-show", ""]).await;
    let took = started.elapsed();
    assert!(values(&run).is_empty(), "{}", run.stdout());
    assert_eq!(run.stderr(), "");
    assert!(took < Duration::from_secs(3), "took {took:?}");
    let run = complete(&env, "bash", &["xeroctl", "exec", "show", "e"]).await;
    assert_eq!((run.stdout(), run.stderr()), (String::new(), String::new()));
}

#[tokio::test]
async fn no_context_completes_nothing_silently() {
    let env = Env::bare();
    let run = complete(&env, "bash", &["xeroctl", "exec", "watch", "i"]).await;
    run.expect_code(0);
    assert_eq!((run.stdout(), run.stderr()), (String::new(), String::new()));
}

#[tokio::test]
async fn the_config_files_current_context_is_used() {
    let server = MockServer::start().await;
    list_mock(
        &server,
        "/management/agents",
        vec![agent("agt_cfg1", "from-config")],
    )
    .await;
    let env = Env::bare();
    env.write_config(&format!(
        "current = \"lab\"\n[deployment.lab]\nbase_url = \"{}/{PROJECT}/v1\"\napi_key = \"{KEY}\"\n",
        server.uri()
    ));
    let run = complete(&env, "bash", &["xeroctl", "agents", "agt"]).await;
    assert_eq!(values(&run), ["agt_cfg1"], "{}", run.stderr());
}

#[tokio::test(flavor = "multi_thread")]
async fn sandbox_agents_and_tools_complete() {
    let sandbox = crate::sandbox_e2e::start(2).await;
    let env = crate::sandbox_e2e::env_for(&sandbox);
    let listed = env.run(&["agents", "-o", "json"]).await;
    listed.expect_code(0);
    let mut ids: Vec<String> = listed.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    let run = complete(&env, "bash", &["xeroctl", "exec", "agent", ""]).await;
    let mut got = values(&run);
    got.sort();
    assert_eq!(got, ids);
    let run = complete(&env, "bash", &["xeroctl", "exec", "tool-show", ""]).await;
    assert!(!values(&run).is_empty(), "the sandbox has tools");
    assert_eq!(run.stderr(), "");
}

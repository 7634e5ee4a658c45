//! Trust (docs/spec/cli.md, "Transport"): the sandbox over HTTPS with a
//! test CA. Refused without the CA (exit 6, one attempt, a hint naming
//! --ca-cert); accepted with --ca-cert, XEROCTL_CA_CERT, a context's
//! ca_cert and SSL_CERT_FILE; bad bundles are exit 3 naming the file.

use std::path::PathBuf;
use std::time::Duration;

use xeroctl_sandbox::{Sandbox, SandboxOptions};

use crate::support::*;

async fn start_tls() -> Sandbox {
    Sandbox::start(SandboxOptions {
        port: 0,
        tick: Duration::from_millis(20),
        tls: true,
        ..Default::default()
    })
    .await
    .expect("sandbox starts")
}

fn write_ca(env: &Env, sandbox: &Sandbox) -> PathBuf {
    let path = env.home.path().join("sandbox-ca.pem");
    std::fs::write(&path, sandbox.ca_pem().expect("tls sandbox has a CA")).unwrap();
    path
}

fn env_for(sandbox: &Sandbox) -> Env {
    Env::new(
        Some(sandbox.base_url()),
        Some(sandbox.api_key().to_string()),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_ca_is_refused_once_with_a_hint_naming_ca_cert() {
    let sandbox = start_tls().await;
    assert!(sandbox.base_url().starts_with("https://127.0.0.1:"));
    let env = env_for(&sandbox);
    let run = env.run(&["agents", "ls", "-o", "json"]).await;
    run.expect_code(6);
    let err = run.stderr();
    assert!(err.contains("127.0.0.1"), "names the host: {err}");
    assert!(err.contains("certificate"), "{err}");
    assert!(err.contains("--ca-cert"), "points at --ca-cert: {err}");
    assert_eq!(sandbox.connections(), 1, "not retried: {err}");
    assert_eq!(sandbox.requests(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_test_ca_is_trusted_by_flag_env_context_and_ssl_cert_file() {
    let sandbox = start_tls().await;
    let env = env_for(&sandbox);
    let ca = write_ca(&env, &sandbox);
    let ca = ca.to_str().unwrap();

    let run = env
        .run(&["agents", "ls", "-o", "json", "--ca-cert", ca])
        .await;
    run.expect_code(0);
    assert!(run.json()["data"].is_array());

    let env = env_for(&sandbox).env("XEROCTL_CA_CERT", ca);
    env.run(&["agents", "ls", "-o", "json"])
        .await
        .expect_code(0);

    // The context's ca_cert (base URL and key from the context too).
    let env = Env::bare();
    let ca = write_ca(&env, &sandbox);
    env.write_config(&format!(
        "current = \"tls\"\n[deployment.tls]\nbase_url = \"{}\"\napi_key = \"{}\"\nca_cert = \"{}\"\n",
        sandbox.base_url(),
        sandbox.api_key(),
        ca.display()
    ));
    env.run(&["agents", "ls", "-o", "json"])
        .await
        .expect_code(0);
    // The flag wins over the context: a bad flag path fails even so.
    let run = env
        .run(&["agents", "ls", "--ca-cert", "/nonexistent/flag.pem"])
        .await;
    run.expect_code(3);
    assert!(
        run.stderr().contains("/nonexistent/flag.pem"),
        "{}",
        run.stderr()
    );

    // SSL_CERT_FILE replaces the OS store, as it does for OS tools.
    let env = env_for(&sandbox);
    let ca = write_ca(&env, &sandbox);
    let env = env.env("SSL_CERT_FILE", ca.to_str().unwrap());
    env.run(&["agents", "ls", "-o", "json"])
        .await
        .expect_code(0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_bundle_is_a_config_error_naming_the_file_before_any_request() {
    let sandbox = start_tls().await;
    let env = env_for(&sandbox);
    let run = env
        .run(&["agents", "ls", "--ca-cert", "/nonexistent/bundle.pem"])
        .await;
    run.expect_code(3);
    assert!(
        run.stderr().contains("/nonexistent/bundle.pem"),
        "{}",
        run.stderr()
    );

    let junk = env.home.path().join("junk.pem");
    std::fs::write(&junk, "this is not PEM\n").unwrap();
    let env = env.env("XEROCTL_CA_CERT", junk.to_str().unwrap());
    let run = env.run(&["agents", "ls"]).await;
    run.expect_code(3);
    assert!(run.stderr().contains("junk.pem"), "{}", run.stderr());
    assert!(run.stderr().contains("XEROCTL_CA_CERT"), "{}", run.stderr());
    assert_eq!(sandbox.connections(), 0, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn one_request_per_show_and_one_per_page_over_one_http2_connection() {
    let sandbox = Sandbox::start(SandboxOptions {
        port: 0,
        agents: 45,
        tick: Duration::from_millis(20),
        tls: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let env = env_for(&sandbox);
    let ca = write_ca(&env, &sandbox);
    let env = env.env("XEROCTL_CA_CERT", ca.to_str().unwrap());

    let run = env
        .run(&["agents", "--all", "--limit", "20", "-o", "json"])
        .await;
    run.expect_code(0);
    let data = run.json()["data"].as_array().unwrap().clone();
    let pages = data.len().div_ceil(20) as u64;
    assert!(data.len() > 45, "{}", data.len());
    assert_eq!(sandbox.requests(), pages, "one request per page");
    assert_eq!(sandbox.http2_requests(), pages, "HTTP/2 by ALPN");
    assert_eq!(sandbox.connections(), 1, "one connection for every page");

    let before = sandbox.requests();
    let id = data[0]["id"].as_str().unwrap();
    env.run(&["agents", id, "-o", "json"]).await.expect_code(0);
    assert_eq!(sandbox.requests() - before, 1, "one request for a show");
}

/// Run from `dir` (relative paths on the command line are taken from it).
async fn run_in(env: &Env, dir: &std::path::Path, args: &[&str]) -> Run {
    let mut cmd = env.cmd();
    cmd.current_dir(dir).args(args);
    run_blocking(cmd, None).await
}

/// A folder holding `name` that is not a PEM bundle: a path wrongly taken
/// from the working directory would find it and fail (exit 3).
fn decoy_dir(env: &Env, name: &str) -> PathBuf {
    let dir = env.home.path().join("elsewhere");
    std::fs::create_dir_all(dir.join("certs")).unwrap();
    std::fs::write(dir.join(name), "not the CA\n").unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread")]
async fn a_relative_ca_cert_in_a_context_is_read_from_the_config_folder() {
    let sandbox = start_tls().await;
    let env = Env::bare();
    std::fs::create_dir_all(env.config_dir().join("certs")).unwrap();
    std::fs::write(
        env.config_dir().join("certs/router-ca.pem"),
        sandbox.ca_pem().unwrap(),
    )
    .unwrap();
    let context = |ca_cert: &str| {
        format!(
            "current = \"tls\"\n[deployment.tls]\nbase_url = \"{}\"\napi_key = \"{}\"\nca_cert = \"{ca_cert}\"\n",
            sandbox.base_url(),
            sandbox.api_key(),
        )
    };
    env.write_config(&context("certs/router-ca.pem"));
    let cwd = decoy_dir(&env, "certs/router-ca.pem");
    let run = run_in(&env, &cwd, &["agents", "ls", "-o", "json"]).await;
    run.expect_code(0);
    assert!(run.json()["data"].is_array());

    // Missing: exit 3 naming the file where it was looked for, nothing sent.
    env.write_config(&context("certs/missing.pem"));
    let run = run_in(&env, &cwd, &["agents", "ls"]).await;
    run.expect_code(3);
    let wanted = env.config_dir().join("certs/missing.pem");
    let first = run.stderr().lines().next().unwrap_or_default().to_string();
    assert_eq!(
        first,
        format!(
            "error: CA bundle {} (from ca_cert of context 'tls'): cannot read it: No such file or directory (os error 2)",
            wanted.display()
        )
    );
    assert_eq!(sandbox.connections(), 1, "only the first run connected");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_relative_ca_cert_flag_or_variable_is_read_from_the_working_directory() {
    let sandbox = start_tls().await;
    let env = env_for(&sandbox);
    let cwd = env.home.path().join("work");
    std::fs::create_dir_all(&cwd).unwrap();
    std::fs::write(cwd.join("ca.pem"), sandbox.ca_pem().unwrap()).unwrap();
    run_in(
        &env,
        &cwd,
        &["agents", "ls", "-o", "json", "--ca-cert", "ca.pem"],
    )
    .await
    .expect_code(0);
    let env = env.env("XEROCTL_CA_CERT", "ca.pem");
    run_in(&env, &cwd, &["agents", "ls", "-o", "json"])
        .await
        .expect_code(0);
}

#[tokio::test(flavor = "multi_thread")]
async fn config_add_saves_a_relative_ca_cert_as_the_absolute_path_meant() {
    let sandbox = start_tls().await;
    let env = Env::bare();
    let cwd = env.home.path().join("work");
    std::fs::create_dir_all(cwd.join("certs")).unwrap();
    std::fs::write(cwd.join("certs/ca.pem"), sandbox.ca_pem().unwrap()).unwrap();
    let add = |ca: &'static str| {
        let base_url = sandbox.base_url();
        let key = sandbox.api_key().to_string();
        let env = &env;
        let cwd = cwd.clone();
        async move {
            let mut cmd = env.cmd();
            cmd.current_dir(&cwd).args([
                "config",
                "add",
                "tls",
                "--base-url",
                &base_url,
                "--api-key-stdin",
                "--ca-cert",
                ca,
            ]);
            run_blocking(cmd, Some(format!("{key}\n").into_bytes())).await
        }
    };

    // A bundle that is not there: exit 3 naming it, nothing written.
    let run = add("certs/missing.pem").await;
    run.expect_code(3);
    assert!(
        run.stderr()
            .contains(&cwd.join("certs/missing.pem").display().to_string()),
        "{}",
        run.stderr()
    );
    assert!(!env.config_path().exists());

    add("certs/ca.pem").await.expect_code(0);
    let saved = std::fs::read_to_string(env.config_path()).unwrap();
    let line = format!("ca_cert = \"{}\"", cwd.join("certs/ca.pem").display());
    assert!(saved.lines().any(|l| l == line), "{saved}");
    // From any folder, the saved context reaches the router.
    let elsewhere = decoy_dir(&env, "certs/ca.pem");
    run_in(&env, &elsewhere, &["agents", "ls", "-o", "json"])
        .await
        .expect_code(0);
}

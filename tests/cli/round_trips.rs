//! What a real network costs per command (issue 17), over plain HTTP/1.1:
//! every page of `--all` goes over one connection (one name lookup, one
//! TCP handshake), with the next page read ahead; one request per page;
//! one request for a show, a one-page list, a create or a delete. tls.rs
//! checks the same over HTTP/2.

use std::time::Duration;

use xeroctl_sandbox::{Sandbox, SandboxOptions};

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn one_connection_for_every_page_and_one_request_per_page_over_http1() {
    let sandbox = Sandbox::start(SandboxOptions {
        port: 0,
        agents: 250,
        tick: Duration::from_millis(20),
        ..Default::default()
    })
    .await
    .unwrap();
    assert!(sandbox.base_url().starts_with("http://"));
    let env = Env::new(
        Some(sandbox.base_url()),
        Some(sandbox.api_key().to_string()),
    );
    // (requests, connections) since the last call.
    let mut last = (0, 0);
    let mut counted = || {
        let now = (sandbox.requests(), sandbox.connections());
        let delta = (now.0 - last.0, now.1 - last.1);
        last = now;
        delta
    };

    let run = env
        .run(&["agents", "--all", "--limit", "20", "-o", "json"])
        .await;
    run.expect_code(0);
    let data = run.json()["data"].as_array().unwrap().clone();
    assert!(data.len() > 250, "{}", data.len());
    let pages = data.len().div_ceil(20) as u64;
    assert_eq!(
        counted(),
        (pages, 1),
        "json: one request per page, one connection"
    );

    let run = env
        .run(&["agents", "--all", "--limit", "20", "--columns", "id"])
        .await;
    run.expect_code(0);
    assert_eq!(
        run.stdout().lines().count(),
        data.len() + 1,
        "{}",
        run.stdout()
    );
    assert_eq!(
        counted(),
        (pages, 1),
        "table: one request per page, one connection"
    );

    env.run(&["agents", "--limit", "20", "-o", "json"])
        .await
        .expect_code(0);
    assert_eq!(counted(), (1, 1), "one page without --all");

    let id = data[0]["id"].as_str().unwrap();
    env.run(&["agents", id, "-o", "json"]).await.expect_code(0);
    assert_eq!(counted(), (1, 1), "one request for a show");

    let run = env
        .run(&["agents", "--create", "--name", "rt-probe", "-o", "json"])
        .await;
    run.expect_code(0);
    assert_eq!(counted(), (1, 1), "one request for a create");
    let id = run.json()["id"].as_str().unwrap().to_string();
    env.run(&["agents", &id, "--delete", "--force"])
        .await
        .expect_code(0);
    assert_eq!(counted(), (1, 1), "one request for a delete with --force");
}

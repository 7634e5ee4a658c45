//! Routers that try to keep xeroctl busy forever: `--all` handed a cursor
//! cycle, and an SSE stream that asks for `retry: 0` and hangs up.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use wiremock::{MockServer, Request, Respond, ResponseTemplate};

use crate::support::*;

/// Pages whose `last_id` alternates between two cursors (a cycle no
/// single-step check sees); after 20 pages it says "no more", so code that
/// misses the cycle ends too, with exit 0.
struct Alternating(AtomicUsize);

impl Respond for Alternating {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        let id = ["agt_a", "agt_b"][n % 2];
        json(200, page(vec![agent(id, "loop")], n < 20))
    }
}

#[tokio::test]
async fn all_stops_when_the_router_hands_back_a_cursor_it_already_gave() {
    for output in ["json", "table"] {
        let server = MockServer::start().await;
        expect("GET", "/management/agents")
            .respond_with(Alternating(AtomicUsize::new(0)))
            .mount(&server)
            .await;
        let run = Env::for_server(&server)
            .run(&["agents", "--all", "-o", output])
            .await;
        run.expect_code(1);
        let err = run.stderr();
        assert!(err.contains("`agt_a`") && err.contains("cycle"), "{err}");
        // agt_a, agt_b, then agt_a again: stop.
        assert_eq!(received(&server).await.len(), 3, "{output}");
    }
    // A router that repeats the `--after` the user gave is caught too.
    let server = MockServer::start().await;
    expect("GET", "/management/agents")
        .respond_with(json(200, page(vec![agent("agt_x", "x")], true)))
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["agents", "--all", "--after", "agt_x"])
        .await;
    run.expect_code(1);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn sse_retry_zero_is_raised_to_a_floor_and_reconnects_back_off() {
    let server = MockServer::start().await;
    // Every connection: "reconnect at once", then the server hangs up.
    expect("GET", "/exec/executions/stream")
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(b": hi\nretry: 0\n\n".to_vec(), "text/event-stream"),
        )
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
    cmd.args(["exec", "stream", "-o", "json"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let output = tokio::task::spawn_blocking(move || {
        let mut child = cmd.spawn().expect("spawn");
        std::thread::sleep(Duration::from_millis(2500));
        child.kill().expect("kill");
        child.wait_with_output().expect("wait")
    })
    .await
    .unwrap();
    let run = Run(output);
    let connects = received(&server).await.len();
    // 0 s, 0.5 s (the floor), then 0.5–1 s, 1–2 s … later: at most 4.
    assert!(
        (2..=6).contains(&connects),
        "{connects} connections in 2.5 s\n{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("reconnecting in 0.5s"),
        "{}",
        run.stderr()
    );
}

//! `--all` reads one page ahead: the request for page k+1 is on its way
//! while page k is written. What the user sees does not change: page k is
//! written before an error fetching page k+1 is reported, and no request is
//! made past the last page.

use std::io::{self, Write};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use insta::assert_snapshot;
use wiremock::matchers::{any, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

/// Stdout that holds its first write until released (or 10 s), keeping
/// every byte: a terminal or pipe that is slow to take a page.
#[derive(Clone, Default)]
struct HeldStdout(Arc<(Mutex<Held>, Condvar)>);

#[derive(Default)]
struct Held {
    bytes: Vec<u8>,
    holding: bool,
    released: bool,
}

impl HeldStdout {
    /// Wait (up to 10 s) until a write is held; what was written by then.
    async fn held_with(&self) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            {
                let held = self.0 .0.lock().unwrap();
                if held.holding {
                    return String::from_utf8_lossy(&held.bytes).into_owned();
                }
            }
            assert!(Instant::now() < deadline, "nothing was written to stdout");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    fn release(&self) {
        self.0 .0.lock().unwrap().released = true;
        self.0 .1.notify_all();
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0 .0.lock().unwrap().bytes).into_owned()
    }
}

impl Write for HeldStdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let (lock, released) = &*self.0;
        let mut held = lock.lock().unwrap();
        held.bytes.extend_from_slice(buf);
        if !held.released {
            held.holding = true;
            held = released
                .wait_timeout_while(held, Duration::from_secs(10), |h| !h.released)
                .unwrap()
                .0;
            held.holding = false;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Two pages of agents: `agt_1` then `second`, each requested exactly
/// `runs` times.
async fn two_pages(server: &MockServer, second: ResponseTemplate, runs: u64) {
    expect("GET", "/management/agents")
        .and(query_param("after", "agt_1"))
        .respond_with(second)
        .expect(runs)
        .mount(server)
        .await;
    expect("GET", "/management/agents")
        .respond_with(json(200, page(vec![agent("agt_1", "a")], true)))
        .expect(runs)
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_next_page_is_requested_while_the_page_before_is_written() {
    let server = MockServer::start().await;
    two_pages(
        &server,
        json(200, page(vec![agent("agt_2", "b")], false)),
        1,
    )
    .await;
    let stdout = HeldStdout::default();
    let h = Harness::new(&server);
    let run = {
        let stdout = stdout.clone();
        tokio::spawn(async move {
            h.run_with_stdout(&["agents", "--all", "-o", "json"], stdout)
                .await
        })
    };
    // Page 1 is being written (and held there)...
    let written = stdout.held_with().await;
    assert!(
        written.contains("agt_1") && !written.contains("agt_2"),
        "{written}"
    );
    // ...and the request for page 2 reaches the router meanwhile.
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut requests = received(&server).await.len();
    while requests < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
        requests = received(&server).await.len();
    }
    stdout.release();
    let run = run.await.unwrap();
    assert_eq!(
        requests, 2,
        "page 2 was not requested while page 1 was written"
    );
    assert_eq!(run.code, 0, "{run}");
    let doc: serde_json::Value = serde_json::from_str(&stdout.text()).unwrap();
    assert_eq!(doc["data"][1]["id"], "agt_2");
    assert_eq!(run.stderr, "");
}

#[tokio::test]
async fn an_error_on_page_2_is_reported_after_page_1_is_written() {
    let server = MockServer::start().await;
    two_pages(
        &server,
        api_error(
            403,
            "insufficient_scope",
            "This key lacks the management scope",
        ),
        2,
    )
    .await;
    let run = Harness::new(&server)
        .run(&["agents", "--all", "-o", "json"])
        .await;
    assert_snapshot!(run);
    let run = Harness::new(&server)
        .run(&["agents", "--all", "--columns", "id,name"])
        .await;
    assert_snapshot!(run);
}

#[tokio::test]
async fn a_page_read_ahead_is_still_retried() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents")
        .and(query_param("after", "agt_1"))
        .respond_with(api_error(503, "overloaded", "try again"))
        .up_to_n_times(1)
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    two_pages(
        &server,
        json(200, page(vec![agent("agt_2", "b")], false)),
        1,
    )
    .await;
    let run = Harness::new(&server)
        .run(&["agents", "--all", "--columns", "id,name"])
        .await;
    assert_snapshot!(run);
}

#[tokio::test]
async fn no_request_is_made_past_the_last_page() {
    let server = MockServer::start().await;
    for (after, id, more) in [
        (Some("agt_2"), "agt_3", false),
        (Some("agt_1"), "agt_2", true),
        (None, "agt_1", true),
    ] {
        let mut mock = expect("GET", "/management/agents").and(query_param("limit", "1"));
        if let Some(after) = after {
            mock = mock.and(query_param("after", after));
        }
        mock.respond_with(json(200, page(vec![agent(id, id)], more)))
            .expect(2)
            .mount(&server)
            .await;
    }
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let json_run = h
        .run(&["agents", "--all", "--limit", "1", "-o", "json"])
        .await;
    assert_eq!(json_run.code, 0, "{json_run}");
    let ids: Vec<_> = json_run.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].clone())
        .collect();
    assert_eq!(ids, ["agt_1", "agt_2", "agt_3"]);
    let table = h
        .run(&["agents", "--all", "--limit", "1", "--columns", "id"])
        .await;
    assert_snapshot!(table, @r"
    exit: 0
    --- stdout
    ID
    agt_1
    agt_2
    agt_3
    --- stderr
    ");
}

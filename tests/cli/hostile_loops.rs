//! Routers that try to keep xeroctl busy forever: `--all` handed a cursor
//! cycle.

use std::sync::atomic::{AtomicUsize, Ordering};

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

//! `xeroctl approvals watch`: polling, de-duplication, JSON lines,
//! transient errors and bounds.

use wiremock::matchers::query_param;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::approvals::approval;
use crate::support::*;

#[tokio::test]
async fn watch_prints_new_approvals_once_each() {
    let server = MockServer::start().await;
    // First poll: one pending; later polls: that one and a new one.
    expect("GET", "/exec/approvals")
        .and(query_param("status", "pending"))
        .and(query_param("risk", "irreversible"))
        .and(query_param("workspace_id", "ws_1"))
        .respond_with(json(200, page(vec![approval("a1", "pending")], false)))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/exec/approvals")
        .and(query_param("status", "pending"))
        .respond_with(json(
            200,
            page(
                vec![approval("a1", "pending"), approval("a2", "pending")],
                false,
            ),
        ))
        .expect(1..)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&[
            "approvals",
            "watch",
            "--risk",
            "irreversible",
            "--workspace",
            "ws_1",
            "--interval",
            "0.05",
            "--max-events",
            "2",
        ])
        .await;
    run.expect_code(0);
    let out = run.stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("ID"), "{out}");
    assert!(
        lines[1].starts_with("a1 ") && lines[2].starts_with("a2 "),
        "{out}"
    );
    assert!(lines[1].contains("kubectl_drain") && lines[1].contains("destructive"));
}

#[tokio::test]
async fn watch_json_prints_one_compact_object_per_line() {
    let server = MockServer::start().await;
    expect("GET", "/exec/approvals")
        .and(query_param("status", "pending"))
        .respond_with(json(
            200,
            page(
                vec![approval("a1", "pending"), approval("a2", "pending")],
                false,
            ),
        ))
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&[
            "approvals",
            "watch",
            "-o",
            "json",
            "--interval",
            "0.05",
            "--max-events",
            "2",
        ])
        .await;
    run.expect_code(0);
    let out = run.stdout();
    let ids: Vec<String> = out
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("each line is JSON");
            v["id"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(ids, ["a1", "a2"]);
}

#[tokio::test]
async fn watch_keeps_polling_through_transient_errors() {
    let server = MockServer::start().await;
    // More 429s than the client's retries: one poll fails, the next works.
    expect("GET", "/exec/approvals")
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "0")
                .insert_header("x-request-id", "req_rl"),
        )
        .up_to_n_times(4)
        .with_priority(1)
        .expect(4)
        .mount(&server)
        .await;
    expect("GET", "/exec/approvals")
        .respond_with(json(200, page(vec![approval("a9", "pending")], false)))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&[
            "approvals",
            "watch",
            "--interval",
            "0.05",
            "--max-events",
            "1",
            "-v",
        ])
        .await;
    run.expect_code(0);
    assert!(run.stdout().contains("a9"), "{}", run.stdout());
    assert!(run.stderr().contains("still polling"), "{}", run.stderr());
}

#[tokio::test]
async fn watch_stops_on_a_rejected_key() {
    let server = MockServer::start().await;
    expect("GET", "/exec/approvals")
        .respond_with(api_error(401, "invalid_api_key", "Invalid API key"))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["approvals", "watch", "--interval", "0.05"])
        .await;
    run.expect_code(3);
    assert!(run.stderr().contains("invalid_api_key"), "{}", run.stderr());
}

#[tokio::test]
async fn watch_timeout_ends_quietly() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(json(200, page(vec![], false)))
        .expect(2..)
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let run = Env::for_server(&server)
        .run(&[
            "approvals",
            "watch",
            "--status",
            "approved",
            "--interval",
            "0.05",
            "--timeout",
            "0.4",
        ])
        .await;
    run.expect_code(0);
    assert_eq!(run.stdout(), "");
    assert!(run.stderr().contains("--timeout"), "{}", run.stderr());
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    let got = received(&server).await;
    assert!(got
        .iter()
        .all(|r| r.url.query().unwrap_or("").contains("status=approved")));
}

/// A router holding `total` pending approvals `ap_00000`…, paged by
/// `after` (ids sort in list order), 100 a page at most.
struct Backlog {
    total: usize,
}

impl wiremock::Respond for Backlog {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let q: std::collections::HashMap<String, String> =
            request.url.query_pairs().into_owned().collect();
        let limit: usize = q.get("limit").and_then(|l| l.parse().ok()).unwrap_or(20);
        let start = match q.get("after") {
            Some(after) => after[3..].parse::<usize>().unwrap() + 1,
            None => 0,
        };
        let end = (start + limit.min(100)).min(self.total);
        let data = (start..end)
            .map(|i| approval(&format!("ap_{i:05}"), "pending"))
            .collect();
        json(200, page(data, end < self.total))
    }
}

#[tokio::test]
async fn watch_delivers_a_backlog_larger_than_one_poll_exactly_once() {
    let server = MockServer::start().await;
    expect("GET", "/exec/approvals")
        .and(query_param("status", "pending"))
        .respond_with(Backlog { total: 2_650 })
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&[
            "approvals",
            "watch",
            "-o",
            "json",
            "--interval",
            "0.05",
            "--timeout",
            "8",
        ])
        .await;
    run.expect_code(0);
    let out = run.stdout();
    let ids: Vec<String> = out
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("each line is JSON");
            v["id"].as_str().unwrap().to_string()
        })
        .collect();
    let want: Vec<String> = (0..2_650).map(|i| format!("ap_{i:05}")).collect();
    assert_eq!(ids.len(), want.len(), "every pending approval, once each");
    assert_eq!(ids, want);
    // Later polls went on from the cursor instead of starting over only.
    let got = received(&server).await;
    assert!(got
        .iter()
        .any(|r| r.url.query().unwrap_or("").contains("after=ap_01999")));
}

/// The faults of the router in [`watch_is_exactly_once_across_drops_and_5xx`],
/// by connection number: a connection dropped mid-answer, a 503 (retried by
/// the client), a 500 (not retried: the poll fails and the watch polls again
/// from its cursor).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Dropped,
    Unavailable,
    Failed,
}

fn fault_of(connection: usize) -> Option<Fault> {
    match connection {
        n if n % 7 == 3 => Some(Fault::Dropped),
        n if n % 11 == 5 => Some(Fault::Unavailable),
        n if n % 13 == 8 => Some(Fault::Failed),
        _ => None,
    }
}

#[tokio::test]
async fn watch_is_exactly_once_across_drops_and_5xx() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use crate::raw_server::{response_bytes, RawServer, Reply};

    const TOTAL: usize = 420;
    // Approvals arrive while the watch runs: every good answer makes 40
    // more visible, so the watch both reads a backlog page by page and
    // picks up new ones on later sweeps.
    let answered = Arc::new(AtomicUsize::new(0));
    let faults = Arc::new(std::sync::Mutex::new(Vec::new()));
    let server = {
        let answered = answered.clone();
        let faults = faults.clone();
        RawServer::routed(move |n, target| {
            if let Some(fault) = fault_of(n) {
                faults.lock().unwrap().push(fault);
                return match fault {
                    Fault::Dropped => Reply::Truncated {
                        declared: 4096,
                        body: br#"{"object":"list","data":[{"id":"ap_"#.to_vec(),
                    },
                    Fault::Unavailable => Reply::Bytes(response_bytes(
                        503,
                        "text/plain",
                        b"upstream unavailable",
                    )),
                    Fault::Failed => Reply::json(
                        500,
                        &serde_json::json!({"error": {"message": "boom", "code": "internal_error"}}),
                    ),
                };
            }
            let url = reqwest::Url::parse(&format!("http://router{target}")).unwrap();
            let q: std::collections::HashMap<String, String> =
                url.query_pairs().into_owned().collect();
            assert_eq!(q.get("status").map(String::as_str), Some("pending"));
            let visible = (100 + 40 * answered.fetch_add(1, Ordering::SeqCst)).min(TOTAL);
            let limit: usize = q["limit"].parse().unwrap();
            let start = q
                .get("after")
                .map_or(0, |after| after[3..].parse::<usize>().unwrap() + 1);
            let end = (start + limit).min(visible);
            let data = (start..end)
                .map(|i| approval(&format!("ap_{i:05}"), "pending"))
                .collect();
            Reply::json(200, &page(data, end < visible))
        })
        .await
    };
    let env = Env::new(Some(server.base_url.clone()), Some(KEY.into()));
    let run = env
        .run(&[
            "approvals",
            "watch",
            "-o",
            "json",
            "--interval",
            "0.05",
            "--max-events",
            &TOTAL.to_string(),
            "--timeout",
            "60",
        ])
        .await;
    run.expect_code(0);
    let ids: Vec<String> = run
        .stdout()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("each line is JSON");
            v["id"].as_str().unwrap().to_string()
        })
        .collect();
    let want: Vec<String> = (0..TOTAL).map(|i| format!("ap_{i:05}")).collect();
    assert_eq!(ids, want, "every approval once, in order");
    // Each kind of fault happened, and the watch said it kept going.
    let faults = faults.lock().unwrap().clone();
    for kind in [Fault::Dropped, Fault::Unavailable, Fault::Failed] {
        assert!(faults.contains(&kind), "no {kind:?} in {faults:?}");
    }
    assert!(run.stderr().contains("still polling"), "{}", run.stderr());
}

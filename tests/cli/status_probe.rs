//! `xeroctl status` measures one attempt's round trip (not retries and
//! backoff) and tells a response too large to read from no answer at all.

use wiremock::matchers::query_param;
use wiremock::{MockServer, ResponseTemplate};

use crate::support::*;

#[tokio::test]
async fn round_trip_is_one_attempt_not_the_retries_and_their_backoff() {
    let server = MockServer::start().await;
    // Two 503s asking for a 1 s wait each, then an answer.
    expect("GET", "/management/agents")
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", "1")
                .insert_header("x-request-id", "req_busy"),
        )
        .up_to_n_times(2)
        .with_priority(1)
        .expect(2)
        .mount(&server)
        .await;
    expect("GET", "/management/agents")
        .and(query_param("limit", "1"))
        .respond_with(json(200, page(vec![], false)))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/exec/tools")
        .respond_with(json(200, page(vec![], false)))
        .expect(1)
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let run = Env::for_server(&server)
        .run(&["status", "-o", "json"])
        .await;
    run.expect_code(0);
    assert!(started.elapsed() >= std::time::Duration::from_secs(2));
    let v = run.json();
    assert_eq!(v["reachable"], true);
    let ms = v["round_trip_ms"].as_u64().expect("a round trip");
    assert!(ms < 900, "round trip {ms} ms counts the retries' waits");
}

async fn too_large(server: &MockServer) {
    let body = format!(
        "{{\"object\":\"list\",\"data\":[],\"has_more\":false,\"pad\":\"{}\"}}",
        "x".repeat(17 * 1024 * 1024)
    );
    expect("GET", "/management/agents")
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/json")
                .set_body_string(body),
        )
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_response_too_large_is_an_answer_not_unreachable() {
    let server = MockServer::start().await;
    too_large(&server).await;
    let env = Env::for_server(&server);
    let run = env.run(&["status", "-o", "json"]).await;
    run.expect_code(1);
    let v = run.json();
    assert_eq!(v["reachable"], true, "{v}");
    assert!(v["round_trip_ms"].is_u64(), "{v}");
    assert_eq!(v["response_too_large"], true, "{v}");
    assert_eq!(v["ok"], false);
    let run = env.run(&["status"]).await;
    run.expect_code(1);
    let out = run.stdout();
    assert!(!out.contains("unreachable"), "{out}");
    assert!(
        out.contains("answered, but the response was too large to read"),
        "{out}"
    );
    assert!(
        run.stderr().contains("larger than 16 MiB"),
        "{}",
        run.stderr()
    );
}

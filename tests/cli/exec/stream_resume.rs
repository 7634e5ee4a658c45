//! `exec stream` loses nothing and repeats nothing: a connection dropped
//! mid-event resumes from the last complete event, a 503 is waited out, and
//! a server that ignores `Last-Event-ID` and replays has its repeats dropped.

use wiremock::matchers::header;
use wiremock::{MockServer, ResponseTemplate};

use crate::support::*;

fn sse(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.into_bytes(), "text/event-stream")
}

fn event(n: u32) -> String {
    format!(
        "id: {n}\nevent: execution.updated\ndata: {{\"id\":\"exe_{n}\",\"status\":\"running\"}}\n\n"
    )
}

fn events(range: std::ops::RangeInclusive<u32>) -> String {
    let mut body = String::from("retry: 10\n\n");
    for n in range {
        body.push_str(&event(n));
    }
    body
}

fn ids(run: &Run) -> Vec<String> {
    run.stdout()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("each line is JSON");
            v["id"].as_str().unwrap().to_string()
        })
        .collect()
}

fn exe(range: std::ops::RangeInclusive<u32>) -> Vec<String> {
    range.map(|n| format!("exe_{n}")).collect()
}

#[tokio::test]
async fn a_drop_mid_event_resumes_from_the_last_complete_event() {
    let server = MockServer::start().await;
    // The first connection ends in the middle of event 3 (its id line and
    // half its data arrived).
    let mut first = events(1..=2);
    first.push_str("id: 3\nevent: execution.updated\ndata: {\"id\":\"exe_");
    expect("GET", "/exec/executions/stream")
        .respond_with(sse(first))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    // Then a 503 on the reconnect, waited out.
    expect("GET", "/exec/executions/stream")
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(2)
        .expect(1)
        .mount(&server)
        .await;
    // Resuming after 2 sends 3 again; resuming after 3 (the half event)
    // would lose it.
    expect("GET", "/exec/executions/stream")
        .and(header("last-event-id", "2"))
        .respond_with(sse(events(3..=5)))
        .with_priority(3)
        .mount(&server)
        .await;
    expect("GET", "/exec/executions/stream")
        .and(header("last-event-id", "3"))
        .respond_with(sse(events(4..=5)))
        .with_priority(3)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["exec", "stream", "--max-events", "5", "-o", "json"])
        .await;
    run.expect_code(0);
    assert_eq!(ids(&run), exe(1..=5), "{}", run.stderr());
}

#[tokio::test]
async fn a_server_that_replays_from_the_start_has_its_repeats_dropped() {
    let server = MockServer::start().await;
    // Every connection starts over from event 1, Last-Event-ID or not.
    expect("GET", "/exec/executions/stream")
        .respond_with(sse(events(1..=3)))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/exec/executions/stream")
        .respond_with(sse(events(1..=4)))
        .up_to_n_times(1)
        .with_priority(2)
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/exec/executions/stream")
        .respond_with(sse(events(1..=6)))
        .with_priority(3)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["exec", "stream", "--max-events", "6", "-o", "json"])
        .await;
    run.expect_code(0);
    assert_eq!(ids(&run), exe(1..=6), "{}", run.stderr());
    // An event without an id is never taken for a repeat.
    let server = MockServer::start().await;
    let body = "retry: 10\n\ndata: {\"id\":\"exe_a\"}\n\ndata: {\"id\":\"exe_a\"}\n\n";
    expect("GET", "/exec/executions/stream")
        .respond_with(sse(body.to_string()))
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["exec", "stream", "--max-events", "2", "-o", "json"])
        .await;
    run.expect_code(0);
    assert_eq!(ids(&run), ["exe_a", "exe_a"]);
}

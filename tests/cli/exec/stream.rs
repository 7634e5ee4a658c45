//! `exec stream`: SSE parsing (comments, multi-line data), one line per
//! update, and reconnecting with `Last-Event-ID` when the stream drops.

use serde_json::json;
use wiremock::matchers::header;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

fn sse(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "text/event-stream")
}

/// The first connection: a comment, a `retry:` (so the reconnect is
/// quick), an update split over two `data:` lines, then a second update;
/// then the server closes the stream.
const FIRST: &str = ": ping\n\nretry: 20\n\nid: 1\nevent: execution.updated\ndata: {\"id\": \"exe_1\", \"invocation_id\": \"inv_1\",\ndata:  \"tool\": \"kubectl_get\", \"status\": \"running\", \"exit_code\": null}\n\n: ping\nid: 2\nevent: execution.updated\ndata: {\"id\":\"exe_1\",\"invocation_id\":\"inv_1\",\"tool\":\"kubectl_get\",\"status\":\"completed\",\"exit_code\":0,\"completed_at\":\"2026-11-23T06:50:02Z\"}\n\nevent: something.else\ndata: {}\n\n";
const SECOND: &str = "id: 3\r\nevent: execution.updated\r\ndata: {\"id\":\"exe_2\",\"invocation_id\":\"inv_2\",\"tool\":\"flaky_check\",\"status\":\"failed\",\"exit_code\":1}\r\n\r\n";

async fn mount_stream(server: &MockServer) {
    // The reconnect must resume after the last event seen.
    expect("GET", "/exec/executions/stream")
        .and(header("last-event-id", "2"))
        .respond_with(sse(SECOND))
        .expect(1)
        .mount(server)
        .await;
    expect("GET", "/exec/executions/stream")
        .respond_with(sse(FIRST))
        .up_to_n_times(1)
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn json_mode_prints_one_compact_object_per_update_across_a_reconnect() {
    let server = MockServer::start().await;
    mount_stream(&server).await;
    let run = Env::for_server(&server)
        .run(&["exec", "stream", "--max-events", "3", "-o", "json"])
        .await;
    run.expect_code(0);
    let out = run.stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert_eq!(
        lines[0],
        r#"{"id":"exe_1","invocation_id":"inv_1","tool":"kubectl_get","status":"running","exit_code":null}"#
    );
    let last: serde_json::Value = serde_json::from_str(lines[2]).unwrap();
    assert_eq!(
        last,
        json!({"id":"exe_2","invocation_id":"inv_2","tool":"flaky_check","status":"failed","exit_code":1})
    );
    assert!(run.stderr().contains("reconnecting"), "{}", run.stderr());
}

#[tokio::test]
async fn table_mode_prints_a_header_once_then_a_row_per_update() {
    let server = MockServer::start().await;
    mount_stream(&server).await;
    let run = Env::for_server(&server)
        .run(&["exec", "stream", "--max-events", "3"])
        .await;
    run.expect_code(0);
    let out = run.stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    for col in ["ID", "INVOCATION", "TOOL", "STATUS", "EXIT", "UPDATED"] {
        assert!(lines[0].contains(col), "{}", lines[0]);
    }
    assert!(
        lines[1].contains("exe_1") && lines[1].contains("running"),
        "{out}"
    );
    assert!(
        lines[2].contains("completed") && lines[2].contains("2026-11-23 06:50:02"),
        "{out}"
    );
    assert!(
        lines[3].contains("exe_2") && lines[3].contains("failed"),
        "{out}"
    );
}

#[tokio::test]
async fn auth_failures_end_the_stream_instead_of_reconnecting() {
    let server = MockServer::start().await;
    expect("GET", "/exec/executions/stream")
        .respond_with(api_error(
            403,
            "scope_insufficient",
            "needs the execution scope",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server).run(&["exec", "stream"]).await;
    run.expect_code(3);
}

#[tokio::test]
async fn a_failed_connect_is_retried_with_backoff() {
    let server = MockServer::start().await;
    // 500 is not retried by the client itself: the stream loop reconnects.
    Mock::given(wiremock::matchers::path(api("/exec/executions/stream")))
        .respond_with(ResponseTemplate::new(500).set_body_string("oops"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/exec/executions/stream")
        .respond_with(sse(SECOND))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["exec", "stream", "--max-events", "1", "-o", "json"])
        .await;
    run.expect_code(0);
    assert_eq!(run.stdout().lines().count(), 1);
    assert!(
        run.stderr().contains("reconnecting in 1.0s"),
        "{}",
        run.stderr()
    );
}

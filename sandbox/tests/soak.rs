//! `--soak-events`: the numbered execution stream, its drops and 503s, and
//! resuming after `Last-Event-ID`.

mod common;

use std::time::Duration;

use futures_util::StreamExt;
use xeroctl_sandbox::{SandboxOptions, Soak};

/// What one connection to the stream gave.
struct Connection {
    status: u16,
    text: String,
    /// The body ended in an error (a dropped connection), not cleanly.
    dropped: bool,
}

/// Reads the stream until it drops, or until `stop_after` is in the text.
async fn connect(h: &common::Harness, last_event_id: Option<&str>, stop_after: &str) -> Connection {
    let mut req = h
        .http
        .get(h.url("/exec/executions/stream"))
        .bearer_auth(h.sb.api_key());
    if let Some(id) = last_event_id {
        req = req.header("last-event-id", id);
    }
    let resp = req.send().await.expect("request sent");
    let status = resp.status().as_u16();
    let mut body = resp.bytes_stream();
    let mut text = String::new();
    let mut dropped = false;
    while let Some(chunk) = tokio::time::timeout(Duration::from_secs(5), body.next())
        .await
        .expect("the stream stalled")
    {
        match chunk {
            Ok(bytes) => text.push_str(std::str::from_utf8(&bytes).unwrap()),
            Err(_) => {
                dropped = true;
                break;
            }
        }
        if text.contains(stop_after) {
            break;
        }
    }
    Connection {
        status,
        text,
        dropped,
    }
}

fn event(n: u64) -> String {
    format!(
        "id: {n}\nevent: execution.updated\ndata: {{\"id\":\"00000000-0000-4000-8000-{n:012}\",\
         \"object\":\"exec.execution\",\"invocation_id\":\"00000000-0000-4000-9000-{n:012}\",\
         \"tool\":\"soak\",\"workspace_id\":\"ws_soak0001\",\"agent_id\":\"agt_soak\",\
         \"status\":\"completed\",\"exit_code\":0,\"duration_ms\":{},\"output_bytes\":0,\
         \"created_at\":\"2026-01-01T00:00:00Z\",\"completed_at\":\"2026-01-01T00:00:01Z\"}}\n\n",
        n % 1000
    )
}

/// `retry: 500`, events `from..=to` whole, then the first half of `to + 1`.
fn dropped_after(from: u64, to: u64) -> String {
    let mut want = String::from("retry: 500\n\n");
    for n in from..=to {
        want.push_str(&event(n));
    }
    let next = event(to + 1);
    want.push_str(&next[..next.len() / 2]);
    want
}

#[tokio::test]
async fn soak_stream_drops_fails_and_resumes_after_last_event_id() {
    let h = common::start_with(SandboxOptions {
        soak: Soak {
            events: 25,
            drop_every: 10,
            fail_every: 20,
        },
        ..Default::default()
    })
    .await;

    // 1..=10, then half of 11 (its id line included) and a dropped connection.
    let c = connect(&h, None, "\u{0}").await;
    assert_eq!((c.status, c.dropped), (200, true));
    assert_eq!(c.text, dropped_after(1, 10));

    // Resumes after the last complete event: 11 is sent again, whole.
    let c = connect(&h, Some("10"), "\u{0}").await;
    assert_eq!((c.status, c.dropped), (200, true));
    assert_eq!(c.text, dropped_after(11, 20));

    // Past event 20: the first reconnect is a 503, the next one goes on.
    let c = connect(&h, Some("20"), "\u{0}").await;
    assert_eq!(c.status, 503);
    assert!(
        c.text.contains("\"code\":\"service_unavailable\""),
        "{}",
        c.text
    );
    let c = connect(&h, Some("20"), ": ping\n\n").await;
    assert_eq!((c.status, c.dropped), (200, false));
    let mut want = String::from("retry: 500\n\n");
    for n in 21..=25 {
        want.push_str(&event(n));
    }
    // Every event sent: nothing but pings, and no drop at the last event.
    want.push_str(": ping\n\n");
    assert_eq!(c.text, want);

    // A client that already has everything gets pings only.
    let c = connect(&h, Some("25"), ": ping\n\n").await;
    assert_eq!(c.text, "retry: 500\n\n: ping\n\n");

    // An id this stream never sent is refused, not guessed at.
    for id in ["evt-x", "26", "-1"] {
        let c = connect(&h, Some(id), "\u{0}").await;
        assert_eq!(c.status, 400, "{id}");
        assert!(c.text.contains("Last-Event-ID"), "{}", c.text);
    }

    let stats = h.get("/sandbox/stats").await.body;
    assert_eq!(stats["soak_connections"], 4);
    assert_eq!(stats["soak_drops"], 2);
    assert_eq!(stats["soak_503s"], 1);
    h.sb.shutdown().await;
}

#[tokio::test]
async fn without_soak_the_stream_is_live_and_stats_count_nothing() {
    let h = common::start().await;
    let stats = h.get("/sandbox/stats").await.body;
    assert_eq!(stats["soak_connections"], 0);
    assert_eq!(stats["soak_drops"], 0);
    assert_eq!(stats["soak_503s"], 0);
    // A Last-Event-ID the live stream never sent is simply ignored there.
    let resp = h
        .http
        .get(h.url("/exec/executions/stream"))
        .bearer_auth(h.sb.api_key())
        .header("last-event-id", "evt-x")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
}

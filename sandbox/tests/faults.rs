//! Fault injection: latency, 429 with Retry-After, 5xx, dropped connections.

mod common;

use std::time::{Duration, Instant};

use xeroctl_sandbox::{Faults, SandboxOptions};

fn with_faults(faults: Faults) -> SandboxOptions {
    SandboxOptions {
        tick: Duration::from_millis(20),
        faults,
        ..Default::default()
    }
}

#[tokio::test]
async fn rate_limited_with_retry_after() {
    let h = common::start_with(with_faults(Faults {
        rate_429: 1.0,
        retry_after_secs: 7,
        ..Default::default()
    }))
    .await;
    let a = h.get("/management/agents").await;
    assert_eq!(a.status, 429);
    assert_eq!(a.headers["retry-after"], "7");
    assert_eq!(a.code(), "rate_limited");
    assert_eq!(a.body["error"]["retry_after"], 7);
}

#[tokio::test]
async fn server_errors() {
    let h = common::start_with(with_faults(Faults {
        rate_5xx: 1.0,
        ..Default::default()
    }))
    .await;
    let mut seen_html = false;
    for _ in 0..30 {
        let a = h.get("/management/agents").await;
        assert!(matches!(a.status.as_u16(), 500 | 502 | 503), "{}", a.status);
        if a.status == 502 {
            assert_eq!(a.bytes, b"<html><body>502 Bad Gateway</body></html>");
            seen_html = true;
        }
    }
    assert!(seen_html);
}

#[tokio::test]
async fn dropped_connections_and_latency() {
    let h = common::start_with(with_faults(Faults {
        drop_rate: 1.0,
        ..Default::default()
    }))
    .await;
    let r = h
        .http
        .get(h.url("/management/agents"))
        .bearer_auth(h.sb.api_key())
        .send()
        .await;
    assert!(r.is_err(), "expected a dropped connection, got {r:?}");
    // The server keeps serving after a drop.
    let r = h
        .http
        .get(h.url("/management/agents"))
        .bearer_auth(h.sb.api_key())
        .send()
        .await;
    assert!(r.is_err());

    let h = common::start_with(with_faults(Faults {
        latency: Duration::from_millis(150),
        ..Default::default()
    }))
    .await;
    let t = Instant::now();
    let a = h.get("/exec/tools").await;
    assert_eq!(a.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(150));
}

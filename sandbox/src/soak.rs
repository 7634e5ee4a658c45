//! A synthetic execution stream for soak runs (`--soak-events`): the
//! execution stream sends numbered events instead of live updates, drops the
//! connection in the middle of an event every `drop_every` events, answers
//! 503 to the first reconnect after every `fail_every` events, and resumes
//! after the client's `Last-Event-ID` (the SSE rule: the next event is the
//! one after that id, nothing is sent twice).

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use tokio::sync::watch;

use crate::error::ApiError;

/// What the soak stream sends; `events == 0` means no soak (the live stream).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Soak {
    /// Events numbered 1..=events, then only `: ping` comments.
    pub events: u64,
    /// Drop the connection after every this many events (0 = never).
    pub drop_every: u64,
    /// Answer 503 to the first reconnect after every this many events (0 = never).
    pub fail_every: u64,
}

impl Soak {
    pub fn is_on(&self) -> bool {
        self.events > 0
    }
}

/// The soak's configuration and counters (for `GET …/sandbox/stats`).
#[derive(Debug, Default)]
pub struct SoakState {
    pub soak: Soak,
    /// Stream requests answered 200.
    pub connections: AtomicU64,
    /// Connections dropped in the middle of an event.
    pub drops: AtomicU64,
    /// Stream requests answered 503.
    pub unavailable: AtomicU64,
    /// The last `fail_every` multiple whose 503 was served (each is served once).
    failed_at: AtomicU64,
}

impl SoakState {
    pub fn new(soak: Soak) -> SoakState {
        SoakState {
            soak,
            ..Default::default()
        }
    }
}

/// `GET /exec/executions/stream` in soak mode.
pub fn stream(
    state: &Arc<SoakState>,
    headers: &HeaderMap,
    shutdown: watch::Receiver<bool>,
) -> Response {
    let after = match headers.get("last-event-id") {
        None => 0,
        Some(v) => match v.to_str().ok().and_then(|s| s.trim().parse::<u64>().ok()) {
            Some(n) if n <= state.soak.events => n,
            _ => {
                return ApiError::validation(
                    "Last-Event-ID",
                    "Last-Event-ID must be the number of an event this stream sent",
                )
                .into_response()
            }
        },
    };
    let soak = state.soak;
    // The last multiple of `fail_every` the client is past (0: none yet).
    if let Some(due) = after
        .checked_div(soak.fail_every)
        .map(|k| k * soak.fail_every)
    {
        if due > 0 && state.failed_at.fetch_max(due, Relaxed) < due {
            state.unavailable.fetch_add(1, Relaxed);
            return ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "service_unavailable",
                format!("Soak: the stream is unavailable once after event {due}; retry"),
            )
            .into_response();
        }
    }
    state.connections.fetch_add(1, Relaxed);
    let events = stream::unfold(
        Step {
            next: after.saturating_add(1),
            soak,
            shutdown,
            state: state.clone(),
            greeted: false,
            dropped: false,
        },
        |mut step| async move { step.advance().await.map(|item| (item, step)) },
    );
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(events),
    )
        .into_response()
}

struct Step {
    next: u64,
    soak: Soak,
    shutdown: watch::Receiver<bool>,
    state: Arc<SoakState>,
    /// `retry: 500` went out (first thing on every connection).
    greeted: bool,
    /// Half an event went out: the next item ends the connection.
    dropped: bool,
}

/// Ends the connection without the last chunk: the client sees a dropped
/// connection, not a clean end of stream.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("soak: connection dropped on purpose")
    }
}

impl std::error::Error for Dropped {}

impl Step {
    async fn advance(&mut self) -> Option<Result<Bytes, Dropped>> {
        if !self.greeted {
            self.greeted = true;
            return Some(Ok(Bytes::from_static(b"retry: 500\n\n")));
        }
        if self.dropped {
            // Let the server flush what is buffered first: an error now
            // would discard it, and the client would see an empty reply.
            tokio::time::sleep(Duration::from_millis(50)).await;
            return Some(Err(Dropped));
        }
        let n = self.next;
        if n > self.soak.events {
            // Every event sent: keep the connection open with comments.
            return self.idle().await.map(Ok);
        }
        self.next += 1;
        let mut bytes = event(n);
        if self.soak.drop_every > 0
            && n.is_multiple_of(self.soak.drop_every)
            && n < self.soak.events
        {
            // Half of the next event (its `id:` line included) goes out
            // before the drop: that event must be asked for again.
            let next = event(n + 1);
            bytes.extend_from_slice(&next[..next.len() / 2]);
            self.state.drops.fetch_add(1, Relaxed);
            self.dropped = true;
        }
        Some(Ok(Bytes::from(bytes)))
    }

    async fn idle(&mut self) -> Option<Bytes> {
        if *self.shutdown.borrow() {
            return None;
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => Some(Bytes::from_static(b": ping\n\n")),
            _ = self.shutdown.changed() => None,
        }
    }
}

/// Event `n`: an execution update whose id ends in `n` (12 digits).
pub fn event(n: u64) -> Vec<u8> {
    format!(
        "id: {n}\nevent: execution.updated\ndata: {{\"id\":\"00000000-0000-4000-8000-{n:012}\",\
         \"object\":\"exec.execution\",\"invocation_id\":\"00000000-0000-4000-9000-{n:012}\",\
         \"tool\":\"soak\",\"workspace_id\":\"ws_soak0001\",\"agent_id\":\"agt_soak\",\
         \"status\":\"completed\",\"exit_code\":0,\"duration_ms\":{},\"output_bytes\":0,\
         \"created_at\":\"2026-01-01T00:00:00Z\",\"completed_at\":\"2026-01-01T00:00:01Z\"}}\n\n",
        n % 1000
    )
    .into_bytes()
}

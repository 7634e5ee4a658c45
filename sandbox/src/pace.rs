//! `--bandwidth-kbps`: responses leave at most this fast (a paced body
//! writer, applied after compression, so it paces the bytes on the wire).
//! Each response is paced on its own, like one TCP stream per page. The
//! bytes sent are counted (`GET …/sandbox/stats`, for the benchmark).

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use bytes::Bytes;
use futures_util::StreamExt;
use tokio::time::Instant;

use crate::state::Shared;

/// Pieces a chunk is cut into, so the pace stays smooth.
const PIECE: usize = 4 * 1024;

/// The middleware: `bytes_per_sec` is the limit.
pub async fn pace(
    State((shared, bytes_per_sec)): State<(Arc<Shared>, u64)>,
    req: Request,
    next: Next,
) -> Response {
    if req.uri().path().ends_with("/sandbox/stats") {
        return next.run(req).await;
    }
    let resp = next.run(req).await;
    let (parts, body) = resp.into_parts();
    let started = Instant::now();
    let mut sent = 0u64;
    let pieces = body.into_data_stream().flat_map(|chunk| {
        let pieces: Vec<Result<Bytes, axum::Error>> = match chunk {
            Ok(bytes) => (0..bytes.len())
                .step_by(PIECE)
                .map(|i| Ok(bytes.slice(i..(i + PIECE).min(bytes.len()))))
                .collect(),
            Err(e) => vec![Err(e)],
        };
        futures_util::stream::iter(pieces)
    });
    let paced = pieces.then(move |piece| {
        if let Ok(bytes) = &piece {
            sent += bytes.len() as u64;
            shared
                .body_bytes_sent
                .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        }
        let due = started + Duration::from_secs_f64(sent as f64 / bytes_per_sec as f64);
        async move {
            tokio::time::sleep_until(due).await;
            piece
        }
    });
    Response::from_parts(parts, Body::from_stream(paced))
}

//! The retry policy of spec/cli.md ("Reliability"): which failures are
//! tried again, after how long, and how many times.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::error::CliError;

use super::client::ApiRequest;
use super::errors;

/// Retries after the first attempt (spec: "up to 3").
pub const MAX_RETRIES: u32 = 3;
/// A `Retry-After` longer than this is reported instead of slept.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Whether (and after how long) a failed status is retried.
pub fn delay_for_status(
    req: &ApiRequest,
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
    err: &CliError,
    attempt: u32,
) -> Result<Option<Duration>, CliError> {
    let exhausted = attempt >= MAX_RETRIES;
    let header = headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| errors::parse_retry_after(v, SystemTime::now()));
    // A 5xx may say when to come back too; a long wait there falls back
    // to the backoff (the retry budget still bounds the run).
    let unavailable_wait = || {
        header
            .filter(|wait| *wait <= MAX_RETRY_AFTER)
            .unwrap_or_else(|| backoff(attempt))
    };
    match status {
        429 => {
            let wait = header.or_else(|| retry_after_from_body(body));
            if let Some(wait) = wait {
                if wait > MAX_RETRY_AFTER {
                    return Err(err
                        .restated(
                            crate::error::ExitCode::Failure,
                            format!("rate limited by the router, retry after {} s", wait.as_secs()),
                        )
                        .with_hint(
                            "the router asked for a long pause; wait that long, then run the command again",
                        ));
                }
            }
            if exhausted {
                return Ok(None);
            }
            Ok(Some(wait.unwrap_or_else(|| backoff(attempt))))
        }
        502..=504 if !exhausted && req.idempotent() => Ok(Some(unavailable_wait())),
        503 if !exhausted && err.api_code() == Some("tool_executor_unavailable") => {
            Ok(Some(unavailable_wait()))
        }
        _ => Ok(None),
    }
}

/// `error.retry_after` (seconds) from a 429 body, when the header is missing.
fn retry_after_from_body(body: &[u8]) -> Option<Duration> {
    let envelope: super::models::ErrorEnvelope = serde_json::from_slice(body).ok()?;
    let secs = envelope.error.retry_after?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(1e9)))
}

/// Exponential backoff with jitter: 250 ms, 500 ms, 1 s … (±50 %).
pub fn backoff(attempt: u32) -> Duration {
    let base = 250u64 << attempt.min(4);
    let jitter = fastrand::u64(0..=base / 2);
    Duration::from_millis(base / 2 + jitter)
}

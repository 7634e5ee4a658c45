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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ExitCode;
    use reqwest::header::HeaderValue;

    const SECS: fn(u64) -> Duration = Duration::from_secs;

    fn get() -> ApiRequest {
        ApiRequest::get("/exec/approvals")
    }

    fn post() -> ApiRequest {
        ApiRequest::post("/exec/invocations", serde_json::json!({}))
    }

    fn retry_after(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        headers
    }

    /// `delay_for_status` with the error the client builds from the body.
    fn delay(
        req: &ApiRequest,
        status: u16,
        headers: &HeaderMap,
        body: &[u8],
        attempt: u32,
    ) -> Result<Option<Duration>, CliError> {
        let err = errors::from_response(status, None, body);
        delay_for_status(req, status, headers, body, &err, attempt)
    }

    /// A backoff for `attempt`: 250 ms doubled per attempt (up to 4
    /// doublings), half of it fixed and half random.
    fn is_backoff(wait: Duration, attempt: u32) -> bool {
        let base = 250u128 << attempt.min(4);
        (base / 2..=base).contains(&wait.as_millis())
    }

    #[test]
    fn a_429_waits_as_the_router_says_for_any_method() {
        let none = HeaderMap::new();
        for req in [get(), post()] {
            assert_eq!(
                delay(&req, 429, &retry_after("2"), b"", 0).unwrap(),
                Some(SECS(2))
            );
            // Without the header, the envelope's `retry_after` (seconds).
            let body = br#"{"error":{"message":"slow down","retry_after":1.5}}"#;
            assert_eq!(
                delay(&req, 429, &none, body, 0).unwrap(),
                Some(Duration::from_millis(1500))
            );
            // The header wins over the body.
            assert_eq!(
                delay(&req, 429, &retry_after("3"), body, 0).unwrap(),
                Some(SECS(3))
            );
            // Neither: the backoff.
            assert!(is_backoff(
                delay(&req, 429, &none, b"", 1).unwrap().unwrap(),
                1
            ));
        }
        // A negative `retry_after` is no answer: the backoff again.
        let body = br#"{"error":{"message":"slow down","retry_after":-1}}"#;
        assert!(is_backoff(
            delay(&get(), 429, &none, body, 0).unwrap().unwrap(),
            0
        ));
    }

    #[test]
    fn a_429_longer_than_a_minute_is_reported_not_slept() {
        assert_eq!(
            delay(&get(), 429, &retry_after("60"), b"", 0).unwrap(),
            Some(SECS(60))
        );
        let e = delay(&get(), 429, &retry_after("61"), b"", 0).unwrap_err();
        assert_eq!(e.exit(), ExitCode::Failure);
        assert_eq!(e.message(), "rate limited by the router, retry after 61 s");
        assert!(e.hints()[0].contains("wait that long"), "{:?}", e.hints());
        // Reported even once the retries are spent.
        assert!(delay(&get(), 429, &retry_after("61"), b"", MAX_RETRIES).is_err());
    }

    #[test]
    fn retries_stop_after_the_budget() {
        let h = retry_after("1");
        for status in [429, 502, 503, 504] {
            assert!(
                delay(&get(), status, &h, b"", MAX_RETRIES - 1)
                    .unwrap()
                    .is_some(),
                "{status}"
            );
            assert_eq!(
                delay(&get(), status, &h, b"", MAX_RETRIES).unwrap(),
                None,
                "{status}"
            );
        }
    }

    #[test]
    fn gateway_errors_are_retried_on_reads_only() {
        let none = HeaderMap::new();
        for status in [502, 503, 504] {
            assert!(is_backoff(
                delay(&get(), status, &none, b"", 0).unwrap().unwrap(),
                0
            ));
            assert_eq!(
                delay(&post(), status, &none, b"", 0).unwrap(),
                None,
                "{status}"
            );
        }
        for status in [400, 401, 404, 409, 500, 501, 505] {
            assert_eq!(
                delay(&get(), status, &none, b"", 0).unwrap(),
                None,
                "{status}"
            );
        }
        // A short Retry-After on a 503 is followed; a long one falls back
        // to the backoff.
        assert_eq!(
            delay(&get(), 503, &retry_after("2"), b"", 0).unwrap(),
            Some(SECS(2))
        );
        assert_eq!(
            delay(&get(), 503, &retry_after("60"), b"", 0).unwrap(),
            Some(SECS(60))
        );
        let long = delay(&get(), 503, &retry_after("61"), b"", 2)
            .unwrap()
            .unwrap();
        assert!(is_backoff(long, 2), "{long:?}");
    }

    #[test]
    fn no_online_agent_is_retried_even_for_a_post() {
        let none = HeaderMap::new();
        let unavailable = br#"{"error":{"message":"no agent","code":"tool_executor_unavailable"}}"#;
        assert!(delay(&post(), 503, &none, unavailable, 0)
            .unwrap()
            .is_some());
        assert_eq!(
            delay(&post(), 503, &none, unavailable, MAX_RETRIES).unwrap(),
            None
        );
        let other = br#"{"error":{"message":"down","code":"maintenance"}}"#;
        assert_eq!(delay(&post(), 503, &none, other, 0).unwrap(), None);
        // Only on a 503.
        assert_eq!(delay(&post(), 500, &none, unavailable, 0).unwrap(), None);
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        for attempt in 0..8 {
            let waits: Vec<Duration> = (0..64).map(|_| backoff(attempt)).collect();
            for w in &waits {
                assert!(is_backoff(*w, attempt), "attempt {attempt}: {w:?}");
            }
            // Random: not the same every time.
            assert!(
                waits.iter().any(|w| *w != waits[0]),
                "attempt {attempt}: {waits:?}"
            );
        }
    }
}

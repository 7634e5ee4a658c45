//! The one HTTP client every command uses: URL joining, auth headers,
//! timeouts, the retry policy of docs/spec/cli.md and bounded body reads.

use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{HeaderMap, ACCEPT, CONTENT_TYPE, USER_AGENT};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{ApiError, CliError, ExitCode};
use crate::output::time::{self, DurationStyle};

use super::errors;
pub use super::log::Log;
use super::trust::CaBundle;
use super::{retry, transport, trust};

/// JSON responses larger than this are refused (a page is kilobytes).
const MAX_JSON_BODY: usize = 16 * 1024 * 1024;
/// How the error for a response over `MAX_JSON_BODY` starts.
const TOO_LARGE: &str = "the response is larger than";

/// Whether `err` is a 2xx response refused for its size (the router did
/// answer).
pub fn is_too_large(err: &CliError) -> bool {
    err.status().is_some_and(|s| (200..300).contains(&s)) && err.message().starts_with(TOO_LARGE)
}

/// Only the start of an error body is read.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Query values: everything but RFC 3986 "unreserved" is encoded, so
/// cursors like `agt_7Hq2` stay readable in `-v` logs and dry runs.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub const USER_AGENT_VALUE: &str = concat!("xeroctl/", env!("CARGO_PKG_VERSION"));

/// One request to the router, relative to the base URL.
#[derive(Debug, Clone)]
pub struct ApiRequest {
    pub method: Method,
    /// Already-encoded path below the base URL, starting with `/`.
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    pub body: Option<Value>,
    /// Extra request headers (e.g. `Last-Event-ID` when resuming a stream).
    pub headers: Vec<(&'static str, String)>,
}

impl ApiRequest {
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        ApiRequest {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            headers: Vec::new(),
        }
    }

    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::GET, path)
    }

    pub fn post(path: impl Into<String>, body: Value) -> Self {
        Self::new(Method::POST, path).body(body)
    }

    pub fn patch(path: impl Into<String>, body: Value) -> Self {
        Self::new(Method::PATCH, path).body(body)
    }

    pub fn delete(path: impl Into<String>) -> Self {
        Self::new(Method::DELETE, path)
    }

    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Add a query parameter (skipped when `None`).
    pub fn query(mut self, key: &'static str, value: Option<impl ToString>) -> Self {
        if let Some(v) = value {
            self.query.push((key, v.to_string()));
        }
        self
    }

    /// Add a request header.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// GET, PATCH and DELETE may be repeated safely; POST may not.
    pub(super) fn idempotent(&self) -> bool {
        self.method != Method::POST
    }
}

/// A complete response with a 2xx status.
#[derive(Debug)]
pub struct ApiResponse {
    pub status: u16,
    pub request_id: Option<String>,
    pub body: Bytes,
}

impl ApiResponse {
    /// Decode the body as `T`; a body of the wrong shape is a clear error.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, CliError> {
        serde_json::from_slice(&self.body).map_err(|e| {
            errors::unexpected_body(
                self.status,
                self.request_id.clone(),
                &self.body,
                &e.to_string(),
            )
        })
    }
}

#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: String,
    api_key: String,
    timeout: Duration,
    log: Log,
    /// The proxy requests go through (for `-v`, credentials redacted).
    proxy: Option<String>,
    /// How long the last attempt that got an answer took, in microseconds
    /// (`u64::MAX`: none yet): `status` reports one round trip, not the
    /// retries and their backoff.
    last_answer_us: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// One attempt only, never retried (shell completion).
    single_attempt: bool,
}

impl Client {
    pub fn new(
        base_url: &str,
        api_key: &str,
        timeout: Duration,
        log: Log,
        ca: Option<&CaBundle>,
    ) -> Result<Client, CliError> {
        let proxy = transport::proxy_choice(base_url);
        // Roots: webpki's plus the OS store (reqwest features); gzip and br
        // are asked for and decoded, HTTP/2 is used when ALPN offers it.
        let mut builder = reqwest::Client::builder()
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .read_timeout(timeout)
            .pool_max_idle_per_host(2)
            .redirect(transport::redirect_policy(log.clone()));
        if proxy.bypass {
            // Loopback never goes through a proxy (spec: "Hostile routers").
            builder = builder.no_proxy();
        }
        if let Some(ca) = ca {
            for cert in &ca.certs {
                builder = builder.add_root_certificate(cert.clone());
            }
        }
        let http = builder.build().map_err(|e| match ca {
            Some(ca) => CliError::config(format!(
                "could not set up TLS with the CA bundle {}: {e}",
                ca.path.display()
            )),
            None => CliError::failure(format!("could not set up the HTTP client: {e}")),
        })?;
        if let Some(note) = &proxy.note {
            log.line(note);
        }
        Ok(Client {
            http,
            base_url: base_url.trim_end_matches('/').to_string(),
            api_key: api_key.to_string(),
            timeout,
            log,
            proxy: proxy.shown,
            last_answer_us: std::sync::Arc::new(u64::MAX.into()),
            single_attempt: false,
        })
    }

    /// Never retry: a failure is returned at once (shell completion makes
    /// at most one request).
    pub fn single_attempt(mut self) -> Self {
        self.single_attempt = true;
        self
    }
    /// How long the last attempt that got an answer (any status, or a body
    /// too large to read) took; `None` if none did.
    pub fn last_answer_time(&self) -> Option<Duration> {
        match self
            .last_answer_us
            .load(std::sync::atomic::Ordering::Relaxed)
        {
            u64::MAX => None,
            us => Some(Duration::from_micros(us)),
        }
    }

    fn answered(&self, started: Instant) {
        let us = started.elapsed().as_micros().min(u64::MAX as u128 - 1) as u64;
        self.last_answer_us
            .store(us, std::sync::atomic::Ordering::Relaxed);
    }

    /// The full URL a request goes to (also what `--dry-run` prints).
    pub fn url(&self, req: &ApiRequest) -> String {
        let mut url = format!("{}{}", self.base_url, req.path);
        for (i, (k, v)) in req.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(k);
            url.push('=');
            url.extend(percent_encoding::utf8_percent_encode(v, QUERY_VALUE));
        }
        url
    }

    /// Send and read the whole (bounded) body, retrying per the policy.
    pub async fn send(&self, req: &ApiRequest) -> Result<ApiResponse, CliError> {
        self.run(req, true).await.map(|(r, _)| r)
    }

    /// Send and hand back the open response once headers arrived with a 2xx,
    /// for bodies that are streamed (raw output, SSE). No total timeout on
    /// a 2xx body: the read timeout still ends a stalled stream. An error
    /// body is read under the request timeout as a whole.
    pub async fn send_streaming(&self, req: &ApiRequest) -> Result<reqwest::Response, CliError> {
        let (_, open) = self.run(req, false).await?;
        Ok(open.expect("streaming run returns the open response"))
    }

    async fn run(
        &self,
        req: &ApiRequest,
        read_body: bool,
    ) -> Result<(ApiResponse, Option<reqwest::Response>), CliError> {
        let url = self.url(req);
        let via = self
            .proxy
            .as_deref()
            .map(|p| format!(" via proxy {p}"))
            .unwrap_or_default();
        let mut attempt = 0u32;
        loop {
            let started = Instant::now();
            self.log.line(&format!(
                "> {} {url}{via} (authorization: Bearer [redacted])",
                req.method
            ));
            let outcome = self.attempt(req, &url, read_body, started).await;
            let retry_in = match outcome {
                Ok(Attempt::Done(resp, open)) => {
                    self.answered(started);
                    self.trace_response(resp.status, started, resp.request_id.as_deref());
                    return Ok((resp, open));
                }
                Ok(Attempt::Failed {
                    status,
                    request_id,
                    headers,
                    body,
                }) => {
                    self.answered(started);
                    self.trace_response(status, started, request_id.as_deref());
                    let err = errors::from_response(status, request_id, &body);
                    let delay =
                        retry::delay_for_status(req, status, &headers, &body, &err, attempt)?;
                    match delay {
                        Some(delay) if !self.single_attempt => delay,
                        _ => return Err(err),
                    }
                }
                Ok(Attempt::BodyTimedOut { status }) => {
                    // The whole response did not arrive in time: a timeout
                    // (exit 6), not retried, like any other.
                    self.log.line(&format!(
                        "< {status}, body still arriving after {} ms: giving up",
                        started.elapsed().as_millis()
                    ));
                    return Err(errors::timed_out(&url, self.timeout));
                }
                Ok(Attempt::TooLarge { request_id }) => {
                    self.answered(started);
                    let api = ApiError {
                        status: 200,
                        code: None,
                        request_id,
                    };
                    return Err(CliError::from_api(
                        ExitCode::Failure,
                        format!(
                            "{TOO_LARGE} {} MiB; refusing to read it",
                            MAX_JSON_BODY / (1024 * 1024)
                        ),
                        Some(api),
                    )
                    .with_hint("use a smaller --limit, or check that --base-url points at a Xerotier router"));
                }
                Err(transport) => {
                    // A refused redirect or a redirect loop: exit 1, never
                    // retried (the router would only say the same again).
                    if let Some(err) = transport::refused_redirect(&transport) {
                        return Err(err);
                    }
                    // A certificate that does not verify: exit 6, never
                    // retried (the same certificate would come back).
                    if let Some(why) = trust::certificate_failure(&transport) {
                        self.log
                            .line(&format!("< {} failed: {transport}", req.method));
                        return Err(trust::certificate_error(&errors::host_of(&url), &why));
                    }
                    self.log.line(&format!(
                        "< {} failed after {}: {transport}",
                        req.method,
                        time::duration(started.elapsed(), DurationStyle::Millis)
                    ));
                    let err = errors::from_transport(&transport, &url, self.timeout);
                    let retryable = !self.single_attempt
                        && !transport.is_timeout()
                        && attempt < retry::MAX_RETRIES
                        && (transport.is_connect() || req.idempotent());
                    if !retryable {
                        return Err(err);
                    }
                    retry::backoff(attempt)
                }
            };
            attempt += 1;
            self.log.line(&format!(
                "  retrying in {} (retry {attempt} of {})",
                time::duration(retry_in, DurationStyle::Millis),
                retry::MAX_RETRIES
            ));
            tokio::time::sleep(retry_in).await;
        }
    }

    fn trace_response(&self, status: u16, started: Instant, request_id: Option<&str>) {
        if self.log.enabled() {
            self.log.line(&format!(
                "< {status} in {} (request id {})",
                time::duration(started.elapsed(), DurationStyle::Millis),
                request_id.unwrap_or("-")
            ));
        }
    }

    async fn attempt(
        &self,
        req: &ApiRequest,
        url: &str,
        read_body: bool,
        started: Instant,
    ) -> Result<Attempt, reqwest::Error> {
        let mut builder = self
            .http
            .request(req.method.clone(), url)
            .bearer_auth(&self.api_key)
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, USER_AGENT_VALUE);
        for (name, value) in &req.headers {
            builder = builder.header(*name, value);
        }
        if read_body {
            builder = builder.timeout(self.timeout);
        }
        if let Some(body) = &req.body {
            builder = builder
                .header(CONTENT_TYPE, "application/json")
                .body(serde_json::to_vec(body).unwrap_or_default());
        }
        let mut resp = builder.send().await?;
        let status = resp.status().as_u16();
        let request_id = resp
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        // Every body is read under the request timeout as a whole, counted
        // from the start of the attempt (reqwest's own total timeout covers
        // `read_body` requests too; this also bounds streaming error bodies).
        let deadline = tokio::time::Instant::from_std(started + self.timeout);
        if !resp.status().is_success() {
            let headers = resp.headers().clone();
            let read = read_capped(&mut resp, MAX_ERROR_BODY, false);
            let Ok(body) = tokio::time::timeout_at(deadline, read).await else {
                return Ok(Attempt::BodyTimedOut { status });
            };
            let body = body?.unwrap_or_default();
            return Ok(Attempt::Failed {
                status,
                request_id,
                headers,
                body,
            });
        }
        if !read_body {
            let head = ApiResponse {
                status,
                request_id,
                body: Bytes::new(),
            };
            return Ok(Attempt::Done(head, Some(resp)));
        }
        let read = read_capped(&mut resp, MAX_JSON_BODY, true);
        let Ok(body) = tokio::time::timeout_at(deadline, read).await else {
            return Ok(Attempt::BodyTimedOut { status });
        };
        let Some(body) = body? else {
            return Ok(Attempt::TooLarge { request_id });
        };
        Ok(Attempt::Done(
            ApiResponse {
                status,
                request_id,
                body,
            },
            None,
        ))
    }
}

enum Attempt {
    Done(ApiResponse, Option<reqwest::Response>),
    Failed {
        status: u16,
        request_id: Option<String>,
        headers: HeaderMap,
        body: Bytes,
    },
    TooLarge {
        request_id: Option<String>,
    },
    /// Headers came, the body did not finish within the request timeout.
    BodyTimedOut {
        status: u16,
    },
}

/// Read the body up to `cap` bytes. `Ok(None)` when larger (and `strict`);
/// otherwise the first `cap` bytes.
async fn read_capped(
    resp: &mut reqwest::Response,
    cap: usize,
    strict: bool,
) -> Result<Option<Bytes>, reqwest::Error> {
    if strict && resp.content_length().is_some_and(|n| n as usize > cap) {
        return Ok(None);
    }
    // Grow by doubling, never past the cap: the cap bounds memory, not
    // just what is kept (a declared length is only a hint, capped too).
    let initial = resp
        .content_length()
        .map_or(8 * 1024, |n| n.min(cap as u64) as usize);
    let mut buf: Vec<u8> = Vec::with_capacity(initial);
    while let Some(chunk) = resp.chunk().await? {
        if buf.len() + chunk.len() > cap {
            if strict {
                return Ok(None);
            }
            buf.extend_from_slice(&chunk[..cap - buf.len()]);
            break;
        }
        let needed = buf.len() + chunk.len();
        if buf.capacity() < needed {
            let target = (buf.capacity() * 2).max(needed).min(cap);
            buf.reserve_exact(target - buf.len());
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(Some(Bytes::from(buf)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_keep_unreserved_characters() {
        let client = Client::new(
            "https://h/p/v1/",
            "k",
            Duration::from_secs(1),
            Log::default(),
            None,
        )
        .unwrap();
        let req = ApiRequest::get("/management/agents")
            .query("limit", Some(5))
            .query("after", Some("agt_7Hq2-x.y~z"));
        assert_eq!(
            client.url(&req),
            "https://h/p/v1/management/agents?limit=5&after=agt_7Hq2-x.y~z"
        );
        let req = ApiRequest::get("/x").query("after", Some("a b&c=d/é"));
        assert_eq!(
            client.url(&req),
            "https://h/p/v1/x?after=a%20b%26c%3Dd%2F%C3%A9"
        );
    }
}

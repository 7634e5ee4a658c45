//! Turning non-2xx responses (the router's envelope, or whatever a proxy
//! sent: HTML, text, nothing) and transport failures into one clear line.

use std::time::{Duration, SystemTime};

use crate::error::{ApiError, CliError, ExitCode};
use crate::output::redact;
use crate::output::time::{self, DurationStyle};

use super::models::ErrorEnvelope;

/// Build the error for a non-success response.
pub fn from_response(status: u16, request_id: Option<String>, body: &[u8]) -> CliError {
    let (message, code) = match serde_json::from_slice::<ErrorEnvelope>(body) {
        Ok(envelope) => {
            let e = envelope.error;
            let mut message = e
                .message
                .filter(|m| !m.trim().is_empty())
                .unwrap_or_else(|| format!("the router answered HTTP {status}"));
            if let Some(param) = e.param.as_deref().filter(|p| !p.is_empty()) {
                if !message.contains(param) {
                    message.push_str(&format!(" (parameter `{param}`)"));
                }
            }
            (message, e.code.filter(|c| !c.is_empty()))
        }
        Err(_) => (describe_foreign_body(status, body), None),
    };
    let hint = hint_for(status, code.as_deref(), &message);
    let api = ApiError {
        status,
        code,
        request_id,
    };
    let err = CliError::from_api(ExitCode::for_status(status), message, Some(api));
    match hint {
        Some(hint) => err.with_hint(hint),
        None => err,
    }
}

/// A 2xx whose body is not what the endpoint promises.
pub fn unexpected_body(
    status: u16,
    request_id: Option<String>,
    body: &[u8],
    detail: &str,
) -> CliError {
    // A 200 that carries an error envelope is still an error.
    if let Ok(envelope) = serde_json::from_slice::<ErrorEnvelope>(body) {
        let err = from_response(status, request_id, body);
        let message = match envelope.error.message {
            Some(message) => format!("the router answered {status} with an error: {message}"),
            None => err.message().to_string(),
        };
        return CliError::from_api(ExitCode::Failure, message, err.api().cloned())
            .with_hints(err.hints().to_vec());
    }
    let what = if body.is_empty() {
        "an empty body".to_string()
    } else if looks_like_html(body) {
        "an HTML page instead of JSON".to_string()
    } else {
        format!("a response it could not read ({detail})")
    };
    let api = ApiError {
        status,
        code: None,
        request_id,
    };
    CliError::from_api(ExitCode::Failure, format!("the router sent {what}"), Some(api))
        .with_hint("check that --base-url points at a Xerotier router (…/<project>/v1); retry with -v to see the requests")
}

fn looks_like_html(body: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
    let head = head.trim_start();
    head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<body")
}

/// One line about a body that is not the router's JSON envelope.
fn describe_foreign_body(status: u16, body: &[u8]) -> String {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map(|r| format!(" {r}"))
        .unwrap_or_default();
    let head = format!("HTTP {status}{reason}");
    // Secrets go first, over everything read, before any cut (even this
    // one at 4 KiB) could split one and leave part of it unrecognised.
    let whole = String::from_utf8_lossy(body);
    let scrubbed = redact::scrub(&whole);
    let text: String = scrubbed.chars().take(4096).collect();
    if text.trim().is_empty() {
        return format!("{head} with an empty body");
    }
    if looks_like_html(body) {
        let title = extract_title(&text)
            .map(|t| format!(": \"{t}\""))
            .unwrap_or_default();
        return format!(
            "{head} (an HTML page, probably from a proxy in front of the router{title})"
        );
    }
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    format!("{head}: {}", redact::shorten(first_line.trim(), 160))
}

fn extract_title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<title>")? + "<title>".len();
    let end = start + lower[start..].find("</title>")?;
    let title = html.get(start..end)?.trim();
    (!title.is_empty()).then(|| redact::shorten(title, 120))
}

/// The router's answer to a path it has no route for (a base URL without
/// `/v1` sends `GET /<project>/management/agents`).
fn no_such_endpoint(status: u16, code: Option<&str>, message: &str) -> bool {
    status == 404
        && matches!(code, None | Some("not_found"))
        && message.starts_with("No such endpoint")
}

fn hint_for(status: u16, code: Option<&str>, message: &str) -> Option<String> {
    if no_such_endpoint(status, code, message) {
        return Some(
            "the base URL must end in /v1: --base-url https://…/<project>/v1, or save it with `xeroctl config add`"
                .to_string(),
        );
    }
    let hint = match (status, code) {
        (401, _) => "check the API key: `xeroctl status` shows which key is in use (--api-key, XEROCTL_API_KEY or `xeroctl config add`)",
        (403, Some("cross_project_access")) => "the key belongs to another project than the one in --base-url (…/<project>/v1)",
        (403, _) => "this key lacks a scope the command needs (management for agents, execution for exec and approvals); `xeroctl status` shows the key's scopes",
        (404, Some("agent_not_found")) => "list agents with `xeroctl agents`",
        (404, Some("join_key_not_found")) => "list join keys with `xeroctl agents join-keys`",
        (_, Some("exec_tool_not_found")) => "list tools with `xeroctl exec tools`",
        (404, Some("invocation_not_found")) => "check the invocation id printed by `xeroctl exec invoke`",
        (404, Some("execution_not_found")) => "list executions with `xeroctl exec list`",
        (404, Some("approval_not_found")) => "list approvals with `xeroctl approvals list`",
        (404, Some("workspace_not_found")) => "check the --workspace id (ws_…)",
        (404, Some("project_not_found")) => "check the project in --base-url (…/<project>/v1)",
        (404, None) => "check --base-url: it should end in /<project>/v1",
        (409, Some("execution_not_complete")) => "the execution is still running: wait for it with `xeroctl exec watch <invocation-id>`",
        (429, _) => "the router is rate limiting this key; wait a little and retry",
        (503, Some("tool_executor_unavailable")) => "no XEM agent is online for this workspace; check `xeroctl agents` and retry",
        (500..=599, _) => "the router failed; retry later and quote the request id to support if it persists",
        _ => return None,
    };
    Some(hint.to_string())
}

/// Parse `Retry-After`: delay-seconds or an HTTP date.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = value.parse::<f64>() {
        if secs.is_finite() && secs >= 0.0 {
            return Some(Duration::from_secs_f64(secs.min(1e9)));
        }
        return None;
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// `host:port` of a URL, for messages.
pub(crate) fn host_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .map(|u| match (u.host_str(), u.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            _ => url.to_string(),
        })
        .unwrap_or_else(|| url.to_string())
}

const TIMEOUT_HINT: &str = "the router did not answer in time; retry, or raise --request-timeout";

/// The request (headers or body) did not complete within the timeout.
pub fn timed_out(url: &str, timeout: Duration) -> CliError {
    CliError::network(format!(
        "the request to {} timed out after {}",
        host_of(url),
        time::duration(timeout, DurationStyle::Seconds)
    ))
    .with_hint(TIMEOUT_HINT)
}

/// Describe a transport failure (no HTTP response) for the user.
pub fn from_transport(err: &reqwest::Error, url: &str, timeout: Duration) -> CliError {
    if err.is_timeout() {
        return timed_out(url, timeout);
    }
    let host = host_of(url);
    let chain = source_chain(err);
    let lower = chain.to_ascii_lowercase();
    let message = if lower.contains("dns error") || lower.contains("failed to lookup address") {
        format!("could not resolve host {host} (DNS lookup failed)")
    } else if lower.contains("connection refused") {
        format!("could not connect to {host}: connection refused")
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake")
    {
        format!("TLS error talking to {host}: {}", last_cause(err))
    } else if err.is_connect() {
        format!("could not connect to {host}: {}", last_cause(err))
    } else {
        format!("the connection to {host} failed: {}", last_cause(err))
    };
    CliError::network(message)
        .with_hint("check the network and --base-url; `xeroctl status` tests the connection")
}

fn source_chain(err: &reqwest::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

fn last_cause(err: &reqwest::Error) -> String {
    let mut last: &dyn std::error::Error = err;
    while let Some(s) = last.source() {
        last = s;
    }
    last.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_with_param() {
        let body = br#"{"error":{"message":"Invalid cursor","type":"invalid_request_error","code":"validation_error","param":"after"}}"#;
        let e = from_response(400, Some("req_9".into()), body);
        assert_eq!(e.exit(), ExitCode::Usage);
        assert_eq!(
            e.to_string(),
            "Invalid cursor (parameter `after`) (validation_error, request id req_9)"
        );
    }

    #[test]
    fn html_text_and_empty_bodies() {
        let e = from_response(
            502,
            None,
            b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
        );
        assert!(e.message().contains("HTML page"), "{}", e.message());
        assert!(e.message().contains("502 Bad Gateway"));
        assert_eq!(e.exit(), ExitCode::Failure);
        let e = from_response(503, Some("r".into()), b"");
        assert_eq!(
            e.to_string(),
            "HTTP 503 Service Unavailable with an empty body (HTTP 503, request id r)"
        );
        let e = from_response(500, None, b"upstream connect error\nmore");
        assert_eq!(
            e.message(),
            "HTTP 500 Internal Server Error: upstream connect error"
        );
        let e = from_response(404, None, br#"{"error":{}}"#);
        assert_eq!(e.exit(), ExitCode::NotFound);
    }

    #[test]
    fn hints_for_a_missing_v1_and_an_unknown_tool() {
        let body = br#"{"error":{"message":"No such endpoint: GET /demo/management/agents"}}"#;
        let e = from_response(404, None, body);
        assert_eq!(e.exit(), ExitCode::NotFound);
        assert!(e.hints()[0].contains("must end in /v1"), "{:?}", e.hints());
        assert!(e.hints()[0].contains("xeroctl config add"));
        // Any other 404 without a code keeps the generic hint.
        let e = from_response(404, None, br#"{"error":{"message":"gone"}}"#);
        assert!(!e.hints()[0].contains("must end in /v1"));
        // The router answers an unknown tool at invoke time with a 400.
        let body = br#"{"error":{"message":"Tool 'nope' not found","code":"exec_tool_not_found"}}"#;
        let e = from_response(400, None, body);
        assert_eq!(e.hints(), ["list tools with `xeroctl exec tools`"]);
    }

    #[test]
    fn ok_status_with_error_envelope_is_an_error() {
        let e = unexpected_body(200, None, br#"{"error":{"message":"nope","code":"x"}}"#, "");
        assert_eq!(e.exit(), ExitCode::Failure);
        assert!(e.message().contains("nope"));
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert_eq!(parse_retry_after("1", now), Some(Duration::from_secs(1)));
        assert_eq!(
            parse_retry_after("0.5", now),
            Some(Duration::from_millis(500))
        );
        let date = httpdate::fmt_http_date(now + Duration::from_secs(3));
        assert_eq!(parse_retry_after(&date, now), Some(Duration::from_secs(3)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(3));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }
}

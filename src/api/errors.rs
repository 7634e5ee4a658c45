//! Turning non-2xx responses (the router's envelope, or whatever a proxy
//! sent: HTML, text, nothing) and transport failures into one clear line.

use std::time::{Duration, SystemTime};

use crate::error::{ApiError, CliError, ExitCode};
use crate::output::redact;
use crate::output::time::{self, DurationStyle};

use super::models::ErrorEnvelope;

/// An error message from the router is cut to this many characters: the
/// body may be 64 KiB on one line, the message is one line of stderr.
const MAX_MESSAGE_CHARS: usize = 400;
/// `code`, `param` and the request id are short words; longer ones are cut.
const MAX_WORD_CHARS: usize = 80;

/// Build the error for a non-success response. Everything taken from the
/// response is scrubbed of known secrets and cut to one short line here,
/// whoever prints it.
pub fn from_response(status: u16, request_id: Option<String>, body: &[u8]) -> CliError {
    let word = |w: &str| redact::shorten(w, MAX_WORD_CHARS);
    let (message, code) = match serde_json::from_slice::<ErrorEnvelope>(body) {
        Ok(envelope) => {
            let e = envelope.error;
            let mut message = e
                .message
                .filter(|m| !m.trim().is_empty())
                .map(|m| redact::shorten(m.trim(), MAX_MESSAGE_CHARS))
                .unwrap_or_else(|| format!("the router answered HTTP {status}"));
            if let Some(param) = e.param.as_deref().filter(|p| !p.is_empty()) {
                if !message.contains(param) {
                    message.push_str(&format!(" (parameter `{}`)", word(param)));
                }
            }
            (message, e.code.filter(|c| !c.is_empty()).map(|c| word(&c)))
        }
        Err(_) => (describe_foreign_body(status, body), None),
    };
    let request_id = request_id.map(|id| word(&id));
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
            Some(message) => format!(
                "the router answered {status} with an error: {}",
                redact::shorten(&message, MAX_MESSAGE_CHARS)
            ),
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
    let message = if names_dns_failure(&lower) {
        format!("could not resolve host {host} (DNS lookup failed)")
    } else if lower.contains("connection refused") {
        format!("could not connect to {host}: connection refused")
    } else if super::trust::is_tls_failure(err) || names_tls_failure(&lower) {
        format!("TLS error talking to {host}: {}", last_cause(err))
    } else if err.is_connect() {
        format!("could not connect to {host}: {}", last_cause(err))
    } else {
        format!("the connection to {host} failed: {}", last_cause(err))
    };
    CliError::network(message)
        .with_hint("check the network and --base-url; `xeroctl status` tests the connection")
}

/// The words of a failed name lookup in reqwest's error chain (lowercased).
fn names_dns_failure(chain: &str) -> bool {
    chain.contains("dns error") || chain.contains("failed to lookup address")
}

/// The words of a TLS failure that is not a rustls error (hyper's
/// "tls handshake eof", a proxy's certificate complaint).
fn names_tls_failure(chain: &str) -> bool {
    chain.contains("certificate") || chain.contains("tls") || chain.contains("handshake")
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
    fn a_parameter_already_named_is_not_repeated() {
        let body = br#"{"error":{"message":"after: unknown cursor","code":"validation_error","param":"after"}}"#;
        assert_eq!(
            from_response(400, None, body).message(),
            "after: unknown cursor"
        );
        // Empty message, code and param count as missing.
        let e = from_response(
            409,
            None,
            br#"{"error":{"message":" ","code":"","param":""}}"#,
        );
        assert_eq!(e.to_string(), "the router answered HTTP 409 (HTTP 409)");
    }

    #[test]
    fn every_hint_by_status_and_code() {
        let hint = |status: u16, code: Option<&str>| {
            let body = match code {
                Some(c) => format!(r#"{{"error":{{"message":"m","code":"{c}"}}}}"#),
                None => r#"{"error":{"message":"m"}}"#.to_string(),
            };
            from_response(status, None, body.as_bytes())
                .hints()
                .first()
                .cloned()
                .unwrap_or_default()
        };
        let cases = [
            (401, Some("invalid_api_key"), "check the API key"),
            (401, None, "check the API key"),
            (
                403,
                Some("cross_project_access"),
                "the key belongs to another project",
            ),
            (403, Some("insufficient_scope"), "this key lacks a scope"),
            (404, Some("agent_not_found"), "list agents with"),
            (404, Some("join_key_not_found"), "list join keys with"),
            (404, Some("exec_tool_not_found"), "list tools with"),
            (404, Some("invocation_not_found"), "check the invocation id"),
            (404, Some("execution_not_found"), "list executions with"),
            (404, Some("approval_not_found"), "list approvals with"),
            (404, Some("workspace_not_found"), "check the --workspace id"),
            (
                404,
                Some("project_not_found"),
                "check the project in --base-url",
            ),
            (
                404,
                None,
                "check --base-url: it should end in /<project>/v1",
            ),
            (
                409,
                Some("execution_not_complete"),
                "the execution is still running",
            ),
            (429, Some("rate_limited"), "the router is rate limiting"),
            (
                503,
                Some("tool_executor_unavailable"),
                "no XEM agent is online",
            ),
            (503, Some("maintenance"), "the router failed"),
            (500, None, "the router failed"),
            (599, None, "the router failed"),
            (400, Some("validation_error"), ""),
            (404, Some("other_not_found"), ""),
            (409, Some("conflict"), ""),
            (600, None, ""),
        ];
        for (status, code, want) in cases {
            let got = hint(status, code);
            assert!(
                got.starts_with(want) && (want.is_empty() == got.is_empty()),
                "{status} {code:?}: {got:?}"
            );
        }
    }

    #[test]
    fn html_is_told_by_doctype_html_or_body() {
        for page in [
            &b"  <!DOCTYPE html><p>down</p>"[..],
            b"<HTML>down</HTML>",
            b"<p>x</p><body>down</body>",
        ] {
            let e = from_response(502, None, page);
            assert!(e.message().contains("an HTML page"), "{}", e.message());
        }
        let e = from_response(502, None, b"a <b>bold</b> plain answer");
        assert_eq!(
            e.message(),
            "HTTP 502 Bad Gateway: a <b>bold</b> plain answer"
        );
        let e = unexpected_body(200, None, b"<html><title>Login</title></html>", "x");
        assert_eq!(e.message(), "the router sent an HTML page instead of JSON");
        let e = unexpected_body(200, None, b"", "x");
        assert_eq!(e.message(), "the router sent an empty body");
        let e = unexpected_body(200, None, b"[1]", "expected an object");
        assert_eq!(
            e.message(),
            "the router sent a response it could not read (expected an object)"
        );
    }

    #[test]
    fn an_html_title_is_quoted_exactly() {
        let e = from_response(
            503,
            None,
            b"<html><head><TITLE> Maintenance </TITLE></head><body>x</body></html>",
        );
        assert_eq!(
            e.message(),
            "HTTP 503 Service Unavailable (an HTML page, probably from a proxy in front of the router: \"Maintenance\")"
        );
        // An empty title or none: no quote.
        for page in [
            &b"<html><title> </title></html>"[..],
            b"<html><body>x</body></html>",
        ] {
            let e = from_response(503, None, page);
            assert_eq!(
                e.message(),
                "HTTP 503 Service Unavailable (an HTML page, probably from a proxy in front of the router)"
            );
        }
    }

    #[test]
    fn what_comes_from_the_body_is_short_and_hides_secrets() {
        let secret = "xero_p_errorbodysecret0123456789";
        redact::register(secret);
        let long = "x".repeat(10_000);
        let body = serde_json::json!({"error": {
            "message": format!("bad key {secret} {long}"),
            "code": format!("c{long}"),
            "param": format!("p{secret}{long}"),
        }})
        .to_string();
        let e = from_response(400, Some(format!("req_{secret}{long}")), body.as_bytes());
        let text = format!("{e} {:?}", e.hints());
        assert!(!text.contains(secret), "{text}");
        assert!(text.len() < 1_000, "{} bytes", text.len());
        assert!(
            e.message().starts_with("bad key [redacted] xxx"),
            "{}",
            e.message()
        );
        let e = unexpected_body(200, None, body.as_bytes(), "x");
        assert!(!e.to_string().contains(secret));
        assert!(e.to_string().len() < 1_000);
    }

    #[test]
    fn timeouts_and_hosts_in_messages() {
        assert_eq!(host_of("https://h.example:8443/p/v1"), "h.example:8443");
        assert_eq!(host_of("https://h.example/p/v1"), "h.example");
        assert_eq!(host_of("not a url"), "not a url");
        let e = timed_out("https://h.example:8443/p/v1", Duration::from_millis(2500));
        assert_eq!(e.exit(), ExitCode::Network);
        assert_eq!(
            e.message(),
            "the request to h.example:8443 timed out after 2.5s"
        );
        assert_eq!(e.hints(), [TIMEOUT_HINT]);
    }

    #[test]
    fn dns_and_tls_failures_are_told_by_any_of_their_words() {
        for chain in ["dns error: x", "failed to lookup address information"] {
            assert!(names_dns_failure(chain), "{chain}");
        }
        for chain in [
            "invalid peer certificate",
            "tls handshake eof",
            "tls: eof",
            "handshake failure",
        ] {
            assert!(names_tls_failure(chain), "{chain}");
        }
        for chain in ["connection reset by peer", "operation timed out"] {
            assert!(
                !names_dns_failure(chain) && !names_tls_failure(chain),
                "{chain}"
            );
        }
    }

    #[tokio::test]
    async fn transport_failures_are_worded_by_cause() {
        // A port nothing listens on: refused.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("http://127.0.0.1:{port}/p/v1");
        let err = reqwest::get(&url).await.unwrap_err();
        let e = from_transport(&err, &url, Duration::from_secs(5));
        assert_eq!(e.exit(), ExitCode::Network);
        assert_eq!(
            e.message(),
            format!("could not connect to 127.0.0.1:{port}: connection refused")
        );
        assert!(e.hints()[0].contains("xeroctl status"));
        // TLS spoken to a server that answers plain HTTP.
        let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = server.local_addr().unwrap().port();
        std::thread::spawn(move || {
            use std::io::{Read, Write};
            if let Ok((mut s, _)) = server.accept() {
                let mut buf = [0u8; 1024];
                let _ = s.read(&mut buf);
                let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n");
            }
        });
        let url = format!("https://127.0.0.1:{port}/p/v1");
        let err = reqwest::get(&url).await.unwrap_err();
        let e = from_transport(&err, &url, Duration::from_secs(5));
        let cause = last_cause(&err);
        assert!(!cause.is_empty());
        assert_eq!(
            e.message(),
            format!("TLS error talking to 127.0.0.1:{port}: {cause}")
        );
        assert!(
            source_chain(&err).ends_with(&cause),
            "{}",
            source_chain(&err)
        );
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

//! How the HTTP client reaches the router (spec/cli.md, "Hostile routers
//! and shared machines" and "Transport"): which redirects it follows and
//! whether a proxy carries its requests.

use std::fmt;

use reqwest::redirect::Policy;
use reqwest::Url;

use crate::config::resolve::is_loopback;
use crate::error::CliError;

use super::log::Log;

/// Same-origin redirects followed for one request, at most.
pub const MAX_REDIRECTS: usize = 5;

/// Why a redirect was not followed; carried inside reqwest's error.
#[derive(Debug)]
struct RedirectRefused(String);

impl fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RedirectRefused {}

/// Scheme, host and port (the port the scheme implies when none is given).
fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host() == b.host()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Follow a redirect only within the origin of the request (the key goes
/// along with it), never back to a URL already visited, and at most
/// [`MAX_REDIRECTS`] times. Every redirect is logged (`-v`).
pub fn redirect_policy(log: Log) -> Policy {
    Policy::custom(move |attempt| {
        let next = attempt.url().clone();
        log.line(&format!("< {} → {next}", attempt.status().as_u16()));
        let previous = attempt.previous();
        let refuse = |why: String| RedirectRefused(why);
        let why = match previous.first() {
            Some(origin) if !same_origin(origin, &next) => refuse(format!(
                "the router redirected to {next}, another origin (scheme, host or port) than {}; not following it",
                origin.origin().ascii_serialization()
            )),
            _ if previous.contains(&next) => {
                refuse(format!("redirect loop: the router sent the request back to {next}"))
            }
            _ if previous.len() > MAX_REDIRECTS => refuse(format!(
                "too many redirects (more than {MAX_REDIRECTS}); the last one was to {next}"
            )),
            _ => return attempt.follow(),
        };
        attempt.error(why)
    })
}

/// The error for a redirect the policy refused, if `err` is one. Exit 1,
/// not 6: the network worked, the router answered with a redirect we will
/// not follow (and trying again would only get the same answer).
pub fn refused_redirect(err: &reqwest::Error) -> Option<CliError> {
    if !err.is_redirect() {
        return None;
    }
    let mut source = std::error::Error::source(err);
    let mut message = None;
    while let Some(s) = source {
        if let Some(refused) = s.downcast_ref::<RedirectRefused>() {
            message = Some(refused.0.clone());
            break;
        }
        source = s.source();
    }
    let message = message.unwrap_or_else(|| format!("the router's redirect failed: {err}"));
    Some(CliError::failure(message).with_hint(
        "check --base-url: if the router moved and you trust the new address, use that one",
    ))
}

/// How requests to `base_url` travel, decided once per client.
#[derive(Debug, Clone, Default)]
pub struct ProxyChoice {
    /// Build the client with `.no_proxy()`: loopback never goes through one.
    pub bypass: bool,
    /// The proxy for `-v` (credentials redacted), when one is used.
    pub shown: Option<String>,
    /// A `-v` note when a configured proxy is skipped for loopback.
    pub note: Option<String>,
}

/// Decide with the same environment lookup reqwest does (`HTTPS_PROXY`,
/// `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, upper or lower case).
pub fn proxy_choice(base_url: &str) -> ProxyChoice {
    let Ok(url) = Url::parse(base_url) else {
        return ProxyChoice::default();
    };
    let proxy = env_proxy_for(&url);
    let host = url.host_str().unwrap_or("");
    if is_loopback(host) {
        return ProxyChoice {
            bypass: true,
            shown: None,
            note: proxy.map(|p| format!("  not using the proxy for loopback host {host} ({p})")),
        };
    }
    ProxyChoice {
        bypass: false,
        shown: proxy,
        note: None,
    }
}

/// The proxy reqwest would pick for `url`, credentials redacted.
fn env_proxy_for(url: &Url) -> Option<String> {
    let uri: http::Uri = url.as_str().parse().ok()?;
    let matcher = hyper_util::client::proxy::matcher::Matcher::from_system();
    let intercept = matcher.intercept(&uri)?;
    let shown = intercept.uri().to_string();
    let has_auth = intercept.basic_auth().is_some() || intercept.raw_auth().is_some();
    Some(match shown.split_once("://") {
        Some((scheme, rest)) if has_auth => format!("{scheme}://[redacted]@{rest}"),
        _ => shown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(same_origin(&u("https://h/a"), &u("https://H:443/b")));
        assert!(!same_origin(&u("https://h:8443/a"), &u("http://h:8443/a")));
        assert!(!same_origin(&u("https://h/a"), &u("https://h:8443/a")));
        assert!(!same_origin(&u("https://h/a"), &u("https://g/a")));
    }
}

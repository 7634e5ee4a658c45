//! Which base URL and key a run uses, and where each came from.
//! Precedence: flag > environment > named context (`--context`,
//! `XEROCTL_CONTEXT`) > `current` context.

use std::fmt;
use std::net::IpAddr;

use crate::error::CliError;

use super::{keychain, ConfigFile, Deployment};

pub const ENV_BASE_URL: &str = "XEROCTL_BASE_URL";
pub const ENV_API_KEY: &str = "XEROCTL_API_KEY";
pub const ENV_CONTEXT: &str = "XEROCTL_CONTEXT";
pub const ENV_OUTPUT: &str = "XEROCTL_OUTPUT";

/// Where a setting came from (shown by `xeroctl status`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Flag,
    Env(&'static str),
    Context(String),
    Keychain(String),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag => f.write_str("flag"),
            Source::Env(name) => write!(f, "env {name}"),
            Source::Context(name) => write!(f, "context {name}"),
            Source::Keychain(entry) => write!(f, "keychain entry {entry}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Sourced<T> {
    pub value: T,
    pub source: Source,
}

/// The inputs of resolution, gathered once.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub flag_context: Option<String>,
    pub flag_base_url: Option<String>,
    pub flag_api_key: Option<String>,
    pub env_context: Option<String>,
    pub env_base_url: Option<String>,
    pub env_api_key: Option<String>,
    pub insecure_http: bool,
}

impl Inputs {
    /// Read the environment (empty variables count as unset).
    pub fn from_env(
        flag_context: Option<String>,
        flag_base_url: Option<String>,
        flag_api_key: Option<String>,
        insecure_http: bool,
    ) -> Inputs {
        Inputs {
            flag_context,
            flag_base_url,
            flag_api_key,
            env_context: env(ENV_CONTEXT),
            env_base_url: env(ENV_BASE_URL),
            env_api_key: env(ENV_API_KEY),
            insecure_http,
        }
    }

    /// The config file is needed unless flags/env give both URL and key
    /// and no context was named.
    pub fn needs_config(&self) -> bool {
        let url = self.flag_base_url.is_some() || self.env_base_url.is_some();
        let key = self.flag_api_key.is_some() || self.env_api_key.is_some();
        !(url && key) || self.named_context().is_some()
    }

    /// `--context`, else `XEROCTL_CONTEXT`.
    pub fn named_context(&self) -> Option<Sourced<String>> {
        pick(&self.flag_context, &self.env_context, ENV_CONTEXT)
    }
}

pub fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn pick(
    flag: &Option<String>,
    env: &Option<String>,
    env_name: &'static str,
) -> Option<Sourced<String>> {
    if let Some(v) = flag {
        return Some(Sourced {
            value: v.clone(),
            source: Source::Flag,
        });
    }
    env.as_ref().map(|v| Sourced {
        value: v.clone(),
        source: Source::Env(env_name),
    })
}

/// The resolved connection settings.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The context consulted, if any.
    pub context: Option<Sourced<String>>,
    pub base_url: Sourced<String>,
    pub api_key: Sourced<String>,
}

/// The context a run uses: the named one (must exist) or `current`.
pub fn select_context<'a>(
    inputs: &Inputs,
    config: Option<&'a ConfigFile>,
) -> Result<Option<(Sourced<String>, &'a Deployment)>, CliError> {
    if let Some(named) = inputs.named_context() {
        let Some(config) = config else {
            return Err(CliError::config(format!(
                "unknown context '{}': no config file exists yet",
                named.value
            ))
            .with_hint(add_hint()));
        };
        return match config.deployments.get(&named.value) {
            Some(d) => Ok(Some((named, d))),
            None => Err(unknown_context(&named.value, config)),
        };
    }
    let Some(config) = config else {
        return Ok(None);
    };
    let Some(current) = &config.current else {
        return Ok(None);
    };
    match config.deployments.get(current) {
        Some(d) => Ok(Some((
            Sourced {
                value: current.clone(),
                source: Source::Context(current.clone()),
            },
            d,
        ))),
        None => Err(CliError::config(format!(
            "the current context '{current}' is not defined in {}",
            config.path.display()
        ))
        .with_hint(
            "pick another with `xeroctl config use <name>`, or add it with `xeroctl config add`",
        )),
    }
}

fn unknown_context(name: &str, config: &ConfigFile) -> CliError {
    let known = config.names();
    let known = if known.is_empty() {
        "none are defined".to_string()
    } else {
        format!("known: {}", known.join(", "))
    };
    CliError::config(format!("unknown context '{name}' ({known})"))
        .with_hint("list contexts with `xeroctl config list`, or add one with `xeroctl config add`")
}

pub fn add_hint() -> String {
    format!(
        "run `xeroctl config add <name> --base-url https://api.xerotier.ai/<project>/v1 --api-key-stdin`, or set {ENV_BASE_URL} and {ENV_API_KEY}"
    )
}

/// Resolve base URL and key. `config` is `None` when there is no file.
pub fn credentials(inputs: &Inputs, config: Option<&ConfigFile>) -> Result<Credentials, CliError> {
    let selected = select_context(inputs, config)?;
    let context_name = selected.as_ref().map(|(n, _)| n.clone());
    let deployment = selected.as_ref().map(|(_, d)| *d);
    let ctx_source = || {
        Source::Context(
            context_name
                .as_ref()
                .map(|c| c.value.clone())
                .unwrap_or_default(),
        )
    };

    let base_url = pick(&inputs.flag_base_url, &inputs.env_base_url, ENV_BASE_URL)
        .or_else(|| {
            deployment
                .and_then(|d| d.base_url.clone())
                .map(|value| Sourced {
                    value,
                    source: ctx_source(),
                })
        })
        .ok_or_else(|| missing("no base URL is configured"))?;
    let base_url = Sourced {
        value: check_base_url(&base_url.value, inputs.insecure_http)?,
        ..base_url
    };

    let api_key = match pick(&inputs.flag_api_key, &inputs.env_api_key, ENV_API_KEY) {
        Some(k) => k,
        None => match deployment {
            Some(Deployment {
                api_key: Some(key), ..
            }) if !key.trim().is_empty() => Sourced {
                value: key.trim().to_string(),
                source: ctx_source(),
            },
            Some(Deployment {
                api_key_keychain: Some(entry),
                ..
            }) => Sourced {
                value: keychain::read_key(entry)?,
                source: Source::Keychain(entry.clone()),
            },
            _ => return Err(missing("no API key is configured")),
        },
    };
    if api_key.value.chars().any(|c| c.is_control() || c == ' ') {
        return Err(CliError::config(format!(
            "the API key from {} contains spaces or control characters",
            api_key.source
        ))
        .with_hint("keys look like xero_<project>_<token>; check for a stray newline or quote"));
    }
    Ok(Credentials {
        context: context_name,
        base_url,
        api_key,
    })
}

fn missing(what: &str) -> CliError {
    CliError::config(what.to_string()).with_hint(add_hint())
}

/// Validate a base URL: http(s), a host, and plain http only on loopback
/// (unless `--insecure-http`). Returns it with one trailing `/` trimmed.
pub fn check_base_url(raw: &str, insecure_http: bool) -> Result<String, CliError> {
    let url = reqwest::Url::parse(raw.trim()).map_err(|e| {
        CliError::config(format!(
            "the base URL '{}' is not a valid URL ({e})",
            crate::output::redact::userinfo(raw)
        ))
        .with_hint("it looks like https://api.xerotier.ai/<project>/v1")
    })?;
    let host = url.host_str().unwrap_or("");
    if host.is_empty() || !matches!(url.scheme(), "http" | "https") {
        return Err(CliError::config(format!(
            "the base URL '{}' must be an http(s) URL with a host",
            crate::output::redact::userinfo(raw)
        ))
        .with_hint("it looks like https://api.xerotier.ai/<project>/v1"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Never echo it: the password part is a secret.
        let mut shown = url.clone();
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        return Err(CliError::config(format!(
            "the base URL {shown} carries a user name or password; xeroctl would print it in logs and dry runs"
        ))
        .with_hint("remove the user:password@ part; the API key goes in --api-key, XEROCTL_API_KEY or the config file"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(CliError::config(format!(
            "the base URL '{raw}' must not have a query or fragment"
        )));
    }
    if url.scheme() == "http" && !insecure_http && !is_loopback(host) {
        return Err(CliError::usage(format!(
            "refusing plain http:// to {host}: the API key would travel in clear text"
        ))
        .with_hint("use https://, or pass --insecure-http if you really mean it"));
    }
    Ok(raw
        .trim()
        .strip_suffix('/')
        .unwrap_or(raw.trim())
        .to_string())
}

/// The stricter check for a URL being saved (`config add`, `config init`):
/// everything [`check_base_url`] checks, and a path ending in `/v1`. Any
/// problem is a usage error (exit 2).
pub fn check_new_base_url(raw: &str, insecure_http: bool) -> Result<String, CliError> {
    let url = check_base_url(raw, insecure_http).map_err(|e| {
        e.restated(crate::error::ExitCode::Usage, e.message())
            .with_hints(e.hints().to_vec())
    })?;
    let path = reqwest::Url::parse(&url)
        .map(|u| u.path().trim_end_matches('/').to_string())
        .unwrap_or_default();
    if !path.ends_with("/v1") {
        return Err(CliError::usage(format!(
            "the base URL '{}' must end in /v1 (the project-scoped API root)",
            raw.trim()
        ))
        .with_hint("it looks like https://api.xerotier.ai/<project>/v1"));
    }
    Ok(url)
}

/// The project of a base URL: the path segment before `/v1`.
pub fn project_of(base_url: &str) -> Option<String> {
    let url = reqwest::Url::parse(base_url).ok()?;
    let mut segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    if segments.pop()? != "v1" {
        return None;
    }
    segments.pop().map(str::to_string)
}

/// `127.0.0.0/8`, `::1` and `localhost`.
pub fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if bare.eq_ignore_ascii_case("localhost") {
        return true;
    }
    bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Show a key without revealing it: `xero_demo_…c0de` (never more than 4
/// characters of the secret part).
pub fn redact_key(key: &str) -> String {
    let visible_prefix = key
        .rsplit_once('_')
        .map(|(prefix, _)| format!("{prefix}_"))
        .filter(|p| p.len() < key.len() / 2 + 8)
        .unwrap_or_default();
    let tail: String = if key.len() >= 24 {
        key.chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect()
    } else {
        String::new()
    };
    format!("{visible_prefix}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn config(text: &str) -> ConfigFile {
        ConfigFile::parse(Path::new("/c.toml"), text).unwrap()
    }

    const FILE: &str = r#"current = "prod"
[deployment.prod]
base_url = "https://api.xerotier.ai/acme/v1/"
api_key = "xero_acme_prodkey"
[deployment.lab]
base_url = "http://127.0.0.1:8787/demo/v1"
api_key = "xero_demo_labkey"
"#;

    #[test]
    fn precedence_flag_env_named_current() {
        let c = config(FILE);
        let mut i = Inputs::default();
        let r = credentials(&i, Some(&c)).unwrap();
        assert_eq!(r.base_url.value, "https://api.xerotier.ai/acme/v1");
        assert_eq!(r.api_key.source, Source::Context("prod".into()));

        i.env_context = Some("lab".into());
        let r = credentials(&i, Some(&c)).unwrap();
        assert_eq!(r.api_key.value, "xero_demo_labkey");

        i.flag_context = Some("prod".into());
        assert_eq!(
            credentials(&i, Some(&c)).unwrap().api_key.value,
            "xero_acme_prodkey"
        );

        i.env_api_key = Some("xero_env_key".into());
        assert_eq!(
            credentials(&i, Some(&c)).unwrap().api_key.source,
            Source::Env(ENV_API_KEY)
        );
        i.flag_api_key = Some("xero_flag_key".into());
        let r = credentials(&i, Some(&c)).unwrap();
        assert_eq!(
            (r.api_key.value.as_str(), r.api_key.source),
            ("xero_flag_key", Source::Flag)
        );
    }

    #[test]
    fn unknown_context_and_missing_credentials_are_config_errors() {
        let c = config(FILE);
        let i = Inputs {
            flag_context: Some("nope".into()),
            ..Default::default()
        };
        let e = credentials(&i, Some(&c)).unwrap_err();
        assert_eq!(e.exit(), crate::error::ExitCode::Config);
        assert!(e.message().contains("known: lab, prod"));
        let e = credentials(&Inputs::default(), None).unwrap_err();
        assert_eq!(e.exit(), crate::error::ExitCode::Config);
        assert!(e.hints()[0].contains("xeroctl config add"));
    }

    #[test]
    fn plain_http_only_on_loopback() {
        assert!(check_base_url("http://127.0.0.1:8787/demo/v1", false).is_ok());
        assert!(check_base_url("http://localhost/demo/v1", false).is_ok());
        assert!(check_base_url("http://[::1]:80/demo/v1", false).is_ok());
        let e = check_base_url("http://api.example.com/demo/v1", false).unwrap_err();
        assert_eq!(e.exit(), crate::error::ExitCode::Usage);
        assert!(check_base_url("http://api.example.com/demo/v1", true).is_ok());
        assert!(check_base_url("ftp://x/v1", false).is_err());
        assert!(check_base_url("not a url", false).is_err());
    }

    #[test]
    fn new_urls_need_v1_and_report_usage_errors() {
        assert_eq!(
            check_new_base_url("https://api.xerotier.ai/acme/v1/", false).unwrap(),
            "https://api.xerotier.ai/acme/v1"
        );
        for bad in [
            "https://api.xerotier.ai/acme",
            "https://api.xerotier.ai/acme/v2",
            "http://api.example.com/acme/v1",
            "nope",
            "ftp://h/v1",
        ] {
            let e = check_new_base_url(bad, false).unwrap_err();
            assert_eq!(e.exit(), crate::error::ExitCode::Usage, "{bad}");
        }
        assert!(check_new_base_url("http://api.example.com/acme/v1", true).is_ok());
        assert_eq!(
            project_of("https://api.xerotier.ai/acme-prod/v1").as_deref(),
            Some("acme-prod")
        );
        assert_eq!(project_of("https://h/v1"), None);
        assert_eq!(project_of("https://h/a/v2"), None);
    }

    #[test]
    fn redaction_hides_the_secret() {
        let r = redact_key("xero_acme-prod_abcdefghijklmnopqrstuvwxyz");
        assert_eq!(r, "xero_acme-prod_…wxyz");
        assert_eq!(redact_key("short"), "…");
        assert!(!redact_key("xero_p_secretsecret").contains("secret"));
    }

    #[test]
    fn user_info_is_redacted_when_a_url_is_echoed() {
        let e = check_base_url("ftp://me:hunter22@h/p/v1", false).unwrap_err();
        assert!(
            e.message().contains("ftp://me:***@h/p/v1"),
            "{}",
            e.message()
        );
        let e = check_base_url("https://me:hunter22@h:99999/p/v1", false).unwrap_err();
        assert!(
            e.message().contains("https://me:***@h:99999"),
            "{}",
            e.message()
        );
    }

    #[test]
    fn credentials_in_the_url_are_refused_without_echoing_them() {
        for url in ["https://me:hunter22@h/p/v1", "https://me@h/p/v1"] {
            let e = check_base_url(url, false).unwrap_err();
            assert_eq!(e.exit(), crate::error::ExitCode::Config, "{url}");
            assert!(
                !e.message().contains("hunter22") && !e.message().contains("me@"),
                "{}",
                e.message()
            );
            assert!(e.message().contains("https://h/p/v1"), "{}", e.message());
        }
    }
}

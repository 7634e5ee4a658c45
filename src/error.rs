//! Errors the program branches on: each maps to one exit code of the
//! contract (docs/spec/cli.md, "Exit codes"). Everything else travels as
//! `anyhow::Error` with context and exits 1.

use std::fmt;

use crate::output::sanitize::sanitize_line;

/// Process exit codes, as documented in the README and `xeroctl help exit-codes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    Success = 0,
    Failure = 1,
    Usage = 2,
    Config = 3,
    NotFound = 4,
    Conflict = 5,
    Network = 6,
    WatchFailed = 7,
    WatchDeadline = 8,
    Interrupted = 130,
}

impl ExitCode {
    /// Every exit code, in the order `xeroctl help exit-codes` lists them.
    pub const ALL: [ExitCode; 10] = [
        ExitCode::Success,
        ExitCode::Failure,
        ExitCode::Usage,
        ExitCode::Config,
        ExitCode::NotFound,
        ExitCode::Conflict,
        ExitCode::Network,
        ExitCode::WatchFailed,
        ExitCode::WatchDeadline,
        ExitCode::Interrupted,
    ];

    pub fn code(self) -> i32 {
        self as i32
    }

    /// What the code means: the row of the contract's table (docs/spec/cli.md).
    pub fn meaning(self) -> &'static str {
        match self {
            ExitCode::Success => {
                "success (also: invoke that ended in `pending_approval` without `--wait`)"
            }
            ExitCode::Failure => "any other failure (server 5xx, unreadable response, I/O)",
            ExitCode::Usage => "usage: bad flags or values, invalid JSON args, refused confirmation, a server 400/422 rejecting the request, plain HTTP off loopback",
            ExitCode::Config => "configuration or credentials: none configured, unknown context, malformed config, 401, 403 (also `status` when a scope is missing)",
            ExitCode::NotFound => "not found (404)",
            ExitCode::Conflict => "conflict (409)",
            ExitCode::Network => "network: cannot connect, DNS, TLS, request timed out, connection reset that outlasts the retries",
            ExitCode::WatchFailed => {
                "a watched invocation ended `failed`, `cancelled`, `rejected` or `timeout`"
            }
            ExitCode::WatchDeadline => "watch deadline reached before a terminal status",
            ExitCode::Interrupted => "interrupted (Ctrl+C)",
        }
    }

    /// The exit code for an HTTP error status from the router.
    pub fn for_status(status: u16) -> ExitCode {
        match status {
            400 | 422 => ExitCode::Usage,
            401 | 403 => ExitCode::Config,
            404 => ExitCode::NotFound,
            409 => ExitCode::Conflict,
            _ => ExitCode::Failure,
        }
    }
}

/// What the router said when it answered with an error: kept so callers
/// can branch on the stable `code` and users can quote the request id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    /// The API's stable `error.code`, when the router sent one.
    pub code: Option<String>,
    /// The router's `X-Request-ID`, for support.
    pub request_id: Option<String>,
}

/// The error every command returns when it knows which exit code applies.
/// Built whole by its constructors; read through its accessors.
#[derive(Debug, Clone)]
pub struct CliError {
    exit: ExitCode,
    /// What happened, one line.
    message: String,
    /// What to do about it, one line each.
    hints: Vec<String>,
    /// The router's answer, when there was one.
    api: Option<ApiError>,
}

impl CliError {
    pub fn new(exit: ExitCode, message: impl Into<String>) -> Self {
        CliError {
            exit,
            message: message.into(),
            hints: Vec::new(),
            api: None,
        }
    }

    /// An error about a router's answer (status, code, request id).
    pub fn from_api(exit: ExitCode, message: impl Into<String>, api: Option<ApiError>) -> Self {
        CliError {
            api,
            ..Self::new(exit, message)
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ExitCode::Usage, message)
    }

    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ExitCode::Config, message)
    }

    pub fn network(message: impl Into<String>) -> Self {
        Self::new(ExitCode::Network, message)
    }

    pub fn failure(message: impl Into<String>) -> Self {
        Self::new(ExitCode::Failure, message)
    }

    pub fn interrupted() -> Self {
        Self::new(ExitCode::Interrupted, "interrupted")
    }

    /// A new error about the same router answer (status, code, request id
    /// kept), with its own wording and no hints yet.
    pub fn restated(&self, exit: ExitCode, message: impl Into<String>) -> Self {
        Self::from_api(exit, message, self.api.clone())
    }

    /// Add a hint line (several are allowed, printed in order).
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Add hints, keeping the ones already there first.
    pub fn with_hints(mut self, hints: impl IntoIterator<Item = String>) -> Self {
        self.hints.extend(hints);
        self
    }

    pub fn exit(&self) -> ExitCode {
        self.exit
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn hints(&self) -> &[String] {
        &self.hints
    }

    pub fn api(&self) -> Option<&ApiError> {
        self.api.as_ref()
    }

    pub fn api_code(&self) -> Option<&str> {
        self.api.as_ref().and_then(|a| a.code.as_deref())
    }

    pub fn status(&self) -> Option<u16> {
        self.api.as_ref().map(|a| a.status)
    }

    pub fn request_id(&self) -> Option<&str> {
        self.api.as_ref().and_then(|a| a.request_id.as_deref())
    }

    /// Worth trying again (a watch poll, a stream reconnect): the network,
    /// rate limits and server errors; never auth, not-found or a bad body.
    pub fn is_transient(&self) -> bool {
        match self.status() {
            Some(429) => true,
            Some(status) => status >= 500,
            None => self.exit == ExitCode::Network,
        }
    }

    /// The parenthesised suffix of the error line: `(<code>, request id <id>)`.
    fn suffix(&self) -> Option<String> {
        let api = self.api.as_ref()?;
        let code = match &api.code {
            Some(code) => sanitize_line(code).into_owned(),
            None if api.status != 0 => format!("HTTP {}", api.status),
            None => String::new(),
        };
        let request = api
            .request_id
            .as_deref()
            .map(|id| format!("request id {}", sanitize_line(id)));
        match (code.is_empty(), request) {
            (false, Some(r)) => Some(format!("{code}, {r}")),
            (false, None) => Some(code),
            (true, Some(r)) => Some(r),
            (true, None) => None,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&sanitize_line(&self.message))?;
        if let Some(suffix) = self.suffix() {
            write!(f, " ({suffix})")?;
        }
        Ok(())
    }
}

impl std::error::Error for CliError {}

/// Shorthand for returning a usage error (exit 2) from a command.
#[macro_export]
macro_rules! usage_bail {
    ($($arg:tt)*) => {
        return Err($crate::error::CliError::usage(format!($($arg)*)).into())
    };
}

/// Find the exit code an error chain carries (default 1).
pub fn exit_code_of(err: &anyhow::Error) -> ExitCode {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<CliError>())
        .map(|e| e.exit)
        .unwrap_or(ExitCode::Failure)
}

/// True when the error is (or wraps) a write to a closed pipe: the reader
/// went away (`| head`), which is not a failure worth reporting.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Render an error as the one or two lines the contract prescribes.
pub fn render(err: &anyhow::Error) -> String {
    if let Some(cli) = err.chain().find_map(|c| c.downcast_ref::<CliError>()) {
        // Context added above the typed error still says what was being done.
        let mut line = String::new();
        for cause in err.chain() {
            if cause.downcast_ref::<CliError>().is_some() {
                break;
            }
            line.push_str(&sanitize_line(&cause.to_string()));
            line.push_str(": ");
        }
        line.push_str(&cli.to_string());
        let mut out = format!("error: {line}\n");
        for hint in &cli.hints {
            out.push_str(&format!("hint: {}\n", sanitize_line(hint)));
        }
        return out;
    }
    let chain: Vec<String> = err
        .chain()
        .map(|c| sanitize_line(&c.to_string()).into_owned())
        .collect();
    format!("error: {}\n", chain.join(": "))
}

/// Fold clap's multi-paragraph usage error (message, tip, possible values,
/// usage, "for more information") into the contract's `error:` line and
/// one `hint:` line. Input is clap's plain-text rendering; `command` is the
/// command path the user typed (`xeroctl approvals list`).
pub fn render_clap_usage(text: &str, command: &str) -> String {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let first = lines.next().unwrap_or("error: invalid arguments");
    let mut message = first
        .strip_prefix("error: ")
        .unwrap_or(first)
        .trim()
        .to_string();
    let mut hints = Vec::new();
    for line in lines {
        let trimmed = line.trim();
        if let Some(tip) = trimmed.strip_prefix("tip: ") {
            // "to pass '--x' as a value, use '-- --x'" helps nobody here.
            if !tip.starts_with("to pass") {
                hints.push(tip.to_string());
            }
        } else if let Some(values) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            hints.push(values.to_string());
        } else if line.starts_with(' ') && !trimmed.starts_with("xeroctl ") {
            // "the following required arguments were not provided:\n  <ID>"
            // (Usage lines, continued usage lines and "For more
            // information" are dropped: the hint names --help instead.)
            let sep = if message.ends_with(':') { " " } else { ", " };
            message.push_str(sep);
            message.push_str(trimmed);
        }
    }
    hints.push(format!("see `{command} --help`"));
    format!(
        "error: {}\nhint: {}\n",
        sanitize_line(&message),
        sanitize_line(&hints.join("; "))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_holds_every_exit_code_once_in_order() {
        // No wildcard: a new variant does not compile until it is given a
        // place here, and ALL must then hold it at that place.
        let place = |code: ExitCode| match code {
            ExitCode::Success => 0,
            ExitCode::Failure => 1,
            ExitCode::Usage => 2,
            ExitCode::Config => 3,
            ExitCode::NotFound => 4,
            ExitCode::Conflict => 5,
            ExitCode::Network => 6,
            ExitCode::WatchFailed => 7,
            ExitCode::WatchDeadline => 8,
            ExitCode::Interrupted => 9,
        };
        for (i, code) in ExitCode::ALL.iter().enumerate() {
            assert_eq!(place(*code), i, "{code:?} is out of place in ALL");
        }
        assert_eq!(place(ExitCode::Interrupted) + 1, ExitCode::ALL.len());
        assert!(ExitCode::ALL.windows(2).all(|w| w[0].code() < w[1].code()));
    }

    #[test]
    fn all_and_meanings_are_the_contract_table() {
        let spec = include_str!("../docs/spec/cli.md");
        let table = spec
            .split("## Exit codes\n")
            .nth(1)
            .expect("docs/spec/cli.md has an Exit codes section");
        let rows: Vec<(i32, &str)> = table
            .lines()
            .skip(2) // header and |---|
            .map_while(|l| l.strip_prefix("| ")?.strip_suffix(" |"))
            .map(|row| {
                let (code, meaning) = row.split_once(" | ").expect("two columns");
                (code.parse().expect("a number"), meaning)
            })
            .collect();
        let ours: Vec<(i32, &str)> = ExitCode::ALL
            .iter()
            .map(|c| (c.code(), c.meaning()))
            .collect();
        assert_eq!(ours, rows);
    }

    #[test]
    fn status_codes_map_to_exit_codes() {
        assert_eq!(ExitCode::for_status(400), ExitCode::Usage);
        assert_eq!(ExitCode::for_status(422), ExitCode::Usage);
        assert_eq!(ExitCode::for_status(401), ExitCode::Config);
        assert_eq!(ExitCode::for_status(403), ExitCode::Config);
        assert_eq!(ExitCode::for_status(404), ExitCode::NotFound);
        assert_eq!(ExitCode::for_status(409), ExitCode::Conflict);
        assert_eq!(ExitCode::for_status(500), ExitCode::Failure);
    }

    #[test]
    fn transient_errors_are_network_429_and_5xx() {
        let with_status = |s: u16| {
            let api = ApiError {
                status: s,
                ..Default::default()
            };
            CliError::from_api(ExitCode::for_status(s), "x", Some(api))
        };
        assert!(CliError::network("reset").is_transient());
        assert!(with_status(429).is_transient());
        assert!(with_status(503).is_transient());
        assert!(!with_status(404).is_transient());
        assert!(!with_status(401).is_transient());
        assert!(!with_status(403).is_transient());
        assert!(!CliError::failure("bad body").is_transient());
    }

    #[test]
    fn renders_code_and_request_id() {
        let api = ApiError {
            status: 404,
            code: Some("agent_not_found".into()),
            request_id: Some("req_1".into()),
        };
        let e = CliError::from_api(ExitCode::NotFound, "Agent agt_x not found", Some(api))
            .with_hint("list agents with `xeroctl agents`");
        let text = render(&anyhow::Error::new(e));
        assert_eq!(
            text,
            "error: Agent agt_x not found (agent_not_found, request id req_1)\nhint: list agents with `xeroctl agents`\n"
        );
    }

    #[test]
    fn context_is_kept_in_front() {
        let e = anyhow::Error::new(CliError::failure("boom")).context("reading agents");
        assert_eq!(render(&e), "error: reading agents: boom\n");
        assert_eq!(exit_code_of(&e), ExitCode::Failure);
    }

    #[test]
    fn escape_sequences_never_reach_the_terminal() {
        let e = CliError::failure("bad \u{1b}]0;pwned\u{7} thing\u{1b}[31m");
        assert_eq!(e.to_string(), "bad  thing");
    }

    #[test]
    fn clap_usage_errors_fold_into_two_lines() {
        let text = "error: the following required arguments were not provided:\n  <ID>\n\nUsage: xeroctl approvals show <ID>\n\nFor more information, try '--help'.\n";
        assert_eq!(
            render_clap_usage(text, "xeroctl approvals show"),
            "error: the following required arguments were not provided: <ID>\nhint: see `xeroctl approvals show --help`\n"
        );
        let text = "error: invalid value 'yaml' for '--output <OUTPUT>'\n  [possible values: table, json]\n\nFor more information, try '--help'.\n";
        assert_eq!(
            render_clap_usage(text, "xeroctl"),
            "error: invalid value 'yaml' for '--output <OUTPUT>'\nhint: possible values: table, json; see `xeroctl --help`\n"
        );
        let text = "error: unexpected argument '--bogus' found\n\n  tip: to pass '--bogus' as a value, use '-- --bogus'\n\nUsage: xeroctl agents [OPTIONS] [ID]\n       xeroctl agents <COMMAND>\n\nFor more information, try '--help'.\n";
        assert_eq!(
            render_clap_usage(text, "xeroctl agents"),
            "error: unexpected argument '--bogus' found\nhint: see `xeroctl agents --help`\n"
        );
    }
}

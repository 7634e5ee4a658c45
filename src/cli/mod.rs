//! The command-line grammar (clap derive). What each command does lives in
//! `crate::commands`; this module only describes and parses.

pub mod agent_control;
pub mod agents;
pub mod approvals;
pub mod candidates;
pub mod config;
pub mod exec;
mod given;
pub mod invocations;
pub mod learnings;
pub mod meta;

use clap::{Args, Parser, Subcommand};
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};

use crate::output::{ColorChoice, OutputFormat};

pub use agents::AgentsArgs;
pub use approvals::ApprovalsArgs;
pub use config::{ConfigArgs, StatusArgs};
pub use exec::ExecArgs;

const AFTER_HELP: &str = "\
Examples:
  xeroctl agents                                   List agents
  xeroctl agents join-keys --create --max-enrollments 1 -o json | jq -r .token
  xeroctl exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get \\
      --args '{\"resource\": \"pods\"}' --wait

Settings come from flags, then XEROCTL_* environment variables, then the
context in ~/.config/xeroctl/config.toml. Exit codes: `xeroctl help exit-codes`.";

#[derive(Debug, Parser)]
#[command(
    name = "xeroctl",
    version,
    about = "Manage Xerotier agents, join keys, governed exec and approvals from a terminal",
    after_help = AFTER_HELP,
    propagate_version = true,
    disable_help_subcommand = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags accepted before or after any subcommand.
#[derive(Debug, Clone, Default, Args)]
pub struct GlobalArgs {
    /// Output format [env: XEROCTL_OUTPUT] [default: the context's, else table]
    #[arg(
        short = 'o',
        long,
        global = true,
        value_enum,
        help_heading = "Global options"
    )]
    pub output: Option<OutputFormat>,

    /// Use this saved context instead of the current one [env: XEROCTL_CONTEXT]
    #[arg(
        long,
        global = true,
        value_name = "NAME",
        add = ArgValueCompleter::new(complete_context_names),
        help_heading = "Global options"
    )]
    pub context: Option<String>,

    /// Router base URL, e.g. https://api.xerotier.ai/<project>/v1 [env: XEROCTL_BASE_URL]
    #[arg(
        long,
        global = true,
        value_name = "URL",
        help_heading = "Global options"
    )]
    pub base_url: Option<String>,

    /// API key (prefer XEROCTL_API_KEY or a context: flags show up in `ps`) [env: XEROCTL_API_KEY]
    #[arg(
        long,
        global = true,
        value_name = "KEY",
        hide_env_values = true,
        help_heading = "Global options"
    )]
    pub api_key: Option<String>,

    /// Run a jq program on the JSON result; strings print raw (implies -o json)
    #[arg(
        long,
        global = true,
        value_name = "EXPR",
        help_heading = "Global options"
    )]
    pub jq: Option<String>,

    /// Table columns by JSON field name, in order, e.g. id,status,supported_tiers
    #[arg(
        long,
        global = true,
        value_name = "FIELDS",
        value_delimiter = ',',
        value_parser = parse_column,
        help_heading = "Global options"
    )]
    pub columns: Option<Vec<String>>,

    /// Tables without the header line
    #[arg(long, global = true, help_heading = "Global options")]
    pub no_headers: bool,

    /// Print the request a write would send, and send nothing
    #[arg(long, global = true, help_heading = "Global options")]
    pub dry_run: bool,

    /// When to use colour [default: auto; NO_COLOR turns auto off]
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHEN",
        help_heading = "Global options"
    )]
    pub color: Option<ColorChoice>,

    /// Per-request timeout in seconds
    #[arg(
        long,
        global = true,
        value_name = "SECS",
        default_value = "30",
        value_parser = parse_timeout, allow_negative_numbers = true,
        help_heading = "Global options"
    )]
    pub request_timeout: f64,

    /// Log each request and response line to stderr (the key is redacted)
    #[arg(short, long, global = true, help_heading = "Global options")]
    pub verbose: bool,

    /// Allow a plain-http:// base URL off loopback (sends the key in clear text)
    #[arg(long, global = true, help_heading = "Global options")]
    pub insecure_http: bool,

    /// Extra PEM bundle of CA certificates to trust [env: XEROCTL_CA_CERT]
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        value_hint = clap::ValueHint::FilePath,
        help_heading = "Global options"
    )]
    pub ca_cert: Option<std::path::PathBuf>,
}

// Parsed once per process: the size difference between variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List, show, create, update and delete agents; read their events; manage join keys
    Agents(AgentsArgs),
    /// Drive XEM: list tools, invoke them, watch runs, read executions and their output
    Exec(ExecArgs),
    /// List, show, approve, reject and watch approvals of destructive tool runs
    Approvals(ApprovalsArgs),
    /// List, show and add learnings: what the agents know
    Learnings(learnings::LearningsArgs),
    /// Manage saved deployments (contexts) in the config file
    Config(ConfigArgs),
    /// Show the context in use, check the router and the key's scopes
    Status(StatusArgs),
    /// Print help for a command, or a topic: exit-codes, environment, config-file
    Help(meta::HelpArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completion(meta::CompletionArgs),
    /// Print the man page, or write one per command with --dir
    Man(meta::ManArgs),
}

/// `--limit`, `--after`, `--all` on every listing.
#[derive(Debug, Clone, Default, PartialEq, Args)]
pub struct PageArgs {
    /// Items per page (1-100)
    #[arg(long, value_name = "N", value_parser = parse_limit, allow_negative_numbers = true, help_heading = "Listing")]
    pub limit: Option<u32>,
    /// Start after this id (the cursor printed under a partial list)
    #[arg(long, value_name = "CURSOR", value_parser = parse_cursor, help_heading = "Listing")]
    pub after: Option<String>,
    /// Fetch every page (streams; memory stays flat)
    #[arg(long, help_heading = "Listing")]
    pub all: bool,
}

/// Shell completion of saved context names (`--context`, `config use` …),
/// for the dynamic completions (`source <(COMPLETE=bash xeroctl)`).
pub fn complete_context_names(current: &std::ffi::OsStr) -> Vec<CompletionCandidate> {
    let prefix = current.to_string_lossy();
    let Some(path) = crate::config::default_path() else {
        return Vec::new();
    };
    let Ok(Some(config)) = crate::config::ConfigFile::load(&path) else {
        return Vec::new();
    };
    config
        .names()
        .into_iter()
        .filter(|name| name.starts_with(prefix.as_ref()))
        .map(|name| {
            let candidate = CompletionCandidate::new(name);
            match config
                .deployments
                .get(name)
                .and_then(|d| d.base_url.clone())
            {
                Some(url) => candidate.help(Some(url.into())),
                None => candidate,
            }
        })
        .collect()
}

/// `--request-timeout`: a positive number of seconds, at most a day.
pub fn parse_timeout(value: &str) -> Result<f64, String> {
    let secs: f64 = value
        .trim()
        .parse()
        .map_err(|_| format!("'{value}' is not a number of seconds"))?;
    if secs.is_nan() {
        return Err(format!("'{value}' is not a number of seconds"));
    }
    if secs <= 0.0 {
        return Err("must be greater than 0".into());
    }
    if secs > 86_400.0 {
        return Err("must be at most 86400 (one day)".into());
    }
    Ok(secs)
}

/// Positive integer flags (`--max-concurrent`, `--storage-limit`, …).
pub fn parse_positive(value: &str) -> Result<u64, String> {
    let n: u64 = value
        .trim()
        .parse()
        .map_err(|_| format!("'{value}' is not a positive whole number"))?;
    if n == 0 {
        return Err("must be at least 1".into());
    }
    Ok(n)
}

/// `--limit`: 1–100, the router's page bounds.
pub fn parse_limit(value: &str) -> Result<u32, String> {
    let n: u32 = value
        .trim()
        .parse()
        .map_err(|_| format!("'{value}' is not a number between 1 and 100"))?;
    if !(1..=100).contains(&n) {
        return Err("must be between 1 and 100".into());
    }
    Ok(n)
}

/// A parsed `--supported-tiers` list (a newtype so clap sees one value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tiers(pub Vec<String>);

/// `--supported-tiers a,b`: items trimmed, empty items rejected.
pub fn parse_tiers(value: &str) -> Result<Tiers, String> {
    let tiers: Vec<String> = value.split(',').map(|t| t.trim().to_string()).collect();
    if tiers.iter().any(String::is_empty) {
        return Err(format!(
            "'{value}' has an empty item; give a comma list like priority,default"
        ));
    }
    Ok(Tiers(tiers))
}

/// `--workspace ws_…`: a workspace id as the router writes them.
pub fn parse_workspace(value: &str) -> Result<String, String> {
    let value = value.trim();
    let rest = value.strip_prefix("ws_").unwrap_or("");
    if rest.is_empty()
        || !rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(format!(
            "'{value}' is not a workspace id (ws_ followed by letters and digits, e.g. ws_a1b2c3d4); \
             an agent's workspaces are listed by `xeroctl exec agent <id> --manifest`"
        ));
    }
    Ok(value.to_string())
}

/// One `--columns` name: a JSON field name.
fn parse_column(value: &str) -> Result<String, String> {
    let name = value.trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!(
            "'{value}' is not a field name (letters, digits, _)"
        ));
    }
    Ok(name.to_string())
}

/// A cursor or id given as a flag value: not empty.
pub fn parse_cursor(value: &str) -> Result<String, String> {
    if value.trim().is_empty() {
        return Err("must not be empty".into());
    }
    if value.chars().any(char::is_control) {
        return Err("must not contain control characters".into());
    }
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn grammar_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn tiers_are_trimmed_and_empty_items_refused() {
        assert_eq!(
            parse_tiers(" priority , default").unwrap().0,
            vec!["priority", "default"]
        );
        assert!(parse_tiers("priority,,default").is_err());
        assert!(parse_tiers("").is_err());
        assert!(parse_tiers("a,").is_err());
    }

    #[test]
    fn numbers_are_bounded() {
        assert_eq!(parse_limit("100"), Ok(100));
        assert!(parse_limit("0").is_err());
        assert!(parse_limit("101").is_err());
        assert!(parse_limit("-1").is_err());
        assert!(parse_positive("0").is_err());
        assert!(parse_positive("abc").is_err());
        assert_eq!(parse_positive("8"), Ok(8));
        assert!(parse_timeout("0").is_err());
        assert!(parse_timeout("NaN").is_err());
        assert_eq!(parse_timeout("0.5"), Ok(0.5));
    }
}

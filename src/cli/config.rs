//! `xeroctl config …` (saved deployments, "contexts") and `xeroctl status`.

use clap::{Args, Subcommand};
use clap_complete::engine::ArgValueCompleter;

use super::parse_cursor;

const CONFIG_EXAMPLES: &str = "\
Examples:
  echo \"$KEY\" | xeroctl config add prod \\
      --base-url https://api.xerotier.ai/acme-prod/v1 --api-key-stdin
  xeroctl config add lab --base-url http://127.0.0.1:8787/demo/v1 \\
      --api-key-keychain xeroctl-lab
  xeroctl config use prod
  xeroctl config list
  xeroctl config init                            Guided setup on a terminal

The file is $XDG_CONFIG_HOME/xeroctl/config.toml (else ~/.config/xeroctl/config.toml), mode 0600.
Keys go to the OS keychain (macOS Keychain, Windows Credential Manager, Secret Service on Linux)
when one works, else to the file; --insecure-storage puts them in the file.";

#[derive(Debug, Args)]
#[command(after_help = CONFIG_EXAMPLES)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub sub: ConfigSub,
}

#[derive(Debug, Subcommand)]
pub enum ConfigSub {
    /// Save a deployment (replaces one of the same name; the first becomes current)
    Add(ConfigAddArgs),
    /// Make a saved deployment the current one
    #[command(after_help = "\
Examples:
  xeroctl config use prod
  xeroctl --context lab agents        Use another context for one command only")]
    Use(ConfigNameArgs),
    /// List saved deployments (keys redacted)
    #[command(
        visible_alias = "ls",
        after_help = "\
Examples:
  xeroctl config list
  xeroctl config list -o json | jq -r '.deployments[].name'"
    )]
    List,
    /// Show one saved deployment [default: the current one]
    #[command(after_help = "\
Examples:
  xeroctl config show                 The current deployment
  xeroctl config show lab -o json")]
    Show(ConfigShowArgs),
    /// Delete a saved deployment from the file
    #[command(
        visible_alias = "rm",
        after_help = "\
Examples:
  xeroctl config remove lab
  xeroctl config use prod             Pick a new current one after removing it"
    )]
    Remove(ConfigNameArgs),
    /// Add a deployment interactively (needs a terminal)
    #[command(after_help = "\
Examples:
  xeroctl config init               Asks for a name, base URL and key

In scripts use `config add … --api-key-stdin` instead: init needs a terminal.")]
    Init(ConfigInitArgs),
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  echo \"$KEY\" | xeroctl config add prod \\
      --base-url https://api.xerotier.ai/acme-prod/v1 --api-key-stdin
  xeroctl config add lab --base-url http://127.0.0.1:8787/demo/v1 \\
      --api-key-keychain xeroctl-lab -o json

Uses the global flags --base-url <URL> (required; must end in /<project>/v1), --api-key <KEY>,
-o/--output <table|json|yaml|name> (saved as the deployment's default output) and --ca-cert <FILE>
(an extra CA bundle, checked and saved as an absolute path). Give the key with exactly one of
--api-key, --api-key-stdin (one line from stdin; safest) or --api-key-keychain.
A key given with --api-key or --api-key-stdin is stored in the OS keychain (entry <NAME>, service
\"xeroctl\") when one works, else in the file (one warning line says so); --insecure-storage keeps it
in the file.")]
pub struct ConfigAddArgs {
    /// Deployment name (letters, digits, '-', '_', '.')
    #[arg(value_name = "NAME", value_parser = parse_name)]
    pub name: String,
    /// Read the API key from stdin (one line), e.g. `echo $KEY | xeroctl config add …`
    #[arg(long)]
    pub api_key_stdin: bool,
    /// Use a key already in this OS keychain entry (service "xeroctl") instead of storing one
    #[arg(long, value_name = "ENTRY", value_parser = parse_cursor)]
    pub api_key_keychain: Option<String>,
    /// Write the key in the config file (clear text, mode 0600) instead of the OS keychain
    #[arg(long, conflicts_with = "api_key_keychain")]
    pub insecure_storage: bool,
}

#[derive(Debug, Args)]
pub struct ConfigInitArgs {
    /// Write the key in the config file (clear text, mode 0600) instead of the OS keychain
    #[arg(long)]
    pub insecure_storage: bool,
}

#[derive(Debug, Args)]
pub struct ConfigNameArgs {
    /// Deployment name
    #[arg(value_name = "NAME", add = ArgValueCompleter::new(super::complete_context_names))]
    pub name: String,
}

#[derive(Debug, Args)]
pub struct ConfigShowArgs {
    /// Deployment name [default: the current one]
    #[arg(value_name = "NAME", add = ArgValueCompleter::new(super::complete_context_names))]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  xeroctl status
  xeroctl status --context prod
  xeroctl status -o json | jq .scopes

Exit 0 when the router is reachable and the key holds both scopes; 3 when the key is rejected
or lacks a scope; 6 when the router cannot be reached.")]
pub struct StatusArgs {}

/// A deployment name: 1-64 of letters, digits, `-`, `_`, `.`.
pub fn parse_name(value: &str) -> Result<String, String> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        return Err(format!(
            "'{value}' is not a valid name: use 1-64 letters, digits, '-', '_' or '.'"
        ));
    }
    Ok(value.to_string())
}

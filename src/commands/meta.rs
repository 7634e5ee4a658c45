//! `xeroctl help <topic>`, `xeroctl completion <shell>`, `xeroctl man`.

use std::io::Write;

use anyhow::{Context, Result};
use clap::CommandFactory;

use crate::app::App;
use crate::cli::meta::{CompletionArgs, HelpArgs, ManArgs, Shell};
use crate::cli::Cli;
use crate::error::{CliError, ExitCode};

/// `xeroctl help exit-codes`: the table of docs/spec/cli.md, built from
/// [`ExitCode::ALL`] so the two cannot drift.
pub fn exit_codes() -> String {
    const WIDTH: usize = 79;
    const INDENT: &str = "       ";
    let mut out = String::from("Exit codes:\n");
    for code in ExitCode::ALL {
        let mut line = format!("  {:<5}", code.code());
        let mut fresh = true;
        for word in code.meaning().split(' ') {
            if !fresh && line.chars().count() + 1 + word.chars().count() > WIDTH {
                out.push_str(&line);
                out.push('\n');
                line = INDENT.to_string();
                fresh = true;
            }
            if !fresh {
                line.push(' ');
            }
            line.push_str(word);
            fresh = false;
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

const ENVIRONMENT: &str = "\
Environment:
  XEROCTL_BASE_URL   router base URL (…/<project>/v1); overrides the context
  XEROCTL_API_KEY    API key; overrides the context
  XEROCTL_CONTEXT    context to use instead of `current`
  XEROCTL_OUTPUT     table, json, yaml or name
  XEROCTL_CA_CERT    extra PEM bundle of CA certificates to trust (like --ca-cert)
  SSL_CERT_FILE, SSL_CERT_DIR
                     replace the OS trust store (as for OS tools; Linux)
  NO_COLOR           any value turns colour off (unless --color always)
  CLICOLOR_FORCE     colour even when the output is not a terminal
  CLICOLOR=0, TERM=dumb
                     no colour on a terminal either
  XDG_CONFIG_HOME    config lives in $XDG_CONFIG_HOME/xeroctl/config.toml
                     (else ~/.config/xeroctl/config.toml)
Precedence: flag > environment variable > --context/XEROCTL_CONTEXT > current context.
";

const CONFIG_FILE: &str = "\
Config file ($XDG_CONFIG_HOME/xeroctl/config.toml, else ~/.config/xeroctl/config.toml):

  current = \"prod\"
  [deployment.prod]
  base_url = \"https://api.xerotier.ai/acme-prod/v1\"
  api_key = \"xero_acme-prod_…\"        # or: api_key_keychain = \"<entry name>\"
  output = \"table\"                    # optional: table | json | yaml | name
  ca_cert = \"/etc/ssl/acme-ca.pem\"      # optional: extra PEM bundle to trust
                                       # (a relative path is from this file's folder)

Manage it with `xeroctl config add|use|list|show|remove|init`.
";

/// The topics of `xeroctl help <topic>`, as they are listed everywhere
/// (the `help` command's description, its argument, the hint below).
pub const TOPICS: [&str; 3] = ["exit-codes", "environment", "config-file"];

fn topic_text(topic: &[&str]) -> Option<String> {
    match topic {
        ["exit-codes"] => Some(exit_codes()),
        // `env`: a short alias, never listed.
        ["environment"] | ["env"] => Some(ENVIRONMENT.to_string()),
        ["config-file"] => Some(CONFIG_FILE.to_string()),
        _ => None,
    }
}

pub fn help(app: &App, args: HelpArgs) -> Result<()> {
    let topic: Vec<&str> = args.topic.iter().map(String::as_str).collect();
    let mut out = app.ui.out();
    if let Some(text) = topic_text(&topic) {
        out.write_all(text.as_bytes())?;
        return Ok(out.flush()?);
    }
    let mut cmd = Cli::command();
    cmd.build();
    let mut target = &mut cmd;
    for name in &topic {
        target = match target.find_subcommand_mut(name) {
            Some(sub) => sub,
            None => {
                return Err(CliError::usage(format!(
                    "no help topic or command '{}'",
                    topic.join(" ")
                ))
                .with_hint(format!(
                    "topics: {}; or a command such as `xeroctl help agents join-keys`",
                    TOPICS.join(", ")
                ))
                .into())
            }
        };
    }
    // Exactly what `xeroctl <command> --help` prints: the same parse.
    let argv = std::iter::once("xeroctl")
        .chain(topic.iter().copied())
        .chain(["--help"]);
    let text = match Cli::command().try_get_matches_from(argv) {
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelp => {
            crate::clap_message(&e, app.ui.terminal().stdout)
        }
        _ => target.render_help().to_string(),
    };
    out.write_all(text.as_bytes())?;
    Ok(out.flush()?)
}

pub fn completion(app: &App, args: CompletionArgs) -> Result<()> {
    use clap_complete::{generate, shells};
    let mut cmd = Cli::command();
    // generate() panics when a write fails (`| head -1`): write to memory,
    // then to stdout, where a closed pipe is a quiet exit 0 (lib.rs).
    let mut out = Vec::new();
    match args.shell {
        Shell::Bash => generate(shells::Bash, &mut cmd, "xeroctl", &mut out),
        Shell::Zsh => generate(shells::Zsh, &mut cmd, "xeroctl", &mut out),
        Shell::Fish => generate(shells::Fish, &mut cmd, "xeroctl", &mut out),
        Shell::Powershell => generate(shells::PowerShell, &mut cmd, "xeroctl", &mut out),
        Shell::Elvish => generate(shells::Elvish, &mut cmd, "xeroctl", &mut out),
    }
    let mut stdout = app.ui.out();
    stdout.write_all(&out)?;
    Ok(stdout.flush()?)
}

pub fn man(app: &App, args: ManArgs) -> Result<()> {
    let mut cmd = Cli::command();
    cmd.build();
    let Some(dir) = args.dir else {
        let mut out = app.ui.out();
        render_page(cmd, &mut out)?;
        return Ok(out.flush()?);
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = 0;
    write_pages(&cmd, "xeroctl", &dir, &mut written)?;
    app.ui
        .note(&format!("Wrote {written} man pages to {}.", dir.display()));
    Ok(())
}

fn write_pages(
    cmd: &clap::Command,
    name: &str,
    dir: &std::path::Path,
    written: &mut usize,
) -> Result<()> {
    let page = cmd.clone().name(name.to_string());
    let path = dir.join(format!("{name}.1"));
    let mut buf = Vec::new();
    render_page(page, &mut buf)?;
    std::fs::write(&path, buf).with_context(|| format!("cannot write {}", path.display()))?;
    *written += 1;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub, &format!("{name}-{}", sub.get_name()), dir, written)?;
    }
    Ok(())
}

/// One man page: clap_mangen's sections, then the after-help: its
/// `Examples:` lines as written, unfilled and unjustified (`.nf`/`.fi`),
/// and the rest as filled paragraphs (NOTES); then EXIT STATUS from
/// [`ExitCode::ALL`].
fn render_page(cmd: clap::Command, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let extra = cmd
        .get_after_long_help()
        .or_else(|| cmd.get_after_help())
        .map(|t| t.to_string());
    let has_args = cmd.get_arguments().any(|a| !a.is_hide_set());
    let has_subs = cmd.get_subcommands().any(|s| !s.is_hide_set());
    let has_version = cmd.get_version().is_some() || cmd.get_long_version().is_some();
    let man = clap_mangen::Man::new(cmd);
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    if has_args {
        man.render_options_section(out)?;
    }
    if has_subs {
        man.render_subcommands_section(out)?;
    }
    if let Some(extra) = extra {
        let (examples, notes) = split_examples(&extra);
        if !examples.is_empty() {
            // Unfilled, unjustified, and from the left margin: a help
            // example line (at most 78 columns) fits an 80-column man page
            // as it is, instead of overflowing the body's indent.
            writeln!(out, ".SH EXAMPLES\n.nf\n.in 0")?;
            for line in examples {
                writeln!(out, "{}", roff_line(line))?;
            }
            writeln!(out, ".in\n.fi")?;
        }
        if !notes.is_empty() {
            writeln!(out, ".SH NOTES")?;
            for paragraph in notes.split("\n\n").filter(|p| !p.trim().is_empty()) {
                writeln!(out, ".PP")?;
                for line in paragraph.lines() {
                    writeln!(out, "{}", roff_line(line))?;
                }
            }
        }
    }
    writeln!(out, ".SH \"EXIT STATUS\"")?;
    for code in ExitCode::ALL {
        writeln!(out, ".TP\n{}\n{}", code.code(), roff_line(code.meaning()))?;
    }
    if has_version {
        man.render_version_section(out)?;
    }
    Ok(())
}

/// An after-help text as (its `Examples:` lines, up to the first blank
/// line; the text after them, trimmed).
fn split_examples(text: &str) -> (Vec<&str>, &str) {
    let Some(rest) = text.strip_prefix("Examples:\n") else {
        return (Vec::new(), text.trim());
    };
    let end = rest.find("\n\n").unwrap_or(rest.len());
    (rest[..end].lines().collect(), rest[end..].trim())
}

/// A line of text for roff, printed as is: backslashes and hyphens
/// escaped, and a leading `.` or `'` kept from reading as a request.
fn roff_line(line: &str) -> String {
    let escaped = line.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with('.') || escaped.starts_with('\'') {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

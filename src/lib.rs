//! xeroctl: a command-line client for the Xerotier platform.
//!
//! `main.rs` only calls [`run`]; the grammar is in [`cli`], what each command
//! does in [`commands`], HTTP in [`api`], rendering in [`output`].

#[macro_use]
pub(crate) mod error;

pub(crate) mod api;
pub(crate) mod app;
pub(crate) mod cli;
pub(crate) mod commands;
pub(crate) mod complete;
pub(crate) mod config;
pub(crate) mod output;

/// What the property tests in `tests/` drive directly: the parsers and
/// renderers that take untrusted input. Everything else is reached only
/// through [`run`], so the compiler reports dead code.
#[doc(hidden)]
pub mod testing {
    pub use crate::api::errors::{from_response, parse_retry_after};
    pub use crate::api::id_segment;
    pub use crate::cli::{parse_cursor, parse_limit, parse_positive, parse_tiers, parse_timeout};
    pub use crate::commands::meta::TOPICS as HELP_TOPICS;
    pub use crate::config::ConfigFile;
    pub use crate::error::{render_clap_usage, CliError, ExitCode};
    pub use crate::output::json::write_pretty;
    pub use crate::output::redact::register as register_secret;
    pub use crate::output::sanitize::{sanitize_line, sanitize_multiline};
}

use std::io::Write;

use crate::error::{CliError, ExitCode};
pub use crate::output::{Captured, Streams, Terminal};

/// The whole command tree (for tests that walk every command's help).
pub fn command() -> clap::Command {
    <cli::Cli as clap::CommandFactory>::command()
}

/// `COMPLETE=<shell> xeroctl …` answers a shell's completion request and
/// exits the process; otherwise this does nothing.
///
/// A failed write (the shell stopped reading) completes nothing, silently.
pub fn complete_if_asked() {
    let current_dir = std::env::current_dir().ok();
    match clap_complete::CompleteEnv::with_factory(<cli::Cli as clap::CommandFactory>::command)
        .try_complete(std::env::args_os(), current_dir.as_deref())
    {
        Ok(true) => std::process::exit(0),
        Ok(false) => {}
        Err(e) if e.kind() == clap::error::ErrorKind::Io => std::process::exit(0),
        Err(e) => e.exit(),
    }
}

/// Parse `args` (the program name first), run the command with its output
/// on `streams`, and return the exit code.
pub fn run<I, T>(args: I, streams: Streams) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    if let Some(text) = version_only(&args) {
        let _ = streams.out().write_all(text.as_bytes());
        return ExitCode::Success.code();
    }
    let cli = match parse(&args, streams.terminal.stdout) {
        Ok(cli) => cli,
        Err(e) => {
            // --help/--version go to stdout (exit 0); usage errors to stderr (exit 2).
            let code = if e.use_stderr() {
                ExitCode::Usage.code()
            } else {
                ExitCode::Success.code()
            };
            let folds = e.use_stderr()
                && e.kind() != clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand;
            let text = if folds {
                // One `error:` line and one `hint:` line, like every other error.
                error::render_clap_usage(&e.render().to_string(), &command_path(&args))
            } else {
                clap_message(&e, streams.terminal.stdout)
            };
            let mut stream = if e.use_stderr() {
                streams.err()
            } else {
                streams.out()
            };
            // A closed pipe (`xeroctl --help | head -1`) is not a failure.
            let _ = stream.write_all(text.as_bytes());
            return code;
        }
    };
    let app = match app::App::new(cli.global.clone(), streams.clone()) {
        Ok(app) => app,
        Err(e) => return report(&anyhow::Error::new(e), None, &streams),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            return report(
                &anyhow::Error::new(CliError::failure(format!("cannot start the runtime: {e}"))),
                Some(&app),
                &streams,
            )
        }
    };
    let result = runtime.block_on(async {
        // Take SIGINT from the start, before the command first waits: a
        // prompt shown before then would otherwise die from the signal.
        #[cfg(unix)]
        let _sigint = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt());
        tokio::select! {
            // The command first: one that handles Ctrl+C itself (watch
            // prints how to resume) gets to do so.
            biased;
            result = commands::dispatch(&app, cli.command) => result,
            _ = tokio::signal::ctrl_c() => {
                Err(CliError::interrupted().into())
            }
        }
    });
    // A prompt abandoned by Ctrl+C still blocks its thread: don't wait for it.
    runtime.shutdown_background();
    let code = match result {
        Ok(()) => ExitCode::Success.code(),
        Err(e) => {
            if error::exit_code_of(&e) == ExitCode::Interrupted {
                output::terminal::after_interrupt();
            }
            report(&e, Some(&app), &streams)
        }
    };
    output::terminal::release_ctrl_echo();
    code
}

/// `xeroctl --version` (or `-V`) alone: answered before the clap tree (every
/// command, every flag) is built, which is most of its start-up time. Same
/// text as clap's own version output (a test compares them).
fn version_only(args: &[std::ffi::OsString]) -> Option<String> {
    match args {
        [_, flag] if flag == "--version" || flag == "-V" => {
            Some(format!("xeroctl {}\n", env!("CARGO_PKG_VERSION")))
        }
        _ => None,
    }
}

/// Parse into the typed grammar. Help is wrapped to the terminal's width on
/// a terminal, and to a fixed 100 columns otherwise (so a pipe or a test
/// sees the same text whatever terminal started it).
fn parse(args: &[std::ffi::OsString], stdout_is_terminal: bool) -> Result<cli::Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    let mut command = cli::Cli::command();
    if !stdout_is_terminal {
        command = command.term_width(100);
    }
    let matches = command.try_get_matches_from(args)?;
    cli::Cli::from_arg_matches(&matches)
}

/// Clap's own output (help, version) as `--help` prints it: styled only
/// when stdout is a terminal. `xeroctl help <command>` prints it the same way.
pub(crate) fn clap_message(e: &clap::Error, stdout_is_terminal: bool) -> String {
    if stdout_is_terminal {
        e.render().ansi().to_string()
    } else {
        e.render().to_string()
    }
}

/// The subcommands named on the command line (`xeroctl approvals list`),
/// for the `--help` hint under a usage error.
fn command_path(args: &[std::ffi::OsString]) -> String {
    use clap::CommandFactory;
    let mut command = cli::Cli::command();
    let mut path = vec![command.get_name().to_string()];
    for arg in args.iter().skip(1) {
        let Some(arg) = arg.to_str() else { continue };
        let Some(sub) = command.find_subcommand(arg).cloned() else {
            continue;
        };
        path.push(sub.get_name().to_string());
        command = sub;
    }
    path.join(" ")
}

fn report(err: &anyhow::Error, app: Option<&app::App>, streams: &Streams) -> i32 {
    if error::is_broken_pipe(err) {
        return ExitCode::Success.code();
    }
    let text = error::render(err);
    match app {
        Some(app) => app.ui.error(&text),
        None => {
            let _ = streams
                .err()
                .write_all(output::redact::scrub(&text).as_bytes());
        }
    }
    error::exit_code_of(err).code()
}

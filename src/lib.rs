//! xeroctl: a command-line client for the Xerotier platform.
//!
//! `main.rs` only calls [`run`]; the grammar is in [`cli`], what each command
//! does in [`commands`], HTTP in [`api`], rendering in [`output`].

#[macro_use]
pub mod error;

pub mod api;
pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod output;

use std::io::Write;

use clap::Parser;

use crate::error::{CliError, ExitCode};

/// Parse the command line, run the command, and return the exit code.
pub fn run() -> i32 {
    // `COMPLETE=<shell> xeroctl …` answers a shell's completion request and
    // exits; otherwise this is a no-op. A failed write (the shell stopped
    // reading) completes nothing, silently.
    let current_dir = std::env::current_dir().ok();
    match clap_complete::CompleteEnv::with_factory(<cli::Cli as clap::CommandFactory>::command)
        .try_complete(std::env::args_os(), current_dir.as_deref())
    {
        Ok(true) => return 0,
        Ok(false) => {}
        Err(e) if e.kind() == clap::error::ErrorKind::Io => return 0,
        Err(e) => e.exit(),
    }
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help/--version go to stdout (exit 0); usage errors to stderr (exit 2).
            let code = if e.use_stderr() {
                ExitCode::Usage.code()
            } else {
                0
            };
            let folds = e.use_stderr()
                && e.kind() != clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand;
            if folds {
                // One `error:` line and one `hint:` line, like every other error.
                // Not eprint!: it panics when stderr is a closed pipe.
                let _ = write!(
                    std::io::stderr(),
                    "{}",
                    error::render_clap_usage(&e.render().to_string(), &command_path())
                );
            } else if e.print().is_err() {
                return code;
            }
            return code;
        }
    };
    let app = match app::App::new(cli.global.clone()) {
        Ok(app) => app,
        Err(e) => return report(&anyhow::Error::new(e), None),
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
            )
        }
    };
    let result = runtime.block_on(async {
        tokio::select! {
            // The command first: one that handles Ctrl+C itself (watch
            // prints how to resume) gets to do so.
            biased;
            result = commands::dispatch(&app, cli.command) => result,
            _ = tokio::signal::ctrl_c() => {
                Err(CliError::new(ExitCode::Interrupted, "interrupted").into())
            }
        }
    });
    // A prompt abandoned by Ctrl+C still blocks its thread: don't wait for it.
    runtime.shutdown_background();
    match result {
        Ok(()) => 0,
        Err(e) => {
            if error::exit_code_of(&e) == ExitCode::Interrupted {
                output::terminal::restore_after_interrupt();
            }
            report(&e, Some(&app))
        }
    }
}

/// The subcommands named on the command line (`xeroctl approvals list`),
/// for the `--help` hint under a usage error.
fn command_path() -> String {
    use clap::CommandFactory;
    let mut command = cli::Cli::command();
    let mut path = vec![command.get_name().to_string()];
    for arg in std::env::args_os().skip(1) {
        let Some(arg) = arg.to_str() else { continue };
        let Some(sub) = command.find_subcommand(arg).cloned() else {
            continue;
        };
        path.push(sub.get_name().to_string());
        command = sub;
    }
    path.join(" ")
}

fn report(err: &anyhow::Error, app: Option<&app::App>) -> i32 {
    if error::is_broken_pipe(err) {
        return 0;
    }
    let text = error::render(err);
    match app {
        Some(app) => app.ui.error(&text),
        None => {
            let _ = write!(std::io::stderr(), "{text}");
        }
    }
    error::exit_code_of(err).code()
}

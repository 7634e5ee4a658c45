//! `exec watch <invocation-id>` (and `invoke --wait`): poll until a
//! terminal status, the deadline, or Ctrl+C. Status changes go to stderr
//! (a spinner on a terminal), the final invocation to stdout.

use std::time::Duration;

use anyhow::Result;
use bytes::Bytes;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::time::Instant;

use crate::api::models::Invocation;
use crate::api::{self, Client};
use crate::app::App;
use crate::cli::exec::{WatchArgs, WatchOpts};
use crate::error::{CliError, ExitCode};
use crate::output::sanitize::sanitize_line;
use crate::output::shell;
use crate::output::time::{self, DurationStyle};
use crate::output::Ui;

use super::view::{self, approval_lines, is_terminal};

const DEFAULT_INTERVAL: f64 = 2.0;
const DEFAULT_TIMEOUT: f64 = 600.0;

#[derive(Debug, Clone, Copy)]
pub(super) struct WatchSettings {
    interval: Duration,
    timeout: Duration,
}

impl From<&WatchOpts> for WatchSettings {
    fn from(opts: &WatchOpts) -> Self {
        WatchSettings {
            interval: Duration::from_secs_f64(opts.interval.unwrap_or(DEFAULT_INTERVAL)),
            timeout: Duration::from_secs_f64(opts.timeout.unwrap_or(DEFAULT_TIMEOUT)),
        }
    }
}

pub(super) async fn run(app: &App, args: WatchArgs) -> Result<()> {
    api::invocations::get(&args.id)?;
    let client = app.client()?;
    watch(app, &client, &args.id, (&args.watch).into(), None).await
}

/// Watch invocation `id`. `known` is the invocation already in hand (from
/// invoke/rerun): it is reported at once and the first poll waits one interval.
pub(super) async fn watch(
    app: &App,
    client: &Client,
    id: &str,
    settings: WatchSettings,
    known: Option<(Invocation, Bytes)>,
) -> Result<()> {
    // lib.rs also listens for Ctrl+C; if it wins the race, dropping this
    // guard still tells the user how to resume.
    let mut guard = ResumeGuard {
        ui: app.ui.clone(),
        id: Some(id.to_string()),
    };
    let result = tokio::select! {
        biased;
        _ = tokio::signal::ctrl_c() => Err(CliError::new(
            ExitCode::Interrupted,
            format!("interrupted while watching invocation {id}"),
        )
        .with_hint(resume_hint(id))
        .into()),
        result = poll_loop(app, client, id, settings, known) => result,
    };
    guard.id = None;
    result
}

fn resume_hint(id: &str) -> String {
    format!("resume with: xeroctl exec watch {}", shell::arg(id))
}

struct ResumeGuard {
    ui: Ui,
    id: Option<String>,
}

impl Drop for ResumeGuard {
    fn drop(&mut self) {
        if let Some(id) = &self.id {
            self.ui.hint(&resume_hint(id));
        }
    }
}

async fn poll_loop(
    app: &App,
    client: &Client,
    id: &str,
    settings: WatchSettings,
    known: Option<(Invocation, Bytes)>,
) -> Result<()> {
    let request = api::invocations::get(id)?;
    let deadline = Instant::now() + settings.timeout;
    let mut progress = Progress::new(&app.ui, id);
    let mut last_error: Option<CliError> = None;
    let mut first = known;
    loop {
        let polled = match first.take() {
            Some(known) => Some(Ok(known)),
            None => tokio::time::timeout_at(deadline, client.send(&request))
                .await
                .ok()
                .map(|r| r.and_then(|resp| Ok((resp.decode::<Invocation>()?, resp.body)))),
        };
        match polled {
            None => break,
            Some(Ok((inv, body))) => {
                last_error = None;
                progress.observe(&inv);
                let status = inv.status.as_deref().unwrap_or("");
                if is_terminal(status) {
                    progress.finish();
                    view::print_or_json(app, &inv, &body)?;
                    return outcome(id, &inv);
                }
            }
            Some(Err(err)) if err.is_transient() => {
                app.ui
                    .trace(&format!("poll failed ({err}); retrying until the deadline"));
                progress.transient();
                last_error = Some(err);
            }
            Some(Err(err)) => {
                progress.finish();
                return Err(err.into());
            }
        }
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        tokio::time::sleep(settings.interval.min(deadline - now)).await;
        if Instant::now() >= deadline {
            break;
        }
    }
    progress.finish();
    Err(deadline_error(id, settings.timeout, progress.last.as_deref(), last_error).into())
}

fn deadline_error(
    id: &str,
    timeout: Duration,
    last_status: Option<&str>,
    last_error: Option<CliError>,
) -> CliError {
    let mut message = format!(
        "gave up watching invocation {id} after {}",
        time::duration(timeout, DurationStyle::Spaced)
    );
    match (last_status, &last_error) {
        (_, Some(err)) => message.push_str(&format!("; the last poll failed: {err}")),
        (Some(status), None) => message.push_str(&format!(" (still {status})")),
        (None, None) => {}
    }
    CliError::new(ExitCode::WatchDeadline, message).with_hint(format!(
        "it may still finish; keep watching with: xeroctl exec watch {} (raise --timeout to wait longer)",
        shell::arg(id)
    ))
}

/// Exit 0 for completed, 7 for every other terminal status.
fn outcome(id: &str, inv: &Invocation) -> Result<()> {
    let status = inv.status.as_deref().unwrap_or("?");
    if status == "completed" {
        return Ok(());
    }
    let mut message = format!("invocation {id} ended {status}");
    if let Some(error) = inv.error.as_deref().filter(|e| !e.trim().is_empty()) {
        message.push_str(&format!(": {error}"));
    }
    let mut err = CliError::new(ExitCode::WatchFailed, message);
    if let Some(exec) = &inv.execution_id {
        err = err.with_hint(format!(
            "inspect it with: xeroctl exec show {0} (output: xeroctl exec raw {0})",
            shell::arg(exec)
        ));
    } else if let (Some(approval), "rejected") = (&inv.approval_id, status) {
        err = err.with_hint(format!(
            "see why with: xeroctl approvals show {}",
            shell::arg(approval)
        ));
    }
    Err(err.into())
}

/// Status changes on stderr: a spinner on a terminal, plain lines otherwise.
struct Progress {
    ui: Ui,
    id: String,
    bar: Option<ProgressBar>,
    last: Option<String>,
    approval_shown: bool,
}

impl Progress {
    fn new(ui: &Ui, id: &str) -> Progress {
        let bar = ui
            .terminal()
            .stderr
            .then(|| ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()))
            // indicatif hides a bar when TERM is unset or `dumb`, and a
            // hidden bar prints nothing, status lines included: use plain
            // lines then.
            .filter(|bar| !bar.is_hidden())
            .inspect(|bar| {
                if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
                    bar.set_style(style);
                }
                crate::output::terminal::hold_ctrl_echo();
                bar.enable_steady_tick(Duration::from_millis(120));
            });
        let mut progress = Progress {
            ui: ui.clone(),
            id: sanitize_line(id).into_owned(),
            bar,
            last: None,
            approval_shown: false,
        };
        progress.set_message("waiting for the first status");
        progress
    }

    fn set_message(&mut self, what: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("invocation {}: {what}", self.id));
        }
    }

    fn line(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => self.ui.note(line),
        }
    }

    fn observe(&mut self, inv: &Invocation) {
        let status = sanitize_line(inv.status.as_deref().unwrap_or("unknown")).into_owned();
        if self.last.as_deref() != Some(status.as_str()) {
            let line = match &self.last {
                Some(previous) => format!("status: {previous} -> {status}"),
                None => format!("status: {status}"),
            };
            self.line(&line);
            self.set_message(&status);
            self.last = Some(status.clone());
        }
        if status == "pending_approval" && !self.approval_shown {
            self.approval_shown = true;
            for line in approval_lines(inv) {
                self.line(&line);
            }
            self.set_message("pending_approval (waiting for a human to approve)");
        }
    }

    fn transient(&mut self) {
        let status = self.last.clone().unwrap_or_else(|| "unknown".into());
        self.set_message(&format!("{status} (router unreachable, retrying)"));
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

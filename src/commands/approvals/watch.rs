//! `xeroctl approvals watch`: poll the approvals list and print each
//! approval not seen before, as a table row (header once) or one compact
//! JSON object per line, until Ctrl+C or a bound (`--max-events`,
//! `--timeout`).

use std::collections::HashSet;
use std::io::Write;
use std::time::Duration;

use anyhow::Result;
use owo_colors::{AnsiColors, OwoColorize};
use serde_json::value::RawValue;
use tokio::time::Instant;

use crate::api::models::Approval;
use crate::api::{self, Client, Pager};
use crate::app::App;
use crate::cli::approvals::ApprovalsWatchArgs;
use crate::error::CliError;
use crate::output::sanitize::sanitize_line;
use crate::output::style::{self, Tone};
use crate::output::time;

/// Pages read per poll at most (100 each): a backlog larger than this is
/// read over several polls, each poll going on from where the last stopped.
const MAX_PAGES_PER_POLL: usize = 20;

/// Ids remembered as printed at most. The set is pruned to the pending ids
/// at the end of every full sweep of the list, so it only reaches this with
/// a backlog this large; then the oldest are forgotten (with a warning).
const MAX_SEEN: usize = 200_000;

/// Column widths of the streamed table (values that are longer push on).
const COLUMNS: [(&str, usize); 6] = [
    ("ID", 36),
    ("STATUS", 8),
    ("RISK", 12),
    ("TOOL", 22),
    ("WORKSPACE", 14),
    ("CREATED", 19),
];

pub(super) async fn run(app: &App, args: &ApprovalsWatchArgs) -> Result<()> {
    let client = app.client()?;
    let status = args.status.as_str();
    let interval = Duration::from_secs_f64(args.interval);
    let deadline = args
        .timeout
        .map(|t| Instant::now() + Duration::from_secs_f64(t));
    let mut printer = Printer::new(app);
    let mut seen = Seen::default();
    // Where the next poll goes on from: `None` starts a new sweep.
    let mut resume: Option<String> = None;
    let mut failing = false;
    app.ui.note(&format!(
        "Watching for {status} approvals every {} s (Ctrl+C to stop)…",
        args.interval
    ));
    loop {
        let poll = poll(
            &client,
            status,
            args.filters.risk.map(|r| r.as_str()),
            args.filters.workspace.as_deref(),
            resume.clone(),
        );
        let result = match deadline {
            Some(d) => match tokio::time::timeout_at(d, poll).await {
                Ok(r) => r,
                Err(_) => return stop_at_deadline(app),
            },
            None => poll.await,
        };
        match result {
            Ok(polled) => {
                if failing {
                    app.ui.note("The router answers again; still watching.");
                    failing = false;
                }
                for (approval, line) in polled.items {
                    if !seen.insert(&approval.id) {
                        continue;
                    }
                    printer.print(&approval, &line)?;
                    if args.max_events.is_some_and(|max| printer.count >= max) {
                        return Ok(());
                    }
                }
                if seen.overflowed() {
                    app.ui.warn(&format!(
                        "more than {MAX_SEEN} pending approvals: the oldest are no longer remembered and may be printed again"
                    ));
                }
                resume = polled.next;
                if resume.is_none() {
                    seen.end_sweep();
                } else {
                    // More of the backlog to read: go on without waiting.
                    continue;
                }
            }
            Err(e) if resume.is_some() && !e.is_transient() => {
                // The cursor may be gone (that approval was resolved):
                // start a new sweep; the seen-set keeps it exactly once.
                app.ui.trace(&format!(
                    "poll from the saved cursor failed ({e}); starting over"
                ));
                resume = None;
                continue;
            }
            Err(e) if e.is_transient() => {
                app.ui.trace(&format!(
                    "poll failed ({e}); polling again in {} s",
                    args.interval
                ));
                if !failing {
                    app.ui.warn(&format!("{e}; still polling"));
                    failing = true;
                }
            }
            Err(e) => return Err(e.into()),
        }
        let wake = Instant::now() + interval;
        match deadline {
            Some(d) if d <= wake => {
                tokio::time::sleep_until(d).await;
                return stop_at_deadline(app);
            }
            _ => tokio::time::sleep_until(wake).await,
        }
    }
}

fn stop_at_deadline(app: &App) -> Result<()> {
    app.ui.note("Stopped watching: --timeout reached.");
    Ok(())
}

/// What one poll read, and where the next goes on from (`None`: the list
/// was read to its end, so the next poll starts a new sweep).
struct Polled {
    items: Vec<(Approval, String)>,
    next: Option<String>,
}

/// One poll: up to `MAX_PAGES_PER_POLL` pages of the filtered list from
/// `after`, each approval with its compact JSON line.
async fn poll(
    client: &Client,
    status: &str,
    risk: Option<&str>,
    workspace: Option<&str>,
    after: Option<String>,
) -> Result<Polled, CliError> {
    let request = api::approvals::list(api::approvals::Filters {
        status: Some(status),
        risk,
        workspace_id: workspace,
    });
    let mut pager = Pager::new(client, request, Some(100), after, true).at_most(MAX_PAGES_PER_POLL);
    let mut items = Vec::new();
    let mut next = None;
    for _ in 0..MAX_PAGES_PER_POLL {
        let Some(page) = pager.next_page::<Box<RawValue>>().await? else {
            next = None;
            break;
        };
        next = page.has_more.then(|| page.last_id.clone()).flatten();
        for raw in page.data {
            let approval: Approval = serde_json::from_str(raw.get()).map_err(|e| {
                CliError::failure(format!(
                    "the router sent an approval it could not read ({e})"
                ))
            })?;
            items.push((approval, compact(raw.get())?));
        }
        if next.is_none() {
            break;
        }
    }
    Ok(Polled { items, next })
}

/// The ids printed so far, pruned at the end of each full sweep to the ids
/// that sweep saw (an approval once resolved never lists as pending again),
/// so memory follows the backlog, capped at `MAX_SEEN`.
#[derive(Default)]
struct Seen {
    printed: HashSet<String>,
    /// Ids seen by the sweep under way, in the order first seen.
    sweep: Vec<String>,
    overflow: bool,
    warned: bool,
}

impl Seen {
    /// `true` when `id` was not printed before.
    fn insert(&mut self, id: &str) -> bool {
        if self.sweep.len() >= 2 * MAX_SEEN {
            // A list that never ends: keep the newest half.
            self.sweep.drain(..MAX_SEEN);
        }
        if self.printed.contains(id) {
            self.sweep.push(id.to_string());
            return false;
        }
        if self.printed.len() >= MAX_SEEN {
            // Forget the oldest half of this sweep's ids.
            let drop = self.sweep.len().min(MAX_SEEN / 2);
            for old in self.sweep.drain(..drop) {
                self.printed.remove(&old);
            }
            if self.printed.len() >= MAX_SEEN {
                self.printed.clear();
            }
            self.overflow = true;
        }
        self.printed.insert(id.to_string());
        self.sweep.push(id.to_string());
        true
    }

    /// Whether ids were forgotten (reported once).
    fn overflowed(&mut self) -> bool {
        let tell = self.overflow && !self.warned;
        self.warned |= tell;
        tell
    }

    /// A sweep read the list to its end: keep only the ids it saw.
    fn end_sweep(&mut self) {
        let keep: HashSet<String> = self.sweep.drain(..).collect();
        self.printed.retain(|id| keep.contains(id));
    }
}

/// The item's JSON on one line, key order and numbers as sent.
fn compact(raw: &str) -> Result<String, CliError> {
    crate::output::json::compact_line(raw)
        .and_then(|line| String::from_utf8(line).ok())
        .ok_or_else(|| CliError::failure("could not re-encode an approval as one JSON line"))
}

struct Printer<'a> {
    app: &'a App,
    header_done: bool,
    count: u64,
}

impl<'a> Printer<'a> {
    fn new(app: &'a App) -> Self {
        Printer {
            app,
            header_done: false,
            count: 0,
        }
    }

    fn print(&mut self, a: &Approval, json_line: &str) -> Result<()> {
        let mut out = self.app.ui.out();
        if self.app.ui.prints_document() {
            drop(out);
            self.app.ui.print_stream_object(json_line)?;
            self.count += 1;
            return Ok(());
        } else {
            if !self.header_done && !self.app.ui.table.no_headers {
                let header: Vec<String> = COLUMNS.iter().map(|(h, w)| pad(h, *w)).collect();
                let line = header.join("  ");
                if self.app.ui.color {
                    writeln!(out, "{}", line.trim_end().bold())?;
                } else {
                    writeln!(out, "{}", line.trim_end())?;
                }
                self.header_done = true;
            }
            let field = |v: Option<&str>| {
                v.filter(|s| !s.is_empty())
                    .map(|s| sanitize_line(s).into_owned())
                    .unwrap_or_else(|| "-".into())
            };
            let cells = [
                field(Some(&a.id)),
                field(a.status.as_deref()),
                field(a.risk.as_deref()),
                field(a.tool.as_deref()),
                field(a.workspace_id.as_deref()),
                time::absolute(a.created_at.as_deref()),
            ];
            let mut line = String::new();
            for (i, (cell, (_, width))) in cells.iter().zip(COLUMNS).enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                let padded = if i + 1 == cells.len() {
                    cell.clone()
                } else {
                    pad(cell, width)
                };
                // Status and risk words are coloured like in tables.
                if self.app.ui.color && (i == 1 || i == 2) {
                    line.push_str(&paint(cell, &padded));
                } else {
                    line.push_str(&padded);
                }
            }
            writeln!(out, "{}", line.trim_end())?;
        }
        out.flush()?;
        self.count += 1;
        Ok(())
    }
}

fn pad(s: &str, width: usize) -> String {
    format!("{s:<width$}")
}

fn paint(word: &str, padded: &str) -> String {
    let color = match Tone::of_status(word) {
        Tone::Good => AnsiColors::Green,
        Tone::Waiting => AnsiColors::Yellow,
        Tone::Bad => AnsiColors::Red,
        Tone::Muted => return style::muted(padded),
        Tone::Plain => return padded.to_string(),
    };
    padded.color(color).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_keeps_order_and_is_one_line() {
        let raw = "{\n  \"id\": \"a1\",\n  \"b\": 1,\n  \"a\": \"x\\ny\"\n}";
        assert_eq!(compact(raw).unwrap(), r#"{"id":"a1","b":1,"a":"x\ny"}"#);
    }
}

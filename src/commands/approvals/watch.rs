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
/// seen over several polls.
const MAX_PAGES_PER_POLL: usize = 20;

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
    let mut seen: HashSet<String> = HashSet::new();
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
        );
        let result = match deadline {
            Some(d) => match tokio::time::timeout_at(d, poll).await {
                Ok(r) => r,
                Err(_) => return stop_at_deadline(app),
            },
            None => poll.await,
        };
        match result {
            Ok(items) => {
                if failing {
                    app.ui.note("The router answers again; still watching.");
                    failing = false;
                }
                for (approval, line) in items {
                    if !seen.insert(approval.id.clone()) {
                        continue;
                    }
                    printer.print(&approval, &line)?;
                    if args.max_events.is_some_and(|max| printer.count >= max) {
                        return Ok(());
                    }
                }
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

/// One poll: every page of the filtered list (bounded), each approval with
/// its compact JSON line.
async fn poll(
    client: &Client,
    status: &str,
    risk: Option<&str>,
    workspace: Option<&str>,
) -> Result<Vec<(Approval, String)>, CliError> {
    let request = api::approvals::list(api::approvals::Filters {
        status: Some(status),
        risk,
        workspace_id: workspace,
    });
    let mut pager = Pager::new(client, request, Some(100), None, true);
    let mut items = Vec::new();
    for _ in 0..MAX_PAGES_PER_POLL {
        let Some(page) = pager.next_page::<Box<RawValue>>().await? else {
            break;
        };
        for raw in page.data {
            let approval: Approval = serde_json::from_str(raw.get()).map_err(|e| {
                CliError::failure(format!(
                    "the router sent an approval it could not read ({e})"
                ))
            })?;
            items.push((approval, compact(raw.get())?));
        }
    }
    Ok(items)
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
        if self.app.ui.is_json() {
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

//! `exec stream`: follow `GET /exec/executions/stream` (Server-Sent Events)
//! and print each execution update as it comes, reconnecting with backoff
//! when the stream drops, until Ctrl+C (or `--max-events`).

use std::io::Write;
use std::time::Duration;

use anyhow::Result;
use owo_colors::OwoColorize;
use serde_json::Value;

use crate::api::{self, errors};
use crate::app::App;
use crate::cli::exec::StreamArgs;
use crate::error::CliError;
use crate::output::sanitize::sanitize_line;
use crate::output::style::{self, Tone};
use crate::output::time::{self, DurationStyle};
use crate::output::Ui;

use super::sse::{SseEvent, SseParser};

/// Reconnect delay when the server sent no `retry:`.
const FIRST_DELAY: Duration = Duration::from_secs(1);
/// A server's `retry:` below this is raised to it: `retry: 0` must not turn
/// the stream into a hot reconnect loop.
const MIN_RETRY: Duration = Duration::from_millis(500);
const MAX_DELAY: Duration = Duration::from_secs(30);
/// Event ids remembered to drop an event sent again (a server that ignores
/// `Last-Event-ID` and replays): the most recent ones, at most this many.
/// 10,000 covers any replay of a reconnect (a server resends from its
/// buffer, not from the start of time) and keeps a stream of hours flat in
/// memory (about 240 KB at most; the 100,000-event soak in BENCHMARKS.md).
const REMEMBERED_IDS: usize = 10_000;

pub async fn run(app: &App, args: StreamArgs) -> Result<()> {
    let client = app.client()?;
    let mut parser = SseParser::default();
    let mut printer = Printer::new(&app.ui);
    let mut delivered = Delivered::default();
    let mut printed = 0u64;
    let mut failures = 0u32;
    loop {
        let mut req = api::executions::stream();
        if let Some(id) = parser.last_event_id().filter(|id| is_header_safe(id)) {
            req = req.header("last-event-id", id);
        }
        let reason = match client.send_streaming(&req).await {
            Ok(mut resp) => {
                parser.reset_partial();
                if failures > 0 {
                    app.ui.note("Reconnected.");
                }
                loop {
                    match resp.chunk().await {
                        Ok(Some(chunk)) => {
                            let events = parser.feed(&chunk).map_err(|_| {
                                CliError::failure(
                                    "the stream sent an event larger than 8 MiB; giving up",
                                )
                            })?;
                            for event in events {
                                if !delivered.first_time(event.id.as_deref()) {
                                    app.ui.trace(&format!(
                                        "dropping event `{}`: already delivered",
                                        sanitize_line(event.id.as_deref().unwrap_or_default())
                                    ));
                                    continue;
                                }
                                if printer.event(app, &event)? {
                                    printed += 1;
                                    failures = 0;
                                    if args.max_events.is_some_and(|max| printed >= max) {
                                        return Ok(());
                                    }
                                }
                            }
                        }
                        Ok(None) => break "the router closed the stream".to_string(),
                        Err(e) => {
                            break errors::from_transport(
                                &e,
                                &client.url(&req),
                                app.request_timeout(),
                            )
                            .message()
                            .to_string()
                        }
                    }
                }
            }
            Err(err) if !err.is_transient() => return Err(err.into()),
            Err(err) => err.to_string(),
        };
        let delay = reconnect_delay(parser.retry(), failures);
        failures = failures.saturating_add(1);
        app.ui.note(&format!(
            "stream dropped ({}); reconnecting in {}",
            sanitize_line(&reason),
            time::duration(delay, DurationStyle::Tenths)
        ));
        tokio::time::sleep(delay).await;
    }
}

/// The ids of the events delivered lately, oldest first, kept as keyed
/// 64-bit hashes: 16 bytes an id instead of two `String`s (about 120 bytes),
/// so a long stream's memory stays near flat. The key is random per run, so
/// a server cannot choose ids that collide; by chance, two of 100,000 ids
/// collide about once in 10^9 runs.
#[derive(Default)]
struct Delivered {
    keys: std::hash::RandomState,
    ids: std::collections::HashSet<u64>,
    order: std::collections::VecDeque<u64>,
}

impl Delivered {
    /// `false` for an event delivered before (by its own id); an event
    /// without an id always counts as new.
    fn first_time(&mut self, id: Option<&str>) -> bool {
        use std::hash::BuildHasher;
        let Some(id) = id else {
            return true;
        };
        let key = self.keys.hash_one(id);
        if self.ids.contains(&key) {
            return false;
        }
        if self.order.len() >= REMEMBERED_IDS {
            if let Some(old) = self.order.pop_front() {
                self.ids.remove(&old);
            }
        }
        self.ids.insert(key);
        self.order.push_back(key);
        true
    }
}

/// Only visible ASCII goes into a header (the id comes from the server).
fn is_header_safe(id: &str) -> bool {
    id.len() <= 256 && id.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// The delay before the next reconnect: the server's `retry:` (at least
/// 500 ms; 1 s when it sent none) the first time, then doubled for each
/// consecutive failed reconnect, at most 30 s, with jitter from the second
/// try on (so many clients dropped together do not return in lockstep).
/// `failures` goes back to 0 once an event arrives.
fn reconnect_delay(retry: Option<Duration>, failures: u32) -> Duration {
    let ceiling = reconnect_ceiling(retry, failures);
    if failures == 0 {
        return ceiling;
    }
    // Between half and all of the ceiling, never below the floor.
    let half = ceiling / 2;
    let jitter = Duration::from_millis(fastrand::u64(0..=half.as_millis() as u64));
    (half + jitter).max(MIN_RETRY)
}

/// [`reconnect_delay`] without the jitter: its upper bound.
fn reconnect_ceiling(retry: Option<Duration>, failures: u32) -> Duration {
    let base = retry
        .map_or(FIRST_DELAY, |r| r.max(MIN_RETRY))
        .min(MAX_DELAY);
    base.saturating_mul(1u32 << failures.min(16)).min(MAX_DELAY)
}

/// Prints updates: one compact JSON object per line, or one table row.
struct Printer {
    json: bool,
    color: bool,
    header_done: bool,
}

const WIDTHS: [usize; 5] = [36, 36, 22, 10, 5];

impl Printer {
    fn new(ui: &Ui) -> Printer {
        Printer {
            json: ui.prints_document(),
            color: ui.color,
            // `--no-headers`: as if the header were already out.
            header_done: ui.table.no_headers,
        }
    }

    /// Print one SSE event; `false` when it was not an execution update.
    fn event(&mut self, app: &App, event: &SseEvent) -> Result<bool> {
        if event.event != "execution.updated" && event.event != "message" {
            app.ui.trace(&format!(
                "ignoring a `{}` event",
                sanitize_line(&event.event)
            ));
            return Ok(false);
        }
        let mut out = app.ui.out();
        if self.json {
            drop(out);
            if let Err(e) = app.ui.print_stream_object(&event.data) {
                if crate::error::is_broken_pipe(&e) || e.downcast_ref::<CliError>().is_some() {
                    return Err(e);
                }
                app.ui.warn("skipped a stream update that is not JSON");
                return Ok(false);
            }
            return Ok(true);
        }
        let Ok(update) = serde_json::from_str::<Value>(&event.data) else {
            app.ui.warn("skipped a stream update that is not JSON");
            return Ok(false);
        };
        if !self.header_done {
            self.header_done = true;
            let header = self.row(&["ID", "INVOCATION", "TOOL", "STATUS", "EXIT", "UPDATED"]);
            if self.color {
                writeln!(out, "{}", header.bold())?;
            } else {
                writeln!(out, "{header}")?;
            }
        }
        let field = |key: &str| match update.get(key) {
            Some(Value::String(s)) if !s.is_empty() => sanitize_line(s).into_owned(),
            Some(Value::Number(n)) => n.to_string(),
            _ => "-".to_string(),
        };
        let status = field("status");
        let updated = ["updated_at", "completed_at", "created_at"]
            .iter()
            .find_map(|k| update.get(*k).and_then(Value::as_str))
            .map(|t| time::absolute(Some(t)))
            .unwrap_or_else(|| "-".into());
        let cells = [
            field("id"),
            field("invocation_id"),
            field("tool"),
            status.clone(),
            field("exit_code"),
            updated,
        ];
        let mut line = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let padded = match WIDTHS.get(i) {
                Some(w) => format!("{cell:<w$}  "),
                None => cell.clone(),
            };
            if i == 3 && self.color {
                line.push_str(&paint(&padded, &status));
            } else {
                line.push_str(&padded);
            }
        }
        writeln!(out, "{}", line.trim_end())?;
        out.flush()?;
        Ok(true)
    }

    fn row(&self, cells: &[&str]) -> String {
        let mut line = String::new();
        for (i, cell) in cells.iter().enumerate() {
            match WIDTHS.get(i) {
                Some(w) => line.push_str(&format!("{cell:<w$}  ")),
                None => line.push_str(cell),
            }
        }
        line.trim_end().to_string()
    }
}

fn paint(text: &str, status: &str) -> String {
    match Tone::of_status(status) {
        Tone::Good => text.green().to_string(),
        Tone::Waiting => text.yellow().to_string(),
        Tone::Bad => text.red().to_string(),
        Tone::Muted => style::muted(text),
        Tone::Plain => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_retry_and_is_capped() {
        assert_eq!(reconnect_delay(None, 0), Duration::from_secs(1));
        assert_eq!(reconnect_ceiling(None, 2), Duration::from_secs(4));
        assert_eq!(reconnect_ceiling(None, 10), MAX_DELAY);
        assert_eq!(reconnect_ceiling(None, u32::MAX), MAX_DELAY);
        assert_eq!(
            reconnect_ceiling(Some(Duration::from_millis(800)), 1),
            Duration::from_millis(1600)
        );
        assert_eq!(
            reconnect_delay(Some(Duration::from_secs(3600)), 0),
            MAX_DELAY
        );
    }

    #[test]
    fn retry_below_the_floor_is_raised_and_later_tries_are_jittered() {
        let ms = Duration::from_millis;
        for retry in [0, 1, 10, 499] {
            assert_eq!(reconnect_delay(Some(ms(retry)), 0), MIN_RETRY);
            assert_eq!(reconnect_ceiling(Some(ms(retry)), 1), ms(1000));
        }
        for failures in 1..8 {
            let ceiling = reconnect_ceiling(Some(ms(0)), failures);
            for _ in 0..50 {
                let d = reconnect_delay(Some(ms(0)), failures);
                assert!(d >= MIN_RETRY && d >= ceiling / 2 && d <= ceiling, "{d:?}");
            }
        }
    }

    #[test]
    fn delivered_drops_repeats_and_forgets_the_oldest() {
        let mut d = Delivered::default();
        assert!(d.first_time(Some("1")));
        assert!(!d.first_time(Some("1")));
        assert!(d.first_time(None));
        assert!(d.first_time(None));
        for i in 2..=REMEMBERED_IDS + 1 {
            assert!(d.first_time(Some(&i.to_string())));
        }
        assert_eq!(d.ids.len(), REMEMBERED_IDS);
        // "1" was the oldest: forgotten; the newest are remembered.
        assert!(d.first_time(Some("1")));
        assert!(!d.first_time(Some(&(REMEMBERED_IDS + 1).to_string())));
    }

    #[test]
    fn header_ids_are_checked() {
        assert!(is_header_safe("evt-12"));
        assert!(!is_header_safe("a\r\nX-Evil: 1"));
    }
}

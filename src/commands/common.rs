//! Helpers every command group shares: listing (one page or `--all`),
//! confirmation rules, dry runs and option checks.

use std::io::Write;

use anyhow::Result;
use comfy_table::Cell;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::value::RawValue;
use serde_json::{json, Map, Value};

use crate::api::models::Page;
use crate::api::{ApiRequest, Client, Pager};
use crate::app::App;
use crate::cli::PageArgs;
use crate::error::CliError;
use crate::output::fields;
use crate::output::json::ListWriter;
use crate::output::table::{ListTable, StreamingTable};
use crate::output::OutputFormat;

/// How a list is shown in table mode.
pub struct ListSpec<'a, T> {
    /// Plural noun for notes: "agents", "join keys".
    pub noun: &'a str,
    pub headers: &'a [&'a str],
    pub row: &'a dyn Fn(&T) -> Vec<Cell>,
}

/// List one page (or every page with `--all`), as a table or a document
/// (JSON, YAML, ids, `--jq`). `--columns` is checked against `T`'s fields
/// before any request.
pub async fn list<T: DeserializeOwned>(
    app: &App,
    client: &Client,
    request: ApiRequest,
    page: &PageArgs,
    spec: ListSpec<'_, T>,
) -> Result<()> {
    if let Some(columns) = &app.ui.table.columns {
        fields::check::<T>(columns)?;
    }
    let mut pager = Pager::new(
        client,
        request.clone(),
        page.limit,
        page.after.clone(),
        page.all,
    );
    if app.ui.prints_document() {
        if !page.all {
            // One page: the body as the router sent it, after a shape check.
            let req = request
                .query("limit", page.limit)
                .query("after", page.after.as_deref());
            let resp = client.send(&req).await?;
            resp.decode::<Page<IgnoredAny>>()?;
            return app.ui.print_json_bytes(&resp.body);
        }
        return list_all_documents(app, &mut pager).await;
    }
    match app.ui.table.columns.clone() {
        Some(columns) => {
            let headers = fields::headers(&columns);
            let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
            let row = |item: &Map<String, Value>| fields::row(item, &columns);
            let spec = ListSpec {
                noun: spec.noun,
                headers: &headers,
                row: &row,
            };
            list_table(app, &mut pager, page, spec).await
        }
        None => list_table(app, &mut pager, page, spec).await,
    }
}

/// `--all` as a document. JSON is streamed item by item and ids page by
/// page (memory stays flat); YAML and `--jq` need the whole merged
/// envelope, so it is assembled in memory first (`.data | length` then
/// counts every item, not one page).
async fn list_all_documents(app: &App, pager: &mut Pager<'_>) -> Result<()> {
    let whole_document = app.ui.jq.is_some() || app.ui.format == OutputFormat::Yaml;
    if whole_document {
        let mut writer = ListWriter::begin(Vec::new())?;
        while let Some(page) = pager.next_page::<Box<RawValue>>().await? {
            writer.page_cursors(page.first_id.as_deref(), page.last_id.as_deref());
            for item in &page.data {
                writer.item(item.get())?;
            }
        }
        return app.ui.print_json_bytes(&writer.finish()?);
    }
    if app.ui.format == OutputFormat::Name {
        while let Some(page) = pager.next_page::<Box<RawValue>>().await? {
            for item in &page.data {
                app.ui.print_stream_object(item.get())?;
            }
        }
        return Ok(());
    }
    // While a page is written here, the pager has the next one on its way.
    let mut writer = ListWriter::begin(app.ui.out())?;
    while let Some(page) = pager.next_page::<Box<RawValue>>().await? {
        writer.page_cursors(page.first_id.as_deref(), page.last_id.as_deref());
        for item in &page.data {
            writer.item(item.get())?;
        }
        writer.end_page()?;
    }
    writer.finish()?;
    Ok(())
}

/// A list as a table: one page with a hint for the next, or every page
/// printed as it arrives (bounded memory).
async fn list_table<T: DeserializeOwned>(
    app: &App,
    pager: &mut Pager<'_>,
    page: &PageArgs,
    spec: ListSpec<'_, T>,
) -> Result<()> {
    if page.all {
        let mut table = StreamingTable::new(spec.headers);
        let mut progress = app.ui.progress(spec.noun);
        while let Some(page) = pager.next_page::<T>().await? {
            let rows = page.data.iter().map(spec.row).collect();
            // The count steps aside while rows are printed.
            progress.suspend(|| table.page(&app.ui, rows))?;
            progress.add(page.data.len());
        }
        drop(progress);
        if table.is_empty() {
            app.ui.note(&format!("No {} found.", spec.noun));
        }
        return Ok(());
    }
    let mut table = ListTable::new(&app.ui, spec.headers);
    let mut more_after: Option<String> = None;
    if let Some(page) = pager.next_page::<T>().await? {
        for item in &page.data {
            table.row((spec.row)(item));
        }
        more_after = page.has_more.then(|| page.last_id.clone()).flatten();
    }
    if table.is_empty() {
        app.ui.note(&format!("No {} found.", spec.noun));
        return Ok(());
    }
    table.print(&app.ui)?;
    if let Some(after) = more_after {
        app.ui.hint(&format!(
            "more {} exist: add --after {} for the next page, or --all for everything",
            spec.noun,
            crate::output::shell::arg(&after)
        ));
    }
    Ok(())
}

/// The destructive-action rule: `--force` skips the prompt; without a
/// terminal and without `--force`, refuse and send nothing; on a terminal,
/// ask (default No).
pub async fn confirm(app: &App, force: bool, question: &str, action: &str) -> Result<()> {
    if force {
        return Ok(());
    }
    if !app.can_prompt() {
        return Err(CliError::usage(format!(
            "refusing to {action} without confirmation: no terminal to ask on"
        ))
        .with_hint("re-run with --force (or --yes) to skip the prompt, or --dry-run to see what would happen")
        .into());
    }
    if ask_yes_no(app, question).await? {
        Ok(())
    } else {
        Err(CliError::usage(format!("aborted: did not {action}")).into())
    }
}

/// A yes/no question on the terminal, default No (Esc too).
pub async fn ask_yes_no(app: &App, question: &str) -> Result<bool, CliError> {
    let question = one_row_question(app, question);
    // On a blocking thread, like `ask_hidden`: the runtime stays free to
    // take Ctrl+C and end the run (exit 130) with nothing sent.
    let answer = on_prompt_thread(move || {
        dialoguer::Confirm::new()
            .with_prompt(question)
            .default(false)
            .interact_opt()
    })
    .await?;
    Ok(answer == Some(true))
}

/// The prompt, answered, clears only its last row and prints itself again
/// with the answer: a question that wraps would leave its first rows, then
/// repeat them. So a question wider than the terminal (room kept for
/// ` [y/N] yes`) goes above as lines broken at spaces, and the prompt is
/// its last line.
fn one_row_question(app: &App, question: &str) -> String {
    const ANSWER: usize = " [y/N] yes".len();
    let columns = console::Term::stderr()
        .size_checked()
        .map(|(_, cols)| usize::from(cols))
        .filter(|cols| *cols > ANSWER);
    let Some(columns) = columns else {
        return question.to_string();
    };
    // Lines above may take the whole row; the prompt's needs the room.
    let mut lines = crate::output::fit::wrap_words(question, columns);
    let mut last = lines.pop().unwrap_or_default();
    if crate::output::fit::width(&last) > columns - ANSWER {
        let mut tail = crate::output::fit::wrap_words(&last, columns - ANSWER);
        last = tail.pop().unwrap_or_default();
        lines.extend(tail);
    }
    for line in &lines {
        app.ui.note(line);
    }
    last
}

/// A dialoguer answer. The one place a prompt's failure is mapped: Ctrl+C
/// becomes "interrupted" (exit 130), anything else a usage error.
pub fn prompt<T>(answer: dialoguer::Result<T>) -> Result<T, CliError> {
    answer.map_err(|e| match e {
        dialoguer::Error::IO(io) if io.kind() == std::io::ErrorKind::Interrupted => {
            // The prompt's line was left open: the error starts a new one.
            crate::output::terminal::prompt_shown();
            CliError::interrupted()
        }
        other => CliError::usage(format!("could not read the answer: {other}")),
    })
}

/// GET one object. With `-o json` the router's JSON is printed as is and
/// `None` comes back; otherwise the decoded object, for a detail view
/// (`--columns` was refused before: commands/mod.rs).
pub async fn fetch_one<T: DeserializeOwned>(
    app: &App,
    client: &Client,
    request: ApiRequest,
) -> Result<Option<T>> {
    let resp = client.send(&request).await?;
    let object: T = resp.decode()?;
    if app.ui.prints_document() {
        app.ui.print_json_bytes(&resp.body)?;
        return Ok(None);
    }
    Ok(Some(object))
}

/// A hidden prompt (API keys), read on a blocking thread. While the
/// terminal reads a line with echo off, Ctrl+C goes to the runtime's signal
/// handler, not to the prompt: the async side has to stay free so the run
/// ends at once (exit 130) instead of after the next Enter, with nothing
/// saved.
pub async fn ask_hidden(prompt: &str) -> Result<String, CliError> {
    let prompt = prompt.to_string();
    on_prompt_thread(move || dialoguer::Password::new().with_prompt(prompt).interact()).await
}

/// Run a dialoguer prompt on a blocking thread. While it shows, an
/// interrupted run first ends the prompt's line (output/terminal.rs).
async fn on_prompt_thread<T: Send + 'static>(
    ask: impl FnOnce() -> dialoguer::Result<T> + Send + 'static,
) -> Result<T, CliError> {
    let answer = tokio::task::spawn_blocking(move || {
        crate::output::terminal::prompt_shown();
        let answer = ask();
        if answer.is_ok() {
            crate::output::terminal::prompt_answered();
        }
        answer
    })
    .await
    .map_err(|e| CliError::failure(format!("the prompt failed: {e}")))?;
    prompt(answer)
}

/// `--dry-run` for a write: print what would be sent, send nothing.
pub fn print_dry_run(app: &App, client: &Client, request: &ApiRequest) -> Result<()> {
    let url = client.url(request);
    if app.ui.prints_document() {
        let envelope = json!({
            "dry_run": true,
            "method": request.method.as_str(),
            "url": url,
            "body": request.body.clone().unwrap_or(Value::Null),
        });
        return app.ui.print_json_value(&envelope);
    }
    let mut out = app.ui.out();
    writeln!(out, "{} {url}", request.method)?;
    if let Some(body) = &request.body {
        serde_json::to_writer_pretty(&mut out, body)?;
        writeln!(out)?;
    }
    out.flush()?;
    app.ui.note("Dry run: nothing was sent.");
    Ok(())
}

/// `key=value, …` for event details and other small objects.
pub fn compact_details(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Object(map) if map.is_empty() => None,
        Value::Object(map) => Some(
            map.iter()
                .map(|(k, v)| match v {
                    Value::String(s) => format!("{k}={s}"),
                    other => format!("{k}={other}"),
                })
                .collect::<Vec<_>>()
                .join(", "),
        ),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_render_compactly() {
        assert_eq!(compact_details(&json!(null)), None);
        assert_eq!(compact_details(&json!("boom")).as_deref(), Some("boom"));
        assert_eq!(
            compact_details(&json!({"from": "active", "to": "offline", "n": 3})).as_deref(),
            Some("from=active, to=offline, n=3")
        );
    }
}

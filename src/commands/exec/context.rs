//! `exec context --workspace ws_… [--set <text | @file | ->]`: print a
//! workspace's context document, or replace it through the write pipeline.

use std::io::Write as _;

use anyhow::Result;

use crate::api::context::{SetContext, WorkspaceContext};
use crate::api::{self};
use crate::app::App;
use crate::cli::invocations::ContextArgs;
use crate::commands::text_input;
use crate::commands::write::{Outcome, Write};
use crate::output::sanitize::{sanitize_line, sanitize_multiline};
use crate::output::time;

pub(super) async fn run(app: &App, args: ContextArgs) -> Result<()> {
    match &args.set {
        Some(spec) => set(app, &args.workspace, spec).await,
        None => show(app, &args.workspace).await,
    }
}

async fn show(app: &App, ws: &str) -> Result<()> {
    let client = app.client()?;
    let resp = client.send(&api::context::get(ws)).await?;
    let ctx: WorkspaceContext = resp.decode()?;
    if app.ui.prints_document() {
        return app.ui.print_json_bytes(&resp.body);
    }
    let content = ctx.content.as_deref().unwrap_or("");
    if content.is_empty() {
        app.ui
            .note(&format!("Workspace {ws} has no context document."));
    } else {
        // The document itself, as text a terminal only displays.
        let text = sanitize_multiline(content);
        let mut out = app.ui.out();
        out.write_all(text.as_bytes())?;
        if !text.ends_with('\n') {
            writeln!(out)?;
        }
        out.flush()?;
    }
    changed(app, &ctx);
    Ok(())
}

async fn set(app: &App, ws: &str, spec: &str) -> Result<()> {
    let body = SetContext {
        workspace_id: ws.to_string(),
        content: text_input::read("--set", spec)?,
    };
    let bytes = body.content.len();
    let client = app.client()?;
    let write = Write::new(api::context::set(&body));
    if let Outcome::Sent(answer) = write.send::<WorkspaceContext>(app, &client).await? {
        answer.render(app, |app, ctx| {
            app.ui.success(&format!(
                "Replaced the context document of workspace {ws} ({bytes} bytes)."
            ));
            changed(app, ctx);
            Ok(())
        })?;
    }
    Ok(())
}

/// Who changed the document and when, on stderr (stdout is the text).
fn changed(app: &App, ctx: &WorkspaceContext) {
    match (ctx.updated_by.as_deref(), ctx.updated_at.as_deref()) {
        (None, None) => {}
        (by, at) => app.ui.note(&format!(
            "Last changed by {} at {}.",
            by.map(sanitize_line).as_deref().unwrap_or("-"),
            time::absolute(at)
        )),
    }
}

//! `exec show <execution-id>`: one execution record as a detail view.

use anyhow::Result;

use crate::api::{self, models::Execution};
use crate::app::App;
use crate::cli::exec::ShowArgs;
use crate::commands::common;
use crate::output::table::{number, plain, status, text, DetailView};
use crate::output::time;

pub(super) async fn run(app: &App, args: ShowArgs) -> Result<()> {
    let request = api::executions::get(&args.id)?;
    let client = app.client()?;
    let Some(e) = common::fetch_one::<Execution>(app, &client, request).await? else {
        return Ok(());
    };
    let mut view = DetailView::new(&app.ui);
    view.field("ID", text(Some(&e.id)))
        .field("Invocation", text(e.invocation_id.as_deref()))
        .field("Tool", text(e.tool.as_deref()))
        .field("Workspace", text(e.workspace_id.as_deref()))
        .field("Agent", text(e.agent_id.as_deref()))
        .field("Status", status(e.status.as_deref()))
        .field("Exit code", number(e.exit_code))
        .field(
            "Duration",
            plain(time::duration_ms(
                e.duration_ms,
                time::DurationStyle::Precise,
            )),
        )
        .field("Output size", plain(output_size(e.output_bytes)))
        .field("Created", plain(time::absolute(e.created_at.as_deref())))
        .field(
            "Completed",
            plain(time::absolute(e.completed_at.as_deref())),
        );
    view.print(&app.ui)?;
    if e.status.as_deref() != Some("running") {
        app.ui.hint(&format!(
            "raw output: xeroctl exec raw {}",
            crate::output::shell::arg(&e.id)
        ));
    }
    Ok(())
}

/// `5.3 kB (5321 bytes)`: the exact count matters when checking a download.
fn output_size(bytes: Option<u64>) -> String {
    match bytes {
        Some(n) if n >= 1000 => format!("{} ({n} bytes)", time::bytes(Some(n))),
        other => time::bytes(other),
    }
}

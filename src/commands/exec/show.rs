//! `exec show <execution-id>`: one execution record as a detail view.

use anyhow::Result;

use crate::api::{self, models::Execution, models::Invocation, Client};
use crate::app::App;
use crate::cli::exec::ShowArgs;
use crate::commands::common;
use crate::error::CliError;
use crate::output::shell;
use crate::output::table::{number, plain, status, text, DetailView};
use crate::output::time;

pub(super) async fn run(app: &App, args: ShowArgs) -> Result<()> {
    let request = api::executions::get(&args.id)?;
    let client = app.client()?;
    let e = match common::fetch_one::<Execution>(app, &client, request).await {
        Ok(Some(e)) => e,
        Ok(None) => return Ok(()),
        Err(err) => {
            return Err(match err.downcast::<CliError>() {
                Ok(err) => invocation_instead(&client, &args.id, err).await.into(),
                Err(other) => other,
            })
        }
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

/// An execution id that the router does not know: when it is an
/// invocation's id (one GET answers), say so and name the commands that take
/// it, with the real ids. Any other error comes back unchanged.
pub(super) async fn invocation_instead(client: &Client, id: &str, err: CliError) -> CliError {
    if err.api_code() != Some("execution_not_found") {
        return err;
    }
    let Ok(get) = api::invocations::get(id) else {
        return err;
    };
    let Some(inv) = client
        .send(&get)
        .await
        .ok()
        .and_then(|resp| resp.decode::<Invocation>().ok())
    else {
        return err;
    };
    let mut hints = Vec::new();
    if let Some(exec) = inv.execution_id.as_deref().filter(|e| !e.is_empty()) {
        hints.push(format!(
            "show its execution with: xeroctl exec show {}",
            shell::arg(exec)
        ));
    }
    hints.push(format!(
        "follow the invocation with: xeroctl exec watch {}",
        shell::arg(&inv.id)
    ));
    err.restated(
        err.exit(),
        format!(
            "{} (that is an invocation id, not an execution id)",
            err.message()
        ),
    )
    .with_hints(hints)
}

/// `5.3 kB (5321 bytes)`: the exact count matters when checking a download.
fn output_size(bytes: Option<u64>) -> String {
    match bytes {
        Some(n) if n >= 1000 => format!("{} ({n} bytes)", time::bytes(Some(n))),
        other => time::bytes(other),
    }
}

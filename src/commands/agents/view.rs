//! The agent detail view, shared by show, create, update and delete's
//! dry run.

use anyhow::Result;
use comfy_table::Cell;

use crate::api::models::Agent;
use crate::app::App;
use crate::output::table::{number, plain, status, text, toned, DetailView};
use crate::output::time;

pub(super) fn print(app: &App, a: &Agent) -> Result<()> {
    let mut view = DetailView::new(&app.ui);
    view.field("ID", text(Some(&a.id)))
        .field("Name", text(a.name.as_deref()))
        .field("Worker ID", text(a.worker_id.as_deref()))
        .field("Status", status(a.status.as_deref()))
        .field("Exec", exec_state(a))
        .field("Region", text(a.region.as_deref()))
        .field(
            "Last heartbeat",
            plain(time::with_relative(a.last_heartbeat_at.as_deref())),
        )
        .field(
            "Max concurrent",
            match a.max_concurrent_requests {
                Some(0) => plain("auto"),
                n => number(n),
            },
        )
        .long_text("Description", a.description.as_deref())
        .field(
            "Supported tiers",
            text(a.supported_tiers.as_ref().map(|t| t.join(", ")).as_deref()),
        )
        .field(
            "Storage limit",
            storage(a.storage_limit_enabled, a.storage_limit_bytes),
        )
        .field("Created", plain(time::absolute(a.created_at.as_deref())))
        .field("Updated", plain(time::absolute(a.updated_at.as_deref())));
    view.print(&app.ui)?;
    Ok(())
}

/// Paused is worth a colour: exec on this agent is stopped.
fn exec_state(a: &Agent) -> Cell {
    let state = a.exec_state();
    if state == "running" {
        plain(state)
    } else {
        toned(&state, "paused")
    }
}

fn storage(enabled: Option<bool>, bytes: Option<u64>) -> Cell {
    match (enabled, bytes) {
        (Some(false), _) => plain("disabled"),
        (_, Some(b)) => plain(time::bytes(Some(b))),
        _ => plain("-"),
    }
}

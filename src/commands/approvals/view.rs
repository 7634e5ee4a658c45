//! The approval detail view, shared by show, approve and reject.

use anyhow::Result;

use crate::api::models::Approval;
use crate::app::App;
use crate::output::table::{status, text, DetailView};
use crate::output::time;

pub(super) fn print(app: &App, a: &Approval) -> Result<()> {
    let mut view = DetailView::new(&app.ui);
    view.field("ID", text(Some(&a.id)))
        .field("Status", status(a.status.as_deref()))
        .field("Risk", status(a.risk.as_deref()))
        .field("Tool", text(a.tool.as_deref()))
        .field("Workspace", text(a.workspace_id.as_deref()))
        .field("Invocation", text(a.invocation_id.as_deref()))
        .field(
            "Created",
            text(Some(&time::absolute(a.created_at.as_deref()))),
        )
        .field(
            "Expires",
            text(Some(&time::with_relative(a.expires_at.as_deref()))),
        )
        .field(
            "Resolved",
            text(Some(&time::absolute(a.resolved_at.as_deref()))),
        )
        .field("Resolved by", text(a.resolved_by.as_deref()))
        .long_text("Note", a.note.as_deref())
        .long_text("Reason", a.reason.as_deref());
    view.print(&app.ui)?;
    Ok(())
}

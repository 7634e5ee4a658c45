//! The invocation views shared by invoke, rerun, cancel and watch.

use anyhow::Result;

use crate::api::models::Invocation;
use crate::app::App;
use crate::output::sanitize::sanitize_line;
use crate::output::table::{number, plain, status, text, DetailView};
use crate::output::time;

/// Statuses after which an invocation never changes again.
pub(super) fn is_terminal(status: &str) -> bool {
    matches!(
        status,
        "completed" | "failed" | "cancelled" | "rejected" | "timeout"
    )
}

/// The invocation: the API's JSON with `-o json`, else a detail view.
pub(super) fn print_or_json(app: &App, inv: &Invocation, body: &[u8]) -> Result<()> {
    if app.ui.prints_document() {
        return app.ui.print_json_bytes(body);
    }
    print(app, inv)
}

/// The invocation as a detail view.
pub(super) fn print(app: &App, inv: &Invocation) -> Result<()> {
    let mut view = DetailView::new(&app.ui);
    view.field("ID", text(Some(&inv.id)))
        .field("Status", status(inv.status.as_deref()))
        .field("Tool", text(inv.tool.as_deref()))
        .field("Workspace", text(inv.workspace_id.as_deref()))
        .field("Risk", status(inv.risk.as_deref()));
    if inv.approval_id.is_some() || inv.approval_url.is_some() {
        view.field("Approval ID", text(inv.approval_id.as_deref()))
            .field("Approval URL", text(inv.approval_url.as_deref()));
    }
    view.field("Execution ID", text(inv.execution_id.as_deref()))
        .field("Exit code", number(inv.exit_code))
        .long_text("Error", inv.error.as_deref())
        .field("Created", plain(time::absolute(inv.created_at.as_deref())))
        .field("Updated", plain(time::absolute(inv.updated_at.as_deref())))
        .field(
            "Completed",
            plain(time::absolute(inv.completed_at.as_deref())),
        );
    view.print(&app.ui)?;
    Ok(())
}

/// What to tell the user about an invocation waiting for approval.
pub(super) fn approval_lines(inv: &Invocation) -> Vec<String> {
    let risk = inv
        .risk
        .as_deref()
        .map(|r| format!(" ({} tool)", sanitize_line(r)))
        .unwrap_or_default();
    let mut lines = vec![format!(
        "approval required{risk}: nothing runs until a human approves it"
    )];
    match inv.approval_id.as_deref() {
        Some(aid) => {
            lines.push(format!("  approval id: {}", sanitize_line(aid)));
            let aid = crate::output::shell::arg(aid);
            if let Some(url) = inv.approval_url.as_deref() {
                lines.push(format!("  review:      {}", sanitize_line(url)));
            }
            lines.push(format!("  approve:     xeroctl approvals approve {aid}"));
            lines.push(format!("  reject:      xeroctl approvals reject {aid}"));
        }
        None => lines
            .push("  list pending approvals with: xeroctl approvals list --status pending".into()),
    }
    lines
}

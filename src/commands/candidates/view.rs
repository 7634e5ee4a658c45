//! The candidate detail view.

use anyhow::Result;

use crate::api::candidates::Candidate;
use crate::app::App;
use crate::output::table::{plain, status, text, DetailView};
use crate::output::time;

pub(super) fn print(app: &App, c: &Candidate) -> Result<()> {
    let mut view = DetailView::new(&app.ui);
    view.field("ID", text(Some(&c.id)))
        .field("Hostname", text(c.hostname.as_deref()))
        .field("Worker ID", text(c.worker_id.as_deref()))
        .field("Region", text(c.region.as_deref()))
        .field("Fingerprint", text(c.fingerprint.as_deref()))
        .field("Status", status(c.status.as_deref()))
        .field("Agent", text(c.agent_id.as_deref()))
        .field("Created", plain(time::absolute(c.created_at.as_deref())))
        .field("Resolved", plain(time::absolute(c.resolved_at.as_deref())));
    view.print(&app.ui)?;
    Ok(())
}

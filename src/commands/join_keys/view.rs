//! The join-key detail view.

use anyhow::Result;

use crate::api::models::JoinKey;
use crate::app::App;
use crate::output::table::{plain, status, text, DetailView};
use crate::output::time;

pub(super) fn print(app: &App, k: &JoinKey) -> Result<()> {
    let mut view = DetailView::new(&app.ui);
    let enrollments = match (k.enrollments, k.max_enrollments) {
        (Some(n), Some(max)) => format!("{n} of {max}"),
        (Some(n), None) => n.to_string(),
        _ => "-".to_string(),
    };
    view.field("ID", text(Some(&k.id)))
        .field("Name", text(k.name.as_deref()))
        .field("Status", status(k.status.as_deref()))
        .field("Region", text(k.region.as_deref()))
        .field("Enrollments", plain(enrollments))
        .field(
            "Supported tiers",
            text(k.supported_tiers.as_ref().map(|t| t.join(", ")).as_deref()),
        )
        .field("Storage limit", plain(time::bytes(k.storage_limit_bytes)))
        .field("Router address", text(k.router_addr.as_deref()))
        .field(
            "Expires",
            plain(time::with_relative(k.expires_at.as_deref())),
        )
        .field("Created", plain(time::absolute(k.created_at.as_deref())))
        .field("Revoked", plain(time::absolute(k.revoked_at.as_deref())));
    view.print(&app.ui)?;
    Ok(())
}

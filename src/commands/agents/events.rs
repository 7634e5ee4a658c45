//! `xeroctl agents <id> --events`: the agent's event log.

use anyhow::Result;

use crate::api::{self, models::AgentEvent};
use crate::app::App;
use crate::cli::PageArgs;
use crate::commands::common::{self, compact_details, ListSpec};
use crate::output::table::{self, plain, status, text};
use crate::output::time;

pub(super) async fn run(app: &App, id: &str, page: &PageArgs) -> Result<()> {
    let row = |e: &AgentEvent| {
        vec![
            table::id(Some(&e.id)),
            status(e.event_type.as_deref()),
            text(compact_details(&e.details).as_deref()),
            plain(time::absolute(e.created_at.as_deref())),
        ]
    };
    let spec = ListSpec {
        noun: "events",
        headers: &["ID", "EVENT_TYPE", "DETAILS", "CREATED"],
        row: &row,
    };
    let request = api::agents::events(id)?;
    let client = app.client()?;
    common::list(app, &client, request, page, spec).await
}

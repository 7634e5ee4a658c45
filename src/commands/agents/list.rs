//! `xeroctl agents [list]`: one page, or every page with `--all`.

use anyhow::Result;

use crate::api::{self, models::Agent};
use crate::app::App;
use crate::cli::PageArgs;
use crate::commands::common::{self, ListSpec};
use crate::output::table::{id, plain, status, text};
use crate::output::time;

pub(super) async fn run(app: &App, page: &PageArgs) -> Result<()> {
    let row = |a: &Agent| {
        vec![
            id(Some(&a.id)),
            text(a.name.as_deref()),
            id(a.worker_id.as_deref()),
            status(a.status.as_deref()),
            id(a.region.as_deref()),
            plain(time::with_relative(a.last_heartbeat_at.as_deref())),
        ]
    };
    let spec = ListSpec {
        noun: "agents",
        headers: &[
            "ID",
            "NAME",
            "WORKER_ID",
            "STATUS",
            "REGION",
            "LAST_HEARTBEAT",
        ],
        row: &row,
    };
    let client = app.client()?;
    common::list(app, &client, api::agents::list(), page, spec).await
}

//! `xeroctl agents candidates [--status s]`.

use anyhow::Result;

use crate::api::{self, candidates::Candidate};
use crate::app::App;
use crate::cli::PageArgs;
use crate::commands::common::{self, ListSpec};
use crate::output::table::{id, plain, status, text};
use crate::output::time;

pub(super) async fn run(app: &App, state: Option<&str>, page: &PageArgs) -> Result<()> {
    let row = |c: &Candidate| {
        vec![
            id(Some(&c.id)),
            text(c.hostname.as_deref()),
            id(c.worker_id.as_deref()),
            id(c.region.as_deref()),
            id(c.fingerprint.as_deref()),
            status(c.status.as_deref()),
            plain(time::absolute(c.created_at.as_deref())),
        ]
    };
    let spec = ListSpec {
        noun: "candidates",
        headers: &[
            "ID",
            "HOSTNAME",
            "WORKER_ID",
            "REGION",
            "FINGERPRINT",
            "STATUS",
            "CREATED",
        ],
        row: &row,
    };
    let client = app.client()?;
    common::list(app, &client, api::candidates::list(state), page, spec).await
}

//! `exec list [--status]`: execution records, one page or `--all`.

use anyhow::Result;

use crate::api::{self, models::Execution};
use crate::app::App;
use crate::cli::exec::ListArgs;
use crate::commands::common::{self, ListSpec};
use crate::output::table::{id, number, plain, status};
use crate::output::time;

pub(super) async fn run(app: &App, args: ListArgs) -> Result<()> {
    let client = app.client()?;
    let row = |e: &Execution| {
        vec![
            id(Some(&e.id)),
            id(e.invocation_id.as_deref()),
            status(e.status.as_deref()),
            number(e.exit_code),
            plain(time::absolute(e.created_at.as_deref())),
        ]
    };
    let spec = ListSpec {
        noun: "executions",
        headers: &["ID", "INVOCATION", "STATUS", "EXIT_CODE", "CREATED"],
        row: &row,
    };
    let req = api::executions::list(args.status.as_deref());
    common::list(app, &client, req, &args.page, spec).await
}

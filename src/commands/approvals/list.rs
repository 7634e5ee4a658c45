//! `xeroctl approvals list [--status] [--risk] [--workspace]`: one page,
//! or every page with `--all`.

use anyhow::Result;

use crate::api::{self, models::Approval};
use crate::app::App;
use crate::cli::approvals::ApprovalsListArgs;
use crate::commands::common::{self, ListSpec};
use crate::output::table::{id, plain, status};
use crate::output::time;

pub(super) async fn run(app: &App, args: &ApprovalsListArgs) -> Result<()> {
    let request = api::approvals::list(api::approvals::Filters {
        status: args.status.map(|s| s.as_str()),
        risk: args.filters.risk.map(|r| r.as_str()),
        workspace_id: args.filters.workspace.as_deref(),
    });
    let client = app.client()?;
    let row = |a: &Approval| {
        vec![
            id(Some(&a.id)),
            status(a.status.as_deref()),
            status(a.risk.as_deref()),
            id(a.tool.as_deref()),
            id(a.workspace_id.as_deref()),
            plain(time::absolute(a.created_at.as_deref())),
        ]
    };
    let spec = ListSpec {
        noun: "approvals",
        headers: &["ID", "STATUS", "RISK", "TOOL", "WORKSPACE", "CREATED"],
        row: &row,
    };
    common::list(app, &client, request, &args.page, spec).await
}

//! `exec invocations [<id>] [--status s] [--tool t] [--workspace ws]`:
//! invocations newest first, or one of them (one GET, no polling).

use anyhow::Result;

use crate::api::invocations::ListFilter;
use crate::api::{self, models::Invocation};
use crate::app::App;
use crate::cli::invocations::InvocationsArgs;
use crate::commands::common::{self, ListSpec};
use crate::error::CliError;
use crate::output::table::{plain, status, text};
use crate::output::time;

pub(super) async fn run(app: &App, args: InvocationsArgs) -> Result<()> {
    if let Some(id) = &args.id {
        let stray = args.listing_options();
        if !stray.is_empty() {
            return Err(CliError::usage(format!(
                "showing invocation {id} takes no options ({} only filter a listing)",
                stray.join(", ")
            ))
            .with_hint("drop the id to list invocations, or the options to show one")
            .into());
        }
        return show(app, id).await;
    }
    let row = |i: &Invocation| {
        vec![
            text(Some(&i.id)),
            text(i.tool.as_deref()),
            text(i.workspace_id.as_deref()),
            status(i.status.as_deref()),
            plain(time::absolute(i.created_at.as_deref())),
        ]
    };
    let spec = ListSpec {
        noun: "invocations",
        headers: &["ID", "TOOL", "WORKSPACE", "STATUS", "CREATED"],
        row: &row,
    };
    let req = api::invocations::list(&ListFilter {
        status: args.status.as_deref(),
        tool: args.tool.as_deref(),
        workspace_id: args.workspace.as_deref(),
    });
    let client = app.client()?;
    common::list(app, &client, req, &args.page, spec).await
}

async fn show(app: &App, id: &str) -> Result<()> {
    let request = api::invocations::get(id)?;
    let client = app.client()?;
    match common::fetch_one::<Invocation>(app, &client, request).await? {
        Some(inv) => super::view::print(app, &inv),
        None => Ok(()),
    }
}

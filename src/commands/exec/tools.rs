//! `exec tools`: the tools the project's XEM manifests expose.

use anyhow::Result;

use crate::api::{self, models::Tool};
use crate::app::App;
use crate::cli::exec::ToolsArgs;
use crate::commands::common::{self, ListSpec};
use crate::output::table::{id, text};

pub(super) async fn run(app: &App, args: ToolsArgs) -> Result<()> {
    let client = app.client()?;
    let row = |t: &Tool| vec![id(Some(&t.name)), text(t.description.as_deref())];
    let spec = ListSpec {
        noun: "tools",
        headers: &["NAME", "DESCRIPTION"],
        row: &row,
    };
    common::list(app, &client, api::tools::list(), &args.page, spec).await
}

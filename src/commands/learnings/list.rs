//! `learnings list [--workspace ws] [--source-type s]`: newest first; a
//! summary, so CONTENT shows only the start of each text.

use anyhow::Result;

use crate::api::{self, learnings::Learning};
use crate::app::App;
use crate::cli::learnings::LearningsListArgs;
use crate::commands::common::{self, ListSpec};
use crate::output::table::{plain, text};
use crate::output::time;

pub(super) async fn run(app: &App, args: LearningsListArgs) -> Result<()> {
    let row = |l: &Learning| {
        vec![
            text(Some(&l.id)),
            text(l.source_type.as_deref()),
            text(l.workspace_id.as_deref()),
            plain(super::view::score(l.score)),
            plain(time::absolute(l.created_at.as_deref())),
            plain(super::view::summary(l.content.as_deref())),
        ]
    };
    let spec = ListSpec {
        noun: "learnings",
        headers: &["ID", "SOURCE", "WORKSPACE", "SCORE", "CREATED", "CONTENT"],
        row: &row,
    };
    let req = api::learnings::list(args.workspace.as_deref(), args.source_type.as_deref());
    let client = app.client()?;
    common::list(app, &client, req, &args.page, spec).await
}

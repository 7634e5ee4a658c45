//! `learnings show <lrn_id>`: one learning, its content whole.

use anyhow::Result;

use crate::api::{self, learnings::Learning};
use crate::app::App;
use crate::cli::learnings::LearningShowArgs;
use crate::commands::common;
use crate::error::CliError;

pub(super) async fn run(app: &App, args: LearningShowArgs) -> Result<()> {
    let request = api::learnings::get(&args.id)?;
    let client = app.client()?;
    let found = common::fetch_one::<Learning>(app, &client, request)
        .await
        .map_err(|e| match e.downcast::<CliError>() {
            Ok(e) if e.api_code() == Some("learning_not_found") => e
                .with_hint("list learnings with `xeroctl learnings list`")
                .into(),
            Ok(e) => e.into(),
            Err(e) => e,
        })?;
    match found {
        Some(learning) => super::view::print(app, &learning),
        None => Ok(()),
    }
}

//! What each command does. One module per resource; `dispatch` picks one.

pub mod agents;
pub(crate) mod approvals;
mod candidates;
pub mod common;
pub mod config;
pub mod exec;
pub mod join_keys;
mod learnings;
pub mod meta;
pub mod status;
mod text_input;
pub(crate) mod write;

use anyhow::Result;

use crate::app::App;
use crate::cli::agents::AgentsAction;
use crate::cli::Command;
use crate::error::CliError;

pub async fn dispatch(app: &App, command: Command) -> Result<()> {
    match command {
        Command::Agents(args) => {
            let action = AgentsAction::try_from(args)?;
            columns_shape_lists_only(app, action.prints_list())?;
            agents::run(app, action).await
        }
        Command::Help(args) => meta::help(app, args),
        Command::Completion(args) => meta::completion(app, args),
        Command::Man(args) => meta::man(app, args),
        Command::Approvals(args) => {
            columns_shape_lists_only(app, args.sub.prints_list())?;
            approvals::run(app, args).await
        }
        Command::Config(args) => {
            columns_shape_lists_only(app, false)?;
            config::run(app, args).await
        }
        Command::Status(args) => {
            columns_shape_lists_only(app, false)?;
            status::run(app, args).await
        }
        Command::Exec(args) => {
            columns_shape_lists_only(app, args.sub.prints_list())?;
            exec::run(app, args).await
        }
        Command::Learnings(args) => {
            columns_shape_lists_only(app, args.sub.prints_list())?;
            learnings::run(app, args).await
        }
    }
}

/// `--columns` picks the columns of a router list's table: any other
/// command (a detail view, a stream, a write) refuses it before any
/// request rather than ignore it.
fn columns_shape_lists_only(app: &App, prints_list: bool) -> Result<(), CliError> {
    if prints_list || app.ui.table.columns.is_none() {
        return Ok(());
    }
    Err(CliError::usage(
        "--columns shapes the tables of the router's lists; this command prints none",
    )
    .with_hint(
        "use --jq to pick fields, e.g. --jq '{id, status}' (on a stream it runs once per object)",
    ))
}

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
use crate::cli::Command;

pub async fn dispatch(app: &App, command: Command) -> Result<()> {
    match command {
        Command::Agents(args) => agents::run(app, args.try_into()?).await,
        Command::Help(args) => meta::help(app, args),
        Command::Completion(args) => meta::completion(app, args),
        Command::Man(args) => meta::man(app, args),
        Command::Approvals(args) => approvals::run(app, args).await,
        Command::Config(args) => config::run(app, args).await,
        Command::Status(args) => status::run(app, args).await,
        Command::Exec(args) => exec::run(app, args).await,
        Command::Learnings(args) => learnings::run(app, args).await,
    }
}

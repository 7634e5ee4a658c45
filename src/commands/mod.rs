//! What each command does. One module per resource; `dispatch` picks one.

pub mod agents;
pub mod common;
pub mod join_keys;
pub mod meta;

use anyhow::Result;

use crate::app::App;
use crate::cli::Command;

pub async fn dispatch(app: &App, command: Command) -> Result<()> {
    match command {
        Command::Agents(args) => agents::run(app, args).await,
        Command::Help(args) => meta::help(args),
        Command::Completion(args) => meta::completion(args),
        Command::Man(args) => meta::man(app, args),
    }
}

//! What each command does. One module per resource; `dispatch` picks one.

pub mod agents;
pub mod common;
pub mod exec;
pub mod join_keys;

use anyhow::Result;

use crate::app::App;
use crate::cli::Command;

pub async fn dispatch(app: &App, command: Command) -> Result<()> {
    match command {
        Command::Agents(args) => agents::run(app, args).await,
        Command::Exec(args) => exec::run(app, args).await,
    }
}

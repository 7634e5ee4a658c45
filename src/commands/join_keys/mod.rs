//! `xeroctl agents join-keys`: one module per action; this file only
//! dispatches.

mod create;
mod list;
mod revoke;
mod show;
mod view;

use anyhow::Result;

use crate::app::App;
use crate::cli::agents::JoinKeysAction;

pub(crate) async fn run(app: &App, action: JoinKeysAction) -> Result<()> {
    match action {
        JoinKeysAction::List(page) => list::run(app, &page).await,
        JoinKeysAction::Show(id) => show::run(app, &id).await,
        JoinKeysAction::Create(args) => create::run(app, args).await,
        JoinKeysAction::Revoke { id, force } => revoke::run(app, &id, force).await,
    }
}

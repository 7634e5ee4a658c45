//! `xeroctl agents`: one module per action; this file only dispatches.

mod create;
mod curve_rotate;
mod delete;
mod events;
mod list;
mod pause_exec;
mod resume_exec;
mod revoke_credentials;
mod show;
mod update;
mod view;

use anyhow::Result;

use crate::app::App;
use crate::cli::agents::AgentsAction;

pub(crate) async fn run(app: &App, action: AgentsAction) -> Result<()> {
    match action {
        AgentsAction::List(page) => list::run(app, &page).await,
        AgentsAction::Show(id) => show::run(app, &id).await,
        AgentsAction::Create(args) => create::run(app, args).await,
        AgentsAction::Update { id, changes } => update::run(app, &id, changes).await,
        AgentsAction::Delete { id, force } => delete::run(app, &id, force).await,
        AgentsAction::Events { id, page } => events::run(app, &id, &page).await,
        AgentsAction::JoinKeys(action) => super::join_keys::run(app, action).await,
        AgentsAction::PauseExec(args) => pause_exec::run(app, args).await,
        AgentsAction::ResumeExec(args) => resume_exec::run(app, args).await,
        AgentsAction::RevokeCredentials(args) => revoke_credentials::run(app, args).await,
        AgentsAction::CurveRotate(args) => curve_rotate::run(app, args).await,
        AgentsAction::Candidates(action) => super::candidates::run(app, action).await,
    }
}

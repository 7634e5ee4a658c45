//! `xeroctl agents candidates`: workers waiting to join.

mod decide;
mod list;
mod show;
mod view;

use anyhow::Result;

use crate::app::App;
use crate::cli::candidates::CandidatesAction;

pub(crate) async fn run(app: &App, action: CandidatesAction) -> Result<()> {
    match action {
        CandidatesAction::List { status, page } => list::run(app, status.as_deref(), &page).await,
        CandidatesAction::Show(id) => show::run(app, &id).await,
        CandidatesAction::Approve { id, name, force } => {
            decide::run(app, &id, decide::Decision::Approve { name }, force).await
        }
        CandidatesAction::Reject { id, reason, force } => {
            decide::run(app, &id, decide::Decision::Reject { reason }, force).await
        }
    }
}

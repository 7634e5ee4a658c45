//! `xeroctl approvals`: the approval gate (`/exec/approvals`) for
//! destructive and irreversible tools. One module per action (approve and
//! reject share `decide`); this file only dispatches.

mod decide;
mod list;
mod show;
mod view;
mod watch;

use anyhow::Result;

use crate::app::App;
use crate::cli::approvals::{ApprovalsArgs, ApprovalsSub};

pub(crate) async fn run(app: &App, args: ApprovalsArgs) -> Result<()> {
    match args.sub {
        ApprovalsSub::List(list_args) => list::run(app, &list_args).await,
        ApprovalsSub::Show(show) => show::run(app, &show.id).await,
        ApprovalsSub::Approve(a) => decide::approve(app, a).await,
        ApprovalsSub::Reject(r) => decide::reject(app, r).await,
        ApprovalsSub::Watch(w) => watch::run(app, &w).await,
    }
}

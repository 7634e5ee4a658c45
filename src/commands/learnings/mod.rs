//! `xeroctl learnings`: what the agents learned and what operators told
//! them (`/exec/learnings`). One module per leaf; this file only dispatches.

mod add;
mod list;
mod show;
mod view;

use anyhow::Result;

use crate::app::App;
use crate::cli::learnings::{LearningsArgs, LearningsSub};

pub(crate) async fn run(app: &App, args: LearningsArgs) -> Result<()> {
    match args.sub {
        LearningsSub::List(a) => list::run(app, a).await,
        LearningsSub::Show(a) => show::run(app, a).await,
        LearningsSub::Add(a) => add::run(app, a).await,
    }
}

//! `xeroctl exec …`: the governed-execution mesh (XEM) from a shell. One
//! module per leaf command; this file only dispatches.
//!
//! view.rs: the invocation view shared by invoke, rerun, cancel and watch;
//! schema.rs: a tool's parameter rows; stream.rs + sse.rs: the SSE
//! follower and its parser.

mod agent;
mod ask;
mod cancel;
mod context;
mod invocations;
mod invoke;
mod list;
mod raw;
mod rerun;
mod schema;
mod show;
mod sse;
mod stream;
mod tool_show;
mod tools;
mod validate;
mod view;
mod watch;

use anyhow::Result;

use crate::app::App;
use crate::cli::exec::{ExecArgs, ExecCommand};

pub(crate) async fn run(app: &App, args: ExecArgs) -> Result<()> {
    match args.sub {
        ExecCommand::Tools(a) => tools::run(app, a).await,
        ExecCommand::ToolShow(a) => tool_show::run(app, a).await,
        ExecCommand::Invoke(a) => invoke::run(app, a).await,
        ExecCommand::Watch(a) => watch::run(app, a).await,
        ExecCommand::Cancel(a) => cancel::run(app, a).await,
        ExecCommand::Invocations(a) => invocations::run(app, a).await,
        ExecCommand::Context(a) => context::run(app, a).await,
        ExecCommand::List(a) => list::run(app, a).await,
        ExecCommand::Show(a) => show::run(app, a).await,
        ExecCommand::Raw(a) => raw::run(app, a).await,
        ExecCommand::Rerun(a) => rerun::run(app, a).await,
        ExecCommand::Stream(a) => stream::run(app, a).await,
        ExecCommand::Agent(a) => agent::run(app, a).await,
    }
}

//! `exec rerun <execution-id> [--wait]`: the same tool, workspace and
//! arguments as a new invocation.

use anyhow::Result;

use crate::api::{self, models::Invocation};
use crate::app::App;
use crate::cli::exec::RerunArgs;
use crate::commands::write::{Outcome, Write};
use crate::output::sanitize::sanitize_line;

use super::invoke::{check_wait_options, started};

pub(super) async fn run(app: &App, args: RerunArgs) -> Result<()> {
    check_wait_options(args.wait, &args.watch)?;
    let write = Write::new(api::executions::rerun(&args.id)?);
    let client = app.client()?;
    let Outcome::Sent(answer) = write.send::<Invocation>(app, &client).await? else {
        return Ok(());
    };
    let (inv, body) = answer.into_parts();
    app.ui.note(&format!(
        "Re-ran execution {} as invocation {}.",
        sanitize_line(&args.id),
        sanitize_line(&inv.id)
    ));
    started(app, &client, inv, body, args.wait, &args.watch).await
}

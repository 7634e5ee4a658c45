//! `xeroctl agents resume-exec <id> [--workspace ws_…]`.

use anyhow::Result;

use crate::api::{self, agents::ResumeExec, models::Agent};
use crate::app::App;
use crate::cli::agent_control::ResumeExecArgs;
use crate::commands::write::{Outcome, Write};

pub(super) async fn run(app: &App, args: ResumeExecArgs) -> Result<()> {
    let body = ResumeExec {
        workspace_id: args.workspace.clone(),
    };
    let request = api::agents::resume_exec(&args.id, &body)?;
    let client = app.client()?;
    if let Outcome::Sent(answer) = Write::new(request).send::<Agent>(app, &client).await? {
        answer.render(app, |app, agent| {
            let scope = match &args.workspace {
                Some(ws) => format!(" in workspace {ws}"),
                None => String::new(),
            };
            app.ui.success(&format!(
                "Resumed governed exec on agent {}{scope}.",
                agent.id
            ));
            super::view::print(app, agent)
        })?;
    }
    Ok(())
}

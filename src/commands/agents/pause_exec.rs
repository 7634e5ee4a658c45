//! `xeroctl agents pause-exec <id> [--workspace ws_…] [--reason t]`.

use anyhow::Result;

use crate::api::{self, agents::PauseExec, models::Agent};
use crate::app::App;
use crate::cli::agent_control::PauseExecArgs;
use crate::commands::write::{Outcome, Write};

pub(super) async fn run(app: &App, args: PauseExecArgs) -> Result<()> {
    let body = PauseExec {
        workspace_id: args.workspace.clone(),
        reason: args.reason,
    };
    let request = api::agents::pause_exec(&args.id, &body)?;
    let client = app.client()?;
    if let Outcome::Sent(answer) = Write::new(request).send::<Agent>(app, &client).await? {
        answer.render(app, |app, agent| {
            let scope = match &args.workspace {
                Some(ws) => format!("in workspace {ws}"),
                None => "in all its workspaces".into(),
            };
            app.ui.success(&format!(
                "Paused governed exec on agent {} {scope}.",
                agent.id
            ));
            super::view::print(app, agent)
        })?;
    }
    Ok(())
}

//! `xeroctl agents <id> --update [--name] [--description] [--max-concurrent]`.

use anyhow::Result;

use crate::api::{self, agents::AgentChanges, models::Agent};
use crate::app::App;
use crate::cli::agents::AgentChangeArgs;
use crate::commands::write::{Outcome, Write};

pub(super) async fn run(app: &App, id: &str, args: AgentChangeArgs) -> Result<()> {
    let changes = AgentChanges {
        name: args.name,
        description: args.description,
        max_concurrent_requests: args.max_concurrent,
    };
    let request = api::agents::update(id, &changes)?;
    let client = app.client()?;
    if let Outcome::Sent(answer) = Write::new(request).send::<Agent>(app, &client).await? {
        answer.render(app, |app, agent| {
            app.ui.success(&format!("Updated agent {id}."));
            super::view::print(app, agent)
        })?;
    }
    Ok(())
}

//! `xeroctl agents --create --name <n> …`.

use anyhow::Result;

use crate::api::{self, agents::NewAgent, models::Agent};
use crate::app::App;
use crate::cli::agents::NewAgentArgs;
use crate::commands::write::{Outcome, Write};

pub(super) async fn run(app: &App, args: NewAgentArgs) -> Result<()> {
    let body = NewAgent {
        name: args.name,
        region: args.region,
        max_concurrent_requests: args.max_concurrent,
        description: args.description,
        supported_tiers: args.supported_tiers,
        storage_limit_bytes: args.storage_limit_bytes,
    };
    let client = app.client()?;
    let write = Write::new(api::agents::create(&body));
    if let Outcome::Sent(answer) = write.send::<Agent>(app, &client).await? {
        answer.render(app, |app, agent| {
            app.ui.success(&format!("Created agent {}.", agent.id));
            super::view::print(app, agent)
        })?;
    }
    Ok(())
}

//! `xeroctl agents revoke-credentials <id> [--reason t] [--force]`: the
//! worker loses its credentials and must enroll again.

use anyhow::Result;

use crate::api::{self, agents::RevokeCredentials, models::Agent};
use crate::app::App;
use crate::cli::agent_control::RevokeCredentialsArgs;
use crate::commands::write::{Confirm, Outcome, Write};

pub(super) async fn run(app: &App, args: RevokeCredentialsArgs) -> Result<()> {
    let id = &args.id;
    let body = RevokeCredentials {
        reason: args.reason.clone(),
    };
    let write = Write::new(api::agents::revoke_credentials(id, &body)?)
        .preview(api::agents::get(id)?)
        .confirm(Confirm {
            force: args.force,
            question: format!("Revoke the credentials of agent {id}? Its worker must enroll again"),
            action: format!("revoke the credentials of agent {id}"),
        });
    let client = app.client()?;
    match write.send::<Agent>(app, &client).await? {
        Outcome::DryRun => Ok(()),
        Outcome::Preview(agent) => {
            super::view::print(app, &agent)?;
            let doing = format!("revoke the credentials of agent {id}");
            app.ui.note(&write.dry_run_note(&client, &doing));
            Ok(())
        }
        Outcome::Sent(answer) => answer.render(app, |app, agent| {
            app.ui.success(&format!(
                "Revoked the credentials of agent {id}: its worker must enroll again (xeroctl agents join-keys --create)."
            ));
            super::view::print(app, agent)
        }),
    }
}

//! `xeroctl agents <id> --delete [--force]`.

use anyhow::Result;
use serde_json::json;

use crate::api::{self, models::Agent};
use crate::app::App;
use crate::commands::write::{Confirm, Outcome, Write};

pub(super) async fn run(app: &App, id: &str, force: bool) -> Result<()> {
    let write = Write::new(api::agents::delete(id)?)
        .preview(api::agents::get(id)?)
        .confirm(Confirm {
            force,
            question: format!("Delete agent {id}? This cannot be undone"),
            action: format!("delete agent {id}"),
        });
    let client = app.client()?;
    match write.send_empty::<Agent>(app, &client).await? {
        Outcome::DryRun => Ok(()),
        Outcome::Preview(agent) => {
            super::view::print(app, &agent)?;
            app.ui
                .note(&write.dry_run_note(&client, &format!("delete agent {id}")));
            Ok(())
        }
        Outcome::Sent(_) if app.ui.prints_document() => {
            app.ui.print_json_value(&json!({"id": id, "deleted": true}))
        }
        Outcome::Sent(_) => {
            app.ui.success(&format!("Deleted agent {id}."));
            Ok(())
        }
    }
}

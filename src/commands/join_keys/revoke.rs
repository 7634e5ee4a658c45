//! `xeroctl agents join-keys <id> --revoke [--force]`.

use anyhow::Result;

use crate::api::{self, models::JoinKey};
use crate::app::App;
use crate::commands::write::{Confirm, Outcome, Write};

pub(super) async fn run(app: &App, id: &str, force: bool) -> Result<()> {
    let write = Write::new(api::join_keys::revoke(id)?)
        .preview(api::join_keys::get(id)?)
        .confirm(Confirm {
            force,
            question: format!("Revoke join key {id}? Workers can no longer enroll with it"),
            action: format!("revoke join key {id}"),
        });
    let client = app.client()?;
    match write.send::<JoinKey>(app, &client).await? {
        Outcome::DryRun => Ok(()),
        Outcome::Preview(key) => {
            super::view::print(app, &key)?;
            app.ui
                .note(&write.dry_run_note(&client, &format!("revoke join key {id}")));
            Ok(())
        }
        Outcome::Sent(answer) => answer.render(app, |app, key| {
            app.ui.success(&format!("Revoked join key {id}."));
            super::view::print(app, key)
        }),
    }
}

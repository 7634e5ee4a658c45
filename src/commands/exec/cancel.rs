//! `exec cancel <invocation-id>`: a 409 names the status it ended with.

use anyhow::Result;

use crate::api::models::Invocation;
use crate::api::{self, ApiRequest, Client};
use crate::app::App;
use crate::cli::exec::CancelArgs;
use crate::commands::write::{Outcome, Write};
use crate::error::CliError;
use crate::output::sanitize::sanitize_line;

use super::view::{self, is_terminal};

pub(super) async fn run(app: &App, args: CancelArgs) -> Result<()> {
    let write = Write::new(api::invocations::cancel(&args.id)?);
    let client = app.client()?;
    let outcome = match write.send::<Invocation>(app, &client).await {
        Ok(outcome) => outcome,
        Err(err) => match err.downcast::<CliError>() {
            Ok(err) if err.status() == Some(409) => {
                let get = api::invocations::get(&args.id)?;
                return Err(already_ended(&client, &get, &args.id, err).await.into());
            }
            Ok(err) => return Err(err.into()),
            Err(err) => return Err(err),
        },
    };
    let Outcome::Sent(answer) = outcome else {
        return Ok(());
    };
    answer.render(app, |app, inv| {
        app.ui.success(&format!(
            "Cancelled invocation {}.",
            sanitize_line(&args.id)
        ));
        view::print(app, inv)
    })
}

/// A 409 on cancel: name the final status (one GET, best effort).
async fn already_ended(client: &Client, get: &ApiRequest, id: &str, err: CliError) -> CliError {
    let final_status = match client.send(get).await {
        Ok(resp) => resp
            .decode::<Invocation>()
            .ok()
            .and_then(|inv| inv.status)
            .filter(|s| is_terminal(s)),
        Err(_) => None,
    };
    let message = match final_status {
        Some(status) => {
            format!("invocation {id} already ended ({status}); there is nothing to cancel")
        }
        None => format!(
            "invocation {id} has already ended; there is nothing to cancel ({})",
            err.message()
        ),
    };
    err.restated(err.exit(), message).with_hint(format!(
        "see its final state with: xeroctl exec watch {}",
        crate::output::shell::arg(id)
    ))
}

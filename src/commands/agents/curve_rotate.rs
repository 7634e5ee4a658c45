//! `xeroctl agents curve-rotate <id> --reason <t>`: ask the agent for a
//! new CURVE keypair (the router answers 202: requested, not done).

use anyhow::Result;

use crate::api::{self, agents::CurveRotate, agents::KeyRotation};
use crate::app::App;
use crate::cli::agent_control::CurveRotateArgs;
use crate::commands::write::{Outcome, Write};
use crate::output::table::{plain, status, text, DetailView};
use crate::output::time;

pub(super) async fn run(app: &App, args: CurveRotateArgs) -> Result<()> {
    let body = CurveRotate {
        reason: args.reason,
    };
    let request = api::agents::curve_rotate(&args.id, &body)?;
    let client = app.client()?;
    let id = args.id;
    if let Outcome::Sent(answer) = Write::new(request)
        .send::<KeyRotation>(app, &client)
        .await?
    {
        answer.render(app, |app, rotation| {
            app.ui
                .success(&format!("Asked agent {id} to rotate its CURVE keys."));
            let mut view = DetailView::new(&app.ui);
            view.field("Agent", text(rotation.agent_id.as_deref().or(Some(&id))))
                .field("Status", status(rotation.status.as_deref()))
                .field("Reason", text(rotation.reason.as_deref()))
                .field(
                    "Requested",
                    plain(time::absolute(rotation.requested_at.as_deref())),
                );
            view.print(&app.ui)?;
            app.ui.hint(&format!(
                "the agent logs the new key in its events: xeroctl agents {} --events",
                crate::output::sanitize::sanitize_line(&id)
            ));
            Ok(())
        })?;
    }
    Ok(())
}

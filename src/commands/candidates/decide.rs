//! `xeroctl agents candidates <id> --approve | --reject`: on a terminal the
//! question names the worker (hostname, region, fingerprint, status), as
//! `agents --delete` names the agent; a table-mode dry run shows it.

use anyhow::Result;

use crate::api::{self, candidates::Candidate};
use crate::app::App;
use crate::commands::write::{Confirm, Outcome, Write};
use crate::output::sanitize::sanitize_line;

pub(super) enum Decision {
    Approve { name: Option<String> },
    Reject { reason: Option<String> },
}

pub(super) async fn run(app: &App, id: &str, decision: Decision, force: bool) -> Result<()> {
    let (request, verb) = match &decision {
        Decision::Approve { name } => {
            let body = api::candidates::Approve { name: name.clone() };
            (api::candidates::approve(id, &body)?, "approve")
        }
        Decision::Reject { reason } => {
            let body = api::candidates::Reject {
                reason: reason.clone(),
            };
            (api::candidates::reject(id, &body)?, "reject")
        }
    };
    let client = app.client()?;
    // Name what is decided on (one GET, only when someone is asked): who
    // the worker is and the fingerprint to check it by.
    let write = Write::new(request)
        .preview(api::candidates::get(id)?)
        .naming(&["hostname", "region", "fingerprint", "status"])
        .confirm(Confirm {
            force,
            question: format!("{} candidate {id}?", capitalised(verb)),
            action: format!("{verb} candidate {id}"),
        });
    match write.send::<Candidate>(app, &client).await? {
        Outcome::DryRun => Ok(()),
        Outcome::Preview(candidate) => {
            super::view::print(app, &candidate)?;
            app.ui
                .note(&write.dry_run_note(&client, &format!("{verb} candidate {id}")));
            Ok(())
        }
        Outcome::Sent(answer) => answer.render(app, |app, c| {
            match (&decision, c.agent_id.as_deref()) {
                (Decision::Approve { .. }, Some(agent)) => app.ui.success(&format!(
                    "Approved candidate {id}: it joined as agent {}.",
                    sanitize_line(agent)
                )),
                (Decision::Approve { .. }, None) => {
                    app.ui.success(&format!("Approved candidate {id}."))
                }
                (Decision::Reject { .. }, _) => {
                    app.ui.success(&format!("Rejected candidate {id}."))
                }
            }
            super::view::print(app, c)
        }),
    }
}

fn capitalised(verb: &str) -> String {
    let mut chars = verb.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

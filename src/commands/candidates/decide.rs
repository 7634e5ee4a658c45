//! `xeroctl agents candidates <id> --approve | --reject`: on a terminal the
//! candidate is shown first and the operator asked (as for approvals).

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
    // Name what is decided on: who the worker is, before the question.
    let question = if !force && !app.global.dry_run && app.can_prompt() {
        let candidate: Candidate = client.send(&api::candidates::get(id)?).await?.decode()?;
        let who = [
            candidate.hostname.as_deref(),
            candidate.fingerprint.as_deref(),
        ]
        .into_iter()
        .flatten()
        .map(|s| sanitize_line(s).into_owned())
        .collect::<Vec<_>>()
        .join(", ");
        format!("{} candidate {id} ({who})?", capitalised(verb))
    } else {
        format!("{} candidate {id}?", capitalised(verb))
    };
    let write = Write::new(request).confirm(Confirm {
        force,
        question,
        action: format!("{verb} candidate {id}"),
    });
    if let Outcome::Sent(answer) = write.send::<Candidate>(app, &client).await? {
        answer.render(app, |app, c| {
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
        })?;
    }
    Ok(())
}

fn capitalised(verb: &str) -> String {
    let mut chars = verb.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

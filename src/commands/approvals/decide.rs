//! `xeroctl approvals approve|reject <id>`: one decision flow for both,
//! through the write pipeline. On a terminal (no `--force`) it fetches the
//! approval, describes it on stderr and asks; a 409 names the approval's
//! current status.

use anyhow::Result;

use crate::api::models::Approval;
use crate::api::{self, ApiRequest, Client};
use crate::app::App;
use crate::cli::approvals::{ApproveArgs, RejectArgs};
use crate::commands::write::{Confirm, Hooks, Outcome, Write};
use crate::error::CliError;
use crate::output::sanitize::sanitize_line;
use crate::output::shell;
use crate::output::time;

pub(super) async fn approve(app: &App, args: ApproveArgs) -> Result<()> {
    let body = api::approvals::Approve { note: args.note };
    let request = api::approvals::approve(&args.id, &body)?;
    decide(
        app,
        Decision::Approve,
        &args.id,
        request,
        args.force,
        args.confirm,
    )
    .await
}

pub(super) async fn reject(app: &App, args: RejectArgs) -> Result<()> {
    let body = api::approvals::Reject {
        reason: args.reason,
    };
    let request = api::approvals::reject(&args.id, &body)?;
    decide(
        app,
        Decision::Reject,
        &args.id,
        request,
        args.force,
        args.confirm,
    )
    .await
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Decision {
    Approve,
    Reject,
}

impl Decision {
    fn verb(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Reject => "reject",
        }
    }
}

async fn decide(
    app: &App,
    decision: Decision,
    id: &str,
    request: ApiRequest,
    mut force: bool,
    confirm: Option<String>,
) -> Result<()> {
    let get = api::approvals::get(id)?;
    let client = app.client()?;
    let action = format!("{} {}", decision.verb(), sanitize_line(id));
    let mut looked_up = None;
    if let Some(expected) = &confirm {
        // `--confirm <tool>`: the approval must be for that tool.
        let approval: Approval = client.send(&get).await?.decode()?;
        check_tool(id, &approval, expected)?;
        // With no terminal, naming the right tool stands in for --force.
        force |= !app.can_prompt();
        looked_up = Some(approval);
    }
    if decision == Decision::Approve && !force && !app.global.dry_run && app.can_prompt() {
        let approval = match looked_up {
            Some(a) => a,
            None => client.send(&get).await?.decode()?,
        };
        if approval.risk.as_deref() == Some("irreversible") {
            // Typing the tool's name replaces the y/N question.
            type_tool_name(app, id, &approval)?;
            force = true;
        }
    }
    let write = Write::new(request).confirm(Confirm {
        force,
        // Replaced by `Steps::before_asking`, which names the tool.
        question: format!("{action}?"),
        action,
    });
    let steps = Steps {
        app,
        client: &client,
        decision,
        id,
        get,
    };
    let Outcome::Sent(answer) = write.send_with::<Approval>(app, &client, &steps).await? else {
        return Ok(());
    };
    answer.render(app, |app, approval| decided(app, decision, id, approval))
}

/// After the router answered: what happens next, then the approval.
fn decided(app: &App, decision: Decision, id: &str, approval: &Approval) -> Result<()> {
    let invocation = approval
        .invocation_id
        .as_deref()
        .map(|i| format!("invocation {}", sanitize_line(i)))
        .unwrap_or_else(|| "its invocation".into());
    match decision {
        Decision::Approve => app.ui.success(&format!(
            "Approved {}: {invocation} moves on (queued to run).",
            sanitize_line(id)
        )),
        Decision::Reject => app.ui.success(&format!(
            "Rejected {}: {invocation} ends rejected.",
            sanitize_line(id)
        )),
    }
    super::view::print(app, approval)
}

/// The decision's own steps in the write pipeline.
struct Steps<'a> {
    app: &'a App,
    client: &'a Client,
    decision: Decision,
    id: &'a str,
    get: ApiRequest,
}

impl Hooks for Steps<'_> {
    /// On a terminal, before asking: fetch the approval, refuse when it is
    /// no longer pending, show it on stderr and ask about its tool.
    async fn before_asking(&self, _question: &str) -> Result<String> {
        let Steps {
            app,
            client,
            decision,
            id,
            get,
        } = self;
        let resp = client.send(get).await?;
        let approval: Approval = resp.decode()?;
        if let Some(current) = approval.status.as_deref().filter(|s| *s != "pending") {
            return Err(already_resolved(id, current, None).into());
        }
        describe_on_stderr(app, &approval);
        let question = match decision {
            Decision::Approve => format!(
                "Approve running {}? The invocation will go ahead",
                approval
                    .tool
                    .as_deref()
                    .map(sanitize_line)
                    .unwrap_or_default()
            ),
            Decision::Reject => format!(
                "Reject running {}? The invocation will end rejected",
                approval
                    .tool
                    .as_deref()
                    .map(sanitize_line)
                    .unwrap_or_default()
            ),
        };
        Ok(question)
    }

    async fn on_error(&self, err: CliError) -> CliError {
        if err.status() == Some(409) {
            conflict(self.client, &self.get, self.id, err).await
        } else {
            err
        }
    }
}

/// `--confirm <tool>` names another tool than the approval's: refuse.
fn check_tool(id: &str, approval: &Approval, expected: &str) -> Result<(), CliError> {
    let tool = approval.tool.as_deref().unwrap_or("");
    if tool == expected {
        return Ok(());
    }
    let shown = if tool.is_empty() {
        "no tool".to_string()
    } else {
        format!("tool {}", sanitize_line(tool))
    };
    Err(CliError::usage(format!(
        "approval {} is for {shown}, not {}: nothing was sent",
        sanitize_line(id),
        sanitize_line(expected)
    ))
    .with_hint(show_hint(id)))
}

/// Approving an irreversible tool on a terminal: show it, then have the
/// user type the tool's name (not y/N). Anything else sends nothing.
fn type_tool_name(app: &App, id: &str, approval: &Approval) -> Result<()> {
    if let Some(current) = approval.status.as_deref().filter(|s| *s != "pending") {
        return Err(already_resolved(id, current, None).into());
    }
    describe_on_stderr(app, approval);
    let tool = sanitize_line(approval.tool.as_deref().unwrap_or("")).into_owned();
    let answer = dialoguer::Input::<String>::new()
        .with_prompt(format!(
            "{tool} is irreversible. Type the tool name ({tool}) to approve it"
        ))
        .allow_empty(true)
        .interact_text();
    let typed = crate::commands::common::prompt(answer)?;
    if typed_matches(&typed, &tool) {
        Ok(())
    } else {
        Err(CliError::usage(format!(
            "aborted: did not approve {} (the name typed was not {tool})",
            sanitize_line(id)
        ))
        .into())
    }
}

/// The typed answer names the tool (surrounding blanks ignored).
fn typed_matches(typed: &str, tool: &str) -> bool {
    !tool.is_empty() && typed.trim() == tool
}

/// What is about to be approved, on stderr next to the prompt.
fn describe_on_stderr(app: &App, a: &Approval) {
    let field = |v: Option<&str>| {
        v.map(|s| sanitize_line(s).into_owned())
            .unwrap_or_else(|| "-".into())
    };
    let text = format!(
        "Approval {}\n  Tool:       {}\n  Workspace:  {}\n  Risk:       {}\n  Invocation: {}\n  Expires:    {}\n",
        sanitize_line(&a.id),
        field(a.tool.as_deref()),
        field(a.workspace_id.as_deref()),
        field(a.risk.as_deref()),
        field(a.invocation_id.as_deref()),
        time::with_relative(a.expires_at.as_deref())
    );
    app.ui.err_raw(&crate::output::redact::scrub(&text));
}

fn already_resolved(id: &str, current: &str, from: Option<&CliError>) -> CliError {
    let message = format!("approval {id} is already {}", sanitize_line(current));
    let api = match from {
        Some(from) => from.api().cloned(),
        None => Some(crate::error::ApiError {
            status: 409,
            code: Some("approval_resolved".into()),
            request_id: None,
        }),
    };
    CliError::from_api(crate::error::ExitCode::Conflict, message, api).with_hint(show_hint(id))
}

/// A 409: make sure the message names the approval's current status,
/// asking the router once when its message does not.
async fn conflict(client: &Client, get: &ApiRequest, id: &str, err: CliError) -> CliError {
    const STATUSES: [&str; 4] = ["approved", "rejected", "expired", "pending"];
    let named = STATUSES
        .iter()
        .any(|s| err.message().to_ascii_lowercase().contains(s));
    if err.api_code() != Some("approval_resolved") || named {
        return err.with_hint(show_hint(id));
    }
    let current = match client.send(get).await {
        Ok(resp) => resp.decode::<Approval>().ok().and_then(|a| a.status),
        Err(_) => None,
    };
    match current {
        Some(status) => already_resolved(id, &status, Some(&err)),
        None => err.with_hint(show_hint(id)),
    }
}

fn show_hint(id: &str) -> String {
    format!("see it with `xeroctl approvals show {}`", shell::arg(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_typed_name_must_be_the_tool() {
        assert!(typed_matches(" db_drop_database\n", "db_drop_database"));
        assert!(!typed_matches("y", "db_drop_database"));
        assert!(!typed_matches("DB_DROP_DATABASE", "db_drop_database"));
        assert!(!typed_matches("", ""));
    }
}

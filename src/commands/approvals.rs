//! `xeroctl approvals …`: the approval gate (`/exec/approvals`) for
//! destructive and irreversible tools: list, show, approve, reject.
//! `watch` lives in `approvals_watch.rs`.

use anyhow::Result;

use crate::api::models::Approval;
use crate::api::{self, ApiRequest, Client};
use crate::app::App;
use crate::cli::approvals::{ApprovalsArgs, ApprovalsListArgs, ApprovalsSub};
use crate::error::CliError;
use crate::output::sanitize::sanitize_line;
use crate::output::table::{status, text, DetailView};
use crate::output::time;

use super::common::{self, ListSpec};

pub async fn run(app: &App, args: ApprovalsArgs) -> Result<()> {
    match args.sub {
        ApprovalsSub::List(list_args) => list(app, &list_args).await,
        ApprovalsSub::Show(show) => {
            let request = api::approvals::get(&show.id)?;
            let client = app.client()?;
            match common::fetch_one::<Approval>(app, &client, request).await? {
                Some(approval) => print_approval(app, &approval),
                None => Ok(()),
            }
        }
        ApprovalsSub::Approve(a) => {
            resolve(app, Decision::Approve, &a.id, a.note.as_deref(), a.force).await
        }
        ApprovalsSub::Reject(r) => {
            resolve(app, Decision::Reject, &r.id, r.reason.as_deref(), r.force).await
        }
        ApprovalsSub::Watch(w) => super::approvals_watch::run(app, &w).await,
    }
}

async fn list(app: &App, args: &ApprovalsListArgs) -> Result<()> {
    let request = api::approvals::list(api::approvals::Filters {
        status: args.status.map(|s| s.as_str()),
        risk: args.filters.risk.map(|r| r.as_str()),
        workspace_id: args.filters.workspace.as_deref(),
    });
    let client = app.client()?;
    let row = |a: &Approval| {
        vec![
            text(Some(&a.id)),
            status(a.status.as_deref()),
            status(a.risk.as_deref()),
            text(a.tool.as_deref()),
            text(a.workspace_id.as_deref()),
            text(Some(&time::absolute(a.created_at.as_deref()))),
        ]
    };
    let spec = ListSpec {
        noun: "approvals",
        headers: &["ID", "STATUS", "RISK", "TOOL", "WORKSPACE", "CREATED"],
        row: &row,
    };
    common::list(app, &client, request, &args.page, spec).await
}

pub fn print_approval(app: &App, a: &Approval) -> Result<()> {
    let mut view = DetailView::new(&app.ui);
    view.field("ID", text(Some(&a.id)))
        .field("Status", status(a.status.as_deref()))
        .field("Risk", status(a.risk.as_deref()))
        .field("Tool", text(a.tool.as_deref()))
        .field("Workspace", text(a.workspace_id.as_deref()))
        .field("Invocation", text(a.invocation_id.as_deref()))
        .field(
            "Created",
            text(Some(&time::absolute(a.created_at.as_deref()))),
        )
        .field(
            "Expires",
            text(Some(&time::with_relative(a.expires_at.as_deref()))),
        )
        .field(
            "Resolved",
            text(Some(&time::absolute(a.resolved_at.as_deref()))),
        )
        .field("Resolved by", text(a.resolved_by.as_deref()))
        .long_text("Note", a.note.as_deref())
        .long_text("Reason", a.reason.as_deref());
    view.print(&app.ui)?;
    Ok(())
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

async fn resolve(
    app: &App,
    decision: Decision,
    id: &str,
    text_value: Option<&str>,
    force: bool,
) -> Result<()> {
    let text_value = text_value.map(str::to_owned);
    let req = match decision {
        Decision::Approve => {
            api::approvals::approve(id, &api::approvals::Approve { note: text_value })?
        }
        Decision::Reject => {
            api::approvals::reject(id, &api::approvals::Reject { reason: text_value })?
        }
    };
    let get = api::approvals::get(id)?;
    let client = app.client()?;
    if app.global.dry_run {
        return common::print_dry_run(app, &client, &req);
    }
    let action = format!("{} {}", decision.verb(), sanitize_line(id));
    if !force {
        if !app.can_prompt() {
            // Refuses (exit 2) before anything is sent, not even the GET.
            return common::confirm(app, false, "", &action);
        }
        let resp = client.send(&get).await?;
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
        common::confirm(app, false, &question, &action)?;
    }
    let resp = match client.send(&req).await {
        Ok(resp) => resp,
        Err(e) if e.status() == Some(409) => {
            return Err(conflict(&client, &get, id, e).await.into());
        }
        Err(e) => return Err(e.into()),
    };
    let approval: Approval = resp.decode()?;
    if app.ui.is_json() {
        return app.ui.print_json_bytes(&resp.body);
    }
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
    print_approval(app, &approval)
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
    CliError::from_api(crate::error::ExitCode::Conflict, message, api)
        .with_hint(format!("see it with `xeroctl approvals show {id}`"))
}

/// A 409: make sure the message names the approval's current status,
/// asking the router once when its message does not.
async fn conflict(client: &Client, get: &ApiRequest, id: &str, err: CliError) -> CliError {
    const STATUSES: [&str; 4] = ["approved", "rejected", "expired", "pending"];
    let named = STATUSES
        .iter()
        .any(|s| err.message().to_ascii_lowercase().contains(s));
    if err.api_code() != Some("approval_resolved") || named {
        let hint = format!("see it with `xeroctl approvals show {id}`");
        return err.with_hint(hint);
    }
    let current = match client.send(get).await {
        Ok(resp) => resp.decode::<Approval>().ok().and_then(|a| a.status),
        Err(_) => None,
    };
    match current {
        Some(status) => already_resolved(id, &status, Some(&err)),
        None => {
            let hint = format!("see it with `xeroctl approvals show {id}`");
            err.with_hint(hint)
        }
    }
}

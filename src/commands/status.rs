//! `xeroctl status`: which context and settings are in use (and where each
//! came from), whether the router answers, and which scopes the key holds.

use anyhow::Result;
use comfy_table::{Cell, Color};
use serde_json::json;

use serde::de::IgnoredAny;

use crate::api::models::Page;
use crate::api::{self, ApiRequest, ApiResponse, Client};
use crate::app::App;
use crate::cli::StatusArgs;
use crate::config::resolve::{project_of, redact_key, Credentials, Source, Sourced};
use crate::error::CliError;
use crate::output::table::{text, DetailView};
use crate::output::time::{self, DurationStyle};

/// The outcome of one scope probe.
pub(crate) enum Probe {
    Granted,
    /// 403 `scope_insufficient`.
    Missing,
    /// Anything else: the key, the project or the router is the problem.
    Failed(CliError),
    /// Not tried because an earlier probe already failed.
    Skipped,
}

impl Probe {
    fn from(result: Result<ApiResponse, CliError>) -> Probe {
        match result {
            Ok(_) => Probe::Granted,
            Err(e) if e.status() == Some(403) && e.api_code() == Some("scope_insufficient") => {
                Probe::Missing
            }
            Err(e) => Probe::Failed(e),
        }
    }

    fn as_json(&self) -> serde_json::Value {
        match self {
            Probe::Granted => json!(true),
            Probe::Missing => json!(false),
            Probe::Failed(_) | Probe::Skipped => serde_json::Value::Null,
        }
    }

    fn cell(&self) -> Cell {
        match self {
            Probe::Granted => Cell::new("yes").fg(Color::Green),
            Probe::Missing => Cell::new("no (scope_insufficient)").fg(Color::Red),
            Probe::Failed(_) => Cell::new("unknown (check failed)").fg(Color::Yellow),
            Probe::Skipped => Cell::new("not checked"),
        }
    }
}

/// What the probes learnt of a router and a key: whether it answered, and
/// which scopes the key holds. `xeroctl status` shows it; `config init`
/// checks a key with it before saving.
pub(crate) struct KeyCheck {
    pub answered: bool,
    /// That of the first probe's last attempt (not retries and their
    /// waits), when the router answered.
    pub round_trip_ms: Option<u64>,
    pub too_large: bool,
    pub management: Probe,
    pub execution: Probe,
}

impl KeyCheck {
    /// One cheap request per scope; the execution probe is skipped when
    /// the first failed for another reason than the scope.
    pub async fn run(client: &Client) -> KeyCheck {
        let first = probe(client, api::agents::list()).await;
        let elapsed_ms = client.last_answer_time().map(|d| d.as_millis() as u64);
        let answered = !matches!(&first, Err(e) if e.status().is_none());
        let too_large = matches!(&first, Err(e) if api::client::is_too_large(e));
        let management = Probe::from(first);
        let execution = if matches!(management, Probe::Failed(_)) {
            Probe::Skipped
        } else {
            Probe::from(probe(client, api::tools::list()).await)
        };
        KeyCheck {
            answered,
            round_trip_ms: elapsed_ms.filter(|_| answered),
            too_large,
            management,
            execution,
        }
    }

    /// The probe that failed (not a missing scope: the key, the project or
    /// the router is the problem), if any.
    pub fn failure(&self) -> Option<&CliError> {
        [&self.management, &self.execution]
            .into_iter()
            .find_map(|p| match p {
                Probe::Failed(e) => Some(e),
                _ => None,
            })
    }

    /// The scopes the key was seen to hold, and those it lacks.
    pub fn scopes(&self) -> (Vec<&'static str>, Vec<&'static str>) {
        let mut held = Vec::new();
        let mut missing = Vec::new();
        for (name, probe) in [
            ("management", &self.management),
            ("execution", &self.execution),
        ] {
            match probe {
                Probe::Granted => held.push(name),
                Probe::Missing => missing.push(name),
                Probe::Failed(_) | Probe::Skipped => {}
            }
        }
        (held, missing)
    }
}

pub async fn run(app: &App, _args: StatusArgs) -> Result<()> {
    let creds = app.credentials()?;
    let client = app.client_for(&creds)?;
    let check = KeyCheck::run(&client).await;
    let outcome = verdict(&check);
    let ok = outcome.is_none();

    if app.ui.prints_document() {
        app.ui.print_json_value(&json!({
            "context": creds.context.as_ref().map(|c| c.value.clone()),
            "sources": {
                "context": creds.context.as_ref().map(context_source),
                "base_url": creds.base_url.source.to_string(),
                "api_key": creds.api_key.source.to_string(),
            },
            "base_url": creds.base_url.value,
            "project": project_of(&creds.base_url.value),
            "key": redact_key(&creds.api_key.value),
            "reachable": check.answered,
            "round_trip_ms": check.round_trip_ms,
            "response_too_large": check.too_large,
            "scopes": {
                "management": check.management.as_json(),
                "execution": check.execution.as_json(),
            },
            "ok": ok,
        }))?;
    } else {
        print_table(app, &creds, &check, ok)?;
    }
    match outcome {
        None => Ok(()),
        Some(err) => Err(err.into()),
    }
}

/// One page of one item. A 200 that is not a list (a proxy's or captive
/// portal's HTML page) is a failure, not a granted scope.
async fn probe(client: &Client, list: ApiRequest) -> Result<ApiResponse, CliError> {
    let resp = client.send(&list.query("limit", Some(1))).await?;
    resp.decode::<Page<IgnoredAny>>()?;
    Ok(resp)
}

/// `None` when all is well, else the error that sets the exit code.
fn verdict(check: &KeyCheck) -> Option<CliError> {
    if let Some(e) = check.failure() {
        return Some(e.clone());
    }
    let (_, missing) = check.scopes();
    if missing.is_empty() {
        return None;
    }
    let (what, needs) = if missing.len() == 2 {
        (
            "the management and execution scopes",
            "agents, join keys, exec and approvals",
        )
    } else if missing[0] == "management" {
        ("the management scope", "agents and join keys")
    } else {
        ("the execution scope", "exec and approvals")
    };
    Some(
        CliError::config(format!("the API key lacks {what} ({needs} will be refused)"))
            .with_hint("create a key with the missing scope in the Xerotier console, then `xeroctl config add`"),
    )
}

/// Where the context choice came from, in words.
fn context_source(context: &Sourced<String>) -> String {
    match &context.source {
        Source::Context(_) => "current".to_string(),
        Source::Flag => "flag --context".to_string(),
        other => other.to_string(),
    }
}

fn print_table(app: &App, creds: &Credentials, check: &KeyCheck, ok: bool) -> Result<()> {
    let from = |s: &Source| format!("(from {s})");
    let context = match &creds.context {
        Some(c) => format!("{} ({})", c.value, context_source(c)),
        None => "- (none: flags and environment only)".to_string(),
    };
    let project = project_of(&creds.base_url.value);
    let trip = |ms: Option<u64>| match ms {
        Some(ms) => format!(
            ", {} round trip",
            time::duration_ms(Some(ms), DurationStyle::Millis)
        ),
        None => String::new(),
    };
    let router = if check.too_large {
        Cell::new(format!(
            "answered, but the response was too large to read{}",
            trip(check.round_trip_ms)
        ))
        .fg(Color::Yellow)
    } else if check.answered {
        Cell::new(format!("reachable{}", trip(check.round_trip_ms))).fg(Color::Green)
    } else {
        Cell::new("unreachable").fg(Color::Red)
    };
    let result = if ok {
        Cell::new("ok").fg(Color::Green)
    } else {
        Cell::new("problem (see below)").fg(Color::Red)
    };
    let mut view = DetailView::new(&app.ui);
    view.field("Context", text(Some(&context)))
        .field(
            "Base URL",
            text(Some(&format!(
                "{} {}",
                creds.base_url.value,
                from(&creds.base_url.source)
            ))),
        )
        .field("Project", text(project.as_deref()))
        .field(
            "API key",
            text(Some(&format!(
                "{} {}",
                redact_key(&creds.api_key.value),
                from(&creds.api_key.source)
            ))),
        )
        .field("Router", router)
        .field("Management scope", check.management.cell())
        .field("Execution scope", check.execution.cell())
        .field("Status", result);
    view.print(&app.ui)?;
    if ok {
        app.ui
            .success("Connected; the key holds the management and execution scopes.");
    }
    Ok(())
}

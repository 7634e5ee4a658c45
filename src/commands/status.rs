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
enum Probe {
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

pub async fn run(app: &App, _args: StatusArgs) -> Result<()> {
    let creds = app.credentials()?;
    let client = app.client_for(&creds)?;

    // One cheap request per scope; the first also measures the round trip:
    // that of its last attempt, not the retries and their waits.
    let first = probe(&client, api::agents::list()).await;
    let elapsed_ms = client.last_answer_time().map(|d| d.as_millis() as u64);
    let answered = !matches!(&first, Err(e) if e.status().is_none());
    let too_large = matches!(&first, Err(e) if api::client::is_too_large(e));
    let management = Probe::from(first);
    let execution = if matches!(management, Probe::Failed(_)) {
        Probe::Skipped
    } else {
        Probe::from(probe(&client, api::tools::list()).await)
    };
    let round_trip_ms = elapsed_ms.filter(|_| answered);
    let outcome = verdict(&management, &execution);
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
            "reachable": answered,
            "round_trip_ms": round_trip_ms,
            "response_too_large": too_large,
            "scopes": {
                "management": management.as_json(),
                "execution": execution.as_json(),
            },
            "ok": ok,
        }))?;
    } else {
        let router = Router {
            answered,
            round_trip_ms,
            too_large,
        };
        print_table(app, &creds, router, &management, &execution, ok)?;
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
fn verdict(management: &Probe, execution: &Probe) -> Option<CliError> {
    for probe in [management, execution] {
        if let Probe::Failed(e) = probe {
            return Some(e.clone());
        }
    }
    let missing: Vec<&str> = [("management", management), ("execution", execution)]
        .iter()
        .filter(|(_, p)| matches!(p, Probe::Missing))
        .map(|(name, _)| *name)
        .collect();
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

/// What the first probe learnt of the router.
struct Router {
    answered: bool,
    round_trip_ms: Option<u64>,
    too_large: bool,
}

fn print_table(
    app: &App,
    creds: &Credentials,
    router: Router,
    management: &Probe,
    execution: &Probe,
    ok: bool,
) -> Result<()> {
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
    let router = if router.too_large {
        Cell::new(format!(
            "answered, but the response was too large to read{}",
            trip(router.round_trip_ms)
        ))
        .fg(Color::Yellow)
    } else if router.answered {
        Cell::new(format!("reachable{}", trip(router.round_trip_ms))).fg(Color::Green)
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
        .field("Management scope", management.cell())
        .field("Execution scope", execution.cell())
        .field("Status", result);
    view.print(&app.ui)?;
    if ok {
        app.ui
            .success("Connected; the key holds the management and execution scopes.");
    }
    Ok(())
}

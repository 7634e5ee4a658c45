//! `xeroctl agents`: list, show, create, update, delete, events.

use anyhow::Result;
use serde_json::{json, Map, Value};

use crate::api::models::{Agent, AgentEvent};
use crate::api::{id_segment, ApiRequest, Client};
use crate::app::App;
use crate::cli::agents::{AgentsArgs, AgentsSub};
use crate::output::table::{number, plain, status, text, DetailView};
use crate::output::time;

use super::common::{self, compact_details, gb_to_bytes, reject_stray, ListSpec};

const BASE: &str = "/management/agents";

fn agent_path(id: &str) -> Result<String> {
    Ok(format!("{BASE}/{}", id_segment("agent", id)?))
}

pub async fn run(app: &App, args: AgentsArgs) -> Result<()> {
    if let Some(AgentsSub::JoinKeys(jk)) = args.sub {
        return super::join_keys::run(app, jk).await;
    }
    let fields = [
        ("--name", args.name.is_some()),
        ("--region", args.region.is_some()),
        ("--max-concurrent", args.max_concurrent.is_some()),
        ("--description", args.description.is_some()),
        ("--supported-tiers", args.supported_tiers.is_some()),
        ("--storage-limit", args.storage_limit.is_some()),
    ];
    let paging = [
        ("--limit", args.page.limit.is_some()),
        ("--after", args.page.after.is_some()),
        ("--all", args.page.all),
    ];
    let force = [("--force", args.force)];

    if args.create {
        if let Some(id) = &args.id {
            usage_bail!("--create takes no agent id (got '{id}'); the router assigns one");
        }
        reject_stray("--create", &[&paging[..], &force[..]].concat())?;
        return create(app, &args).await;
    }
    if args.update || args.delete || args.events {
        let action = if args.update {
            "--update"
        } else if args.delete {
            "--delete"
        } else {
            "--events"
        };
        let Some(id) = args.id.as_deref() else {
            usage_bail!("{action} needs an agent id: xeroctl agents <id> {action}");
        };
        let path = agent_path(id)?;
        if args.update {
            reject_stray(
                "--update",
                &[&fields[1..2], &fields[4..], &paging[..], &force[..]].concat(),
            )?;
            return update(app, id, &path, &args).await;
        }
        if args.delete {
            reject_stray("--delete", &[&fields[..], &paging[..]].concat())?;
            let client = app.client()?;
            return delete(app, &client, id, &path, args.force).await;
        }
        reject_stray("--events", &[&fields[..], &force[..]].concat())?;
        let client = app.client()?;
        return events(app, &client, &path, &args).await;
    }
    match args.id.as_deref() {
        Some(id) => {
            let given = [&fields[..], &paging[..], &force[..]].concat();
            if let Some((flag, _)) = given.iter().find(|(_, g)| *g) {
                usage_bail!(
                    "{flag} needs an action: add --create, --update, --delete or --events (showing agent {id} takes no options)"
                );
            }
            let path = agent_path(id)?;
            let client = app.client()?;
            show(app, &client, &path).await
        }
        None => {
            let given = [&fields[..], &force[..]].concat();
            if let Some((flag, _)) = given.iter().find(|(_, g)| *g) {
                usage_bail!("{flag} needs an action, e.g. --create (listing agents takes only --limit, --after, --all)");
            }
            let client = app.client()?;
            list(app, &client, &args).await
        }
    }
}

async fn list(app: &App, client: &Client, args: &AgentsArgs) -> Result<()> {
    let row = |a: &Agent| {
        vec![
            text(Some(&a.id)),
            text(a.name.as_deref()),
            text(a.worker_id.as_deref()),
            status(a.status.as_deref()),
            text(a.region.as_deref()),
            plain(time::with_relative(a.last_heartbeat_at.as_deref())),
        ]
    };
    let spec = ListSpec {
        noun: "agents",
        headers: &[
            "ID",
            "NAME",
            "WORKER_ID",
            "STATUS",
            "REGION",
            "LAST_HEARTBEAT",
        ],
        row: &row,
    };
    common::list(app, client, ApiRequest::get(BASE), &args.page, spec).await
}

async fn show(app: &App, client: &Client, path: &str) -> Result<()> {
    match common::fetch_one::<Agent>(app, client, path).await? {
        Some(agent) => print_agent(app, &agent),
        None => Ok(()),
    }
}

pub fn print_agent(app: &App, a: &Agent) -> Result<()> {
    let mut view = DetailView::new(&app.ui);
    view.field("ID", text(Some(&a.id)))
        .field("Name", text(a.name.as_deref()))
        .field("Worker ID", text(a.worker_id.as_deref()))
        .field("Status", status(a.status.as_deref()))
        .field("Region", text(a.region.as_deref()))
        .field(
            "Last heartbeat",
            plain(time::with_relative(a.last_heartbeat_at.as_deref())),
        )
        .field(
            "Max concurrent",
            match a.max_concurrent_requests {
                Some(0) => plain("auto"),
                n => number(n),
            },
        )
        .long_text("Description", a.description.as_deref())
        .field(
            "Supported tiers",
            text(a.supported_tiers.as_ref().map(|t| t.join(", ")).as_deref()),
        )
        .field(
            "Storage limit",
            storage(a.storage_limit_enabled, a.storage_limit_bytes),
        )
        .field("Created", plain(time::absolute(a.created_at.as_deref())))
        .field("Updated", plain(time::absolute(a.updated_at.as_deref())));
    view.print(&app.ui)?;
    Ok(())
}

fn storage(enabled: Option<bool>, bytes: Option<u64>) -> comfy_table::Cell {
    match (enabled, bytes) {
        (Some(false), _) => plain("disabled"),
        (_, Some(b)) => plain(time::bytes(Some(b))),
        _ => plain("-"),
    }
}

/// The body is built (and checked) before credentials are resolved, so a
/// usage error is reported as one even when nothing is configured.
async fn create(app: &App, args: &AgentsArgs) -> Result<()> {
    let Some(name) = &args.name else {
        usage_bail!("--create needs --name <name>");
    };
    let mut body = Map::new();
    body.insert("name".into(), json!(name));
    if let Some(region) = &args.region {
        body.insert("region".into(), json!(region));
    }
    if let Some(n) = args.max_concurrent {
        body.insert("max_concurrent_requests".into(), json!(n));
    }
    if let Some(d) = &args.description {
        body.insert("description".into(), json!(d));
    }
    if let Some(tiers) = &args.supported_tiers {
        body.insert("supported_tiers".into(), json!(tiers.0));
    }
    if let Some(gb) = args.storage_limit {
        body.insert(
            "storage_limit_bytes".into(),
            json!(gb_to_bytes("--storage-limit", gb)?),
        );
    }
    let req = ApiRequest::post(BASE, Value::Object(body));
    let client = app.client()?;
    let Some(agent) = common::send_write::<Agent>(app, &client, &req).await? else {
        return Ok(());
    };
    app.ui.success(&format!("Created agent {}.", agent.id));
    print_agent(app, &agent)
}

async fn update(app: &App, id: &str, path: &str, args: &AgentsArgs) -> Result<()> {
    let mut body = Map::new();
    if let Some(name) = &args.name {
        body.insert("name".into(), json!(name));
    }
    if let Some(d) = &args.description {
        body.insert("description".into(), json!(d));
    }
    if let Some(n) = args.max_concurrent {
        body.insert("max_concurrent_requests".into(), json!(n));
    }
    if body.is_empty() {
        usage_bail!("--update needs at least one of --name, --description, --max-concurrent");
    }
    let req = ApiRequest::patch(path, Value::Object(body));
    let client = app.client()?;
    let Some(agent) = common::send_write::<Agent>(app, &client, &req).await? else {
        return Ok(());
    };
    app.ui.success(&format!("Updated agent {id}."));
    print_agent(app, &agent)
}

async fn delete(app: &App, client: &Client, id: &str, path: &str, force: bool) -> Result<()> {
    let req = ApiRequest::delete(path);
    if app.global.dry_run {
        if app.ui.is_json() {
            return common::print_dry_run(app, client, &req);
        }
        let resp = client.send(&ApiRequest::get(path)).await?;
        let agent: Agent = resp.decode()?;
        print_agent(app, &agent)?;
        app.ui.note(&format!(
            "Dry run: would delete agent {id} (DELETE {}); nothing was sent.",
            client.url(&req)
        ));
        return Ok(());
    }
    common::confirm(
        app,
        force,
        &format!("Delete agent {id}? This cannot be undone"),
        &format!("delete agent {id}"),
    )?;
    client.send(&req).await?;
    if app.ui.is_json() {
        return app.ui.print_json_value(&json!({"id": id, "deleted": true}));
    }
    app.ui.success(&format!("Deleted agent {id}."));
    Ok(())
}

async fn events(app: &App, client: &Client, path: &str, args: &AgentsArgs) -> Result<()> {
    let row = |e: &AgentEvent| {
        vec![
            text(Some(&e.id)),
            status(e.event_type.as_deref()),
            text(compact_details(&e.details).as_deref()),
            plain(time::absolute(e.created_at.as_deref())),
        ]
    };
    let spec = ListSpec {
        noun: "events",
        headers: &["ID", "EVENT_TYPE", "DETAILS", "CREATED"],
        row: &row,
    };
    let req = ApiRequest::get(format!("{path}/events"));
    common::list(app, client, req, &args.page, spec).await
}

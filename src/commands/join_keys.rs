//! `xeroctl agents join-keys`: list, show, create (token shown once), revoke.

use std::io::Write;

use anyhow::Result;
use owo_colors::OwoColorize;
use serde_json::{json, Map, Value};

use crate::api::models::JoinKey;
use crate::api::{id_segment, ApiRequest, Client};
use crate::app::App;
use crate::cli::agents::JoinKeysArgs;
use crate::output::sanitize::sanitize_line;
use crate::output::table::{number, plain, status, text, DetailView};
use crate::output::time;

use super::common::{self, gb_to_bytes, reject_stray, ListSpec};

const BASE: &str = "/management/join-keys";

pub async fn run(app: &App, args: JoinKeysArgs) -> Result<()> {
    let fields = [
        ("--name", args.name.is_some()),
        ("--region", args.region.is_some()),
        ("--max-enrollments", args.max_enrollments.is_some()),
        ("--supported-tiers", args.supported_tiers.is_some()),
        ("--storage-limit", args.storage_limit.is_some()),
        ("--expires-in", args.expires_in.is_some()),
    ];
    let paging = [
        ("--limit", args.page.limit.is_some()),
        ("--after", args.page.after.is_some()),
        ("--all", args.page.all),
    ];
    let force = [("--force", args.force)];

    if args.create {
        if let Some(id) = &args.id {
            usage_bail!("--create takes no join key id (got '{id}')");
        }
        reject_stray("--create", &[&paging[..], &force[..]].concat())?;
        return create(app, &args).await;
    }
    if args.revoke {
        let Some(id) = args.id.as_deref() else {
            usage_bail!("--revoke needs a join key id: xeroctl agents join-keys <id> --revoke");
        };
        reject_stray("--revoke", &[&fields[..], &paging[..]].concat())?;
        let path = format!("{BASE}/{}", id_segment("join key", id)?);
        let client = app.client()?;
        return revoke(app, &client, id, &path, args.force).await;
    }
    let given = [&fields[..], &force[..]].concat();
    if let Some((flag, _)) = given.iter().find(|(_, g)| *g) {
        usage_bail!("{flag} needs an action: add --create or --revoke");
    }
    match args.id.as_deref() {
        Some(id) => {
            reject_stray("showing a join key", &paging)?;
            let path = format!("{BASE}/{}", id_segment("join key", id)?);
            let client = app.client()?;
            match common::fetch_one::<JoinKey>(app, &client, path).await? {
                Some(key) => print_join_key(app, &key),
                None => Ok(()),
            }
        }
        None => {
            let client = app.client()?;
            let row = |k: &JoinKey| {
                vec![
                    text(Some(&k.id)),
                    status(k.status.as_deref()),
                    text(k.region.as_deref()),
                    number(k.enrollments),
                    number(k.max_enrollments),
                    plain(time::absolute(k.expires_at.as_deref())),
                ]
            };
            let spec = ListSpec {
                noun: "join keys",
                headers: &["ID", "STATUS", "REGION", "ENROLLMENTS", "MAX", "EXPIRES"],
                row: &row,
            };
            common::list(app, &client, ApiRequest::get(BASE), &args.page, spec).await
        }
    }
}

fn print_join_key(app: &App, k: &JoinKey) -> Result<()> {
    let mut view = DetailView::new(&app.ui);
    let enrollments = match (k.enrollments, k.max_enrollments) {
        (Some(n), Some(max)) => format!("{n} of {max}"),
        (Some(n), None) => n.to_string(),
        _ => "-".to_string(),
    };
    view.field("ID", text(Some(&k.id)))
        .field("Name", text(k.name.as_deref()))
        .field("Status", status(k.status.as_deref()))
        .field("Region", text(k.region.as_deref()))
        .field("Enrollments", plain(enrollments))
        .field(
            "Supported tiers",
            text(k.supported_tiers.as_ref().map(|t| t.join(", ")).as_deref()),
        )
        .field("Storage limit", plain(time::bytes(k.storage_limit_bytes)))
        .field(
            "Expires",
            plain(time::with_relative(k.expires_at.as_deref())),
        )
        .field("Created", plain(time::absolute(k.created_at.as_deref())))
        .field("Revoked", plain(time::absolute(k.revoked_at.as_deref())));
    view.print(&app.ui)?;
    Ok(())
}

/// The body is checked before credentials are resolved (usage errors first).
async fn create(app: &App, args: &JoinKeysArgs) -> Result<()> {
    let mut body = Map::new();
    if let Some(name) = &args.name {
        body.insert("name".into(), json!(name));
    }
    if let Some(region) = &args.region {
        body.insert("region".into(), json!(region));
    }
    if let Some(n) = args.max_enrollments {
        body.insert("max_enrollments".into(), json!(n));
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
    if let Some(hours) = args.expires_in {
        body.insert("expires_in_hours".into(), json!(hours));
    }
    let req = ApiRequest::post(BASE, Value::Object(body));
    let client = app.client()?;
    if app.global.dry_run {
        return common::print_dry_run(app, &client, &req);
    }
    let resp = client.send(&req).await?;
    let key: JoinKey = resp.decode()?;
    if let Some(token) = &key.token {
        crate::output::redact::register(token);
    }
    if app.ui.is_json() {
        return app.ui.print_json_bytes(&resp.body);
    }
    app.ui.success(&format!("Created join key {}.", key.id));
    print_join_key(app, &key)?;
    let Some(token) = key.token.as_deref() else {
        app.ui
            .warn("the router did not return a token for this key");
        return Ok(());
    };
    // The token is the one thing the user must copy: set it apart.
    let token = sanitize_line(token);
    let mut out = app.ui.out();
    if app.ui.color {
        writeln!(out, "\n  {} {}\n", "Token:".bold(), token.green().bold())?;
    } else {
        writeln!(out, "\n  Token: {token}\n")?;
    }
    out.flush()?;
    app.ui
        .warn("save this token now: it is shown only once and cannot be retrieved again");
    Ok(())
}

async fn revoke(app: &App, client: &Client, id: &str, path: &str, force: bool) -> Result<()> {
    let req = ApiRequest::delete(path);
    if app.global.dry_run {
        if app.ui.is_json() {
            return common::print_dry_run(app, client, &req);
        }
        let resp = client.send(&ApiRequest::get(path)).await?;
        let key: JoinKey = resp.decode()?;
        print_join_key(app, &key)?;
        app.ui.note(&format!(
            "Dry run: would revoke join key {id} (DELETE {}); nothing was sent.",
            client.url(&req)
        ));
        return Ok(());
    }
    common::confirm(
        app,
        force,
        &format!("Revoke join key {id}? Workers can no longer enroll with it"),
        &format!("revoke join key {id}"),
    )?;
    let resp = client.send(&req).await?;
    let key: JoinKey = resp.decode()?;
    if app.ui.is_json() {
        return app.ui.print_json_bytes(&resp.body);
    }
    app.ui.success(&format!("Revoked join key {id}."));
    print_join_key(app, &key)
}

//! `config list` and `config show`: saved deployments, keys redacted, and
//! where each key lives.

use anyhow::Result;
use serde_json::{json, Value};

use super::unknown;
use crate::app::App;
use crate::config::resolve::{project_of, redact_key};
use crate::config::{self, keychain, ConfigFile, Deployment};
use crate::error::CliError;
use crate::output::table::{plain, text, DetailView, ListTable};
use crate::output::OutputFormat;

/// Where the key lives: `file (xero_acme_…wxyz)`, `keychain:<entry>
/// (Secret Service)` or `-`.
fn key_summary(d: &Deployment) -> String {
    match (&d.api_key, &d.api_key_keychain) {
        (Some(key), _) => format!("file ({})", redact_key(key.trim())),
        (None, Some(entry)) => format!("keychain:{entry} ({})", keychain::store_name()),
        (None, None) => "-".to_string(),
    }
}

/// The store holding the key: `file`, the keychain's name, or none.
fn key_stored_in(d: &Deployment) -> Option<String> {
    match (&d.api_key, &d.api_key_keychain) {
        (Some(_), _) => Some("file".to_string()),
        (None, Some(_)) => Some(keychain::store_name()),
        (None, None) => None,
    }
}

fn output_name(o: Option<OutputFormat>) -> Option<&'static str> {
    o.map(OutputFormat::as_str)
}

/// The JSON view of one deployment (keys redacted).
fn deployment_json(name: &str, d: &Deployment, current: bool) -> Value {
    json!({
        "name": name,
        "current": current,
        "base_url": d.base_url,
        "project": d.base_url.as_deref().and_then(project_of),
        "key_source": match (&d.api_key, &d.api_key_keychain) {
            (Some(_), _) => Some("api_key"),
            (None, Some(_)) => Some("api_key_keychain"),
            (None, None) => None,
        },
        "api_key": d.api_key.as_deref().map(|k| redact_key(k.trim())),
        "api_key_keychain": d.api_key_keychain,
        "key_stored_in": key_stored_in(d),
        "output": output_name(d.output),
    })
}

pub(super) fn list(app: &App) -> Result<()> {
    let cfg = app.config()?;
    let empty = ConfigFile::default();
    let cfg = cfg.unwrap_or(&empty);
    let current = cfg.current.as_deref();
    if app.ui.prints_names() {
        // The document's list is `deployments`, not a router's `data`.
        return app
            .ui
            .print_names(cfg.deployments.keys().map(String::as_str));
    }
    if app.ui.prints_document() {
        let items: Vec<Value> = cfg
            .deployments
            .iter()
            .map(|(n, d)| deployment_json(n, d, current == Some(n.as_str())))
            .collect();
        return app.ui.print_json_value(&json!({
            "path": config::default_path().map(|p| p.display().to_string()),
            "current": current,
            "deployments": items,
        }));
    }
    if cfg.deployments.is_empty() {
        app.ui.note("No deployments saved.");
        app.ui.hint(
            "add one with `xeroctl config add <name> --base-url https://api.xerotier.ai/<project>/v1 --api-key-stdin`",
        );
        return Ok(());
    }
    let mut table = ListTable::new(&app.ui, &["CURRENT", "NAME", "BASE_URL", "KEY", "OUTPUT"]);
    for (name, d) in &cfg.deployments {
        let marker = if current == Some(name.as_str()) {
            "*"
        } else {
            ""
        };
        table.row(vec![
            plain(marker),
            text(Some(name)),
            text(d.base_url.as_deref()),
            text(Some(&key_summary(d))),
            text(output_name(d.output)),
        ]);
    }
    table.print(&app.ui)?;
    if let Some(c) = current.filter(|c| !cfg.deployments.contains_key(*c)) {
        app.ui.warn(&format!(
            "current = \"{c}\" names no saved deployment; pick one with `xeroctl config use <name>`"
        ));
    }
    Ok(())
}

pub(super) fn show(app: &App, name: Option<&str>) -> Result<()> {
    let cfg = app.config()?;
    let empty = ConfigFile::default();
    let cfg = cfg.unwrap_or(&empty);
    let name = match name.or(cfg.current.as_deref()) {
        Some(n) => n,
        None => {
            return Err(CliError::config("no current deployment is set")
                .with_hint("name one (`xeroctl config show <name>`), or pick one with `xeroctl config use <name>`; `xeroctl config list` lists them")
                .into())
        }
    };
    let Some(d) = cfg.deployments.get(name) else {
        return Err(unknown(name, cfg).into());
    };
    let is_current = cfg.current.as_deref() == Some(name);
    if app.ui.prints_document() {
        let mut v = deployment_json(name, d, is_current);
        v["path"] = json!(config::default_path().map(|p| p.display().to_string()));
        return app.ui.print_json_value(&v);
    }
    let project = d.base_url.as_deref().and_then(project_of);
    let mut view = DetailView::new(&app.ui);
    view.field("Name", text(Some(name)))
        .field("Current", plain(if is_current { "yes" } else { "no" }))
        .field("Base URL", text(d.base_url.as_deref()))
        .field("Project", text(project.as_deref()))
        .field("Key", text(Some(&key_summary(d))))
        .field("Output", text(output_name(d.output)))
        .field(
            "File",
            text(
                config::default_path()
                    .map(|p| p.display().to_string())
                    .as_deref(),
            ),
        );
    view.print(&app.ui)?;
    Ok(())
}

//! `xeroctl config …`: saved deployments ("contexts"). These commands never
//! need credentials and ignore `XEROCTL_*` connection variables; keys are
//! never printed in full.

use std::io::{BufRead, Read, Write};
use std::path::PathBuf;

use anyhow::Result;
use serde_json::{json, Value};

use super::common;
use crate::app::App;
use crate::cli::config::{parse_name, ConfigAddArgs, ConfigArgs, ConfigSub};
use crate::config::resolve::{check_new_base_url, project_of, redact_key};
use crate::config::write::{EditableConfig, KeySource, NewDeployment};
use crate::config::{self, keychain, ConfigFile, Deployment};
use crate::error::CliError;
use crate::output::diff;
use crate::output::sanitize::sanitize_line;
use crate::output::table::{plain, text, DetailView, ListTable};
use crate::output::OutputFormat;

pub async fn run(app: &App, args: ConfigArgs) -> Result<()> {
    if !matches!(args.sub, ConfigSub::Add(_)) {
        // Only `config add` reads these; never ignore them silently.
        let stray = [
            ("--base-url", app.global.base_url.is_some()),
            ("--api-key", app.global.api_key.is_some()),
        ];
        if let Some((flag, _)) = stray.iter().find(|(_, given)| *given) {
            usage_bail!("{flag} only applies to `config add` (a saved deployment is changed with `config add <name> …`)");
        }
    }
    match args.sub {
        ConfigSub::Add(add_args) => add(app, &add_args).await,
        ConfigSub::Use(n) => use_context(app, &n.name),
        ConfigSub::List => list(app),
        ConfigSub::Show(s) => show(app, s.name.as_deref()),
        ConfigSub::Remove(n) => remove(app, &n.name),
        ConfigSub::Init => init(app).await,
    }
}

fn config_path() -> Result<PathBuf, CliError> {
    config::default_path().ok_or_else(|| {
        CliError::config(
            "cannot tell where the config file lives: neither XDG_CONFIG_HOME nor HOME is set",
        )
        .with_hint("set HOME (or XDG_CONFIG_HOME to an absolute path)")
    })
}

async fn add(app: &App, args: &ConfigAddArgs) -> Result<()> {
    let Some(raw_url) = app.global.base_url.as_deref() else {
        usage_bail!("config add needs --base-url <url>, e.g. https://api.xerotier.ai/<project>/v1");
    };
    let base_url = check_new_base_url(raw_url, app.global.insecure_http)?;
    let given = [
        app.global.api_key.is_some(),
        args.api_key_stdin,
        args.api_key_keychain.is_some(),
    ];
    match given.iter().filter(|g| **g).count() {
        0 => {
            return Err(CliError::usage("config add needs the API key")
                .with_hint("pipe it in with --api-key-stdin (keeps it out of `ps` and shell history), or use --api-key <key> or --api-key-keychain <entry>")
                .into())
        }
        1 => {}
        _ => usage_bail!(
            "give the key one way only: --api-key, --api-key-stdin or --api-key-keychain"
        ),
    }
    let path = config_path()?;
    // Refuse a malformed file before reading anything from stdin.
    EditableConfig::peek(&path)?;
    let key = if let Some(entry) = &args.api_key_keychain {
        KeySource::Keychain(entry.clone())
    } else if let Some(key) = &app.global.api_key {
        KeySource::Inline(check_key(key)?)
    } else {
        KeySource::Inline(check_key(&read_key_from_stdin(app).await?)?)
    };
    // Locked from here until written, so concurrent writers all land.
    let mut cfg = edit(app, &path)?;
    save_deployment(
        app,
        &mut cfg,
        &args.name,
        NewDeployment {
            base_url,
            key,
            output: app.global.output,
        },
        None,
    )
}

/// Write one deployment, make it current when it is the first (or when
/// `make_current` says so), and report.
fn save_deployment(
    app: &App,
    cfg: &mut EditableConfig,
    name: &str,
    new: NewDeployment,
    make_current: Option<bool>,
) -> Result<()> {
    let replacing = cfg.parsed.deployments.contains_key(name);
    let current_is_usable = cfg
        .parsed
        .current
        .as_ref()
        .is_some_and(|c| cfg.parsed.deployments.contains_key(c));
    let becomes_current = make_current.unwrap_or(!current_is_usable);
    cfg.set_deployment(name, &new)?;
    if becomes_current {
        cfg.set_current(name);
    }
    let verb = if replacing { "replace" } else { "add" };
    let mut description = format!("{verb} deployment '{name}' ({})", new.base_url);
    if becomes_current {
        description.push_str(" and make it the current context");
    }
    let saved = save(app, cfg, &description)?;

    if let KeySource::Inline(key) = &new.key {
        warn_on_project_mismatch(app, key, &new.base_url);
    }
    if saved == Saved::Written {
        let verb = if replacing { "Replaced" } else { "Added" };
        app.ui.success(&format!(
            "{verb} deployment '{name}' ({}) in {}.",
            new.base_url,
            cfg.path.display()
        ));
        if becomes_current {
            app.ui
                .note(&format!("'{name}' is now the current context."));
        } else if cfg.parsed.current.as_deref() != Some(name) {
            app.ui.hint(&format!(
                "switch to it with `xeroctl config use {}`",
                crate::output::shell::arg(name)
            ));
        }
    }
    if let KeySource::Keychain(entry) = &new.key {
        // Saved either way: the entry may be created later.
        if let Err(e) = keychain::read_key(entry) {
            app.ui.warn(&format!(
                "{}; commands using '{name}' will fail until it can be read",
                e.message()
            ));
        }
    }
    if saved == Saved::Written {
        app.ui
            .hint("check the connection and the key's scopes with `xeroctl status`");
    }
    Ok(())
}

/// The config opened for a change: locked for a real write, read only for
/// a dry run (which must create nothing, not even the folder or the lock).
fn edit(app: &App, path: &std::path::Path) -> Result<EditableConfig, CliError> {
    if app.global.dry_run {
        EditableConfig::preview(path)
    } else {
        EditableConfig::open(path)
    }
}

/// What became of a config write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Saved {
    Written,
    /// `--dry-run`: the change was shown, nothing was written.
    DryRun,
}

/// Every config write ends here. With `--dry-run` it prints what would
/// change (the file's path and a unified diff on stdout, every `api_key`
/// redacted as in `config list`) and writes nothing: no file, no folder.
/// `description` says what the write does ("remove deployment 'lab'").
fn save(app: &App, cfg: &mut EditableConfig, description: &str) -> Result<Saved> {
    if !app.global.dry_run {
        cfg.save()?;
        return Ok(Saved::Written);
    }
    let after = cfg.text();
    // The same check a real write makes before it touches the file.
    let parsed_after = ConfigFile::parse(&cfg.path, &after).map_err(|e| {
        CliError::failure(format!(
            "the edit of {} would not parse ({})",
            cfg.path.display(),
            e.message()
        ))
    })?;
    let before = if cfg.existed {
        std::fs::read_to_string(&cfg.path).map_err(|e| {
            CliError::config(format!(
                "cannot read config file {}: {e}",
                cfg.path.display()
            ))
        })?
    } else {
        String::new()
    };
    let keys: Vec<&str> = cfg
        .parsed
        .deployments
        .values()
        .chain(parsed_after.deployments.values())
        .filter_map(|d| d.api_key.as_deref())
        .collect();
    let path = sanitize_line(&cfg.path.display().to_string()).into_owned();
    let hunks = preview(&before, &after, &keys);
    let mut out = app.ui.out();
    if hunks.is_empty() {
        app.ui.note(&format!("No change to {path}."));
    } else {
        let old_label = if cfg.existed {
            path.as_str()
        } else {
            "/dev/null"
        };
        write!(out, "--- {old_label}\n+++ {path}\n{hunks}")?;
        out.flush()?;
    }
    app.ui.note(&format!("Would {description}."));
    app.ui.note("Dry run: nothing was written.");
    Ok(Saved::DryRun)
}

/// The unified diff of a config edit, with every `api_key` redacted.
/// Lines are compared as they are, so a key that changes shows as changed
/// even when both redact alike.
fn preview(before: &str, after: &str, keys: &[&str]) -> String {
    let old: Vec<&str> = before.lines().collect();
    let new: Vec<&str> = after.lines().collect();
    let shown_old = redact_api_keys(before, keys);
    let shown_new = redact_api_keys(after, keys);
    let shown_old: Vec<&str> = shown_old.lines().collect();
    let shown_new: Vec<&str> = shown_new.lines().collect();
    if shown_old.len() == old.len() && shown_new.len() == new.len() {
        diff::unified(&old, &new, &shown_old, &shown_new, 3)
    } else {
        // A key spread over several lines: compare the redacted texts.
        diff::unified(&shown_old, &shown_new, &shown_old, &shown_new, 3)
    }
}

/// `text` with the value of every `[deployment.<name>]` `api_key` replaced
/// by its redacted form (`xero_acme_…wxyz`), comments and layout kept; any
/// of `keys` still left (written some other way) is redacted too. Control
/// characters are removed, line by line.
fn redact_api_keys(text: &str, keys: &[&str]) -> String {
    let mut redacted = match text.parse::<toml_edit::DocumentMut>() {
        Ok(mut doc) => {
            let deployments = doc
                .get_mut("deployment")
                .and_then(toml_edit::Item::as_table_like_mut);
            for (_, d) in deployments.into_iter().flat_map(|t| t.iter_mut()) {
                let value = d
                    .as_table_like_mut()
                    .and_then(|t| t.get_mut("api_key"))
                    .and_then(toml_edit::Item::as_value_mut);
                if let Some(v) = value {
                    let shown = v.as_str().map_or_else(
                        || crate::output::redact::REDACTED.to_string(),
                        |k| redact_key(k.trim()),
                    );
                    let decor = v.decor().clone();
                    *v = toml_edit::Value::from(shown);
                    *v.decor_mut() = decor;
                }
            }
            doc.to_string()
        }
        Err(_) => text.to_string(),
    };
    for key in keys.iter().map(|k| k.trim()).filter(|k| k.len() >= 8) {
        redacted = redacted.replace(key, &redact_key(key));
    }
    redacted
        .lines()
        .map(|l| sanitize_line(l).into_owned() + "\n")
        .collect()
}

/// A key as typed or piped: trimmed, not empty, no inner spaces.
fn check_key(raw: &str) -> Result<String, CliError> {
    let key = raw.trim();
    if key.is_empty() {
        return Err(CliError::usage("the API key is empty")
            .with_hint("keys look like xero_<project>_<token>"));
    }
    if key.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(
            CliError::usage("the API key contains spaces or control characters").with_hint(
                "give exactly the key, on one line (keys look like xero_<project>_<token>)",
            ),
        );
    }
    Ok(key.to_string())
}

/// One line from stdin, or a hidden prompt when stdin is a terminal.
async fn read_key_from_stdin(app: &App) -> Result<String, CliError> {
    if app.ui.terminal().stdin {
        if !app.can_prompt() {
            return Err(CliError::usage("--api-key-stdin: nothing was piped in")
                .with_hint("pipe the key in: `echo \"$KEY\" | xeroctl config add …`"));
        }
        return common::ask_hidden("API key").await;
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .take(64 * 1024)
        .read_line(&mut line)
        .map_err(|e| CliError::usage(format!("could not read the API key from stdin: {e}")))?;
    if line.trim().is_empty() {
        return Err(CliError::usage("--api-key-stdin: stdin was empty")
            .with_hint("pipe the key in: `echo \"$KEY\" | xeroctl config add …`"));
    }
    Ok(line)
}

/// A key names its project (`xero_<project>_<token>`); say so when that is
/// not the URL's project (an easy copy-paste slip).
fn warn_on_project_mismatch(app: &App, key: &str, base_url: &str) {
    let key_project = key
        .strip_prefix("xero_")
        .and_then(|rest| rest.rsplit_once('_'))
        .map(|(project, _)| project);
    if let (Some(kp), Some(up)) = (key_project, project_of(base_url)) {
        if kp != up {
            app.ui.warn(&format!(
                "the key is for project '{kp}' but the base URL is for project '{up}'"
            ));
        }
    }
}

fn use_context(app: &App, name: &str) -> Result<()> {
    let path = config_path()?;
    let mut cfg = edit(app, &path)?;
    if !cfg.parsed.deployments.contains_key(name) {
        return Err(unknown(name, &cfg.parsed).into());
    }
    if cfg.parsed.current.as_deref() == Some(name) {
        app.ui
            .note(&format!("'{name}' is already the current context."));
        return Ok(());
    }
    cfg.set_current(name);
    let url = cfg.parsed.deployments[name]
        .base_url
        .as_deref()
        .unwrap_or("-")
        .to_string();
    let description = format!("make '{name}' ({url}) the current context");
    if save(app, &mut cfg, &description)? == Saved::Written {
        app.ui.success(&format!("Now using '{name}' ({url})."));
    }
    Ok(())
}

fn remove(app: &App, name: &str) -> Result<()> {
    let path = config_path()?;
    let mut cfg = edit(app, &path)?;
    if !cfg.parsed.deployments.contains_key(name) || !cfg.remove_deployment(name) {
        return Err(unknown(name, &cfg.parsed).into());
    }
    let was_current = cfg.parsed.current.as_deref() == Some(name);
    let mut description = format!("remove deployment '{name}'");
    if was_current {
        cfg.unset_current();
        description.push_str(", the current context (none will be current)");
    }
    if save(app, &mut cfg, &description)? == Saved::DryRun {
        return Ok(());
    }
    app.ui.success(&format!("Removed deployment '{name}'."));
    if was_current {
        let rest: Vec<&str> = cfg
            .parsed
            .names()
            .into_iter()
            .filter(|n| *n != name)
            .collect();
        if rest.is_empty() {
            app.ui.hint("no deployments are left: add one with `xeroctl config add <name> --base-url … --api-key-stdin`");
        } else {
            app.ui.hint(&format!(
                "it was the current context, so none is current now: pick one with `xeroctl config use <name>` ({})",
                rest.join(", ")
            ));
        }
    }
    Ok(())
}

fn unknown(name: &str, cfg: &ConfigFile) -> CliError {
    let names = cfg.names();
    let known = if names.is_empty() {
        "no deployments are saved".to_string()
    } else {
        format!("known: {}", names.join(", "))
    };
    CliError::config(format!("unknown deployment '{name}' ({known})"))
        .with_hint("see them with `xeroctl config list`, or add one with `xeroctl config add`")
}

/// `api_key (xero_acme_…wxyz)`, `keychain:<entry>` or `-`.
fn key_summary(d: &Deployment) -> String {
    match (&d.api_key, &d.api_key_keychain) {
        (Some(key), _) => format!("api_key ({})", redact_key(key.trim())),
        (None, Some(entry)) => format!("keychain:{entry}"),
        (None, None) => "-".to_string(),
    }
}

fn output_name(o: Option<OutputFormat>) -> Option<&'static str> {
    o.map(|o| match o {
        OutputFormat::Table => "table",
        OutputFormat::Json => "json",
    })
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
        "output": output_name(d.output),
    })
}

fn list(app: &App) -> Result<()> {
    let cfg = app.config()?;
    let empty = ConfigFile::default();
    let cfg = cfg.unwrap_or(&empty);
    let current = cfg.current.as_deref();
    if app.ui.is_json() {
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

fn show(app: &App, name: Option<&str>) -> Result<()> {
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
    if app.ui.is_json() {
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

async fn init(app: &App) -> Result<()> {
    if !app.can_prompt() {
        return Err(CliError::usage("config init is interactive and needs a terminal")
            .with_hint("in scripts use `xeroctl config add <name> --base-url https://api.xerotier.ai/<project>/v1 --api-key-stdin`")
            .into());
    }
    let path = config_path()?;
    // Not locked while prompting: the lock is taken to save.
    let existing = EditableConfig::peek(&path)?;
    app.ui.note(&format!(
        "Set up a Xerotier deployment for xeroctl (saved in {}).",
        path.display()
    ));
    let default_name = if existing.deployments.is_empty() {
        "default"
    } else {
        ""
    };
    // An empty line takes the default; a typed name replaces it (not
    // pre-filled text, which typing would extend: `defaultlab`).
    let mut input = dialoguer::Input::<String>::new().with_prompt("Name for this deployment");
    if !default_name.is_empty() {
        input = input.default(default_name.to_string());
    }
    let name: String = common::prompt(
        input
            .validate_with(|v: &String| parse_name(v.trim()).map(|_| ()))
            .interact_text(),
    )?;
    let name = name.trim().to_string();
    if existing.deployments.contains_key(&name) {
        let replace = common::prompt(
            dialoguer::Confirm::new()
                .with_prompt(format!("'{name}' exists. Replace it?"))
                .default(false)
                .interact(),
        )?;
        if !replace {
            return Err(CliError::usage(format!("aborted: '{name}' was left as it was")).into());
        }
    }
    let insecure = app.global.insecure_http;
    let base_url: String = common::prompt(
        dialoguer::Input::<String>::new()
            .with_prompt("Base URL (https://api.xerotier.ai/<project>/v1)")
            .validate_with(|v: &String| {
                check_new_base_url(v, insecure)
                    .map(|_| ())
                    .map_err(|e| e.message().to_string())
            })
            .interact_text(),
    )?;
    let base_url = check_new_base_url(&base_url, insecure)?;
    let key = loop {
        match check_key(&common::ask_hidden("API key (hidden)").await?) {
            Ok(key) => break key,
            Err(e) => app.ui.warn(e.message()),
        }
    };
    let make_current = if existing.deployments.keys().any(|n| *n != name) {
        Some(common::prompt(
            dialoguer::Confirm::new()
                .with_prompt(format!("Make '{name}' the current context?"))
                .default(true)
                .interact(),
        )?)
    } else {
        None
    };
    let mut cfg = edit(app, &path)?;
    save_deployment(
        app,
        &mut cfg,
        &name,
        NewDeployment {
            base_url,
            key: KeySource::Inline(key),
            output: None,
        },
        make_current,
    )
}

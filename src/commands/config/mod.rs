//! `xeroctl config …`: saved deployments ("contexts"). These commands never
//! need credentials and ignore `XEROCTL_*` connection variables; keys are
//! never printed in full.

use std::io::{BufRead, Read, Write};
use std::path::PathBuf;

use anyhow::Result;

use super::common;
use crate::api::trust::CaBundle;
use crate::app::App;
use crate::cli::config::{parse_name, ConfigAddArgs, ConfigArgs, ConfigSub};
use crate::config::resolve::{check_new_base_url, project_of};
use crate::config::write::{EditableConfig, KeySource, NewDeployment};
use crate::config::{self, keychain, ConfigFile};
use crate::error::CliError;
use crate::output::sanitize::sanitize_line;

mod check;
mod keys;
mod preview;
mod view;

use keys::Placed;
use preview::preview;

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
        ConfigSub::List => view::list(app),
        ConfigSub::Show(s) => view::show(app, s.name.as_deref()),
        ConfigSub::Remove(n) => remove(app, &n.name),
        ConfigSub::Init(i) => init(app, i.insecure_storage).await,
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
    let ca_cert = ca_cert_to_save(app)?;
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
    let before = EditableConfig::peek(&path)?;
    let key = if let Some(entry) = &args.api_key_keychain {
        Placed {
            source: KeySource::Keychain(entry.clone()),
            stored: false,
            fell_back: None,
        }
    } else {
        let key = match &app.global.api_key {
            Some(key) => check_key(key)?,
            None => check_key(&read_key_from_stdin(app).await?)?,
        };
        warn_on_project_mismatch(app, &key, &base_url);
        // Before the lock: a keychain may prompt.
        keys::place_key(app, &args.name, key, args.insecure_storage, &path)
    };
    // Locked from here until written, so concurrent writers all land.
    let mut cfg = edit(app, &path)?;
    let saved = save_deployment(
        app,
        &mut cfg,
        &args.name,
        &key,
        NewDeployment {
            base_url,
            key: key.source.clone(),
            output: app.global.output,
            ca_cert,
        },
        None,
    );
    match saved {
        Ok(Saved::Written) => {
            // `config init` checked the key before saving; `add` does not.
            app.ui
                .hint("check the connection and the key's scopes with `xeroctl status`");
        }
        Ok(Saved::DryRun) => {}
        Err(_) => keys::undo(&key, names_entry(&before, &key.source)),
    }
    saved.map(|_| ())
}

/// `--ca-cert` as a context saves it: checked now (a missing or bad
/// bundle is exit 3 naming it, before anything is written) and made
/// absolute. The flag is relative to where it was typed, while a relative
/// `ca_cert` in the file is read from the file's folder: the absolute path
/// keeps naming the file the user meant.
fn ca_cert_to_save(app: &App) -> Result<Option<String>, CliError> {
    let Some(given) = &app.global.ca_cert else {
        return Ok(None);
    };
    let path = std::path::absolute(given).map_err(|e| {
        CliError::config(format!(
            "CA bundle {} (from --ca-cert): cannot tell its full path: {e}",
            given.display()
        ))
    })?;
    CaBundle::load(&path, "--ca-cert")?;
    let text = path.to_str().ok_or_else(|| {
        CliError::config(format!(
            "CA bundle {} (from --ca-cert): the path is not UTF-8, which the config file cannot hold",
            path.display()
        ))
    })?;
    Ok(Some(text.to_string()))
}

/// Whether a deployment in `cfg` reads its key from this keychain entry.
fn names_entry(cfg: &ConfigFile, source: &KeySource) -> bool {
    match source {
        KeySource::Keychain(entry) => cfg
            .deployments
            .values()
            .any(|d| d.api_key_keychain.as_deref() == Some(entry.as_str())),
        KeySource::Inline(_) => false,
    }
}

/// Write one deployment, make it current when it is the first (or when
/// `make_current` says so), and report.
fn save_deployment(
    app: &App,
    cfg: &mut EditableConfig,
    name: &str,
    placed: &Placed,
    new: NewDeployment,
    make_current: Option<bool>,
) -> Result<Saved> {
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
        keys::report_stored(app, placed, &cfg.path);
    }
    match &new.key {
        // Saved either way: the entry may be created later. A dry run
        // touches no keychain, and a key stored just now was read back.
        KeySource::Keychain(entry) if !app.global.dry_run && !placed.stored => {
            if let Err(e) = keychain::read_key(entry) {
                app.ui.warn(&format!(
                    "{}; commands using '{name}' will fail until it can be read",
                    e.message()
                ));
            }
        }
        _ => {}
    }
    saved.finish(app);
    Ok(saved)
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
    Ok(Saved::DryRun)
}

impl Saved {
    /// The last line of a dry run, once everything it would do was said
    /// (a remove also names the keychain entry it would delete).
    fn finish(self, app: &App) {
        if self == Saved::DryRun {
            app.ui.note("Dry run: nothing was written.");
        }
    }
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
    let saved = save(app, &mut cfg, &description)?;
    if saved == Saved::Written {
        app.ui.success(&format!("Now using '{name}' ({url})."));
    }
    saved.finish(app);
    Ok(())
}

fn remove(app: &App, name: &str) -> Result<()> {
    let path = config_path()?;
    let mut cfg = edit(app, &path)?;
    if !cfg.parsed.deployments.contains_key(name) || !cfg.remove_deployment(name) {
        return Err(unknown(name, &cfg.parsed).into());
    }
    let was_current = cfg.parsed.current.as_deref() == Some(name);
    let entry = cfg.parsed.deployments[name].api_key_keychain.clone();
    let mut description = format!("remove deployment '{name}'");
    if was_current {
        cfg.unset_current();
        description.push_str(", the current context (none will be current)");
    }
    let saved = save(app, &mut cfg, &description)?;
    if saved == Saved::Written {
        app.ui.success(&format!("Removed deployment '{name}'."));
    }
    if let Some(entry) = &entry {
        let users: Vec<&str> = cfg
            .parsed
            .deployments
            .iter()
            .filter(|(n, d)| *n != name && d.api_key_keychain.as_ref() == Some(entry))
            .map(|(n, _)| n.as_str())
            .collect();
        keys::forget_entry(app, entry, &users);
    }
    if saved == Saved::DryRun {
        saved.finish(app);
        return Ok(());
    }
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

async fn init(app: &App, insecure_storage: bool) -> Result<()> {
    if !app.can_prompt() {
        return Err(CliError::usage("config init is interactive and needs a terminal")
            .with_hint("in scripts use `xeroctl config add <name> --base-url https://api.xerotier.ai/<project>/v1 --api-key-stdin`")
            .into());
    }
    let path = config_path()?;
    let ca_cert = ca_cert_to_save(app)?;
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
    warn_on_project_mismatch(app, &key, &base_url);
    check::before_saving(app, &base_url, &key).await?;
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
    let placed = keys::place_key(app, &name, key, insecure_storage, &path);
    let mut cfg = edit(app, &path)?;
    let saved = save_deployment(
        app,
        &mut cfg,
        &name,
        &placed,
        NewDeployment {
            base_url,
            key: placed.source.clone(),
            output: None,
            ca_cert,
        },
        make_current,
    );
    if saved.is_err() {
        keys::undo(&placed, names_entry(&existing, &placed.source));
    }
    saved.map(|_| ())
}

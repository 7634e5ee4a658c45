//! `config init` checks the key it was given before saving it: the probes
//! of `xeroctl status` (router reachable, key accepted, scopes held), a
//! one-line report on stderr, and a question when the key could not be
//! confirmed, so a mistyped key is not saved silently.

use anyhow::Result;

use crate::app::App;
use crate::commands::common;
use crate::commands::status::KeyCheck;
use crate::error::CliError;

/// Probe `base_url` with `key` and report. `Ok` means save; a refusal to
/// save anyway is an error (exit 2), Ctrl+C at the question exit 130.
pub(super) async fn before_saving(app: &App, base_url: &str, key: &str) -> Result<()> {
    app.ui.note("Checking the key…");
    let client = app.client_unsaved(base_url, key)?;
    let check = KeyCheck::run(&client).await;
    if !report(app, &check) {
        return Ok(());
    }
    if common::ask_yes_no(app, "Save anyway?").await? {
        return Ok(());
    }
    Err(CliError::usage("aborted: nothing was saved")
        .with_hint("run `xeroctl config init` again with the right base URL and key")
        .into())
}

/// Say what the check found; `true` when the key could not be confirmed
/// (so the user is asked before it is saved).
fn report(app: &App, check: &KeyCheck) -> bool {
    let (held, missing) = check.scopes();
    if let Some(e) = check.failure() {
        let (what, hints): (&str, Vec<String>) = match e.status() {
            None => (
                "router unreachable",
                vec!["check the base URL and that the router is up; `xeroctl status` checks again once saved".to_string()],
            ),
            Some(401) => (
                "key rejected",
                vec!["check the key you pasted: keys look like xero_<project>_<token>, from the Xerotier console".to_string()],
            ),
            Some(403) => ("key refused", e.hints().to_vec()),
            Some(_) => ("the check failed", e.hints().to_vec()),
        };
        app.ui.warn(&format!("{what}: {e}"));
        for hint in &hints {
            app.ui.hint(hint);
        }
        return true;
    }
    if held.is_empty() {
        app.ui
            .warn("key accepted, but it holds neither the management nor the execution scope");
        app.ui
            .hint("create a key with those scopes in the Xerotier console");
        return true;
    }
    app.ui
        .success(&format!("key accepted; scopes: {}", held.join(", ")));
    // One held, so at most one missing.
    if let Some(scope) = missing.first() {
        let refused = if *scope == "management" {
            "agents and join keys"
        } else {
            "exec and approvals"
        };
        app.ui.warn(&format!(
            "the key lacks the {scope} scope; {refused} will be refused"
        ));
    }
    false
}

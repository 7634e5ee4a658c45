//! Where `config add` and `config init` keep a key typed or piped in, and
//! `config remove` deleting a deployment's keychain entry.

use std::path::Path;

use crate::app::App;
use crate::config::keychain::{self, SERVICE};
use crate::config::write::KeySource;
use crate::output::sanitize::sanitize_line;

/// A key placed for saving.
pub(super) struct Placed {
    pub source: KeySource,
    /// Whether it was written to the keychain just now (to undo that if
    /// the file cannot be written).
    pub stored: bool,
    /// Why it goes in the file although a keychain was wanted: said by
    /// [`report_stored`] once the file is written, not before (a write
    /// that fails must not claim the key was saved).
    pub fell_back: Option<String>,
}

/// Keep `key` in the OS keychain under the deployment's name when one
/// works (written and read back), else in the file, with one warning line
/// saying where it went and why (at once for a dry run, else once the file
/// is written: [`report_stored`]). `--insecure-storage` puts it in the
/// file; `--dry-run` touches no keychain.
pub(super) fn place_key(
    app: &App,
    name: &str,
    key: String,
    insecure_storage: bool,
    path: &Path,
) -> Placed {
    let in_file = |key, why: &str| {
        if app.global.dry_run {
            app.ui.warn(&fell_back_warning(why, "would go", path));
        }
        Placed {
            source: KeySource::Inline(key),
            stored: false,
            fell_back: Some(why.to_string()),
        }
    };
    if insecure_storage {
        return Placed {
            source: KeySource::Inline(key),
            stored: false,
            fell_back: None,
        };
    }
    if let Some(why) = keychain::known_unusable() {
        return in_file(key, why);
    }
    if app.global.dry_run {
        app.ui.note(&format!(
            "Would store the API key in the {} (entry '{name}', service '{SERVICE}'), or in the file if no keychain works; no keychain was touched.",
            keychain::store_name()
        ));
        return Placed {
            source: KeySource::Keychain(name.to_string()),
            stored: false,
            fell_back: None,
        };
    }
    match keychain::store_key(name, &key) {
        Ok(()) => Placed {
            source: KeySource::Keychain(name.to_string()),
            stored: true,
            fell_back: None,
        },
        Err(why) => in_file(key, &why),
    }
}

fn fell_back_warning(why: &str, verb: &str, path: &Path) -> String {
    format!(
        "no usable keychain ({why}): the API key {verb} in clear text in {} (mode 0600)",
        sanitize_line(&path.display().to_string())
    )
}

/// The file could not be written: take back an entry stored just now,
/// unless the file already named it (its key was replaced, not added).
pub(super) fn undo(placed: &Placed, named_before: bool) {
    if let (true, false, KeySource::Keychain(entry)) = (placed.stored, named_before, &placed.source)
    {
        let _ = keychain::delete_key(entry);
    }
}

/// Say where a key placed by [`place_key`] went, once the file (`path`) is
/// written.
pub(super) fn report_stored(app: &App, placed: &Placed, path: &Path) {
    if let Some(why) = &placed.fell_back {
        app.ui.warn(&fell_back_warning(why, "is saved", path));
    }
    if let (true, KeySource::Keychain(entry)) = (placed.stored, &placed.source) {
        app.ui.note(&format!(
            "The API key is in the {} (entry '{}', service '{SERVICE}'), not in the file.",
            keychain::store_name(),
            sanitize_line(entry)
        ));
    }
}

/// After `config remove` (or its dry run): delete the removed deployment's
/// keychain entry, unless other deployments (`users`) still read it.
pub(super) fn forget_entry(app: &App, entry: &str, users: &[&str]) {
    let entry_shown = sanitize_line(entry);
    let store = keychain::store_name();
    if !users.is_empty() {
        app.ui.note(&format!(
            "Kept keychain entry '{entry_shown}': still used by {}.",
            users.join(", ")
        ));
        return;
    }
    if app.global.dry_run {
        app.ui.note(&format!(
            "Would also delete keychain entry '{entry_shown}' from the {store}."
        ));
        return;
    }
    match keychain::delete_key(entry) {
        Ok(true) => app.ui.note(&format!(
            "Deleted its API key from the {store} (entry '{entry_shown}')."
        )),
        Ok(false) => app.ui.note(&format!(
            "The {store} had no entry '{entry_shown}' to delete."
        )),
        Err(why) => app.ui.warn(&format!(
            "could not delete keychain entry '{entry_shown}' ({why}); delete it yourself (service '{SERVICE}')"
        )),
    }
}

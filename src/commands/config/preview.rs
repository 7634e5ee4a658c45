//! The `--dry-run` preview of a config write: a unified diff with every
//! `api_key` redacted.

use crate::config::resolve::redact_key;
use crate::output::diff;
use crate::output::sanitize::sanitize_line;

/// The unified diff of a config edit, with every `api_key` redacted.
/// Lines are compared as they are, so a key that changes shows as changed
/// even when both redact alike.
pub(super) fn preview(before: &str, after: &str, keys: &[&str]) -> String {
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

//! `--write-context`: add a `sandbox` deployment to the xeroctl config file.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use toml_edit::{value, DocumentMut, Item, Table};

/// `$XDG_CONFIG_HOME/xeroctl/config.toml`, else `~/.config/xeroctl/config.toml`.
pub fn config_path() -> Result<PathBuf, String> {
    if let Some(x) = std::env::var_os("XDG_CONFIG_HOME").filter(|x| !x.is_empty()) {
        return Ok(PathBuf::from(x).join("xeroctl").join("config.toml"));
    }
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .ok_or("neither XDG_CONFIG_HOME nor HOME is set")?;
    Ok(PathBuf::from(home)
        .join(".config")
        .join("xeroctl")
        .join("config.toml"))
}

/// Adds or replaces `[deployment.<name>]` with `base_url` and `api_key` in
/// the config text, keeping everything else; sets `current` only if unset.
pub fn update_config(
    text: &str,
    name: &str,
    base_url: &str,
    api_key: &str,
) -> Result<String, String> {
    let mut doc: DocumentMut = text.parse().map_err(|e| format!("{e}"))?;
    if !doc.contains_key("deployment") {
        let mut t = Table::new();
        t.set_implicit(true);
        doc.insert("deployment", Item::Table(t));
    }
    let deployments = doc["deployment"]
        .as_table_like_mut()
        .ok_or("'deployment' is not a table")?;
    let mut entry = Table::new();
    entry.insert("base_url", value(base_url));
    entry.insert("api_key", value(api_key));
    deployments.insert(name, Item::Table(entry));
    if !doc.contains_key("current") {
        // Root key/values are written before any table, so this lands
        // above the `[deployment.*]` sections.
        doc.insert("current", value(name));
    }
    Ok(doc.to_string())
}

/// Writes the `sandbox` context to `path` atomically with mode 0600.
pub fn write_context_to(path: &Path, base_url: &str, api_key: &str) -> Result<(), String> {
    let existing = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let updated = update_config(&existing, "sandbox", base_url, api_key).map_err(|e| {
        format!(
            "{} is not valid TOML, refusing to touch it: {e}",
            path.display()
        )
    })?;
    let dir = path.parent().ok_or("config path has no directory")?;
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let tmp = dir.join(format!(".config.toml.{}.tmp", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut opts = fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp)?;
        f.write_all(updated.as_bytes())?;
        f.sync_all()?;
        drop(f);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&tmp, fs::Permissions::from_mode(0o600))?;
        }
        fs::rename(&tmp, path)?;
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    };
    write().map_err(|e| {
        let _ = fs::remove_file(&tmp);
        format!("cannot write {}: {e}", path.display())
    })
}

/// Writes the `sandbox` context to the user's config file; returns its path.
pub fn write_context(base_url: &str, api_key: &str) -> Result<PathBuf, String> {
    let path = config_path()?;
    write_context_to(&path, base_url, api_key)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_and_keeps_others() {
        let text = "# mine\ncurrent = \"prod\"\nunknown = 1\n\n[deployment.prod]\nbase_url = \"https://x/p/v1\"\napi_key = \"k\"\noutput = \"json\"\n";
        let out =
            update_config(text, "sandbox", "http://127.0.0.1:1/demo/v1", "xero_demo_x").unwrap();
        let doc: DocumentMut = out.parse().unwrap();
        assert_eq!(doc["current"].as_str(), Some("prod"));
        assert_eq!(doc["unknown"].as_integer(), Some(1));
        assert_eq!(doc["deployment"]["prod"]["output"].as_str(), Some("json"));
        assert_eq!(
            doc["deployment"]["sandbox"]["api_key"].as_str(),
            Some("xero_demo_x")
        );
        assert!(out.starts_with("# mine"));
    }

    #[test]
    fn sets_current_when_missing_and_replaces() {
        let out = update_config("", "sandbox", "http://a/demo/v1", "k1").unwrap();
        let out = update_config(&out, "sandbox", "http://b/demo/v1", "k2").unwrap();
        let doc: DocumentMut = out.parse().unwrap();
        assert_eq!(doc["current"].as_str(), Some("sandbox"));
        assert_eq!(
            doc["deployment"]["sandbox"]["base_url"].as_str(),
            Some("http://b/demo/v1")
        );
        assert!(out.trim_start().starts_with("current"), "{out}");
    }

    #[test]
    fn refuses_malformed() {
        assert!(update_config("current = [", "sandbox", "u", "k").is_err());
    }
}

//! Changing the config file: edits go through `toml_edit` so comments,
//! unknown keys and other deployments survive, and every write is atomic
//! (temp file in the same directory, fsync, rename, fsync the directory)
//! with mode 0600. A file that does not parse is refused, never rewritten.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use toml_edit::{value, DocumentMut, Item, Table, TableLike};

use crate::error::CliError;
use crate::output::OutputFormat;

use super::ConfigFile;

/// How a deployment gets its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// `api_key = "…"` in the file.
    Inline(String),
    /// `api_key_keychain = "<entry>"`.
    Keychain(String),
}

/// What `config add` writes for one deployment.
#[derive(Debug, Clone)]
pub struct NewDeployment {
    pub base_url: String,
    pub key: KeySource,
    pub output: Option<OutputFormat>,
}

/// The config file opened for editing: its parsed view (for checks) and
/// the format-preserving document (for changes).
pub struct EditableConfig {
    pub path: PathBuf,
    pub parsed: ConfigFile,
    doc: DocumentMut,
    /// Whether the file existed when read.
    pub existed: bool,
}

impl EditableConfig {
    /// Read the file for editing; a missing file is an empty config. A
    /// malformed file is an error naming the file and line.
    pub fn open(path: &Path) -> Result<EditableConfig, CliError> {
        let path = resolve_symlink(path);
        let text = match fs::read(&path) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(_) => {
                // `load` words the error (directory, permissions).
                ConfigFile::load(&path)?;
                None
            }
        };
        let Some(bytes) = text else {
            return Ok(EditableConfig {
                parsed: ConfigFile {
                    path: path.clone(),
                    ..ConfigFile::default()
                },
                path,
                doc: DocumentMut::new(),
                existed: false,
            });
        };
        let text = String::from_utf8(bytes).map_err(|_| {
            CliError::config(format!(
                "malformed config file {}: the file is not valid UTF-8 text",
                path.display()
            ))
            .with_hint("fix or move the file aside; it was left untouched")
        })?;
        let parsed = ConfigFile::parse(&path, &text).map_err(untouched)?;
        let doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
            untouched(CliError::config(format!(
                "malformed config file {}: {}",
                path.display(),
                e.message().trim()
            )))
        })?;
        Ok(EditableConfig {
            path,
            parsed,
            doc,
            existed: true,
        })
    }

    /// Add or replace `[deployment.<name>]`. Keys of an existing entry that
    /// xeroctl does not know are kept.
    pub fn set_deployment(&mut self, name: &str, new: &NewDeployment) -> Result<(), CliError> {
        let table = self.deployment_table_mut(name)?;
        table.insert("base_url", value(new.base_url.as_str()));
        match &new.key {
            KeySource::Inline(key) => {
                table.remove("api_key_keychain");
                table.insert("api_key", value(key.as_str()));
            }
            KeySource::Keychain(entry) => {
                table.remove("api_key");
                table.insert("api_key_keychain", value(entry.as_str()));
            }
        }
        match new.output {
            Some(OutputFormat::Table) => {
                table.insert("output", value("table"));
            }
            Some(OutputFormat::Json) => {
                table.insert("output", value("json"));
            }
            None => {
                table.remove("output");
            }
        }
        Ok(())
    }

    /// Remove `[deployment.<name>]`; `false` when it was not there.
    pub fn remove_deployment(&mut self, name: &str) -> bool {
        self.doc
            .get_mut("deployment")
            .and_then(Item::as_table_like_mut)
            .and_then(|t| t.remove(name))
            .is_some()
    }

    pub fn set_current(&mut self, name: &str) {
        let had = self.doc.contains_key("current");
        self.doc.insert("current", value(name));
        if !had {
            // Keep `current` at the top, above the deployment tables.
            self.doc
                .sort_values_by(|a, _, b, _| (a.get() != "current").cmp(&(b.get() != "current")));
        }
    }

    pub fn unset_current(&mut self) {
        self.doc.remove("current");
    }

    /// The file's text with the edits so far; nothing is written.
    pub fn text(&self) -> String {
        self.doc.to_string()
    }

    /// The `[deployment.<name>]` table, created when missing.
    fn deployment_table_mut(&mut self, name: &str) -> Result<&mut dyn TableLike, CliError> {
        let path = self.path.clone();
        let shape_error = |what: &str| {
            CliError::config(format!(
                "cannot edit config file {}: {what}",
                path.display()
            ))
            .with_hint("rewrite it in the documented form ([deployment.<name>] tables); it was left untouched")
        };
        let root = self.doc.as_table_mut();
        if !root.contains_key("deployment") {
            let mut t = Table::new();
            // No bare `[deployment]` header: only `[deployment.<name>]`.
            t.set_implicit(true);
            root.insert("deployment", Item::Table(t));
        }
        let deployments = root
            .get_mut("deployment")
            .and_then(Item::as_table_like_mut)
            .ok_or_else(|| shape_error("`deployment` is not a table"))?;
        let is_inline = deployments.get(name).is_some_and(Item::is_inline_table)
            || !deployments.is_empty() && deployments.iter().all(|(_, v)| v.is_inline_table());
        if deployments.get(name).is_none() {
            let item = if is_inline {
                Item::Value(toml_edit::Value::InlineTable(Default::default()))
            } else {
                Item::Table(Table::new())
            };
            deployments.insert(name, item);
        }
        deployments
            .get_mut(name)
            .and_then(Item::as_table_like_mut)
            .ok_or_else(|| shape_error(&format!("deployment '{name}' is not a table")))
    }

    /// Check the edited text still parses as a config (belt and braces),
    /// then write it atomically.
    pub fn save(&self) -> Result<(), CliError> {
        let text = self.doc.to_string();
        ConfigFile::parse(&self.path, &text).map_err(|e| {
            CliError::failure(format!(
                "refusing to write {}: the edit would not parse ({})",
                self.path.display(),
                e.message()
            ))
        })?;
        write_atomic(&self.path, text.as_bytes()).map_err(|e| {
            CliError::failure(format!(
                "could not write config file {}: {e}",
                self.path.display()
            ))
            .with_hint("the previous file was left unchanged; check the directory's permissions and free space")
        })
    }
}

fn untouched(err: CliError) -> CliError {
    err.restated(err.exit(), err.message()).with_hint(
        "fix that line (or move the file aside); xeroctl never overwrites a file it cannot read",
    )
}

/// A config file that is a symlink (dotfile managers) is edited at its
/// target, so the link survives.
fn resolve_symlink(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

/// The temp file next to `path` that is renamed over it.
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config.toml".into());
    path.with_file_name(format!(".{name}.tmp"))
}

/// Write `bytes` to `path` atomically: temp file (mode 0600) in the same
/// directory, fsync, rename, fsync the directory. On failure the old file
/// is untouched and the temp file removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    let tmp = temp_path(path);
    // Never write through a symlink left at the temp path.
    if fs::symlink_metadata(&tmp).is_ok_and(|m| m.file_type().is_symlink()) {
        fs::remove_file(&tmp)?;
    }
    let result = (|| {
        let mut file = open_private(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        if fs::symlink_metadata(&tmp).is_ok_and(|m| m.is_file()) {
            let _ = fs::remove_file(&tmp);
        }
        return Err(e);
    }
    sync_dir(dir);
    Ok(())
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(unix)]
fn open_private(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    // A leftover temp file keeps its old mode: set it explicitly.
    file.set_permissions(fs::Permissions::from_mode(0o600))?;
    Ok(file)
}

#[cfg(not(unix))]
fn open_private(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) {
    // Makes the rename itself durable; best effort.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(text: &str) -> (tempfile::TempDir, EditableConfig) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        fs::write(&path, text).unwrap();
        let cfg = EditableConfig::open(&path).unwrap();
        (dir, cfg)
    }

    fn inline(url: &str, key: &str) -> NewDeployment {
        NewDeployment {
            base_url: url.into(),
            key: KeySource::Inline(key.into()),
            output: None,
        }
    }

    #[test]
    fn comments_unknown_keys_and_others_survive() {
        let text = "# my config\ncurrent = \"prod\"\nextra = 1 # keep me\n\n[deployment.prod]\nbase_url = \"https://a/p/v1\"\napi_key = \"xero_p_k\"\ncolour = \"blue\"\n\n[deployment.lab] # lab box\nbase_url = \"http://127.0.0.1/l/v1\"\napi_key_keychain = \"lab\"\n";
        let (_d, mut cfg) = edit(text);
        cfg.set_deployment("prod", &inline("https://b/p/v1", "xero_p_new"))
            .unwrap();
        cfg.set_deployment(
            "new",
            &NewDeployment {
                output: Some(OutputFormat::Json),
                ..inline("https://c/n/v1", "xero_n_k")
            },
        )
        .unwrap();
        cfg.save().unwrap();
        let out = fs::read_to_string(&cfg.path).unwrap();
        for kept in [
            "# my config",
            "extra = 1 # keep me",
            "colour = \"blue\"",
            "[deployment.lab] # lab box",
            "api_key_keychain = \"lab\"",
        ] {
            assert!(out.contains(kept), "{kept} lost:\n{out}");
        }
        assert!(out.contains("base_url = \"https://b/p/v1\""), "{out}");
        assert!(!out.contains("xero_p_k\""), "{out}");
        assert!(out.contains("[deployment.new]\n"), "{out}");
        assert!(!out.contains("[deployment]\n"), "{out}");
        let parsed = ConfigFile::parse(&cfg.path, &out).unwrap();
        assert_eq!(parsed.names(), vec!["lab", "new", "prod"]);
    }

    #[test]
    fn switching_key_source_drops_the_other() {
        let (_d, mut cfg) =
            edit("[deployment.p]\nbase_url = \"https://a/p/v1\"\napi_key = \"k\"\n");
        cfg.set_deployment(
            "p",
            &NewDeployment {
                base_url: "https://a/p/v1".into(),
                key: KeySource::Keychain("entry".into()),
                output: None,
            },
        )
        .unwrap();
        cfg.save().unwrap();
        let out = fs::read_to_string(&cfg.path).unwrap();
        assert!(!out.contains("api_key ="), "{out}");
        assert!(out.contains("api_key_keychain = \"entry\""), "{out}");
    }

    #[test]
    fn current_goes_to_the_top_of_a_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("config.toml");
        let mut cfg = EditableConfig::open(&path).unwrap();
        assert!(!cfg.existed);
        cfg.set_deployment("prod", &inline("https://a/p/v1", "xero_p_k"))
            .unwrap();
        cfg.set_current("prod");
        cfg.save().unwrap();
        let out = fs::read_to_string(&path).unwrap();
        assert!(out.starts_with("current = \"prod\"\n"), "{out}");
        assert!(!temp_path(&path).exists());
    }

    #[test]
    fn inline_deployments_are_edited_in_place() {
        let (_d, mut cfg) =
            edit("deployment = { a = { base_url = \"https://a/p/v1\", api_key = \"k\" } }\n");
        cfg.set_deployment("b", &inline("https://b/p/v1", "k2"))
            .unwrap();
        cfg.save().unwrap();
        let out = fs::read_to_string(&cfg.path).unwrap();
        let parsed = ConfigFile::parse(&cfg.path, &out).unwrap();
        assert_eq!(parsed.names(), vec!["a", "b"]);
    }

    #[test]
    fn malformed_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        fs::write(&path, "current = \n").unwrap();
        let err = EditableConfig::open(&path).err().unwrap();
        assert_eq!(err.exit(), crate::error::ExitCode::Config);
        assert!(err.message().contains("line 1"), "{}", err.message());
    }
}

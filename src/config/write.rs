//! Changing the config file: edits go through `toml_edit` so comments,
//! unknown keys and other deployments survive. The file is read and
//! rewritten under the writers' lock ([`super::lock`]), after the ownership
//! checks ([`super::perms`]), and every write is atomic ([`super::atomic`])
//! with mode 0600. A file that does not parse is refused, never rewritten.

use std::path::{Path, PathBuf};

use toml_edit::{value, DocumentMut, Item, Table, TableLike};

use crate::error::CliError;
use crate::output::OutputFormat;

use super::atomic::{self, folder_of};
use super::lock::{self, ConfigLock};
use super::{perms, read_checked, ConfigFile};

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
    /// The extra CA bundle, as it is written (absolute: see `config add`).
    pub ca_cert: Option<String>,
}

/// The config file opened for editing: its parsed view (for checks) and
/// the format-preserving document (for changes), with the writers' lock
/// held until it is dropped.
pub struct EditableConfig {
    pub path: PathBuf,
    pub parsed: ConfigFile,
    doc: DocumentMut,
    /// Whether the file existed when read.
    pub existed: bool,
    /// Held from reading to saving (`None` once saved).
    lock: Option<ConfigLock>,
}

/// What a read for editing found.
struct Read {
    path: PathBuf,
    parsed: ConfigFile,
    doc: DocumentMut,
    existed: bool,
}

impl EditableConfig {
    /// Lock the config for writing and read it; a missing file is an empty
    /// config (its folder is created, mode 0700). A malformed file is an
    /// error naming the file and line; a file or folder others could have
    /// written is refused.
    pub fn open(path: &Path) -> Result<EditableConfig, CliError> {
        let folder = folder_of(path);
        if let Err(e) = atomic::create_private_dir(folder) {
            // Something in the way (a file where a folder should be): word
            // it as a read would, else report the folder.
            read_checked(path)?;
            return Err(CliError::failure(format!(
                "could not write config file {}: cannot create {}: {e}",
                path.display(),
                folder.display()
            ))
            .with_hint("no config file was created; check the directory's permissions"));
        }
        perms::check_folder(folder)?;
        let lock = lock::lock(path)?;
        let read = Self::read(path)?;
        Ok(EditableConfig {
            path: read.path,
            parsed: read.parsed,
            doc: read.doc,
            existed: read.existed,
            lock: Some(lock),
        })
    }

    /// Read the file for a `--dry-run` edit: checked like `open`, but no
    /// folder is created, no lock taken, and it cannot be saved.
    pub fn preview(path: &Path) -> Result<EditableConfig, CliError> {
        let read = Self::read(path)?;
        Ok(EditableConfig {
            path: read.path,
            parsed: read.parsed,
            doc: read.doc,
            existed: read.existed,
            lock: None,
        })
    }

    /// Read and check the file without locking or creating anything (for
    /// checks before prompting); use [`EditableConfig::open`] to change it.
    pub fn peek(path: &Path) -> Result<ConfigFile, CliError> {
        Self::read(path).map(|r| r.parsed)
    }

    fn read(path: &Path) -> Result<Read, CliError> {
        let Some(read) = read_checked(path)? else {
            // A dangling symlink is replaced by the file, as before.
            return Ok(Read {
                parsed: ConfigFile {
                    path: path.to_path_buf(),
                    ..ConfigFile::default()
                },
                path: path.to_path_buf(),
                doc: DocumentMut::new(),
                existed: false,
            });
        };
        // A symlinked file (dotfile managers) is edited at its target, so
        // the link survives.
        let path = read.path;
        let text = String::from_utf8(read.bytes).map_err(|_| {
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
        Ok(Read {
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
            Some(format) => {
                table.insert("output", value(format.as_str()));
            }
            None => {
                table.remove("output");
            }
        }
        match &new.ca_cert {
            Some(path) => {
                table.insert("ca_cert", value(path.as_str()));
            }
            None => {
                table.remove("ca_cert");
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
    /// then write it atomically and release the lock (so nothing slow, like
    /// a keychain prompt, runs while other writers wait). Once per `open`.
    pub fn save(&mut self) -> Result<(), CliError> {
        debug_assert!(self.lock.is_some(), "saved twice after one open");
        let _lock = self.lock.take();
        let text = self.doc.to_string();
        ConfigFile::parse(&self.path, &text).map_err(|e| {
            CliError::failure(format!(
                "refusing to write {}: the edit would not parse ({})",
                self.path.display(),
                e.message()
            ))
        })?;
        atomic::write_atomic(&self.path, text.as_bytes()).map_err(|e| {
            // The rename did not happen: nothing at the path changed.
            let mut hint = if self.existed {
                "the previous file was left unchanged".to_string()
            } else {
                "no config file was created".to_string()
            };
            if let Some(tmp) = &e.leftover {
                hint.push_str(&format!(
                    ", but the temp file {} (with the new settings) could not be removed: delete it",
                    tmp.display()
                ));
            }
            hint.push_str("; check the directory's permissions and free space");
            CliError::failure(format!(
                "could not write config file {}: {}",
                self.path.display(),
                e.error
            ))
            .with_hint(hint)
        })
    }
}

fn untouched(err: CliError) -> CliError {
    err.restated(err.exit(), err.message()).with_hint(
        "fix that line (or move the file aside); xeroctl never overwrites a file it cannot read",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

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
            ca_cert: None,
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
                ca_cert: None,
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
        let mut names: Vec<_> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["config.toml", "config.toml.lock"]);
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

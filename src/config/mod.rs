//! The config file (`$XDG_CONFIG_HOME/xeroctl/config.toml`, else
//! `~/.config/xeroctl/config.toml`): the type that owns it and reading it.
//!
//! ```toml
//! current = "prod"
//! [deployment.prod]
//! base_url = "https://api.xerotier.ai/acme-prod/v1"
//! api_key = "xero_acme-prod_…"   # or api_key_keychain = "<entry>"
//! output = "table"               # optional
//! ```

pub mod atomic;
pub mod keychain;
pub mod lock;
pub mod perms;
pub mod resolve;
pub mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::CliError;
use crate::output::OutputFormat;

/// One `[deployment.<name>]` table.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Deployment {
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default)]
    pub api_key: Option<String>,
    #[serde(default)]
    pub api_key_keychain: Option<String>,
    #[serde(default)]
    pub output: Option<OutputFormat>,
    /// An extra PEM bundle to trust for this router; read it through
    /// [`ConfigFile::ca_cert`] (a relative path is the file's folder's).
    #[serde(default)]
    pub ca_cert: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct RawConfig {
    #[serde(default)]
    current: Option<String>,
    #[serde(default)]
    deployment: BTreeMap<String, Deployment>,
}

/// The parsed config file.
#[derive(Debug, Clone, Default)]
pub struct ConfigFile {
    pub path: PathBuf,
    pub current: Option<String>,
    pub deployments: BTreeMap<String, Deployment>,
    /// Set when the file can be read by other users.
    pub loose_permissions: Option<u32>,
}

/// Where the config file lives.
pub fn default_path() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    let base = xdg.or_else(|| {
        std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(|h| PathBuf::from(h).join(".config"))
    })?;
    Some(base.join("xeroctl").join("config.toml"))
}

impl ConfigFile {
    /// Read and check the file; `Ok(None)` when it does not exist.
    pub fn load(path: &Path) -> Result<Option<ConfigFile>, CliError> {
        let Some(read) = read_checked(path)? else {
            return Ok(None);
        };
        let text = String::from_utf8(read.bytes).map_err(|e| {
            let line = line_of_bytes(e.as_bytes(), e.utf8_error().valid_up_to());
            malformed(path, Some(line), "the file is not valid UTF-8 text")
        })?;
        let mut config = Self::parse(path, &text)?;
        config.loose_permissions = read.loose_permissions;
        Ok(Some(config))
    }

    /// Parse config text; errors name the file and the line.
    pub fn parse(path: &Path, text: &str) -> Result<ConfigFile, CliError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|span| line_of(text, span.start));
            malformed(path, line, e.message())
        })?;
        for (name, d) in &raw.deployment {
            if d.api_key.is_some() && d.api_key_keychain.is_some() {
                let line = find_line(text, &format!("[deployment.{name}]"));
                return Err(malformed(
                    path,
                    line,
                    &format!("deployment '{name}' sets both api_key and api_key_keychain; keep exactly one"),
                ));
            }
        }
        Ok(ConfigFile {
            path: path.to_path_buf(),
            current: raw.current,
            deployments: raw.deployment,
            loose_permissions: None,
        })
    }

    pub fn names(&self) -> Vec<&str> {
        self.deployments.keys().map(String::as_str).collect()
    }

    /// The `ca_cert` of deployment `name`, a relative path taken from the
    /// config file's folder (the file is read from any working directory;
    /// `--ca-cert` and `XEROCTL_CA_CERT` stay relative to it instead).
    pub fn ca_cert(&self, name: &str) -> Option<PathBuf> {
        let path = Path::new(self.deployments.get(name)?.ca_cert.as_deref()?);
        Some(match self.path.parent() {
            Some(folder) if path.is_relative() => folder.join(path),
            _ => path.to_path_buf(),
        })
    }
}

/// A config file is a few hundred bytes; anything this large is not one,
/// and is refused before it is read into memory.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// The parser's explanation is cut to this many characters: it may quote
/// a value of the file (`unknown variant `…``) of any length.
const MAX_REASON_CHARS: usize = 200;

fn malformed(path: &Path, line: Option<usize>, message: &str) -> CliError {
    let at = line.map(|l| format!(", line {l}")).unwrap_or_default();
    CliError::config(format!(
        "malformed config file {}{at}: {}",
        path.display(),
        crate::output::redact::shorten(message.trim(), MAX_REASON_CHARS)
    ))
    .with_hint("fix that line (format: README, \"Configuration\"), or use XEROCTL_BASE_URL and XEROCTL_API_KEY")
}

fn line_of(text: &str, offset: usize) -> usize {
    line_of_bytes(text.as_bytes(), offset)
}

fn line_of_bytes(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn find_line(text: &str, needle: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.trim().replace(' ', "") == needle.replace(' ', ""))
        .map(|i| i + 1)
}

/// The config file's bytes, read only after checking who could have
/// written it (see [`perms`]).
pub(crate) struct CheckedRead {
    /// The file read: the symlink's target when `path` is a symlink.
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    /// Set when other users can read the file.
    pub loose_permissions: Option<u32>,
}

/// Read the config file at `path` after checking its folder (and, for a
/// symlink, its target's folder) and the file itself; `Ok(None)` when there
/// is no file (or a dangling symlink).
pub(crate) fn read_checked(path: &Path) -> Result<Option<CheckedRead>, CliError> {
    let link = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(cannot_read(path, &e)),
    };
    perms::check_folder(atomic::folder_of(path))?;
    let mut target = path.to_path_buf();
    if link.file_type().is_symlink() {
        target = match std::fs::canonicalize(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(cannot_read(path, &e)),
        };
        perms::check_folder(atomic::folder_of(&target))?;
    }
    let mut file = match open_for_reading(&target) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(cannot_read(&target, &e)),
    };
    let meta = file.metadata().map_err(|e| cannot_read(&target, &e))?;
    if meta.is_dir() {
        return Err(cannot_read_because(&target, "it is a directory"));
    }
    if !meta.is_file() {
        return Err(cannot_read_because(&target, "it is not a regular file"));
    }
    perms::check_file(&target, &meta)?;
    // Read one byte past the bound: a file that grows while read is caught too.
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(&mut file, MAX_CONFIG_BYTES + 1),
        &mut bytes,
    )
    .map_err(|e| cannot_read(&target, &e))?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(cannot_read_because(
            &target,
            "it is larger than 1 MiB, far more than any xeroctl config",
        ));
    }
    Ok(Some(CheckedRead {
        path: target,
        bytes,
        loose_permissions: perms::readable_by_others(&meta),
    }))
}

/// Opening never blocks (a FIFO planted at the path is refused, not waited on).
#[cfg(unix)]
fn open_for_reading(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_for_reading(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

fn cannot_read(path: &Path, e: &std::io::Error) -> CliError {
    if path.is_dir() {
        cannot_read_because(path, "it is a directory")
    } else {
        cannot_read_because(path, &e.to_string())
    }
}

fn cannot_read_because(path: &Path, why: &str) -> CliError {
    CliError::config(format!("cannot read config file {}: {why}", path.display())).with_hint(
        "fix the file's permissions or move it aside, or use XEROCTL_BASE_URL and XEROCTL_API_KEY",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ConfigFile, CliError> {
        ConfigFile::parse(Path::new("/tmp/c.toml"), text)
    }

    #[test]
    fn a_relative_ca_cert_is_the_config_folders() {
        let c = ConfigFile::parse(
            Path::new("/home/u/.config/xeroctl/config.toml"),
            "[deployment.a]\nca_cert = \"certs/ca.pem\"\n[deployment.b]\nca_cert = \"/etc/ca.pem\"\n[deployment.c]\n",
        )
        .unwrap();
        assert_eq!(
            c.ca_cert("a").unwrap(),
            Path::new("/home/u/.config/xeroctl/certs/ca.pem")
        );
        assert_eq!(c.ca_cert("b").unwrap(), Path::new("/etc/ca.pem"));
        assert_eq!(c.ca_cert("c"), None);
        assert_eq!(c.ca_cert("missing"), None);
    }

    #[test]
    fn documented_format_parses() {
        let c = parse(
            r#"current = "prod"
unknown_top = 1
[deployment.prod]
base_url = "https://api.xerotier.ai/acme-prod/v1"
api_key = "xero_acme-prod_x"
output = "json"
extra = "kept"
[deployment.lab]
base_url = "http://127.0.0.1:8787/demo/v1"
api_key_keychain = "xeroctl-lab"
"#,
        )
        .unwrap();
        assert_eq!(c.current.as_deref(), Some("prod"));
        assert_eq!(c.names(), vec!["lab", "prod"]);
        assert_eq!(c.deployments["prod"].output, Some(OutputFormat::Json));
        assert_eq!(
            c.deployments["lab"].api_key_keychain.as_deref(),
            Some("xeroctl-lab")
        );
    }

    #[test]
    fn malformed_names_file_and_line() {
        let e = parse("current = \"prod\"\n[deployment.prod]\nbase_url = \n").unwrap_err();
        assert_eq!(e.exit(), crate::error::ExitCode::Config);
        assert!(
            e.message().contains("/tmp/c.toml, line 3"),
            "{}",
            e.message()
        );
        let e = parse("[deployment.p]\noutput = \"xml\"\n").unwrap_err();
        assert!(e.message().contains("line 2"), "{}", e.message());
        let ok = parse("[deployment.p]\noutput = \"yaml\"\n").unwrap();
        assert_eq!(ok.deployments["p"].output, Some(OutputFormat::Yaml));
    }

    #[test]
    fn a_quoted_value_of_any_length_gives_a_short_message() {
        let long = "x".repeat(100_000);
        let e = parse(&format!("[deployment.p]\noutput = \"{long}\"\n")).unwrap_err();
        assert!(e
            .message()
            .starts_with("malformed config file /tmp/c.toml, line 2: "));
        assert!(e.message().chars().count() < 300, "{}", e.message().len());
        assert!(e.message().ends_with('…'), "{}", e.message());
    }

    #[test]
    fn a_file_over_a_mebibyte_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let mut text = "# padding\n".repeat(1024 * 1024 / 10);
        std::fs::write(&path, &text).unwrap();
        assert!(text.len() as u64 <= MAX_CONFIG_BYTES);
        assert!(ConfigFile::load(&path).unwrap().is_some());
        text.push_str(&"#".repeat(MAX_CONFIG_BYTES as usize + 1 - text.len()));
        std::fs::write(&path, &text).unwrap();
        let e = ConfigFile::load(&path).unwrap_err();
        assert_eq!(e.exit(), crate::error::ExitCode::Config);
        assert_eq!(
            e.message(),
            format!(
                "cannot read config file {}: it is larger than 1 MiB, far more than any xeroctl config",
                path.display()
            )
        );
    }

    #[test]
    fn both_key_sources_are_refused() {
        let e = parse("[deployment.p]\napi_key = \"a\"\napi_key_keychain = \"b\"\n").unwrap_err();
        assert!(e.message().contains("line 1"), "{}", e.message());
        assert!(e.message().contains("exactly one"));
    }
}

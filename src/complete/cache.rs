//! The completion cache: one small JSON file per (base URL, kind) under
//! `$XDG_CACHE_HOME/xeroctl/` (else `~/.cache/xeroctl/`), fresh for 60 s.
//!
//! The file name is a hash of the base URL and the kind, so neither the
//! URL nor the key is written anywhere; the file holds only ids and their
//! descriptions. A file (or folder) another user owns, or that others can
//! write, is treated as absent and never written through.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// How long an answer is reused.
pub const FRESH_FOR: Duration = Duration::from_secs(60);

/// One completion: the value and what it is (shown by the shell).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Saved {
    saved_at: u64,
    items: Vec<Item>,
}

/// The cache folder, from the environment (`None`: caching is off).
pub fn dir() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    let base = xdg.or_else(|| {
        std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(|h| PathBuf::from(h).join(".cache"))
    })?;
    Some(base.join("xeroctl"))
}

/// The file for `base_url` and `kind`: `complete-<16 hex digits>.json`.
pub fn file_name(base_url: &str, kind: &str) -> String {
    format!("complete-{:016x}.json", fnv1a(&[base_url, kind]))
}

/// FNV-1a (64 bit): stable across builds and Rust versions, unlike std's
/// hasher; a cache key, not a security boundary.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Ours and writable by no one else (and, for a file, a regular file).
#[cfg(unix)]
fn trusted(path: &Path, want_dir: bool) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return false;
    };
    let kind_ok = if want_dir {
        meta.is_dir()
    } else {
        meta.is_file()
    };
    kind_ok && meta.uid() == crate::config::perms::euid() && meta.mode() & 0o022 == 0
}

#[cfg(not(unix))]
fn trusted(path: &Path, want_dir: bool) -> bool {
    std::fs::symlink_metadata(path)
        .map(|m| if want_dir { m.is_dir() } else { m.is_file() })
        .unwrap_or(false)
}

/// A fresh answer, if there is one we can trust.
pub fn read(dir: &Path, name: &str) -> Option<Vec<Item>> {
    let path = dir.join(name);
    if !trusted(dir, true) || !trusted(&path, false) {
        return None;
    }
    let text = std::fs::read(&path).ok()?;
    let saved: Saved = serde_json::from_slice(&text).ok()?;
    let age = now_secs().checked_sub(saved.saved_at)?;
    (age < FRESH_FOR.as_secs()).then_some(saved.items)
}

/// Save an answer (0600 in a 0700 folder); any failure is ignored.
pub fn write(dir: &Path, name: &str, items: &[Item]) {
    let _ = try_write(dir, name, items);
}

fn try_write(dir: &Path, name: &str, items: &[Item]) -> std::io::Result<()> {
    if std::fs::symlink_metadata(dir).is_err() {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(dir)?;
    }
    if !trusted(dir, true) {
        return Err(std::io::Error::other("untrusted cache folder"));
    }
    let path = dir.join(name);
    if std::fs::symlink_metadata(&path).is_ok() && !trusted(&path, false) {
        return Err(std::io::Error::other("untrusted cache file"));
    }
    let saved = Saved {
        saved_at: now_secs(),
        items: items.to_vec(),
    };
    // NamedTempFile is created 0600; the rename replaces the old answer whole.
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(&serde_json::to_vec(&saved).unwrap_or_default())?;
    tmp.persist(&path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items() -> Vec<Item> {
        vec![Item {
            value: "agt_1".into(),
            help: Some("gpu-1".into()),
        }]
    }

    #[test]
    fn names_depend_on_url_and_kind_only() {
        let a = file_name("https://r.example/p/v1", "agents");
        assert_eq!(a, file_name("https://r.example/p/v1", "agents"));
        assert_ne!(a, file_name("https://r.example/p/v1", "tools"));
        assert_ne!(a, file_name("https://r.example/q/v1", "agents"));
        assert!(!a.contains("example"));
    }

    #[cfg(unix)]
    #[test]
    fn round_trip_with_private_modes() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("cache").join("xeroctl");
        write(&dir, "f.json", &items());
        assert_eq!(read(&dir, "f.json"), Some(items()));
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("f.json")), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_can_write_is_absent_and_not_written_through() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("xeroctl");
        write(&dir, "f.json", &items());
        let file = dir.join("f.json");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o666)).unwrap();
        assert_eq!(read(&dir, "f.json"), None);
        write(&dir, "f.json", &[]);
        // Still the old content: the loose file was left alone.
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(read(&dir, "f.json"), Some(items()));
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        assert_eq!(read(&dir, "f.json"), None);
    }

    #[test]
    fn stale_answers_are_ignored() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("xeroctl");
        write(&dir, "f.json", &items());
        let old = Saved {
            saved_at: now_secs() - 61,
            items: items(),
        };
        std::fs::write(dir.join("f.json"), serde_json::to_vec(&old).unwrap()).unwrap();
        assert_eq!(read(&dir, "f.json"), None);
    }
}

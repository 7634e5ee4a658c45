//! `api_key_keychain = "<entry>"`: the key lives in the OS keychain, under
//! service `xeroctl` and the entry's name as the account.
//!
//! The stores, through `keyring` 4: the macOS Keychain, the Windows
//! Credential Manager, and on Linux the Secret Service (GNOME Keyring,
//! KWallet) over D-Bus, spoken in pure Rust (zbus), so nothing but a
//! session bus is needed at run time and no C library to build. The
//! `keyring` crate is a dependency on macOS, Linux and Windows only; on
//! other platforms (the BSDs, …) no keychain works and keys stay in the file.
//!
//! `XEROCTL_KEYCHAIN` is for tests only: `none` makes every keychain
//! operation fail as on a machine without one (the file fallback), and
//! `mock-file:<dir>` swaps in a store kept in `<dir>/keychain.json` (mode
//! 0600, entries by name), so tests never touch the real keychain.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::CliError;

/// The keychain service name xeroctl stores keys under.
pub const SERVICE: &str = "xeroctl";

/// The test-only switch (see the module docs).
pub const ENV_VAR: &str = "XEROCTL_KEYCHAIN";

/// Where keychain operations go.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Backend {
    Os,
    MockFile(PathBuf),
    Disabled,
}

fn backend() -> Backend {
    match std::env::var(ENV_VAR) {
        Ok(v) if v == "none" => Backend::Disabled,
        Ok(v) => match v.strip_prefix("mock-file:") {
            Some(dir) if !dir.is_empty() => Backend::MockFile(PathBuf::from(dir)),
            _ => Backend::Os,
        },
        Err(_) => Backend::Os,
    }
}

#[cfg(target_os = "macos")]
const OS_STORE: &str = "macOS Keychain";
#[cfg(windows)]
const OS_STORE: &str = "Windows Credential Manager";
#[cfg(target_os = "linux")]
const OS_STORE: &str = "Secret Service";
#[cfg(not(any(target_os = "macos", target_os = "linux", windows)))]
const OS_STORE: &str = "OS keychain";

/// The name of the store keys go to here ("Secret Service", …).
pub fn store_name() -> String {
    match backend() {
        Backend::Os => OS_STORE.to_string(),
        Backend::MockFile(_) => "test keychain".to_string(),
        Backend::Disabled => "keychain".to_string(),
    }
}

/// Why no keychain can work here, when that is known without touching
/// one (`XEROCTL_KEYCHAIN=none`, a platform without a keychain).
pub fn known_unusable() -> Option<&'static str> {
    match backend() {
        Backend::Disabled => Some(DISABLED),
        Backend::Os if cfg!(not(any(target_os = "macos", target_os = "linux", windows))) => {
            Some("no OS keychain on this platform")
        }
        _ => None,
    }
}

/// Why a read failed.
enum Fail {
    NoEntry,
    Other(String),
}

const DISABLED: &str = "keychain use is off (XEROCTL_KEYCHAIN=none)";

fn get(entry: &str) -> Result<String, Fail> {
    match backend() {
        Backend::Os => os::get(entry),
        Backend::MockFile(dir) => mock::load(&dir)
            .map_err(Fail::Other)?
            .remove(entry)
            .ok_or(Fail::NoEntry),
        Backend::Disabled => Err(Fail::Other(DISABLED.into())),
    }
}

fn set(entry: &str, key: &str) -> Result<(), String> {
    match backend() {
        Backend::Os => os::set(entry, key),
        Backend::MockFile(dir) => {
            let mut map = mock::load(&dir)?;
            map.insert(entry.to_string(), key.to_string());
            mock::save(&dir, &map)
        }
        Backend::Disabled => Err(DISABLED.into()),
    }
}

fn delete(entry: &str) -> Result<bool, String> {
    match backend() {
        Backend::Os => os::delete(entry),
        Backend::MockFile(dir) => {
            let mut map = mock::load(&dir)?;
            if map.remove(entry).is_none() {
                return Ok(false);
            }
            mock::save(&dir, &map).map(|()| true)
        }
        Backend::Disabled => Err(DISABLED.into()),
    }
}

/// One line: platform errors (D-Bus ones in particular) can span several.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The error for an entry that cannot be read, with the way out.
fn unavailable(entry: &str, why: &str) -> CliError {
    CliError::config(format!(
        "cannot read the API key from keychain entry '{entry}': {why}"
    ))
    .with_hint(format!(
        "store the key again (`xeroctl config add <name> --base-url … --api-key-stdin`: in the keychain where one works, else as `api_key` in the file), or set XEROCTL_API_KEY; the keychain entry '{entry}' is looked up under service '{SERVICE}'"
    ))
}

/// Read the key stored under `entry`.
pub fn read_key(entry: &str) -> Result<String, CliError> {
    match get(entry) {
        Ok(key) if !key.trim().is_empty() => Ok(key.trim().to_string()),
        Ok(_) => Err(unavailable(entry, "the entry is empty")),
        Err(Fail::NoEntry) => Err(unavailable(entry, "no such entry")),
        Err(Fail::Other(e)) => Err(unavailable(
            entry,
            &format!("no usable keychain here ({e})"),
        )),
    }
}

/// Store `key` under `entry` and read it back, so a keychain that takes
/// writes but cannot give them back (a locked collection, …) does not
/// count. `Err` says, on one line, why no keychain works here.
pub fn store_key(entry: &str, key: &str) -> Result<(), String> {
    set(entry, key).map_err(|e| one_line(&e))?;
    match get(entry) {
        Ok(back) if back == key => Ok(()),
        Ok(_) => Err("the key read back from it differs".into()),
        Err(Fail::NoEntry) => Err("the key written to it could not be read back".into()),
        Err(Fail::Other(e)) => Err(one_line(&e)),
    }
}

/// Delete `entry`: `Ok(false)` when there was none.
pub fn delete_key(entry: &str) -> Result<bool, String> {
    delete(entry).map_err(|e| one_line(&e))
}

#[cfg(any(target_os = "macos", target_os = "linux", windows))]
mod os {
    use super::{Fail, SERVICE};

    fn describe(e: &keyring::Error) -> String {
        match e {
            // The store itself could not be opened: say why.
            keyring::Error::NoDefaultStore => match keyring::Entry::store_status() {
                Err(init) => format!("{} unavailable: {init}", super::OS_STORE),
                Ok(()) => format!("{} unavailable", super::OS_STORE),
            },
            e => format!("{}: {e}", super::OS_STORE),
        }
    }

    fn entry(name: &str) -> Result<keyring::Entry, String> {
        keyring::Entry::new(SERVICE, name).map_err(|e| describe(&e))
    }

    pub(super) fn get(name: &str) -> Result<String, Fail> {
        match entry(name).map_err(Fail::Other)?.get_password() {
            Ok(key) => Ok(key),
            Err(keyring::Error::NoEntry) => Err(Fail::NoEntry),
            Err(e) => Err(Fail::Other(describe(&e))),
        }
    }

    pub(super) fn set(name: &str, key: &str) -> Result<(), String> {
        entry(name)?.set_password(key).map_err(|e| describe(&e))
    }

    pub(super) fn delete(name: &str) -> Result<bool, String> {
        match entry(name)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(describe(&e)),
        }
    }
}

#[cfg(not(any(target_os = "macos", target_os = "linux", windows)))]
mod os {
    use super::Fail;

    const NONE: &str = "no OS keychain on this platform";

    pub(super) fn get(_: &str) -> Result<String, Fail> {
        Err(Fail::Other(NONE.into()))
    }

    pub(super) fn set(_: &str, _: &str) -> Result<(), String> {
        Err(NONE.into())
    }

    pub(super) fn delete(_: &str) -> Result<bool, String> {
        Err(NONE.into())
    }
}

/// The test store: `<dir>/keychain.json`, `{"<entry>": "<key>"}`.
mod mock {
    use super::*;

    fn file(dir: &Path) -> PathBuf {
        dir.join("keychain.json")
    }

    pub(super) fn load(dir: &Path) -> Result<BTreeMap<String, String>, String> {
        match std::fs::read(file(dir)) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| format!("test keychain: {e}")),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(format!("test keychain: {e}")),
        }
    }

    pub(super) fn save(dir: &Path, map: &BTreeMap<String, String>) -> Result<(), String> {
        let text = serde_json::to_vec_pretty(map).map_err(|e| e.to_string())?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        std::fs::create_dir_all(dir)
            .and_then(|()| options.open(file(dir)))
            .and_then(|mut f| std::io::Write::write_all(&mut f, &text))
            .map_err(|e| format!("test keychain: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mock_store_round_trips_and_deletes() {
        let dir = tempfile::tempdir().unwrap();
        let mut map = mock::load(dir.path()).unwrap();
        assert!(map.is_empty());
        map.insert("prod".into(), "xero_p_k".into());
        mock::save(dir.path(), &map).unwrap();
        assert_eq!(mock::load(dir.path()).unwrap()["prod"], "xero_p_k");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let meta = std::fs::metadata(dir.path().join("keychain.json")).unwrap();
            assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        }
    }

    #[test]
    fn errors_are_one_line() {
        assert_eq!(one_line("a\n  b\tc "), "a b c");
    }
}

//! `api_key_keychain = "<entry>"`: the key lives in the OS keychain. The
//! `keyring` crate is a dependency on macOS, Linux and Windows only; on
//! other platforms (the BSDs, …) such an entry is a clear config error.

use crate::error::CliError;

/// The keychain service name xeroctl stores keys under.
pub const SERVICE: &str = "xeroctl";

/// The error for an entry that cannot be read, with the way out.
fn unavailable(entry: &str, why: &str) -> CliError {
    CliError::config(format!(
        "cannot read the API key from keychain entry '{entry}': {why}"
    ))
    .with_hint(format!(
        "store the key in the config file instead (`api_key`, e.g. `xeroctl config add <name> --base-url … --api-key-stdin`), or set XEROCTL_API_KEY; the keychain entry '{entry}' is looked up under service '{SERVICE}'"
    ))
}

/// Read the key stored under `entry`.
#[cfg(any(target_os = "macos", target_os = "linux", windows))]
pub fn read_key(entry: &str) -> Result<String, CliError> {
    let item =
        keyring::Entry::new(SERVICE, entry).map_err(|e| unavailable(entry, &e.to_string()))?;
    match item.get_password() {
        Ok(key) if !key.trim().is_empty() => Ok(key.trim().to_string()),
        Ok(_) => Err(unavailable(entry, "the entry is empty")),
        Err(keyring::Error::NoEntry) => Err(unavailable(entry, "no such entry")),
        Err(e) => Err(unavailable(
            entry,
            &format!("no usable keychain here ({e})"),
        )),
    }
}

/// No `keyring` backend on this platform.
#[cfg(not(any(target_os = "macos", target_os = "linux", windows)))]
pub fn read_key(entry: &str) -> Result<String, CliError> {
    Err(unavailable(
        entry,
        "no OS keychain on this platform; use api_key in the file",
    ))
}

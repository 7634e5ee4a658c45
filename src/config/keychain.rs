//! `api_key_keychain = "<entry>"`: the key lives in the OS keychain.

use crate::error::CliError;

/// The keychain service name xeroctl stores keys under.
pub const SERVICE: &str = "xeroctl";

/// Read the key stored under `entry`.
pub fn read_key(entry: &str) -> Result<String, CliError> {
    let unavailable = |why: String| {
        CliError::config(format!(
            "cannot read the API key from keychain entry '{entry}': {why}"
        ))
        .with_hint(format!(
            "store the key in the config file instead (`api_key`, e.g. `xeroctl config add <name> --base-url … --api-key-stdin`), or set XEROCTL_API_KEY; the keychain entry '{entry}' is looked up under service '{SERVICE}'"
        ))
    };
    let item = keyring::Entry::new(SERVICE, entry).map_err(|e| unavailable(e.to_string()))?;
    match item.get_password() {
        Ok(key) if !key.trim().is_empty() => Ok(key.trim().to_string()),
        Ok(_) => Err(unavailable("the entry is empty".into())),
        Err(keyring::Error::NoEntry) => Err(unavailable("no such entry".into())),
        Err(e) => Err(unavailable(format!("no usable keychain here ({e})"))),
    }
}

//! Who may have touched the config, checked like ssh's `StrictModes`: the
//! config file and every folder it is read from or written to must belong
//! to the current (effective) user and not be writable by group or others;
//! otherwise another user could have swapped the file or changed where the
//! key is sent. Read permission for others only draws a warning (see
//! `ConfigFile::loose_permissions`). On platforms without Unix owners and
//! modes every check passes.

use std::fs::Metadata;
use std::path::Path;

use crate::error::CliError;

/// Refuse a folder the config lives in (or is written through) unless it
/// belongs to the user and only the user can write to it.
#[cfg(unix)]
pub fn check_folder(dir: &Path) -> Result<(), CliError> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(dir).map_err(|e| {
        CliError::config(format!(
            "cannot check the config folder {}: {e}",
            dir.display()
        ))
        .with_hint("fix the folder's permissions, or use XEROCTL_BASE_URL and XEROCTL_API_KEY")
    })?;
    let me = euid();
    if meta.uid() != me {
        return Err(CliError::config(format!(
            "refusing to use the config folder {}: it belongs to another user (uid {}; you are uid {me})",
            dir.display(),
            meta.uid()
        ))
        .with_hint(format!(
            "move the config to a folder you own (set XDG_CONFIG_HOME), or have {} handed to you with `chown`",
            shell_word(dir)
        )));
    }
    let mode = meta.mode() & 0o7777;
    if mode & 0o022 != 0 {
        return Err(CliError::config(format!(
            "refusing to use the config folder {}: other users can write to it (mode {mode:o}) and could swap the file",
            dir.display()
        ))
        .with_hint(format!("run `chmod go-w {}`", shell_word(dir))));
    }
    Ok(())
}

#[cfg(not(unix))]
pub fn check_folder(_dir: &Path) -> Result<(), CliError> {
    Ok(())
}

/// Refuse the config file (`meta`: of the opened file, so what is checked
/// is what is read) unless it belongs to the user and only the user can
/// write to it.
#[cfg(unix)]
pub fn check_file(path: &Path, meta: &Metadata) -> Result<(), CliError> {
    use std::os::unix::fs::MetadataExt;
    let me = euid();
    let p = shell_word(path);
    if meta.uid() != me {
        return Err(CliError::config(format!(
            "refusing to use the config file {}: it belongs to another user (uid {}; you are uid {me})",
            path.display(),
            meta.uid()
        ))
        .with_hint(format!(
            "check what it says, then replace it with a copy you own: `cp {p} {p}.new && mv {p}.new {p}`"
        )));
    }
    let mode = meta.mode() & 0o7777;
    if mode & 0o022 != 0 {
        return Err(CliError::config(format!(
            "refusing to use the config file {}: other users can write to it (mode {mode:o}) and could change where your key is sent",
            path.display()
        ))
        .with_hint(format!("run `chmod 600 {p}`")));
    }
    Ok(())
}

#[cfg(not(unix))]
pub fn check_file(_path: &Path, _meta: &Metadata) -> Result<(), CliError> {
    Ok(())
}

/// The mode bits when others may read the file (a warning, not a refusal).
#[cfg(unix)]
pub fn readable_by_others(meta: &Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then_some(mode)
}

#[cfg(not(unix))]
pub fn readable_by_others(_meta: &Metadata) -> Option<u32> {
    None
}

/// The effective user id: the one files are checked against.
#[cfg(unix)]
pub fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// A path as one shell word, for the commands suggested in hints.
pub fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./:@%+=,-~".contains(c));
    if plain && !text.starts_with('~') {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn chmod(p: &Path, mode: u32) {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn folders_writable_by_others_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for ok in [0o700, 0o755, 0o750, 0o711] {
            chmod(dir.path(), ok);
            check_folder(dir.path()).unwrap();
        }
        for bad in [0o770, 0o702, 0o777, 0o1777] {
            chmod(dir.path(), bad);
            let e = check_folder(dir.path()).unwrap_err();
            assert_eq!(e.exit(), crate::error::ExitCode::Config);
            assert!(e.message().contains(&dir.path().display().to_string()));
            assert!(e.hints()[0].contains("chmod go-w"), "{bad:o}");
        }
        chmod(dir.path(), 0o700);
    }

    #[test]
    fn files_writable_by_others_are_refused_readable_ones_warned() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "").unwrap();
        for (mode, refused, warned) in [
            (0o600, false, false),
            (0o400, false, false),
            (0o644, false, true),
            (0o640, false, true),
            (0o620, true, true),
            (0o602, true, true),
        ] {
            chmod(&path, mode);
            let meta = std::fs::metadata(&path).unwrap();
            assert_eq!(check_file(&path, &meta).is_err(), refused, "{mode:o}");
            assert_eq!(readable_by_others(&meta).is_some(), warned, "{mode:o}");
        }
    }

    #[test]
    fn hint_paths_are_one_shell_word() {
        assert_eq!(
            shell_word(Path::new("/home/a/.config/x")),
            "/home/a/.config/x"
        );
        assert_eq!(shell_word(Path::new("/a b/it's")), r"'/a b/it'\''s'");
        assert_eq!(shell_word(Path::new("~x")), "'~x'");
    }
}

//! The lock that serialises config writers: an exclusive advisory lock
//! (`flock`) on `config.toml.lock` next to the config file, held from
//! reading the file to renaming the new one into place, so concurrent
//! `config add`/`use`/`remove` all land. The lock file is opened without
//! following a symlink, created with mode 0600, and never deleted (deleting
//! a lock file lets two writers lock different files).

use std::path::{Path, PathBuf};

use crate::error::CliError;

/// How long a writer waits for another one before giving up.
#[cfg(unix)]
const WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Held while the config is read, changed and written; dropping it (or the
/// process ending) releases the lock.
#[derive(Debug)]
pub struct ConfigLock {
    #[cfg(unix)]
    _file: std::fs::File,
}

/// The lock file for `config`: `<name>.lock` in the same folder.
pub fn lock_path(config: &Path) -> PathBuf {
    let name = config
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config.toml".into());
    config.with_file_name(format!("{name}.lock"))
}

/// Take the exclusive lock for `config` (its folder must exist), waiting
/// up to 10 s for another writer.
#[cfg(unix)]
pub fn lock(config: &Path) -> Result<ConfigLock, CliError> {
    use std::os::unix::io::AsRawFd;
    let path = lock_path(config);
    let file = open_lock_file(&path)?;
    let deadline = std::time::Instant::now() + WAIT;
    let mut pause = std::time::Duration::from_millis(2);
    loop {
        // SAFETY: flock on a descriptor this function owns.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
            return Ok(ConfigLock { _file: file });
        }
        let err = std::io::Error::last_os_error();
        match err.raw_os_error() {
            Some(libc::EINTR) => continue,
            Some(code) if code == libc::EWOULDBLOCK || code == libc::EAGAIN => {}
            _ => {
                return Err(CliError::failure(format!(
                    "cannot lock {} for writing: {err}",
                    path.display()
                ))
                .with_hint("nothing was written; check that the config folder is on a file system with locking"))
            }
        }
        if std::time::Instant::now() >= deadline {
            return Err(CliError::failure(format!(
                "another xeroctl has been changing {} for {} s (it holds {})",
                config.display(),
                WAIT.as_secs(),
                path.display()
            ))
            .with_hint(
                "nothing was written; try again once the other `xeroctl config` command is done",
            ));
        }
        std::thread::sleep(pause + std::time::Duration::from_micros(fastrand::u64(0..2000)));
        pause = (pause * 2).min(std::time::Duration::from_millis(50));
    }
}

/// Without `flock` at our MSRV (std's `File::lock` is newer than 1.88),
/// concurrent writers are not serialised: the last rename wins. Each write
/// is still atomic, so the file is never corrupted.
#[cfg(not(unix))]
pub fn lock(_config: &Path) -> Result<ConfigLock, CliError> {
    Ok(ConfigLock {})
}

/// Open (creating, mode 0600) the lock file, never through a symlink, and
/// only if it is a regular file of ours.
#[cfg(unix)]
fn open_lock_file(path: &Path) -> Result<std::fs::File, CliError> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    let refuse = |why: String| {
        CliError::config(format!(
            "refusing to use the lock file {}: {why}",
            path.display()
        ))
        .with_hint(format!(
            "remove it (`rm {}`); xeroctl creates it again",
            super::perms::shell_word(path)
        ))
    };
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path);
    let file = match file {
        Ok(f) => f,
        Err(_) if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) => {
            return Err(refuse("it is a symbolic link".into()))
        }
        Err(e) => {
            return Err(CliError::failure(format!(
                "cannot open the lock file {}: {e}",
                path.display()
            ))
            .with_hint("nothing was written; check the config folder's permissions"))
        }
    };
    let meta = file
        .metadata()
        .map_err(|e| refuse(format!("cannot inspect it ({e})")))?;
    if !meta.is_file() {
        return Err(refuse("it is not a regular file".into()));
    }
    if meta.uid() != super::perms::euid() {
        return Err(refuse(format!(
            "it belongs to another user (uid {})",
            meta.uid()
        )));
    }
    Ok(file)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.toml");
        let first = lock(&config).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = {
            let config = config.clone();
            std::thread::spawn(move || {
                let second = lock(&config).unwrap();
                tx.send(()).unwrap();
                drop(second);
            })
        };
        assert!(rx
            .recv_timeout(std::time::Duration::from_millis(200))
            .is_err());
        drop(first);
        rx.recv_timeout(std::time::Duration::from_secs(5)).unwrap();
        waiter.join().unwrap();
        assert!(lock_path(&config).is_file());
    }

    #[test]
    fn a_symlinked_lock_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.toml");
        let bait = dir.path().join("bait");
        std::fs::write(&bait, "bait").unwrap();
        std::os::unix::fs::symlink(&bait, lock_path(&config)).unwrap();
        let e = lock(&config).unwrap_err();
        assert_eq!(e.exit(), crate::error::ExitCode::Config);
        assert!(e.message().contains("symbolic link"), "{}", e.message());
        assert_eq!(std::fs::read_to_string(&bait).unwrap(), "bait");
    }
}

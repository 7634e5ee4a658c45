//! Replacing the config file atomically: a temp file created exclusively
//! (`O_CREAT|O_EXCL`, so never through a symlink and never a file someone
//! planted or holds open) with a random name in the same folder and mode
//! 0600, fsync, rename over the file, fsync the folder.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A write that did not happen. The rename is the last step that can fail,
/// so the file at the destination was not replaced.
#[derive(Debug)]
pub struct WriteError {
    pub error: std::io::Error,
    /// A temp file (holding the new contents) that could not be removed.
    pub leftover: Option<PathBuf>,
}

impl From<std::io::Error> for WriteError {
    fn from(error: std::io::Error) -> Self {
        WriteError {
            error,
            leftover: None,
        }
    }
}

/// The folder `path` lives in.
pub fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Write `bytes` to `path` atomically (see the module comment). On error
/// `path` is untouched and the temp file removed (or named in the error).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let dir = folder_of(path);
    create_private_dir(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config.toml".into());
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .tempfile_in(dir)?;
    let written = (|| {
        // Created 0600 already; explicit so an odd umask cannot narrow it.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file()
                .set_permissions(fs::Permissions::from_mode(0o600))?;
        }
        // Through the File: NamedTempFile's own errors carry its random
        // name, which would end up in the message the user sees.
        tmp.as_file_mut().write_all(bytes)?;
        tmp.as_file().sync_all()
    })();
    if let Err(error) = written {
        return Err(discard(tmp, error));
    }
    if let Err(e) = tmp.persist(path) {
        return Err(discard(e.file, e.error));
    }
    sync_dir(dir);
    Ok(())
}

fn discard(tmp: tempfile::NamedTempFile, error: std::io::Error) -> WriteError {
    let at = tmp.path().to_path_buf();
    WriteError {
        error,
        leftover: tmp.close().err().map(|_| at),
    }
}

/// Create `dir` (and missing parents) with mode 0700.
#[cfg(unix)]
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
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
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
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

    #[test]
    fn writes_replace_the_file_and_leave_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        fs::write(&path, "old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("config.toml")]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }

    #[test]
    fn a_failed_rename_leaves_the_destination_and_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        // A non-empty directory cannot be renamed over.
        let path = dir.path().join("config.toml");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("keep"), "x").unwrap();
        let e = write_atomic(&path, b"new").unwrap_err();
        assert!(e.leftover.is_none());
        assert!(path.join("keep").is_file());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}

//! `exec raw <execution-id> [--out FILE]`: the output bytes exactly as the
//! agent returned them, to stdout (checked whole first on a terminal) or to
//! a file replaced only once the download is complete.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::api::models::Execution;
use crate::api::{self, errors, ApiRequest, Client};
use crate::app::App;
use crate::cli::exec::RawArgs;
use crate::error::CliError;
use crate::output::sanitize::is_plain_text;
use crate::output::shell;

pub(super) async fn run(app: &App, args: RawArgs) -> Result<()> {
    let req = api::executions::raw(&args.id)?;
    let client = app.client()?;
    let resp = match client.send_streaming(&req).await {
        Ok(resp) => resp,
        Err(err) if err.api_code() == Some("execution_not_complete") => {
            let get = api::executions::get(&args.id)?;
            return Err(not_complete(&client, &get, err).await.into());
        }
        Err(err) => {
            return Err(super::show::invocation_instead(&client, &args.id, err)
                .await
                .into())
        }
    };
    let failed = |e: reqwest::Error, written: u64| {
        let err = errors::from_transport(&e, &client.url(&req), app.request_timeout());
        err.restated(
            err.exit(),
            format!(
                "the download broke off after {written} bytes: {}",
                err.message()
            ),
        )
        .with_hints(err.hints().to_vec())
    };
    let out_file = args.out.as_ref().filter(|p| p.as_os_str() != "-");
    match out_file {
        None => {
            let mut out = app.ui.out();
            let mut resp = resp;
            if app.ui.terminal().stdout {
                let payload = for_terminal(&mut resp, &args.id, failed).await?;
                out.write_all(&payload)?;
                out.flush()?;
                return Ok(());
            }
            // Not a terminal: streamed, byte for byte.
            let mut written = 0u64;
            while let Some(chunk) = resp.chunk().await.map_err(|e| failed(e, written))? {
                out.write_all(&chunk)?;
                written += chunk.len() as u64;
            }
            out.flush()?;
        }
        Some(target) => {
            let mut download = Download::create(target)?;
            let mut resp = resp;
            while let Some(chunk) = resp
                .chunk()
                .await
                .map_err(|e| failed(e, download.written))?
            {
                download.write(&chunk)?;
            }
            let written = download.commit()?;
            app.ui
                .success(&format!("Wrote {written} bytes to {}.", target.display()));
        }
    }
    Ok(())
}

/// The most raw output held in memory to check it before a terminal sees it.
const TERMINAL_CAP: u64 = 8 * 1024 * 1024;

/// Raw output bound for a terminal: read whole (up to [`TERMINAL_CAP`]) and
/// handed back only when it is plain text (valid UTF-8 with no control or
/// bidi character but tab and newline), so a refusal comes before anything
/// is written.
async fn for_terminal(
    resp: &mut reqwest::Response,
    id: &str,
    failed: impl Fn(reqwest::Error, u64) -> CliError,
) -> Result<Vec<u8>, CliError> {
    let refuse = |why: &str| {
        CliError::failure(format!("{why}; not printing it to this terminal")).with_hint(format!(
            "save it: xeroctl exec raw {id} --out {file}, or pipe it: xeroctl exec raw {id} | less",
            id = shell::arg(id),
            file = shell::arg(&format!("{id}.out"))
        ))
    };
    let too_big = || refuse("the output is larger than 8 MiB");
    if resp.content_length().is_some_and(|n| n > TERMINAL_CAP) {
        return Err(too_big());
    }
    let mut payload = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| failed(e, payload.len() as u64))?
    {
        if (payload.len() + chunk.len()) as u64 > TERMINAL_CAP {
            return Err(too_big());
        }
        payload.extend_from_slice(&chunk);
    }
    if !is_plain_text(&payload) {
        return Err(refuse(
            "the output holds control characters or bytes that are not UTF-8 text, which could drive this terminal",
        ));
    }
    Ok(payload)
}

/// A 409 `execution_not_complete`: point at the exact `watch` command.
async fn not_complete(client: &Client, get: &ApiRequest, err: CliError) -> CliError {
    let invocation = match client.send(get).await {
        Ok(resp) => resp
            .decode::<Execution>()
            .ok()
            .and_then(|e| e.invocation_id),
        Err(_) => None,
    };
    err.restated(err.exit(), err.message()).with_hint(match invocation {
        Some(inv) => format!(
            "the execution is still running: wait with `xeroctl exec watch {}`, then run raw again",
            shell::arg(&inv)
        ),
        None => "the execution is still running: wait with `xeroctl exec watch <invocation-id>`, then run raw again".into(),
    })
}

/// A file written next to its target and renamed into place when complete,
/// so a failed download leaves nothing half-written behind. tempfile's
/// `NamedTempFile` removes the partial file on drop and renames atomically.
struct Download {
    file: tempfile::NamedTempFile,
    target: PathBuf,
    written: u64,
    /// The permission bits of the regular file `target` replaces.
    #[cfg_attr(not(unix), allow(dead_code))]
    keep_mode: Option<u32>,
}

impl Download {
    fn create(target: &Path) -> Result<Download> {
        if target.file_name().is_none() {
            usage_bail!("--out {} is not a file name", target.display());
        }
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| Path::new("."));
        let mut builder = tempfile::Builder::new();
        builder.prefix(".xeroctl-raw-").suffix(".part");
        let keep_mode = existing_mode(target);
        // A new file gets the usual 0666-minus-umask mode, like `curl -o`. One
        // that replaces a file is written 0600, then given that file's mode.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(
            if keep_mode.is_some() { 0o600 } else { 0o666 },
        ));
        let file = builder
            .tempfile_in(dir)
            .map_err(|e| CliError::failure(format!("cannot write {}: {e}", target.display())))?;
        Ok(Download {
            file,
            target: target.to_path_buf(),
            written: 0,
            keep_mode,
        })
    }

    fn write(&mut self, chunk: &[u8]) -> Result<()> {
        self.file.write_all(chunk).map_err(|e| {
            CliError::failure(format!("cannot write {}: {e}", self.target.display()))
        })?;
        self.written += chunk.len() as u64;
        Ok(())
    }

    fn commit(self) -> Result<u64> {
        let failed = |e: &dyn std::fmt::Display| {
            CliError::failure(format!("cannot write {}: {e}", self.target.display()))
        };
        #[cfg(unix)]
        if let Some(mode) = self.keep_mode {
            use std::os::unix::fs::PermissionsExt;
            let perms = std::fs::Permissions::from_mode(mode);
            self.file
                .as_file()
                .set_permissions(perms)
                .map_err(|e| failed(&e))?;
        }
        self.file.as_file().sync_all().map_err(|e| failed(&e))?;
        self.file
            .persist(&self.target)
            .map_err(|e| failed(&e.error))?;
        Ok(self.written)
    }
}

/// The permission bits (never setuid/setgid/sticky) of the regular file at
/// `target`, if there is one: `--out` keeps an existing file's mode.
#[cfg(unix)]
fn existing_mode(target: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::symlink_metadata(target).ok()?;
    meta.is_file().then(|| meta.permissions().mode() & 0o777)
}

#[cfg(not(unix))]
fn existing_mode(_: &Path) -> Option<u32> {
    None
}

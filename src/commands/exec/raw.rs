//! `exec raw <execution-id> [--out FILE]`: the output bytes exactly as the
//! agent returned them, to stdout (guarded on a terminal) or to a file
//! replaced only once the download is complete.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::api::models::Execution;
use crate::api::{self, errors, ApiRequest, Client};
use crate::app::App;
use crate::cli::exec::RawArgs;
use crate::error::CliError;
use crate::output::sanitize::sanitize_line;

pub(super) async fn run(app: &App, args: RawArgs) -> Result<()> {
    let req = api::executions::raw(&args.id)?;
    let client = app.client()?;
    let resp = match client.send_streaming(&req).await {
        Ok(resp) => resp,
        Err(err) if err.api_code() == Some("execution_not_complete") => {
            let get = api::executions::get(&args.id)?;
            return Err(not_complete(&client, &get, err).await.into());
        }
        Err(err) => return Err(err.into()),
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
            let guard_terminal = app.ui.terminal().stdout;
            let mut resp = resp;
            let mut written = 0u64;
            while let Some(chunk) = resp.chunk().await.map_err(|e| failed(e, written))? {
                if guard_terminal && drives_terminal(&chunk) {
                    out.flush()?;
                    return Err(CliError::failure(
                        "the output contains control bytes that could drive this terminal; not printing it",
                    )
                    .with_hint("save it with --out <file>, or pipe it: xeroctl exec raw <id> | less")
                    .into());
                }
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

/// Escape and NUL bytes on a terminal: raw output may be binary or hostile.
fn drives_terminal(chunk: &[u8]) -> bool {
    chunk.iter().any(|&b| b == 0x1b || b == 0x00 || b == 0x9b)
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
            sanitize_line(&inv)
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
        // The finished file gets the usual 0666-minus-umask mode, like `curl -o`.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let file = builder
            .tempfile_in(dir)
            .map_err(|e| CliError::failure(format!("cannot write {}: {e}", target.display())))?;
        Ok(Download {
            file,
            target: target.to_path_buf(),
            written: 0,
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
        self.file.as_file().sync_all().map_err(|e| failed(&e))?;
        self.file
            .persist(&self.target)
            .map_err(|e| failed(&e.error))?;
        Ok(self.written)
    }
}

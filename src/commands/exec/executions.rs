//! `exec list`, `exec show <execution-id>` and `exec raw <execution-id>`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::api::models::Execution;
use crate::api::{errors, ApiRequest, Client};
use crate::app::App;
use crate::cli::exec::{ListArgs, RawArgs, ShowArgs};
use crate::commands::common::{self, ListSpec};
use crate::error::CliError;
use crate::output::sanitize::sanitize_line;
use crate::output::table::{number, plain, status, text, DetailView};
use crate::output::time::{self, DurationStyle};

use super::execution_path;

pub async fn list(app: &App, args: ListArgs) -> Result<()> {
    let client = app.client()?;
    let row = |e: &Execution| {
        vec![
            text(Some(&e.id)),
            text(e.invocation_id.as_deref()),
            status(e.status.as_deref()),
            number(e.exit_code),
            plain(time::absolute(e.created_at.as_deref())),
        ]
    };
    let spec = ListSpec {
        noun: "executions",
        headers: &["ID", "INVOCATION", "STATUS", "EXIT_CODE", "CREATED"],
        row: &row,
    };
    let req = ApiRequest::get("/exec/executions").query("status", args.status.as_deref());
    common::list(app, &client, req, &args.page, spec).await
}

pub async fn show(app: &App, args: ShowArgs) -> Result<()> {
    let path = execution_path(&args.id)?;
    let client = app.client()?;
    let Some(e) = common::fetch_one::<Execution>(app, &client, ApiRequest::get(path)).await? else {
        return Ok(());
    };
    let mut view = DetailView::new(&app.ui);
    view.field("ID", text(Some(&e.id)))
        .field("Invocation", text(e.invocation_id.as_deref()))
        .field("Tool", text(e.tool.as_deref()))
        .field("Workspace", text(e.workspace_id.as_deref()))
        .field("Agent", text(e.agent_id.as_deref()))
        .field("Status", status(e.status.as_deref()))
        .field("Exit code", number(e.exit_code))
        .field(
            "Duration",
            plain(time::duration_ms(e.duration_ms, DurationStyle::Precise)),
        )
        .field("Output size", plain(output_size(e.output_bytes)))
        .field("Created", plain(time::absolute(e.created_at.as_deref())))
        .field(
            "Completed",
            plain(time::absolute(e.completed_at.as_deref())),
        );
    view.print(&app.ui)?;
    if e.status.as_deref() != Some("running") {
        app.ui.hint(&format!(
            "raw output: xeroctl exec raw {}",
            sanitize_line(&e.id)
        ));
    }
    Ok(())
}

/// `5.3 kB (5321 bytes)`: the exact count matters when checking a download.
fn output_size(bytes: Option<u64>) -> String {
    match bytes {
        Some(n) if n >= 1000 => format!("{} ({n} bytes)", time::bytes(Some(n))),
        other => time::bytes(other),
    }
}

pub async fn raw(app: &App, args: RawArgs) -> Result<()> {
    let path = execution_path(&args.id)?;
    let client = app.client()?;
    let req = ApiRequest::get(format!("{path}/raw"));
    let resp = match client.send_streaming(&req).await {
        Ok(resp) => resp,
        Err(err) if err.api_code() == Some("execution_not_complete") => {
            return Err(not_complete(&client, &path, err).await.into())
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
async fn not_complete(client: &Client, path: &str, err: CliError) -> CliError {
    let invocation = match client.send(&ApiRequest::get(path)).await {
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

//! `exec invoke --workspace --tool --args [--wait]`, and what invoke and
//! rerun share: the `--wait` options check and what follows a new invocation.

use std::io::Read;

use anyhow::Result;
use bytes::Bytes;
use serde_json::Value;

use crate::api::invocations::NewInvocation;
use crate::api::models::Invocation;
use crate::api::{self, Client};
use crate::app::App;
use crate::cli::exec::{InvokeArgs, WatchOpts};
use crate::commands::write::{Outcome, Write};
use crate::error::CliError;
use crate::output::sanitize::sanitize_line;
use crate::output::shell;

use super::view::{self, approval_lines, is_terminal};
use super::watch::{self, WatchSettings};

/// `--args` files and stdin larger than this are refused (the router
/// takes kilobytes, not megabytes).
const MAX_ARGS_BYTES: u64 = 8 * 1024 * 1024;

pub(super) async fn run(app: &App, args: InvokeArgs) -> Result<()> {
    check_wait_options(args.wait, &args.watch)?;
    if args.args == "-" && app.ui.terminal().stdin {
        app.ui
            .note("Reading --args JSON from stdin (end with Ctrl+D)…");
    }
    let arguments = read_args(&args.args)?;
    let tool = args.tool.clone();
    let body = NewInvocation {
        workspace_id: args.workspace,
        tool: args.tool,
        arguments,
    };
    let write = Write::new(api::invocations::create(&body));
    let client = app.client()?;
    let sent = write.send::<Invocation>(app, &client).await;
    let Outcome::Sent(answer) = sent.map_err(|e| with_parameters_hint(e, &tool))? else {
        return Ok(());
    };
    let (inv, body) = answer.into_parts();
    started(app, &client, inv, body, args.wait, &args.watch).await
}

/// The router refused the arguments (400 naming `arguments…`): point at
/// the tool's parameter table, by the tool's real name.
fn with_parameters_hint(err: anyhow::Error, tool: &str) -> anyhow::Error {
    let Some(cli) = err.downcast_ref::<CliError>() else {
        return err;
    };
    let rejected = cli.status() == Some(400)
        && matches!(cli.api_code(), Some("invalid_body" | "validation_error"))
        && cli.message().contains("arguments");
    if !rejected {
        return err;
    }
    let hint = format!(
        "see the parameters with: xeroctl exec tool-show {}",
        shell::arg(tool)
    );
    let mut hints = vec![hint];
    hints.extend(cli.hints().iter().cloned());
    cli.restated(cli.exit(), cli.message())
        .with_hints(hints)
        .into()
}

pub(super) fn check_wait_options(wait: bool, opts: &WatchOpts) -> Result<()> {
    if !wait && opts.any() {
        let flag = if opts.interval.is_some() {
            "--interval"
        } else {
            "--timeout"
        };
        return Err(CliError::usage(format!("{flag} only applies with --wait"))
            .with_hint("add --wait, or watch later with `xeroctl exec watch <invocation-id>`")
            .into());
    }
    Ok(())
}

/// After a new invocation: watch it (`--wait`), or print it and say what next.
pub(super) async fn started(
    app: &App,
    client: &Client,
    inv: Invocation,
    body: Bytes,
    wait: bool,
    opts: &WatchOpts,
) -> Result<()> {
    let id = inv.id.clone();
    if wait {
        app.ui.note(&format!(
            "Invocation {} of {} created; watching it (Ctrl+C stops watching, not the run).",
            sanitize_line(&id),
            sanitize_line(inv.tool.as_deref().unwrap_or("the tool"))
        ));
        let settings = WatchSettings::from(opts);
        return watch::watch(app, client, &id, settings, Some((inv, body))).await;
    }
    view::print_or_json(app, &inv, &body)?;
    let status = inv.status.as_deref().unwrap_or("");
    if status == "pending_approval" {
        for line in approval_lines(&inv) {
            app.ui.note(&line);
        }
        app.ui.hint(&format!(
            "then follow it with: xeroctl exec watch {}",
            shell::arg(&id)
        ));
    } else if !is_terminal(status) {
        app.ui.hint(&format!(
            "follow it with: xeroctl exec watch {}",
            shell::arg(&id)
        ));
    }
    Ok(())
}

/// `--args`: inline JSON, `@file`, or `-` for stdin; it must be an object.
fn read_args(spec: &str) -> Result<Value> {
    let (source, bytes) = if spec == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(MAX_ARGS_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| CliError::usage(format!("cannot read --args from stdin: {e}")))?;
        ("stdin".to_string(), buf)
    } else if let Some(path) = spec.strip_prefix('@') {
        if path.is_empty() {
            return Err(
                CliError::usage("--args @ needs a file name, e.g. --args @args.json").into(),
            );
        }
        let file = std::fs::File::open(path)
            .map_err(|e| CliError::usage(format!("cannot read --args file {path}: {e}")))?;
        let mut buf = Vec::new();
        file.take(MAX_ARGS_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| CliError::usage(format!("cannot read --args file {path}: {e}")))?;
        (format!("file {path}"), buf)
    } else {
        ("inline".to_string(), spec.as_bytes().to_vec())
    };
    if bytes.len() as u64 > MAX_ARGS_BYTES {
        return Err(CliError::usage(format!(
            "--args ({source}) is larger than {} MiB",
            MAX_ARGS_BYTES / (1024 * 1024)
        ))
        .into());
    }
    let hint = "give a JSON object, e.g. --args '{\"resource\": \"pods\"}'; `xeroctl exec tool-show <tool>` lists the parameters";
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
        CliError::usage(format!("--args ({source}) is not valid JSON: {e}")).with_hint(hint)
    })?;
    if !value.is_object() {
        let kind = match value {
            Value::Array(_) => "an array",
            Value::String(_) => "a string",
            Value::Number(_) => "a number",
            Value::Bool(_) => "a boolean",
            _ => "null",
        };
        return Err(CliError::usage(format!(
            "--args ({source}) must be a JSON object, got {kind}"
        ))
        .with_hint(hint)
        .into());
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn inline_args_must_be_an_object() {
        assert_eq!(read_args(r#"{"a": [1, 2]}"#).unwrap(), json!({"a": [1, 2]}));
        for bad in ["[1]", "\"x\"", "3", "null", "{", "", "{'a': 1}"] {
            let err = read_args(bad).unwrap_err();
            assert_eq!(
                crate::error::exit_code_of(&err),
                crate::error::ExitCode::Usage,
                "{bad}"
            );
        }
    }

    #[test]
    fn missing_file_is_a_usage_error() {
        let err = read_args("@/nonexistent/args.json").unwrap_err();
        assert_eq!(
            crate::error::exit_code_of(&err),
            crate::error::ExitCode::Usage
        );
        assert!(read_args("@").is_err());
    }

    fn json_value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::btree_map(any::<String>(), inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        /// Any text: never a panic; accepted only as a JSON object, and
        /// refused with a usage error otherwise.
        #[test]
        fn inline_args_are_an_object_or_a_usage_error(text in proptest::prelude::any::<String>()) {
            if text == "-" || text.starts_with('@') {
                return Ok(());
            }
            match read_args(&text) {
                Ok(v) => proptest::prop_assert!(v.is_object()),
                Err(e) => proptest::prop_assert_eq!(
                    crate::error::exit_code_of(&e),
                    crate::error::ExitCode::Usage
                ),
            }
        }

        /// Any JSON value: objects come back unchanged, the rest is refused.
        #[test]
        fn json_values_round_trip_only_as_objects(v in json_value(), pretty in proptest::prelude::any::<bool>()) {
            let text = if pretty {
                serde_json::to_string_pretty(&v).unwrap()
            } else {
                serde_json::to_string(&v).unwrap()
            };
            if text.starts_with('@') || text == "-" {
                return Ok(());
            }
            match read_args(&text) {
                Ok(parsed) => proptest::prop_assert_eq!(parsed, v),
                Err(_) => proptest::prop_assert!(!v.is_object()),
            }
        }
    }
}

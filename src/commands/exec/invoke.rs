//! `exec invoke --workspace --tool --args [--wait]`, and what invoke and
//! rerun share: the `--wait` options check and what follows a new invocation.

use anyhow::Result;
use bytes::Bytes;
use serde_json::Value;

use crate::api::invocations::NewInvocation;
use crate::api::models::{Invocation, Tool};
use crate::api::{self, Client};
use crate::app::App;
use crate::cli::exec::{InvokeArgs, WatchOpts};
use crate::commands::write::{Outcome, Write};
use crate::error::CliError;
use crate::output::sanitize::sanitize_line;
use crate::output::shell;

use super::validate::{self, Checked};
use super::view::{self, approval_lines, is_terminal};
use super::watch::{self, WatchSettings};

/// `--args` files and stdin larger than this are refused (the router
/// takes kilobytes, not megabytes).
const MAX_ARGS_BYTES: u64 = 8 * 1024 * 1024;

pub(super) async fn run(app: &App, args: InvokeArgs) -> Result<()> {
    check_wait_options(args.wait, &args.watch)?;
    let asking = args.tool.is_none() || args.workspace.is_none() || args.args.is_none();
    if asking && !app.can_prompt() {
        return Err(missing_flags(&args).into());
    }
    let given_args = match &args.args {
        Some(spec) => {
            if spec == "-" && app.ui.terminal().stdin {
                app.ui
                    .note("Reading --args JSON from stdin (end with Ctrl+D)…");
            }
            Some(read_args(spec)?)
        }
        None => None,
    };
    let client = app.client()?;
    let (workspace, tool, arguments) = if asking {
        let asked = super::ask::ask(app, &client, &args, given_args).await?;
        app.ui.note(&format!(
            "Equivalent command: {}",
            equivalent_command(app, &args, &asked)
        ));
        (asked.workspace, asked.tool.name, asked.arguments)
    } else {
        let tool = args.tool.clone().unwrap_or_default();
        if !args.no_validate {
            let descriptor: Tool = client.send(&api::tools::get(&tool)?).await?.decode()?;
            check_arguments(
                app,
                &descriptor,
                given_args.as_ref().unwrap_or(&Value::Null),
            )?;
        }
        let workspace = args.workspace.clone().unwrap_or_default();
        (workspace, tool, given_args.unwrap_or(Value::Null))
    };
    let body = NewInvocation {
        workspace_id: workspace,
        tool: tool.clone(),
        arguments,
    };
    let write = Write::new(api::invocations::create(&body));
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

/// With no terminal to ask on, a missing flag is a usage error, worded
/// like clap's own.
fn missing_flags(args: &InvokeArgs) -> CliError {
    let mut missing = Vec::new();
    if args.workspace.is_none() {
        missing.push("--workspace <WS_ID>");
    }
    if args.tool.is_none() {
        missing.push("--tool <NAME>");
    }
    if args.args.is_none() {
        missing.push("--args <JSON>");
    }
    CliError::usage(format!(
        "the following required arguments were not provided: {}",
        missing.join(", ")
    ))
    .with_hint("see `xeroctl exec invoke --help` (on a terminal, missing values are asked for)")
}

/// `--args` against the tool's schema: exit 2 listing every violation; a
/// schema the validator cannot compile is a warning, and the run goes on.
pub(super) fn check_arguments(app: &App, tool: &Tool, arguments: &Value) -> Result<()> {
    match validate::check(&tool.parameters, arguments) {
        Checked::Valid => Ok(()),
        Checked::Uncompilable(why) => {
            app.ui.warn(&format!(
                "the parameter schema of tool {} cannot be checked ({why}); sending the arguments unchecked",
                sanitize_line(&tool.name)
            ));
            Ok(())
        }
        Checked::Invalid(problems) => Err(CliError::usage(format!(
            "--args does not fit the parameters of tool {}: {}",
            sanitize_line(&tool.name),
            problems.join("; ")
        ))
        .with_hint(format!(
            "see the parameters with `xeroctl exec tool-show {}`; nothing was sent (--no-validate skips this check)",
            shell::arg(&tool.name)
        ))
        .into()),
    }
}

/// The one-line command that does what the prompts gathered.
fn equivalent_command(app: &App, args: &InvokeArgs, asked: &super::ask::Asked) -> String {
    let mut words = vec!["xeroctl".to_string()];
    if let Some(context) = &app.global.context {
        words.extend(["--context".into(), shell::arg(context)]);
    }
    let arguments = serde_json::to_string(&asked.arguments).unwrap_or_default();
    words.extend([
        "exec".into(),
        "invoke".into(),
        "--workspace".into(),
        shell::arg(&asked.workspace),
        "--tool".into(),
        shell::arg(&asked.tool.name),
        "--args".into(),
        shell::arg(&arguments),
    ]);
    if args.no_validate {
        words.push("--no-validate".into());
    }
    if args.wait {
        words.push("--wait".into());
    }
    if let Some(secs) = args.watch.interval {
        words.extend(["--interval".into(), secs.to_string()]);
    }
    if let Some(secs) = args.watch.timeout {
        words.extend(["--timeout".into(), secs.to_string()]);
    }
    words.join(" ")
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
pub(super) fn read_args(spec: &str) -> Result<Value> {
    let (source, bytes) =
        crate::commands::text_input::read_bytes("--args", spec, MAX_ARGS_BYTES, "args.json")?;
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

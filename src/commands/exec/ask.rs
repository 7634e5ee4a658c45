//! `exec invoke` on a terminal with `--tool`, `--workspace` or `--args`
//! missing: ask for them (a fuzzy pick of the tool, the workspace id, then
//! each parameter of the tool's schema). Ctrl+C at any step ends the run
//! (exit 130) with nothing sent.

use anyhow::Result;
use dialoguer::{Confirm, FuzzySelect, Input, Select};
use serde_json::{Map, Value};

use crate::api::models::Tool;
use crate::api::{self, Client, Pager};
use crate::app::App;
use crate::cli::exec::InvokeArgs;
use crate::commands::common::prompt;
use crate::error::CliError;
use crate::output::sanitize::sanitize_line;

/// What the prompts (and the flags given) settled.
pub(super) struct Asked {
    pub tool: Tool,
    pub workspace: String,
    pub arguments: Value,
}

pub(super) async fn ask(
    app: &App,
    client: &Client,
    args: &InvokeArgs,
    given_args: Option<Value>,
) -> Result<Asked> {
    let name = match &args.tool {
        Some(name) => name.clone(),
        None => pick_tool(client).await?,
    };
    // One GET of the tool: its schema drives the prompts and the check.
    let tool: Tool = client.send(&api::tools::get(&name)?).await?.decode()?;
    let workspace = match &args.workspace {
        Some(ws) => ws.clone(),
        None => prompt(
            Input::<String>::new()
                .with_prompt("Workspace id (ws_…)")
                .validate_with(|v: &String| crate::cli::parse_workspace(v).map(|_| ()))
                .interact_text(),
        )?
        .trim()
        .to_string(),
    };
    let arguments = match given_args {
        Some(v) => v,
        None => ask_parameters(&tool.parameters)?,
    };
    if !args.no_validate {
        super::invoke::check_arguments(app, &tool, &arguments)?;
    }
    Ok(Asked {
        tool,
        workspace,
        arguments,
    })
}

/// Every tool (all pages), picked by typing part of its name.
async fn pick_tool(client: &Client) -> Result<String> {
    let mut tools: Vec<Tool> = Vec::new();
    let mut pager = Pager::new(client, api::tools::list(), Some(100), None, true);
    while let Some(page) = pager.next_page::<Tool>().await? {
        tools.extend(page.data);
    }
    if tools.is_empty() {
        return Err(CliError::failure("no tools are available to invoke")
            .with_hint("`xeroctl exec tools` lists them once an agent's XEM manifest declares some")
            .into());
    }
    let width = tools
        .iter()
        .map(|t| t.name.chars().count())
        .max()
        .unwrap_or(0);
    let items: Vec<String> = tools
        .iter()
        .map(|t| {
            let line = format!(
                "{:width$}  {:12}  {}",
                t.name,
                t.risk.as_deref().unwrap_or("-"),
                t.description.as_deref().unwrap_or("")
            );
            sanitize_line(&line).into_owned()
        })
        .collect();
    let picked = prompt(
        FuzzySelect::new()
            .with_prompt("Tool (type to filter)")
            .items(&items)
            .default(0)
            .interact_opt(),
    )?;
    match picked {
        Some(i) => Ok(tools[i].name.clone()),
        None => Err(CliError::usage("aborted: no tool was picked").into()),
    }
}

/// One prompt per parameter of an object schema; anything else is asked
/// for as one JSON object.
fn ask_parameters(schema: &Value) -> Result<Value> {
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        if schema.is_null() || schema.get("type").and_then(Value::as_str) == Some("object") {
            return Ok(Value::Object(Map::new()));
        }
        return ask_json("Arguments (a JSON object)", true, Some("object"));
    };
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut arguments = Map::new();
    for (name, prop) in props {
        let is_required = required.contains(&name.as_str());
        if let Some(value) = ask_parameter(name, prop, is_required)? {
            arguments.insert(name.clone(), value);
        }
    }
    Ok(Value::Object(arguments))
}

fn ask_parameter(name: &str, prop: &Value, required: bool) -> Result<Option<Value>> {
    let ty = prop.get("type").and_then(Value::as_str).unwrap_or("");
    let default = prop.get("default");
    let mut label = sanitize_line(name).into_owned();
    // A yes/no question and a pick list have no empty answer to skip with.
    let skippable = !required && ty != "boolean" && prop.get("enum").is_none();
    if !ty.is_empty() {
        label.push_str(&format!(" ({ty}"));
        label.push_str(if skippable {
            ", optional: Enter skips)"
        } else {
            ")"
        });
    } else if skippable {
        label.push_str(" (optional: Enter skips)");
    }
    if let Some(d) = prop.get("description").and_then(Value::as_str) {
        label.push_str(&format!(" - {}", sanitize_line(d)));
    }
    if let Some(options) = prop.get("enum").and_then(Value::as_array) {
        return ask_enum(&label, options, default, required);
    }
    match ty {
        "boolean" => {
            let answer = prompt(
                Confirm::new()
                    .with_prompt(&label)
                    .default(default.and_then(Value::as_bool).unwrap_or(false))
                    .interact(),
            )?;
            Ok(Some(Value::Bool(answer)))
        }
        "integer" | "number" | "string" => {
            let integer = ty == "integer";
            let number = ty == "number";
            let mut input = Input::<String>::new()
                .with_prompt(&label)
                .allow_empty(!required || default.is_some());
            if let Some(d) = default {
                let shown = d
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| d.to_string());
                input = input.with_initial_text(shown);
            }
            let text = prompt(
                input
                    .validate_with(move |v: &String| -> Result<(), String> {
                        let v = v.trim();
                        if v.is_empty() {
                            return Ok(());
                        }
                        if integer && v.parse::<i64>().is_err() {
                            return Err(format!("'{v}' is not a whole number"));
                        }
                        if number && v.parse::<f64>().map_or(true, |n| !n.is_finite()) {
                            return Err(format!("'{v}' is not a number"));
                        }
                        Ok(())
                    })
                    .interact_text(),
            )?;
            let text = if ty == "string" {
                text
            } else {
                text.trim().to_string()
            };
            if text.is_empty() {
                // Optional: skipped. Required with a default: the default.
                return Ok(if required { default.cloned() } else { None });
            }
            Ok(Some(match ty {
                "integer" => Value::from(text.parse::<i64>().unwrap_or_default()),
                "number" => serde_json::Number::from_f64(text.parse().unwrap_or_default())
                    .map_or(Value::Null, Value::Number),
                _ => Value::String(text),
            }))
        }
        other => {
            let kind = match other {
                "object" => Some("object"),
                "array" => Some("array"),
                _ => None,
            };
            let label = format!("{label} [JSON]");
            match ask_json(&label, required, kind)? {
                Value::Null if !required => Ok(None),
                v => Ok(Some(v)),
            }
        }
    }
}

fn ask_enum(
    label: &str,
    options: &[Value],
    default: Option<&Value>,
    required: bool,
) -> Result<Option<Value>> {
    let mut items: Vec<String> = options
        .iter()
        .map(|o| {
            sanitize_line(
                &o.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| o.to_string()),
            )
            .into_owned()
        })
        .collect();
    if !required {
        items.push("(skip)".into());
    }
    let start = default
        .and_then(|d| options.iter().position(|o| o == d))
        .unwrap_or(0);
    let picked = prompt(
        Select::new()
            .with_prompt(label)
            .items(&items)
            .default(start)
            .interact(),
    )?;
    Ok(options.get(picked).cloned())
}

/// A JSON value typed on one line, of the given kind when one is named;
/// empty (when allowed) is `null`.
fn ask_json(label: &str, required: bool, kind: Option<&'static str>) -> Result<Value> {
    let text = prompt(
        Input::<String>::new()
            .with_prompt(label)
            .allow_empty(!required)
            .validate_with(move |v: &String| -> Result<(), String> {
                if v.trim().is_empty() {
                    return Ok(());
                }
                let value: Value =
                    serde_json::from_str(v).map_err(|e| format!("not valid JSON: {e}"))?;
                match kind {
                    Some("object") if !value.is_object() => Err("must be a JSON object".into()),
                    Some("array") if !value.is_array() => Err("must be a JSON array".into()),
                    _ => Ok(()),
                }
            })
            .interact_text(),
    )?;
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    Ok(serde_json::from_str(&text)?)
}

//! `exec agent <id> --manifest | --environment | --connectivity`: an XEM
//! agent's self-description as a key/value view.

use anyhow::Result;
use serde_json::Value;

use crate::api::agent_views::{self, AgentView};
use crate::app::App;
use crate::cli::exec::AgentArgs;
use crate::commands::common;
use crate::output::sanitize::sanitize_line;
use crate::output::table::{text, DetailView};

pub(super) async fn run(app: &App, args: AgentArgs) -> Result<()> {
    let view = if args.manifest {
        AgentView::Manifest
    } else if args.environment {
        AgentView::Environment
    } else {
        AgentView::Connectivity
    };
    let request = agent_views::get(&args.id, view)?;
    let client = app.client()?;
    let Some(value) = common::fetch_one::<Value>(app, &client, request).await? else {
        return Ok(());
    };
    let rows = flatten(&value);
    if rows.is_empty() {
        app.ui
            .note(&format!("The agent's {} is empty.", view.name()));
        return Ok(());
    }
    let mut detail = DetailView::new(&app.ui);
    for (key, value) in &rows {
        detail.field(&sanitize_line(key), text(value.as_deref()));
    }
    detail.print(&app.ui)?;
    Ok(())
}

/// Key/value rows: nested objects as `parent.child`, arrays of scalars as
/// a comma list, other arrays as compact JSON, null as missing.
fn flatten(value: &Value) -> Vec<(String, Option<String>)> {
    let mut rows = Vec::new();
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                flatten_into(key.clone(), v, &mut rows);
            }
        }
        other => flatten_into("value".into(), other, &mut rows),
    }
    rows
}

fn flatten_into(key: String, value: &Value, rows: &mut Vec<(String, Option<String>)>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (child, v) in map {
                flatten_into(format!("{key}.{child}"), v, rows);
            }
        }
        Value::Object(_) => rows.push((key, None)),
        Value::Array(items) if items.iter().all(is_scalar) => {
            let list: Vec<String> = items.iter().filter_map(scalar).collect();
            rows.push((key, Some(list.join(", ")).filter(|s| !s.is_empty())));
        }
        Value::Array(_) => rows.push((key, Some(value.to_string()))),
        other => rows.push((key, scalar(other))),
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_objects_and_arrays_flatten_readably() {
        let rows = flatten(&json!({
            "agent_id": "agt_1", "protocol_version": 3, "gpu": null,
            "cpu": {"model": "EPYC", "cores": 48, "flags": {}},
            "workspaces": ["ws_a", "ws_b"], "tools": [],
            "checks": [{"name": "tls", "ok": true}],
            "tls": {"verified": true}
        }));
        let get = |k: &str| {
            rows.iter()
                .find(|(key, _)| key == k)
                .unwrap_or_else(|| panic!("no {k}: {rows:?}"))
                .1
                .clone()
        };
        assert_eq!(get("agent_id").as_deref(), Some("agt_1"));
        assert_eq!(get("protocol_version").as_deref(), Some("3"));
        assert_eq!(get("gpu"), None);
        assert_eq!(get("cpu.model").as_deref(), Some("EPYC"));
        assert_eq!(get("cpu.cores").as_deref(), Some("48"));
        assert_eq!(get("cpu.flags"), None);
        assert_eq!(get("workspaces").as_deref(), Some("ws_a, ws_b"));
        assert_eq!(get("tools"), None);
        assert_eq!(
            get("checks").as_deref(),
            Some(r#"[{"name":"tls","ok":true}]"#)
        );
        assert_eq!(get("tls.verified").as_deref(), Some("true"));
        assert_eq!(rows[0].0, "agent_id", "order is kept");
    }

    #[test]
    fn non_object_bodies_still_render() {
        assert_eq!(
            flatten(&json!("ok")),
            vec![("value".into(), Some("ok".into()))]
        );
        assert_eq!(
            flatten(&json!([1, 2])),
            vec![("value".into(), Some("1, 2".into()))]
        );
    }
}

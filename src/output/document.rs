//! The non-table renderings of a result: the document `-o json` prints, and
//! the same document as YAML (`-o yaml`), as ids (`-o name`) or through a
//! `--jq` program. One place decides, so every command gets every format.

use std::io::Write;

use anyhow::Result;
use serde_json::Value;

use super::jq::JqFilter;
use super::json;
use super::sanitize::{sanitize_line, sanitize_multiline};

/// How a document is written.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Rendering<'a> {
    Json,
    Yaml,
    Name,
    Jq(&'a JqFilter),
}

impl Rendering<'_> {
    /// One whole document (an object, a list envelope, a dry run).
    pub fn document(self, out: &mut dyn Write, body: &[u8]) -> Result<()> {
        match self {
            Rendering::Json => json::write_pretty(&mut &mut *out, body),
            Rendering::Jq(filter) => filter.run(checked(body)?, out),
            Rendering::Yaml => write_yaml(out, &parse(body)?),
            Rendering::Name => {
                let value = parse(body)?;
                match value.get("data").and_then(Value::as_array) {
                    Some(items) => items.iter().try_for_each(|item| write_name(out, item)),
                    None => write_line(out, document_name(&value)),
                }
            }
        }
    }

    /// One object of a stream (`exec stream`, `approvals watch`): JSON on
    /// one line, a YAML document each, its id, or the program's results.
    pub fn stream_object(self, out: &mut dyn Write, raw: &str) -> Result<()> {
        match self {
            Rendering::Json => {
                let line = json::compact_line(raw)
                    .ok_or_else(|| anyhow::anyhow!("a stream update is not one JSON object"))?;
                out.write_all(&line)?;
                out.write_all(b"\n")?;
                Ok(())
            }
            Rendering::Yaml => {
                out.write_all(b"---\n")?;
                write_yaml(out, &parse(raw.as_bytes())?)
            }
            Rendering::Name => write_name(out, &parse(raw.as_bytes())?),
            Rendering::Jq(filter) => filter.run(checked(raw.as_bytes())?, out),
        }
    }
}

/// JSON text is UTF-8 (RFC 8259): refuse bytes that are not, as `-o json`
/// does. No copy: with `--all` the body is the whole merged list.
fn checked(body: &[u8]) -> Result<&[u8]> {
    std::str::from_utf8(body).map_err(|e| {
        anyhow::anyhow!(
            "the response is not valid JSON: not UTF-8 at byte {}",
            e.valid_up_to()
        )
    })?;
    Ok(body)
}

fn parse(body: &[u8]) -> Result<Value> {
    serde_json::from_slice(checked(body)?)
        .map_err(|e| anyhow::anyhow!("the response is not valid JSON: {e}"))
}

/// `-o name` for a list item or a stream object: its id, or its name
/// where it has none (tools).
fn write_name(out: &mut dyn Write, item: &Value) -> Result<()> {
    write_line(out, field(item, "id").or_else(|| field(item, "name")))
}

/// `-o name` for one object shown on its own: its id or name, else the id
/// of what it describes: an agent's manifest, environment or connectivity
/// and a key rotation name `agent_id`, a workspace's context document
/// `workspace_id`.
fn document_name(value: &Value) -> Option<&str> {
    ["id", "name", "agent_id", "workspace_id"]
        .into_iter()
        .find_map(|key| field(value, key))
}

fn field<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value.get(key).and_then(Value::as_str)
}

fn write_line(out: &mut dyn Write, name: Option<&str>) -> Result<()> {
    if let Some(name) = name {
        writeln!(out, "{}", sanitize_line(name))?;
    }
    Ok(())
}

/// `-o yaml`: serde_yaml_ng escapes C0/C1 controls itself; bidi controls
/// and the like are printable to YAML, so strings are cleaned first (the
/// same rule as every string a terminal sees).
fn write_yaml(out: &mut dyn Write, value: &Value) -> Result<()> {
    let clean = clean_strings(value.clone());
    serde_yaml_ng::to_writer(out, &clean)
        .map_err(|e| anyhow::anyhow!("could not write YAML: {e}"))?;
    Ok(())
}

fn clean_strings(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(sanitize_multiline(&s).into_owned()),
        Value::Array(items) => Value::Array(items.into_iter().map(clean_strings).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (sanitize_line(&k).into_owned(), clean_strings(v)))
                .collect(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(r: Rendering<'_>, body: &str) -> String {
        let mut out = Vec::new();
        r.document(&mut out, body.as_bytes()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn yaml_keeps_key_order_and_cleans_strings() {
        let body = r#"{"object":"list","data":[{"id":"agt_1","name":"a\u202eb","n":3,"z":null}],"has_more":false}"#;
        assert_eq!(
            render(Rendering::Yaml, body),
            "object: list\ndata:\n- id: agt_1\n  name: ab\n  n: 3\n  z: null\nhas_more: false\n"
        );
    }

    #[test]
    fn names_are_ids_or_tool_names() {
        let list = r#"{"object":"list","data":[{"id":"a"},{"name":"kubectl_get"},{"x":1}]}"#;
        assert_eq!(render(Rendering::Name, list), "a\nkubectl_get\n");
        assert_eq!(render(Rendering::Name, r#"{"id":"agt_9"}"#), "agt_9\n");
        // A document about another object names that object.
        let manifest =
            r#"{"object":"exec.agent.manifest","agent_id":"agt_7","workspaces":["ws_1"]}"#;
        assert_eq!(render(Rendering::Name, manifest), "agt_7\n");
        let context = r#"{"object":"exec.context","workspace_id":"ws_1","content":""}"#;
        assert_eq!(render(Rendering::Name, context), "ws_1\n");
        // A list item has its own id or nothing: never a parent's id.
        let events = r#"{"data":[{"agent_id":"agt_7"},{"id":"evt_2","agent_id":"agt_7"}]}"#;
        assert_eq!(render(Rendering::Name, events), "evt_2\n");
    }

    #[test]
    fn stream_objects_one_per_line_or_document() {
        let mut out = Vec::new();
        Rendering::Json
            .stream_object(&mut out, "{\n \"id\": \"e1\", \"s\": 1\n}")
            .unwrap();
        Rendering::Yaml
            .stream_object(&mut out, r#"{"id":"e2"}"#)
            .unwrap();
        Rendering::Name
            .stream_object(&mut out, r#"{"id":"e3"}"#)
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"id\":\"e1\",\"s\":1}\n---\nid: e2\ne3\n"
        );
    }
}

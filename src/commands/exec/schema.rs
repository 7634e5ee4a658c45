//! A tool's parameter JSON Schema as rows of a table: one row per
//! property, nested objects flattened as `parent.child` (and array items
//! as `parent[].child`), so the shape of `--args` can be read at a glance.

use serde_json::{Map, Value};

/// Nesting deeper than this is summarised, not expanded.
const MAX_DEPTH: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamRow {
    pub name: String,
    pub ty: String,
    pub required: bool,
    pub description: Option<String>,
    /// `one of: a, b; default: x; min 0`
    pub details: Option<String>,
}

/// The rows for a schema whose top level is an object with `properties`.
/// `None` when the schema has no such shape (then it is shown as JSON).
pub fn param_rows(schema: &Value) -> Option<Vec<ParamRow>> {
    let props = schema.get("properties")?.as_object()?;
    let mut rows = Vec::new();
    push_rows(props, required_of(schema), "", 0, &mut rows);
    Some(rows)
}

fn required_of(schema: &Value) -> Vec<&str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn push_rows(
    props: &Map<String, Value>,
    required: Vec<&str>,
    prefix: &str,
    depth: usize,
    rows: &mut Vec<ParamRow>,
) {
    for (name, prop) in props {
        let full = format!("{prefix}{name}");
        rows.push(ParamRow {
            name: full.clone(),
            ty: type_of(prop),
            required: required.contains(&name.as_str()),
            description: prop
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned),
            details: details_of(prop),
        });
        if depth + 1 >= MAX_DEPTH {
            continue;
        }
        if let Some(nested) = prop.get("properties").and_then(Value::as_object) {
            push_rows(
                nested,
                required_of(prop),
                &format!("{full}."),
                depth + 1,
                rows,
            );
        } else if let Some(items) = prop.get("items") {
            if let Some(nested) = items.get("properties").and_then(Value::as_object) {
                push_rows(
                    nested,
                    required_of(items),
                    &format!("{full}[]."),
                    depth + 1,
                    rows,
                );
            }
        }
    }
}

/// `string`, `integer`, `array<string>`, `string|null`, `enum`, …
fn type_of(prop: &Value) -> String {
    match prop.get("type") {
        Some(Value::String(t)) if t == "array" => match prop.get("items") {
            Some(items) if items.is_object() => format!("array<{}>", type_of(items)),
            _ => "array".into(),
        },
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(types)) => {
            let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
            if names.is_empty() {
                "any".into()
            } else {
                names.join("|")
            }
        }
        _ => {
            for key in ["anyOf", "oneOf"] {
                if let Some(variants) = prop.get(key).and_then(Value::as_array) {
                    return variants.iter().map(type_of).collect::<Vec<_>>().join("|");
                }
            }
            if let Some(reference) = prop.get("$ref").and_then(Value::as_str) {
                return reference
                    .rsplit('/')
                    .next()
                    .unwrap_or(reference)
                    .to_string();
            }
            if prop.get("enum").is_some() {
                return "enum".into();
            }
            if prop.get("properties").is_some() {
                return "object".into();
            }
            "any".into()
        }
    }
}

fn details_of(prop: &Value) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(values) = prop.get("enum").and_then(Value::as_array) {
        let list: Vec<String> = values.iter().map(scalar).collect();
        parts.push(format!("one of: {}", list.join(", ")));
    }
    if let Some(value) = prop.get("const") {
        parts.push(format!("always: {}", scalar(value)));
    }
    if let Some(value) = prop.get("default") {
        parts.push(format!("default: {}", scalar(value)));
    }
    if let Some(format) = prop.get("format").and_then(Value::as_str) {
        parts.push(format!("format: {format}"));
    }
    for (key, label) in [
        ("minimum", "min"),
        ("maximum", "max"),
        ("minLength", "min length"),
        ("maxLength", "max length"),
        ("minItems", "min items"),
        ("maxItems", "max items"),
    ] {
        if let Some(value) = prop.get(key) {
            parts.push(format!("{label} {}", scalar(value)));
        }
    }
    if let Some(pattern) = prop.get("pattern").and_then(Value::as_str) {
        parts.push(format!("pattern: {pattern}"));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// Strings bare, everything else as compact JSON.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(rows: &[ParamRow], name: &str) -> ParamRow {
        rows.iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("no row {name}: {rows:?}"))
            .clone()
    }

    #[test]
    fn flat_properties_keep_order_and_required() {
        let schema = json!({"type": "object", "properties": {
            "resource": {"type": "string", "description": "Resource kind"},
            "output": {"type": "string", "enum": ["table", "wide"], "default": "table"},
            "port": {"type": "integer", "minimum": 1, "maximum": 65535}
        }, "required": ["resource"]});
        let rows = param_rows(&schema).unwrap();
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["resource", "output", "port"]);
        assert!(rows[0].required && !rows[1].required);
        assert_eq!(rows[0].description.as_deref(), Some("Resource kind"));
        assert_eq!(
            rows[1].details.as_deref(),
            Some("one of: table, wide; default: table")
        );
        assert_eq!(rows[2].details.as_deref(), Some("min 1; max 65535"));
    }

    #[test]
    fn nested_objects_and_array_items_are_flattened() {
        let schema = json!({"type": "object", "properties": {
            "labels": {"type": "object", "properties": {
                "app": {"type": "string"},
                "tier": {"type": "string", "enum": ["frontend", "backend"]}
            }, "required": ["app"]},
            "targets": {"type": "array", "items": {"type": "object", "properties": {
                "host": {"type": "string"}
            }}},
            "tags": {"type": "array", "items": {"type": "string"}},
            "maybe": {"type": ["string", "null"], "default": null}
        }});
        let rows = param_rows(&schema).unwrap();
        assert_eq!(row(&rows, "labels").ty, "object");
        assert!(row(&rows, "labels.app").required);
        assert_eq!(
            row(&rows, "labels.tier").details.as_deref(),
            Some("one of: frontend, backend")
        );
        assert_eq!(row(&rows, "targets").ty, "array<object>");
        assert_eq!(row(&rows, "targets[].host").ty, "string");
        assert_eq!(row(&rows, "tags").ty, "array<string>");
        assert_eq!(row(&rows, "maybe").ty, "string|null");
        assert_eq!(
            row(&rows, "maybe").details.as_deref(),
            Some("default: null")
        );
    }

    #[test]
    fn odd_schemas_do_not_panic() {
        assert!(param_rows(&json!(null)).is_none());
        assert!(param_rows(&json!({"type": "object"})).is_none());
        assert!(param_rows(&json!({"properties": []})).is_none());
        let rows = param_rows(&json!({"properties": {
            "a": true, "b": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
            "c": {"$ref": "#/definitions/Thing"}, "d": {"enum": [1, 2]}
        }, "required": "a"}))
        .unwrap();
        assert_eq!(row(&rows, "a").ty, "any");
        assert_eq!(row(&rows, "b").ty, "string|integer");
        assert_eq!(row(&rows, "c").ty, "Thing");
        assert_eq!(row(&rows, "d").ty, "enum");
        // Deep nesting stops expanding instead of recursing without end.
        let mut deep = json!({"type": "string"});
        for _ in 0..50 {
            deep = json!({"type": "object", "properties": {"x": deep}});
        }
        let rows = param_rows(&deep).unwrap();
        assert!(rows.len() <= MAX_DEPTH, "{}", rows.len());
    }
}

//! `exec invoke --args` checked against the tool's parameter schema (JSON
//! Schema, by the `jsonschema` crate) before anything is sent.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::LocationSegment;
use serde_json::Value;

use crate::output::sanitize::sanitize_line;

/// What checking the arguments found.
#[derive(Debug, PartialEq, Eq)]
pub enum Checked {
    /// The arguments fit the schema (or the tool has none).
    Valid,
    /// Each violation as `arguments.<path>: <what is wrong>`.
    Invalid(Vec<String>),
    /// The schema could not be compiled: the reason (the caller warns and
    /// sends unchecked).
    Uncompilable(String),
}

/// Check `arguments` against `schema` (a tool's `parameters`).
pub fn check(schema: &Value, arguments: &Value) -> Checked {
    if schema.is_null() {
        return Checked::Valid;
    }
    let validator = match jsonschema::validator_for(schema) {
        Ok(v) => v,
        Err(e) => return Checked::Uncompilable(sanitize_line(&e.to_string()).into_owned()),
    };
    let mut problems: Vec<String> = validator
        .iter_errors(arguments)
        .map(|e| {
            let mut path = path_of(e.instance_path().iter());
            let what = match e.kind() {
                ValidationErrorKind::Required { property } => {
                    path.push_str(&segment(property.as_str().unwrap_or("?")));
                    "is required".to_string()
                }
                ValidationErrorKind::AdditionalProperties { unexpected } => {
                    let names: Vec<String> = unexpected.iter().map(|n| quote(n)).collect();
                    format!("has unknown parameter(s) {}", names.join(", "))
                }
                kind => describe(kind).unwrap_or_else(|| e.to_string()),
            };
            sanitize_line(&format!("{path}: {what}")).into_owned()
        })
        .collect();
    problems.dedup();
    if problems.is_empty() {
        Checked::Valid
    } else {
        Checked::Invalid(problems)
    }
}

/// `arguments.spec.replicas`, `arguments.nodes[2]`, `arguments["a b"]`.
fn path_of<'a>(segments: impl Iterator<Item = LocationSegment<'a>>) -> String {
    let mut path = String::from("arguments");
    for s in segments {
        match s {
            LocationSegment::Property(name) => path.push_str(&segment(&name)),
            LocationSegment::Index(i) => path.push_str(&format!("[{i}]")),
        }
    }
    path
}

fn segment(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        format!(".{name}")
    } else {
        format!("[{}]", quote(name))
    }
}

fn quote(name: &str) -> String {
    serde_json::to_string(name).unwrap_or_default()
}

fn limit(v: &Value) -> String {
    crate::output::redact::shorten(&v.to_string(), 60)
}

fn describe(kind: &ValidationErrorKind) -> Option<String> {
    use ValidationErrorKind as K;
    Some(match kind {
        K::Type { kind } => match kind {
            TypeKind::Single(t) => format!("must be of type {t}"),
            TypeKind::Multiple(set) => {
                let names: Vec<String> = set.iter().map(|t| t.to_string()).collect();
                format!("must be of type {}", names.join(" or "))
            }
        },
        K::Minimum { limit: l } => format!("must be >= {}", limit(l)),
        K::Maximum { limit: l } => format!("must be <= {}", limit(l)),
        K::ExclusiveMinimum { limit: l } => format!("must be > {}", limit(l)),
        K::ExclusiveMaximum { limit: l } => format!("must be < {}", limit(l)),
        K::Enum { options } => match options.as_array() {
            Some(values) => {
                let values: Vec<String> = values.iter().map(limit).collect();
                format!("must be one of {}", values.join(", "))
            }
            None => format!("must be one of {}", limit(options)),
        },
        K::Constant { expected_value } => format!("must be {}", limit(expected_value)),
        K::MinLength { limit } => format!("must be at least {limit} characters long"),
        K::MaxLength { limit } => format!("must be at most {limit} characters long"),
        K::MinItems { limit } => format!("must have at least {limit} items"),
        K::MaxItems { limit } => format!("must have at most {limit} items"),
        K::Pattern { pattern } => format!(
            "must match the pattern {}",
            crate::output::redact::shorten(pattern, 60)
        ),
        K::UniqueItems => "must not repeat items".to_string(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({
            "type": "object",
            "required": ["deployment", "replicas"],
            "additionalProperties": false,
            "properties": {
                "deployment": {"type": "string"},
                "replicas": {"type": "integer", "minimum": 1},
                "mode": {"enum": ["fast", "safe"]},
                "spec": {"type": "object", "properties": {"max surge": {"type": "integer", "maximum": 5}}},
                "nodes": {"type": "array", "items": {"type": "string"}}
            }
        })
    }

    fn problems(args: Value) -> Vec<String> {
        match check(&schema(), &args) {
            Checked::Invalid(p) => p,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn valid_arguments_pass() {
        assert_eq!(
            check(&schema(), &json!({"deployment": "web", "replicas": 2})),
            Checked::Valid
        );
        assert_eq!(check(&Value::Null, &json!({"x": 1})), Checked::Valid);
    }

    #[test]
    fn every_violation_has_its_path() {
        let mut got = problems(json!({
            "replicas": 0, "mode": "slow", "spec": {"max surge": 9}, "nodes": ["a", 3], "extra": 1
        }));
        got.sort();
        assert_eq!(
            got,
            [
                "arguments.deployment: is required",
                "arguments.mode: must be one of \"fast\", \"safe\"",
                "arguments.nodes[1]: must be of type string",
                "arguments.replicas: must be >= 1",
                "arguments.spec[\"max surge\"]: must be <= 5",
                "arguments: has unknown parameter(s) \"extra\"",
            ]
        );
    }

    #[test]
    fn a_broken_schema_is_reported_not_applied() {
        let got = check(&json!({"type": "no-such-type"}), &json!({}));
        assert!(matches!(got, Checked::Uncompilable(_)), "{got:?}");
    }
}

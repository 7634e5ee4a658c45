//! A small JSON Schema validator covering what tool parameter schemas use:
//! `type`, `properties`, `required`, `enum`, `minimum`/`maximum`, `items`,
//! `additionalProperties: false`.

use serde_json::Value;

use crate::error::ApiError;

/// Validates `value` against `schema`; `path` names the value in errors
/// (e.g. `arguments`). The error is a 400 `invalid_body` whose `param` names
/// the offending field (e.g. `arguments.replicas`).
pub fn validate(schema: &Value, value: &Value, path: &str) -> Result<(), ApiError> {
    let fail = |msg: String| Err(ApiError::invalid_body(msg).with_param(path));
    if let Some(ty) = schema.get("type").and_then(Value::as_str) {
        if !type_matches(ty, value) {
            return fail(format!(
                "{path} must be of type {ty}, got {}",
                type_name(value)
            ));
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            let list: Vec<String> = options.iter().map(|o| o.to_string()).collect();
            return fail(format!("{path} must be one of {}", list.join(", ")));
        }
    }
    if let Some(n) = value.as_f64() {
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
            if n < min {
                return fail(format!("{path} must be >= {min}"));
            }
        }
        if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
            if n > max {
                return fail(format!("{path} must be <= {max}"));
            }
        }
    }
    if let Some(obj) = value.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            for name in required.iter().filter_map(Value::as_str) {
                if !obj.contains_key(name) {
                    return Err(ApiError::invalid_body(format!("{path}.{name} is required"))
                        .with_param(format!("{path}.{name}")));
                }
            }
        }
        let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
        for (k, v) in obj {
            let sub = format!("{path}.{k}");
            match props.and_then(|p| p.get(k)) {
                Some(s) => validate(s, v, &sub)?,
                None if closed => {
                    return Err(
                        ApiError::invalid_body(format!("{sub} is not allowed")).with_param(sub)
                    )
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            validate(items, v, &format!("{path}[{i}]"))?;
        }
    }
    Ok(())
}

fn type_matches(ty: &str, v: &Value) -> bool {
    match ty {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        _ => true,
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({"type": "object", "properties": {
            "resource": {"type": "string"},
            "replicas": {"type": "integer", "minimum": 0},
            "mode": {"type": "string", "enum": ["a", "b"]},
            "labels": {"type": "object", "properties": {"app": {"type": "string"}}},
            "list": {"type": "array", "items": {"type": "string"}}
        }, "required": ["resource"]})
    }

    fn param(v: Value) -> Option<String> {
        validate(&schema(), &v, "arguments")
            .err()
            .and_then(|e| e.param)
    }

    #[test]
    fn accepts_valid() {
        let v = json!({"resource": "x", "replicas": 3, "mode": "a", "labels": {"app": "w"}, "list": ["q"], "extra": 1});
        assert!(validate(&schema(), &v, "arguments").is_ok());
    }

    #[test]
    fn names_the_field() {
        assert_eq!(param(json!([])).as_deref(), Some("arguments"));
        assert_eq!(param(json!({})).as_deref(), Some("arguments.resource"));
        assert_eq!(
            param(json!({"resource": "x", "replicas": "3"})).as_deref(),
            Some("arguments.replicas")
        );
        assert_eq!(
            param(json!({"resource": "x", "replicas": -1})).as_deref(),
            Some("arguments.replicas")
        );
        assert_eq!(
            param(json!({"resource": "x", "mode": "c"})).as_deref(),
            Some("arguments.mode")
        );
        assert_eq!(
            param(json!({"resource": "x", "labels": {"app": 1}})).as_deref(),
            Some("arguments.labels.app")
        );
        assert_eq!(
            param(json!({"resource": "x", "list": ["a", 2]})).as_deref(),
            Some("arguments.list[1]")
        );
        assert_eq!(
            param(json!({"resource": 1.5})).as_deref(),
            Some("arguments.resource")
        );
    }
}

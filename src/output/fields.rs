//! `--columns`: tables built from any top-level JSON field of the listed
//! objects. The valid names are the fields of the object's model, read
//! from its `Deserialize` implementation (no second list to keep in step).

use comfy_table::Cell;
use serde::de::{self, DeserializeOwned, Visitor};
use serde_json::Value;

use super::table::{plain, status, text};
use super::time;
use crate::error::CliError;

/// The JSON field names a model reads (its struct's fields).
pub fn names_of<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut fields = None;
    let _ = T::deserialize(FieldProbe { out: &mut fields });
    fields.unwrap_or(&[])
}

/// A join key's one-time secret (`token`, or `key` on the product's
/// frontend API) is never a column: no list carries it, and one that a
/// hostile router slipped in must not land in a table.
const SECRET_FIELDS: [&str; 2] = ["token", "key"];

/// Check `--columns` against the model's fields, before any request: an
/// unknown name is a usage error listing the valid ones.
pub fn check<T: DeserializeOwned>(columns: &[String]) -> Result<(), CliError> {
    let valid: Vec<&str> = names_of::<T>()
        .iter()
        .copied()
        .filter(|name| !SECRET_FIELDS.contains(name))
        .collect();
    if let Some(bad) = columns.iter().find(|c| !valid.contains(&c.as_str())) {
        return Err(CliError::usage(format!("--columns: no field '{bad}' here"))
            .with_hint(format!("valid columns: {}", valid.join(", "))));
    }
    Ok(())
}

/// `status,created_at` → `STATUS`, `CREATED_AT`.
pub fn headers(columns: &[String]) -> Vec<String> {
    columns.iter().map(|c| c.to_ascii_uppercase()).collect()
}

/// One row: each column's value as a cell (times as times, status words
/// coloured, lists joined, missing values `-`).
pub fn row(item: &serde_json::Map<String, Value>, columns: &[String]) -> Vec<Cell> {
    columns
        .iter()
        .map(|c| cell(c, item.get(c).unwrap_or(&Value::Null)))
        .collect()
}

fn cell(name: &str, value: &Value) -> Cell {
    match value {
        Value::Null => plain("-"),
        Value::String(s) if name.ends_with("_at") => plain(time::absolute(Some(s))),
        Value::String(s) if matches!(name, "status" | "risk" | "event_type") => status(Some(s)),
        Value::String(s) => text(Some(s)),
        Value::Number(n) => plain(n.to_string()),
        Value::Bool(b) => plain(b.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect();
            text(Some(&parts.join(", ")))
        }
        Value::Object(_) => text(Some(&value.to_string())),
    }
}

/// A deserializer that only records the field list a struct asks for.
struct FieldProbe<'a> {
    out: &'a mut Option<&'static [&'static str]>,
}

impl<'de> de::Deserializer<'de> for FieldProbe<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.out = Some(fields);
        Err(de::Error::custom("only the fields were wanted"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::Agent;

    #[test]
    fn the_models_fields_are_the_valid_columns() {
        let names = names_of::<Agent>();
        assert!(names.contains(&"supported_tiers") && names.contains(&"description"));
        assert!(check::<Agent>(&["id".into(), "max_concurrent_requests".into()]).is_ok());
        let e = check::<Agent>(&["id".into(), "nope".into()]).unwrap_err();
        assert_eq!(e.message(), "--columns: no field 'nope' here");
        assert!(
            e.hints()[0].starts_with("valid columns: id, name, "),
            "{:?}",
            e.hints()
        );
    }

    #[test]
    fn a_join_keys_secret_is_no_column() {
        use crate::api::models::JoinKey;
        assert!(names_of::<JoinKey>().contains(&"token"));
        let e = check::<JoinKey>(&["id".into(), "token".into()]).unwrap_err();
        assert_eq!(e.message(), "--columns: no field 'token' here");
        assert!(!e.hints()[0].contains("token") && !e.hints()[0].contains(" key"));
        assert!(check::<JoinKey>(&["key".into()]).is_err());
        assert!(check::<JoinKey>(&["id".into(), "router_addr".into()]).is_ok());
    }

    #[test]
    fn cells_render_each_kind() {
        let item: serde_json::Map<String, Value> = serde_json::from_str(
            r#"{"id":"a","supported_tiers":["p","d"],"n":3,"created_at":"2026-11-01T10:00:00Z","x":null}"#,
        )
        .unwrap();
        let cols: Vec<String> = ["id", "supported_tiers", "n", "created_at", "x"]
            .map(String::from)
            .to_vec();
        let cells: Vec<String> = row(&item, &cols)
            .iter()
            .map(super::super::table::cell_text)
            .collect();
        assert_eq!(cells, ["a", "p, d", "3", "2026-11-01 10:00:00", "-"]);
        assert_eq!(headers(&cols)[1], "SUPPORTED_TIERS");
    }
}

//! JSON output: the API's own JSON, pretty-printed with its key order kept,
//! and `--all` lists streamed as one envelope without holding every item.

use std::borrow::Cow;
use std::io::{self, Write};

use anyhow::Result;
use serde::de::IgnoredAny;

use super::sanitize::is_hostile;

/// One JSON document on one line (for `-o json` streams: one object per
/// line), key order and numbers as sent, terminal controls escaped.
/// `None` when the text is not exactly one JSON document.
pub fn compact_line(json: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(json.len());
    let mut de = serde_json::Deserializer::from_str(json);
    let mut ser = serde_json::Serializer::new(&mut out);
    serde_transcode::transcode(&mut de, &mut ser).ok()?;
    de.end().ok()?;
    Some(escape_terminal_controls(&out).into_owned())
}

/// Re-indent one JSON document (2 spaces) without building a `Value`.
pub fn write_pretty<W: Write>(out: &mut W, body: &[u8]) -> Result<()> {
    // serde_json skips strings it ignores without checking their UTF-8, so
    // a raw C1 byte (0x9B) would pass: JSON text is UTF-8 (RFC 8259).
    if let Err(e) = std::str::from_utf8(body) {
        anyhow::bail!(
            "the response is not valid JSON: not UTF-8 at byte {}",
            e.valid_up_to()
        );
    }
    serde_json::from_slice::<IgnoredAny>(body)
        .map_err(|e| anyhow::anyhow!("the response is not valid JSON: {e}"))?;
    let mut pretty = Vec::with_capacity(body.len() + body.len() / 2);
    reindent(&mut pretty, body, 0);
    pretty.push(b'\n');
    out.write_all(&escape_terminal_controls(&pretty))?;
    Ok(())
}

/// JSON text with the characters a terminal acts on but JSON leaves raw
/// (DEL, C1 controls such as U+009B CSI, bidi overrides: every
/// [`is_hostile`] character JSON does not already escape) written as
/// `\uXXXX` escapes: the same JSON value for `jq`, inert on a terminal.
/// Outside strings JSON is ASCII, so the whole text can be scanned. Text
/// that is not UTF-8 (never valid JSON) has its invalid bytes replaced.
pub fn escape_terminal_controls(json: &[u8]) -> Cow<'_, [u8]> {
    let text = match std::str::from_utf8(json) {
        // C0 controls but JSON's whitespace, and the lead bytes of the
        // others: 0x7F, U+0080-009F (C2), U+061C (D8), U+200E/F,
        // U+202A-202E, U+2066-2069 (E2).
        Ok(_) if !json.iter().any(|b| {
            matches!(b, 0x00..=0x08 | 0x0b | 0x0c | 0x0e..=0x1f | 0x7f | 0xc2 | 0xd8 | 0xe2)
        }) => {
            return Cow::Borrowed(json)
        }
        Ok(text) => Cow::Borrowed(text),
        // Never valid JSON: its invalid bytes (a raw C1 byte such as 0x9B
        // among them) become U+FFFD.
        Err(_) => String::from_utf8_lossy(json),
    };
    // JSON's own whitespace (the layout's line breaks) stays as it is.
    let escaped = |c: char| is_hostile(c) && !matches!(c, ' ' | '\t' | '\n' | '\r');
    if !text.chars().any(escaped) {
        return match text {
            Cow::Borrowed(_) => Cow::Borrowed(json),
            Cow::Owned(text) => Cow::Owned(text.into_bytes()),
        };
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if escaped(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out.into_bytes())
}

const INDENT: &[u8] = b"  ";

/// Lay out already-validated JSON text as serde_json's `PrettyFormatter`
/// does, with every line after the first `base` levels deeper. Strings and
/// numbers are copied as sent (no decoding and re-encoding: this is the hot
/// loop of `--all -o json`). Invalid input gives odd layout, never a panic.
fn reindent(out: &mut Vec<u8>, json: &[u8], base: usize) {
    fn newline(out: &mut Vec<u8>, levels: usize) {
        out.push(b'\n');
        for _ in 0..levels {
            out.extend_from_slice(INDENT);
        }
    }
    let mut level = base;
    // Just opened a container: its first value starts a line, and a close
    // right away prints `{}` / `[]`.
    let mut opened = false;
    let mut i = 0;
    while i < json.len() {
        let b = json[i];
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'}' | b']' => {
                level = level.saturating_sub(1);
                if !opened {
                    newline(out, level);
                }
                opened = false;
                out.push(b);
                i += 1;
                continue;
            }
            b',' => {
                out.push(b',');
                newline(out, level);
                i += 1;
                continue;
            }
            b':' => {
                out.extend_from_slice(b": ");
                i += 1;
                continue;
            }
            _ => {}
        }
        if opened {
            newline(out, level);
            opened = false;
        }
        match b {
            b'{' | b'[' => {
                out.push(b);
                level += 1;
                opened = true;
                i += 1;
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < json.len() {
                    match json[i] {
                        b'"' => break,
                        b'\\' => i += 2,
                        _ => i += 1,
                    }
                }
                i = (i + 1).min(json.len());
                out.extend_from_slice(&json[start..i]);
            }
            _ => {
                // A number, true, false or null.
                let start = i;
                while i < json.len()
                    && !matches!(
                        json[i],
                        b',' | b'}' | b']' | b':' | b' ' | b'\t' | b'\n' | b'\r'
                    )
                {
                    i += 1;
                }
                out.extend_from_slice(&json[start..i]);
            }
        }
    }
}

/// Writes `{"object": "list", "data": [ … ], "has_more": false, …}` item by
/// item, so `--all -o json` runs in memory bounded by one page.
pub struct ListWriter<W: Write> {
    out: W,
    count: usize,
    scratch: Vec<u8>,
    first_id: Option<String>,
    last_id: Option<String>,
}

impl<W: Write> ListWriter<W> {
    pub fn begin(mut out: W) -> io::Result<Self> {
        out.write_all(b"{\n  \"object\": \"list\",\n  \"data\": [")?;
        Ok(ListWriter {
            out,
            count: 0,
            scratch: Vec::with_capacity(4096),
            first_id: None,
            last_id: None,
        })
    }

    /// Record a page's cursors: the whole set's `first_id` is the first page's,
    /// its `last_id` the last non-empty page's.
    pub fn page_cursors(&mut self, first_id: Option<&str>, last_id: Option<&str>) {
        if self.first_id.is_none() {
            self.first_id = first_id.map(str::to_owned);
        }
        if let Some(last) = last_id {
            self.last_id = Some(last.to_owned());
        }
    }

    /// Append one item: its raw JSON text, already validated (a `RawValue`
    /// of a decoded page), indented under `data`.
    pub fn item(&mut self, raw: &str) -> Result<()> {
        self.scratch.clear();
        self.scratch.extend_from_slice(if self.count == 0 {
            b"\n    "
        } else {
            b",\n    "
        });
        reindent(&mut self.scratch, raw.as_bytes(), 2);
        self.out
            .write_all(&escape_terminal_controls(&self.scratch))?;
        self.count += 1;
        Ok(())
    }

    /// A page is written: hand it on now (a reader downstream sees each
    /// page as it comes, not every 64 KiB).
    pub fn end_page(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    pub fn finish(mut self) -> Result<W> {
        if self.count > 0 {
            self.out.write_all(b"\n  ]")?;
        } else {
            self.out.write_all(b"]")?;
        }
        // The cursors are the router's strings too: escaped like the items.
        let id = |v: &Option<String>| serde_json::to_string(v).unwrap_or_else(|_| "null".into());
        let trailer = format!(
            ",\n  \"has_more\": false,\n  \"first_id\": {},\n  \"last_id\": {}\n}}\n",
            id(&self.first_id),
            id(&self.last_id)
        );
        self.out
            .write_all(&escape_terminal_controls(trailer.as_bytes()))?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_keeps_order_and_numbers() {
        let got = compact_line("{\n \"z\": 1,\n \"a\": [1.50, 12345678901234567890]\n}").unwrap();
        assert_eq!(
            String::from_utf8(got).unwrap(),
            r#"{"z":1,"a":[1.5,12345678901234567890]}"#
        );
        assert!(compact_line("{\"a\":").is_none());
        assert!(compact_line("{} x").is_none());
    }

    #[test]
    fn terminal_controls_are_escaped_and_the_value_kept() {
        let raw = "{\"a\":\"x\u{9b}31m\u{202E}y\u{7f}\",\"b\":\"caf\u{e9} \u{2713}\"}";
        let out = escape_terminal_controls(raw.as_bytes());
        let text = std::str::from_utf8(&out).unwrap();
        assert_eq!(
            text,
            "{\"a\":\"x\\u009b31m\\u202ey\\u007f\",\"b\":\"caf\u{e9} \u{2713}\"}"
        );
        let before: serde_json::Value = serde_json::from_str(raw).unwrap();
        let after: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(before, after);
        assert!(matches!(
            escape_terminal_controls(b"{\"plain\":1}"),
            Cow::Borrowed(_)
        ));
        assert!(matches!(
            escape_terminal_controls("{\n  \"s\": \"caf\u{e9}\"\n}".as_bytes()),
            Cow::Borrowed(_)
        ));
        // Not UTF-8 (a raw CSI byte): nothing raw survives.
        let out = escape_terminal_controls(b"{\"a\":\"x\x9b2J\"}");
        assert!(!out.iter().any(|b| (0x80..=0x9f).contains(b)), "{out:?}");
    }

    #[test]
    fn the_envelope_cursors_are_escaped() {
        let mut w = ListWriter::begin(Vec::new()).unwrap();
        w.page_cursors(Some("a\u{9b}2J"), Some("b\u{9d}0;t\u{9c}\u{202E}"));
        let got = String::from_utf8(w.finish().unwrap()).unwrap();
        assert!(got.contains("\"first_id\": \"a\\u009b2J\""), "{got}");
        assert!(
            got.contains("\"last_id\": \"b\\u009d0;t\\u009c\\u202e\""),
            "{got}"
        );
        let v: serde_json::Value = serde_json::from_str(&got).unwrap();
        assert_eq!(v["last_id"], "b\u{9d}0;t\u{9c}\u{202E}");
    }

    #[test]
    fn pretty_keeps_key_order() {
        let mut out = Vec::new();
        write_pretty(&mut out, br#"{"z":1,"a":{"b":[1,2]},"s":"x\ny"}"#).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n  \"z\": 1,\n  \"a\": {\n    \"b\": [\n      1,\n      2\n    ]\n  },\n  \"s\": \"x\\ny\"\n}\n"
        );
    }

    #[test]
    fn reindent_matches_serde_pretty() {
        let docs = [
            r#"{}"#,
            r#"[]"#,
            r#"{"a":{},"b":[],"c":[{}],"d":[[],[1]],"e":{"f":{"g":null}}}"#,
            r#"[true,false,null,-1.5e-7,0,"",[{"k":"v"}]]"#,
            r#"{"esc":"q\"uote \\ back \u001b ctl","uni":"é ✓","colon:comma,":"]}"}"#,
            r#""just a string""#,
            r#"42"#,
        ];
        for doc in docs {
            let value: serde_json::Value = serde_json::from_str(doc).unwrap();
            let expected = serde_json::to_string_pretty(&value).unwrap();
            // Compact input, and input that is already laid out (idempotent).
            for input in [doc.to_string(), expected.clone()] {
                let mut got = Vec::new();
                reindent(&mut got, input.as_bytes(), 0);
                assert_eq!(String::from_utf8(got).unwrap(), expected, "input: {input}");
            }
        }
    }

    #[test]
    fn reindent_copies_strings_and_numbers_as_sent() {
        let mut got = Vec::new();
        write_pretty(&mut got, br#"{"s":"caf\u00e9 \/","n":1e3,"m":1.50}"#).unwrap();
        assert_eq!(
            String::from_utf8(got).unwrap(),
            "{\n  \"s\": \"caf\\u00e9 \\/\",\n  \"n\": 1e3,\n  \"m\": 1.50\n}\n"
        );
    }

    #[test]
    fn reindent_survives_invalid_input() {
        for bad in [
            &b"}}]]"[..],
            b"\"unterminated \\",
            b"[\"unterminated",
            b"{\"a\":\"b",
            b"{\"a\":tru",
            b"\\",
            b",,::",
        ] {
            reindent(&mut Vec::new(), bad, 0);
        }
    }

    #[test]
    fn rejects_truncated_json() {
        let mut out = Vec::new();
        assert!(write_pretty(&mut out, br#"{"id": "agt_1", "na"#).is_err());
        assert!(write_pretty(&mut out, br#"{"id": 1} trailing"#).is_err());
    }

    #[test]
    fn streamed_list_equals_serde_pretty() {
        let items = [r#"{"id":"a","n":{"x":1}}"#, r#"{"id":"b","n":null}"#];
        let mut w = ListWriter::begin(Vec::new()).unwrap();
        w.page_cursors(Some("a"), Some("a"));
        w.item(items[0]).unwrap();
        w.page_cursors(Some("b"), Some("b"));
        w.item(items[1]).unwrap();
        let got = String::from_utf8(w.finish().unwrap()).unwrap();
        let expected = serde_json::json!({
            "object": "list",
            "data": [{"id":"a","n":{"x":1}}, {"id":"b","n":null}],
            "has_more": false, "first_id": "a", "last_id": "b"
        });
        assert_eq!(got, serde_json::to_string_pretty(&expected).unwrap() + "\n");
    }

    #[test]
    fn empty_list_envelope() {
        let w = ListWriter::begin(Vec::new()).unwrap();
        let got = String::from_utf8(w.finish().unwrap()).unwrap();
        let expected = serde_json::json!({
            "object": "list", "data": [], "has_more": false, "first_id": null, "last_id": null
        });
        assert_eq!(got, serde_json::to_string_pretty(&expected).unwrap() + "\n");
    }

    fn json_value() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::vec((any::<String>(), inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn reindent_equals_serde_pretty_for_any_value(value in json_value()) {
            let compact = serde_json::to_string(&value).unwrap();
            let mut got = Vec::new();
            reindent(&mut got, compact.as_bytes(), 0);
            proptest::prop_assert_eq!(
                String::from_utf8(got).unwrap(),
                serde_json::to_string_pretty(&value).unwrap()
            );
        }
    }
}

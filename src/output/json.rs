//! JSON output: the API's own JSON, pretty-printed with its key order kept,
//! and `--all` lists streamed as one envelope without holding every item.

use std::io::{self, Write};

use anyhow::{Context, Result};
use serde_json::ser::PrettyFormatter;

/// Re-indent one JSON document (2 spaces) without building a `Value`.
pub fn write_pretty<W: Write>(out: &mut W, body: &[u8]) -> Result<()> {
    transcode_into(out, body)?;
    out.write_all(b"\n")?;
    Ok(())
}

fn transcode_into<W: Write>(out: &mut W, body: &[u8]) -> Result<()> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let mut watched = WriteWatch {
        inner: out,
        failed: None,
    };
    let result = {
        let mut ser = serde_json::Serializer::with_formatter(&mut watched, PrettyFormatter::new());
        serde_transcode::transcode(&mut de, &mut ser)
    };
    if let Err(e) = result {
        // serde_transcode reports writer failures as plain messages: use the
        // writer's own error so a closed pipe stays recognisable.
        if let Some(kind) = watched.failed {
            return Err(io::Error::new(kind, "writing the output failed").into());
        }
        return Err(io_or_json(e, "the response is not valid JSON"));
    }
    de.end()
        .map_err(|e| anyhow::anyhow!("the response is not valid JSON: {e}"))?;
    Ok(())
}

/// A writer that remembers the kind of its first failure.
struct WriteWatch<'a, W: Write> {
    inner: &'a mut W,
    failed: Option<io::ErrorKind>,
}

impl<W: Write> Write for WriteWatch<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf).inspect_err(|e| {
            self.failed.get_or_insert(e.kind());
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush().inspect_err(|e| {
            self.failed.get_or_insert(e.kind());
        })
    }
}

/// serde_json wraps writer failures; keep a broken pipe recognisable.
fn io_or_json(e: serde_json::Error, what: &str) -> anyhow::Error {
    if e.is_io() {
        let kind = e.io_error_kind().unwrap_or(io::ErrorKind::Other);
        return io::Error::new(kind, e.to_string()).into();
    }
    anyhow::anyhow!("{what}: {e}")
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

    /// Append one item (its raw JSON text), indented under `data`.
    pub fn item(&mut self, raw: &str) -> Result<()> {
        self.scratch.clear();
        transcode_into(&mut self.scratch, raw.as_bytes()).context("a list item")?;
        self.out.write_all(if self.count == 0 {
            b"\n    "
        } else {
            b",\n    "
        })?;
        // JSON strings cannot hold a raw newline, so every '\n' is layout.
        for (i, line) in self.scratch.split(|b| *b == b'\n').enumerate() {
            if i > 0 {
                self.out.write_all(b"\n    ")?;
            }
            self.out.write_all(line)?;
        }
        self.count += 1;
        Ok(())
    }

    pub fn finish(mut self) -> Result<W> {
        if self.count > 0 {
            self.out.write_all(b"\n  ]")?;
        } else {
            self.out.write_all(b"]")?;
        }
        let id = |v: &Option<String>| serde_json::to_string(v).unwrap_or_else(|_| "null".into());
        write!(
            self.out,
            ",\n  \"has_more\": false,\n  \"first_id\": {},\n  \"last_id\": {}\n}}\n",
            id(&self.first_id),
            id(&self.last_id)
        )?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_closed_pipe_stays_a_broken_pipe_error() {
        struct Closed;
        impl Write for Closed {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let err = write_pretty(&mut Closed, br#"{"id": "agt_1", "n": [1, 2]}"#).unwrap_err();
        assert!(crate::error::is_broken_pipe(&err), "{err:#}");
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
}

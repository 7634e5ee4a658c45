//! `--jq <expr>`: a jq program (the jaq crates) run on exactly the document
//! `-o json` would print. Compiled once, before any request, so a typo is a
//! usage error that says where it is; run once per document (or per object
//! on streams). Strings print raw, other values as compact JSON, one result
//! per line.

use std::io::Write;

use jaq_core::data::JustLut;
use jaq_core::load::{Arena, File, Loader};
use jaq_core::{unwrap_valr, Compiler, Ctx, Vars};
use jaq_json::Val;

use crate::error::CliError;
use crate::output::sanitize::{sanitize_line, sanitize_text};

type Filter = jaq_core::Filter<JustLut<Val>>;

/// A compiled `--jq` program.
pub struct JqFilter {
    filter: Filter,
}

impl std::fmt::Debug for JqFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JqFilter")
    }
}

impl JqFilter {
    /// Compile `code`; an error names the column and what was expected.
    pub fn compile(code: &str) -> Result<JqFilter, CliError> {
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs())
            .chain(row_formats());
        let funs = jaq_core::funs()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs());
        let arena = Arena::default();
        let loader = Loader::new(defs);
        let modules = loader
            .load(&arena, File { code, path: () })
            .map_err(|errors| {
                let detail = errors
                    .into_iter()
                    .flat_map(|(_, e)| load_error(code, e))
                    .next()
                    .unwrap_or_else(|| "it does not parse".into());
                bad_program(code, &detail)
            })?;
        let filter = Compiler::default()
            .with_funs(funs)
            .compile(modules)
            .map_err(|errors| {
                let detail = errors
                    .into_iter()
                    .flat_map(|(_, es)| es)
                    .map(|(name, undefined)| {
                        format!(
                            "undefined {} `{name}` at column {}",
                            undefined.as_str(),
                            column(code, name)
                        )
                    })
                    .next()
                    .unwrap_or_else(|| "it does not compile".into());
                bad_program(code, &detail)
            })?;
        Ok(JqFilter { filter })
    }

    /// Run on one JSON document (bytes as printed by `-o json`) and write
    /// each result on its own line.
    pub fn run(&self, json: &[u8], out: &mut dyn Write) -> anyhow::Result<()> {
        // Not a `CliError`: a stream skips an update that is not JSON, as
        // it does without --jq; a document was checked before it got here.
        let input = jaq_json::read::parse_single(json)
            .map_err(|e| anyhow::anyhow!("--jq: the document is not JSON: {e}"))?;
        self.run_val(input, out)
    }

    fn run_val(&self, input: Val, out: &mut dyn Write) -> anyhow::Result<()> {
        let ctx = Ctx::<JustLut<Val>>::new(&self.filter.lut, Vars::new([]));
        for result in self.filter.id.run((ctx, input)).map(unwrap_valr) {
            match result {
                Ok(Val::TStr(s)) => {
                    // Raw like `jq -r`, but nothing that could drive a terminal.
                    let text = String::from_utf8_lossy(&s);
                    out.write_all(sanitize_text(&text).as_bytes())?;
                    out.write_all(b"\n")?;
                }
                Ok(value) => {
                    let mut text = Vec::new();
                    let pp = jaq_json::write::Pp::default();
                    jaq_json::write::write(&mut text, &pp, 0, &value)?;
                    out.write_all(&crate::output::json::escape_terminal_controls(&text))?;
                    out.write_all(b"\n")?;
                }
                Err(e) => {
                    // `error("text")` reads as the text, as in jq; the
                    // message may quote the server's strings: one clean line.
                    let message = match e.into_val() {
                        Val::TStr(s) => String::from_utf8_lossy(&s).into_owned(),
                        other => other.to_string(),
                    };
                    let message = sanitize_line(&message);
                    return Err(CliError::failure(format!("--jq: {message}")).into());
                }
            }
        }
        Ok(())
    }
}

/// `@csv` and `@tsv`, which jq has and jaq 3 left out of its standard
/// library: an array becomes one row (strings quoted or escaped, `null`
/// empty, numbers and booleans as JSON); anything else is an error, as in jq.
const ROW_FORMATS: &str = r#"
def row_cell(string):
  if isstring then string
  elif . == null then ""
  elif isnumber or isboolean then tojson
  else error("\(type) (\(tojson)) is not valid in a csv row") end;
def row(name; sep; string):
  if isarray then map(row_cell(string)) | join(sep)
  else error("\(type) (\(tojson)) cannot be \(name)-formatted, only an array can be") end;
def @csv: row("csv"; ","; "\"" + (split("\"") | join("\"\"")) + "\"");
def @tsv: row("tsv"; "\t";
  split("\\") | join("\\\\") | split("\t") | join("\\t")
  | split("\n") | join("\\n") | split("\r") | join("\\r"));
"#;

fn row_formats() -> impl Iterator<Item = jaq_core::load::parse::Def<&'static str>> {
    // A constant that the tests below parse: it cannot fail at run time.
    jaq_core::load::parse(ROW_FORMATS, |p| p.defs())
        .expect("ROW_FORMATS parses")
        .into_iter()
}

fn bad_program(code: &str, detail: &str) -> CliError {
    CliError::usage(format!("--jq '{code}' is not a valid jq program: {detail}"))
        .with_hint("jq syntax: https://jqlang.org/manual/ (e.g. --jq '.data[].id')")
}

/// The 1-based column of `part` inside `code` (a slice of it), or the end.
fn column(code: &str, part: &str) -> usize {
    let start = code.as_ptr() as usize;
    let at = part.as_ptr() as usize;
    let offset = if at >= start && at <= start + code.len() {
        at - start
    } else {
        code.len()
    };
    code[..offset.min(code.len())].chars().count() + 1
}

fn load_error(code: &str, error: jaq_core::load::Error<&str>) -> Vec<String> {
    use jaq_core::load::Error;
    match error {
        Error::Io(errs) => errs.into_iter().map(|(_, e)| e).collect(),
        Error::Lex(errs) => errs
            .into_iter()
            .map(|(expect, found)| {
                format!(
                    "expected {} at column {}",
                    expect.as_str(),
                    column(code, found)
                )
            })
            .collect(),
        Error::Parse(errs) => errs
            .into_iter()
            .map(|(expect, found)| {
                let got = if found.is_empty() {
                    "the end".to_string()
                } else {
                    format!("`{found}`")
                };
                format!(
                    "expected {} at column {}, found {got}",
                    expect.as_str(),
                    column(code, found)
                )
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(code: &str, json: &str) -> String {
        let mut out = Vec::new();
        JqFilter::compile(code)
            .unwrap()
            .run(json.as_bytes(), &mut out)
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_raw_and_other_values_compact() {
        assert_eq!(
            run(".data[].id", r#"{"data":[{"id":"a"},{"id":"b"}]}"#),
            "a\nb\n"
        );
        assert_eq!(run(".data | length", r#"{"data":[1,2,3]}"#), "3\n");
        assert_eq!(
            run(".", r#"{"a": [1, {"b": null}]}"#),
            "{\"a\":[1,{\"b\":null}]}\n"
        );
    }

    #[test]
    fn csv_and_tsv_rows_as_in_jq() {
        let row = r#"{"r": ["a\tb", "say \"hi\"", null, 3, true, "c\\d\n"]}"#;
        assert_eq!(
            run(".r | @tsv", row),
            "a\\tb\tsay \"hi\"\t\t3\ttrue\tc\\\\d\\n\n"
        );
        assert_eq!(
            run(".r | @csv", row),
            "\"a\tb\",\"say \"\"hi\"\"\",,3,true,\"c\\d\n\"\n"
        );
        let mut out = Vec::new();
        let e = JqFilter::compile("@csv")
            .unwrap()
            .run(br#"[{"a": 1}]"#, &mut out)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"--jq: object ({"a":1}) is not valid in a csv row"#
        );
        let e = JqFilter::compile("@tsv")
            .unwrap()
            .run(b"3", &mut out)
            .unwrap_err();
        assert!(e.to_string().contains("cannot be tsv-formatted"), "{e}");
    }

    #[test]
    fn compile_errors_say_where() {
        let e = JqFilter::compile(".data[").unwrap_err();
        assert_eq!(e.exit(), crate::error::ExitCode::Usage);
        assert!(e.message().contains("column"), "{}", e.message());
        let e = JqFilter::compile("nosuchfn").unwrap_err();
        assert!(e.message().contains("undefined"), "{}", e.message());
    }

    #[test]
    fn runtime_errors_are_failures() {
        let mut out = Vec::new();
        let e = JqFilter::compile(".a + 1")
            .unwrap()
            .run(br#"{"a": "x"}"#, &mut out)
            .unwrap_err();
        assert!(e.to_string().starts_with("--jq: "), "{e}");
        let e = JqFilter::compile(r#"error("no \u001b[31m" + .a)"#)
            .unwrap()
            .run(br#"{"a": "such\nagent"}"#, &mut out)
            .unwrap_err();
        assert_eq!(e.to_string(), "--jq: no such agent");
    }

    #[test]
    fn control_characters_in_strings_are_stripped() {
        assert_eq!(run(".s", "{\"s\": \"a\\u001b[31mb\"}"), "ab\n");
        // Tabs and line breaks are text, not controls.
        assert_eq!(run(".s", r#"{"s": "a\tb\nc\r"}"#), "a\tb\nc \n");
    }
}

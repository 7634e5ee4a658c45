//! Rendering: tables, detail views, JSON and messages. Knows nothing of HTTP.
//!
//! stdout carries results only; notes, warnings, hints, progress and prompts
//! go to stderr, so `-o json | jq` always sees pure JSON.

pub mod diff;
mod document;
pub mod fields;
pub mod fit;
pub mod jq;
pub mod json;
pub mod progress;
pub mod redact;
pub mod sanitize;
pub mod shell;
pub mod streams;
pub mod style;
pub mod table;
pub mod terminal;
pub mod time;

use std::io::{BufWriter, Write};

use owo_colors::OwoColorize;

pub use streams::{Captured, Streams, Terminal};
pub use style::ColorChoice;

use sanitize::sanitize_line;

/// A message for stderr: no control sequences, no known secret.
fn clean(message: &str) -> String {
    redact::scrub(&sanitize_line(message)).into_owned()
}

/// `-o table|json|yaml|name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    Table,
    Json,
    Yaml,
    Name,
}

impl OutputFormat {
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "table" => Some(Self::Table),
            "json" => Some(Self::Json),
            "yaml" => Some(Self::Yaml),
            "name" => Some(Self::Name),
            _ => None,
        }
    }

    /// The name used on the command line and in the config file.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Table => "table",
            Self::Json => "json",
            Self::Yaml => "yaml",
            Self::Name => "name",
        }
    }
}

/// How tables are cut down for scripts: `--no-headers`, `--columns`.
#[derive(Debug, Clone, Default)]
pub struct TableOptions {
    pub no_headers: bool,
    /// JSON field names, in the order given.
    pub columns: Option<Vec<String>>,
}

/// The user-facing side of a command run: where and how to print. It owns
/// the writers (`Streams`), so a test can run a command against buffers.
#[derive(Debug, Clone)]
pub struct Ui {
    pub format: OutputFormat,
    /// Colour on stdout (tables).
    pub color: bool,
    /// Colour on stderr (messages).
    pub err_color: bool,
    pub verbose: bool,
    /// A compiled `--jq` program: results instead of the document.
    pub jq: Option<std::sync::Arc<jq::JqFilter>>,
    pub table: TableOptions,
    streams: Streams,
}

impl Ui {
    pub fn new(streams: Streams, format: OutputFormat, choice: ColorChoice, verbose: bool) -> Self {
        Ui {
            format,
            color: choice.enabled_for(streams.terminal.stdout),
            err_color: choice.enabled_for(streams.terminal.stderr),
            verbose,
            jq: None,
            table: TableOptions::default(),
            streams,
        }
    }

    /// Whether the result is printed as a document (JSON, YAML, ids or
    /// `--jq` results) rather than a table.
    pub fn prints_document(&self) -> bool {
        self.format != OutputFormat::Table || self.jq.is_some()
    }

    /// `-o name` without `--jq`: ids (or names), one per line.
    pub fn prints_names(&self) -> bool {
        self.jq.is_none() && self.format == OutputFormat::Name
    }

    /// `-o name` of a list the program built itself (saved contexts).
    pub fn print_names<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> anyhow::Result<()> {
        let mut out = self.out();
        for name in names {
            writeln!(out, "{}", sanitize_line(name))?;
        }
        out.flush()?;
        Ok(())
    }

    /// How a document is written.
    pub(crate) fn rendering(&self) -> document::Rendering<'_> {
        match (&self.jq, self.format) {
            (Some(filter), _) => document::Rendering::Jq(filter),
            (None, OutputFormat::Yaml) => document::Rendering::Yaml,
            (None, OutputFormat::Name) => document::Rendering::Name,
            (None, _) => document::Rendering::Json,
        }
    }

    /// One object of a stream, in the chosen format (JSON: one per line).
    pub fn print_stream_object(&self, raw: &str) -> anyhow::Result<()> {
        let mut out = self.out();
        self.rendering().stream_object(&mut out, raw)?;
        out.flush()?;
        Ok(())
    }

    /// Which of stdin, stdout and stderr are terminals.
    pub fn terminal(&self) -> Terminal {
        self.streams.terminal
    }

    /// A buffered handle on stdout; call `flush()` when done.
    pub fn out(&self) -> BufWriter<streams::StreamWriter> {
        BufWriter::with_capacity(64 * 1024, self.streams.out())
    }

    /// One line on stderr, already cleaned.
    fn err_line(&self, line: std::fmt::Arguments<'_>) {
        let _ = writeln!(self.streams.err(), "{line}");
    }

    /// Text for stderr as is (a prompt's echo, a progress line): the caller
    /// cleaned it.
    pub fn err_raw(&self, text: &str) {
        let _ = write!(self.streams.err(), "{text}");
    }

    /// A plain note on stderr ("No agents found.").
    pub fn note(&self, message: &str) {
        let message = clean(message);
        self.err_line(format_args!("{message}"));
    }

    /// A success message on stderr ("Deleted agent agt_1.").
    pub fn success(&self, message: &str) {
        let message = clean(message);
        if self.err_color {
            self.err_line(format_args!("{} {message}", "✓".green()));
        } else {
            self.err_line(format_args!("{message}"));
        }
    }

    pub fn warn(&self, message: &str) {
        let message = clean(message);
        if self.err_color {
            self.err_line(format_args!("{} {message}", "warning:".yellow().bold()));
        } else {
            self.err_line(format_args!("warning: {message}"));
        }
    }

    pub fn hint(&self, message: &str) {
        let message = clean(message);
        if self.err_color {
            self.err_line(format_args!("{} {message}", "hint:".cyan()));
        } else {
            self.err_line(format_args!("hint: {message}"));
        }
    }

    /// A verbose request log line on stderr (only with `-v`).
    pub fn trace(&self, line: &str) {
        if self.verbose {
            let line = clean(line);
            if self.err_color {
                self.err_line(format_args!("{}", style::muted(&line)));
            } else {
                self.err_line(format_args!("{line}"));
            }
        }
    }

    /// Print the error lines (`error: …` / `hint: …`) on stderr.
    pub fn error(&self, rendered: &str) {
        let rendered = redact::scrub(rendered);
        let mut err = self.streams.err();
        for line in rendered.lines() {
            let _ = if !self.err_color {
                writeln!(err, "{line}")
            } else if let Some(rest) = line.strip_prefix("error:") {
                writeln!(err, "{}{rest}", "error:".red().bold())
            } else if let Some(rest) = line.strip_prefix("hint:") {
                writeln!(err, "{}{rest}", "hint:".cyan())
            } else {
                writeln!(err, "{line}")
            };
        }
    }

    /// The router's JSON as the chosen document: pretty JSON (key order
    /// kept), YAML, ids, or `--jq` results.
    pub fn print_json_bytes(&self, body: &[u8]) -> anyhow::Result<()> {
        let mut out = self.out();
        self.rendering().document(&mut out, body)?;
        out.flush()?;
        Ok(())
    }

    /// Print a value we built ourselves (dry runs, delete results) the
    /// same way.
    pub fn print_json_value(&self, value: &serde_json::Value) -> anyhow::Result<()> {
        let text = serde_json::to_vec(value)?;
        self.print_json_bytes(&text)
    }
}

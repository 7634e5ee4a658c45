//! Tables and two-column detail views (comfy-table), with every server
//! string sanitised and status words coloured on a terminal only.

use std::io::Write;

use comfy_table::presets::NOTHING;
use comfy_table::{Attribute, Cell, ColumnConstraint, ContentArrangement, Table, Width};

use super::sanitize::{sanitize_line, sanitize_multiline};
use super::style::Tone;
use super::Ui;

/// A cell with a server string, cleaned; `-` when missing or empty.
pub fn text(value: Option<&str>) -> Cell {
    match value {
        Some(v) if !v.is_empty() => Cell::new(sanitize_line(v)),
        _ => Cell::new("-"),
    }
}

/// A cell for something we formatted ourselves (numbers, times).
pub fn plain(value: impl Into<String>) -> Cell {
    Cell::new(value.into())
}

/// A number or `-`.
pub fn number<N: ToString>(value: Option<N>) -> Cell {
    value.map_or_else(|| Cell::new("-"), |n| Cell::new(n.to_string()))
}

/// A status, risk or similar word, coloured by the palette.
pub fn status(value: Option<&str>) -> Cell {
    let Some(word) = value.filter(|v| !v.is_empty()) else {
        return Cell::new("-");
    };
    Tone::of_status(word).cell(Cell::new(sanitize_line(word)))
}

/// Free text coloured like a status word (`paused in ws_a` as `paused`).
pub fn toned(value: &str, like: &str) -> Cell {
    Tone::of_status(like).cell(Cell::new(sanitize_line(value)))
}

fn base_table(ui: &Ui) -> Table {
    let mut table = Table::new();
    table.load_preset(NOTHING);
    if ui.color {
        // crossterm (under comfy-table) drops colours whenever NO_COLOR is
        // set; an explicit `--color always` must still colour.
        crossterm::style::Colored::set_ansi_color_disabled(false);
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    let arrangement = if ui.terminal().stdout {
        ContentArrangement::Dynamic
    } else {
        ContentArrangement::Disabled
    };
    table.set_content_arrangement(arrangement);
    table
}

/// A list table with a bold header.
pub struct ListTable {
    table: Table,
}

impl ListTable {
    pub fn new(ui: &Ui, headers: &[&str]) -> Self {
        let mut table = base_table(ui);
        if !ui.table.no_headers {
            table.set_header(
                headers
                    .iter()
                    .map(|h| Cell::new(h).add_attribute(Attribute::Bold)),
            );
        }
        ListTable { table }
    }

    pub fn row(&mut self, cells: Vec<Cell>) {
        self.table.add_row(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.table.row_count() == 0
    }

    pub fn print(mut self, ui: &Ui) -> std::io::Result<()> {
        // Set once the rows exist: without a header there are no columns before.
        for column in self.table.column_iter_mut() {
            column.set_padding((0, PADDING_RIGHT));
        }
        let mut out = ui.out();
        for line in self.table.lines() {
            writeln!(out, "{}", line.trim_end())?;
        }
        out.flush()
    }
}

/// Space between list columns.
const PADDING_RIGHT: u16 = 2;

/// A list table printed page by page (`--all`), so memory stays bounded by
/// one page however long the list is. Column widths come from the first
/// page and only ever grow, so rows stay aligned unless a later value is
/// wider than anything before it.
pub struct StreamingTable {
    headers: Vec<String>,
    widths: Vec<u16>,
    rows_printed: usize,
}

impl StreamingTable {
    pub fn new(headers: &[&str]) -> Self {
        StreamingTable {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            widths: Vec::new(),
            rows_printed: 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rows_printed == 0
    }

    /// Print one page of rows (the header too, before the first page).
    pub fn page(&mut self, ui: &Ui, rows: Vec<Vec<Cell>>) -> std::io::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut table = base_table(ui);
        // Rows are never wrapped: a wrapped row would not line up with the
        // pages printed before it.
        table.set_content_arrangement(ContentArrangement::Disabled);
        if self.rows_printed == 0 && !ui.table.no_headers {
            table.set_header(
                self.headers
                    .iter()
                    .map(|h| Cell::new(h).add_attribute(Attribute::Bold)),
            );
        }
        self.rows_printed += rows.len();
        table.add_rows(rows);
        for (i, column) in table.column_iter_mut().enumerate() {
            column.set_padding((0, PADDING_RIGHT));
            if let Some(width) = self.widths.get(i) {
                // The constraint counts the padding too.
                let total = width.saturating_add(PADDING_RIGHT);
                column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(total)));
            }
        }
        let widths = table.column_max_content_widths();
        self.widths.resize(widths.len().max(self.widths.len()), 0);
        for (known, new) in self.widths.iter_mut().zip(widths) {
            *known = (*known).max(new);
        }
        let mut out = ui.out();
        for line in table.lines() {
            writeln!(out, "{}", line.trim_end())?;
        }
        out.flush()
    }
}

/// A two-column key/value view for one object.
pub struct DetailView {
    table: Table,
}

impl DetailView {
    pub fn new(ui: &Ui) -> Self {
        let mut table = base_table(ui);
        table.set_content_arrangement(ContentArrangement::Disabled);
        DetailView { table }
    }

    pub fn field(&mut self, key: &str, value: Cell) -> &mut Self {
        self.table.add_row(vec![
            Cell::new(format!("{key}:")).add_attribute(Attribute::Bold),
            value,
        ]);
        self
    }

    /// A free-text field that may span lines (descriptions).
    pub fn long_text(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        let cell = match value {
            Some(v) if !v.is_empty() => Cell::new(sanitize_multiline(v)),
            _ => Cell::new("-"),
        };
        self.field(key, cell)
    }

    pub fn print(mut self, ui: &Ui) -> std::io::Result<()> {
        for column in self.table.column_iter_mut() {
            column.set_padding((0, 1));
        }
        let mut out = ui.out();
        for line in self.table.lines() {
            writeln!(out, "{}", line.trim_end())?;
        }
        out.flush()
    }
}

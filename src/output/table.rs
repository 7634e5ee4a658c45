//! Tables and two-column detail views (comfy-table), with every server
//! string sanitised and status words coloured on a terminal only.

use std::io::Write;

use comfy_table::presets::NOTHING;
use comfy_table::{Attribute, Cell, ColumnConstraint, ContentArrangement, Table, Width};

use super::fit;
use super::sanitize::{sanitize_line, sanitize_multiline};
use super::style::Tone;
use super::Ui;

/// Marks a free-text cell (names, descriptions, details): the only cells
/// a table may shorten to fit the terminal. Stripped before printing.
const FREE: char = '\u{FDD0}';

/// Free text from the server, cleaned; `-` when missing or empty. The
/// one kind of cell a table shortens (with `…`) to fit the terminal.
pub fn text(value: Option<&str>) -> Cell {
    match value {
        Some(v) if !v.is_empty() => Cell::new(format!("{FREE}{}", sanitize_line(v))),
        _ => Cell::new(format!("{FREE}-")),
    }
}

/// An id, tool name, region or other server word, cleaned; `-` when
/// missing or empty. Never shortened or broken.
pub fn id(value: Option<&str>) -> Cell {
    match value {
        Some(v) if !v.is_empty() => Cell::new(sanitize_line(v)),
        _ => Cell::new("-"),
    }
}

/// A cell's text as printed (without the free-text mark).
pub fn cell_text(cell: &Cell) -> String {
    let content = cell.content();
    match content.strip_prefix(FREE) {
        Some(rest) => rest.to_string(),
        None => content,
    }
}

/// A cell as comfy-table should see it: a free-text cell (unstyled by
/// construction) rebuilt without its mark, shortened to `max` if given.
fn unmarked(cell: Cell, max: Option<usize>) -> Cell {
    let content = cell.content();
    match content.strip_prefix(FREE) {
        Some(rest) => Cell::new(match max {
            Some(max) => fit::truncate(rest, max),
            None => rest.to_string(),
        }),
        None => cell,
    }
}

fn is_free(cell: &Cell) -> bool {
    cell.content().starts_with(FREE)
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

/// Free text coloured like a status word (`paused in ws_a` as `paused`),
/// for detail views.
pub fn toned(value: &str, like: &str) -> Cell {
    Tone::of_status(like).cell(Cell::new(sanitize_line(value)))
}

/// A table that prints as is: widths are ours, never comfy-table's guess
/// of the terminal, so colour on or off gives the same layout.
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
    table.set_content_arrangement(ContentArrangement::Disabled);
    table
}

/// Render rows (and the header, if given) fitted to the terminal's width:
/// free-text cells shortened, every other cell whole. `floor` holds the
/// widths of columns already printed (`--all`): columns never narrow.
/// Returns the lines and the columns' widths.
fn render(
    ui: &Ui,
    headers: Option<&[String]>,
    rows: Vec<Vec<Cell>>,
    floor: &[usize],
) -> (Vec<String>, Vec<usize>) {
    let columns = rows
        .iter()
        .map(Vec::len)
        .chain(headers.map(<[String]>::len))
        .max()
        .unwrap_or(0);
    let mut free = vec![false; columns];
    let mut natural: Vec<usize> = (0..columns)
        .map(|i| floor.get(i).copied().unwrap_or(0))
        .collect();
    let header_widths: Vec<usize> = (0..columns)
        .map(|i| headers.and_then(|h| h.get(i)).map_or(0, |h| fit::width(h)))
        .collect();
    for (i, w) in header_widths.iter().enumerate() {
        natural[i] = natural[i].max(*w);
    }
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            free[i] |= is_free(cell);
            natural[i] = natural[i].max(fit::width(&cell_text(cell)));
        }
    }
    let widths = match ui.terminal().width {
        Some(w) => fit::fit(&natural, &free, &header_widths, usize::from(w)),
        None => natural.clone(),
    };
    let mut table = base_table(ui);
    if let Some(headers) = headers {
        table.set_header(
            headers
                .iter()
                .map(|h| Cell::new(h).add_attribute(Attribute::Bold)),
        );
    }
    table.add_rows(rows.into_iter().map(|row| {
        row.into_iter()
            .enumerate()
            .map(|(i, cell)| unmarked(cell, (widths[i] < natural[i]).then_some(widths[i])))
            .collect::<Vec<_>>()
    }));
    for (i, column) in table.column_iter_mut().enumerate() {
        column.set_padding((0, fit::GAP as u16));
        if let Some(w) = floor.get(i).filter(|w| **w > 0) {
            // The constraint counts the padding too.
            let total = u16::try_from(w + fit::GAP).unwrap_or(u16::MAX);
            column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(total)));
        }
    }
    let printed = table
        .column_max_content_widths()
        .into_iter()
        .map(usize::from)
        .collect();
    let lines = table.lines().map(|l| fit::trim_styled_end(&l)).collect();
    (lines, printed)
}

fn write_lines(ui: &Ui, lines: &[String]) -> std::io::Result<()> {
    let mut out = ui.out();
    for line in lines {
        writeln!(out, "{line}")?;
    }
    out.flush()
}

/// A list table with a bold header.
pub struct ListTable {
    headers: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

impl ListTable {
    pub fn new(_ui: &Ui, headers: &[&str]) -> Self {
        ListTable {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn print(self, ui: &Ui) -> std::io::Result<()> {
        let headers = (!ui.table.no_headers).then_some(self.headers.as_slice());
        let (lines, _) = render(ui, headers, self.rows, &[]);
        write_lines(ui, &lines)
    }
}

/// A list table printed page by page (`--all`), so memory stays bounded by
/// one page however long the list is. Column widths come from the first
/// page and only ever grow, so rows stay aligned unless a later value is
/// wider than anything before it.
pub struct StreamingTable {
    headers: Vec<String>,
    widths: Vec<usize>,
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
        let headers =
            (self.rows_printed == 0 && !ui.table.no_headers).then_some(self.headers.as_slice());
        self.rows_printed += rows.len();
        let (lines, widths) = render(ui, headers, rows, &self.widths);
        self.widths.resize(widths.len().max(self.widths.len()), 0);
        for (known, new) in self.widths.iter_mut().zip(widths) {
            *known = (*known).max(new);
        }
        write_lines(ui, &lines)
    }
}

/// A two-column key/value view for one object.
pub struct DetailView {
    table: Table,
}

impl DetailView {
    pub fn new(ui: &Ui) -> Self {
        DetailView {
            table: base_table(ui),
        }
    }

    pub fn field(&mut self, key: &str, value: Cell) -> &mut Self {
        self.table.add_row(vec![
            Cell::new(format!("{key}:")).add_attribute(Attribute::Bold),
            unmarked(value, None),
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
        // No trailing padding (not even inside a value's colour codes):
        // a line never reaches past its own text, so nothing wraps into
        // blank lines on a narrow terminal.
        let lines: Vec<String> = self
            .table
            .lines()
            .map(|l| fit::trim_styled_end(&l))
            .collect();
        write_lines(ui, &lines)
    }
}

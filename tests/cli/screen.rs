//! What a terminal of a given width shows after a transcript of bytes: a
//! small VT100 subset (text with auto-wrap and the last column's pending
//! wrap, CR, LF, BS, TAB, cursor moves, erase in line/display), enough to
//! check that a live line was really cleared, not just that some clearing
//! codes were sent. Colours and other modes are ignored.

#![allow(dead_code)]

pub struct Screen {
    cols: usize,
    rows: Vec<Vec<char>>,
    row: usize,
    col: usize,
    /// The cursor is in the last column after a character was written
    /// there: the next printable character goes to the next row.
    wrap_pending: bool,
}

impl Screen {
    pub fn new(cols: usize) -> Screen {
        Screen {
            cols,
            rows: vec![Vec::new()],
            row: 0,
            col: 0,
            wrap_pending: false,
        }
    }

    /// The rows as shown, trailing blanks and trailing empty rows dropped.
    pub fn render(cols: usize, transcript: &str) -> Vec<String> {
        let mut screen = Screen::new(cols);
        screen.feed(transcript);
        screen.lines()
    }

    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .rows
            .iter()
            .map(|r| r.iter().collect::<String>().trim_end().to_string())
            .collect();
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        lines
    }

    fn row_mut(&mut self) -> &mut Vec<char> {
        while self.rows.len() <= self.row {
            self.rows.push(Vec::new());
        }
        let cols = self.cols;
        let row = &mut self.rows[self.row];
        if row.len() < cols {
            row.resize(cols, ' ');
        }
        row
    }

    fn put(&mut self, c: char) {
        if self.wrap_pending {
            self.row += 1;
            self.col = 0;
            self.wrap_pending = false;
        }
        let col = self.col;
        self.row_mut()[col] = c;
        if self.col + 1 == self.cols {
            self.wrap_pending = true;
        } else {
            self.col += 1;
        }
    }

    pub fn feed(&mut self, text: &str) {
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' => {
                    self.col = 0;
                    self.wrap_pending = false;
                }
                '\n' => {
                    self.row += 1;
                    self.wrap_pending = false;
                }
                '\u{8}' => {
                    self.col = self.col.saturating_sub(1);
                    self.wrap_pending = false;
                }
                '\t' => {
                    while self.col + 1 < self.cols {
                        self.put(' ');
                        if self.col.is_multiple_of(8) {
                            break;
                        }
                    }
                }
                '\u{1b}' => match chars.next() {
                    Some('[') => {
                        let mut params = String::new();
                        let mut last = None;
                        for c in chars.by_ref() {
                            if ('\u{40}'..='\u{7e}').contains(&c) {
                                last = Some(c);
                                break;
                            }
                            params.push(c);
                        }
                        self.csi(&params, last);
                    }
                    // OSC: up to BEL or ST.
                    Some(']') => {
                        while let Some(c) = chars.next() {
                            if c == '\u{7}' || (c == '\u{1b}' && chars.next_if_eq(&'\\').is_some())
                            {
                                break;
                            }
                        }
                    }
                    _ => {}
                },
                c if c.is_control() => {}
                c => self.put(c),
            }
        }
    }

    fn csi(&mut self, params: &str, last: Option<char>) {
        if params.starts_with('?') {
            return; // modes: cursor shown/hidden and the like
        }
        let n = |default: usize| params.parse::<usize>().unwrap_or(default);
        match last {
            Some('A') => self.row = self.row.saturating_sub(n(1).max(1)),
            Some('B') => self.row += n(1).max(1),
            Some('C') => self.col = (self.col + n(1).max(1)).min(self.cols - 1),
            Some('D') => self.col = self.col.saturating_sub(n(1).max(1)),
            Some('G') => self.col = n(1).clamp(1, self.cols) - 1,
            Some('K') => {
                let col = self.col;
                let row = self.row_mut();
                let range = match n(0) {
                    0 => col..row.len(),
                    1 => 0..col + 1,
                    _ => 0..row.len(),
                };
                for cell in &mut row[range] {
                    *cell = ' ';
                }
            }
            Some('J') if n(0) == 0 => {
                let (row, col) = (self.row, self.col);
                self.row_mut()[col..].fill(' ');
                self.rows.truncate(row + 1);
            }
            _ => return,
        }
        self.wrap_pending = false;
    }
}

#[test]
fn the_screen_wraps_clears_and_moves_like_a_terminal() {
    // 10 columns: a full row leaves the wrap pending; `^C` then lands on
    // the next row, and clearing "the line" no longer reaches the first.
    let shown = Screen::render(10, "0123456789^C\r\u{1b}[2Kerror\r\n");
    assert_eq!(shown, ["0123456789", "error"]);
    let shown = Screen::render(
        10,
        "abc\r\n0123456789ab\u{1b}[1A\r\u{1b}[2K\u{1b}[1B\r\u{1b}[2K\u{1b}[1Ax\u{1b}[31mred\u{1b}[0m",
    );
    assert_eq!(shown, ["abc", "xred"]);
}

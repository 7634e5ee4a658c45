//! Width arithmetic for tables (docs/spec/cli.md "Terminal"): widths are
//! display widths (unicode-width, as comfy-table counts them), never
//! counting colour codes; only free-text columns are ever shortened.

use unicode_width::UnicodeWidthStr;

/// Spaces between two list columns.
pub const GAP: usize = 2;

/// A free-text column is never shortened below this (or its header, or
/// its own widest value when that is narrower).
const MIN_FREE: usize = 6;

/// The display width of `text` (no colour codes in it: cells are plain).
pub fn width(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// Column widths for a row of `width` columns at most. `natural` is each
/// column's widest value (header included), `free` marks the columns that
/// may be shortened, `header` their headers' widths. Columns that cannot be
/// shortened keep their width even when they alone are wider than
/// `width`: the terminal then wraps the row, nothing is cut.
pub fn fit(natural: &[usize], free: &[bool], header: &[usize], width: usize) -> Vec<usize> {
    let gaps = GAP * natural.len().saturating_sub(1);
    let total: usize = natural.iter().sum::<usize>() + gaps;
    if total <= width {
        return natural.to_vec();
    }
    let fixed: usize = natural
        .iter()
        .zip(free)
        .filter(|(_, free)| !**free)
        .map(|(w, _)| *w)
        .sum::<usize>()
        + gaps;
    let mut room = width.saturating_sub(fixed);
    let mut order: Vec<usize> = (0..natural.len()).filter(|&i| free[i]).collect();
    // Narrow columns first: each takes at most a fair share of what is
    // left, so a short column keeps its width and a long one gives way.
    order.sort_by_key(|&i| natural[i]);
    let mut widths = natural.to_vec();
    let mut left = order.len();
    for i in order {
        let floor = natural[i].min(header.get(i).copied().unwrap_or(0).max(MIN_FREE));
        let share = room / left.max(1);
        let w = natural[i].min(share).max(floor);
        widths[i] = w;
        room = room.saturating_sub(w);
        left -= 1;
    }
    widths
}

/// `text` shortened to `max` display columns, ending in `…` when cut.
pub fn truncate(text: &str, max: usize) -> String {
    if UnicodeWidthStr::width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// `text` in lines of at most `max` display columns, broken at spaces
/// only (a word wider than `max`, an id, stays whole on its own line).
/// A question (`…? This cannot be undone`) breaks after its `?` first.
pub fn wrap_words(text: &str, max: usize) -> Vec<String> {
    let sentences: Vec<&str> = if width(text) > max {
        match text.find("? ") {
            Some(at) => vec![&text[..=at], &text[at + 2..]],
            None => vec![text],
        }
    } else {
        vec![text]
    };
    let mut lines = Vec::new();
    for sentence in sentences {
        let mut line = String::new();
        for word in sentence.split(' ').filter(|w| !w.is_empty()) {
            if !line.is_empty() && width(&line) + 1 + width(word) > max {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}

/// A rendered line without trailing spaces, also those a table put inside
/// a cell's colour codes (`\e[32mpending      \e[0m`).
pub fn trim_styled_end(line: &str) -> String {
    let mut rest = line;
    let mut tail: Vec<&str> = Vec::new();
    loop {
        let trimmed = rest.trim_end();
        match trimmed.rfind('\u{1b}') {
            Some(pos) if is_sgr(&trimmed[pos..]) => {
                tail.push(&trimmed[pos..]);
                rest = &trimmed[..pos];
            }
            _ => {
                rest = trimmed;
                break;
            }
        }
    }
    let mut out = rest.to_string();
    for seq in tail.iter().rev() {
        out.push_str(seq);
    }
    out
}

fn is_sgr(seq: &str) -> bool {
    seq.len() >= 3
        && seq.starts_with("\u{1b}[")
        && seq.ends_with('m')
        && seq[2..seq.len() - 1]
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b';')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_free_columns_give_way() {
        // ID(36) NAME(30) STATUS(7) at 60: NAME shrinks to what is left.
        let w = fit(&[36, 30, 7], &[false, true, false], &[2, 4, 6], 60);
        assert_eq!(w, vec![36, 60 - 36 - 7 - 4, 7]);
        // Fits: unchanged.
        assert_eq!(fit(&[5, 5], &[false, true], &[2, 4], 80), vec![5, 5]);
        // The fixed columns alone are too wide: free text at its floor,
        // ids whole.
        let w = fit(&[36, 36, 30], &[false, false, true], &[2, 10, 4], 50);
        assert_eq!(w, vec![36, 36, 6]);
        // Two free columns: the narrow one keeps its width.
        let w = fit(&[10, 8, 100], &[false, true, true], &[2, 4, 11], 50);
        assert_eq!(w, vec![10, 8, 50 - 10 - 8 - 4]);
    }

    #[test]
    fn truncation_counts_display_width() {
        assert_eq!(truncate("gpu-worker-1", 20), "gpu-worker-1");
        assert_eq!(truncate("gpu-worker-1", 6), "gpu-w…");
        assert_eq!(truncate("日本語テキスト", 6), "日本…");
        assert_eq!(width("日本"), 4);
    }

    #[test]
    fn words_wrap_at_spaces_and_after_the_question() {
        let q = "Delete agent agt_7Hq2 (gpu-worker-1, active)? This cannot be undone";
        assert_eq!(wrap_words(q, 80), [q]);
        assert_eq!(
            wrap_words(q, 42),
            [
                "Delete agent agt_7Hq2 (gpu-worker-1,",
                "active)?",
                "This cannot be undone"
            ]
        );
        assert_eq!(
            wrap_words(q, 50),
            [
                "Delete agent agt_7Hq2 (gpu-worker-1, active)?",
                "This cannot be undone"
            ]
        );
        // An id wider than the room stays whole.
        assert_eq!(
            wrap_words("Approve 7d2e4a91-3b6c-4f8e-a1d2-9c0b8e7f6a51?", 20),
            ["Approve", "7d2e4a91-3b6c-4f8e-a1d2-9c0b8e7f6a51?"]
        );
    }

    #[test]
    fn trailing_padding_goes_even_inside_colours() {
        assert_eq!(
            trim_styled_end("Status: \u{1b}[32mpending     \u{1b}[0m  "),
            "Status: \u{1b}[32mpending\u{1b}[0m"
        );
        assert_eq!(trim_styled_end("a  b   "), "a  b");
    }
}

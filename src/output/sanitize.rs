//! Strings from the server never drive the terminal: escape sequences,
//! control characters and bidirectional overrides are removed before they
//! are printed in tables, detail views, errors or the spinner.

use std::borrow::Cow;

/// Unicode bidirectional controls that can reorder what a reader sees
/// ("Trojan Source").
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Remove escape sequences and control characters; line breaks and tabs
/// become single spaces so one value stays on one line.
pub fn sanitize_line(input: &str) -> Cow<'_, str> {
    sanitize(input, false)
}

/// Like [`sanitize_line`] but keeps `\n` (for multi-line descriptions in
/// detail views).
pub fn sanitize_multiline(input: &str) -> Cow<'_, str> {
    sanitize(input, true)
}

fn sanitize(input: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !input.chars().any(is_unsafe) {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 CSI / OSC / DCS / APC / PM / SOS introducers.
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{9e}' | '\u{9f}' | '\u{98}' => skip_string(&mut chars),
            '\n' if keep_newlines => out.push('\n'),
            '\n' | '\t' | '\r' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// Skip what follows an ESC: a CSI (`ESC [ … final`), an OSC/DCS/APC/PM/SOS
/// string (ended by BEL or `ESC \`), or a two-byte sequence.
fn skip_escape(chars: &mut Chars<'_>) {
    match chars.next() {
        Some('[') => skip_csi(chars),
        Some(']' | 'P' | '_' | '^' | 'X') => skip_string(chars),
        // Character-set designations take one more byte: ESC ( B.
        Some('(' | ')' | '*' | '+' | '-' | '.' | '/' | '#' | '%') => {
            chars.next();
        }
        _ => {}
    }
}

fn skip_csi(chars: &mut Chars<'_>) {
    // Parameter and intermediate bytes, then one final byte in 0x40..=0x7E.
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
        if !('\u{20}'..='\u{3f}').contains(&c) {
            break;
        }
    }
}

fn skip_string(chars: &mut Chars<'_>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(sanitize_line("gpu-worker-1 ✓"), Cow::Borrowed(_)));
    }

    #[test]
    fn removes_csi_osc_bel_and_backspace() {
        assert_eq!(sanitize_line("\u{1b}[31mred\u{1b}[0m"), "red");
        assert_eq!(sanitize_line("a\u{1b}]0;title\u{7}b"), "ab");
        assert_eq!(sanitize_line("a\u{1b}]8;;http://x\u{1b}\\link"), "alink");
        assert_eq!(sanitize_line("ding\u{7}\u{8}\u{8}x"), "dingx");
        assert_eq!(sanitize_line("evil\u{202E}txt.exe"), "eviltxt.exe");
        assert_eq!(sanitize_line("c1\u{9b}2Jcsi"), "c1csi");
    }

    #[test]
    fn line_breaks_become_spaces() {
        assert_eq!(sanitize_line("one\r\ntwo\tthree"), "one two three");
        assert_eq!(sanitize_multiline("one\ntwo\r"), "one\ntwo ");
    }

    #[test]
    fn never_leaves_control_characters() {
        let nasty: String = (0u32..0x250).filter_map(char::from_u32).collect();
        let clean = sanitize_line(&nasty);
        assert!(!clean.chars().any(is_unsafe), "{clean:?}");
    }
}

//! Strings from the server never drive the terminal: escape sequences,
//! control characters and bidirectional overrides are removed before they
//! are printed in tables, detail views, errors or the spinner.
//!
//! [`is_hostile`] is the one list of such characters: the sanitizer strips
//! them, `-o json` writes them as `\uXXXX` escapes, and `exec raw` refuses a
//! payload holding any of them on a terminal ([`is_plain_text`]).

use std::borrow::Cow;

/// Unicode bidirectional controls that can reorder what a reader sees
/// ("Trojan Source").
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// What must never reach a terminal raw: C0 controls but tab and newline
/// (ESC, CR, BS, BEL, SO, NUL, …), DEL, C1 controls (U+0080–U+009F) and
/// bidi controls.
pub fn is_hostile(c: char) -> bool {
    !matches!(c, '\t' | '\n') && is_unsafe(c)
}

/// Hostile, or a tab or line break (which one-line values cannot keep).
fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// True when `bytes` are valid UTF-8 holding no [`is_hostile`] character:
/// text a terminal only displays. Raw C1 bytes (0x80–0x9F outside a UTF-8
/// sequence) and any other invalid UTF-8 make it false; valid text such as
/// "ěț" (C4 9B, C8 9B) does not.
pub fn is_plain_text(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok_and(|text| !text.chars().any(is_hostile))
}

/// Remove escape sequences and control characters; line breaks and tabs
/// become single spaces so one value stays on one line.
pub fn sanitize_line(input: &str) -> Cow<'_, str> {
    sanitize(input, false, false)
}

/// Like [`sanitize_line`] but keeps `\n` (for multi-line descriptions in
/// detail views).
pub fn sanitize_multiline(input: &str) -> Cow<'_, str> {
    sanitize(input, true, false)
}

/// Only what [`is_hostile`] names goes: tabs and line breaks stay (raw
/// `--jq` strings, where a tab separates fields, as in `@tsv`).
pub fn sanitize_text(input: &str) -> Cow<'_, str> {
    sanitize(input, true, true)
}

fn sanitize(input: &str, keep_newlines: bool, keep_tabs: bool) -> Cow<'_, str> {
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
            '\t' if keep_tabs => out.push('\t'),
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
    fn charset_designations_take_their_final_byte() {
        // `ESC ( B` (and the other designators) is three characters: the
        // `B` is part of the sequence, not text.
        for designator in ['(', ')', '*', '+', '-', '.', '/', '#', '%'] {
            let text = format!("a\u{1b}{designator}Bb");
            assert_eq!(sanitize_line(&text), "ab", "{text:?}");
        }
        // Any other two-character escape ends at its second character.
        assert_eq!(sanitize_line("a\u{1b}7b\u{1b}8c"), "abc");
    }

    #[test]
    fn line_breaks_become_spaces() {
        assert_eq!(sanitize_line("one\r\ntwo\tthree"), "one two three");
        assert_eq!(sanitize_multiline("one\ntwo\r"), "one\ntwo ");
    }

    #[test]
    fn plain_text_is_utf8_without_hostile_characters() {
        assert!(is_plain_text("ěț café ✓\tcol\nline\n".as_bytes()));
        assert!(is_plain_text(b""));
        for bad in [
            &b"\x1b[31m"[..],
            b"a\x9bb",
            b"\xc2\x9d0;t\xc2\x9c",
            b"\x90q",
            b"over\rwrite",
            b"a\x08b",
            b"ding\x07",
            b"\x0eshift",
            b"nul\x00",
            b"del\x7f",
            "evil\u{202E}txt".as_bytes(),
            "\u{2066}x\u{2069}".as_bytes(),
            "\u{200F}\u{061C}".as_bytes(),
            b"\xff\xfe",
            b"cut \xc4",
        ] {
            assert!(!is_plain_text(bad), "{bad:?}");
        }
    }

    #[test]
    fn never_leaves_control_characters() {
        let nasty: String = (0u32..0x250).filter_map(char::from_u32).collect();
        let clean = sanitize_line(&nasty);
        assert!(!clean.chars().any(is_unsafe), "{clean:?}");
    }
}

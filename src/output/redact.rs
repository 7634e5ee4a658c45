//! Secrets this run knows (the API key, a join token just created) are
//! scrubbed from everything written to stderr: a misbehaving server or
//! proxy may echo them back in an error message, a header or an HTML title.

use std::borrow::Cow;
use std::sync::{Mutex, OnceLock};

/// Shorter values would match ordinary words; real keys and tokens are long.
const MIN_SECRET_LEN: usize = 8;

pub const REDACTED: &str = "[redacted]";

fn secrets() -> &'static Mutex<Vec<String>> {
    static SECRETS: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    SECRETS.get_or_init(|| Mutex::new(Vec::new()))
}

/// Remember a secret so stderr never shows it.
pub fn register(secret: &str) {
    let secret = secret.trim();
    if secret.len() < MIN_SECRET_LEN {
        return;
    }
    if let Ok(mut list) = secrets().lock() {
        if !list.iter().any(|s| s == secret) {
            list.push(secret.to_string());
        }
    }
}

/// `text` with every registered secret replaced by `[redacted]`.
pub fn scrub(text: &str) -> Cow<'_, str> {
    let Ok(list) = secrets().lock() else {
        return Cow::Borrowed(text);
    };
    if !list.iter().any(|s| text.contains(s.as_str())) {
        return Cow::Borrowed(text);
    }
    let mut out = text.to_string();
    for s in list.iter() {
        out = out.replace(s.as_str(), REDACTED);
    }
    Cow::Owned(out)
}

/// `text` made safe for one line of stderr and cut to `max` characters
/// (plus `…`). Control characters go first (they could split a secret so
/// that it is only whole once they are removed), then every secret, and
/// only then the cut: shortening first could leave a fragment of a secret
/// that `scrub` no longer recognises.
pub fn shorten(text: &str, max: usize) -> String {
    let clean = super::sanitize::sanitize_line(text);
    let clean = scrub(&clean);
    let mut out: String = clean.chars().take(max).collect();
    if clean.chars().count() > max {
        out.push('…');
    }
    out
}

/// `raw` as it may be echoed: a `user:password@` part shows as `user:***@`
/// (a lone `token@` as `***@`). Used on text that may not even parse as a
/// URL, so it works on the text: the last `@` before any `?` or `#` ends
/// the user info (a parser would stop at a `/` too, but a password may
/// hold one, and hiding a path's `@` in an error costs little).
pub fn userinfo(raw: &str) -> String {
    let raw = raw.trim();
    let (scheme, rest) = match raw.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), raw),
    };
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    let Some(at) = rest[..end].rfind('@') else {
        return raw.to_string();
    };
    let userinfo = &rest[..at];
    let shown = match userinfo.split_once(':') {
        Some((user, _)) if !user.contains('/') => format!("{user}:***"),
        _ => "***".to_string(),
    };
    format!("{scheme}{shown}{}", &rest[at..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_secrets_are_scrubbed_short_ones_ignored() {
        register("xero_p_redacttest0123456789");
        register("short");
        assert_eq!(
            scrub("bad key xero_p_redacttest0123456789!"),
            "bad key [redacted]!"
        );
        assert_eq!(scrub("a short note"), "a short note");
    }

    #[test]
    fn secrets_of_eight_characters_count_and_each_one_is_kept() {
        // The shortest length that counts, then a second secret right
        // after it: both are remembered.
        register(" s3cr3t_8 ");
        register("xero_p_secondsecret01");
        register("xero_p_secondsecret01");
        assert_eq!(
            scrub("a s3cr3t_8 and xero_p_secondsecret01."),
            "a [redacted] and [redacted]."
        );
        // Seven characters are too short to tell from a word.
        register("s3cr3t7");
        assert_eq!(scrub("s3cr3t7"), "s3cr3t7");
    }

    #[test]
    fn user_info_is_redacted_in_echoed_urls() {
        for (raw, shown) in [
            ("https://me:pw@h:99999/v1", "https://me:***@h:99999/v1"),
            ("me:pw@h/v1", "me:***@h/v1"),
            ("https://tok3n@h x/v1", "https://***@h x/v1"),
            ("https://me:p/w@d@h/v1?a=b@c", "https://me:***@h/v1?a=b@c"),
            ("https://h/v1?u=a@b", "https://h/v1?u=a@b"),
            ("https://h/v1", "https://h/v1"),
            // What precedes the `:` holds a `/`: no user name to keep.
            ("https://h/a:b@c/v1", "https://***@c/v1"),
        ] {
            assert_eq!(userinfo(raw), shown, "{raw}");
        }
    }

    #[test]
    fn shortening_never_cuts_through_a_secret() {
        let secret = "xero_p_shortentest0123456789";
        register(secret);
        let text = format!("{}{secret} tail", "x".repeat(10));
        assert_eq!(shorten(&text, 15), "xxxxxxxxxx[reda…");
        // Split by an escape sequence, it is still whole once that is gone.
        let split = "xero_p_shorten\u{1b}[0mtest0123456789";
        assert_eq!(shorten(split, 100), "[redacted]");
        assert_eq!(shorten("short", 10), "short");
        // Exactly `max` characters: whole, no ellipsis.
        assert_eq!(shorten("exactly", 7), "exactly");
    }
}

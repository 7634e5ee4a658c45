//! Values from the router inside a suggested command (`hint: xeroctl
//! approvals approve …`): quoted, so pasting the hint runs xeroctl with that
//! one argument and nothing else, whatever the router sent.

use std::borrow::Cow;

use super::sanitize::sanitize_line;

/// POSIX shell quoting: a value made only of `[A-Za-z0-9_.:-]` (and not
/// empty) as it is, anything else in single quotes, with each embedded `'`
/// written `'\''`.
pub fn quote(value: &str) -> Cow<'_, str> {
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-');
    if !value.is_empty() && value.chars().all(plain) {
        return Cow::Borrowed(value);
    }
    Cow::Owned(format!("'{}'", value.replace('\'', r"'\''")))
}

/// A router-supplied id or name as a suggested command shows it: stripped
/// of terminal controls (like every string printed), then [`quote`]d.
pub fn arg(value: &str) -> String {
    quote(&sanitize_line(value)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ids_stay_as_they_are() {
        for id in ["ap_1", "5f9c3b1a-8d0e-4c2f", "kubectl.get:v1", "A-Z_09"] {
            assert!(matches!(quote(id), Cow::Borrowed(_)), "{id}");
        }
    }

    #[test]
    fn anything_else_is_one_quoted_word() {
        assert_eq!(
            quote("ap1; touch /tmp/PWNED #"),
            "'ap1; touch /tmp/PWNED #'"
        );
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("$(id) `id` \"x\" \\"), r#"'$(id) `id` "x" \'"#);
        assert_eq!(quote(""), "''");
        assert_eq!(quote("caf\u{e9}"), "'caf\u{e9}'");
        assert_eq!(quote("a\nb"), "'a\nb'");
    }

    #[test]
    fn arg_strips_controls_then_quotes() {
        assert_eq!(arg("ap\u{1b}[31m1"), "ap1");
        assert_eq!(arg("ap1\n; reboot"), "'ap1 ; reboot'");
        assert_eq!(arg("x\u{1b}]0;t\u{7}'y"), r"'x'\''y'");
    }

    /// What `sh` makes of a quoted value is the value, as one word.
    #[cfg(unix)]
    #[test]
    fn sh_reads_back_the_value() {
        for value in [
            "ap1; touch /tmp/PWNED #",
            "it's",
            "$(id) `id` \\ \"",
            "",
            "a'b'c",
        ] {
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("printf '%s|' {}", quote(value)))
                .output()
                .expect("sh runs");
            assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{value}|"));
        }
    }
}

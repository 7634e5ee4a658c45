//! Building request paths: ids typed by users are percent-encoded as one
//! path segment each, so no id can reach another endpoint.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

use crate::error::CliError;

/// Everything outside RFC 3986 "unreserved" (plus a few safe sub-delims)
/// is encoded: `/ ? # %` and spaces above all.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']')
    .add(b';')
    .add(b'=')
    .add(b'&')
    .add(b'+')
    .add(b'\'');

/// Check and encode an id for use as one path segment.
///
/// `.` and `..` are refused: URL normalisation would turn them (even
/// percent-encoded) into "this" or "parent" segments.
pub fn id_segment(what: &str, id: &str) -> Result<String, CliError> {
    if id.trim().is_empty() {
        return Err(CliError::usage(format!("the {what} id is empty")));
    }
    if id == "." || id == ".." {
        return Err(CliError::usage(format!("'{id}' is not a valid {what} id")));
    }
    if id.chars().any(char::is_control) {
        return Err(CliError::usage(format!(
            "the {what} id contains control characters"
        )));
    }
    if id.len() > 256 {
        return Err(CliError::usage(format!(
            "the {what} id is too long ({} bytes; ids are short, like agt_7Hq2)",
            id.len()
        )));
    }
    Ok(utf8_percent_encode(id, SEGMENT).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_reserved_characters() {
        assert_eq!(id_segment("agent", "agt_7Hq2").unwrap(), "agt_7Hq2");
        assert_eq!(id_segment("agent", "a/b").unwrap(), "a%2Fb");
        assert_eq!(id_segment("agent", "a?x=1#f").unwrap(), "a%3Fx%3D1%23f");
        assert_eq!(id_segment("agent", "a b").unwrap(), "a%20b");
        assert_eq!(id_segment("agent", "../x").unwrap(), "..%2Fx");
        assert_eq!(id_segment("agent", "é").unwrap(), "%C3%A9");
        assert_eq!(id_segment("agent", "50%").unwrap(), "50%25");
    }

    #[test]
    fn ids_up_to_256_bytes_are_accepted() {
        let longest = "a".repeat(256);
        assert_eq!(id_segment("agent", &longest).unwrap(), longest);
        let e = id_segment("agent", &"a".repeat(257)).unwrap_err();
        assert_eq!(e.exit(), crate::error::ExitCode::Usage);
        assert!(e.message().contains("257 bytes"), "{}", e.message());
    }

    #[test]
    fn refuses_dot_segments_and_empty() {
        for bad in ["", " ", ".", "..", "a\u{7}"] {
            let err = id_segment("agent", bad).unwrap_err();
            assert_eq!(err.exit(), crate::error::ExitCode::Usage, "{bad:?}");
        }
    }
}

//! Text flags that also read a file or stdin: `--content <text | @file | ->`,
//! `--set <text | @file | ->`.

use std::io::Read;

use crate::error::CliError;

/// More than the router takes anywhere (64 KiB): the router names the
/// real limit; this only keeps a wrong file from filling memory.
const MAX_BYTES: u64 = 1024 * 1024;

/// The flag's text: inline, `@file`, or `-` for stdin (UTF-8). `flag` names
/// the option in messages (`--content`).
pub(crate) fn read(flag: &str, spec: &str) -> Result<String, CliError> {
    let (source, bytes) = read_bytes(flag, spec, MAX_BYTES, "notes.md")?;
    String::from_utf8(bytes)
        .map_err(|_| CliError::usage(format!("{flag} ({source}) is not UTF-8 text")))
}

/// The raw bytes of a `<value | @file | ->` flag, at most `max`, and where
/// they came from ("inline", "stdin", "file x.json") for messages.
/// `example` is a file name for the hint on a bare `@`.
pub(crate) fn read_bytes(
    flag: &str,
    spec: &str,
    max: u64,
    example: &str,
) -> Result<(String, Vec<u8>), CliError> {
    let (source, bytes) = if spec == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(max + 1)
            .read_to_end(&mut buf)
            .map_err(|e| CliError::usage(format!("cannot read {flag} from stdin: {e}")))?;
        ("stdin".to_string(), buf)
    } else if let Some(path) = spec.strip_prefix('@') {
        if path.is_empty() {
            return Err(CliError::usage(format!(
                "{flag} @ needs a file name, e.g. {flag} @{example}"
            )));
        }
        let file = std::fs::File::open(path)
            .map_err(|e| CliError::usage(format!("cannot read {flag} file {path}: {e}")))?;
        let mut buf = Vec::new();
        file.take(max + 1)
            .read_to_end(&mut buf)
            .map_err(|e| CliError::usage(format!("cannot read {flag} file {path}: {e}")))?;
        (format!("file {path}"), buf)
    } else {
        ("inline".to_string(), spec.as_bytes().to_vec())
    };
    if bytes.len() as u64 > max {
        return Err(CliError::usage(format!(
            "{flag} ({source}) is larger than {} MiB",
            max / (1024 * 1024)
        )));
    }
    Ok((source, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_files() {
        assert_eq!(read("--content", "hello").unwrap(), "hello");
        assert_eq!(read("--content", "").unwrap(), "");
        let dir = std::env::temp_dir().join(format!("xeroctl-text-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("note.md");
        std::fs::write(&file, "line 1\nline 2\n").unwrap();
        let spec = format!("@{}", file.display());
        assert_eq!(read("--content", &spec).unwrap(), "line 1\nline 2\n");
        std::fs::write(&file, [0xff, 0xfe]).unwrap();
        assert!(read("--content", &spec).is_err());
        assert!(read("--content", "@").is_err());
        assert!(read("--content", "@/nonexistent/xeroctl/x").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

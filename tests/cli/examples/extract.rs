//! Every example a user can copy: the README's shell blocks and the
//! `Examples:` section of every command's `--help`, as the shell commands
//! they are (continuation lines joined, descriptions and comments dropped).

use std::fmt;

/// Where an example was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// README.md, the line the example starts on (1-based).
    Readme(usize),
    /// `xeroctl <path> --help`.
    Help(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Readme(line) => write!(f, "README.md:{line}"),
            Origin::Help(path) => write!(f, "xeroctl {path} --help"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Example {
    pub origin: Origin,
    /// The shell text, as bash runs it.
    pub script: String,
    /// The exit code the example says it gives (`(exit 5)` in its comment
    /// or description), else 0.
    pub expected_code: i32,
}

/// The README block marker that makes the whole next block one script (its
/// lines share files or variables), instead of one example per command.
pub const ONE_SCRIPT_MARKER: &str = "<!-- examples: one script -->";

pub fn readme_examples(readme: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut lines = readme.lines().enumerate().peekable();
    let mut one_script = false;
    while let Some((_, line)) = lines.next() {
        let trimmed = line.trim();
        if trimmed == ONE_SCRIPT_MARKER {
            one_script = true;
            continue;
        }
        if !trimmed.starts_with("```") {
            if !trimmed.is_empty() {
                one_script = false;
            }
            continue;
        }
        let shell = trimmed == "```sh" || trimmed == "```bash";
        let mut block = Vec::new();
        for (n, line) in lines.by_ref() {
            if line.trim().starts_with("```") {
                break;
            }
            block.push((n + 1, line));
        }
        if shell {
            out.extend(block_examples(&block, std::mem::take(&mut one_script)));
        }
        one_script = false;
    }
    out
}

/// A README ```console block: a session whose commands run in order against
/// one sandbox, each printing exactly the lines shown under it.
#[derive(Debug, Clone)]
pub struct ConsoleBlock {
    /// README.md, the line of the opening fence (1-based).
    pub line: usize,
    pub commands: Vec<ConsoleCommand>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleCommand {
    /// README.md, the line of the `$ ` prompt (1-based).
    pub line: usize,
    /// The shell text after `$ `, `\` continuation lines included.
    pub script: String,
    /// The stdout shown under the command, each line ending in `\n`.
    pub expected_stdout: String,
}

/// Every ```console block of the README. A block whose first line is not a
/// `$ ` command is shown output nobody produces: extraction refuses it.
pub fn readme_console_blocks(readme: &str) -> Vec<ConsoleBlock> {
    let mut out = Vec::new();
    let mut lines = readme.lines().enumerate();
    while let Some((n, line)) = lines.next() {
        if line.trim() != "```console" {
            continue;
        }
        let mut commands: Vec<ConsoleCommand> = Vec::new();
        let mut continued = false;
        for (m, line) in lines.by_ref() {
            if line.trim().starts_with("```") {
                break;
            }
            if continued {
                let command = commands.last_mut().expect("continues a command");
                command.script.push_str(line);
                command.script.push('\n');
                continued = line.trim_end().ends_with('\\');
            } else if let Some(script) = line.strip_prefix("$ ") {
                commands.push(ConsoleCommand {
                    line: m + 1,
                    script: format!("{script}\n"),
                    expected_stdout: String::new(),
                });
                continued = script.trim_end().ends_with('\\');
            } else {
                let command = commands.last_mut().unwrap_or_else(|| {
                    panic!("README.md:{}: output before any `$ ` command", m + 1)
                });
                command.expected_stdout.push_str(line);
                command.expected_stdout.push('\n');
            }
        }
        out.push(ConsoleBlock {
            line: n + 1,
            commands,
        });
    }
    out
}

/// The examples of one shell block: one per command (a `\` continuation
/// or a `for … done` loop is one command), or the whole block as one.
fn block_examples(block: &[(usize, &str)], one_script: bool) -> Vec<Example> {
    if one_script {
        let script: String = block.iter().map(|(_, l)| format!("{l}\n")).collect();
        let expected_code = block
            .iter()
            .filter_map(|(_, l)| stated_exit_code(comment_of(l)))
            .next_back()
            .unwrap_or(0);
        let first = block.first().map_or(0, |(n, _)| *n);
        return vec![Example {
            origin: Origin::Readme(first),
            script,
            expected_code,
        }];
    }
    let mut out = Vec::new();
    let mut current: Option<(usize, String, i32)> = None;
    let mut depth = 0usize;
    for &(n, line) in block {
        let code = strip_comment(line).trim_end();
        if current.is_none() && code.trim().is_empty() {
            continue;
        }
        let entry = current.get_or_insert_with(|| (n, String::new(), 0));
        entry.1.push_str(line);
        entry.1.push('\n');
        if let Some(c) = stated_exit_code(comment_of(line)) {
            entry.2 = c;
        }
        let first_word = code.split_whitespace().next().unwrap_or("");
        if matches!(first_word, "for" | "while" | "until" | "if") {
            depth += 1;
        }
        if matches!(first_word, "done" | "fi") {
            depth = depth.saturating_sub(1);
        }
        if depth == 0 && !code.ends_with('\\') {
            let (origin, script, expected_code) = current.take().expect("started above");
            out.push(Example {
                origin: Origin::Readme(origin),
                script,
                expected_code,
            });
        }
    }
    out
}

/// The text of a help's `Examples:` section (up to the first blank line), as
/// the examples it holds: two-space indented commands, deeper-indented
/// continuation lines, each optionally followed by two or more spaces and a
/// description.
pub fn help_examples(path: &str, after_help: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let Some(start) = after_help.find("Examples:\n") else {
        return out;
    };
    let mut current: Option<(String, i32)> = None;
    for line in after_help[start + "Examples:\n".len()..].lines() {
        if line.trim().is_empty() {
            break;
        }
        let (code, description) = split_description(line);
        let entry = current.get_or_insert_with(|| (String::new(), 0));
        entry.0.push_str(code.trim_end());
        entry.0.push('\n');
        if let Some(c) = stated_exit_code(description) {
            entry.1 = c;
        }
        if !code.trim_end().ends_with('\\') {
            let (script, expected_code) = current.take().expect("started above");
            out.push(Example {
                origin: Origin::Help(path.to_string()),
                script,
                expected_code,
            });
        }
    }
    out
}

/// The lines of a help's `Examples:` section as written.
pub fn example_lines(after_help: &str) -> Vec<&str> {
    let Some(start) = after_help.find("Examples:\n") else {
        return Vec::new();
    };
    after_help[start + "Examples:\n".len()..]
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .collect()
}

/// `(code, description)`: a description starts after two or more spaces
/// outside quotes, past the indent.
fn split_description(line: &str) -> (&str, &str) {
    let indent = line.len() - line.trim_start().len();
    let bytes = line.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = indent;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'\'' || b == b'"' => quote = Some(b),
            None if b == b' ' && bytes.get(i + 1) == Some(&b' ') => {
                let rest = line[i..].trim_start();
                return (&line[..i], rest);
            }
            None => {}
        }
        i += 1;
    }
    (line, "")
}

/// The line without an unquoted `#` comment (a `#` starting a word).
pub fn strip_comment(line: &str) -> &str {
    &line[..line.len() - comment_of(line).len()]
}

/// The unquoted `# …` comment of a shell line ("" when none).
fn comment_of(line: &str) -> &str {
    let bytes = line.as_bytes();
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'\'' || b == b'"' => quote = Some(b),
            None if b == b'#' && (i == 0 || bytes[i - 1] == b' ') => return &line[i..],
            None => {}
        }
    }
    ""
}

/// `(exit 5)` in a comment or description: the code the example gives.
fn stated_exit_code(text: &str) -> Option<i32> {
    let at = text.find("(exit ")?;
    let digits: String = text[at + "(exit ".len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let rest = &text[at + "(exit ".len() + digits.len()..];
    rest.starts_with(')').then(|| digits.parse().ok()).flatten()
}

/// Every command path with its after-help text.
pub fn help_texts() -> Vec<(String, String)> {
    fn walk(cmd: &clap::Command, prefix: &str, out: &mut Vec<(String, String)>) {
        for sub in cmd.get_subcommands() {
            let path = if prefix.is_empty() {
                sub.get_name().to_string()
            } else {
                format!("{prefix} {}", sub.get_name())
            };
            let text = sub
                .get_after_long_help()
                .or_else(|| sub.get_after_help())
                .map(|t| t.to_string())
                .unwrap_or_default();
            out.push((path.clone(), text));
            walk(sub, &path, out);
        }
    }
    let root = xeroctl::command();
    let mut out = vec![(
        String::new(),
        root.get_after_help()
            .map(|t| t.to_string())
            .unwrap_or_default(),
    )];
    walk(&root, "", &mut out);
    out
}

/// Every example of the README and of the help tree.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub fn all_examples() -> Vec<Example> {
    let mut out = readme_examples(include_str!("../../../README.md"));
    for (path, text) in help_texts() {
        out.extend(help_examples(&path, &text));
    }
    out
}

#[test]
fn extraction_joins_continuations_and_drops_descriptions() {
    let help = "Examples:\n  xeroctl a --x 'two  spaces'   Describe\n  \
                xeroctl b \\\n      --c d   Fails (exit 5)\n\nMore text\n";
    let found = help_examples("g", help);
    let scripts: Vec<_> = found.iter().map(|e| e.script.as_str()).collect();
    assert_eq!(
        scripts,
        [
            "  xeroctl a --x 'two  spaces'\n",
            "  xeroctl b \\\n      --c d\n"
        ]
    );
    assert_eq!(found[1].expected_code, 5);

    let readme = "```sh\nxeroctl a   # one\nfor i in 1; do\n  xeroctl b\ndone\n\
                  xeroctl c \\\n  --d   # said (exit 4)\n```\n\n\
                  <!-- examples: one script -->\n```sh\nA=1\necho $A\n```\n";
    let found = readme_examples(readme);
    let scripts: Vec<_> = found.iter().map(|e| e.script.as_str()).collect();
    assert_eq!(
        scripts,
        [
            "xeroctl a   # one\n",
            "for i in 1; do\n  xeroctl b\ndone\n",
            "xeroctl c \\\n  --d   # said (exit 4)\n",
            "A=1\necho $A\n"
        ]
    );
    assert_eq!(found[2].expected_code, 4);
    assert_eq!(found[3].origin, Origin::Readme(12));
}

#[test]
fn console_extraction_splits_commands_from_their_output() {
    let readme = "```sh\nxeroctl a\n```\n\n```console\n$ xeroctl b \\\n  --c\nline 1\n\
                  \n$ xeroctl d\n$ xeroctl e\nline 2\n```\n";
    let blocks = readme_console_blocks(readme);
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].line, 5);
    assert_eq!(
        blocks[0].commands,
        [
            ConsoleCommand {
                line: 6,
                script: "xeroctl b \\\n  --c\n".into(),
                expected_stdout: "line 1\n\n".into(),
            },
            ConsoleCommand {
                line: 10,
                script: "xeroctl d\n".into(),
                expected_stdout: String::new(),
            },
            ConsoleCommand {
                line: 11,
                script: "xeroctl e\n".into(),
                expected_stdout: "line 2\n".into(),
            },
        ]
    );
}

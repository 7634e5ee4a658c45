//! At 80 columns, every example line of `--help` and of the man pages is
//! shown whole, as written: never re-wrapped, never split mid-argument.

use std::process::Command;

use super::extract::{example_lines, help_texts};
use crate::support::*;

/// Longest example line: 80 columns less a margin, so that no terminal
/// wraps it.
const MAX_EXAMPLE_COLUMNS: usize = 78;

fn columns(line: &str) -> usize {
    line.chars().count()
}

/// `xeroctl <path> --help` as an 80-column terminal shows it (clap's own
/// rendering at that width).
fn help_at_80(path: &str) -> String {
    let mut cmd = xeroctl::command().term_width(80);
    cmd.build();
    let mut target = &mut cmd;
    for name in path.split_whitespace() {
        target = target.find_subcommand_mut(name).expect("a command path");
    }
    target.render_help().to_string()
}

#[test]
fn every_help_example_line_is_shown_whole_at_80_columns() {
    let mut checked = 0;
    let mut problems = Vec::new();
    for (path, after_help) in help_texts() {
        let examples = example_lines(&after_help);
        if examples.is_empty() {
            continue;
        }
        let rendered = help_at_80(&path);
        let shown: Vec<&str> = example_lines(&rendered);
        for line in &examples {
            checked += 1;
            if columns(line) > MAX_EXAMPLE_COLUMNS {
                problems.push(format!(
                    "xeroctl {path} --help: {} columns: {line}",
                    columns(line)
                ));
            }
        }
        if shown != examples {
            problems.push(format!(
                "xeroctl {path} --help at 80 columns re-wraps its examples:\n{}",
                shown.join("\n")
            ));
        }
        for line in rendered.lines() {
            if columns(line) > 80 && examples.contains(&line) {
                problems.push(format!("xeroctl {path} --help: wider than 80: {line}"));
            }
        }
    }
    assert!(checked > 80, "only {checked} example lines found");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The `.SH EXAMPLES` block of a page: between `.nf` and `.fi`, so roff
/// neither fills nor justifies it.
fn examples_block(page: &str) -> Option<&str> {
    let start = page.find(".SH EXAMPLES\n")?;
    let rest = &page[start..];
    let end = rest[1..].find("\n.SH ").map_or(rest.len(), |i| i + 1);
    Some(&rest[..end])
}

#[tokio::test]
async fn man_page_examples_are_unfilled_and_fit_80_columns() {
    let env = Env::bare();
    let dir = env.home.path().join("man");
    env.run(&["man", "--dir", dir.to_str().unwrap()])
        .await
        .expect_code(0);
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    // Rendered with man-db's `man -l` where there is one (Linux).
    let have_man =
        cfg!(target_os = "linux") && Command::new("man").arg("--version").output().is_ok();
    let mut with_examples = 0;
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap();
        let Some(block) = examples_block(&text) else {
            continue;
        };
        with_examples += 1;
        assert!(
            block.starts_with(".SH EXAMPLES\n.nf\n") && block.trim_end().ends_with(".fi"),
            "{}: examples not set unfilled:\n{block}",
            page.display()
        );
        if !have_man {
            continue;
        }
        // As man shows it on an 80-column terminal: every example line
        // of the page's command whole, on one line, none wider than 80.
        let out = Command::new("man")
            .arg("-l")
            .arg(page)
            .env("MANWIDTH", "80")
            .env("MAN_KEEP_FORMATTING", "")
            .env("LANG", "C.UTF-8")
            .output()
            .expect("man runs");
        let shown = String::from_utf8_lossy(&out.stdout);
        let section: Vec<&str> = shown
            .lines()
            .skip_while(|l| *l != "EXAMPLES")
            .skip(1)
            .take_while(|l| l.is_empty() || l.starts_with(' '))
            .filter(|l| !l.is_empty())
            .collect();
        assert!(!section.is_empty(), "{}:\n{shown}", page.display());
        for line in &section {
            assert!(
                columns(line) <= 80,
                "{}: {} columns: {line}",
                page.display(),
                columns(line)
            );
        }
        let lines_in_source: Vec<String> = block
            .lines()
            .filter(|l| !l.starts_with('.'))
            .map(|l| {
                l.replace("\\-", "-")
                    .replace("\\e", "\\")
                    .replace("\\&", "")
            })
            .collect();
        let section: Vec<String> = section.iter().map(|l| l.to_string()).collect();
        assert_eq!(section, lines_in_source, "{}", page.display());
    }
    assert!(
        with_examples > 25,
        "only {with_examples} pages with examples"
    );
}

//! The README's ```console sessions print what they show: each session's
//! commands run in order in bash against one fresh sandbox (the later ones
//! see what the earlier ones changed), and each must exit 0 with exactly the
//! stdout shown under it. The sessions show nothing that varies from run to
//! run (no port, no time), so the comparison is byte for byte.

use std::sync::Arc;

use super::extract::{readme_console_blocks, ConsoleBlock};
use super::run::{example_path, key_of, skip_list, tail, Scratch, EXAMPLE_TIMEOUT};

/// Why a session stopped: the first command that did not print what it
/// shows (the ones after it would run on a state the README does not show).
async fn run_session(block: ConsoleBlock, bin_dir: Arc<std::ffi::OsString>) -> Option<String> {
    let scratch = Scratch::start().await;
    let mut failure = None;
    for command in &block.commands {
        let mut cmd = scratch.bash(&command.script, &bin_dir);
        let outcome = tokio::time::timeout(EXAMPLE_TIMEOUT, cmd.output()).await;
        let problem = match outcome {
            Err(_) => Some(format!("still running after {EXAMPLE_TIMEOUT:?}")),
            Ok(Err(e)) => Some(format!("bash did not start: {e}")),
            Ok(Ok(out)) => {
                let stdout = String::from_utf8_lossy(&out.stdout);
                if out.status.code() == Some(0) && stdout == command.expected_stdout {
                    None
                } else {
                    let code = out
                        .status
                        .code()
                        .map_or_else(|| "none (a signal)".to_string(), |c| c.to_string());
                    Some(format!(
                        "exit {code} (expected 0)\n--- shown stdout\n{}--- actual stdout\n{}\
                         --- stderr\n{}",
                        command.expected_stdout,
                        stdout,
                        tail(&String::from_utf8_lossy(&out.stderr))
                    ))
                }
            }
        };
        if let Some(problem) = problem {
            failure = Some(format!(
                "README.md:{}: $ {}{problem}",
                command.line, command.script
            ));
            break;
        }
    }
    scratch.sandbox.shutdown().await;
    failure
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_console_session_prints_what_it_shows() {
    let blocks = readme_console_blocks(include_str!("../../../README.md"));
    assert!(
        blocks.len() >= 5,
        "found only {} console sessions in README.md",
        blocks.len()
    );
    let skipped = skip_list();
    let bin_dir = Arc::new(example_path());
    let mut tasks = Vec::new();
    let mut skipped_sessions = 0;
    let mut commands = 0;
    for block in blocks.iter().cloned() {
        assert!(
            !block.commands.is_empty(),
            "README.md:{}: a console block with no `$ ` command",
            block.line
        );
        if block
            .commands
            .iter()
            .any(|c| skipped.contains_key(&key_of(&c.script)))
        {
            skipped_sessions += 1;
            continue;
        }
        commands += block.commands.len();
        let bin_dir = bin_dir.clone();
        tasks.push(tokio::spawn(run_session(block, bin_dir)));
    }
    let mut failures = Vec::new();
    for task in tasks {
        if let Some(f) = task.await.expect("session task") {
            failures.push(f);
        }
    }
    eprintln!(
        "console sessions: {} found, {} run ({commands} commands), {skipped_sessions} skipped, \
         {} failed",
        blocks.len(),
        blocks.len() - skipped_sessions,
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} console sessions did not print what README.md shows:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

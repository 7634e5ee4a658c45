//! Help, completions, man pages, and the README's examples kept honest.

use crate::support::*;

/// Every command path, e.g. ["agents", "join-keys"].
fn command_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
        for sub in cmd.get_subcommands() {
            let mut path = prefix.clone();
            path.push(sub.get_name().to_string());
            out.push(path.clone());
            walk(sub, path, out);
        }
    }
    let mut out = Vec::new();
    walk(&xeroctl::command(), Vec::new(), &mut out);
    out
}

#[tokio::test]
async fn help_of_every_command_exits_zero_on_stdout() {
    let env = Env::bare();
    let paths = command_paths();
    assert!(paths.len() >= 5, "{paths:?}");
    for path in paths {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let run = env.run(&args).await;
        run.expect_code(0);
        assert!(
            run.stdout().contains("Usage: xeroctl"),
            "{args:?}: {}",
            run.stdout()
        );
        assert!(run.stderr().is_empty(), "{args:?}: {}", run.stderr());
    }
}

#[tokio::test]
async fn help_exit_codes_prints_the_table() {
    let run = Env::bare().run(&["help", "exit-codes"]).await;
    run.expect_code(0);
    for code in ["0 ", "1 ", "2 ", "3 ", "4 ", "5 ", "6 ", "7 ", "8 ", "130"] {
        assert!(
            run.stdout().contains(&format!("  {code}")),
            "{code}: {}",
            run.stdout()
        );
    }
    Env::bare()
        .run(&["help", "no-such-topic"])
        .await
        .expect_code(2);
    let run = Env::bare().run(&["help", "agents", "join-keys"]).await;
    run.expect_code(0);
    assert!(run.stdout().contains("--revoke"));
}

#[tokio::test]
async fn help_of_a_command_is_exactly_its_dash_dash_help() {
    let env = Env::bare();
    let mut paths = vec![vec![]];
    paths.extend(command_paths());
    for path in paths {
        let mut args: Vec<&str> = vec!["help"];
        args.extend(path.iter().map(String::as_str));
        let via_help = env.run(&args).await;
        via_help.expect_code(0);
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let via_flag = env.run(&args).await;
        assert_eq!(via_help.stdout(), via_flag.stdout(), "{path:?}");
        assert_eq!(via_help.stderr(), "", "{path:?}");
    }
    let a = env.run(&["help", "agents", "join-keys"]).await;
    let b = env.run(&["agents", "join-keys", "--help"]).await;
    assert_eq!(a.0.stdout, b.0.stdout);
}

#[tokio::test]
async fn help_topics_are_named_alike_everywhere() {
    const TOPICS: [&str; 3] = ["exit-codes", "environment", "config-file"];
    assert_eq!(xeroctl::testing::HELP_TOPICS, TOPICS);
    let env = Env::bare();
    for topic in TOPICS {
        let run = env.run(&["help", topic]).await;
        run.expect_code(0);
        assert!(!run.stdout().is_empty(), "{topic}");
    }
    let listed = TOPICS.join(", ");
    let run = env.run(&["--help"]).await;
    assert!(
        run.stdout().contains(&format!("a topic: {listed}")),
        "{}",
        run.stdout()
    );
    let run = env.run(&["help", "--help"]).await;
    assert!(
        run.stdout().contains(&format!("a topic: {listed}")),
        "{}",
        run.stdout()
    );
    for topic in TOPICS {
        assert!(
            run.stdout().contains(&format!("xeroctl help {topic} ")),
            "no example for {topic}: {}",
            run.stdout()
        );
    }
    // `config` is the command, not the config-file topic.
    let run = env.run(&["help", "config"]).await;
    run.expect_code(0);
    assert!(run.stdout().contains("Usage: xeroctl config"));
    let run = env.run(&["help", "configuration"]).await;
    run.expect_code(2);
    assert!(
        run.stderr().contains(&format!("topics: {listed};")),
        "{}",
        run.stderr()
    );
}

#[tokio::test]
async fn completions_generate_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = Env::bare().run(&["completion", shell]).await;
        run.expect_code(0);
        assert!(
            run.stdout().contains("join-keys"),
            "{shell} script lacks subcommands"
        );
    }
    Env::bare()
        .run(&["completion", "tcsh"])
        .await
        .expect_code(2);
}

#[tokio::test]
async fn man_pages_render() {
    let env = Env::bare();
    let run = env.run(&["man"]).await;
    run.expect_code(0);
    assert!(run.stdout().contains(".TH xeroctl 1"), "{}", run.stdout());
    let dir = env.home.path().join("man");
    env.run(&["man", "--dir", dir.to_str().unwrap()])
        .await
        .expect_code(0);
    let page = std::fs::read_to_string(dir.join("xeroctl-agents-join-keys.1")).unwrap();
    assert!(page.contains(r"\-\-revoke"), "{page}");
    assert!(dir.join("xeroctl.1").exists());
    // Every page ends with the exit codes; examples are set unfilled, one
    // line each, as written.
    assert!(
        run.stdout().contains(".SH \"EXIT STATUS\"\n.TP\n0\n"),
        "{}",
        run.stdout()
    );
    assert!(run.stdout().contains(".TP\n130\n"), "{}", run.stdout());
    let page = std::fs::read_to_string(dir.join("xeroctl-exec-list.1")).unwrap();
    assert!(page.contains(".nf\n"), "{page}");
    let example = page
        .lines()
        .find(|l| l.contains("xeroctl exec list \\-\\-status failed"))
        .expect("the example line");
    assert!(example.contains("\\-\\-limit 50"), "{page}");
    assert!(page.contains(".SH \"EXIT STATUS\""), "{page}");
}

/// How stdout goes away: after the first line is read, or before the
/// process even starts (every write fails).
#[derive(Clone, Copy, Debug)]
enum Closed {
    AfterFirstLine,
    FromTheStart,
}

/// Run xeroctl with stdout a pipe that is closed early; the exit code and
/// stderr.
fn run_into_closed_pipe(
    env: &Env,
    vars: &[(&str, &str)],
    args: &[&str],
    closed: Closed,
) -> (Option<i32>, String) {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("xeroctl"));
    cmd.env_clear()
        .env("HOME", env.home.path())
        .env("XDG_CONFIG_HOME", env.home.path().join("xdg"))
        .env("NO_COLOR", "1")
        .envs(vars.iter().copied())
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    let child = match closed {
        Closed::AfterFirstLine => {
            let mut child = cmd.stdout(Stdio::piped()).spawn().expect("spawn");
            let mut reader = std::io::BufReader::new(child.stdout.take().expect("stdout"));
            let mut line = String::new();
            reader.read_line(&mut line).expect("first line");
            drop(reader);
            child
        }
        Closed::FromTheStart => {
            let (reader, writer) = std::io::pipe().expect("pipe");
            drop(reader);
            cmd.stdout(writer).spawn().expect("spawn")
        }
    };
    drop(cmd);
    let output = child.wait_with_output().expect("wait");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `xeroctl completion fish | head -1` panicked (clap_complete panics on a
/// failed write): every command that prints to stdout ends quietly with
/// exit 0 when the reader goes away. Racy by nature, so several rounds.
#[test]
fn a_closed_pipe_ends_every_stdout_command_quietly() {
    let env = Env::bare();
    let commands: [&[&str]; 9] = [
        &["completion", "bash"],
        &["completion", "zsh"],
        &["completion", "fish"],
        &["completion", "powershell"],
        &["completion", "elvish"],
        &["man"],
        &["help", "exit-codes"],
        &["help", "agents", "join-keys"],
        &["agents", "--help"],
    ];
    for round in 0..4 {
        for closed in [Closed::AfterFirstLine, Closed::FromTheStart] {
            for args in commands {
                let (code, err) = run_into_closed_pipe(&env, &[], args, closed);
                let what = format!("{args:?} {closed:?} round {round}");
                assert_eq!(code, Some(0), "{what}: {err}");
                assert!(!err.contains("panicked"), "{what}: {err}");
                assert!(err.is_empty(), "{what}: {err}");
            }
        }
    }
    // Dynamic completion says nothing at all on failure, a closed pipe included.
    let args = ["--", "xeroctl", ""];
    let (code, err) =
        run_into_closed_pipe(&env, &[("COMPLETE", "fish")], &args, Closed::FromTheStart);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.is_empty(), "{err}");
}

/// A usage error whose stderr is a closed pipe still exits 2 (`eprint!`
/// would panic: exit 101).
#[cfg(unix)]
#[tokio::test]
async fn a_closed_stderr_does_not_panic() {
    let env = Env::bare();
    let run = env
        .run_shell("\"$XEROCTL\" --bogus 2> >(exec <&-; sleep 1); echo \"status=$?\"")
        .await;
    assert!(run.stdout().contains("status=2"), "{}", run.stdout());
}

/// Split one shell command line into words, stopping at an unquoted
/// `|`, `>`, `<`, `)`, `;`, `&` or comment.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '\\') => {
                if let Some(n) = chars.next() {
                    word.push(n);
                    in_word = true;
                }
            }
            (None, '|' | '>' | '<' | ')' | ';' | '&') => break,
            (None, '#') if !in_word => break,
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// Every `xeroctl …` invocation inside the README's shell blocks.
fn readme_examples() -> Vec<String> {
    let readme = include_str!("../../README.md");
    let mut in_block = false;
    let mut examples = Vec::new();
    for line in readme.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            in_block = trimmed == "```sh" || trimmed == "```bash";
            continue;
        }
        if !in_block {
            continue;
        }
        let mut rest = trimmed;
        while let Some(pos) = rest.find("xeroctl ") {
            let before = &rest[..pos];
            let starts_command =
                before.is_empty() || before.ends_with("$(") || before.ends_with(' ');
            if starts_command && !before.trim_end().ends_with("cargo") {
                examples.push(rest[pos..].to_string());
            }
            rest = &rest[pos + "xeroctl ".len()..];
        }
    }
    examples
}

#[test]
fn every_readme_example_parses() {
    let examples = readme_examples();
    assert!(
        examples.len() > 20,
        "found only {} examples",
        examples.len()
    );
    for example in examples {
        let words = shell_words(&example);
        if words.len() < 2 {
            // `COMPLETE=bash xeroctl`: the completion protocol, not a command.
            continue;
        }
        match xeroctl::command().try_get_matches_from(&words) {
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
                ) => {}
            Err(e) => panic!("README example does not parse: {example}\n{e}"),
        }
    }
}

#[test]
fn shell_word_splitting() {
    assert_eq!(
        shell_words(r#"xeroctl a --args '{"x": 1}' "b c" | jq .id"#),
        vec!["xeroctl", "a", "--args", r#"{"x": 1}"#, "b c"]
    );
    assert_eq!(shell_words("xeroctl a # comment"), vec!["xeroctl", "a"]);
    assert_eq!(
        shell_words("xeroctl a --x=#1"),
        vec!["xeroctl", "a", "--x=#1"]
    );
}

#[tokio::test]
async fn dynamic_completion_offers_saved_context_names() {
    let env = Env::bare();
    env.write_config(
        "current = \"prod\"\n[deployment.prod]\nbase_url = \"https://api.xerotier.ai/acme/v1\"\napi_key = \"xero_acme_k\"\n[deployment.lab]\nbase_url = \"http://127.0.0.1:8787/demo/v1\"\napi_key = \"xero_demo_k\"\n",
    );
    let complete = |args: &'static [&'static str]| {
        let mut cmd = env.cmd();
        cmd.env("COMPLETE", "fish").arg("--").args(args);
        run_blocking(cmd, None)
    };
    let run = complete(&["xeroctl", "--context", ""]).await;
    run.expect_code(0);
    let names: Vec<&str> = run
        .0
        .stdout
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| std::str::from_utf8(l).unwrap().split('\t').next().unwrap())
        .collect();
    assert_eq!(names, ["lab", "prod"], "{}", run.stdout());
    let run = complete(&["xeroctl", "config", "use", "pr"]).await;
    assert!(run.stdout().starts_with("prod"), "{}", run.stdout());
    assert!(!run.stdout().contains("xero_"), "no key in completions");
}

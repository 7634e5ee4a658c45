//! docs/spec/cli.md "Terminal", on a real pseudo-terminal of a set size
//! (util-linux `script`, sized with `stty`): tables fit without breaking
//! an id, colour never changes the layout, `--all` shows a live count,
//! and Ctrl+C at any prompt ends the run cleanly (exit 130).

use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

use crate::support::*;

const EXEC_ID: &str = "0f8c2b1e-6a4d-4f7e-9c3a-2d5b8e1f4a60";
const INV_ID: &str = "7d1e9a42-3b5c-4e8f-a0d6-91c2f7b3e5d8";
const AGENT_ID: &str = "agt_7Hq2xK9m";

fn have_script() -> bool {
    let ok = std::path::Path::new("/usr/bin/script").exists();
    if !ok {
        eprintln!("skipped: no /usr/bin/script");
    }
    ok
}

/// `command` (after `$XEROCTL`) on a `cols`×`rows` terminal; stdout and
/// stderr as the terminal showed them, `\r` removed.
async fn on_tty(env: &Env, cols: u16, rows: u16, vars: &str, command: &str) -> String {
    let script = format!(
        "script -qec 'stty cols {cols} rows {rows}; {vars} TERM=xterm \"$XEROCTL\" {command}; echo status=$?' /dev/null </dev/null"
    );
    env.run_shell(&script).await.stdout().replace('\r', "")
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

async fn list_server() -> MockServer {
    let server = MockServer::start().await;
    let mut a = agent(
        AGENT_ID,
        "gpu-worker-1 in the east rack, second shelf from the top",
    );
    a["last_heartbeat_at"] = json!("2026-11-23T06:59:48Z");
    expect("GET", "/management/agents")
        .respond_with(json(200, page(vec![a], false)))
        .mount(&server)
        .await;
    let exec = json!({
        "id": EXEC_ID, "object": "exec.execution", "invocation_id": INV_ID,
        "status": "completed", "exit_code": 0, "created_at": "2026-11-23T06:59:48Z"
    });
    expect("GET", "/exec/executions")
        .respond_with(json(200, page(vec![exec], false)))
        .mount(&server)
        .await;
    server
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn tables_fit_the_terminal_and_never_break_an_id() {
    if !have_script() {
        return;
    }
    let server = list_server().await;
    let env = Env::for_server(&server);
    for cols in [120u16, 80, 50] {
        for (command, ids) in [
            ("agents", &[AGENT_ID][..]),
            ("exec list", &[EXEC_ID, INV_ID]),
        ] {
            let text = strip_ansi(&on_tty(&env, cols, 40, "", command).await);
            assert!(text.contains("status=0"), "{cols} {command}: {text}");
            for id in ids {
                assert!(text.contains(id), "{cols} {command}: {id} broken:\n{text}");
            }
            if command == "agents" && cols >= 80 {
                // One line per row, within the width; the name shortened.
                for line in text.lines() {
                    assert!(line.chars().count() <= usize::from(cols), "{cols}:\n{text}");
                }
                assert!(text.contains('…'), "{cols}:\n{text}");
            }
        }
    }
    // Wide enough: the whole name.
    let text = on_tty(&env, 200, 40, "", "agents").await;
    assert!(text.contains("second shelf from the top"), "{text}");
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_terminal_without_a_size_uses_columns() {
    if !have_script() {
        return;
    }
    let server = list_server().await;
    let env = Env::for_server(&server);
    let text = on_tty(&env, 0, 0, "COLUMNS=90", "agents").await;
    assert!(text.contains(AGENT_ID), "{text}");
    assert!(text.contains('…'), "{text}");
    for line in strip_ansi(&text).lines() {
        assert!(line.chars().count() <= 90, "{text}");
    }
    // No size and no COLUMNS: not fitted, nothing cut.
    let text = on_tty(&env, 0, 0, "", "agents").await;
    assert!(text.contains("second shelf from the top"), "{text}");
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn colour_on_or_off_gives_the_same_layout() {
    if !have_script() {
        return;
    }
    let server = list_server().await;
    let env = Env::for_server(&server);
    for cols in [80u16, 50] {
        for command in ["agents", "exec list", &format!("agents {AGENT_ID}")] {
            let on = on_tty(&env, cols, 40, "", &format!("{command} --color always")).await;
            let off = on_tty(&env, cols, 40, "NO_COLOR=1", command).await;
            assert!(on.contains("\u{1b}["), "{on}");
            assert_eq!(strip_ansi(&on), off, "{cols} {command}");
        }
    }
    // Detail views: no trailing padding, even inside colour codes.
    let on = on_tty(
        &env,
        50,
        40,
        "",
        &format!("agents {AGENT_ID} --color always"),
    )
    .await;
    for line in on.lines() {
        assert!(!strip_ansi(line).ends_with(' '), "{line:?}");
        assert!(
            !line.contains(" \u{1b}[0m"),
            "padding inside colour: {line:?}"
        );
    }
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn all_shows_a_live_count_on_a_terminal_and_clears_it() {
    if !have_script() {
        return;
    }
    let server = MockServer::start().await;
    let mut first = page(agents(1, 3), true);
    first["last_id"] = json!("agt_3");
    expect("GET", "/management/agents")
        .and(wiremock::matchers::query_param("after", "agt_3"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page(agents(4, 2), false))
                .set_delay(std::time::Duration::from_millis(400)),
        )
        .mount(&server)
        .await;
    expect("GET", "/management/agents")
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(first)
                .set_delay(std::time::Duration::from_millis(400)),
        )
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let text = on_tty(&env, 80, 40, "", "agents --all").await;
    assert!(text.contains("fetched 3 agents…"), "{text:?}");
    assert!(text.contains("status=0"), "{text}");
    assert!(text.contains("agt_0005"), "{text}");
    // Cleared: the last count drawn is erased (`\e[2K`) before the run ends.
    let after_last = text.rsplit("fetched").next().unwrap_or_default();
    assert!(after_last.contains("\u{1b}[2K"), "{text:?}");
    // Not a terminal: no count at all.
    let run = env.run(&["agents", "--all"]).await;
    run.expect_code(0);
    assert!(!run.stderr().contains("fetched"), "{}", run.stderr());
}

/// Ctrl+C (a `\x03` typed at the terminal) while `command` asks.
async fn interrupt_at_prompt(env: &Env, command: &str, keys_before: &str) -> String {
    let script = format!(
        "(sleep 0.6; printf '{keys_before}'; sleep 0.4; printf '\\003'; sleep 1.2) \
         | script -qec 'trap \"\" INT; TERM=xterm \"$XEROCTL\" {command}; echo status=$?; stty -a' /dev/null"
    );
    env.run_shell(&script).await.stdout().replace('\r', "")
}

#[track_caller]
fn assert_interrupted(what: &str, text: &str) {
    assert!(text.contains("status=130"), "{what}: {text}");
    assert!(
        text.lines().any(|l| strip_ansi(l) == "error: interrupted"),
        "{what}: `error: interrupted` not on its own line: {text:?}"
    );
    assert!(
        text.contains("\u{1b}[?25h"),
        "{what}: cursor not shown: {text:?}"
    );
    assert!(!text.contains("-echo "), "{what}: echo left off: {text}");
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn ctrl_c_at_any_prompt_ends_the_run_with_130_and_sends_nothing() {
    if !have_script() {
        return;
    }
    let server = MockServer::start().await;
    expect("GET", "/management/agents/agt_1")
        .respond_with(json(200, agent("agt_1", "gpu-worker-1")))
        .mount(&server)
        .await;
    expect("GET", "/exec/approvals/ap_1")
        .respond_with(json(
            200,
            json!({"id": "ap_1", "object": "exec.approval", "status": "pending",
                   "tool": "kubectl", "risk": "destructive", "workspace_id": "ws_1"}),
        ))
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    for command in [
        "agents agt_1 --delete",
        "agents revoke-credentials agt_1",
        "approvals approve ap_1",
    ] {
        let text = interrupt_at_prompt(&env, command, "").await;
        assert_interrupted(command, &text);
        if command.starts_with("agents") {
            assert!(text.contains("agt_1 (gpu-worker-1, active)?"), "{text}");
        }
    }
    let sent: Vec<_> = received(&server)
        .await
        .into_iter()
        .filter(|r| r.method.as_str() != "GET")
        .collect();
    assert!(sent.is_empty(), "nothing may be sent: {sent:?}");

    // The hidden key prompts of `config add` and `config init`.
    let env = Env::bare();
    let text = interrupt_at_prompt(
        &env,
        "config add prod --base-url http://127.0.0.1:9/demo/v1 --api-key-stdin",
        "",
    )
    .await;
    assert_interrupted("config add", &text);
    let text = interrupt_at_prompt(&env, "config init", "\\n").await;
    assert_interrupted("config init", &text);
    assert!(!env.config_path().exists(), "nothing may be saved");
}

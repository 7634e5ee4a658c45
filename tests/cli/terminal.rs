//! What reaches the terminal: server strings cannot drive it, and a
//! closed pipe ends the program quietly.

use serde_json::json;
use wiremock::MockServer;

use crate::support::*;

/// No escape, C0/C1 control (other than newline) or bidi override.
#[track_caller]
fn assert_inert(stream: &str, text: &str) {
    let bad = text.chars().find(|c| {
        (c.is_control() && *c != '\n')
            || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    });
    assert!(bad.is_none(), "{stream} carries {bad:?}: {text:?}");
}

fn hostile_agent(id: &str) -> serde_json::Value {
    json!({
        "id": id, "object": "agent",
        "name": "evil\u{1b}]0;pwned\u{7}name",
        "worker_id": "w\u{202E}gpj.exe",
        "status": "act\u{1b}[5mive",
        "region": "\u{1b}[2J\u{1b}[31mus-east\u{9b}1m",
        "max_concurrent_requests": 8,
        "description": "line one\u{1b}]8;;http://evil.example\u{1b}\\click\u{1b}]8;;\u{1b}\\\nline\u{8}\u{8} two\u{2066}",
        "supported_tiers": ["prio\u{7}rity", "\u{1b}(0default"],
        "storage_limit_enabled": true, "storage_limit_bytes": 1,
        "last_heartbeat_at": "2026-11-23T06:59:48Z\u{1b}[2J",
        "created_at": "\u{1b}]52;c;Y2xpcGJvYXJk\u{7}2026", "updated_at": null
    })
}

#[tokio::test]
async fn server_strings_never_reach_the_terminal_raw() {
    let server = MockServer::start().await;
    let mut listed = page(vec![hostile_agent("agt_1")], true);
    listed["last_id"] = json!("agt_\u{1b}]0;x\u{7}9");
    expect("GET", "/management/agents")
        .respond_with(json(200, listed))
        .mount(&server)
        .await;
    expect("GET", "/management/agents/agt_1")
        .respond_with(json(200, hostile_agent("agt_1")))
        .mount(&server)
        .await;
    let events = vec![
        event(
            "evt_1",
            "boom\u{7}\u{1b}[1A",
            json!({"k\u{1b}[31m": "v\u{202E}al", "n": {"x": "\u{1b}"}}),
            "2026-11-23T06:00:00Z",
        ),
        event(
            "evt_2",
            "error",
            json!("disk\r\nfull\u{1b}[K"),
            "bad\u{1b}time",
        ),
    ];
    expect("GET", "/management/agents/agt_1/events")
        .respond_with(json(200, page(events, false)))
        .mount(&server)
        .await;
    let mut key = join_key("jk_1");
    key["region"] = json!("eu\u{1b}[8mwest");
    key["status"] = json!("\u{9b}31mactive");
    key["token"] = json!("jt_\u{1b}]0;t\u{7}secret");
    expect("GET", "/management/join-keys")
        .respond_with(json(200, page(vec![key.clone()], false)))
        .mount(&server)
        .await;
    expect("POST", "/management/join-keys")
        .respond_with(json(201, key))
        .mount(&server)
        .await;
    expect("GET", "/management/agents/gone")
        .respond_with(api_error(
            404,
            "agent_not_found\u{1b}[2J",
            "Agent \u{1b}]0;owned\u{7}gone \u{202E}not found",
        ))
        .mount(&server)
        .await;

    let env = Env::for_server(&server);
    let runs = [
        (&["agents"][..], 0),
        (&["agents", "agt_1"][..], 0),
        (&["agents", "agt_1", "--events"][..], 0),
        (&["agents", "join-keys"][..], 0),
        (&["agents", "join-keys", "--create", "-v"][..], 0),
        (&["agents", "gone", "-v"][..], 4),
        (&["agents", "agt_1", "--color", "always"][..], 0),
    ];
    for (args, code) in runs {
        let run = env.run(args).await;
        run.expect_code(code);
        if !args.contains(&"always") {
            assert_inert("stdout", &run.stdout());
        } else {
            // Our own colours only: no OSC, no screen clearing from the server.
            assert!(!run.stdout().contains("\u{1b}]") && !run.stdout().contains("[2J"));
        }
        assert_inert("stderr", &run.stderr());
    }
    let run = env.run(&["agents"]).await;
    assert!(run.stdout().contains("evilname"), "{}", run.stdout());
    assert!(run.stderr().contains("--after agt_9"), "{}", run.stderr());
    let run = env.run(&["agents", "agt_1"]).await;
    assert!(run.stdout().contains("line oneclick\n"), "{}", run.stdout());
}

#[tokio::test]
async fn a_closed_pipe_ends_quietly_with_exit_0() {
    let server = MockServer::start().await;
    // Far more than a pipe buffer (64 KiB), so writes hit the closed pipe.
    let big = page(agents(1, 3000), false);
    expect("GET", "/management/agents")
        .respond_with(json(200, big))
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    for command in [
        "\"$XEROCTL\" agents -o json | head -c1",
        "\"$XEROCTL\" agents --all -o json | head -c1",
        "\"$XEROCTL\" agents | head -n1",
    ] {
        let script = format!("{command} >/dev/null; echo \"status=${{PIPESTATUS[0]}}\" >&2");
        let run = env.run_shell(&script).await;
        let err = run.stderr();
        assert!(err.contains("status=0"), "{command}: {err}");
        assert!(!err.contains("panicked"), "{command}: {err}");
        assert!(
            !err.to_lowercase().contains("broken pipe"),
            "{command}: {err}"
        );
        assert!(!err.contains("error"), "{command}: {err}");
        run.expect_code(0);
    }
}

/// The confirmation prompt, on a real pseudo-terminal (util-linux `script`).
/// Input stays open a little after the answer: `script` lingers ~2 s when
/// its stdin ends before the child does.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn on_a_terminal_delete_asks_first_and_defaults_to_no() {
    if !std::path::Path::new("/usr/bin/script").exists() {
        eprintln!("skipped: no /usr/bin/script");
        return;
    }
    let server = MockServer::start().await;
    // Looked up before asking, to name it in the question.
    expect("GET", "/management/agents/agt_1")
        .respond_with(json(200, agent("agt_1", "gpu-worker-1")))
        .mount(&server)
        .await;
    expect("DELETE", "/management/agents/agt_1")
        .respond_with(wiremock::ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let answer = |keys: &str| {
        format!(
            "(sleep 0.3; printf '{keys}'; sleep 0.5) | script -qec '\"$XEROCTL\" agents agt_1 --delete' /dev/null"
        )
    };
    for keys in ["n\\n", "\\n"] {
        let run = env.run_shell(&answer(keys)).await;
        run.expect_code(2);
        assert!(run.stdout().contains("[y/N]"), "{}", run.stdout());
        assert!(
            run.stdout().contains("agt_1 (gpu-worker-1, active)?"),
            "{}",
            run.stdout()
        );
        assert!(run.stdout().contains("aborted"), "{}", run.stdout());
    }
    let run = env.run_shell(&answer("y\\n")).await;
    run.expect_code(0);
    assert!(
        run.stdout().contains("Deleted agent agt_1."),
        "{}",
        run.stdout()
    );
}

/// On a 50-column terminal the question is wider than a row: it is broken
/// at spaces (after its `?` first) and the prompt keeps one row, so the
/// answered prompt leaves no repeated fragment on screen.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_question_wider_than_the_terminal_leaves_no_fragment() {
    if !std::path::Path::new("/usr/bin/script").exists() {
        eprintln!("skipped: no /usr/bin/script");
        return;
    }
    let server = MockServer::start().await;
    expect("GET", "/management/agents/agt_7Hq2")
        .respond_with(json(200, agent("agt_7Hq2", "gpu-worker-1")))
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let script = "(sleep 0.6; printf 'n'; sleep 0.6) | script -qec 'stty cols 50 rows 40; \
        TERM=xterm \"$XEROCTL\" agents agt_7Hq2 --delete; echo status=$?' /dev/null";
    let out = env.run_shell(script).await.stdout();
    assert_eq!(
        crate::screen::Screen::render(50, &out),
        [
            "Delete agent agt_7Hq2 (gpu-worker-1, active)?",
            "This cannot be undone no",
            "error: aborted: did not delete agent agt_7Hq2",
            "status=2",
        ],
        "{out:?}"
    );
}

/// Approving or rejecting a join candidate on a terminal names the worker
/// in the question (one GET first, as `--delete` names the agent); No
/// sends nothing, yes sends the decision.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn on_a_terminal_a_candidate_decision_names_the_worker() {
    if !std::path::Path::new("/usr/bin/script").exists() {
        eprintln!("skipped: no /usr/bin/script");
        return;
    }
    let server = MockServer::start().await;
    expect("GET", "/management/agents/candidates/cand_3b9e")
        .respond_with(json(
            200,
            serde_json::json!({"id": "cand_3b9e", "object": "agent.candidate", "worker_id": "wrk_77aa",
                "hostname": "gpu-node-17", "region": "us-east", "fingerprint": "SHA256:q1w2e3",
                "status": "pending", "agent_id": null, "created_at": "2026-11-23T05:00:00Z",
                "resolved_at": null}),
        ))
        .mount(&server)
        .await;
    expect("POST", "/management/agents/candidates/cand_3b9e/reject")
        .respond_with(json(
            200,
            serde_json::json!({"id": "cand_3b9e", "object": "agent.candidate", "status": "rejected"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let answer = |action: &str, keys: &str| {
        format!(
            "(sleep 0.3; printf '{keys}'; sleep 0.5) | script -qec 'stty cols 120 rows 40; \"$XEROCTL\" agents candidates cand_3b9e {action}' /dev/null"
        )
    };
    for (action, verb) in [("--approve", "Approve"), ("--reject", "Reject")] {
        let run = env.run_shell(&answer(action, "\\n")).await;
        run.expect_code(2);
        let want = format!(
            "{verb} candidate cand_3b9e (gpu-node-17, us-east, SHA256:q1w2e3, pending)? [y/N]"
        );
        assert!(run.stdout().contains(&want), "{want}\n{}", run.stdout());
        assert!(run.stdout().contains("aborted"), "{}", run.stdout());
    }
    let posts = |requests: Vec<wiremock::Request>| {
        requests
            .into_iter()
            .filter(|r| r.method.as_str() == "POST")
            .count()
    };
    assert_eq!(posts(received(&server).await), 0, "No must send nothing");
    let run = env.run_shell(&answer("--reject", "y\\n")).await;
    run.expect_code(0);
    assert!(
        run.stdout().contains("Rejected candidate cand_3b9e."),
        "{}",
        run.stdout()
    );
}

/// Ctrl+C at the hidden API-key prompt of `config init` ends the run at
/// once (exit 130), saves nothing, and leaves the terminal echoing.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn ctrl_c_at_the_hidden_key_prompt_stops_and_restores_echo() {
    if !std::path::Path::new("/usr/bin/script").exists() {
        eprintln!("skipped: no /usr/bin/script");
        return;
    }
    let env = Env::bare();
    // The inner shell ignores SIGINT so it survives to report; xeroctl
    // installs its own handler regardless.
    let script = "(sleep 0.4; printf '\\n'; sleep 0.3; printf 'http://127.0.0.1:8787/demo/v1\\n'; sleep 0.5; printf '\\003'; sleep 1.5) \
        | script -qec 'trap \"\" INT; \"$XEROCTL\" config init; echo status=$?; stty -a' /dev/null";
    let run = env.run_shell(script).await;
    let out = run.stdout();
    assert!(out.contains("API key (hidden)"), "{out}");
    assert!(out.contains("status=130"), "{out}");
    assert!(out.contains("interrupted"), "{out}");
    assert!(!out.contains("-echo "), "echo left off:\n{out}");
    assert!(!env.config_path().exists(), "nothing may be saved");
}

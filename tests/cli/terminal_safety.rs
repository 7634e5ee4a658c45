//! Server strings never drive the terminal in the approvals, status and
//! config groups: tables, detail views, errors, -v traces and `-o json`.
//! (The agents side is in terminal.rs, exec in exec_faults.rs.)

use serde_json::json;
use wiremock::MockServer;

use crate::support::*;

/// No escape, C0/C1 control (other than newline) or bidi control.
#[track_caller]
fn assert_inert(what: &str, text: &str) {
    let bad = text.chars().find(|c| {
        (c.is_control() && *c != '\n')
            || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    });
    assert!(bad.is_none(), "{what} carries {bad:?}: {text:?}");
}

const EVIL: &str = "x\u{1b}]0;pwned\u{7}\u{1b}[2J\r\u{8}\u{9b}31m\u{202E}\u{2066}y";

fn hostile_approval(id: &str) -> serde_json::Value {
    json!({
        "id": id, "object": "exec.approval", "invocation_id": format!("inv{EVIL}"),
        "tool": format!("kubectl{EVIL}"), "workspace_id": format!("ws{EVIL}"),
        "risk": format!("destructive{EVIL}"), "status": format!("pending{EVIL}"),
        "created_at": format!("2026{EVIL}"), "expires_at": format!("soon{EVIL}"),
        "resolved_at": null, "resolved_by": format!("ops{EVIL}"),
        "note": format!("line1\nline2{EVIL}"), "reason": EVIL
    })
}

#[tokio::test]
async fn server_strings_never_reach_the_terminal_raw_in_approvals_and_status() {
    let server = MockServer::start().await;
    let mut listed = page(vec![hostile_approval("ap_1")], true);
    listed["last_id"] = json!(format!("ap{EVIL}"));
    // `watch` polls every page: its list ends.
    expect("GET", "/exec/approvals")
        .and(wiremock::matchers::query_param("status", "pending"))
        .respond_with(json(200, page(vec![hostile_approval("ap_1")], false)))
        .mount(&server)
        .await;
    expect("GET", "/exec/approvals")
        .respond_with(json(200, listed))
        .mount(&server)
        .await;
    expect("GET", "/exec/approvals/ap_1")
        .respond_with(json(200, hostile_approval("ap_1")))
        .mount(&server)
        .await;
    expect("POST", "/exec/approvals/ap_1/approve")
        .respond_with(json(200, hostile_approval("ap_1")))
        .mount(&server)
        .await;
    expect("POST", "/exec/approvals/ap_2/reject")
        .respond_with(api_error(
            409,
            &format!("approval_resolved{EVIL}"),
            &format!("already {EVIL}"),
        ))
        .mount(&server)
        .await;
    expect("GET", "/exec/approvals/ap_2")
        .respond_with(json(200, hostile_approval("ap_2")))
        .mount(&server)
        .await;
    expect("GET", "/management/agents")
        .respond_with(api_error(403, "scope_insufficient", &format!("nope{EVIL}")))
        .mount(&server)
        .await;
    expect("GET", "/exec/tools")
        .respond_with(api_error(500, "boom", EVIL))
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let cases: [(&[&str], i32); 8] = [
        (&["approvals", "list"], 0),
        (&["approvals", "show", "ap_1"], 0),
        (&["approvals", "approve", "ap_1", "--force"], 0),
        (&["approvals", "reject", "ap_2", "--force", "-v"], 5),
        (
            &[
                "approvals",
                "watch",
                "--max-events",
                "1",
                "--interval",
                "0.1",
            ],
            0,
        ),
        (&["approvals", "list", "-v"], 0),
        (&["status"], 1),
        (&["status", "-v"], 1),
    ];
    for (args, code) in cases {
        let run = env.run(args).await;
        run.expect_code(code);
        assert_inert(&format!("{args:?} stdout"), &run.stdout());
        assert_inert(&format!("{args:?} stderr"), &run.stderr());
    }
}

#[tokio::test]
async fn hand_edited_config_strings_never_reach_the_terminal_raw() {
    let env = Env::bare();
    env.write_config(
        "current = \"c\\u001b]0;t\\u0007\"\n[deployment.\"c\\u001b]0;t\\u0007\"]\nbase_url = \"https://h/p\\u001b[2J/v1\"\napi_key = \"xero_p_abc\\u001b[31mdefghijklmnopqrstuvw\"\n",
    );
    for args in [
        &["config", "list"][..],
        &["config", "show"][..],
        &["status"][..],
        &["agents"][..],
    ] {
        let run = env.run(args).await;
        assert_inert(&format!("{args:?} stdout"), &run.stdout());
        assert_inert(&format!("{args:?} stderr"), &run.stderr());
    }
}

#[tokio::test]
async fn json_output_escapes_what_json_leaves_raw_and_keeps_the_value() {
    let server = MockServer::start().await;
    let hostile = hostile_approval("ap_1");
    expect("GET", "/exec/approvals/ap_1")
        .respond_with(json(200, hostile.clone()))
        .mount(&server)
        .await;
    expect("GET", "/exec/approvals")
        .respond_with(json(200, page(vec![hostile.clone()], false)))
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let run = env.run(&["approvals", "show", "ap_1", "-o", "json"]).await;
    run.expect_code(0);
    assert_inert("show -o json", &run.stdout());
    assert_eq!(run.json(), hostile, "the JSON value is unchanged");
    let run = env.run(&["approvals", "list", "--all", "-o", "json"]).await;
    run.expect_code(0);
    assert_inert("list --all -o json", &run.stdout());
    assert_eq!(run.json()["data"][0], hostile);
    let run = env
        .run(&[
            "approvals",
            "watch",
            "--max-events",
            "1",
            "-o",
            "json",
            "--interval",
            "0.1",
        ])
        .await;
    run.expect_code(0);
    assert_inert("watch -o json", &run.stdout());
    let line: serde_json::Value = serde_json::from_str(run.stdout().trim()).unwrap();
    assert_eq!(line, hostile);
}

/// Security finding 6: the `--all -o json` envelope's `first_id`/`last_id`
/// come from the router too, and are escaped like every other string.
#[tokio::test]
async fn all_json_escapes_the_envelope_cursors_and_keeps_their_values() {
    let server = MockServer::start().await;
    let first = "ap\u{9b}2J\u{202E}first";
    let middle = "ap\u{9d}0;mid\u{9c}";
    let last = "ap\u{9d}0;pwned\u{9c}\u{202E}\u{7f}last";
    let mut one = page(vec![hostile_approval("ap_1")], true);
    one["first_id"] = json!(first);
    one["last_id"] = json!(middle);
    let mut two = page(vec![hostile_approval("ap_2")], false);
    two["first_id"] = json!("ap_2");
    two["last_id"] = json!(last);
    expect("GET", "/exec/approvals")
        .and(wiremock::matchers::query_param("after", middle))
        .respond_with(json(200, two))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/exec/approvals")
        .respond_with(json(200, one))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["approvals", "list", "--all", "-o", "json"])
        .await;
    run.expect_code(0);
    assert_inert("list --all -o json", &run.stdout());
    let v = run.json();
    assert_eq!(v["first_id"], first);
    assert_eq!(v["last_id"], last);
    assert_eq!(v["data"][1], hostile_approval("ap_2"));
}

/// A raw C1 byte (0x9B, not UTF-8) in a field the models do not read is not
/// JSON: refused like any unreadable body, never copied to stdout.
#[tokio::test]
async fn json_output_never_copies_raw_c1_bytes() {
    let server = MockServer::start().await;
    let mut body = br#"{"id": "ap_1", "object": "exec.approval", "extra": "x"#.to_vec();
    body.extend_from_slice(b"\x9b2J\x9d0;t\x9c\x90q\x9c\"}");
    let mut list = br#"{"object": "list", "data": [{"id": "ap_1", "extra": "x"#.to_vec();
    list.extend_from_slice(b"\x9b2J\"}], \"has_more\": false}");
    let raw =
        |body: Vec<u8>| wiremock::ResponseTemplate::new(200).set_body_raw(body, "application/json");
    expect("GET", "/exec/approvals/ap_1")
        .respond_with(raw(body))
        .mount(&server)
        .await;
    expect("GET", "/exec/approvals")
        .respond_with(raw(list))
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    for args in [
        &["approvals", "show", "ap_1", "-o", "json"][..],
        &["approvals", "list", "-o", "json"][..],
        &["approvals", "list", "--all", "-o", "json"][..],
    ] {
        let run = env.run(args).await;
        assert!(
            !run.0.stdout.iter().any(|b| (0x80..=0x9f).contains(b)),
            "{args:?}: {:?}",
            run.stdout()
        );
        run.expect_code(1);
        let err = run.stderr();
        assert!(
            err.contains("not valid JSON") || err.contains("could not read"),
            "{err}"
        );
    }
}

//! `exec invoke` on a real pseudo-terminal (util-linux `script`) with flags
//! missing: the prompts, the equivalent command, the POST body; Ctrl+C.

use serde_json::json;
use wiremock::matchers::body_json;
use wiremock::MockServer;

use super::invocation;
use crate::support::*;

fn scale_tool() -> serde_json::Value {
    json!({"name": "kubectl_scale", "object": "exec.tool", "risk": "write",
       "description": "Scale a deployment", "parameters": {
    "type": "object", "required": ["deployment", "replicas"], "properties": {
        "deployment": {"type": "string", "description": "Deployment name"},
        "replicas": {"type": "integer", "minimum": 1},
        "strategy": {"enum": ["rolling", "recreate"]},
        "dry_run": {"type": "boolean", "description": "Server-side dry run"},
        "labels": {"type": "object"}
    }}})
}

async fn server(posts: u64) -> MockServer {
    let server = MockServer::start().await;
    expect("GET", "/exec/tools")
        .respond_with(json(
            200,
            page(
                vec![
                    json!({"name": "kubectl_get", "risk": "read", "description": "List resources"}),
                    scale_tool(),
                ],
                false,
            ),
        ))
        .mount(&server)
        .await;
    expect("GET", "/exec/tools/kubectl_scale")
        .respond_with(json(200, scale_tool()))
        .mount(&server)
        .await;
    expect("POST", "/exec/invocations")
        .and(body_json(json!({
            "workspace_id": "ws_a1b2c3d4", "tool": "kubectl_scale",
            "arguments": {"deployment": "web", "replicas": 3, "strategy": "recreate", "dry_run": true}
        })))
        .respond_with(json(201, invocation("queued")))
        .expect(posts)
        .mount(&server)
        .await;
    server
}

/// Feed `keys` (printf escapes, one step each, with pauses) to `xeroctl
/// exec invoke` on a pseudo-terminal; the shell reports the exit status.
fn on_a_terminal(keys: &[&str]) -> String {
    let steps: Vec<String> = keys
        .iter()
        .map(|k| format!("sleep 0.4; printf '{k}'"))
        .collect();
    format!(
        "({}; sleep 1.5) | script -qec 'trap \"\" INT; stty rows 40 cols 120; \"$XEROCTL\" exec invoke; echo status=$?' /dev/null",
        steps.join("; ")
    )
}

fn has_script() -> bool {
    let there = std::path::Path::new("/usr/bin/script").exists();
    if !there {
        eprintln!("skipped: no /usr/bin/script");
    }
    there
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn the_prompts_build_the_body_and_print_the_equivalent_command() {
    if !has_script() {
        return;
    }
    let server = server(1).await;
    let env = Env::for_server(&server);
    let run = env
        .run_shell(&on_a_terminal(&[
            "scale",          // fuzzy pick of the tool
            "\\r",            //
            "ws_a1b2c3d4\\r", // workspace
            "web\\r",         // deployment (string)
            "3\\r",           // replicas (integer)
            "\\033[B",        // strategy: down to "recreate"
            "\\r",            //
            "y",              // dry_run (boolean)
            "\\r",            // labels (object, optional): skipped
        ]))
        .await;
    let out = run.stdout();
    assert!(out.contains("status=0"), "{out}");
    assert!(
        out.contains(
            r#"Equivalent command: xeroctl exec invoke --workspace ws_a1b2c3d4 --tool kubectl_scale --args '{"deployment":"web","replicas":3,"strategy":"recreate","dry_run":true}'"#
        ),
        "{out}"
    );
    assert!(!out.contains(KEY));
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn ctrl_c_at_a_prompt_sends_nothing_and_exits_130() {
    if !has_script() {
        return;
    }
    let server = server(0).await;
    let env = Env::for_server(&server);
    for keys in [
        &["\\003"][..],                                     // at the tool pick
        &["scale", "\\r", "\\003"][..],                     // at the workspace
        &["scale", "\\r", "ws_a1b2c3d4\\r", "we\\003"][..], // at a parameter
    ] {
        let run = env.run_shell(&on_a_terminal(keys)).await;
        let out = run.stdout();
        assert!(out.contains("status=130"), "{keys:?}: {out}");
    }
    // `.expect(0)` on the POST checks nothing was sent.
}

#[tokio::test]
async fn with_no_terminal_missing_flags_stay_usage_errors() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let run = Env::for_server(&server).run(&["exec", "invoke"]).await;
    run.expect_code(2);
    assert_eq!(
        run.stderr(),
        "error: the following required arguments were not provided: --workspace <WS_ID>, --tool <NAME>, --args <JSON>\n\
         hint: see `xeroctl exec invoke --help` (on a terminal, missing values are asked for)\n"
    );
}

//! Errors that stop short end with a hint naming the next command, with the
//! real ids: the binary against the sandbox router.

use insta::assert_snapshot;
use xeroctl_sandbox::ids;

use crate::sandbox_e2e::{env_for, start};
use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn rejected_arguments_point_at_the_tools_parameters() {
    let sandbox = start(0).await;
    let env = env_for(&sandbox);
    let run = env
        .run(&[
            "exec",
            "invoke",
            "--workspace",
            ids::WORKSPACE,
            "--tool",
            "kubectl_get",
            "--args",
            "{}",
            // The router's own refusal (the client-side schema check is
            // covered in exec/validate.rs).
            "--no-validate",
        ])
        .await;
    assert_snapshot!(run, @"
    exit: 2
    --- stdout
    --- stderr
    error: arguments.resource is required (invalid_body, request id req_[id])
    hint: see the parameters with: xeroctl exec tool-show kubectl_get
    ");
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_tool_points_at_the_tool_list_from_invoke_and_tool_show() {
    let sandbox = start(0).await;
    let env = env_for(&sandbox);
    let run = env
        .run(&[
            "exec",
            "invoke",
            "--workspace",
            ids::WORKSPACE,
            "--tool",
            "nope",
            "--args",
            "{}",
        ])
        .await;
    // The schema check looks the tool up first: 404, like tool-show.
    assert_snapshot!(run, @"
    exit: 4
    --- stdout
    --- stderr
    error: Tool 'nope' not found (exec_tool_not_found, request id req_[id])
    hint: list tools with `xeroctl exec tools`
    ");
    let run = env
        .run(&[
            "exec",
            "invoke",
            "--workspace",
            ids::WORKSPACE,
            "--tool",
            "nope",
            "--args",
            "{}",
            "--no-validate",
        ])
        .await;
    // Without the lookup the router refuses the invocation: 400.
    assert_snapshot!(run, @"
    exit: 2
    --- stdout
    --- stderr
    error: Tool 'nope' not found (parameter `tool`) (exec_tool_not_found, request id req_[id])
    hint: list tools with `xeroctl exec tools`
    ");
    let run = env.run(&["exec", "tool-show", "nope"]).await;
    assert_snapshot!(run, @"
    exit: 4
    --- stdout
    --- stderr
    error: Tool 'nope' not found (exec_tool_not_found, request id req_[id])
    hint: list tools with `xeroctl exec tools`
    ");
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_base_url_without_v1_says_so() {
    let sandbox = start(0).await;
    let base = sandbox.base_url();
    let without_v1 = base.strip_suffix("/v1").expect("…/v1").to_string();
    let env = Env::new(Some(without_v1), Some(sandbox.api_key().to_string()));
    let run = env.run(&["agents"]).await;
    assert_snapshot!(run, @"
    exit: 4
    --- stdout
    --- stderr
    error: No such endpoint: GET /demo/management/agents (not_found, request id req_[id])
    hint: the base URL must end in /v1: --base-url https://…/<project>/v1, or save it with `xeroctl config add`
    ");
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invocation_id_given_to_exec_show_or_raw_is_named_as_such() {
    let sandbox = start(0).await;
    let env = env_for(&sandbox);
    let mut runs = Transcript::default();
    for verb in ["show", "raw"] {
        let args = ["exec", verb, ids::INVOCATION_COMPLETED];
        runs.add(&args, &env.run(&args).await);
    }
    // An id that is neither keeps the plain not-found hint.
    let args = ["exec", "show", "00000000-0000-4000-8000-000000000000"];
    runs.add(&args, &env.run(&args).await);
    assert_snapshot!(runs, @"
    $ exec show 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10
    exit: 4
    --- stdout
    --- stderr
    error: Execution 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 not found (that is an invocation id, not an execution id) (execution_not_found, request id req_[id])
    hint: show its execution with: xeroctl exec show 7d2e4a91-3b6c-4f8e-a1d2-9c0b8e7f6a51
    hint: follow the invocation with: xeroctl exec watch 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10

    $ exec raw 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10
    exit: 4
    --- stdout
    --- stderr
    error: Execution 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 not found (that is an invocation id, not an execution id) (execution_not_found, request id req_[id])
    hint: show its execution with: xeroctl exec show 7d2e4a91-3b6c-4f8e-a1d2-9c0b8e7f6a51
    hint: follow the invocation with: xeroctl exec watch 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10

    $ exec show 00000000-0000-4000-8000-000000000000
    exit: 4
    --- stdout
    --- stderr
    error: Execution 00000000-0000-4000-8000-000000000000 not found (execution_not_found, request id req_[id])
    hint: list executions with `xeroctl exec list`
    ");
    sandbox.shutdown().await;
}

/// Binary raw output on a real pseudo-terminal is refused, and the hint
/// names the execution id given.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread")]
async fn binary_raw_output_on_a_terminal_hints_with_the_real_id() {
    if !std::path::Path::new("/usr/bin/script").exists() {
        eprintln!("skipped: no /usr/bin/script");
        return;
    }
    let sandbox = start(0).await;
    let env = env_for(&sandbox);
    let script = format!(
        "script -qec '\"$XEROCTL\" exec raw {}; echo status=$?' /dev/null < /dev/null",
        ids::EXECUTION_BINARY
    );
    let run = env.run_shell(&script).await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    error: the output holds control characters or bytes that are not UTF-8 text, which could drive this terminal; not printing it to this terminal\u{d}
    hint: save it: xeroctl exec raw 0b1e5c7d-2a4f-4e8b-9d3c-6f1a2b3c4d5e --out 0b1e5c7d-2a4f-4e8b-9d3c-6f1a2b3c4d5e.out, or pipe it: xeroctl exec raw 0b1e5c7d-2a4f-4e8b-9d3c-6f1a2b3c4d5e | less\u{d}
    status=1\u{d}
    --- stderr
    ");
    sandbox.shutdown().await;
}

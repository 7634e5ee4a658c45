//! Errors that stop short end with a hint naming the next command, with the
//! real ids: the binary against the sandbox router.

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
    run.expect_code(2);
    assert!(
        run.stderr().contains("arguments.resource"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr()
            .contains("hint: see the parameters with: xeroctl exec tool-show kubectl_get"),
        "{}",
        run.stderr()
    );
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
    run.expect_code(4);
    assert!(
        run.stderr()
            .contains("hint: list tools with `xeroctl exec tools`"),
        "{}",
        run.stderr()
    );
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
    run.expect_code(2);
    assert!(
        run.stderr()
            .contains("hint: list tools with `xeroctl exec tools`"),
        "{}",
        run.stderr()
    );
    let run = env.run(&["exec", "tool-show", "nope"]).await;
    run.expect_code(4);
    assert!(
        run.stderr()
            .contains("hint: list tools with `xeroctl exec tools`"),
        "{}",
        run.stderr()
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_base_url_without_v1_says_so() {
    let sandbox = start(0).await;
    let base = sandbox.base_url();
    let without_v1 = base.strip_suffix("/v1").expect("…/v1").to_string();
    let env = Env::new(Some(without_v1), Some(sandbox.api_key().to_string()));
    let run = env.run(&["agents"]).await;
    run.expect_code(4);
    assert!(
        run.stderr().contains("No such endpoint"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("hint: the base URL must end in /v1"),
        "{}",
        run.stderr()
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invocation_id_given_to_exec_show_or_raw_is_named_as_such() {
    let sandbox = start(0).await;
    let env = env_for(&sandbox);
    for verb in ["show", "raw"] {
        let run = env.run(&["exec", verb, ids::INVOCATION_COMPLETED]).await;
        run.expect_code(4);
        let err = run.stderr();
        assert!(err.contains("that is an invocation id"), "{err}");
        assert!(
            err.contains(&format!("xeroctl exec show {}", ids::EXECUTION_COMPLETED)),
            "{err}"
        );
        assert!(
            err.contains(&format!("xeroctl exec watch {}", ids::INVOCATION_COMPLETED)),
            "{err}"
        );
    }
    // An id that is neither keeps the plain not-found hint.
    let run = env
        .run(&["exec", "show", "00000000-0000-4000-8000-000000000000"])
        .await;
    run.expect_code(4);
    assert!(!run.stderr().contains("invocation id"), "{}", run.stderr());
    assert!(
        run.stderr().contains("xeroctl exec list"),
        "{}",
        run.stderr()
    );
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
    let out = run.stdout();
    assert!(out.contains("status=1"), "{out}");
    assert!(
        out.contains(&format!(
            "xeroctl exec raw {} | less",
            ids::EXECUTION_BINARY
        )),
        "{out}"
    );
    sandbox.shutdown().await;
}

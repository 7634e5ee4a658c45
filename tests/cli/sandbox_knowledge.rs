//! End to end against the sandbox: exec invocations, learnings, workspace
//! context, approvals `--confirm` and the seeded escalated / timed-out
//! approvals, and the README's "drain a workspace safely" recipe.

use xeroctl_sandbox::ids;

use crate::sandbox_e2e::{env_for, start};

#[tokio::test(flavor = "multi_thread")]
async fn invocations_list_filter_and_show() {
    let sandbox = start(0).await;
    let env = env_for(&sandbox);
    let run = env
        .run(&[
            "exec",
            "invocations",
            "--workspace",
            ids::WORKSPACE,
            "--all",
            "-o",
            "json",
        ])
        .await;
    run.expect_code(0);
    let data = run.json()["data"].as_array().unwrap().clone();
    assert!(!data.is_empty());
    assert!(data.iter().all(|i| i["workspace_id"] == ids::WORKSPACE));
    let ids_listed: Vec<&str> = data.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert!(ids_listed.contains(&ids::INVOCATION_COMPLETED));

    let run = env
        .run(&[
            "exec",
            "invocations",
            "--status",
            "completed",
            "--limit",
            "100",
        ])
        .await;
    run.expect_code(0);
    let out = run.stdout();
    assert!(out.starts_with("ID"), "{out}");
    assert!(out.contains(ids::INVOCATION_COMPLETED));
    assert!(!out.contains("pending_approval"), "{out}");

    let run = env
        .run(&["exec", "invocations", ids::INVOCATION_COMPLETED])
        .await;
    run.expect_code(0);
    assert!(run.stdout().contains(ids::EXECUTION_COMPLETED));
    env.run(&["exec", "invocations", "no-such-invocation"])
        .await
        .expect_code(4);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn learnings_list_show_add() {
    let sandbox = start(0).await;
    let env = env_for(&sandbox);
    let run = env
        .run(&["learnings", "list", "--workspace", ids::WORKSPACE_2])
        .await;
    run.expect_code(0);
    let out = run.stdout();
    assert!(out.contains(ids::LEARNING_OPERATOR) && out.contains(ids::LEARNING_TOOL_2));
    assert!(!out.contains(ids::LEARNING_TOOL), "{out}");
    for line in out.lines().skip(1) {
        let content = line.split("  ").last().unwrap().trim();
        assert!(content.chars().count() <= 60, "{line}");
    }

    let run = env
        .run(&["learnings", "list", "--source-type", "chat", "-o", "json"])
        .await;
    run.expect_code(0);
    let got: Vec<String> = run.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, [ids::LEARNING_NO_WORKSPACE, ids::LEARNING_CHAT]);

    let run = env
        .run_with_stdin(
            &[
                "learnings",
                "add",
                "--content",
                "-",
                "--workspace",
                ids::WORKSPACE,
                "-o",
                "json",
            ],
            b"Cordon node-7 before draining it",
        )
        .await;
    run.expect_code(0);
    let added = run.json();
    assert_eq!(added["source_type"], "operator");
    let id = added["id"].as_str().unwrap().to_string();
    let run = env.run(&["learnings", "show", &id]).await;
    run.expect_code(0);
    assert!(run.stdout().contains("Cordon node-7 before draining it"));
    let run = env.run(&["learnings", "list", "--limit", "1"]).await;
    run.expect_code(0);
    assert!(run.stdout().contains(&id), "newest first: {}", run.stdout());

    env.run(&["learnings", "add", "--content", " "])
        .await
        .expect_code(2);
    env.run(&["learnings", "show", "lrn_000000"])
        .await
        .expect_code(4);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn workspace_context_read_and_replace() {
    let sandbox = start(0).await;
    let env = env_for(&sandbox);
    let run = env
        .run(&[
            "exec",
            "context",
            "--workspace",
            ids::WORKSPACE_WITH_CONTEXT,
        ])
        .await;
    run.expect_code(0);
    assert!(!run.stdout().trim().is_empty());
    assert!(run.stderr().contains("Last changed by"), "{}", run.stderr());

    let run = env
        .run(&["exec", "context", "--workspace", ids::WORKSPACE_2])
        .await;
    run.expect_code(0);
    assert_eq!(run.stdout(), "");

    env.run(&[
        "exec",
        "context",
        "--workspace",
        ids::WORKSPACE_2,
        "--set",
        "Freeze until Monday",
    ])
    .await
    .expect_code(0);
    let run = env
        .run(&[
            "exec",
            "context",
            "--workspace",
            ids::WORKSPACE_2,
            "-o",
            "json",
        ])
        .await;
    run.expect_code(0);
    assert_eq!(run.json()["content"], "Freeze until Monday");

    let run = env
        .run(&["exec", "context", "--workspace", "ws_nosuch01"])
        .await;
    run.expect_code(4);
    assert!(run.stderr().contains("hint:"), "{}", run.stderr());
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn approvals_confirm_and_the_docs_statuses() {
    let sandbox = start(0).await;
    let env = env_for(&sandbox);
    let run = env.run(&["approvals", "list", "--limit", "100"]).await;
    run.expect_code(0);
    let out = run.stdout();
    assert!(
        out.contains("escalated") && out.contains("timed_out"),
        "{out}"
    );
    let run = env
        .run(&["approvals", "show", ids::APPROVAL_TIMED_OUT])
        .await;
    run.expect_code(0);
    assert!(run.stdout().contains("timed_out"));

    // The pending approval is for kubectl_drain: another name is refused.
    env.run(&[
        "approvals",
        "approve",
        ids::APPROVAL_PENDING,
        "--confirm",
        "db_drop_database",
    ])
    .await
    .expect_code(2);
    let run = env
        .run(&["approvals", "show", ids::APPROVAL_PENDING, "-o", "json"])
        .await;
    assert_eq!(run.json()["status"], "pending");
    env.run(&[
        "approvals",
        "approve",
        ids::APPROVAL_PENDING,
        "--confirm",
        "kubectl_drain",
    ])
    .await
    .expect_code(0);
    let run = env
        .run(&["approvals", "show", ids::APPROVAL_PENDING, "-o", "json"])
        .await;
    assert_eq!(run.json()["status"], "approved");
    sandbox.shutdown().await;
}

/// The README's recipe: pause exec in one workspace, list what still runs
/// there, cancel it, resume.
#[tokio::test(flavor = "multi_thread")]
async fn drain_a_workspace_safely() {
    let sandbox = start(0).await;
    let env = env_for(&sandbox);
    env.run(&[
        "agents",
        "pause-exec",
        ids::AGENT_ACTIVE,
        "--workspace",
        ids::WORKSPACE,
        "--reason",
        "maintenance",
    ])
    .await
    .expect_code(0);
    let run = env.run(&["agents", ids::AGENT_ACTIVE]).await;
    run.expect_code(0);
    assert!(
        run.stdout().contains("paused in ws_a1b2c3d4"),
        "{}",
        run.stdout()
    );

    for status in ["pending_approval", "queued", "running"] {
        let run = env
            .run(&[
                "exec",
                "invocations",
                "--workspace",
                ids::WORKSPACE,
                "--status",
                status,
                "--all",
                "-o",
                "json",
            ])
            .await;
        run.expect_code(0);
        let listed = run.json()["data"].as_array().unwrap().clone();
        for inv in &listed {
            assert_eq!(inv["workspace_id"], ids::WORKSPACE);
            let id = inv["id"].as_str().unwrap();
            let cancel = env.run(&["exec", "cancel", id]).await;
            // It may have ended meanwhile (409): either is fine.
            assert!([0, 5].contains(&cancel.code()), "{}", cancel.stderr());
        }
    }
    let run = env
        .run(&[
            "exec",
            "invocations",
            "--workspace",
            ids::WORKSPACE,
            "--status",
            "pending_approval",
        ])
        .await;
    run.expect_code(0);
    assert_eq!(run.stdout(), "");

    env.run(&[
        "agents",
        "resume-exec",
        ids::AGENT_ACTIVE,
        "--workspace",
        ids::WORKSPACE,
    ])
    .await
    .expect_code(0);
    // The seeded pause elsewhere: resuming twice conflicts.
    env.run(&[
        "agents",
        "resume-exec",
        ids::AGENT_ACTIVE,
        "--workspace",
        ids::WORKSPACE,
    ])
    .await
    .expect_code(5);
    sandbox.shutdown().await;
}

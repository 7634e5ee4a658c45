//! `agents pause-exec | resume-exec | revoke-credentials | curve-rotate`.

use insta::assert_snapshot;
use serde_json::json;
use wiremock::matchers::body_json;
use wiremock::MockServer;

use crate::support::*;

fn paused(ws: &[&str], all: bool) -> serde_json::Value {
    let mut a = agent("agt_1", "gpu-1");
    a["exec_paused"] = json!(all);
    a["exec_paused_workspaces"] = json!(ws);
    a
}

#[tokio::test]
async fn pause_in_one_workspace_sends_it_and_shows_the_exec_state() {
    let server = MockServer::start().await;
    expect("POST", "/management/agents/agt_1/pause-exec")
        .and(body_json(
            json!({"workspace_id": "ws_a1b2c3d4", "reason": "maintenance"}),
        ))
        .respond_with(json(200, paused(&["ws_a1b2c3d4"], false)))
        .expect(1)
        .mount(&server)
        .await;
    let run = Harness::new(&server)
        .run(&[
            "agents",
            "pause-exec",
            "agt_1",
            "--workspace",
            "ws_a1b2c3d4",
            "--reason",
            "maintenance",
        ])
        .await;
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stderr
            .starts_with("Paused governed exec on agent agt_1 in workspace ws_a1b2c3d4.\n"),
        "{run}"
    );
    assert!(
        run.stdout
            .contains("\nExec:            paused in ws_a1b2c3d4\n"),
        "{run}"
    );
}

#[tokio::test]
async fn pause_everywhere_sends_an_empty_body_and_json_is_the_routers() {
    let server = MockServer::start().await;
    expect("POST", "/management/agents/agt_1/pause-exec")
        .and(body_json(json!({})))
        .respond_with(json(200, paused(&[], true)))
        .expect(1)
        .mount(&server)
        .await;
    let run = Harness::new(&server)
        .run(&["agents", "pause-exec", "agt_1", "-o", "json"])
        .await;
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.json()["exec_paused"], json!(true));
    assert_eq!(run.stderr, "");
}

#[tokio::test]
async fn pausing_twice_is_a_conflict_and_resuming_a_running_agent_too() {
    let server = MockServer::start().await;
    expect("POST", "/management/agents/agt_1/pause-exec")
        .respond_with(api_error(
            409,
            "agent_exec_paused",
            "Exec on agent agt_1 is already paused",
        ))
        .mount(&server)
        .await;
    expect("POST", "/management/agents/agt_1/resume-exec")
        .respond_with(api_error(
            409,
            "agent_exec_not_paused",
            "Exec on agent agt_1 is not paused",
        ))
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let pause = h.run(&["agents", "pause-exec", "agt_1"]).await;
    let resume = h.run(&["agents", "resume-exec", "agt_1"]).await;
    assert_snapshot!(format!("{pause}\n{resume}"), @r"
    exit: 5
    --- stdout
    --- stderr
    error: Exec on agent agt_1 is already paused (agent_exec_paused, request id req_inproc_1)

    exit: 5
    --- stdout
    --- stderr
    error: Exec on agent agt_1 is not paused (agent_exec_not_paused, request id req_inproc_1)
    ");
}

#[tokio::test]
async fn resume_in_a_workspace() {
    let server = MockServer::start().await;
    expect("POST", "/management/agents/agt_1/resume-exec")
        .and(body_json(json!({"workspace_id": "ws_a1b2c3d4"})))
        .respond_with(json(200, paused(&[], false)))
        .expect(1)
        .mount(&server)
        .await;
    let run = Harness::new(&server)
        .run(&[
            "agents",
            "resume-exec",
            "agt_1",
            "--workspace",
            "ws_a1b2c3d4",
        ])
        .await;
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("\nExec:            running\n"), "{run}");
}

#[tokio::test]
async fn an_unknown_agent_is_exit_4() {
    let server = MockServer::start().await;
    expect("POST", "/management/agents/agt_x/resume-exec")
        .respond_with(api_error(404, "agent_not_found", "Agent agt_x not found"))
        .mount(&server)
        .await;
    let run = Harness::new(&server)
        .run(&["agents", "resume-exec", "agt_x"])
        .await;
    assert_eq!(run.code, 4, "{run}");
}

#[tokio::test]
async fn dry_runs_send_nothing() {
    let server = MockServer::start().await;
    let h = Harness::new(&server);
    let base = format!("{}/demo/v1", server.uri());
    let run = h
        .run(&[
            "agents",
            "pause-exec",
            "agt_1",
            "--workspace",
            "ws_a1b2c3d4",
            "--dry-run",
            "-o",
            "json",
        ])
        .await;
    assert_eq!(
        run.json(),
        json!({"dry_run": true, "method": "POST", "url": format!("{base}/management/agents/agt_1/pause-exec"), "body": {"workspace_id": "ws_a1b2c3d4"}})
    );
    let run = h
        .run(&[
            "agents",
            "curve-rotate",
            "agt_1",
            "--reason",
            "q",
            "--dry-run",
        ])
        .await;
    assert_eq!(run.code, 0, "{run}");
    let run = h
        .run(&["agents", "resume-exec", "agt_1", "--dry-run"])
        .await;
    assert_eq!(run.code, 0, "{run}");
    let run = h
        .run(&[
            "agents",
            "revoke-credentials",
            "agt_1",
            "--dry-run",
            "-o",
            "json",
        ])
        .await;
    assert_eq!(run.json()["method"], json!("POST"));
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn revoke_credentials_asks_and_refuses_without_a_terminal() {
    let server = MockServer::start().await;
    let mut pending = agent("agt_1", "gpu-1");
    pending["status"] = json!("pending");
    pending["worker_id"] = json!(null);
    expect("POST", "/management/agents/agt_1/revoke-credentials")
        .and(body_json(json!({"reason": "reimaged"})))
        .respond_with(json(200, pending))
        .expect(1)
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let refused = h
        .run(&[
            "agents",
            "revoke-credentials",
            "agt_1",
            "--reason",
            "reimaged",
        ])
        .await;
    assert_snapshot!(refused, @r"
    exit: 2
    --- stdout
    --- stderr
    error: refusing to revoke the credentials of agent agt_1 without confirmation: no terminal to ask on
    hint: re-run with --force (or --yes) to skip the prompt, or --dry-run to see what would happen
    ");
    let run = h
        .run(&[
            "agents",
            "revoke-credentials",
            "agt_1",
            "--reason",
            "reimaged",
            "--force",
        ])
        .await;
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("Status:          pending\n"), "{run}");
    assert!(run.stdout.contains("Worker ID:       -\n"), "{run}");
}

#[tokio::test]
async fn curve_rotate_needs_a_reason_and_shows_the_request() {
    let server = MockServer::start().await;
    expect("POST", "/management/agents/agt_1/curve-rotate")
        .and(body_json(json!({"reason": "quarterly"})))
        .respond_with(json(202, json!({"object": "agent.key_rotation", "agent_id": "agt_1", "status": "requested", "reason": "quarterly", "requested_at": "2026-11-23T06:00:00Z"})))
        .expect(1)
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let missing = h.run(&["agents", "curve-rotate", "agt_1"]).await;
    assert_eq!(missing.code, 2, "{missing}");
    assert!(missing.stderr.contains("--reason"), "{missing}");
    let run = h
        .run(&["agents", "curve-rotate", "agt_1", "--reason", "quarterly"])
        .await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    Agent:     agt_1
    Status:    requested
    Reason:    quarterly
    Requested: 2026-11-23 06:00:00
    --- stderr
    Asked agent agt_1 to rotate its CURVE keys.
    hint: the agent logs the new key in its events: xeroctl agents agt_1 --events
    ");
}

#[tokio::test]
async fn stray_options_and_bad_workspaces_are_refused_before_any_request() {
    let server = MockServer::start().await;
    let h = Harness::new(&server);
    for args in [
        &["agents", "pause-exec", "agt_1", "--force"][..],
        &["agents", "resume-exec", "agt_1", "--reason", "x"],
        &["agents", "pause-exec", "agt_1", "--workspace", "a1b2"],
        &[
            "agents",
            "curve-rotate",
            "agt_1",
            "--reason",
            "x",
            "--workspace",
            "ws_a",
        ],
        &["agents", "pause-exec"],
    ] {
        let run = h.run(args).await;
        assert_eq!(run.code, 2, "{args:?}: {run}");
    }
    assert!(received(&server).await.is_empty());
}

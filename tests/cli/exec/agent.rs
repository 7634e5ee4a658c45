//! `exec agent <id> --manifest | --environment | --connectivity`.

use serde_json::json;
use wiremock::MockServer;

use crate::support::*;

#[tokio::test]
async fn each_view_hits_its_endpoint_and_flattens_nested_objects() {
    let server = MockServer::start().await;
    let environment = json!({
        "object": "exec.agent.environment", "agent_id": "agt_7Hq2", "os": "linux",
        "cpu": {"model": "AMD EPYC 9454", "cores": 48}, "gpu": null,
        "workspaces": ["ws_a", "ws_b"]
    });
    for (view, body) in [
        (
            "manifest",
            json!({"xem_version": "0.14.2", "capabilities": {"streaming": true}}),
        ),
        ("environment", environment.clone()),
        (
            "connectivity",
            json!({"router_reachable": true, "tls": {"protocol": "TLSv1.3"}}),
        ),
    ] {
        expect("GET", &format!("/exec/agents/agt_7Hq2/{view}"))
            .respond_with(json(200, body))
            .expect(if view == "environment" { 2 } else { 1 })
            .mount(&server)
            .await;
    }
    let env = Env::for_server(&server);
    let run = env
        .run(&["exec", "agent", "agt_7Hq2", "--environment"])
        .await;
    run.expect_code(0);
    let out = run.stdout();
    for want in [
        "cpu.model:",
        "AMD EPYC 9454",
        "cpu.cores:",
        "48",
        "ws_a, ws_b",
    ] {
        assert!(out.contains(want), "missing {want:?}:\n{out}");
    }
    assert!(
        out.lines()
            .any(|l| l.starts_with("gpu:") && l.ends_with('-')),
        "{out}"
    );
    let run = env
        .run(&["exec", "agent", "agt_7Hq2", "--environment", "-o", "json"])
        .await;
    run.expect_code(0);
    assert_eq!(run.json(), environment);
    let run = env.run(&["exec", "agent", "agt_7Hq2", "--manifest"]).await;
    run.expect_code(0);
    assert!(
        run.stdout().contains("capabilities.streaming:"),
        "{}",
        run.stdout()
    );
    let run = env
        .run(&["exec", "agent", "agt_7Hq2", "--connectivity"])
        .await;
    run.expect_code(0);
    assert!(run.stdout().contains("TLSv1.3"), "{}", run.stdout());
}

#[tokio::test]
async fn exactly_one_view_flag_is_required() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let env = Env::for_server(&server);
    env.run(&["exec", "agent", "agt_7Hq2"]).await.expect_code(2);
    env.run(&["exec", "agent", "agt_7Hq2", "--manifest", "--environment"])
        .await
        .expect_code(2);
    env.run(&["exec", "agent", "--manifest"])
        .await
        .expect_code(2);
}

#[tokio::test]
async fn unknown_agent_exits_4() {
    let server = MockServer::start().await;
    expect("GET", "/exec/agents/agt_x/connectivity")
        .respond_with(api_error(404, "agent_not_found", "Agent agt_x not found"))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["exec", "agent", "agt_x", "--connectivity"])
        .await;
    run.expect_code(4);
    assert!(run.stderr().contains("agent_not_found"), "{}", run.stderr());
}

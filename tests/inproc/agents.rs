//! `xeroctl agents`, run in-process: the request on the wire and the
//! whole run (stdout, stderr, exit code) for each action.

use insta::assert_snapshot;
use serde_json::json;
use wiremock::matchers::{body_json, query_param};
use wiremock::MockServer;

use crate::support::*;

#[tokio::test]
async fn list_one_page_with_a_next_page_hint() {
    let server = MockServer::start().await;
    let mut offline = agent("agt_2", "gpu-2");
    offline["status"] = json!("offline");
    offline["worker_id"] = json!(null);
    offline["last_heartbeat_at"] = json!(null);
    expect("GET", "/management/agents")
        .and(query_param("limit", "2"))
        .respond_with(json(
            200,
            page(vec![agent("agt_1", "gpu-1"), offline], true),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let run = Harness::new(&server).run(&["agents", "--limit", "2"]).await;
    run.assert_no_secret(&[]);
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    ID     NAME   WORKER_ID  STATUS   REGION   LAST_HEARTBEAT
    agt_1  gpu-1  wrk_9f3a   active   us-east  2026-11-23 06:59:48 (12s ago)
    agt_2  gpu-2  -          offline  us-east  -
    --- stderr
    hint: more agents exist: add --after agt_2 for the next page, or --all for everything
    ");
}

#[tokio::test]
async fn list_and_ls_are_the_list_not_an_id() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents")
        .respond_with(json(200, page(vec![], false)))
        .expect(2)
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let list = h.run(&["agents", "list"]).await;
    let ls = h.run(&["agents", "ls"]).await;
    assert_eq!(list.to_string(), ls.to_string());
    assert_snapshot!(list, @r"
    exit: 0
    --- stdout
    --- stderr
    No agents found.
    ");
}

#[tokio::test]
async fn list_all_as_json_merges_pages_into_one_envelope() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents")
        .and(query_param("after", "agt_1"))
        .respond_with(json(200, page(vec![agent("agt_2", "b")], false)))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/management/agents")
        .respond_with(json(200, page(vec![agent("agt_1", "a")], true)))
        .expect(1)
        .mount(&server)
        .await;
    let run = Harness::new(&server)
        .run(&["agents", "--all", "-o", "json"])
        .await;
    assert_eq!(run.code, 0, "{run}");
    let doc = run.json();
    assert_eq!(doc["has_more"], json!(false));
    assert_eq!(doc["first_id"], json!("agt_1"));
    assert_eq!(doc["last_id"], json!("agt_2"));
    let ids: Vec<_> = doc["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].clone())
        .collect();
    assert_eq!(ids, vec![json!("agt_1"), json!("agt_2")]);
    assert_eq!(run.stderr, "");
}

#[tokio::test]
async fn show_renders_a_detail_view() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents/agt_7Hq2")
        .respond_with(json(200, agent("agt_7Hq2", "gpu-worker-1")))
        .expect(1)
        .mount(&server)
        .await;
    let run = Harness::new(&server).run(&["agents", "agt_7Hq2"]).await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    ID:              agt_7Hq2
    Name:            gpu-worker-1
    Worker ID:       wrk_9f3a
    Status:          active
    Exec:            running
    Region:          us-east
    Last heartbeat:  2026-11-23 06:59:48 (12s ago)
    Max concurrent:  8
    Description:     H100 worker
    Supported tiers: priority, default
    Storage limit:   500.0 GB
    Created:         2026-11-01 10:00:00
    Updated:         2026-11-20 10:00:00
    --- stderr
    ");
}

#[tokio::test]
async fn show_of_a_missing_agent_exits_4_with_the_request_id() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents/agt_nope")
        .respond_with(api_error(
            404,
            "agent_not_found",
            "Agent agt_nope not found",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let run = Harness::new(&server).run(&["agents", "agt_nope"]).await;
    assert_snapshot!(run, @r"
    exit: 4
    --- stdout
    --- stderr
    error: Agent agt_nope not found (agent_not_found, request id req_inproc_1)
    hint: list agents with `xeroctl agents`
    ");
}

#[tokio::test]
async fn create_sends_only_the_given_fields() {
    let server = MockServer::start().await;
    let mut created = agent("agt_new", "gpu-worker-2");
    created["status"] = json!("pending");
    expect("POST", "/management/agents")
        .and(body_json(json!({
            "name": "gpu-worker-2", "region": "us-east", "max_concurrent_requests": 8,
            "supported_tiers": ["priority", "default"], "storage_limit_bytes": 500_000_000_000u64
        })))
        .respond_with(json(201, created))
        .expect(1)
        .mount(&server)
        .await;
    let run = Harness::new(&server)
        .run(&[
            "agents",
            "--create",
            "--name",
            "gpu-worker-2",
            "--region",
            "us-east",
            "--max-concurrent",
            "8",
            "--supported-tiers",
            "priority, default",
            "--storage-limit",
            "500",
        ])
        .await;
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stderr.starts_with("Created agent agt_new.\n"), "{run}");
    assert!(run.stdout.contains("Status:          pending\n"), "{run}");
}

#[tokio::test]
async fn update_with_dry_run_prints_the_request_and_sends_nothing() {
    let server = MockServer::start().await;
    let h = Harness::new(&server);
    let run = h
        .run(&[
            "agents",
            "agt_1",
            "--update",
            "--max-concurrent",
            "16",
            "--dry-run",
            "-o",
            "json",
        ])
        .await;
    assert!(received(&server).await.is_empty());
    let base = format!("{}/demo/v1", server.uri());
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(
        run.json(),
        json!({"dry_run": true, "method": "PATCH", "url": format!("{base}/management/agents/agt_1"), "body": {"max_concurrent_requests": 16}})
    );
    let run = h
        .run(&["agents", "agt_1", "--update", "--name", "n2", "--dry-run"])
        .await;
    assert!(received(&server).await.is_empty());
    assert_eq!(
        run.to_string(),
        format!("exit: 0\n--- stdout\nPATCH {base}/management/agents/agt_1\n{{\n  \"name\": \"n2\"\n}}\n--- stderr\nDry run: nothing was sent.\n")
    );
}

#[tokio::test]
async fn update_sends_a_patch_of_the_given_fields() {
    let server = MockServer::start().await;
    expect("PATCH", "/management/agents/agt_1")
        .and(body_json(json!({"description": "spare"})))
        .respond_with(json(200, agent("agt_1", "gpu-1")))
        .expect(1)
        .mount(&server)
        .await;
    let run = Harness::new(&server)
        .run(&[
            "agents",
            "agt_1",
            "--update",
            "--description",
            "spare",
            "-o",
            "json",
        ])
        .await;
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.json()["id"], json!("agt_1"));
    assert_eq!(run.stderr, "");
}

#[tokio::test]
async fn delete_without_a_terminal_or_force_refuses_and_sends_nothing() {
    let server = MockServer::start().await;
    let run = Harness::new(&server)
        .run(&["agents", "agt_1", "--delete"])
        .await;
    assert!(received(&server).await.is_empty());
    assert_snapshot!(run, @r"
    exit: 2
    --- stdout
    --- stderr
    error: refusing to delete agent agt_1 without confirmation: no terminal to ask on
    hint: re-run with --force (or --yes) to skip the prompt, or --dry-run to see what would happen
    ");
}

#[tokio::test]
async fn delete_with_force_sends_the_delete() {
    let server = MockServer::start().await;
    expect("DELETE", "/management/agents/agt_1")
        .respond_with(wiremock::ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let run = h.run(&["agents", "agt_1", "--delete", "--force"]).await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    --- stderr
    Deleted agent agt_1.
    ");
    let run = h
        .run(&["agents", "agt_1", "--delete", "--yes", "-o", "json"])
        .await;
    assert_eq!(run.json(), json!({"id": "agt_1", "deleted": true}));
}

#[tokio::test]
async fn delete_dry_run_in_a_table_shows_the_agent_and_sends_no_delete() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents/agt_1")
        .respond_with(json(200, agent("agt_1", "gpu-1")))
        .expect(1)
        .mount(&server)
        .await;
    let run = Harness::new(&server)
        .run(&["agents", "agt_1", "--delete", "--dry-run"])
        .await;
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.starts_with("ID:              agt_1\n"), "{run}");
    let base = format!("{}/demo/v1", server.uri());
    assert_eq!(
        run.stderr,
        format!("Dry run: would delete agent agt_1 (DELETE {base}/management/agents/agt_1); nothing was sent.\n")
    );
    assert!(received(&server)
        .await
        .iter()
        .all(|r| r.method.as_str() == "GET"));
}

#[tokio::test]
async fn events_list_with_details() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents/agt_1/events")
        .and(query_param("limit", "20"))
        .respond_with(json(
            200,
            page(
                vec![json!({"id": "evt_01", "object": "agent.event", "agent_id": "agt_1", "event_type": "status_changed",
                    "details": {"from": "active", "to": "offline"}, "created_at": "2026-11-22T10:00:00Z"})],
                false,
            ),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let run = Harness::new(&server)
        .run(&["agents", "agt_1", "--events", "--limit", "20"])
        .await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    ID      EVENT_TYPE      DETAILS                  CREATED
    evt_01  status_changed  from=active, to=offline  2026-11-22 10:00:00
    --- stderr
    ");
}

#[tokio::test]
async fn stray_and_missing_options_are_usage_errors_before_any_request() {
    let server = MockServer::start().await;
    let h = Harness::new(&server);
    let cases: &[&[&str]] = &[
        &["agents", "agt_1", "--update", "--region", "x"],
        &["agents", "agt_1", "--delete", "--all"],
        &["agents", "--create"],
        &["agents", "--create", "--name", "n", "--force"],
        &["agents", "agt_1", "--limit", "5"],
        &["agents", "--region", "us-east"],
        &["agents", "--update"],
        &["agents", "agt_1", "--update"],
        &["agents", "--create", "--delete"],
    ];
    let mut all = String::new();
    for args in cases {
        let run = h.run(args).await;
        all.push_str(&format!("$ {}\n{run}\n", args.join(" ")));
    }
    assert!(received(&server).await.is_empty());
    assert_snapshot!(all);
}

//! `xeroctl agents`: requests on the wire, output and exit codes.
//! (Writes — create, update, delete — are in `agents_writes.rs`.)

use serde_json::json;
use wiremock::MockServer;

use crate::support::*;

#[tokio::test]
async fn list_sends_limit_and_after_and_prints_a_table() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents")
        .and(query_is("limit=50&after=agt_abc123"))
        .respond_with(json(200, page(vec![agent("agt_1", "gpu-1")], false)))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["agents", "--limit", "50", "--after", "agt_abc123"])
        .await;
    run.expect_code(0).assert_no_secret(&[]);
    let out = run.stdout();
    assert!(out.starts_with("ID"), "{out}");
    assert!(
        out.contains("agt_1") && out.contains("gpu-1") && out.contains("12s ago"),
        "{out}"
    );
    assert_eq!(run.stderr(), "");
}

#[tokio::test]
async fn list_without_options_sends_no_query_and_renders_missing_fields_as_dashes() {
    let server = MockServer::start().await;
    let mut offline = agent("agt_2", "gpu-2");
    offline["status"] = json!("offline");
    offline["last_heartbeat_at"] = json!("2026-11-21T07:00:00Z");
    let mut odd = agent("agt_3", "gpu-3");
    odd["status"] = json!("hibernating");
    expect("GET", "/management/agents")
        .and(no_query())
        .respond_with(json(
            200,
            page(
                vec![agent("agt_1", "gpu-1"), offline, bare_agent("agt_4"), odd],
                false,
            ),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server).run(&["agents"]).await;
    run.expect_code(0);
    insta::assert_snapshot!("agents_list", run.stdout());
}

#[tokio::test]
async fn list_json_is_the_envelope_as_sent() {
    let server = MockServer::start().await;
    let body = page(vec![agent("agt_1", "gpu-1"), bare_agent("agt_2")], true);
    expect("GET", "/management/agents")
        .and(query_is("limit=2"))
        .respond_with(json(200, body.clone()))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["agents", "--limit", "2", "-o", "json"])
        .await;
    run.expect_code(0);
    assert_eq!(run.json(), body);
    assert!(run.stdout().ends_with("}\n"), "{}", run.stdout());
    assert!(
        run.stdout().contains("\n  \"object\": \"list\""),
        "2-space indent"
    );
    // A partial page in JSON mode: the envelope says so, no hint needed.
    assert!(!run.stderr().contains("--after"), "{}", run.stderr());
}

#[tokio::test]
async fn empty_list_notes_on_stderr_and_prints_nothing() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents")
        .respond_with(json(200, page(vec![], false)))
        .expect(2)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let run = env.run(&["agents"]).await;
    run.expect_code(0);
    assert_eq!(run.stdout(), "");
    assert!(run.stderr().contains("No agents found"), "{}", run.stderr());

    let run = env.run(&["agents", "-o", "json"]).await;
    run.expect_code(0);
    assert_eq!(run.json()["data"], json!([]));
    assert_eq!(run.json()["object"], "list");
}

#[tokio::test]
async fn partial_list_hints_the_next_cursor_on_stderr() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents")
        .respond_with(json(200, page(agents(1, 2), true)))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server).run(&["agents"]).await;
    run.expect_code(0);
    assert!(!run.stdout().contains("--after"), "{}", run.stdout());
    assert!(
        run.stderr().contains("--after agt_0002"),
        "{}",
        run.stderr()
    );
}

/// Three pages served in order: `--all` asks for 100 at a time and follows
/// `last_id` until `has_more` is false.
async fn mount_three_pages(server: &MockServer, path: &str) {
    let pages = [
        ("limit=100", agents(1, 2), true),
        ("limit=100&after=agt_0002", agents(3, 2), true),
        ("limit=100&after=agt_0004", agents(5, 1), false),
    ];
    for (query, data, more) in pages {
        expect("GET", path)
            .and(query_is(query))
            .respond_with(json(200, page(data, more)))
            .expect(1)
            .mount(server)
            .await;
    }
}

#[tokio::test]
async fn all_follows_three_pages_in_table_mode() {
    let server = MockServer::start().await;
    mount_three_pages(&server, "/management/agents").await;
    let run = Env::for_server(&server).run(&["agents", "--all"]).await;
    run.expect_code(0);
    let out = run.stdout();
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(rows.len(), 5, "{out}");
    for (i, row) in rows.iter().enumerate() {
        assert!(row.starts_with(&format!("agt_{:04}", i + 1)), "{out}");
    }
    assert!(!run.stderr().contains("--after"), "{}", run.stderr());
}

/// `--all` tables are printed page by page (bounded memory): one header,
/// and columns that stay aligned across pages even when a later page has
/// shorter values.
#[tokio::test]
async fn all_table_streams_pages_with_one_header_and_aligned_columns() {
    let server = MockServer::start().await;
    let long = agent("agt_0001", "a-rather-long-worker-name");
    let short = agent("agt_0002", "w2");
    let shorter = agent("agt_0003", "w");
    for (query, data, more) in [
        ("limit=100", vec![long], true),
        ("limit=100&after=agt_0001", vec![short], true),
        ("limit=100&after=agt_0002", vec![shorter], false),
    ] {
        expect("GET", "/management/agents")
            .and(query_is(query))
            .respond_with(json(200, page(data, more)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let run = Env::for_server(&server).run(&["agents", "--all"]).await;
    run.expect_code(0);
    let out = run.stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert_eq!(out.matches("WORKER_ID").count(), 1, "one header: {out}");
    let column = |line: &str| line.find("wrk_9f3a").or_else(|| line.find("WORKER_ID"));
    let first = column(lines[0]).unwrap();
    for line in &lines {
        assert_eq!(column(line), Some(first), "misaligned:\n{out}");
    }
}

#[tokio::test]
async fn all_in_json_is_one_envelope_of_every_item() {
    let server = MockServer::start().await;
    mount_three_pages(&server, "/management/agents").await;
    let run = Env::for_server(&server)
        .run(&["agents", "--all", "-o", "json"])
        .await;
    run.expect_code(0);
    let expected = json!({
        "object": "list",
        "data": agents(1, 5),
        "has_more": false,
        "first_id": "agt_0001",
        "last_id": "agt_0005",
    });
    assert_eq!(run.json(), expected);
}

#[tokio::test]
async fn all_stops_when_the_router_repeats_a_cursor() {
    let server = MockServer::start().await;
    let mut stuck = page(agents(1, 1), true);
    stuck["last_id"] = json!(null);
    expect("GET", "/management/agents")
        .respond_with(json(200, stuck))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server).run(&["agents", "--all"]).await;
    run.expect_code(1);
    assert!(run.stderr().contains("last_id"), "{}", run.stderr());
}

#[tokio::test]
async fn get_shows_a_detail_view_with_dashes_for_nulls() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents/agt_4")
        .and(no_query())
        .respond_with(json(200, bare_agent("agt_4")))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server).run(&["agents", "agt_4"]).await;
    run.expect_code(0);
    insta::assert_snapshot!("agent_detail_nulls", run.stdout());
}

#[tokio::test]
async fn get_shows_a_full_agent() {
    let server = MockServer::start().await;
    let mut a = agent("agt_1", "gpu-1");
    a["description"] = json!("H100 worker\nsecond line");
    expect("GET", "/management/agents/agt_1")
        .respond_with(json(200, a))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server).run(&["agents", "agt_1"]).await;
    run.expect_code(0);
    insta::assert_snapshot!("agent_detail_full", run.stdout());
}

#[tokio::test]
async fn get_json_prints_the_object_as_sent() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents/agt_4")
        .respond_with(json(200, bare_agent("agt_4")))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["agents", "agt_4", "-o", "json"])
        .await;
    run.expect_code(0);
    assert_eq!(run.json(), bare_agent("agt_4"));
}

#[tokio::test]
async fn get_encodes_the_id_as_one_path_segment() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents/a%2F..%2Fjoin-keys%3Fx")
        .respond_with(json(200, agent("a/../join-keys?x", "odd")))
        .expect(1)
        .mount(&server)
        .await;
    Env::for_server(&server)
        .run(&["agents", "a/../join-keys?x"])
        .await
        .expect_code(0);
}

#[tokio::test]
async fn get_missing_agent_exits_4_with_a_hint() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents/agt_x")
        .respond_with(api_error(404, "agent_not_found", "Agent agt_x not found"))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server).run(&["agents", "agt_x"]).await;
    run.expect_code(4);
    assert_eq!(run.stdout(), "");
    assert_eq!(
        run.stderr(),
        "error: Agent agt_x not found (agent_not_found, request id req_test_1)\nhint: list agents with `xeroctl agents`\n"
    );
}

#[tokio::test]
async fn events_send_limit_and_after_and_render_every_detail_shape() {
    let server = MockServer::start().await;
    let events = vec![
        event(
            "evt_01",
            "status_changed",
            json!({"from": "pending", "to": "active", "attempt": 2}),
            "2026-11-23T06:00:00Z",
        ),
        event(
            "evt_02",
            "error",
            json!("disk full"),
            "2026-11-23T06:10:00Z",
        ),
        event(
            "evt_03",
            "heartbeat_missed",
            json!(null),
            "2026-11-23T06:20:00Z",
        ),
        event(
            "evt_04",
            "firmware_flashed",
            json!({}),
            "2026-11-23T06:30:00Z",
        ),
    ];
    expect("GET", "/management/agents/agt_1/events")
        .and(query_is("limit=5&after=evt_00"))
        .respond_with(json(200, page(events, false)))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&[
            "agents", "agt_1", "--events", "--limit", "5", "--after", "evt_00",
        ])
        .await;
    run.expect_code(0);
    insta::assert_snapshot!("agent_events", run.stdout());
}

#[tokio::test]
async fn events_all_follows_pages_and_json_keeps_the_envelope() {
    let server = MockServer::start().await;
    let e = |id: &str| event(id, "created", json!(null), "2026-11-23T06:00:00Z");
    expect("GET", "/management/agents/agt_1/events")
        .and(query_is("limit=100"))
        .respond_with(json(200, page(vec![e("evt_1")], true)))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/management/agents/agt_1/events")
        .and(query_is("limit=100&after=evt_1"))
        .respond_with(json(200, page(vec![e("evt_2")], false)))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["agents", "agt_1", "--events", "--all", "-o", "json"])
        .await;
    run.expect_code(0);
    let ids: Vec<_> = run.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].clone())
        .collect();
    assert_eq!(ids, vec![json!("evt_1"), json!("evt_2")]);
    assert_eq!(run.json()["has_more"], false);
}

#[tokio::test]
async fn usage_errors_on_reads_send_nothing() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let env = Env::for_server(&server);
    let cases: &[(&[&str], &str)] = &[
        (&["agents", "--force"], "--force"),
        (&["agents", "--yes"], "--force"),
        (&["agents", "--name", "x"], "--name"),
        (&["agents", "--limit", "0"], "--limit"),
        (&["agents", "--limit", "101"], "--limit"),
        (&["agents", "--limit", "ten"], "--limit"),
        (&["agents", "--after", ""], "--after"),
        (&["agents", "agt_1", "--limit", "5"], "--limit"),
        (&["agents", "agt_1", "--region", "x"], "--region"),
        (&["agents", "--events"], "--events"),
        (&["agents", "agt_1", "--events", "--name", "x"], "--name"),
        (&["agents", "agt_1", "--events", "--force"], "--force"),
        (&["agents", "agt_1", "--events", "--delete"], "--delete"),
        (&["agents", ".."], "not a valid"),
        (&["agents", "agt_1", "extra"], "extra"),
        (&["agents", "--bogus"], "--bogus"),
    ];
    for (args, needle) in cases {
        let run = env.run(args).await;
        run.expect_code(2);
        assert!(
            run.stderr().contains(needle),
            "{args:?}: stderr should name {needle}:\n{}",
            run.stderr()
        );
        assert_eq!(run.stdout(), "", "{args:?}");
    }
}

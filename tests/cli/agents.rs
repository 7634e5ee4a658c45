//! `xeroctl agents`: requests on the wire, output and exit codes.
//! (Writes — create, update, delete — are in `agents_writes.rs`.)

use insta::assert_snapshot;
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
    run.assert_no_secret(&[]);
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    ID     NAME   WORKER_ID  STATUS  REGION   LAST_HEARTBEAT
    agt_1  gpu-1  wrk_9f3a   active  us-east  2026-11-23 06:59:48 (12s ago)
    --- stderr
    ");
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
    assert_snapshot!("agents_list", run);
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
    // 2-space indent; a partial page in JSON mode: the envelope says so,
    // no hint needed.
    assert_snapshot!(run, @r#"
    exit: 0
    --- stdout
    {
      "object": "list",
      "first_id": "agt_1",
      "last_id": "agt_2",
      "has_more": true,
      "data": [
        {
          "id": "agt_1",
          "object": "agent",
          "name": "gpu-1",
          "worker_id": "wrk_9f3a",
          "status": "active",
          "region": "us-east",
          "max_concurrent_requests": 8,
          "description": "H100 worker",
          "supported_tiers": [
            "priority",
            "default"
          ],
          "storage_limit_enabled": true,
          "storage_limit_bytes": 500000000000,
          "last_heartbeat_at": "2026-11-23T06:59:48Z",
          "created_at": "2026-11-01T10:00:00Z",
          "updated_at": "2026-11-20T10:00:00Z"
        },
        {
          "id": "agt_2",
          "object": "agent",
          "name": "spare-1",
          "worker_id": null,
          "status": "pending",
          "region": null,
          "max_concurrent_requests": null,
          "description": null,
          "supported_tiers": null,
          "storage_limit_enabled": null,
          "storage_limit_bytes": null,
          "last_heartbeat_at": null,
          "created_at": "2026-11-22T10:00:00Z",
          "updated_at": null
        }
      ]
    }
    --- stderr
    "#);
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
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    --- stderr
    No agents found.
    ");

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
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    ID        NAME   WORKER_ID  STATUS  REGION   LAST_HEARTBEAT
    agt_0001  gpu-1  wrk_9f3a   active  us-east  2026-11-23 06:59:48 (12s ago)
    agt_0002  gpu-2  wrk_9f3a   active  us-east  2026-11-23 06:59:48 (12s ago)
    --- stderr
    hint: more agents exist: add --after agt_0002 for the next page, or --all for everything
    ");
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
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    ID        NAME   WORKER_ID  STATUS  REGION   LAST_HEARTBEAT
    agt_0001  gpu-1  wrk_9f3a   active  us-east  2026-11-23 06:59:48 (12s ago)
    agt_0002  gpu-2  wrk_9f3a   active  us-east  2026-11-23 06:59:48 (12s ago)
    agt_0003  gpu-3  wrk_9f3a   active  us-east  2026-11-23 06:59:48 (12s ago)
    agt_0004  gpu-4  wrk_9f3a   active  us-east  2026-11-23 06:59:48 (12s ago)
    agt_0005  gpu-5  wrk_9f3a   active  us-east  2026-11-23 06:59:48 (12s ago)
    --- stderr
    ");
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
    assert_snapshot!(run, @"
    exit: 1
    --- stdout
    --- stderr
    error: the router said there are more items but gave no `last_id` to continue from (HTTP 200, request id req_test_1)
    ");
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
    assert_snapshot!("agent_detail_nulls", run);
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
    assert_snapshot!("agent_detail_full", run);
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
    assert_snapshot!("agent_events", run);
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
    let cases: &[&[&str]] = &[
        &["agents", "--force"],
        &["agents", "--yes"],
        &["agents", "--name", "x"],
        &["agents", "--limit", "0"],
        &["agents", "--limit", "101"],
        &["agents", "--limit", "ten"],
        &["agents", "--after", ""],
        &["agents", "agt_1", "--limit", "5"],
        &["agents", "agt_1", "--region", "x"],
        &["agents", "--events"],
        &["agents", "agt_1", "--events", "--name", "x"],
        &["agents", "agt_1", "--events", "--force"],
        &["agents", "agt_1", "--events", "--delete"],
        &["agents", ".."],
        &["agents", "agt_1", "extra"],
        &["agents", "--bogus"],
    ];
    let mut runs = Transcript::default();
    for args in cases {
        let run = env.run(args).await;
        run.expect_code(2);
        runs.add(args, &run);
    }
    assert_snapshot!(runs, @"
    $ agents --force
    exit: 2
    --- stdout
    --- stderr
    error: --force needs an action, e.g. --create (listing agents takes only --limit, --after, --all)

    $ agents --yes
    exit: 2
    --- stdout
    --- stderr
    error: --force needs an action, e.g. --create (listing agents takes only --limit, --after, --all)

    $ agents --name x
    exit: 2
    --- stdout
    --- stderr
    error: --name needs an action, e.g. --create (listing agents takes only --limit, --after, --all)

    $ agents --limit 0
    exit: 2
    --- stdout
    --- stderr
    error: invalid value '0' for '--limit <N>': must be between 1 and 100
    hint: see `xeroctl agents --help`

    $ agents --limit 101
    exit: 2
    --- stdout
    --- stderr
    error: invalid value '101' for '--limit <N>': must be between 1 and 100
    hint: see `xeroctl agents --help`

    $ agents --limit ten
    exit: 2
    --- stdout
    --- stderr
    error: invalid value 'ten' for '--limit <N>': 'ten' is not a number between 1 and 100
    hint: see `xeroctl agents --help`

    $ agents --after 
    exit: 2
    --- stdout
    --- stderr
    error: invalid value '' for '--after <CURSOR>': must not be empty
    hint: see `xeroctl agents --help`

    $ agents agt_1 --limit 5
    exit: 2
    --- stdout
    --- stderr
    error: --limit needs an action: add --create, --update, --delete or --events (showing agent agt_1 takes no options)

    $ agents agt_1 --region x
    exit: 2
    --- stdout
    --- stderr
    error: --region needs an action: add --create, --update, --delete or --events (showing agent agt_1 takes no options)

    $ agents --events
    exit: 2
    --- stdout
    --- stderr
    error: --events needs an agent id: xeroctl agents <id> --events

    $ agents agt_1 --events --name x
    exit: 2
    --- stdout
    --- stderr
    error: --name cannot be used with --events
    hint: see the options of each action with --help

    $ agents agt_1 --events --force
    exit: 2
    --- stdout
    --- stderr
    error: --force cannot be used with --events
    hint: see the options of each action with --help

    $ agents agt_1 --events --delete
    exit: 2
    --- stdout
    --- stderr
    error: the argument '--events' cannot be used with '--delete'
    hint: see `xeroctl agents --help`

    $ agents ..
    exit: 2
    --- stdout
    --- stderr
    error: '..' is not a valid agent id

    $ agents agt_1 extra
    exit: 2
    --- stdout
    --- stderr
    error: the subcommand 'extra' cannot be used with '[ID]'
    hint: see `xeroctl agents --help`

    $ agents --bogus
    exit: 2
    --- stdout
    --- stderr
    error: unexpected argument '--bogus' found
    hint: see `xeroctl agents --help`
    ");
}

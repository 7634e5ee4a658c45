//! Scripting flags on the two streams (`exec stream`, `approvals watch`)
//! and on `--all`: `--jq` runs once per object as each arrives, `-o name`
//! and `-o yaml` print each object as it comes, and `-o name --all` prints a
//! page's ids before the next page is asked for.

use insta::assert_snapshot;
use serde_json::json;
use wiremock::matchers::{header, query_param};
use wiremock::{MockServer, ResponseTemplate};

use crate::support::*;

fn sse(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "text/event-stream")
}

/// One `execution.updated` event with SSE id `seq`.
fn update(seq: u32, exe: &str, status: &str, exit_code: serde_json::Value) -> String {
    let data = json!({"id": exe, "invocation_id": "inv_1", "tool": "kubectl_get", "status": status,
        "exit_code": exit_code});
    format!("id: {seq}\nevent: execution.updated\ndata: {data}\n\n")
}

/// The first connection carries one update and closes; the second (resumed
/// after it) carries two more. Returns what stdout held when the second
/// connection was asked for.
async fn stream_in_two_connections(
    server: &MockServer,
    captured: &xeroctl::Captured,
    later: [String; 2],
) -> std::sync::Arc<std::sync::Mutex<Vec<String>>> {
    let second = StdoutWhenAsked::new(captured, sse(&later.concat()));
    let log = second.log();
    expect("GET", "/exec/executions/stream")
        .and(header("last-event-id", "1"))
        .respond_with(second)
        .expect(1)
        .mount(server)
        .await;
    let first = format!(
        "retry: 20\n\n{}",
        update(1, "exe_1", "running", json!(null))
    );
    expect("GET", "/exec/executions/stream")
        .respond_with(sse(&first))
        .up_to_n_times(1)
        .expect(1)
        .mount(server)
        .await;
    log
}

/// The reconnect note carries a jittered delay: keep its words only.
fn without_delay(stderr: &str) -> String {
    stderr
        .lines()
        .map(|l| match l.find("; reconnecting in ") {
            Some(at) => format!("{}; reconnecting in …", &l[..at]),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn jq_on_exec_stream_runs_once_per_update_as_each_arrives() {
    let server = MockServer::start().await;
    let (streams, captured) = xeroctl::Streams::capture();
    let later = [
        update(2, "exe_1", "completed", json!(0)),
        update(3, "exe_2", "failed", json!(1)),
    ];
    let log = stream_in_two_connections(&server, &captured, later).await;
    let run = Harness::new(&server)
        .run_capturing(
            &[
                "exec",
                "stream",
                "--max-events",
                "3",
                "--jq",
                r#".id + " " + .status + " " + (.exit_code | tostring)"#,
            ],
            (streams, captured),
        )
        .await;
    assert_eq!(run.code, 0, "{run}");
    assert_snapshot!(run.stdout, @r"
    exe_1 running null
    exe_1 completed 0
    exe_2 failed 1
    ");
    assert_snapshot!(without_delay(&run.stderr), @r"
    stream dropped (the router closed the stream); reconnecting in …
    Reconnected.
    ");
    // The first update's result was out before the second connection.
    assert_eq!(*log.lock().unwrap(), ["exe_1 running null\n"]);
}

#[tokio::test]
async fn a_jq_runtime_error_mid_stream_exits_1_after_the_results_before_it() {
    let server = MockServer::start().await;
    let body: String = [
        update(1, "exe_1", "running", json!(null)),
        update(2, "exe_1", "completed", json!(0)),
        update(3, "exe_2", "failed", json!("one")),
        update(4, "exe_3", "completed", json!(0)),
    ]
    .concat();
    expect("GET", "/exec/executions/stream")
        .respond_with(sse(&body))
        .expect(1)
        .mount(&server)
        .await;
    let run = Harness::new(&server)
        .run(&["exec", "stream", "--jq", ".exit_code + 1"])
        .await;
    assert_snapshot!(run, @r#"
    exit: 1
    --- stdout
    1
    1
    --- stderr
    error: --jq: cannot calculate "one" + 1
    "#);
}

#[tokio::test]
async fn exec_stream_as_names_and_yaml() {
    let server = MockServer::start().await;
    let body: String = [
        update(1, "exe_1", "running", json!(null)),
        update(2, "exe_2", "failed", json!(1)),
    ]
    .concat();
    expect("GET", "/exec/executions/stream")
        .respond_with(sse(&body))
        .expect(2)
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let run = h
        .run(&["exec", "stream", "--max-events", "2", "-o", "name"])
        .await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    exe_1
    exe_2
    --- stderr
    ");
    let run = h
        .run(&["exec", "stream", "--max-events", "2", "-o", "yaml"])
        .await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    ---
    id: exe_1
    invocation_id: inv_1
    tool: kubectl_get
    status: running
    exit_code: null
    ---
    id: exe_2
    invocation_id: inv_1
    tool: kubectl_get
    status: failed
    exit_code: 1
    --- stderr
    ");
}

fn approval(id: &str, tool: &str) -> serde_json::Value {
    json!({"id": id, "object": "exec.approval", "invocation_id": "inv_1", "tool": tool,
        "workspace_id": "ws_a1b2c3d4", "risk": "destructive", "status": "pending",
        "created_at": "2026-11-23T06:50:00Z", "expires_at": "2026-11-23T07:50:00Z",
        "resolved_at": null, "resolved_by": null, "note": null, "reason": null})
}

/// First poll: `a1` (with a note); every later poll: `a1` and `a2`. Returns what stdout
/// held at each later poll.
async fn two_polls(
    server: &MockServer,
    captured: &xeroctl::Captured,
    second: serde_json::Value,
) -> std::sync::Arc<std::sync::Mutex<Vec<String>>> {
    let mut first = approval("a1", "kubectl_drain");
    first["note"] = json!("CHG-42");
    expect("GET", "/exec/approvals")
        .and(query_param("status", "pending"))
        .respond_with(json(200, page(vec![first.clone()], false)))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(server)
        .await;
    let later = StdoutWhenAsked::new(captured, json(200, page(vec![first, second], false)));
    let log = later.log();
    expect("GET", "/exec/approvals")
        .and(query_param("status", "pending"))
        .respond_with(later)
        .expect(1..)
        .mount(server)
        .await;
    log
}

const WATCH: [&str; 6] = [
    "approvals",
    "watch",
    "--interval",
    "0.05",
    "--max-events",
    "2",
];

#[tokio::test]
async fn jq_on_approvals_watch_runs_once_per_approval_as_each_appears() {
    let server = MockServer::start().await;
    let (streams, captured) = xeroctl::Streams::capture();
    let log = two_polls(&server, &captured, approval("a2", "openstack_server_stop")).await;
    let mut args = WATCH.to_vec();
    args.extend(["--jq", r#"[.id, .tool] | join(" ")"#]);
    let run = Harness::new(&server)
        .run_capturing(&args, (streams, captured))
        .await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    a1 kubectl_drain
    a2 openstack_server_stop
    --- stderr
    Watching for pending approvals every 0.05 s (Ctrl+C to stop)…
    ");
    // a1's result was printed before the poll that found a2.
    assert_eq!(log.lock().unwrap()[0], "a1 kubectl_drain\n");
}

#[tokio::test]
async fn a_jq_runtime_error_in_approvals_watch_exits_1() {
    let server = MockServer::start().await;
    let (streams, captured) = xeroctl::Streams::capture();
    // a1 (first poll) has a note, a2 none: `null | ascii_downcase` fails.
    two_polls(&server, &captured, approval("a2", "kubectl_drain")).await;
    let mut args = WATCH.to_vec();
    args.extend(["--jq", ".note | ascii_downcase"]);
    let run = Harness::new(&server)
        .run_capturing(&args, (streams, captured))
        .await;
    assert_snapshot!(run, @r"
    exit: 1
    --- stdout
    chg-42
    --- stderr
    Watching for pending approvals every 0.05 s (Ctrl+C to stop)…
    error: --jq: cannot use null as string
    ");
}

#[tokio::test]
async fn approvals_watch_as_names_and_yaml() {
    let server = MockServer::start().await;
    let (streams, captured) = xeroctl::Streams::capture();
    let log = two_polls(&server, &captured, approval("a2", "kubectl_drain")).await;
    let mut args = WATCH.to_vec();
    args.extend(["-o", "name"]);
    let h = Harness::new(&server);
    let run = h.run_capturing(&args, (streams, captured)).await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    a1
    a2
    --- stderr
    Watching for pending approvals every 0.05 s (Ctrl+C to stop)…
    ");
    assert_eq!(log.lock().unwrap()[0], "a1\n");

    let server = MockServer::start().await;
    expect("GET", "/exec/approvals")
        .respond_with(json(
            200,
            page(vec![approval("a1", "kubectl_drain")], false),
        ))
        .mount(&server)
        .await;
    let run = Harness::new(&server)
        .run(&["approvals", "watch", "--max-events", "1", "-o", "yaml"])
        .await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    ---
    id: a1
    object: exec.approval
    invocation_id: inv_1
    tool: kubectl_drain
    workspace_id: ws_a1b2c3d4
    risk: destructive
    status: pending
    created_at: 2026-11-23T06:50:00Z
    expires_at: 2026-11-23T07:50:00Z
    resolved_at: null
    resolved_by: null
    note: null
    reason: null
    --- stderr
    Watching for pending approvals every 5 s (Ctrl+C to stop)…
    ");
}

/// Three pages of agents: agt_1 agt_2 | agt_3 agt_4 | agt_5. Returns what
/// stdout held when pages 2 and 3 were asked for.
async fn three_pages(
    server: &MockServer,
    captured: &xeroctl::Captured,
) -> [std::sync::Arc<std::sync::Mutex<Vec<String>>>; 2] {
    let third = StdoutWhenAsked::new(captured, json(200, page(vec![agent("agt_5", "e")], false)));
    let second = StdoutWhenAsked::new(
        captured,
        json(
            200,
            page(vec![agent("agt_3", "c"), agent("agt_4", "d")], true),
        ),
    );
    let logs = [second.log(), third.log()];
    expect("GET", "/management/agents")
        .and(query_param("after", "agt_4"))
        .respond_with(third)
        .expect(1)
        .mount(server)
        .await;
    expect("GET", "/management/agents")
        .and(query_param("after", "agt_2"))
        .respond_with(second)
        .expect(1)
        .mount(server)
        .await;
    expect("GET", "/management/agents")
        .respond_with(json(
            200,
            page(vec![agent("agt_1", "a"), agent("agt_2", "b")], true),
        ))
        .with_priority(10)
        .expect(1)
        .mount(server)
        .await;
    logs
}

#[tokio::test]
async fn name_with_all_prints_each_page_while_reading_one_ahead() {
    let server = MockServer::start().await;
    let (streams, captured) = xeroctl::Streams::capture();
    let [second, third] = three_pages(&server, &captured).await;
    let run = Harness::new(&server)
        .run_capturing(&["agents", "--all", "-o", "name"], (streams, captured))
        .await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    agt_1
    agt_2
    agt_3
    agt_4
    agt_5
    --- stderr
    ");
    // `--all` reads one page ahead (the next page is asked for while this
    // one is written), so page 2's request may come before page 1 is out;
    // but page 3 is asked for only once page 2 arrived, after page 1 was
    // written: names stream out page by page, never held to the end.
    assert_eq!(second.lock().unwrap().len(), 1);
    let third = third.lock().unwrap();
    assert_eq!(third.len(), 1);
    assert!(third[0].starts_with("agt_1\nagt_2\n"), "{third:?}");
}

#[tokio::test]
async fn jq_over_three_pages_prints_one_result_for_the_merged_list() {
    let server = MockServer::start().await;
    let (streams, captured) = xeroctl::Streams::capture();
    let [second, third] = three_pages(&server, &captured).await;
    let run = Harness::new(&server)
        .run_capturing(
            &["agents", "--all", "--jq", ".data | length"],
            (streams, captured),
        )
        .await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    5
    --- stderr
    ");
    // Nothing was printed page by page: the program saw the whole list.
    assert_eq!(*second.lock().unwrap(), [""]);
    assert_eq!(*third.lock().unwrap(), [""]);
}

#[tokio::test]
async fn an_update_jq_cannot_read_is_skipped_with_a_warning() {
    let server = MockServer::start().await;
    let body = [
        update(1, "exe_1", "running", json!(null)),
        "id: 2\nevent: execution.updated\ndata: {not json\n\n".to_string(),
        update(3, "exe_1", "completed", json!(0)),
    ]
    .concat();
    expect("GET", "/exec/executions/stream")
        .respond_with(sse(&body))
        .expect(1)
        .mount(&server)
        .await;
    let run = Harness::new(&server)
        .run(&["exec", "stream", "--max-events", "2", "--jq", ".status"])
        .await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    running
    completed
    --- stderr
    warning: skipped a stream update that is not JSON
    ");
}

//! `learnings list | show | add`.

use insta::assert_snapshot;
use serde_json::json;
use wiremock::matchers::{body_json, query_param};
use wiremock::MockServer;

use crate::support::*;

const LONG: &str = "kubectl_drain on the GPU nodes needs ignore_daemonsets: the dcgm-exporter DaemonSet blocks eviction otherwise.";

fn learning(id: &str, content: &str, source: &str, score: Option<f64>) -> serde_json::Value {
    json!({"id": id, "object": "exec.learning", "content": content, "workspace_id": "ws_a1b2c3d4",
        "score": score, "source_type": source, "created_at": "2026-11-20T08:00:00Z"})
}

#[tokio::test]
async fn list_filters_and_shortens_content_to_sixty_characters() {
    let server = MockServer::start().await;
    expect("GET", "/exec/learnings")
        .and(query_param("workspace_id", "ws_a1b2c3d4"))
        .and(query_param("source_type", "tool"))
        .respond_with(json(
            200,
            page(
                vec![
                    learning("lrn_5a7e01", LONG, "tool", Some(0.82)),
                    learning("lrn_5a7e02", "short\nnote", "tool", None),
                ],
                false,
            ),
        ))
        .expect(2)
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let args = [
        "learnings",
        "list",
        "--workspace",
        "ws_a1b2c3d4",
        "--source-type",
        "tool",
    ];
    let run = h.run(&args).await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    ID          SOURCE  WORKSPACE    SCORE  CREATED              CONTENT
    lrn_5a7e01  tool    ws_a1b2c3d4  0.82   2026-11-20 08:00:00  kubectl_drain on the GPU nodes needs ignore_daemonsets: the…
    lrn_5a7e02  tool    ws_a1b2c3d4  -      2026-11-20 08:00:00  short note
    --- stderr
    ");
    let mut json_args = args.to_vec();
    json_args.extend(["-o", "json"]);
    let run = h.run(&json_args).await;
    assert_eq!(run.json()["data"][0]["content"], json!(LONG));
}

#[tokio::test]
async fn list_with_no_filter_and_a_bad_source_type() {
    let server = MockServer::start().await;
    expect("GET", "/exec/learnings")
        .respond_with(json(200, page(vec![], false)))
        .expect(1)
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let run = h.run(&["learnings", "ls"]).await;
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.stderr, "No learnings found.\n");
    let run = h
        .run(&["learnings", "list", "--source-type", "email"])
        .await;
    assert_eq!(run.code, 2, "{run}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn show_gives_the_content_whole() {
    let server = MockServer::start().await;
    expect("GET", "/exec/learnings/lrn_5a7e01")
        .respond_with(json(200, learning("lrn_5a7e01", LONG, "tool", Some(0.82))))
        .mount(&server)
        .await;
    expect("GET", "/exec/learnings/lrn_nope")
        .respond_with(api_error(
            404,
            "learning_not_found",
            "Learning lrn_nope not found",
        ))
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let run = h.run(&["learnings", "show", "lrn_5a7e01"]).await;
    let missing = h.run(&["learnings", "show", "lrn_nope"]).await;
    assert_snapshot!(format!("{run}\n{missing}"), @r"
    exit: 0
    --- stdout
    ID:        lrn_5a7e01
    Source:    tool
    Workspace: ws_a1b2c3d4
    Score:     0.82
    Created:   2026-11-20 08:00:00
    Content:   kubectl_drain on the GPU nodes needs ignore_daemonsets: the dcgm-exporter DaemonSet blocks eviction otherwise.
    --- stderr

    exit: 4
    --- stdout
    --- stderr
    error: Learning lrn_nope not found (learning_not_found, request id req_inproc_1)
    hint: list learnings with `xeroctl learnings list`
    ");
    let run = h
        .run(&["learnings", "show", "lrn_5a7e01", "-o", "json"])
        .await;
    assert_eq!(run.json()["content"], json!(LONG));
}

#[tokio::test]
async fn add_posts_the_content_and_workspace() {
    let server = MockServer::start().await;
    let mut created = learning("lrn_9f00aa", "Drain node-7 after 22:00", "operator", None);
    created["workspace_id"] = json!("ws_a1b2c3d4");
    expect("POST", "/exec/learnings")
        .and(body_json(
            json!({"content": "Drain node-7 after 22:00", "workspace_id": "ws_a1b2c3d4"}),
        ))
        .respond_with(json(201, created.clone()))
        .expect(2)
        .mount(&server)
        .await;
    let h = Harness::new(&server);
    let args = [
        "learnings",
        "add",
        "--content",
        "Drain node-7 after 22:00",
        "--workspace",
        "ws_a1b2c3d4",
    ];
    let run = h.run(&args).await;
    assert_snapshot!(run, @r"
    exit: 0
    --- stdout
    ID:        lrn_9f00aa
    Source:    operator
    Workspace: ws_a1b2c3d4
    Score:     -
    Created:   2026-11-20 08:00:00
    Content:   Drain node-7 after 22:00
    --- stderr
    Added learning lrn_9f00aa for workspace ws_a1b2c3d4.
    ");
    let mut json_args = args.to_vec();
    json_args.extend(["-o", "json"]);
    let run = h.run(&json_args).await;
    assert_eq!(run.json(), created);
}

#[tokio::test]
async fn add_from_a_file_without_a_workspace() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("note.md");
    std::fs::write(&file, "from a file\n").unwrap();
    let mut created = learning("lrn_9f00ab", "from a file\n", "operator", None);
    created["workspace_id"] = json!(null);
    expect("POST", "/exec/learnings")
        .and(body_json(json!({"content": "from a file\n"})))
        .respond_with(json(201, created))
        .expect(1)
        .mount(&server)
        .await;
    let spec = format!("@{}", file.display());
    let run = Harness::new(&server)
        .run(&["learnings", "add", "--content", &spec])
        .await;
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stderr
            .starts_with("Added learning lrn_9f00ab for every workspace."),
        "{run}"
    );
}

#[tokio::test]
async fn add_validation_error_exits_2_and_dry_run_sends_nothing() {
    let server = MockServer::start().await;
    let h = Harness::new(&server);
    let run = h
        .run(&[
            "learnings",
            "add",
            "--content",
            "x",
            "--dry-run",
            "-o",
            "json",
        ])
        .await;
    assert_eq!(
        run.json(),
        json!({"dry_run": true, "method": "POST",
            "url": format!("{}/demo/v1/exec/learnings", server.uri()),
            "body": {"content": "x"}})
    );
    assert!(received(&server).await.is_empty());
    expect("POST", "/exec/learnings")
        .and(body_json(json!({"content": ""})))
        .respond_with(api_error(
            400,
            "validation_error",
            "'content' is required and must be a non-empty string",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let run = h.run(&["learnings", "add", "--content", ""]).await;
    assert_snapshot!(run, @r"
    exit: 2
    --- stdout
    --- stderr
    error: 'content' is required and must be a non-empty string (validation_error, request id req_inproc_1)
    ");
}

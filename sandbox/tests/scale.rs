//! `--agents 100000`: loads in seconds, pages cost O(limit).

mod common;

use std::time::{Duration, Instant};

use xeroctl_sandbox::SandboxOptions;

fn server_ms(a: &common::Answer) -> f64 {
    let v = a.headers["server-timing"].to_str().unwrap();
    v.trim_start_matches("app;dur=").parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundred_thousand_agents() {
    let t = Instant::now();
    let h = common::start_with(SandboxOptions {
        agents: 100_000,
        tick: Duration::from_millis(20),
        ..Default::default()
    })
    .await;
    let load = t.elapsed();
    // Unoptimized test builds are several times slower than release.
    assert!(load < Duration::from_secs(10), "seeding took {load:?}");

    let first = h.get("/management/agents?limit=100").await;
    assert_eq!(first.body["data"].as_array().unwrap().len(), 100);
    // A page deep inside the list: find a cursor near the end cheaply by
    // walking a few pages, then compare with the first page's cost.
    let mut after = first.body["last_id"].as_str().unwrap().to_string();
    let mut best = f64::MAX;
    for _ in 0..20 {
        let p = h
            .get(&format!("/management/agents?limit=100&after={after}"))
            .await;
        assert_eq!(p.status, 200);
        assert_eq!(p.body["has_more"], true);
        best = best.min(server_ms(&p));
        after = p.body["last_id"].as_str().unwrap().to_string();
    }
    // Release builds answer in well under a millisecond; leave room for
    // debug builds and a busy CI machine.
    assert!(best < 20.0, "a page took {best} ms of server time");
    let small = h
        .get(&format!("/management/agents?limit=1&after={after}"))
        .await;
    assert!(server_ms(&small) < 20.0);

    // A new agent goes last: after it there is nothing.
    let created = h
        .post(
            "/management/agents",
            serde_json::json!({"name": "the-last"}),
        )
        .await;
    assert_eq!(created.status, 201);
    let id = created.body["id"].as_str().unwrap();
    let tail = h.get(&format!("/management/agents?after={id}")).await;
    assert_eq!(tail.body["has_more"], false);
    assert_eq!(tail.body["data"], serde_json::json!([]));
}

//! Response compression (on unless `compression: false`), the paced body
//! writer (`bandwidth_kbps`) and `--tls`, seen on the wire.

mod common;

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use xeroctl_sandbox::SandboxOptions;

/// One raw HTTP/1.1 GET (no client-side decoding): head and body bytes.
async fn raw_get(h: &common::Harness, path: &str, accept_encoding: &str) -> (String, Vec<u8>) {
    let mut tcp = tokio::net::TcpStream::connect(h.sb.addr()).await.unwrap();
    let target = format!("/demo/v1{path}");
    let req = format!(
        "GET {target} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer {}\r\naccept-encoding: {accept_encoding}\r\nconnection: close\r\n\r\n",
        h.sb.api_key()
    );
    tcp.write_all(req.as_bytes()).await.unwrap();
    let mut all = Vec::new();
    tcp.read_to_end(&mut all).await.unwrap();
    let split = all.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&all[..split]).to_ascii_lowercase();
    (head, all[split + 4..].to_vec())
}

async fn start(compression: bool, bandwidth_kbps: u64) -> common::Harness {
    common::start_with(SandboxOptions {
        agents: 200,
        tick: Duration::from_millis(20),
        compression,
        bandwidth_kbps,
        ..Default::default()
    })
    .await
}

#[tokio::test]
async fn responses_are_compressed_only_when_asked_and_not_when_disabled() {
    let h = start(true, 0).await;
    let (head, _) = raw_get(&h, "/management/agents?limit=50", "gzip").await;
    assert!(head.contains("content-encoding: gzip"), "{head}");
    let (head, _) = raw_get(&h, "/management/agents?limit=50", "br").await;
    assert!(head.contains("content-encoding: br"), "{head}");
    let (head, body) = raw_get(&h, "/management/agents?limit=50", "identity").await;
    assert!(!head.contains("content-encoding"), "{head}");
    assert!(body.contains(&b'{'));

    let h = start(false, 0).await;
    let (head, _) = raw_get(&h, "/management/agents?limit=50", "gzip, br").await;
    assert!(!head.contains("content-encoding"), "{head}");
}

#[tokio::test]
async fn bandwidth_limit_paces_the_body() {
    let h = start(false, 800).await; // 100 kB/s
    let started = Instant::now();
    let (_, body) = raw_get(&h, "/management/agents?limit=100", "identity").await;
    let elapsed = started.elapsed().as_secs_f64();
    let floor = body.len() as f64 / 100_000.0;
    assert!(body.len() > 5_000, "{}", body.len());
    assert!(
        elapsed >= floor * 0.8,
        "{} bytes in {elapsed:.3} s, at least {floor:.3} s expected",
        body.len()
    );
    // The pacer counts what it sent; the stats call itself is not counted.
    let (_, stats) = raw_get(&h, "/sandbox/stats", "identity").await;
    let stats: serde_json::Value = serde_json::from_slice(&stats).unwrap();
    let sent = stats["body_bytes_sent"].as_u64().unwrap();
    assert!(sent > 5_000 && sent <= body.len() as u64, "{stats}");
    assert_eq!(stats["requests"], 2, "{stats}");
}

#[tokio::test]
async fn tls_mode_serves_https_with_a_test_ca() {
    let h = common::start_with(SandboxOptions {
        tls: true,
        ..Default::default()
    })
    .await;
    assert!(h.sb.base_url().starts_with("https://127.0.0.1:"));
    let pem = h.sb.ca_pem().expect("a CA");
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
    let ca = reqwest::Certificate::from_pem(pem.as_bytes()).unwrap();
    let http = reqwest::Client::builder()
        .add_root_certificate(ca)
        .build()
        .unwrap();
    let resp = http
        .get(h.url("/management/agents?limit=1"))
        .bearer_auth(h.sb.api_key())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(h.sb.connections(), 1);
    // Without the CA the handshake fails.
    let plain = reqwest::Client::new();
    assert!(plain.get(h.url("/management/agents")).send().await.is_err());
}

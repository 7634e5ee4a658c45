//! Compression (docs/spec/cli.md, "Transport"): the client asks for gzip
//! and br, decodes them transparently, and `exec raw` writes the payload
//! after transport decoding, byte for byte.

use std::io::Write;

use wiremock::{MockServer, ResponseTemplate};

use crate::exec::EXE;
use crate::support::*;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn br(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
        enc.write_all(bytes).unwrap();
    }
    out
}

fn compressed(body: Vec<u8>, encoding: &str, content_type: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("content-encoding", encoding)
        .set_body_raw(body, content_type)
}

#[tokio::test]
async fn json_bodies_in_gzip_and_br_are_decoded_and_asked_for() {
    for (encoding, encode) in [("gzip", gzip as fn(&[u8]) -> Vec<u8>), ("br", br)] {
        let server = MockServer::start().await;
        let body = page(agents(0, 3), false).to_string();
        expect("GET", "/management/agents")
            .respond_with(compressed(
                encode(body.as_bytes()),
                encoding,
                "application/json",
            ))
            .expect(1)
            .mount(&server)
            .await;
        let run = Env::for_server(&server)
            .run(&["agents", "ls", "-o", "json"])
            .await;
        run.expect_code(0);
        assert_eq!(
            run.json()["data"].as_array().unwrap().len(),
            3,
            "{encoding}"
        );
        let sent = received(&server).await;
        let accept = sent[0]
            .headers
            .get("accept-encoding")
            .expect("Accept-Encoding sent")
            .to_str()
            .unwrap()
            .to_string();
        assert!(accept.contains("gzip"), "{accept}");
        assert!(accept.contains("br"), "{accept}");
    }
}

#[tokio::test]
async fn exec_raw_is_byte_exact_after_transport_decoding() {
    // Bytes that look like gzip themselves, inside a gzip (then br) transfer.
    let payload: Vec<u8> = (0..=255u8)
        .chain([0x1f, 0x8b, 0x08, 0x00, b'\r', b'\n'])
        .cycle()
        .take(70_000)
        .collect();
    for (encoding, encode) in [("gzip", gzip as fn(&[u8]) -> Vec<u8>), ("br", br)] {
        let server = MockServer::start().await;
        expect("GET", &format!("/exec/executions/{EXE}/raw"))
            .respond_with(compressed(
                encode(&payload),
                encoding,
                "application/octet-stream",
            ))
            .expect(1)
            .mount(&server)
            .await;
        let run = Env::for_server(&server).run(&["exec", "raw", EXE]).await;
        run.expect_code(0);
        assert!(run.0.stdout == payload, "{encoding}: output differs");
    }
}

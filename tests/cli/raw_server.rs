//! A bare TCP "router" for faults wiremock cannot produce: a connection
//! dropped mid-response, bodies of tens of megabytes streamed lazily, and a
//! script of different replies per connection.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::support::PROJECT;

/// What the server does on one connection.
#[derive(Clone)]
pub enum Reply {
    /// Write these bytes, then close.
    Bytes(Vec<u8>),
    /// Headers announcing `Content-Length: declared`, then only `body`, then close.
    Truncated { declared: usize, body: Vec<u8> },
    /// A chunked 200 (or `status`) whose body is `head` then `filler` bytes
    /// repeated up to `total` bytes; stops when the client goes away.
    Stream {
        status: u16,
        content_length: Option<usize>,
        head: Vec<u8>,
        total: usize,
    },
    /// Headers announcing the whole `body`, then the body one byte every
    /// `every` (a server that keeps a connection busy without ever
    /// finishing); stops when the client goes away.
    Trickle {
        status: u16,
        body: Vec<u8>,
        every: std::time::Duration,
    },
}

impl Reply {
    /// A complete response with a JSON body.
    pub fn json(status: u16, body: &serde_json::Value) -> Reply {
        let body = serde_json::to_vec(body).expect("json");
        Reply::Bytes(response_bytes(status, "application/json", &body))
    }
}

pub fn response_bytes(status: u16, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\nx-request-id: req_raw\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

pub struct RawServer {
    /// `http://127.0.0.1:<port>/demo/v1`
    pub base_url: String,
    hits: Arc<AtomicUsize>,
}

impl RawServer {
    /// Serve `script(n)` on the n-th connection (0-based).
    pub async fn start(script: impl Fn(usize) -> Reply + Send + Sync + 'static) -> RawServer {
        RawServer::routed(move |n, _| script(n)).await
    }

    /// Serve `script(n, target)` on the n-th connection, `target` being the
    /// request line's path and query (`/demo/v1/exec/approvals?limit=100`).
    pub async fn routed(
        script: impl Fn(usize, &str) -> Reply + Send + Sync + 'static,
    ) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        let script = Arc::new(script);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let script = script.clone();
                tokio::spawn(serve(stream, move |target: &str| script(n, target)));
            }
        });
        RawServer {
            base_url: format!("http://{addr}/{PROJECT}/v1"),
            hits,
        }
    }

    /// Connections accepted so far (one request each: we always close).
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

async fn serve(mut stream: TcpStream, reply: impl FnOnce(&str) -> Reply) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let head = String::from_utf8_lossy(&request);
    let target = head.split(' ').nth(1).unwrap_or("");
    match reply(target) {
        Reply::Bytes(bytes) => {
            let _ = stream.write_all(&bytes).await;
        }
        Reply::Truncated { declared, body } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-request-id: req_raw\r\ncontent-length: {declared}\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
            let _ = stream.flush().await;
        }
        Reply::Stream {
            status,
            content_length,
            head,
            total,
        } => {
            let framing = match content_length {
                Some(n) => format!("content-length: {n}"),
                None => "transfer-encoding: chunked".to_string(),
            };
            let headers = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\nx-request-id: req_big\r\n{framing}\r\n\r\n"
            );
            if stream.write_all(headers.as_bytes()).await.is_err() {
                return;
            }
            let chunked = content_length.is_none();
            let filler = vec![b' '; 256 * 1024];
            let mut sent = 0;
            let mut first = Some(head);
            while sent < total {
                let piece: &[u8] = match &first {
                    Some(h) => h,
                    None => &filler[..filler.len().min(total - sent)],
                };
                let mut frame = Vec::with_capacity(piece.len() + 16);
                if chunked {
                    frame.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
                }
                frame.extend_from_slice(piece);
                if chunked {
                    frame.extend_from_slice(b"\r\n");
                }
                sent += piece.len();
                first = None;
                if stream.write_all(&frame).await.is_err() {
                    return;
                }
            }
            if chunked {
                let _ = stream.write_all(b"0\r\n\r\n").await;
            }
        }
        Reply::Trickle {
            status,
            body,
            every,
        } => {
            let head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: text/plain\r\nx-request-id: req_slow\r\ncontent-length: {}\r\n\r\n",
                body.len()
            );
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            for byte in body {
                if stream.write_all(&[byte]).await.is_err() || stream.flush().await.is_err() {
                    return;
                }
                tokio::time::sleep(every).await;
            }
        }
    }
    let _ = stream.shutdown().await;
}

/// Read the request head and its body (so closing never resets the
/// connection under unread data). `None` when the client went away.
async fn read_request(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut tmp = [0u8; 8192];
    let head_end = loop {
        let n = stream.read(&mut tmp).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&tmp[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut tmp).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&tmp[..n]);
    }
    Some(buf)
}

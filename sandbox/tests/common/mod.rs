//! Helpers shared by the sandbox's integration tests.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::Value;
use xeroctl_sandbox::{Sandbox, SandboxOptions};

pub struct Harness {
    pub sb: Sandbox,
    pub http: reqwest::Client,
}

pub async fn start_with(opts: SandboxOptions) -> Harness {
    let sb = Sandbox::start(SandboxOptions { port: 0, ..opts })
        .await
        .expect("sandbox starts");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    Harness { sb, http }
}

/// A sandbox on a free port with a 20 ms tick.
pub async fn start() -> Harness {
    start_with(SandboxOptions {
        tick: Duration::from_millis(20),
        ..Default::default()
    })
    .await
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub bytes: Vec<u8>,
}

impl Answer {
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
    pub fn param(&self) -> Option<&str> {
        self.body["error"]["param"].as_str()
    }
}

impl Harness {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.sb.base_url(), path)
    }

    pub async fn send_with_key(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let mut req = self.http.request(method, self.url(path));
        if let Some(k) = key {
            req = req.bearer_auth(k);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request sent");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.expect("body").to_vec();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        assert!(
            headers.contains_key("x-request-id"),
            "no X-Request-ID on {path}"
        );
        Answer {
            status,
            headers,
            body,
            bytes,
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        let key = self.sb.api_key().to_string();
        self.send_with_key(Method::GET, path, Some(&key), None)
            .await
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        let key = self.sb.api_key().to_string();
        self.send_with_key(Method::POST, path, Some(&key), Some(body))
            .await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Answer {
        let key = self.sb.api_key().to_string();
        self.send_with_key(Method::PATCH, path, Some(&key), Some(body))
            .await
    }

    pub async fn delete(&self, path: &str) -> Answer {
        let key = self.sb.api_key().to_string();
        self.send_with_key(Method::DELETE, path, Some(&key), None)
            .await
    }

    /// Polls the invocation until its status is one of `want` (5 s max).
    pub async fn wait_invocation(&self, id: &str, want: &[&str]) -> Value {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let a = self.get(&format!("/exec/invocations/{id}")).await;
            assert_eq!(a.status, 200, "{:?}", a.body);
            let status = a.body["status"].as_str().unwrap_or("").to_string();
            if want.contains(&status.as_str()) {
                return a.body;
            }
            assert!(
                Instant::now() < deadline,
                "invocation {id} stuck in {status}, wanted {want:?}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Reads every item of a list by following `has_more`/`last_id`.
    pub async fn list_all(&self, path: &str, limit: usize) -> Vec<Value> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        let sep = if path.contains('?') { '&' } else { '?' };
        loop {
            let mut url = format!("{path}{sep}limit={limit}");
            if let Some(a) = &after {
                url.push_str(&format!("&after={a}"));
            }
            let page = self.get(&url).await;
            assert_eq!(page.status, 200, "{:?}", page.body);
            assert_eq!(page.body["object"], "list");
            let data = page.body["data"].as_array().unwrap().clone();
            assert!(data.len() <= limit);
            out.extend(data);
            if !page.body["has_more"].as_bool().unwrap() {
                return out;
            }
            after = Some(page.body["last_id"].as_str().unwrap().to_string());
        }
    }
}

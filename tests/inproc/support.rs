//! The in-process harness: `Harness::new(&server).run(&[...])`.

use std::fmt;
use std::sync::Once;

use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A key that must never show up in any output.
pub const KEY: &str = "xero_demo_inpr0c3ss0000000000000000";

static PIN_NOW: Once = Once::new();

/// Relative times ("12s ago") are computed against this instant. Set once,
/// before any run reads it, so every test sees the same clock.
fn pin_now() {
    PIN_NOW.call_once(|| std::env::set_var("XEROCTL_NOW", "2026-11-23T07:00:00Z"));
}

pub struct Harness {
    base_url: String,
}

impl Harness {
    pub fn new(server: &MockServer) -> Harness {
        pin_now();
        Harness {
            base_url: format!("{}/demo/v1", server.uri()),
        }
    }

    /// Run `xeroctl <args>` in-process. Credentials, colour and the output
    /// format default to explicit flags, so no environment variable or
    /// config file of the machine running the tests can change the result.
    pub async fn run(&self, args: &[&str]) -> Run {
        self.run_capturing(args, xeroctl::Streams::capture()).await
    }

    /// `run` with streams the test made, so a mock can read what stdout
    /// held when a request arrived (a clone of the `Captured` handle).
    pub async fn run_capturing(
        &self,
        args: &[&str],
        (streams, captured): (xeroctl::Streams, xeroctl::Captured),
    ) -> Run {
        let argv = self.argv(args);
        // `run` builds its own runtime: keep it off the test's.
        tokio::task::spawn_blocking(move || {
            let code = xeroctl::run(argv, streams);
            Run {
                code,
                stdout: captured.stdout(),
                stderr: captured.stderr(),
            }
        })
        .await
        .expect("the run finished")
    }

    /// Like [`Harness::run`], with stdout going to `stdout` (a writer that
    /// is slow or blocks): the `Run`'s stdout is empty, the writer has it.
    pub async fn run_with_stdout(
        &self,
        args: &[&str],
        stdout: impl std::io::Write + Send + 'static,
    ) -> Run {
        self.run_capturing(args, xeroctl::Streams::capture_with_stdout(stdout))
            .await
    }

    fn argv(&self, args: &[&str]) -> Vec<String> {
        let mut argv: Vec<String> = vec![
            "xeroctl".into(),
            "--base-url".into(),
            self.base_url.clone(),
            "--api-key".into(),
            KEY.into(),
            "--color".into(),
            "never".into(),
        ];
        let chooses_output = |a: &&str| *a == "-o" || a.starts_with("--output") || *a == "--jq";
        if !args.iter().any(chooses_output) {
            argv.extend(["-o".into(), "table".into()]);
        }
        argv.extend(args.iter().map(|a| a.to_string()));
        argv
    }
}

/// A finished in-process run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{self}"))
    }

    /// The key appears nowhere.
    #[track_caller]
    pub fn assert_no_secret(&self, secrets: &[&str]) {
        for s in [KEY].iter().chain(secrets) {
            assert!(
                !self.stdout.contains(s) && !self.stderr.contains(s),
                "{s} leaked:\n{self}"
            );
        }
    }
}

/// What a snapshot holds: the exit code and both streams, whole.
impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "exit: {}", self.code)?;
        writeln!(f, "--- stdout")?;
        f.write_str(&self.stdout)?;
        writeln!(f, "--- stderr")?;
        f.write_str(&self.stderr)
    }
}

/// A mock for `METHOD /demo/v1<p>` that also checks the headers every
/// request must carry.
pub fn expect(m: &str, p: &str) -> wiremock::MockBuilder {
    Mock::given(method(m))
        .and(path(format!("/demo/v1{p}")))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("accept", "application/json"))
        .and(header(
            "user-agent",
            format!("xeroctl/{}", env!("CARGO_PKG_VERSION")).as_str(),
        ))
}

pub fn json(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("x-request-id", "req_inproc_1")
        .set_body_json(body)
}

pub fn api_error(status: u16, code: &str, message: &str) -> ResponseTemplate {
    json(
        status,
        serde_json::json!({"error": {"message": message, "type": "invalid_request_error", "code": code, "param": null}}),
    )
}

pub fn page(data: Vec<serde_json::Value>, has_more: bool) -> serde_json::Value {
    let first = data.first().map(|d| d["id"].clone());
    let last = data.last().map(|d| d["id"].clone());
    serde_json::json!({"object": "list", "data": data, "has_more": has_more, "first_id": first, "last_id": last})
}

/// Every request the server saw.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

pub fn agent(id: &str, name: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id, "object": "agent", "name": name, "worker_id": "wrk_9f3a", "status": "active",
        "region": "us-east", "max_concurrent_requests": 8, "description": "H100 worker",
        "supported_tiers": ["priority", "default"], "storage_limit_enabled": true,
        "storage_limit_bytes": 500_000_000_000u64, "last_heartbeat_at": "2026-11-23T06:59:48Z",
        "created_at": "2026-11-01T10:00:00Z", "updated_at": "2026-11-20T10:00:00Z"
    })
}

pub fn join_key(id: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id, "object": "join_key", "name": null, "status": "active", "region": "us-east",
        "enrollments": 0, "max_enrollments": 10, "supported_tiers": null, "storage_limit_bytes": null,
        "expires_at": "2026-11-24T06:50:29Z", "created_at": "2026-11-23T06:50:29Z", "revoked_at": null
    })
}

/// A response that first records what the run had printed on stdout when
/// the request arrived: proof that output streams ahead of later requests.
pub struct StdoutWhenAsked {
    pub captured: xeroctl::Captured,
    pub seen: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    pub response: ResponseTemplate,
}

impl StdoutWhenAsked {
    pub fn new(captured: &xeroctl::Captured, response: ResponseTemplate) -> StdoutWhenAsked {
        StdoutWhenAsked {
            captured: captured.clone(),
            seen: Default::default(),
            response,
        }
    }

    /// What stdout held at each request, in order.
    pub fn log(&self) -> std::sync::Arc<std::sync::Mutex<Vec<String>>> {
        self.seen.clone()
    }
}

impl wiremock::Respond for StdoutWhenAsked {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.seen.lock().unwrap().push(self.captured.stdout());
        self.response.clone()
    }
}

/// Any request fails the test (when the server drops): for runs that must
/// send nothing.
pub async fn forbid_all(server: &MockServer) {
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(599))
        .expect(0)
        .named("no request may be sent")
        .mount(server)
        .await;
}

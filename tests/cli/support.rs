//! Shared test harness: run the real `xeroctl` binary against a wiremock
//! server (or the sandbox) with a clean, isolated environment.

#![allow(dead_code)]

use std::fmt;
use std::path::PathBuf;
use std::process::Output;
use std::sync::LazyLock;

use assert_cmd::Command;
use regex::Regex;
use tempfile::TempDir;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A key that must never show up in any output.
pub const KEY: &str = "xero_demo_s3cr3tk3y0000000000000000";
pub const PROJECT: &str = "demo";

/// An isolated run environment: its own HOME and XDG_CONFIG_HOME.
pub struct Env {
    pub home: TempDir,
    pub base_url: Option<String>,
    pub api_key: Option<String>,
    pub extra: Vec<(String, String)>,
}

impl Env {
    /// Pointing at a wiremock server (`<uri>/demo/v1`) with the test key.
    pub fn for_server(server: &MockServer) -> Env {
        Env::new(
            Some(format!("{}/{PROJECT}/v1", server.uri())),
            Some(KEY.into()),
        )
    }

    pub fn new(base_url: Option<String>, api_key: Option<String>) -> Env {
        Env {
            home: tempfile::tempdir().expect("temp dir"),
            base_url,
            api_key,
            extra: Vec::new(),
        }
    }

    /// No base URL and no key from the environment.
    pub fn bare() -> Env {
        Env::new(None, None)
    }

    pub fn env(mut self, key: &str, value: &str) -> Env {
        self.extra.push((key.into(), value.into()));
        self
    }

    pub fn config_dir(&self) -> PathBuf {
        self.home.path().join("xdg").join("xeroctl")
    }

    pub fn config_path(&self) -> PathBuf {
        self.config_dir().join("config.toml")
    }

    /// Write a config file (mode 0600, its folder 0700 whatever the umask:
    /// xeroctl refuses a config others could write).
    pub fn write_config(&self, text: &str) -> PathBuf {
        let path = self.config_path();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
            std::fs::set_permissions(self.config_dir(), std::fs::Permissions::from_mode(0o700))
                .unwrap();
        }
        path
    }

    /// The command, with a scrubbed environment and no TTY.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("xeroctl").expect("binary built");
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join("xdg"))
            .env("XEROCTL_NOW", "2026-11-23T07:00:00Z")
            .env("NO_COLOR", "1")
            // Never the real OS keychain: keys fall back to the file, as on
            // a machine without one. Tests of the keychain set `mock-file:`.
            .env("XEROCTL_KEYCHAIN", "none")
            .timeout(std::time::Duration::from_secs(60));
        if let Some(url) = &self.base_url {
            cmd.env("XEROCTL_BASE_URL", url);
        }
        if let Some(key) = &self.api_key {
            cmd.env("XEROCTL_API_KEY", key);
        }
        for (k, v) in &self.extra {
            cmd.env(k, v);
        }
        cmd
    }

    /// Run with these args (off the async runtime), stdin closed.
    pub async fn run(&self, args: &[&str]) -> Run {
        let mut cmd = self.cmd();
        cmd.args(args);
        run_blocking(cmd, None).await
    }

    /// Run with `stdin` fed to the process.
    pub async fn run_with_stdin(&self, args: &[&str], stdin: &[u8]) -> Run {
        let mut cmd = self.cmd();
        cmd.args(args);
        run_blocking(cmd, Some(stdin.to_vec())).await
    }
}

pub async fn run_blocking(mut cmd: Command, stdin: Option<Vec<u8>>) -> Run {
    tokio::task::spawn_blocking(move || {
        // No stdin given: an empty, closed pipe (never a terminal).
        cmd.write_stdin(stdin.unwrap_or_default());
        Run(cmd.output().expect("xeroctl ran"))
    })
    .await
    .expect("join")
}

/// A finished run with convenient accessors. Its `Display` is what a
/// snapshot holds: `insta::assert_snapshot!(run)`.
pub struct Run(pub Output);

/// What differs between two runs of the same test, and so never belongs in a
/// snapshot. Each pattern names what it hides; nothing else is rewritten.
/// - the port of a local server (wiremock, the sandbox and raw listeners
///   bind port 0: the OS picks an ephemeral one, five digits); fixed ports
///   a test writes (`127.0.0.1:9`, `:8787`) stay;
/// - a temp dir (`Env`'s HOME, config dirs, files written by a test);
/// - a request id the sandbox makes up (`req_` + a counter and a random
///   part, 16 hex digits); the fixed ids of wiremock tests stay;
/// - a measured time in whole milliseconds (`< 200 in 3 ms`, `failed after
///   12 ms`, `retrying in 187 ms`: the backoff has jitter; `status -o
///   json`'s `"round_trip_ms": 3`); a test where the exact value is the
///   point checks it on the raw stream.
static FILTERS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    let temp = regex::escape(std::env::temp_dir().to_string_lossy().trim_end_matches('/'));
    [
        (
            r"(127\.0\.0\.1|localhost|\[::1\]):\d{5}\b".to_string(),
            "$1:[port]",
        ),
        (format!(r"{temp}/\.tmp[A-Za-z0-9]{{6}}"), "[tmp]"),
        (r"\b\d+ ms\b".to_string(), "[n] ms"),
        (
            r#""round_trip_ms": \d+"#.to_string(),
            r#""round_trip_ms": [n]"#,
        ),
        (r"\breq_[0-9a-f]{16}\b".to_string(), "req_[id]"),
    ]
    .into_iter()
    .map(|(pattern, with)| (Regex::new(&pattern).expect("filter"), with))
    .collect()
});

/// `text` with [`FILTERS`] applied.
pub fn normalise(text: &str) -> String {
    FILTERS
        .iter()
        .fold(text.to_string(), |text, (pattern, with)| {
            pattern.replace_all(&text, *with).into_owned()
        })
}

/// One stream as a snapshot shows it: normalised ([`FILTERS`]), control
/// characters but newline and tab spelled `\u{1b}` (so a colour code or a
/// stray escape is visible and the snapshot stays plain text), and a last
/// line without its newline marked, so that a missing one shows.
fn shown(stream: &str) -> String {
    let mut out = String::with_capacity(stream.len());
    for c in normalise(stream).chars() {
        match c {
            '\n' | '\t' => out.push(c),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str("\n[no newline at end]\n");
    }
    out
}

/// The exit code and both streams, whole ([`shown`]).
impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "exit: {}", self.code())?;
        writeln!(f, "--- stdout")?;
        f.write_str(&shown(&self.stdout()))?;
        writeln!(f, "--- stderr")?;
        f.write_str(&shown(&self.stderr()))
    }
}

/// Several runs in one snapshot, each under its command line (`$ args`),
/// separated by a blank line: `let mut t = Transcript::default();
/// t.add(&args, &run); assert_snapshot!(t)`.
#[derive(Default)]
pub struct Transcript(Vec<String>);

impl Transcript {
    pub fn add(&mut self, args: &[&str], run: &Run) -> &mut Self {
        self.0
            .push(format!("$ {}\n{run}", normalise(&args.join(" "))));
        self
    }

    /// A run under a `# title` instead of its command line (when the runs
    /// differ by what the server answers, not by their arguments).
    pub fn add_as(&mut self, title: &str, run: &Run) -> &mut Self {
        self.0.push(format!("# {title}\n{run}"));
        self
    }
}

impl fmt::Display for Transcript {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("\n"))
    }
}

impl Run {
    pub fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.0.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout()))
    }
    /// Assert the exit code, showing both streams on failure.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code(),
            code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
    /// The key and any given secrets appear nowhere in the output.
    #[track_caller]
    pub fn assert_no_secret(&self, secrets: &[&str]) -> &Self {
        for s in [KEY].iter().chain(secrets) {
            let stdout = self.stdout();
            let stderr = self.stderr();
            assert!(
                !stdout.contains(s),
                "secret {s} leaked on stdout:\n{stdout}"
            );
            assert!(
                !stderr.contains(s),
                "secret {s} leaked on stderr:\n{stderr}"
            );
        }
        self
    }
}

/// Full API path for the mock: `/demo/v1<p>`.
pub fn api(p: &str) -> String {
    format!("/{PROJECT}/v1{p}")
}

/// A mock for `METHOD /demo/v1<p>` that also checks the auth and
/// user-agent headers every request must carry.
pub fn expect(m: &str, p: &str) -> wiremock::MockBuilder {
    Mock::given(method(m))
        .and(path(api(p)))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("accept", "application/json"))
        .and(header(
            "user-agent",
            format!("xeroctl/{}", env!("CARGO_PKG_VERSION")).as_str(),
        ))
}

/// A JSON response with an `X-Request-ID`.
pub fn json(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("x-request-id", "req_test_1")
        .set_body_json(body)
}

/// The router's error envelope.
pub fn api_error(status: u16, code: &str, message: &str) -> ResponseTemplate {
    json(
        status,
        serde_json::json!({"error": {"message": message, "type": "invalid_request_error", "code": code, "param": null}}),
    )
}

/// A list envelope.
pub fn page(data: Vec<serde_json::Value>, has_more: bool) -> serde_json::Value {
    let id = |v: Option<&serde_json::Value>| {
        v.and_then(|x| x.get("id").or_else(|| x.get("name")).cloned())
            .unwrap_or(serde_json::Value::Null)
    };
    serde_json::json!({
        "object": "list",
        "first_id": id(data.first()),
        "last_id": id(data.last()),
        "has_more": has_more,
        "data": data,
    })
}

/// Requests the server received (for body assertions).
pub async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

/// A mock that must never be hit: any request fails the test on drop.
pub async fn forbid_all(server: &MockServer) {
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(599))
        .expect(0)
        .named("no request may be sent")
        .mount(server)
        .await;
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

/// Matches when the request's query parameters (decoded, in order) are
/// exactly these (`None`: no query at all), so stray or missing parameters
/// fail the test.
pub struct QueryIs(Option<Vec<(String, String)>>);

impl wiremock::Match for QueryIs {
    fn matches(&self, request: &Request) -> bool {
        match (&self.0, request.url.query()) {
            (None, q) => q.is_none(),
            (Some(_), None) => false,
            (Some(want), Some(_)) => {
                let got: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
                &got == want
            }
        }
    }
}

/// `"limit=5&after=agt_1"`: the decoded pairs expected, in this order.
pub fn query_is(q: &str) -> QueryIs {
    let pairs = q
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k.to_string(), v.to_string())
        })
        .collect();
    QueryIs(Some(pairs))
}

pub fn no_query() -> QueryIs {
    QueryIs(None)
}

/// A mock for a write carrying exactly this JSON body (and its content type).
pub fn expect_body(m: &str, p: &str, body: serde_json::Value) -> wiremock::MockBuilder {
    expect(m, p)
        .and(wiremock::matchers::header(
            "content-type",
            "application/json",
        ))
        .and(wiremock::matchers::body_json(body))
}

/// A pre-created agent: no worker yet, every optional field null.
pub fn bare_agent(id: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id, "object": "agent", "name": "spare-1", "worker_id": null, "status": "pending",
        "region": null, "max_concurrent_requests": null, "description": null,
        "supported_tiers": null, "storage_limit_enabled": null, "storage_limit_bytes": null,
        "last_heartbeat_at": null, "created_at": "2026-11-22T10:00:00Z", "updated_at": null
    })
}

pub fn event(
    id: &str,
    event_type: &str,
    details: serde_json::Value,
    at: &str,
) -> serde_json::Value {
    serde_json::json!({
        "id": id, "object": "agent.event", "agent_id": "agt_1", "event_type": event_type,
        "details": details, "created_at": at
    })
}

/// `n` agents `agt_<start>`… for big or multi-page lists.
pub fn agents(start: usize, n: usize) -> Vec<serde_json::Value> {
    (start..start + n)
        .map(|i| agent(&format!("agt_{i:04}"), &format!("gpu-{i}")))
        .collect()
}

/// An address nothing listens on (bound, then released).
pub fn dead_address() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    format!("http://{addr}/{PROJECT}/v1")
}

impl Env {
    /// Run a bash script (with `-o pipefail`) in this environment; `$XEROCTL`
    /// is the binary under test. For pipes like `xeroctl … | head -c1`.
    pub async fn run_shell(&self, script: &str) -> Run {
        let bin = assert_cmd::cargo::cargo_bin("xeroctl");
        let template = self.cmd();
        let mut shell = Command::new("bash");
        // The same scrubbed environment as a direct run.
        shell.env_clear();
        for (k, v) in template.get_envs() {
            if let Some(v) = v {
                shell.env(k, v);
            }
        }
        shell
            .env("XEROCTL", bin)
            .args(["-o", "pipefail", "-c", script])
            .timeout(std::time::Duration::from_secs(60));
        run_blocking(shell, None).await
    }
}

//! `xeroctl-sandbox`: a local, stateful, in-memory Xerotier router that
//! implements `docs/spec/api.md`, for trying, testing and benchmarking `xeroctl`.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let sb = xeroctl_sandbox::Sandbox::start(xeroctl_sandbox::SandboxOptions {
//!     port: 0,
//!     tick: std::time::Duration::from_millis(20),
//!     ..Default::default()
//! })
//! .await?;
//! println!("{} {}", sb.base_url(), sb.api_key());
//! sb.shutdown().await;
//! # Ok(()) }
//! ```

pub mod context;
mod error;
pub mod ids;
mod lifecycle;
mod model;
mod pace;
mod routes;
mod schema;
mod seed;
mod soak;
mod state;
mod table;
mod tls;
mod tools;
mod util;

use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;

pub use soak::Soak;

/// Default port of the sandbox.
pub const DEFAULT_PORT: u16 = 8787;

/// Fault injection, applied to every request before routing. All off by
/// default.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Added to every request.
    pub latency: Duration,
    /// Probability (0..1) of a 429 `rate_limited` with `Retry-After`.
    pub rate_429: f64,
    /// The `Retry-After` of those 429s, in seconds.
    pub retry_after_secs: u64,
    /// Probability (0..1) of a 500, 502 (HTML body) or 503.
    pub rate_5xx: f64,
    /// Probability (0..1) of closing the connection without an answer.
    pub drop_rate: f64,
}

/// The name under which join-key creation returns the one-time secret.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum JoinKeySecretField {
    /// `"token"`, as api.md documents it.
    #[default]
    Token,
    /// `"key"`, as the product's frontend API names it.
    Key,
}

impl JoinKeySecretField {
    pub fn as_str(self) -> &'static str {
        match self {
            JoinKeySecretField::Token => "token",
            JoinKeySecretField::Key => "key",
        }
    }
}

impl std::str::FromStr for JoinKeySecretField {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "token" => Ok(JoinKeySecretField::Token),
            "key" => Ok(JoinKeySecretField::Key),
            _ => Err(format!("'{s}' is not one of: token, key")),
        }
    }
}

#[derive(Debug, Clone)]
pub struct SandboxOptions {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// The project segment of the base URL, and of the keys.
    pub project: String,
    /// Extra generated agents, for scale (0 = demo data only).
    pub agents: usize,
    /// State-machine step of invocations.
    pub tick: Duration,
    pub faults: Faults,
    /// Where `POST /management/join-keys` puts the one-time secret.
    pub join_key_secret_field: JoinKeySecretField,
    /// Serve HTTPS with a test CA generated at startup (see [`Sandbox::ca_pem`]).
    pub tls: bool,
    /// Compress responses (gzip, br) when the request's Accept-Encoding allows.
    pub compression: bool,
    /// Send response bodies at most this fast, in kbit/s (0 = no limit).
    pub bandwidth_kbps: u64,
    /// A synthetic execution stream for soak runs (off by default).
    pub soak: Soak,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        SandboxOptions {
            port: DEFAULT_PORT,
            project: "demo".into(),
            agents: 0,
            tick: Duration::from_secs(1),
            faults: Faults::default(),
            join_key_secret_field: JoinKeySecretField::default(),
            tls: false,
            compression: true,
            bandwidth_kbps: 0,
            soak: Soak::default(),
        }
    }
}

/// The full key (scopes `management` + `execution`) of `project`.
pub fn full_key(project: &str) -> String {
    format!("xero_{project}_sandbox0000000000000000")
}

/// The management-only key of `project`.
pub fn management_only_key(project: &str) -> String {
    format!("xero_{project}_mgmtonly000000000000000")
}

/// A running sandbox router.
pub struct Sandbox {
    addr: SocketAddr,
    base_url: String,
    api_key: String,
    mgmt_key: String,
    shutdown: watch::Sender<bool>,
    server: Option<JoinHandle<()>>,
    engine: Option<JoinHandle<()>>,
    ca_pem: Option<String>,
    shared: Arc<state::Shared>,
    connections: Arc<AtomicU64>,
}

fn valid_project(p: &str) -> bool {
    !p.is_empty()
        && p.len() <= 64
        && p.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

impl Sandbox {
    /// Seeds the data, binds 127.0.0.1:`port` and serves on the current
    /// tokio runtime.
    pub async fn start(opts: SandboxOptions) -> std::io::Result<Sandbox> {
        if !valid_project(&opts.project) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "invalid project name '{}': use letters, digits, '-', '_' or '.'",
                    opts.project
                ),
            ));
        }
        if opts.tick.is_zero() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "tick must be greater than zero",
            ));
        }
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", opts.port)).await?;
        let addr = listener.local_addr()?;
        let scheme = if opts.tls { "https" } else { "http" };
        let base_url = format!("{scheme}://127.0.0.1:{}/{}/v1", addr.port(), opts.project);
        let console_base = format!("http://127.0.0.1:{}/{}/console", addr.port(), opts.project);
        let (updates, _) = broadcast::channel(1024);
        let db = {
            let (updates, console_base, n) = (updates.clone(), console_base.clone(), opts.agents);
            tokio::task::spawn_blocking(move || {
                let mut db = state::Db::new(0x5eed, updates);
                seed::demo(&mut db, &console_base);
                seed::scale(&mut db, n);
                db
            })
            .await
            .map_err(std::io::Error::other)?
        };
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let shared = Arc::new(state::Shared {
            db: Mutex::new(db),
            project: opts.project.clone(),
            console_base,
            full_key: full_key(&opts.project),
            mgmt_key: management_only_key(&opts.project),
            faults: opts.faults.clone(),
            join_key_secret_field: opts.join_key_secret_field,
            tick: opts.tick,
            request_seq: AtomicU64::new(1),
            http2_requests: AtomicU64::new(0),
            body_bytes_sent: AtomicU64::new(0),
            updates,
            shutdown: shutdown_rx.clone(),
            soak: Arc::new(soak::SoakState::new(opts.soak)),
        });
        let mut app = routes::router(shared.clone());
        if opts.compression {
            app = app.layer(tower_http::compression::CompressionLayer::new());
        }
        if opts.bandwidth_kbps > 0 {
            let bytes_per_sec = opts.bandwidth_kbps * 1000 / 8;
            app = app.layer(axum::middleware::from_fn_with_state(
                (shared.clone(), bytes_per_sec),
                pace::pace,
            ));
        }
        let mut stop = shutdown_rx;
        let connections = Arc::new(AtomicU64::new(0));
        let (server, ca_pem) = if opts.tls {
            let pki = tls::TestPki::generate()?;
            let acceptor = pki.acceptor(connections.clone())?;
            let handle = axum_server::Handle::new();
            let stopper = handle.clone();
            tokio::spawn(async move {
                let _ = stop.changed().await;
                stopper.graceful_shutdown(Some(Duration::from_secs(3)));
            });
            let listener = listener.into_std()?;
            let server = axum_server::from_tcp(listener)
                .acceptor(acceptor)
                .handle(handle);
            let task = tokio::spawn(async move {
                let _ = server.serve(app.into_make_service()).await;
            });
            (task, Some(pki.ca_pem))
        } else {
            use axum::serve::ListenerExt;
            let counted = connections.clone();
            let listener = listener.tap_io(move |_| {
                counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            });
            let task = tokio::spawn(async move {
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = stop.changed().await;
                    })
                    .await;
            });
            (task, None)
        };
        let engine = tokio::spawn(lifecycle::run(shared.clone()));
        Ok(Sandbox {
            addr,
            base_url,
            api_key: full_key(&opts.project),
            mgmt_key: management_only_key(&opts.project),
            shutdown: shutdown_tx,
            server: Some(server),
            engine: Some(engine),
            ca_pem,
            shared,
            connections,
        })
    }

    /// With `tls`: the PEM of the test CA that signed the server's certificate.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// Requests that reached the router so far.
    pub fn requests(&self) -> u64 {
        self.shared
            .request_seq
            .load(std::sync::atomic::Ordering::Relaxed)
            - 1
    }

    /// Requests that came over HTTP/2 (TLS with ALPN h2).
    pub fn http2_requests(&self) -> u64 {
        self.shared
            .http2_requests
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// TCP connections accepted so far (with `tls`, failed handshakes too).
    pub fn connections(&self) -> u64 {
        self.connections.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// `http://127.0.0.1:<port>/<project>/v1`
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The full key: scopes `management` and `execution`.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// A key with the `management` scope only.
    pub fn management_only_key(&self) -> &str {
        &self.mgmt_key
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, ends open streams and waits (at most 3 s) for
    /// in-flight requests.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(server) = self.server.take() {
            let abort = server.abort_handle();
            if tokio::time::timeout(Duration::from_secs(3), server)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
        if let Some(engine) = self.engine.take() {
            let _ = engine.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(s) = self.server.take() {
            s.abort();
        }
        if let Some(e) = self.engine.take() {
            e.abort();
        }
    }
}

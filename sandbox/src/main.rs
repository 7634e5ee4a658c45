//! `xeroctl-sandbox`: run the local sandbox router.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use xeroctl_sandbox::{Faults, JoinKeySecretField, Sandbox, SandboxOptions, Soak};

/// A local, stateful, in-memory Xerotier router for trying, testing and
/// benchmarking xeroctl. Listens on 127.0.0.1 only.
#[derive(Parser, Debug)]
#[command(name = "xeroctl-sandbox", version)]
struct Args {
    /// Port on 127.0.0.1 (0 = any free port)
    #[arg(long, default_value_t = xeroctl_sandbox::DEFAULT_PORT)]
    port: u16,
    /// Project name (the base URL is http://127.0.0.1:<port>/<project>/v1)
    #[arg(long, default_value = "demo")]
    project: String,
    /// Seed this many extra generated agents (for scale tests)
    #[arg(long, default_value_t = 0)]
    agents: usize,
    /// Invocation state-machine step, in milliseconds
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    tick_ms: u64,
    /// Fault: latency added to every request, in milliseconds
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Fault: fraction (0..1) of requests answered 429 with Retry-After
    #[arg(long, default_value_t = 0.0, value_parser = rate)]
    rate_429: f64,
    /// Retry-After of injected 429s, in seconds
    #[arg(long, default_value_t = 1)]
    retry_after: u64,
    /// Fault: fraction (0..1) of requests answered 500/502/503
    #[arg(long, default_value_t = 0.0, value_parser = rate)]
    rate_5xx: f64,
    /// Fault: fraction (0..1) of connections dropped without an answer
    #[arg(long, default_value_t = 0.0, value_parser = rate)]
    drop_rate: f64,
    /// Name of the one-time secret in the join-key create answer: `token`
    /// (api.md) or `key` (the product's frontend API)
    #[arg(long, default_value = "token", value_parser = secret_field())]
    join_key_secret_field: JoinKeySecretField,
    /// Add (or replace) a `sandbox` context in the xeroctl config file
    #[arg(long)]
    write_context: bool,
    /// Serve HTTPS (h2 or http/1.1 by ALPN) with a test CA generated at startup
    #[arg(long)]
    tls: bool,
    /// With --tls: write the test CA's PEM here (default: a file in the temp directory)
    #[arg(long, value_name = "FILE", requires = "tls")]
    tls_ca_out: Option<std::path::PathBuf>,
    /// Never compress responses (by default gzip or br when Accept-Encoding allows)
    #[arg(long)]
    no_compression: bool,
    /// Fault: send response bodies at most this fast, in kbit/s (0 = no limit)
    #[arg(long, default_value_t = 0)]
    bandwidth_kbps: u64,
    /// Soak: the execution stream sends events 1..=N (then only pings) instead
    /// of live updates, resuming after Last-Event-ID
    #[arg(long, value_name = "N", default_value_t = 0)]
    soak_events: u64,
    /// Soak: drop the connection, in the middle of an event, every K events
    #[arg(long, value_name = "K", default_value_t = 0, requires = "soak_events")]
    soak_drop_every: u64,
    /// Soak: answer 503 to the first reconnect after every M events
    #[arg(
        long = "soak-503-every",
        value_name = "M",
        default_value_t = 0,
        requires = "soak_events"
    )]
    soak_503_every: u64,
}

/// `token` or `key`, listed as such in `--help`.
fn secret_field() -> impl clap::builder::TypedValueParser<Value = JoinKeySecretField> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["token", "key"])
        .map(|s| s.parse().expect("one of the possible values"))
}

fn rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(format!("'{s}' is not a number between 0 and 1")),
    }
}

/// Registers the SIGINT/SIGTERM handlers now (before the exports are
/// printed, so a script that signals right after reading them is heard), and
/// returns a future that resolves on the first of them.
fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let int = signal(SignalKind::interrupt());
        let term = signal(SignalKind::terminate());
        async move {
            match (int, term) {
                (Ok(mut int), Ok(mut term)) => {
                    tokio::select! {
                        _ = int.recv() => {}
                        _ = term.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let opts = SandboxOptions {
        port: args.port,
        project: args.project,
        agents: args.agents,
        tick: Duration::from_millis(args.tick_ms),
        faults: Faults {
            latency: Duration::from_millis(args.latency_ms),
            rate_429: args.rate_429,
            retry_after_secs: args.retry_after,
            rate_5xx: args.rate_5xx,
            drop_rate: args.drop_rate,
        },
        join_key_secret_field: args.join_key_secret_field,
        tls: args.tls,
        compression: !args.no_compression,
        bandwidth_kbps: args.bandwidth_kbps,
        soak: Soak {
            events: args.soak_events,
            drop_every: args.soak_drop_every,
            fail_every: args.soak_503_every,
        },
    };
    let stop = stop_signal();
    let started = std::time::Instant::now();
    let sandbox = match Sandbox::start(opts).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot start the sandbox: {e}");
            return ExitCode::from(1);
        }
    };
    if args.write_context {
        match xeroctl_sandbox::context::write_context(&sandbox.base_url(), sandbox.api_key()) {
            Ok(path) => eprintln!("wrote context 'sandbox' to {}", path.display()),
            Err(e) => {
                eprintln!("error: {e}");
                sandbox.shutdown().await;
                return ExitCode::from(1);
            }
        }
    }
    let mut ca_line = None;
    if let Some(pem) = sandbox.ca_pem() {
        let path = args.tls_ca_out.clone().unwrap_or_else(|| {
            std::env::temp_dir().join(format!("xeroctl-sandbox-ca-{}.pem", sandbox.addr().port()))
        });
        if let Err(e) = std::fs::write(&path, pem) {
            eprintln!("error: cannot write the test CA to {}: {e}", path.display());
            sandbox.shutdown().await;
            return ExitCode::from(1);
        }
        ca_line = Some(format!("export XEROCTL_CA_CERT={}", path.display()));
    }
    {
        let mut out = std::io::stdout().lock();
        if let Some(line) = &ca_line {
            let _ = writeln!(out, "{line}");
        }
        let _ = writeln!(out, "export XEROCTL_BASE_URL={}", sandbox.base_url());
        let _ = writeln!(out, "export XEROCTL_API_KEY={}", sandbox.api_key());
        let _ = out.flush();
    }
    eprintln!(
        "xeroctl sandbox listening on {} (seeded in {} ms)\n\
         management-only key: {}\n\
         Ctrl+C to stop",
        sandbox.addr(),
        started.elapsed().as_millis(),
        sandbox.management_only_key()
    );
    stop.await;
    eprintln!("stopping");
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}

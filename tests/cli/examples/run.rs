//! Every example runs as written: each in bash, against its own fresh
//! sandbox router, with the built `xeroctl` first on PATH. The README's
//! console sessions, which also check what each command prints, are in
//! console.rs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use xeroctl_sandbox::{Sandbox, SandboxOptions};

use super::extract::{all_examples, readme_console_blocks, strip_comment, Example};

/// Examples that cannot run here, each with why. Keyed by the example's
/// words without its comments (see [`key_of`]). An entry that no longer
/// matches an example fails the test, so the list cannot rot. A README
/// console command listed here skips its whole session, since the commands
/// after it see what it did.
pub(super) const SKIPPED: &[(&str, &str)] = &[
    // Building, installing, packaging: a toolchain, the network, a checkout.
    ("./scripts/demo.sh", "builds the workspace; .ci/run runs it"),
    ("cargo test --workspace --locked", "the test suite itself"),
    ("cargo fmt --all && cargo clippy --workspace --all-targets -- -D warnings", "a toolchain gate; .ci/run runs it"),
    ("bash .ci/run", "the whole CI job (builds, tests, packages)"),
    ("scripts/test-packaging.sh", "builds release archives; .ci/run runs it"),
    ("scripts/check-dockerfile.sh", "builds the Dockerfile's stage; CI runs it"),
    ("curl -fsSL https://github.com/xerotier/xeroctl/releases/latest/download/install.sh | sh", "downloads from GitHub (network)"),
    ("curl -fsSL https://github.com/xerotier/xeroctl/releases/latest/download/install.sh | sh -s -- --version 0.1.0 --dir /usr/local/bin", "downloads from GitHub into a system folder"),
    ("brew install xerotier/tap/xeroctl", "Homebrew and the network"),
    ("cargo binstall xeroctl", "downloads from crates.io (network)"),
    ("cargo binstall --git https://github.com/xerotier/xeroctl xeroctl", "downloads from GitHub (network)"),
    ("docker run --rm -e XEROCTL_BASE_URL -e XEROCTL_API_KEY ghcr.io/xerotier/xeroctl:0.1 agents", "Docker and a registry pull"),
    ("docker run --rm -it --entrypoint sh ghcr.io/xerotier/xeroctl:0.1", "Docker, a registry pull and a terminal"),
    ("sha256sum -c xeroctl-v0.1.0-x86_64-unknown-linux-musl.tar.gz.sha256", "needs the release archive, downloaded by hand"),
    ("tar -xzf xeroctl-v0.1.0-x86_64-unknown-linux-musl.tar.gz", "needs the release archive, downloaded by hand"),
    ("cargo install --locked --path .", "compiles and installs into ~/.cargo/bin"),
    ("cargo install --locked --path sandbox", "compiles and installs into ~/.cargo/bin"),
    ("cargo install --locked --git https://github.com/xerotier/xeroctl xeroctl-sandbox xeroctl", "downloads from GitHub and compiles"),
    ("cargo run --release -p xeroctl-sandbox", "a release build, then serves on port 8787 until stopped"),
    ("cargo run --release -p xeroctl-sandbox -- --write-context", "a release build, then serves on port 8787 until stopped"),
    // Other shells.
    ("xeroctl completion zsh > \"${fpath[1]}/_xeroctl\"", "zsh syntax (fpath)"),
    ("xeroctl completion powershell >> $PROFILE", "PowerShell syntax ($PROFILE)"),
    // The fixed port 8787 and what depends on it (the free-port recipe of
    // the README runs instead).
    ("xeroctl-sandbox --write-context &", "serves on the fixed port 8787 until stopped"),
    ("xeroctl --context sandbox agents", "needs the context the sandbox line above writes, on port 8787"),
    // A person at a terminal.
    ("xeroctl agents agt_5Rk1 --delete", "asks y/N on a terminal (tests/cli/terminal*.rs answer it)"),
    ("xeroctl agents revoke-credentials agt_7Hq2 --reason \"host reimaged\"", "asks y/N on a terminal"),
    ("xeroctl agents revoke-credentials agt_7Hq2 --reason 'host reimaged'", "asks y/N on a terminal"),
    ("xeroctl agents candidates cand_3b9e --approve --name gpu-node-17", "asks y/N on a terminal"),
    ("xeroctl agents join-keys jk_4c1d --revoke", "asks y/N on a terminal"),
    ("xeroctl approvals approve a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60", "asks y/N on a terminal"),
    ("xeroctl approvals approve a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 \\ --note 'change CHG-42'", "asks y/N on a terminal"),
    ("xeroctl approvals reject a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60", "asks y/N on a terminal"),
    ("xeroctl config init", "guided setup: prompts on a terminal"),
    // Until Ctrl+C (or an hour), by design.
    ("xeroctl exec stream", "follows updates until Ctrl+C"),
    ("xeroctl exec stream -o json | jq -c 'select(.status == \"failed\")'", "follows updates until Ctrl+C"),
    ("xeroctl approvals watch", "watches until Ctrl+C"),
    ("xeroctl approvals watch --risk irreversible --interval 10 --timeout 3600", "watches for an hour"),
    // Your own infrastructure.
    ("export XEROCTL_BASE_URL=https://api.xerotier.ai/acme-prod/v1 export XEROCTL_API_KEY=\"$XERO_MGMT_KEY\" JOIN_TOKEN=$(xeroctl agents join-keys --create --max-enrollments 1 --expires-in 1 -o json | jq -r .token) ./start-worker --join-token-file <(printf '%s' \"$JOIN_TOKEN\") unset JOIN_TOKEN", "the real router (network) and your worker's start script"),
];

/// Files the examples name (`--args @args.json`, `--set @context.md`, …),
/// present in each example's working folder as they would be in yours.
const FIXTURES: &[(&str, &str)] = &[
    (
        "args.json",
        "{\"resource\": \"pods\", \"namespace\": \"default\"}\n",
    ),
    ("drain.json", "{\"node\": \"node-7\"}\n"),
    ("context.md", "Maintenance window: Sun 02:00-04:00 UTC.\n"),
    ("note.md", "Cordon node-7 before draining it.\n"),
    ("runbook-note.md", "Restart the exporter after a drain.\n"),
];

/// Longest an example may take (the slowest waits for a few ticks).
pub(super) const EXAMPLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Examples run at once (each with its own router).
const PARALLEL: usize = 6;

/// An example's words without its comments, whitespace collapsed.
pub(super) fn key_of(script: &str) -> String {
    script
        .lines()
        .flat_map(|l| strip_comment(l).split_whitespace())
        .collect::<Vec<_>>()
        .join(" ")
}

/// [`SKIPPED`] by key, after checking that every entry still matches an
/// example or a README console command (so the list cannot rot).
pub(super) fn skip_list() -> BTreeMap<String, &'static str> {
    let skipped: BTreeMap<String, &str> =
        SKIPPED.iter().map(|(k, why)| (key_of(k), *why)).collect();
    let console = readme_console_blocks(include_str!("../../../README.md"));
    let found: BTreeSet<String> = all_examples()
        .iter()
        .map(|e| key_of(&e.script))
        .chain(
            console
                .iter()
                .flat_map(|b| &b.commands)
                .map(|c| key_of(&c.script)),
        )
        .collect();
    let stale: Vec<&String> = skipped.keys().filter(|k| !found.contains(*k)).collect();
    assert!(
        stale.is_empty(),
        "skip-listed examples that no longer exist: {stale:#?}"
    );
    skipped
}

/// What one example did, when it did not do what it says.
struct Failure {
    example: Example,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// The config an operator who followed the README has: deployments `prod`
/// and `lab` (current: prod), here both this sandbox.
fn write_config(home: &Path, base_url: &str, key: &str) {
    let dir = home.join(".config").join("xeroctl");
    std::fs::create_dir_all(&dir).unwrap();
    let text = format!(
        "current = \"prod\"\n\n[deployment.prod]\nbase_url = \"{base_url}\"\napi_key = \"{key}\"\n\n\
         [deployment.lab]\nbase_url = \"{base_url}\"\napi_key = \"{key}\"\n"
    );
    std::fs::write(dir.join("config.toml"), text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.join("config.toml"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
}

/// One fresh sandbox router with the home and working folder an operator
/// who followed the README has: its config, the fixture files.
pub(super) struct Scratch {
    pub sandbox: Sandbox,
    home: tempfile::TempDir,
    work: std::path::PathBuf,
}

impl Scratch {
    pub async fn start() -> Scratch {
        let sandbox = Sandbox::start(SandboxOptions {
            port: 0,
            tick: Duration::from_millis(20),
            ..Default::default()
        })
        .await
        .expect("sandbox starts");
        let home = tempfile::tempdir().unwrap();
        let work = home.path().join("work");
        std::fs::create_dir_all(&work).unwrap();
        for (name, text) in FIXTURES {
            std::fs::write(work.join(name), text).unwrap();
        }
        write_config(home.path(), &sandbox.base_url(), sandbox.api_key());
        Scratch {
            sandbox,
            home,
            work,
        }
    }

    /// `bash -c <script>` in the working folder, with only the environment
    /// the README assumes and the built xeroctl first on `bin_dir`'s PATH.
    pub fn bash(&self, script: &str, bin_dir: &std::ffi::OsStr) -> tokio::process::Command {
        let home = self.home.path();
        let mut cmd = tokio::process::Command::new("bash");
        cmd.arg("-c")
            .arg(script)
            .current_dir(&self.work)
            .env_clear()
            .env("PATH", bin_dir)
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XEROCTL_KEYCHAIN", "none")
            .env("XEROCTL_BASE_URL", self.sandbox.base_url())
            .env("XEROCTL_API_KEY", self.sandbox.api_key())
            // The key the config examples pipe in (`echo "$KEY" | … --api-key-stdin`).
            .env("KEY", self.sandbox.api_key())
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true);
        cmd
    }
}

async fn run_one(example: Example, bin_dir: Arc<std::ffi::OsString>) -> Option<Failure> {
    let scratch = Scratch::start().await;
    let mut cmd = scratch.bash(&example.script, &bin_dir);
    let started = std::time::Instant::now();
    let outcome = tokio::time::timeout(EXAMPLE_TIMEOUT, cmd.output()).await;
    if started.elapsed() > Duration::from_secs(3) {
        eprintln!(
            "slow example ({:?}): {}",
            started.elapsed(),
            example.script.trim()
        );
    }
    scratch.sandbox.shutdown().await;
    let failure = |code, stdout: &[u8], stderr: String| Failure {
        example: example.clone(),
        code,
        stdout: String::from_utf8_lossy(stdout).into_owned(),
        stderr,
    };
    match outcome {
        Err(_) => Some(failure(
            None,
            b"",
            format!("still running after {EXAMPLE_TIMEOUT:?}"),
        )),
        Ok(Err(e)) => Some(failure(None, b"", format!("bash did not start: {e}"))),
        Ok(Ok(out)) if out.status.code() == Some(example.expected_code) => None,
        Ok(Ok(out)) => Some(failure(
            out.status.code(),
            &out.stdout,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )),
    }
}

/// PATH for the examples: the built xeroctl first, then the system's tools
/// (bash, jq, gunzip, tar, …).
pub(super) fn example_path() -> std::ffi::OsString {
    let bin = assert_cmd::cargo::cargo_bin("xeroctl");
    let dir = bin.parent().expect("binary folder").to_path_buf();
    std::env::join_paths([
        dir,
        "/usr/local/bin".into(),
        "/usr/bin".into(),
        "/bin".into(),
    ])
    .expect("PATH")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_example_runs_as_written_against_a_fresh_sandbox() {
    let examples = all_examples();
    let skipped = skip_list();

    let bin_dir = Arc::new(example_path());
    let permits = Arc::new(tokio::sync::Semaphore::new(PARALLEL));
    let mut tasks = Vec::new();
    let mut to_run = 0;
    for example in examples.iter().cloned() {
        if skipped.contains_key(&key_of(&example.script)) {
            continue;
        }
        to_run += 1;
        let permits = permits.clone();
        let bin_dir = bin_dir.clone();
        tasks.push(tokio::spawn(async move {
            let _permit = permits.acquire_owned().await.unwrap();
            run_one(example, bin_dir).await
        }));
    }
    let mut failures = Vec::new();
    for task in tasks {
        if let Some(f) = task.await.expect("example task") {
            failures.push(f);
        }
    }
    eprintln!(
        "examples: {} found, {} run, {} passed, {} skipped, {} failed",
        examples.len(),
        to_run,
        to_run - failures.len(),
        examples.len() - to_run,
        failures.len()
    );
    let report: Vec<String> = failures
        .iter()
        .map(|f| {
            format!(
                "{}: expected exit {}, got {:?}\n{}--- stdout\n{}--- stderr\n{}",
                f.example.origin,
                f.example.expected_code,
                f.code,
                f.example.script,
                tail(&f.stdout),
                tail(&f.stderr)
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} examples failed:\n\n{}",
        failures.len(),
        report.join("\n")
    );
}

/// The last lines of an output, enough to see why.
pub(super) fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let from = lines.len().saturating_sub(6);
    lines[from..].iter().map(|l| format!("{l}\n")).collect()
}

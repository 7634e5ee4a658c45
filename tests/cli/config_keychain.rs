//! Where `config add` keeps a key: the OS keychain by default (here the
//! file-backed test store, `XEROCTL_KEYCHAIN=mock-file:<dir>`), the file
//! with `--insecure-storage` or where no keychain works (for real:
//! `XEROCTL_KEYCHAIN=none`, and the real backend on a machine without a
//! Secret Service), and `config remove` deleting the entry.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use wiremock::matchers::query_param;
use wiremock::MockServer;

use crate::support::*;

const PROD_URL: &str = "https://api.xerotier.ai/demo/v1";

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

/// An environment whose keychain is the test store in `<home>/keychain`.
fn with_mock_keychain() -> (Env, PathBuf) {
    let env = Env::bare();
    let dir = env.home.path().join("keychain");
    let env = env.env("XEROCTL_KEYCHAIN", &format!("mock-file:{}", dir.display()));
    (env, dir)
}

/// The test store's entries (empty when it was never written).
fn entries(dir: &Path) -> BTreeMap<String, String> {
    match std::fs::read(dir.join("keychain.json")) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap(),
        Err(_) => BTreeMap::new(),
    }
}

async fn add(env: &Env, name: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "config",
        "add",
        name,
        "--base-url",
        PROD_URL,
        "--api-key-stdin",
    ];
    args.extend_from_slice(extra);
    env.run_with_stdin(&args, format!("{KEY}\n").as_bytes())
        .await
}

#[tokio::test]
async fn add_stores_the_key_in_the_keychain_by_default() {
    let (env, dir) = with_mock_keychain();
    let run = add(&env, "prod", &[]).await;
    run.expect_code(0).assert_no_secret(&[KEY]);
    let text = read(&env.config_path());
    assert!(text.contains("api_key_keychain = \"prod\""), "{text}");
    assert!(!text.contains("api_key ="), "{text}");
    assert!(!text.contains(KEY), "{text}");
    assert_eq!(entries(&dir).get("prod").map(String::as_str), Some(KEY));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(dir.join("keychain.json")).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    }
    let err = run.stderr();
    assert!(!err.contains("warning:"), "{err}");
    assert!(
        err.contains("in the test keychain (entry 'prod', service 'xeroctl')"),
        "{err}"
    );

    // list and show say where the key lives.
    let run = env.run(&["config", "list", "-o", "table"]).await;
    run.expect_code(0);
    assert!(
        run.stdout().contains("keychain:prod (test keychain)"),
        "{}",
        run.stdout()
    );
    let run = env.run(&["config", "show", "prod", "-o", "json"]).await;
    run.expect_code(0);
    let v = run.json();
    assert_eq!(v["key_stored_in"], "test keychain");
    assert_eq!(v["api_key_keychain"], "prod");
    assert_eq!(v["key_source"], "api_key_keychain");
}

#[tokio::test]
async fn commands_read_the_key_from_the_keychain() {
    let server = MockServer::start().await;
    for p in ["/management/agents", "/exec/tools"] {
        expect("GET", p)
            .and(query_param("limit", "1"))
            .respond_with(json(200, page(vec![], false)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let (env, dir) = with_mock_keychain();
    let url = format!("{}/{PROJECT}/v1", server.uri());
    let run = env
        .run_with_stdin(
            &[
                "config",
                "add",
                "lab",
                "--base-url",
                &url,
                "--api-key-stdin",
            ],
            format!("{KEY}\n").as_bytes(),
        )
        .await;
    run.expect_code(0);
    assert!(entries(&dir).contains_key("lab"));
    // `expect` checks the Authorization header carries KEY.
    let run = env.run(&["status"]).await;
    run.expect_code(0).assert_no_secret(&[KEY]);
}

#[tokio::test]
async fn insecure_storage_writes_the_key_in_the_file() {
    let (env, dir) = with_mock_keychain();
    let run = add(&env, "prod", &["--insecure-storage"]).await;
    run.expect_code(0).assert_no_secret(&[KEY]);
    let text = read(&env.config_path());
    assert!(text.contains(&format!("api_key = \"{KEY}\"")), "{text}");
    assert!(!text.contains("api_key_keychain"), "{text}");
    assert!(entries(&dir).is_empty());
    assert!(!run.stderr().contains("warning:"), "{}", run.stderr());

    let run = env.run(&["config", "list", "-o", "json"]).await;
    run.expect_code(0);
    assert_eq!(run.json()["deployments"][0]["key_stored_in"], "file");

    // It names an existing entry or stores one: not both.
    let run = env
        .run(&[
            "config",
            "add",
            "x",
            "--base-url",
            PROD_URL,
            "--api-key-keychain",
            "e",
            "--insecure-storage",
        ])
        .await;
    run.expect_code(2);
}

/// The fallback message: one warning line naming the file and the reason.
fn assert_fell_back(env: &Env, run: &Run, reason: &str) {
    run.expect_code(0).assert_no_secret(&[KEY]);
    let text = read(&env.config_path());
    assert!(text.contains(&format!("api_key = \"{KEY}\"")), "{text}");
    assert!(!text.contains("api_key_keychain"), "{text}");
    let err = run.stderr();
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning:")).collect();
    assert_eq!(warnings.len(), 1, "{err}");
    let line = warnings[0];
    assert!(line.contains("no usable keychain ("), "{line}");
    assert!(line.contains(reason), "{line}");
    assert!(
        line.contains(&format!(
            "in clear text in {} (mode 0600)",
            env.config_path().display()
        )),
        "{line}"
    );
}

#[tokio::test]
async fn without_a_keychain_the_key_falls_back_to_the_file() {
    // XEROCTL_KEYCHAIN=none: as on a machine with no keychain.
    let env = Env::bare();
    let run = add(&env, "prod", &[]).await;
    assert_fell_back(&env, &run, "XEROCTL_KEYCHAIN=none");

    // A store that fails when written (its folder is a file).
    let env = Env::bare();
    let blocker = env.home.path().join("not-a-dir");
    std::fs::write(&blocker, "").unwrap();
    let env = env.env(
        "XEROCTL_KEYCHAIN",
        &format!("mock-file:{}", blocker.join("sub").display()),
    );
    let run = add(&env, "prod", &[]).await;
    assert_fell_back(&env, &run, "test keychain:");
}

/// The real backend where no keychain runs (no D-Bus session bus, as on
/// CI and headless Linux). Skipped where a session bus may exist, so a
/// desktop's real keychain is never written by the tests.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn the_real_backend_falls_back_where_no_secret_service_runs() {
    use std::os::unix::fs::MetadataExt;
    // The child's environment is scrubbed, so zbus looks for the bus at
    // /run/user/<uid>/bus.
    let uid = std::fs::metadata("/proc/self").unwrap().uid();
    if Path::new(&format!("/run/user/{uid}/bus")).exists() {
        eprintln!("skipped: a D-Bus session bus may run here");
        return;
    }
    // An empty value selects the real OS keychain.
    let env = Env::bare().env("XEROCTL_KEYCHAIN", "");
    let run = add(&env, "prod", &[]).await;
    assert_fell_back(&env, &run, "Secret Service");
}

#[tokio::test]
async fn dry_run_touches_no_keychain() {
    let (env, dir) = with_mock_keychain();
    let run = add(&env, "prod", &["--dry-run"]).await;
    run.expect_code(0).assert_no_secret(&[KEY]);
    assert!(
        run.stdout().contains("+api_key_keychain = \"prod\""),
        "{}",
        run.stdout()
    );
    assert!(
        run.stderr().contains("no keychain was touched"),
        "{}",
        run.stderr()
    );
    assert!(!dir.exists(), "the test keychain was written");
    assert!(!env.config_path().exists());

    // Nor does a dry-run remove.
    add(&env, "prod", &[]).await.expect_code(0);
    let before = read(&env.config_path());
    let run = env.run(&["--dry-run", "config", "remove", "prod"]).await;
    run.expect_code(0);
    assert!(
        run.stderr()
            .contains("Would also delete keychain entry 'prod' from the test keychain"),
        "{}",
        run.stderr()
    );
    assert_eq!(read(&env.config_path()), before);
    assert_eq!(entries(&dir).get("prod").map(String::as_str), Some(KEY));
}

#[tokio::test]
async fn remove_deletes_the_keychain_entry() {
    let (env, dir) = with_mock_keychain();
    add(&env, "prod", &[]).await.expect_code(0);
    add(&env, "lab", &[]).await.expect_code(0);
    assert_eq!(entries(&dir).len(), 2);

    let run = env.run(&["config", "remove", "prod"]).await;
    run.expect_code(0);
    assert!(
        run.stderr()
            .contains("Deleted its API key from the test keychain (entry 'prod')"),
        "{}",
        run.stderr()
    );
    let left = entries(&dir);
    assert!(!left.contains_key("prod"), "{left:?}");
    assert!(left.contains_key("lab"), "{left:?}");
    assert!(!read(&env.config_path()).contains("[deployment.prod]"));
}

#[tokio::test]
async fn remove_keeps_an_entry_another_deployment_uses() {
    let (env, dir) = with_mock_keychain();
    add(&env, "shared", &[]).await.expect_code(0);
    let run = env
        .run(&[
            "config",
            "add",
            "other",
            "--base-url",
            PROD_URL,
            "--api-key-keychain",
            "shared",
        ])
        .await;
    run.expect_code(0);
    let run = env.run(&["config", "remove", "other"]).await;
    run.expect_code(0);
    assert!(
        run.stderr()
            .contains("Kept keychain entry 'shared': still used by shared"),
        "{}",
        run.stderr()
    );
    assert!(entries(&dir).contains_key("shared"));
}

#[tokio::test]
async fn old_files_with_api_key_keep_working() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents")
        .and(query_param("limit", "1"))
        .respond_with(json(200, page(vec![], false)))
        .mount(&server)
        .await;
    expect("GET", "/exec/tools")
        .and(query_param("limit", "1"))
        .respond_with(json(200, page(vec![], false)))
        .mount(&server)
        .await;
    let (env, dir) = with_mock_keychain();
    let old = format!(
        "# mine\ncurrent = \"old\"\n\n[deployment.old]\nbase_url = \"{}/{PROJECT}/v1\"\napi_key = \"{KEY}\"\n",
        server.uri()
    );
    let path = env.write_config(&old);
    env.run(&["status"])
        .await
        .expect_code(0)
        .assert_no_secret(&[KEY]);
    let run = env.run(&["config", "list", "-o", "json"]).await;
    run.expect_code(0).assert_no_secret(&[KEY]);
    assert_eq!(run.json()["deployments"][0]["key_stored_in"], "file");
    let run = env.run(&["config", "show", "old"]).await;
    run.expect_code(0);
    assert!(
        run.stdout().contains("file (xero_demo_…0000)"),
        "{}",
        run.stdout()
    );

    // Adding another deployment leaves the old one as it was.
    add(&env, "new", &[]).await.expect_code(0);
    let text = read(&path);
    assert!(text.starts_with(&old), "{text}");
    assert!(!entries(&dir).contains_key("old"));

    // Removing it touches no keychain entry.
    let run = env.run(&["config", "remove", "old"]).await;
    run.expect_code(0);
    assert!(!run.stderr().contains("keychain"), "{}", run.stderr());
    assert!(entries(&dir).contains_key("new"));
}

/// `config init` on a real pseudo-terminal (util-linux `script`) stores
/// the key it asks for in the keychain too.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn init_stores_the_key_in_the_keychain() {
    if !Path::new("/usr/bin/script").exists() {
        eprintln!("skipped: no /usr/bin/script");
        return;
    }
    let (env, dir) = with_mock_keychain();
    // A router that accepts the key: init checks it before saving.
    let server = crate::config_init::router(Some((true, true))).await;
    let url = format!("{}/{PROJECT}/v1", server.uri());
    let script = format!(
        "(sleep 0.4; printf '\\n'; sleep 0.3; printf '{url}\\n'; sleep 0.5; printf '{KEY}\\n'; sleep 1.5) \
        | script -qec '\"$XEROCTL\" config init; echo status=$?' /dev/null"
    );
    let run = env.run_shell(&script).await;
    let out = run.stdout();
    assert!(out.contains("status=0"), "{out}");
    assert!(!out.contains(KEY), "{out}");
    let text = read(&env.config_path());
    assert!(text.contains("api_key_keychain = \"default\""), "{text}");
    assert!(!text.contains(KEY), "{text}");
    assert_eq!(entries(&dir).get("default").map(String::as_str), Some(KEY));
}

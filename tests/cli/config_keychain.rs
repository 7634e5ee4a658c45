//! Where `config add` keeps a key: the OS keychain by default (here the
//! file-backed test store, `XEROCTL_KEYCHAIN=mock-file:<dir>`), the file
//! with `--insecure-storage` or where no keychain works (for real:
//! `XEROCTL_KEYCHAIN=none`, and the real backend on a machine without a
//! Secret Service), and `config remove` deleting the entry.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use insta::assert_snapshot;
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
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    --- stderr
    Added deployment 'prod' (https://api.xerotier.ai/demo/v1) in [tmp]/xdg/xeroctl/config.toml.
    'prod' is now the current context.
    The API key is in the test keychain (entry 'prod', service 'xeroctl'), not in the file.
    hint: check the connection and the key's scopes with `xeroctl status`
    ");
    let text = read(&env.config_path());
    assert!(!text.contains(KEY), "{text}");
    assert_snapshot!(text, @r#"
    current = "prod"

    [deployment.prod]
    base_url = "https://api.xerotier.ai/demo/v1"
    api_key_keychain = "prod"
    "#);
    assert_eq!(entries(&dir).get("prod").map(String::as_str), Some(KEY));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(dir.join("keychain.json")).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    }

    // list and show say where the key lives.
    assert_snapshot!(env.run(&["config", "list", "-o", "table"]).await, @"
    exit: 0
    --- stdout
    CURRENT  NAME  BASE_URL                         KEY                            OUTPUT
    *        prod  https://api.xerotier.ai/demo/v1  keychain:prod (test keychain)  -
    --- stderr
    ");
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
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    --- stderr
    Added deployment 'prod' (https://api.xerotier.ai/demo/v1) in [tmp]/xdg/xeroctl/config.toml.
    'prod' is now the current context.
    hint: check the connection and the key's scopes with `xeroctl status`
    ");
    let text = read(&env.config_path());
    assert_snapshot!(text, @r#"
    current = "prod"

    [deployment.prod]
    base_url = "https://api.xerotier.ai/demo/v1"
    api_key = "xero_demo_s3cr3tk3y0000000000000000"
    "#);
    assert!(entries(&dir).is_empty());

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
    assert_snapshot!(run, @"
    exit: 2
    --- stdout
    --- stderr
    error: the argument '--api-key-keychain <ENTRY>' cannot be used with '--insecure-storage'
    hint: see `xeroctl config add --help`
    ");
}

/// The fallback: the key in the file, and one warning line naming the file
/// and the reason. Returns the run for the caller's snapshot.
fn fell_back<'r>(env: &Env, run: &'r Run) -> &'r Run {
    run.expect_code(0).assert_no_secret(&[KEY]);
    let text = read(&env.config_path());
    assert_eq!(
        text,
        format!("current = \"prod\"\n\n[deployment.prod]\nbase_url = \"{PROD_URL}\"\napi_key = \"{KEY}\"\n")
    );
    run
}

#[tokio::test]
async fn without_a_keychain_the_key_falls_back_to_the_file() {
    // XEROCTL_KEYCHAIN=none: as on a machine with no keychain.
    let env = Env::bare();
    let run = add(&env, "prod", &[]).await;
    assert_snapshot!(fell_back(&env, &run), @"
    exit: 0
    --- stdout
    --- stderr
    Added deployment 'prod' (https://api.xerotier.ai/demo/v1) in [tmp]/xdg/xeroctl/config.toml.
    'prod' is now the current context.
    warning: no usable keychain (keychain use is off (XEROCTL_KEYCHAIN=none)): the API key is saved in clear text in [tmp]/xdg/xeroctl/config.toml (mode 0600)
    hint: check the connection and the key's scopes with `xeroctl status`
    ");

    // A store that fails when written (its folder is a file).
    let env = Env::bare();
    let blocker = env.home.path().join("not-a-dir");
    std::fs::write(&blocker, "").unwrap();
    let env = env.env(
        "XEROCTL_KEYCHAIN",
        &format!("mock-file:{}", blocker.join("sub").display()),
    );
    let run = add(&env, "prod", &[]).await;
    assert_snapshot!(fell_back(&env, &run), @"
    exit: 0
    --- stdout
    --- stderr
    Added deployment 'prod' (https://api.xerotier.ai/demo/v1) in [tmp]/xdg/xeroctl/config.toml.
    'prod' is now the current context.
    warning: no usable keychain (test keychain: Not a directory (os error 20)): the API key is saved in clear text in [tmp]/xdg/xeroctl/config.toml (mode 0600)
    hint: check the connection and the key's scopes with `xeroctl status`
    ");
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
    // The reason is the backend's own message (it varies with the zbus
    // version and what the machine lacks): checked by its start only.
    fell_back(&env, &run);
    let err = run.stderr();
    assert_eq!(
        err.lines().filter(|l| l.starts_with("warning:")).count(),
        1,
        "{err}"
    );
    assert!(err.contains("no usable keychain (Secret Service"), "{err}");
}

#[tokio::test]
async fn dry_run_touches_no_keychain() {
    let (env, dir) = with_mock_keychain();
    let run = add(&env, "prod", &["--dry-run"]).await;
    run.expect_code(0).assert_no_secret(&[KEY]);
    assert_snapshot!(run, @r#"
    exit: 0
    --- stdout
    --- /dev/null
    +++ [tmp]/xdg/xeroctl/config.toml
    @@ -0,0 +1,5 @@
    +current = "prod"
    +
    +[deployment.prod]
    +base_url = "https://api.xerotier.ai/demo/v1"
    +api_key_keychain = "prod"
    --- stderr
    Would store the API key in the test keychain (entry 'prod', service 'xeroctl'), or in the file if no keychain works; no keychain was touched.
    Would add deployment 'prod' (https://api.xerotier.ai/demo/v1) and make it the current context.
    Dry run: nothing was written.
    "#);
    assert!(!dir.exists(), "the test keychain was written");
    assert!(!env.config_path().exists());

    // Nor does a dry-run remove.
    add(&env, "prod", &[]).await.expect_code(0);
    let before = read(&env.config_path());
    let run = env.run(&["--dry-run", "config", "remove", "prod"]).await;
    assert_snapshot!(run, @r#"
    exit: 0
    --- stdout
    --- [tmp]/xdg/xeroctl/config.toml
    +++ [tmp]/xdg/xeroctl/config.toml
    @@ -1,5 +0,0 @@
    -current = "prod"
    -
    -[deployment.prod]
    -base_url = "https://api.xerotier.ai/demo/v1"
    -api_key_keychain = "prod"
    --- stderr
    Would remove deployment 'prod', the current context (none will be current).
    Would also delete keychain entry 'prod' from the test keychain.
    Dry run: nothing was written.
    "#);
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
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    --- stderr
    Removed deployment 'prod'.
    Deleted its API key from the test keychain (entry 'prod').
    hint: it was the current context, so none is current now: pick one with `xeroctl config use <name>` (lab)
    ");
    let left = entries(&dir);
    assert_eq!(left.keys().collect::<Vec<_>>(), ["lab"]);
    assert_snapshot!(read(&env.config_path()), @r#"

    [deployment.lab]
    base_url = "https://api.xerotier.ai/demo/v1"
    api_key_keychain = "lab"
    "#);
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
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    --- stderr
    Removed deployment 'other'.
    Kept keychain entry 'shared': still used by shared.
    ");
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
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    Name:     old
    Current:  yes
    Base URL: http://127.0.0.1:[port]/demo/v1
    Project:  demo
    Key:      file (xero_demo_…0000)
    Output:   -
    File:     [tmp]/xdg/xeroctl/config.toml
    --- stderr
    ");

    // Adding another deployment leaves the old one as it was.
    add(&env, "new", &[]).await.expect_code(0);
    let text = read(&path);
    assert!(text.starts_with(&old), "{text}");
    assert!(!entries(&dir).contains_key("old"));

    // Removing it touches no keychain entry.
    let run = env.run(&["config", "remove", "old"]).await;
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    --- stderr
    Removed deployment 'old'.
    hint: it was the current context, so none is current now: pick one with `xeroctl config use <name>` (new)
    ");
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
    // What a terminal shows depends on when each typed line lands (echo,
    // redrawn prompts): checked by parts, not snapshotted.
    let out = run.stdout();
    assert!(out.contains("status=0"), "{out}");
    assert!(!out.contains(KEY), "{out}");
    // The mock router's port varies: `normalise` writes it as [port].
    let text = crate::support::normalise(&read(&env.config_path()));
    assert_snapshot!(text, @r#"
    current = "default"

    [deployment.default]
    base_url = "http://127.0.0.1:[port]/demo/v1"
    api_key_keychain = "default"
    "#);
    assert_eq!(entries(&dir).get("default").map(String::as_str), Some(KEY));
}

//! `--dry-run` on every config write: the change is shown (keys redacted),
//! nothing is written — no file, no folder, no temp file.

use insta::assert_snapshot;
use std::path::Path;

use crate::support::*;

const PROD_KEY: &str = "xero_acme-prod_abcdefghijklmnopqrstuvwxyz";
const PROD_URL: &str = "https://api.xerotier.ai/acme-prod/v1";
const LAB_KEY: &str = "xero_demo_labkeylabkeylabkeylabkey1234";

fn env() -> Env {
    Env::new(
        Some("http://127.0.0.1:9/never/v1".into()),
        Some("xero_never_usedusedusedusedused".into()),
    )
}

fn two_deployments() -> String {
    format!(
        "current = \"lab\"\n\n[deployment.lab] # the lab box\nbase_url = \"http://127.0.0.1:8787/demo/v1\"\napi_key = \"{LAB_KEY}\"\n\n[deployment.prod]\nbase_url = \"{PROD_URL}\"\napi_key = \"{PROD_KEY}\"\n"
    )
}

#[track_caller]
fn assert_nothing_written(env: &Env, path: &Path, original: &str, run: &Run) {
    run.expect_code(0)
        .assert_no_secret(&[PROD_KEY, LAB_KEY, "abcdefghij", "labkeylab"]);
    assert_eq!(std::fs::read_to_string(path).unwrap(), original);
    assert!(!env.config_dir().join(".config.toml.tmp").exists());
}

#[tokio::test]
async fn add_dry_run_shows_the_new_table_and_creates_nothing() {
    let env = env();
    let run = env
        .run_with_stdin(
            &[
                "config",
                "add",
                "prod",
                "--base-url",
                PROD_URL,
                "--api-key-stdin",
                "--dry-run",
            ],
            format!("{PROD_KEY}\n").as_bytes(),
        )
        .await;
    run.expect_code(0)
        .assert_no_secret(&[PROD_KEY, "abcdefghij"]);
    assert!(!env.config_path().exists(), "a file was written");
    assert!(!env.config_dir().exists(), "a folder was created");
    assert_snapshot!(run, @r#"
    exit: 0
    --- stdout
    --- /dev/null
    +++ [tmp]/xdg/xeroctl/config.toml
    @@ -0,0 +1,5 @@
    +current = "prod"
    +
    +[deployment.prod]
    +base_url = "https://api.xerotier.ai/acme-prod/v1"
    +api_key = "xero_acme-prod_…wxyz"
    --- stderr
    warning: no usable keychain (keychain use is off (XEROCTL_KEYCHAIN=none)): the API key would go in clear text in [tmp]/xdg/xeroctl/config.toml (mode 0600)
    Would add deployment 'prod' (https://api.xerotier.ai/acme-prod/v1) and make it the current context.
    Dry run: nothing was written.
    "#);
}

#[tokio::test]
async fn add_dry_run_over_an_existing_file_leaves_it_byte_identical() {
    let env = env();
    let original = two_deployments();
    let path = env.write_config(&original);
    // Replacing a key: the line shows as changed, both sides redacted.
    let run = env
        .run(&[
            "--dry-run",
            "config",
            "add",
            "lab",
            "--base-url",
            "http://127.0.0.1:8787/demo/v1",
            "--api-key",
            "xero_demo_newkeynewkeynewkeynewkey9876",
        ])
        .await;
    assert_nothing_written(&env, &path, &original, &run);
    run.assert_no_secret(&["newkeynew"]);
    assert_snapshot!(run, @r#"
    exit: 0
    --- stdout
    --- [tmp]/xdg/xeroctl/config.toml
    +++ [tmp]/xdg/xeroctl/config.toml
    @@ -2,7 +2,7 @@
     
     [deployment.lab] # the lab box
     base_url = "http://127.0.0.1:8787/demo/v1"
    -api_key = "xero_demo_…1234"
    +api_key = "xero_demo_…9876"
     
     [deployment.prod]
     base_url = "https://api.xerotier.ai/acme-prod/v1"
    --- stderr
    warning: no usable keychain (keychain use is off (XEROCTL_KEYCHAIN=none)): the API key would go in clear text in [tmp]/xdg/xeroctl/config.toml (mode 0600)
    Would replace deployment 'lab' (http://127.0.0.1:8787/demo/v1).
    Dry run: nothing was written.
    "#);
    // A keychain reference is shown as is; the inline key it replaces is not.
    let run = env
        .run(&[
            "config",
            "add",
            "prod",
            "--base-url",
            PROD_URL,
            "--api-key-keychain",
            "xeroctl-test-entry-that-does-not-exist",
            "--dry-run",
        ])
        .await;
    assert_nothing_written(&env, &path, &original, &run);
    assert_snapshot!(run, @r#"
    exit: 0
    --- stdout
    --- [tmp]/xdg/xeroctl/config.toml
    +++ [tmp]/xdg/xeroctl/config.toml
    @@ -6,4 +6,4 @@
     
     [deployment.prod]
     base_url = "https://api.xerotier.ai/acme-prod/v1"
    -api_key = "xero_acme-prod_…wxyz"
    +api_key_keychain = "xeroctl-test-entry-that-does-not-exist"
    --- stderr
    Would replace deployment 'prod' (https://api.xerotier.ai/acme-prod/v1).
    Dry run: nothing was written.
    "#);
}

#[tokio::test]
async fn use_dry_run_shows_the_current_line_change() {
    let env = env();
    let original = two_deployments();
    let path = env.write_config(&original);
    let run = env.run(&["config", "use", "prod", "--dry-run"]).await;
    assert_nothing_written(&env, &path, &original, &run);
    assert_snapshot!(run, @r#"
    exit: 0
    --- stdout
    --- [tmp]/xdg/xeroctl/config.toml
    +++ [tmp]/xdg/xeroctl/config.toml
    @@ -1,4 +1,4 @@
    -current = "lab"
    +current = "prod"
     
     [deployment.lab] # the lab box
     base_url = "http://127.0.0.1:8787/demo/v1"
    --- stderr
    Would make 'prod' (https://api.xerotier.ai/acme-prod/v1) the current context.
    Dry run: nothing was written.
    "#);
}

#[tokio::test]
async fn remove_dry_run_shows_the_removed_table_redacted() {
    let env = env();
    let original = two_deployments();
    let path = env.write_config(&original);
    let run = env.run(&["config", "remove", "lab", "--dry-run"]).await;
    assert_nothing_written(&env, &path, &original, &run);
    assert_snapshot!(run, @r#"
    exit: 0
    --- stdout
    --- [tmp]/xdg/xeroctl/config.toml
    +++ [tmp]/xdg/xeroctl/config.toml
    @@ -1,8 +1,3 @@
    -current = "lab"
    -
    -[deployment.lab] # the lab box
    -base_url = "http://127.0.0.1:8787/demo/v1"
    -api_key = "xero_demo_…1234"
     
     [deployment.prod]
     base_url = "https://api.xerotier.ai/acme-prod/v1"
    --- stderr
    Would remove deployment 'lab', the current context (none will be current).
    Dry run: nothing was written.
    "#);
    // The checks of a real write still apply.
    let run = env.run(&["config", "remove", "nope", "--dry-run"]).await;
    assert_snapshot!(run, @"
    exit: 3
    --- stdout
    --- stderr
    error: unknown deployment 'nope' (known: lab, prod)
    hint: see them with `xeroctl config list`, or add one with `xeroctl config add`
    ");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
    // And without --dry-run it really goes.
    env.run(&["config", "remove", "lab"]).await.expect_code(0);
    assert!(!std::fs::read_to_string(&path).unwrap().contains("lab"));
}

#[tokio::test]
async fn init_dry_run_writes_nothing() {
    let env = env();
    let run = env.run(&["config", "init", "--dry-run"]).await;
    assert_snapshot!(run, @"
    exit: 2
    --- stdout
    --- stderr
    error: config init is interactive and needs a terminal
    hint: in scripts use `xeroctl config add <name> --base-url https://api.xerotier.ai/<project>/v1 --api-key-stdin`
    ");
    assert!(!env.config_dir().exists());
    let original = two_deployments();
    let path = env.write_config(&original);
    env.run(&["config", "init", "--dry-run"])
        .await
        .expect_code(2);
    assert_eq!(std::fs::read_to_string(path).unwrap(), original);
}

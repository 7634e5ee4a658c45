//! `--dry-run` on every config write: the change is shown (keys redacted),
//! nothing is written — no file, no folder, no temp file.

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
    assert!(
        run.stderr().contains("Dry run: nothing was written."),
        "{}",
        run.stderr()
    );
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
    let path = env.config_path().display().to_string();
    assert_eq!(
        run.stdout(),
        format!(
            "--- /dev/null\n+++ {path}\n@@ -0,0 +1,5 @@\n+current = \"prod\"\n+\n+[deployment.prod]\n+base_url = \"{PROD_URL}\"\n+api_key = \"xero_acme-prod_…wxyz\"\n"
        )
    );
    let err = run.stderr();
    assert!(
        err.contains("Would add deployment 'prod'") && err.contains("current context"),
        "{err}"
    );
    assert!(err.contains("Dry run: nothing was written."), "{err}");
    assert!(!err.contains("Added"), "{err}");
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
    let out = run.stdout();
    assert!(
        out.starts_with(&format!("--- {0}\n+++ {0}\n@@ ", path.display())),
        "{out}"
    );
    assert!(
        out.contains("-api_key = \"xero_demo_…1234\"\n+api_key = \"xero_demo_…9876\"\n"),
        "{out}"
    );
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
    let out = run.stdout();
    assert!(
        out.contains("-api_key = \"xero_acme-prod_…wxyz\"\n+api_key_keychain = \"xeroctl-test-entry-that-does-not-exist\"\n"),
        "{out}"
    );
}

#[tokio::test]
async fn use_dry_run_shows_the_current_line_change() {
    let env = env();
    let original = two_deployments();
    let path = env.write_config(&original);
    let run = env.run(&["config", "use", "prod", "--dry-run"]).await;
    assert_nothing_written(&env, &path, &original, &run);
    assert_eq!(
        run.stdout(),
        format!(
            "--- {0}\n+++ {0}\n@@ -1,4 +1,4 @@\n-current = \"lab\"\n+current = \"prod\"\n \n [deployment.lab] # the lab box\n base_url = \"http://127.0.0.1:8787/demo/v1\"\n",
            path.display()
        )
    );
    assert!(
        run.stderr().contains("Would make 'prod'"),
        "{}",
        run.stderr()
    );
    assert!(!run.stderr().contains("Now using"), "{}", run.stderr());
}

#[tokio::test]
async fn remove_dry_run_shows_the_removed_table_redacted() {
    let env = env();
    let original = two_deployments();
    let path = env.write_config(&original);
    let run = env.run(&["config", "remove", "lab", "--dry-run"]).await;
    assert_nothing_written(&env, &path, &original, &run);
    let out = run.stdout();
    for want in [
        "-current = \"lab\"\n",
        "-[deployment.lab] # the lab box\n",
        "-base_url = \"http://127.0.0.1:8787/demo/v1\"\n",
        "-api_key = \"xero_demo_…1234\"\n",
    ] {
        assert!(out.contains(want), "{want} missing:\n{out}");
    }
    assert!(
        !out.lines()
            .any(|l| l.starts_with('+') && !l.starts_with("+++")),
        "{out}"
    );
    assert!(!run.stderr().contains("Removed"), "{}", run.stderr());
    // The checks of a real write still apply.
    let run = env.run(&["config", "remove", "nope", "--dry-run"]).await;
    run.expect_code(3);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
    // And without --dry-run it really goes.
    env.run(&["config", "remove", "lab"]).await.expect_code(0);
    assert!(!std::fs::read_to_string(&path).unwrap().contains("lab"));
}

#[tokio::test]
async fn init_dry_run_writes_nothing() {
    let env = env();
    let run = env.run(&["config", "init", "--dry-run"]).await;
    run.expect_code(2);
    assert!(!env.config_dir().exists());
    let original = two_deployments();
    let path = env.write_config(&original);
    env.run(&["config", "init", "--dry-run"])
        .await
        .expect_code(2);
    assert_eq!(std::fs::read_to_string(path).unwrap(), original);
}

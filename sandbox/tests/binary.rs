//! The `xeroctl-sandbox` binary: its stdout contract, --write-context, signals.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

fn spawn(args: &[&str], xdg: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_xeroctl-sandbox"))
        .args(args)
        .env("XDG_CONFIG_HOME", xdg)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn sandbox")
}

fn read_exports(child: &mut Child) -> (String, String) {
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = lines.next().unwrap().unwrap();
    let key = lines.next().unwrap().unwrap();
    let base = base
        .strip_prefix("export XEROCTL_BASE_URL=")
        .unwrap()
        .to_string();
    let key = key
        .strip_prefix("export XEROCTL_API_KEY=")
        .unwrap()
        .to_string();
    (base, key)
}

fn terminate(child: &mut Child) -> std::process::ExitStatus {
    let ok = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    child.wait().unwrap()
}

#[tokio::test]
async fn prints_exports_writes_context_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("xeroctl").join("config.toml");
    std::fs::create_dir_all(cfg.parent().unwrap()).unwrap();
    std::fs::write(
        &cfg,
        "current = \"prod\"\n[deployment.prod]\nbase_url = \"https://api.xerotier.ai/p/v1\"\napi_key = \"xero_p_x\"\n",
    )
    .unwrap();
    let mut child = spawn(
        &["--port", "0", "--project", "acme-prod", "--write-context"],
        dir.path(),
    );
    let (base, key) = read_exports(&mut child);
    assert!(
        base.starts_with("http://127.0.0.1:") && base.ends_with("/acme-prod/v1"),
        "{base}"
    );
    assert_eq!(key, "xero_acme-prod_sandbox0000000000000000");

    let resp = reqwest::Client::new()
        .get(format!("{base}/management/agents?limit=1"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);

    let text = std::fs::read_to_string(&cfg).unwrap();
    let doc: toml_edit::DocumentMut = text.parse().unwrap();
    assert_eq!(doc["current"].as_str(), Some("prod"));
    assert_eq!(
        doc["deployment"]["prod"]["api_key"].as_str(),
        Some("xero_p_x")
    );
    assert_eq!(
        doc["deployment"]["sandbox"]["base_url"].as_str(),
        Some(base.as_str())
    );
    assert_eq!(
        doc["deployment"]["sandbox"]["api_key"].as_str(),
        Some(key.as_str())
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&cfg).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(terminate(&mut child).success());
}

#[test]
fn refuses_a_malformed_config() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("xeroctl").join("config.toml");
    std::fs::create_dir_all(cfg.parent().unwrap()).unwrap();
    std::fs::write(&cfg, "current = [\n").unwrap();
    let out = spawn(&["--port", "0", "--write-context"], dir.path())
        .wait_with_output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("config.toml"), "{err}");
    assert_eq!(std::fs::read_to_string(&cfg).unwrap(), "current = [\n");
}

#[test]
fn rejects_bad_flags() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["--rate-429", "2"][..],
        &["--tick-ms", "0"],
        &["--bogus"],
        &["--join-key-secret-field", "secret"],
    ] {
        let out = spawn(args, dir.path()).wait_with_output().unwrap();
        assert!(!out.status.success(), "{args:?}");
    }
}

#[tokio::test]
async fn join_key_secret_field_flag() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = spawn(
        &["--port", "0", "--join-key-secret-field", "key"],
        dir.path(),
    );
    let (base, key) = read_exports(&mut child);
    let created: serde_json::Value = reqwest::Client::new()
        .post(format!("{base}/management/join-keys"))
        .bearer_auth(&key)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        created["key"].as_str().unwrap().starts_with("xjt_"),
        "{created}"
    );
    assert!(created.get("token").is_none(), "{created}");
    assert!(terminate(&mut child).success());
}

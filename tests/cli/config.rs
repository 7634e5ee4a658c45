//! `xeroctl config …` against a temp `XDG_CONFIG_HOME`: file content, mode
//! 0600, atomic writes, malformed files left untouched, keys never shown.

use std::path::Path;

use crate::support::*;

const PROD_KEY: &str = "xero_acme-prod_abcdefghijklmnopqrstuvwxyz";
const PROD_URL: &str = "https://api.xerotier.ai/acme-prod/v1";

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Config commands ignore the XEROCTL_* connection variables and send
/// nothing: run them with those set to a dead address.
fn env() -> Env {
    Env::new(
        Some("http://127.0.0.1:9/never/v1".into()),
        Some("xero_never_usedusedusedusedused".into()),
    )
}

#[tokio::test]
async fn add_from_stdin_creates_the_file_and_becomes_current() {
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
            ],
            format!("  {PROD_KEY}  \n").as_bytes(),
        )
        .await;
    run.expect_code(0).assert_no_secret(&[PROD_KEY]);
    assert_eq!(run.stdout(), "");
    assert!(run.stderr().contains("current"), "{}", run.stderr());
    let path = env.config_path();
    assert_eq!(
        read(&path),
        format!(
            "current = \"prod\"\n\n[deployment.prod]\nbase_url = \"{PROD_URL}\"\napi_key = \"{PROD_KEY}\"\n"
        )
    );
    #[cfg(unix)]
    {
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&env.config_dir()), 0o700);
    }
    let names: Vec<_> = std::fs::read_dir(env.config_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with(".config.toml")),
        "temp files left: {names:?}"
    );
}

#[tokio::test]
async fn add_keeps_other_deployments_unknown_keys_and_comments() {
    let env = env();
    let original = "# mine\ncurrent = \"lab\"\ntheme = \"dark\" # unknown, kept\n\n[deployment.lab]\nbase_url = \"http://127.0.0.1:8787/demo/v1\"\napi_key = \"xero_demo_labkey\"\nshell = \"zsh\"\n";
    let path = env.write_config(original);
    let run = env
        .run(&[
            "config",
            "add",
            "prod",
            "--base-url",
            PROD_URL,
            "--api-key",
            PROD_KEY,
            "--output",
            "json",
        ])
        .await;
    run.expect_code(0).assert_no_secret(&[PROD_KEY]);
    assert!(run.stderr().contains("config use prod"), "{}", run.stderr());
    let text = read(&path);
    assert!(text.starts_with(original), "{text}");
    assert!(
        text.ends_with(&format!(
            "\n[deployment.prod]\nbase_url = \"{PROD_URL}\"\napi_key = \"{PROD_KEY}\"\noutput = \"json\"\n"
        )),
        "{text}"
    );
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);

    // The same name again replaces it (and says so); unknown keys stay.
    let run = env
        .run_with_stdin(
            &[
                "config",
                "add",
                "lab",
                "--base-url",
                "http://localhost:9000/demo/v1",
                "--api-key-stdin",
            ],
            b"xero_demo_newkey\n",
        )
        .await;
    run.expect_code(0);
    assert!(run.stderr().contains("Replaced"), "{}", run.stderr());
    let text = read(&path);
    assert!(
        text.contains("base_url = \"http://localhost:9000/demo/v1\""),
        "{text}"
    );
    assert!(text.contains("api_key = \"xero_demo_newkey\""), "{text}");
    assert!(!text.contains("labkey"), "{text}");
    assert!(text.contains("shell = \"zsh\"") && text.contains("theme = \"dark\" # unknown, kept"));
    assert!(text.contains("current = \"lab\""), "{text}");
}

#[tokio::test]
async fn add_with_a_keychain_entry_saves_the_reference() {
    let env = env();
    let run = env
        .run(&[
            "config",
            "add",
            "kc",
            "--base-url",
            PROD_URL,
            "--api-key-keychain",
            "xeroctl-test-entry-that-does-not-exist",
        ])
        .await;
    run.expect_code(0);
    assert!(read(&env.config_path())
        .contains("api_key_keychain = \"xeroctl-test-entry-that-does-not-exist\""),);
    // The entry cannot be read here: saved anyway, with a warning.
    assert!(run.stderr().contains("warning:"), "{}", run.stderr());
}

#[tokio::test]
async fn add_refusals_write_nothing() {
    let env = env();
    let cases: Vec<(Vec<&str>, &[u8], &str)> = vec![
        (
            vec!["config", "add", "p", "--api-key", PROD_KEY],
            b"",
            "--base-url",
        ),
        (
            vec![
                "config",
                "add",
                "p",
                "--base-url",
                "https://api.xerotier.ai/acme",
                "--api-key",
                PROD_KEY,
            ],
            b"",
            "/v1",
        ),
        (
            vec![
                "config",
                "add",
                "p",
                "--base-url",
                "http://api.example.com/acme/v1",
                "--api-key",
                PROD_KEY,
            ],
            b"",
            "clear text",
        ),
        (
            vec![
                "config",
                "add",
                "p",
                "--base-url",
                "ftp://h/acme/v1",
                "--api-key",
                PROD_KEY,
            ],
            b"",
            "http(s)",
        ),
        (
            vec!["config", "add", "p", "--base-url", PROD_URL],
            b"",
            "needs the API key",
        ),
        (
            vec![
                "config",
                "add",
                "p",
                "--base-url",
                PROD_URL,
                "--api-key",
                PROD_KEY,
                "--api-key-stdin",
            ],
            b"",
            "one way only",
        ),
        (
            vec![
                "config",
                "add",
                "p",
                "--base-url",
                PROD_URL,
                "--api-key-stdin",
            ],
            b"\n",
            "empty",
        ),
        (
            vec![
                "config",
                "add",
                "p",
                "--base-url",
                PROD_URL,
                "--api-key-stdin",
            ],
            b"xero_a b\n",
            "spaces",
        ),
        (
            vec![
                "config",
                "add",
                "bad name",
                "--base-url",
                PROD_URL,
                "--api-key",
                PROD_KEY,
            ],
            b"",
            "not a valid name",
        ),
    ];
    for (args, stdin, why) in cases {
        let run = env.run_with_stdin(&args, stdin).await;
        run.expect_code(2);
        assert!(run.stderr().contains(why), "{args:?}: {}", run.stderr());
        assert!(!env.config_path().exists(), "{args:?} wrote a file");
    }
    // Off loopback with --insecure-http is accepted.
    env.run(&[
        "config",
        "add",
        "p",
        "--base-url",
        "http://api.example.com/acme/v1",
        "--api-key",
        PROD_KEY,
        "--insecure-http",
    ])
    .await
    .expect_code(0);
}

#[tokio::test]
async fn malformed_file_is_never_overwritten() {
    let env = env();
    let broken = "current = \"prod\"\n[deployment.prod]\nbase_url = \n";
    let path = env.write_config(broken);
    for args in [
        vec![
            "config",
            "add",
            "x",
            "--base-url",
            PROD_URL,
            "--api-key",
            PROD_KEY,
        ],
        vec!["config", "use", "prod"],
        vec!["config", "remove", "prod"],
        vec!["config", "list"],
        vec!["config", "show"],
    ] {
        let run = env.run(&args).await;
        run.expect_code(3);
        let err = run.stderr();
        assert!(
            err.contains(&format!("{}, line 3", path.display())),
            "{args:?}: {err}"
        );
        assert_eq!(read(&path), broken, "{args:?} changed the file");
    }
}

#[tokio::test]
async fn use_switches_and_refuses_unknown_names() {
    let env = env();
    let path = env.write_config(&format!(
        "current = \"lab\"\n[deployment.lab]\nbase_url = \"http://127.0.0.1:8787/demo/v1\"\napi_key = \"xero_demo_labkey\"\n[deployment.prod]\nbase_url = \"{PROD_URL}\"\napi_key = \"{PROD_KEY}\"\n"
    ));
    let run = env.run(&["config", "use", "prod"]).await;
    run.expect_code(0);
    assert!(
        read(&path).starts_with("current = \"prod\"\n"),
        "{}",
        read(&path)
    );
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);
    let before = read(&path);
    env.run(&["config", "use", "lab", "--base-url", PROD_URL])
        .await
        .expect_code(2);
    let run = env.run(&["config", "use", "staging"]).await;
    run.expect_code(3);
    assert!(
        run.stderr().contains("known: lab, prod"),
        "{}",
        run.stderr()
    );
    assert_eq!(read(&path), before);
}

#[tokio::test]
async fn list_marks_current_and_redacts_keys() {
    let env = env();
    env.write_config(&format!(
        "current = \"prod\"\n[deployment.lab]\nbase_url = \"http://127.0.0.1:8787/demo/v1\"\napi_key_keychain = \"xeroctl-lab\"\n[deployment.prod]\nbase_url = \"{PROD_URL}\"\napi_key = \"{PROD_KEY}\"\noutput = \"json\"\n"
    ));
    let run = env.run(&["config", "list", "-o", "table"]).await;
    run.expect_code(0)
        .assert_no_secret(&[PROD_KEY, "abcdefghij"]);
    let out = run.stdout();
    let lines: Vec<&str> = out.lines().collect();
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(header, ["CURRENT", "NAME", "BASE_URL", "KEY", "OUTPUT"]);
    assert!(
        lines[1].contains("lab") && lines[1].contains("keychain:xeroctl-lab"),
        "{out}"
    );
    assert!(!lines[1].trim_start().starts_with('*'), "{out}");
    assert!(lines[2].trim_start().starts_with("* "), "{out}");
    assert!(
        lines[2].contains("file (xero_acme-prod_…wxyz)") && lines[2].ends_with("json"),
        "{out}"
    );

    let run = env.run(&["config", "list", "-o", "json"]).await;
    run.expect_code(0)
        .assert_no_secret(&[PROD_KEY, "abcdefghij"]);
    let v = run.json();
    assert_eq!(v["current"], "prod");
    assert_eq!(v["deployments"][1]["name"], "prod");
    assert_eq!(v["deployments"][1]["current"], true);
    assert_eq!(v["deployments"][1]["api_key"], "xero_acme-prod_…wxyz");
    assert_eq!(v["deployments"][0]["api_key_keychain"], "xeroctl-lab");
}

#[tokio::test]
async fn list_and_show_as_names_and_yaml() {
    let env = env();
    env.write_config(&format!(
        "current = \"prod\"\n[deployment.lab]\nbase_url = \"http://127.0.0.1:8787/demo/v1\"\napi_key_keychain = \"xeroctl-lab\"\n[deployment.prod]\nbase_url = \"{PROD_URL}\"\napi_key = \"{PROD_KEY}\"\noutput = \"yaml\"\n"
    ));
    let run = env.run(&["config", "list", "-o", "name"]).await;
    run.expect_code(0);
    assert_eq!(run.stdout(), "lab\nprod\n");
    assert_eq!(run.stderr(), "");
    let run = env.run(&["config", "show", "-o", "name"]).await;
    run.expect_code(0);
    assert_eq!(run.stdout(), "prod\n");
    let run = env.run(&["config", "show", "-o", "yaml"]).await;
    run.expect_code(0)
        .assert_no_secret(&[PROD_KEY, "abcdefghij"]);
    let out = run.stdout();
    let without_path: Vec<&str> = out.lines().filter(|l| !l.starts_with("path: ")).collect();
    assert_eq!(
        without_path,
        [
            "name: prod",
            "current: true",
            &format!("base_url: {PROD_URL}"),
            "project: acme-prod",
            "key_source: api_key",
            "api_key: xero_acme-prod_…wxyz",
            "api_key_keychain: null",
            "key_stored_in: file",
            "output: yaml",
        ],
        "{out}"
    );
    // `--jq` over the document of `config list`.
    let run = env
        .run(&[
            "config",
            "list",
            "--jq",
            ".deployments[] | select(.current) | .name",
        ])
        .await;
    run.expect_code(0);
    assert_eq!(run.stdout(), "prod\n");
}

#[tokio::test]
async fn list_with_no_file_says_how_to_add_one() {
    let env = env();
    let run = env.run(&["config", "list"]).await;
    run.expect_code(0);
    assert_eq!(run.stdout(), "");
    assert!(run.stderr().contains("config add"), "{}", run.stderr());
    let run = env.run(&["config", "list", "-o", "json"]).await;
    assert_eq!(run.json()["deployments"], serde_json::json!([]));
}

#[tokio::test]
async fn show_defaults_to_current_and_redacts() {
    let env = env();
    env.write_config(&format!(
        "current = \"prod\"\n[deployment.prod]\nbase_url = \"{PROD_URL}\"\napi_key = \"{PROD_KEY}\"\n[deployment.lab]\nbase_url = \"http://127.0.0.1:8787/demo/v1\"\napi_key = \"xero_demo_labkey\"\n"
    ));
    let run = env.run(&["config", "show"]).await;
    run.expect_code(0).assert_no_secret(&[PROD_KEY]);
    let out = run.stdout();
    for want in [
        "Name:",
        "prod",
        "Current:",
        "yes",
        PROD_URL,
        "Project:",
        "acme-prod",
        "xero_acme-prod_…wxyz",
    ] {
        assert!(out.contains(want), "{want} missing:\n{out}");
    }
    let run = env.run(&["config", "show", "lab", "-o", "json"]).await;
    run.expect_code(0).assert_no_secret(&["xero_demo_labkey"]);
    assert_eq!(run.json()["current"], false);
    assert_eq!(run.json()["project"], "demo");
    let run = env.run(&["config", "show", "nope"]).await;
    run.expect_code(3);
    assert!(
        run.stderr().contains("known: lab, prod"),
        "{}",
        run.stderr()
    );
}

#[tokio::test]
async fn show_without_current_is_a_config_error() {
    let env = env();
    env.write_config(&format!(
        "[deployment.prod]\nbase_url = \"{PROD_URL}\"\napi_key = \"{PROD_KEY}\"\n"
    ));
    let run = env.run(&["config", "show"]).await;
    run.expect_code(3);
    assert!(run.stderr().contains("config use"), "{}", run.stderr());
}

#[tokio::test]
async fn remove_current_unsets_it_and_keeps_the_rest() {
    let env = env();
    let path = env.write_config(&format!(
        "current = \"prod\" # keep comments\n\n[deployment.prod]\nbase_url = \"{PROD_URL}\"\napi_key = \"{PROD_KEY}\"\n\n[deployment.lab]\nbase_url = \"http://127.0.0.1:8787/demo/v1\"\napi_key = \"xero_demo_labkey\"\n"
    ));
    let run = env.run(&["config", "remove", "prod"]).await;
    run.expect_code(0).assert_no_secret(&[PROD_KEY]);
    assert!(
        run.stderr().contains("config use <name>"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        read(&path),
        "\n[deployment.lab]\nbase_url = \"http://127.0.0.1:8787/demo/v1\"\napi_key = \"xero_demo_labkey\"\n"
    );
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);
    let run = env.run(&["config", "rm", "prod"]).await;
    run.expect_code(3);
    assert!(run.stderr().contains("known: lab"), "{}", run.stderr());
}

#[tokio::test]
async fn init_refuses_without_a_terminal() {
    let env = env();
    let run = env.run(&["config", "init"]).await;
    run.expect_code(2);
    assert!(run.stderr().contains("config add"), "{}", run.stderr());
    assert!(!env.config_path().exists());
}

#[tokio::test]
async fn a_saved_context_is_used_by_other_commands() {
    let server = wiremock::MockServer::start().await;
    expect("GET", "/management/agents")
        .respond_with(json(200, page(vec![], false)))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::bare();
    env.run_with_stdin(
        &[
            "config",
            "add",
            "sb",
            "--base-url",
            &format!("{}/{PROJECT}/v1", server.uri()),
            "--api-key-stdin",
        ],
        format!("{KEY}\n").as_bytes(),
    )
    .await
    .expect_code(0)
    .assert_no_secret(&[]);
    env.run(&["agents"]).await.expect_code(0);
}

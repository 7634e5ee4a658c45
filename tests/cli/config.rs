//! `xeroctl config …` against a temp `XDG_CONFIG_HOME`: file content, mode
//! 0600, atomic writes, malformed files left untouched, keys never shown.

use std::path::Path;

use insta::assert_snapshot;

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
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    --- stderr
    Added deployment 'prod' (https://api.xerotier.ai/acme-prod/v1) in [tmp]/xdg/xeroctl/config.toml.
    'prod' is now the current context.
    warning: no usable keychain (keychain use is off (XEROCTL_KEYCHAIN=none)): the API key is saved in clear text in [tmp]/xdg/xeroctl/config.toml (mode 0600)
    hint: check the connection and the key's scopes with `xeroctl status`
    ");
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
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    --- stderr
    Added deployment 'prod' (https://api.xerotier.ai/acme-prod/v1) in [tmp]/xdg/xeroctl/config.toml.
    hint: switch to it with `xeroctl config use prod`
    warning: no usable keychain (keychain use is off (XEROCTL_KEYCHAIN=none)): the API key is saved in clear text in [tmp]/xdg/xeroctl/config.toml (mode 0600)
    hint: check the connection and the key's scopes with `xeroctl status`
    ");
    assert_eq!(
        read(&path),
        format!("{original}\n[deployment.prod]\nbase_url = \"{PROD_URL}\"\napi_key = \"{PROD_KEY}\"\noutput = \"json\"\n")
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
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    --- stderr
    Replaced deployment 'lab' (http://localhost:9000/demo/v1) in [tmp]/xdg/xeroctl/config.toml.
    warning: no usable keychain (keychain use is off (XEROCTL_KEYCHAIN=none)): the API key is saved in clear text in [tmp]/xdg/xeroctl/config.toml (mode 0600)
    hint: check the connection and the key's scopes with `xeroctl status`
    ");
    assert_snapshot!(read(&path), @r#"
    # mine
    current = "lab"
    theme = "dark" # unknown, kept

    [deployment.lab]
    base_url = "http://localhost:9000/demo/v1"
    api_key = "xero_demo_newkey"
    shell = "zsh"

    [deployment.prod]
    base_url = "https://api.xerotier.ai/acme-prod/v1"
    api_key = "xero_acme-prod_abcdefghijklmnopqrstuvwxyz"
    output = "json"
    "#);
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
    // The entry cannot be read here: saved anyway, with a warning.
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    --- stderr
    Added deployment 'kc' (https://api.xerotier.ai/acme-prod/v1) in [tmp]/xdg/xeroctl/config.toml.
    'kc' is now the current context.
    warning: cannot read the API key from keychain entry 'xeroctl-test-entry-that-does-not-exist': no usable keychain here (keychain use is off (XEROCTL_KEYCHAIN=none)); commands using 'kc' will fail until it can be read
    hint: check the connection and the key's scopes with `xeroctl status`
    ");
    assert_snapshot!(read(&env.config_path()), @r#"
    current = "kc"

    [deployment.kc]
    base_url = "https://api.xerotier.ai/acme-prod/v1"
    api_key_keychain = "xeroctl-test-entry-that-does-not-exist"
    "#);
}

#[tokio::test]
async fn add_refusals_write_nothing() {
    let env = env();
    let cases: Vec<(Vec<&str>, &[u8])> = vec![
        (vec!["config", "add", "p", "--api-key", PROD_KEY], b""),
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
        ),
        (vec!["config", "add", "p", "--base-url", PROD_URL], b""),
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
        ),
    ];
    let mut runs = Transcript::default();
    for (args, stdin) in cases {
        let run = env.run_with_stdin(&args, stdin).await;
        run.expect_code(2).assert_no_secret(&[PROD_KEY]);
        runs.add(&args, &run);
        assert!(!env.config_path().exists(), "{args:?} wrote a file");
    }
    assert_snapshot!(runs, @r#"
    $ config add p --api-key xero_acme-prod_abcdefghijklmnopqrstuvwxyz
    exit: 2
    --- stdout
    --- stderr
    error: config add needs --base-url <url>, e.g. https://api.xerotier.ai/<project>/v1

    $ config add p --base-url https://api.xerotier.ai/acme --api-key xero_acme-prod_abcdefghijklmnopqrstuvwxyz
    exit: 2
    --- stdout
    --- stderr
    error: the base URL 'https://api.xerotier.ai/acme' must end in /v1 (the project-scoped API root)
    hint: it looks like https://api.xerotier.ai/<project>/v1

    $ config add p --base-url http://api.example.com/acme/v1 --api-key xero_acme-prod_abcdefghijklmnopqrstuvwxyz
    exit: 2
    --- stdout
    --- stderr
    error: refusing plain http:// to api.example.com: the API key would travel in clear text
    hint: use https://, or pass --insecure-http if you really mean it

    $ config add p --base-url ftp://h/acme/v1 --api-key xero_acme-prod_abcdefghijklmnopqrstuvwxyz
    exit: 2
    --- stdout
    --- stderr
    error: the base URL 'ftp://h/acme/v1' must be an http(s) URL with a host
    hint: it looks like https://api.xerotier.ai/<project>/v1

    $ config add p --base-url https://api.xerotier.ai/acme-prod/v1
    exit: 2
    --- stdout
    --- stderr
    error: config add needs the API key
    hint: pipe it in with --api-key-stdin (keeps it out of `ps` and shell history), or use --api-key <key> or --api-key-keychain <entry>

    $ config add p --base-url https://api.xerotier.ai/acme-prod/v1 --api-key xero_acme-prod_abcdefghijklmnopqrstuvwxyz --api-key-stdin
    exit: 2
    --- stdout
    --- stderr
    error: give the key one way only: --api-key, --api-key-stdin or --api-key-keychain

    $ config add p --base-url https://api.xerotier.ai/acme-prod/v1 --api-key-stdin
    exit: 2
    --- stdout
    --- stderr
    error: --api-key-stdin: stdin was empty
    hint: pipe the key in: `echo "$KEY" | xeroctl config add …`

    $ config add p --base-url https://api.xerotier.ai/acme-prod/v1 --api-key-stdin
    exit: 2
    --- stdout
    --- stderr
    error: the API key contains spaces or control characters
    hint: give exactly the key, on one line (keys look like xero_<project>_<token>)

    $ config add bad name --base-url https://api.xerotier.ai/acme-prod/v1 --api-key xero_acme-prod_abcdefghijklmnopqrstuvwxyz
    exit: 2
    --- stdout
    --- stderr
    error: invalid value 'bad name' for '<NAME>': 'bad name' is not a valid name: use 1-64 letters, digits, '-', '_' or '.'
    hint: see `xeroctl config add --help`
    "#);
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
    let mut runs = Transcript::default();
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
        runs.add(&args, &run);
        assert_eq!(read(&path), broken, "{args:?} changed the file");
    }
    assert_snapshot!(runs, @r#"
    $ config add x --base-url https://api.xerotier.ai/acme-prod/v1 --api-key xero_acme-prod_abcdefghijklmnopqrstuvwxyz
    exit: 3
    --- stdout
    --- stderr
    error: malformed config file [tmp]/xdg/xeroctl/config.toml, line 3: invalid string expected `"`, `'`
    hint: fix that line (or move the file aside); xeroctl never overwrites a file it cannot read

    $ config use prod
    exit: 3
    --- stdout
    --- stderr
    error: malformed config file [tmp]/xdg/xeroctl/config.toml, line 3: invalid string expected `"`, `'`
    hint: fix that line (or move the file aside); xeroctl never overwrites a file it cannot read

    $ config remove prod
    exit: 3
    --- stdout
    --- stderr
    error: malformed config file [tmp]/xdg/xeroctl/config.toml, line 3: invalid string expected `"`, `'`
    hint: fix that line (or move the file aside); xeroctl never overwrites a file it cannot read

    $ config list
    exit: 3
    --- stdout
    --- stderr
    error: malformed config file [tmp]/xdg/xeroctl/config.toml, line 3: invalid string expected `"`, `'`
    hint: fix that line (format: README, "Configuration"), or use XEROCTL_BASE_URL and XEROCTL_API_KEY

    $ config show
    exit: 3
    --- stdout
    --- stderr
    error: malformed config file [tmp]/xdg/xeroctl/config.toml, line 3: invalid string expected `"`, `'`
    hint: fix that line (format: README, "Configuration"), or use XEROCTL_BASE_URL and XEROCTL_API_KEY
    "#);
}

#[tokio::test]
async fn use_switches_and_refuses_unknown_names() {
    let env = env();
    let path = env.write_config(&format!(
        "current = \"lab\"\n[deployment.lab]\nbase_url = \"http://127.0.0.1:8787/demo/v1\"\napi_key = \"xero_demo_labkey\"\n[deployment.prod]\nbase_url = \"{PROD_URL}\"\napi_key = \"{PROD_KEY}\"\n"
    ));
    let run = env.run(&["config", "use", "prod"]).await;
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    --- stderr
    Now using 'prod' (https://api.xerotier.ai/acme-prod/v1).
    ");
    assert_snapshot!(read(&path), @r#"
    current = "prod"
    [deployment.lab]
    base_url = "http://127.0.0.1:8787/demo/v1"
    api_key = "xero_demo_labkey"
    [deployment.prod]
    base_url = "https://api.xerotier.ai/acme-prod/v1"
    api_key = "xero_acme-prod_abcdefghijklmnopqrstuvwxyz"
    "#);
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);
    let before = read(&path);
    let mut runs = Transcript::default();
    for args in [
        &["config", "use", "lab", "--base-url", PROD_URL][..],
        &["config", "use", "staging"],
    ] {
        runs.add(args, &env.run(args).await);
    }
    assert_snapshot!(runs, @"
    $ config use lab --base-url https://api.xerotier.ai/acme-prod/v1
    exit: 2
    --- stdout
    --- stderr
    error: --base-url only applies to `config add` (a saved deployment is changed with `config add <name> …`)

    $ config use staging
    exit: 3
    --- stdout
    --- stderr
    error: unknown deployment 'staging' (known: lab, prod)
    hint: see them with `xeroctl config list`, or add one with `xeroctl config add`
    ");
    assert_eq!(read(&path), before);
}

#[tokio::test]
async fn list_marks_current_and_redacts_keys() {
    let env = env();
    env.write_config(&format!(
        "current = \"prod\"\n[deployment.lab]\nbase_url = \"http://127.0.0.1:8787/demo/v1\"\napi_key_keychain = \"xeroctl-lab\"\n[deployment.prod]\nbase_url = \"{PROD_URL}\"\napi_key = \"{PROD_KEY}\"\noutput = \"json\"\n"
    ));
    let run = env.run(&["config", "list", "-o", "table"]).await;
    run.assert_no_secret(&[PROD_KEY, "abcdefghij"]);
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    CURRENT  NAME  BASE_URL                              KEY                              OUTPUT
             lab   http://127.0.0.1:8787/demo/v1         keychain:xeroctl-lab (keychain)  -
    *        prod  https://api.xerotier.ai/acme-prod/v1  file (xero_acme-prod_…wxyz)      json
    --- stderr
    ");

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
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    --- stderr
    No deployments saved.
    hint: add one with `xeroctl config add <name> --base-url https://api.xerotier.ai/<project>/v1 --api-key-stdin`
    ");
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
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    Name:     prod
    Current:  yes
    Base URL: https://api.xerotier.ai/acme-prod/v1
    Project:  acme-prod
    Key:      file (xero_acme-prod_…wxyz)
    Output:   -
    File:     [tmp]/xdg/xeroctl/config.toml
    --- stderr
    ");
    let run = env.run(&["config", "show", "lab", "-o", "json"]).await;
    run.expect_code(0).assert_no_secret(&["xero_demo_labkey"]);
    assert_eq!(run.json()["current"], false);
    assert_eq!(run.json()["project"], "demo");
    let run = env.run(&["config", "show", "nope"]).await;
    assert_snapshot!(run, @"
    exit: 3
    --- stdout
    --- stderr
    error: unknown deployment 'nope' (known: lab, prod)
    hint: see them with `xeroctl config list`, or add one with `xeroctl config add`
    ");
}

#[tokio::test]
async fn show_without_current_is_a_config_error() {
    let env = env();
    env.write_config(&format!(
        "[deployment.prod]\nbase_url = \"{PROD_URL}\"\napi_key = \"{PROD_KEY}\"\n"
    ));
    let run = env.run(&["config", "show"]).await;
    assert_snapshot!(run, @"
    exit: 3
    --- stdout
    --- stderr
    error: no current deployment is set
    hint: name one (`xeroctl config show <name>`), or pick one with `xeroctl config use <name>`; `xeroctl config list` lists them
    ");
}

#[tokio::test]
async fn remove_current_unsets_it_and_keeps_the_rest() {
    let env = env();
    let path = env.write_config(&format!(
        "current = \"prod\" # keep comments\n\n[deployment.prod]\nbase_url = \"{PROD_URL}\"\napi_key = \"{PROD_KEY}\"\n\n[deployment.lab]\nbase_url = \"http://127.0.0.1:8787/demo/v1\"\napi_key = \"xero_demo_labkey\"\n"
    ));
    let run = env.run(&["config", "remove", "prod"]).await;
    run.expect_code(0).assert_no_secret(&[PROD_KEY]);
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    --- stderr
    Removed deployment 'prod'.
    hint: it was the current context, so none is current now: pick one with `xeroctl config use <name>` (lab)
    ");
    assert_eq!(
        read(&path),
        "\n[deployment.lab]\nbase_url = \"http://127.0.0.1:8787/demo/v1\"\napi_key = \"xero_demo_labkey\"\n"
    );
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);
    let run = env.run(&["config", "rm", "prod"]).await;
    assert_snapshot!(run, @"
    exit: 3
    --- stdout
    --- stderr
    error: unknown deployment 'prod' (known: lab)
    hint: see them with `xeroctl config list`, or add one with `xeroctl config add`
    ");
}

#[tokio::test]
async fn init_refuses_without_a_terminal() {
    let env = env();
    let run = env.run(&["config", "init"]).await;
    assert_snapshot!(run, @"
    exit: 2
    --- stdout
    --- stderr
    error: config init is interactive and needs a terminal
    hint: in scripts use `xeroctl config add <name> --base-url https://api.xerotier.ai/<project>/v1 --api-key-stdin`
    ");
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

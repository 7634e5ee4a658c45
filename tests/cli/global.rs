//! Global flags, environment variables and the config file: precedence,
//! configuration errors, exit codes, JSON mode, `-v` and colour.

use insta::assert_snapshot;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer};

use crate::support::*;

const CUR_KEY: &str = "xero_cur_curkey000000000000000000";
const NAMED_KEY: &str = "xero_named_namedkey0000000000000";
const ENV_KEY: &str = "xero_env_envkey00000000000000000";
const FLAG_KEY: &str = "xero_flag_flagkey000000000000000";

/// `GET /<project>/v1/management/agents` with `key` answers one agent named
/// `<project>+<key>`, so each run shows which URL and key it used.
async fn mount_target(server: &MockServer, project: &str, key: &str) {
    Mock::given(method("GET"))
        .and(path(format!("/{project}/v1/management/agents")))
        .and(header("authorization", format!("Bearer {key}").as_str()))
        .respond_with(json(
            200,
            page(vec![agent("agt_1", &format!("{project}+{key}"))], false),
        ))
        .mount(server)
        .await;
}

fn config_text(server: &MockServer) -> String {
    format!(
        r#"current = "cur"
[deployment.cur]
base_url = "{uri}/cur/v1"
api_key = "{CUR_KEY}"
[deployment.named]
base_url = "{uri}/named/v1/"
api_key = "{NAMED_KEY}"
output = "json"
"#,
        uri = server.uri()
    )
}

async fn used(env: &Env, args: &[&str]) -> String {
    let mut all = vec!["agents", "-o", "json"];
    all.extend_from_slice(args);
    let run = env.run(&all).await;
    run.expect_code(0);
    run.json()["data"][0]["name"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn precedence_is_flag_then_env_then_named_context_then_current() {
    let server = MockServer::start().await;
    for (project, key) in [
        ("cur", CUR_KEY),
        ("named", NAMED_KEY),
        ("env", NAMED_KEY),
        ("flag", CUR_KEY),
        ("cur", ENV_KEY),
        ("cur", FLAG_KEY),
    ] {
        mount_target(&server, project, key).await;
    }
    let uri = server.uri();
    let bare = || {
        let env = Env::bare();
        env.write_config(&config_text(&server));
        env
    };
    assert_eq!(used(&bare(), &[]).await, format!("cur+{CUR_KEY}"));
    let named = bare().env("XEROCTL_CONTEXT", "named");
    assert_eq!(used(&named, &[]).await, format!("named+{NAMED_KEY}"));
    assert_eq!(
        used(&named, &["--context", "cur"]).await,
        format!("cur+{CUR_KEY}")
    );
    let env_url = bare().env("XEROCTL_BASE_URL", &format!("{uri}/env/v1"));
    assert_eq!(
        used(&env_url, &["--context", "named"]).await,
        format!("env+{NAMED_KEY}")
    );
    assert_eq!(
        used(&env_url, &["--base-url", &format!("{uri}/flag/v1")]).await,
        format!("flag+{CUR_KEY}")
    );
    let env_key = bare().env("XEROCTL_API_KEY", ENV_KEY);
    assert_eq!(used(&env_key, &[]).await, format!("cur+{ENV_KEY}"));
    assert_eq!(
        used(&env_key, &["--api-key", FLAG_KEY]).await,
        format!("cur+{FLAG_KEY}")
    );
}

#[tokio::test]
async fn output_format_is_flag_then_env_then_context() {
    let server = MockServer::start().await;
    mount_target(&server, "named", NAMED_KEY).await;
    let env = Env::bare().env("XEROCTL_CONTEXT", "named");
    env.write_config(&config_text(&server));
    // The context says json.
    let run = env.run(&["agents"]).await;
    run.expect_code(0);
    assert_eq!(run.json()["object"], "list");
    let env = env.env("XEROCTL_OUTPUT", "table");
    assert_snapshot!(env.run(&["agents"]).await, @"
    exit: 0
    --- stdout
    ID     NAME                                    WORKER_ID  STATUS  REGION   LAST_HEARTBEAT
    agt_1  named+xero_named_namedkey0000000000000  wrk_9f3a   active  us-east  2026-11-23 06:59:48 (12s ago)
    --- stderr
    ");
    let run = env.run(&["agents", "-o", "json"]).await;
    run.expect_code(0);
    assert_eq!(run.json()["object"], "list");
    let run = env.run(&["--output=json", "agents"]).await;
    run.expect_code(0);
    assert_eq!(run.json()["object"], "list");

    let bad = Env::for_server(&server).env("XEROCTL_OUTPUT", "xml");
    forbid_all(&server).await;
    assert_snapshot!(bad.run(&["agents"]).await, @"
    exit: 2
    --- stdout
    --- stderr
    error: XEROCTL_OUTPUT='xml' is not an output format
    hint: use table, json, yaml or name
    ");
}

/// `XEROCTL_OUTPUT` and a context's `output` take yaml and name too, and
/// `--jq` simply overrides either (only an explicit `-o` conflicts with it).
#[tokio::test]
async fn env_and_context_output_take_yaml_and_name_and_jq_overrides_them() {
    let server = MockServer::start().await;
    mount_target(&server, "named", NAMED_KEY).await;
    let with_context_output = |format: &str| {
        let env = Env::bare().env("XEROCTL_CONTEXT", "named");
        env.write_config(
            &config_text(&server).replace("output = \"json\"", &format!("output = \"{format}\"")),
        );
        env
    };
    let name = format!("named+{NAMED_KEY}");
    let yaml_item = format!("\ndata:\n- id: agt_1\n  object: agent\n  name: {name}\n");
    let is_yaml = |out: &str| out.starts_with("object: list\n") && out.contains(&yaml_item);

    let env = with_context_output("name");
    let run = env.run(&["agents"]).await;
    run.expect_code(0);
    assert_eq!(run.stdout(), "agt_1\n");
    let run = env.run(&["agents", "--jq", ".data[0].name"]).await;
    run.expect_code(0);
    assert_eq!(run.stdout(), format!("{name}\n"));

    let env = with_context_output("yaml");
    let run = env.run(&["agents"]).await;
    run.expect_code(0);
    assert!(is_yaml(&run.stdout()), "{}", run.stdout());
    // The environment beats the context.
    let env = env.env("XEROCTL_OUTPUT", "name");
    let run = env.run(&["agents"]).await;
    run.expect_code(0);
    assert_eq!(run.stdout(), "agt_1\n");

    let env = with_context_output("table").env("XEROCTL_OUTPUT", "YAML");
    let run = env.run(&["agents"]).await;
    run.expect_code(0);
    assert!(is_yaml(&run.stdout()), "{}", run.stdout());
    let run = env.run(&["agents", "--jq", ".data | length"]).await;
    run.expect_code(0);
    assert_eq!(run.stdout(), "1\n");
    let run = env
        .run(&["agents", "-o", "name", "--jq", ".data | length"])
        .await;
    run.expect_code(2);
    assert_eq!(
        run.stderr(),
        "error: --jq prints JSON results; it cannot be used with -o name\nhint: drop -o (or use -o json) with --jq\n"
    );
}

#[tokio::test]
async fn configuration_problems_exit_3_with_a_fix_and_send_nothing() {
    let server = MockServer::start().await;
    forbid_all(&server).await;

    let mut runs = Transcript::default();
    let env = Env::bare();
    runs.add(&["agents"], &env.run(&["agents"]).await);

    let env = Env::new(Some(format!("{}/demo/v1", server.uri())), None);
    let args = &["agents", "agt_1", "--delete", "--force"][..];
    runs.add(args, &env.run(args).await);

    let env = Env::bare();
    env.write_config(&config_text(&server));
    for args in [
        &["agents", "--context", "nope"][..],
        &["--context", "nope", "agents", "join-keys"][..],
    ] {
        runs.add(args, &env.run(args).await);
    }
    let args = &["agents"][..];
    let gone = env.env("XEROCTL_CONTEXT", "gone");
    runs.add(args, &gone.run(args).await);

    // Even flags for URL and key do not make an unknown named context fine.
    let env = Env::for_server(&server);
    let args = &["agents", "--context", "nope"][..];
    runs.add(args, &env.run(args).await);

    let env = Env::bare();
    env.write_config(
        "current = \"ghost\"\n[deployment.cur]\nbase_url = \"https://x/p/v1\"\napi_key = \"k\"\n",
    );
    runs.add(&["agents"], &env.run(&["agents"]).await);
    assert_snapshot!(runs, @"
    $ agents
    exit: 3
    --- stdout
    --- stderr
    error: no base URL is configured
    hint: run `xeroctl config add <name> --base-url https://api.xerotier.ai/<project>/v1 --api-key-stdin`, or set XEROCTL_BASE_URL and XEROCTL_API_KEY

    $ agents agt_1 --delete --force
    exit: 3
    --- stdout
    --- stderr
    error: no API key is configured
    hint: run `xeroctl config add <name> --base-url https://api.xerotier.ai/<project>/v1 --api-key-stdin`, or set XEROCTL_BASE_URL and XEROCTL_API_KEY

    $ agents --context nope
    exit: 3
    --- stdout
    --- stderr
    error: unknown context 'nope' (known: cur, named)
    hint: list contexts with `xeroctl config list`, or add one with `xeroctl config add`

    $ --context nope agents join-keys
    exit: 3
    --- stdout
    --- stderr
    error: unknown context 'nope' (known: cur, named)
    hint: list contexts with `xeroctl config list`, or add one with `xeroctl config add`

    $ agents
    exit: 3
    --- stdout
    --- stderr
    error: unknown context 'gone' (known: cur, named)
    hint: list contexts with `xeroctl config list`, or add one with `xeroctl config add`

    $ agents --context nope
    exit: 3
    --- stdout
    --- stderr
    error: unknown context 'nope': no config file exists yet
    hint: run `xeroctl config add <name> --base-url https://api.xerotier.ai/<project>/v1 --api-key-stdin`, or set XEROCTL_BASE_URL and XEROCTL_API_KEY

    $ agents
    exit: 3
    --- stdout
    --- stderr
    error: the current context 'ghost' is not defined in [tmp]/xdg/xeroctl/config.toml
    hint: pick another with `xeroctl config use <name>`, or add it with `xeroctl config add`
    ");
}

#[tokio::test]
async fn a_malformed_config_names_file_and_line_unless_env_is_enough() {
    let server = MockServer::start().await;
    let env = Env::bare();
    let path = env.write_config("current = \"cur\"\n[deployment.cur]\nbase_url = \n");
    assert_snapshot!(env.run(&["agents"]).await, @r#"
    exit: 3
    --- stdout
    --- stderr
    error: malformed config file [tmp]/xdg/xeroctl/config.toml, line 3: invalid string expected `"`, `'`
    hint: fix that line (format: README, "Configuration"), or use XEROCTL_BASE_URL and XEROCTL_API_KEY
    "#);
    // The file was not rewritten by a read command.
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "current = \"cur\"\n[deployment.cur]\nbase_url = \n"
    );

    // With URL and key from the environment, the file is not needed.
    expect("GET", "/management/agents")
        .respond_with(json(200, page(vec![], false)))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    env.write_config("this is [not toml\n");
    env.run(&["agents"]).await.expect_code(0);
}

#[tokio::test]
async fn plain_http_off_loopback_is_refused_before_any_request() {
    let env = Env::new(
        Some("http://api.example.com/demo/v1".into()),
        Some(KEY.into()),
    );
    let mut runs = Transcript::default();
    for args in [
        &["agents"][..],
        &["agents", "--create", "--name", "x", "--dry-run"][..],
        &["agents", "join-keys", "--create"][..],
    ] {
        runs.add(args, &env.run(args).await);
    }
    assert_snapshot!(runs, @"
    $ agents
    exit: 2
    --- stdout
    --- stderr
    error: refusing plain http:// to api.example.com: the API key would travel in clear text
    hint: use https://, or pass --insecure-http if you really mean it

    $ agents --create --name x --dry-run
    exit: 2
    --- stdout
    --- stderr
    error: refusing plain http:// to api.example.com: the API key would travel in clear text
    hint: use https://, or pass --insecure-http if you really mean it

    $ agents join-keys --create
    exit: 2
    --- stdout
    --- stderr
    error: refusing plain http:// to api.example.com: the API key would travel in clear text
    hint: use https://, or pass --insecure-http if you really mean it
    ");
    // The same from a context and from the flag.
    let env = Env::bare();
    env.write_config(&format!(
        "current = \"c\"\n[deployment.c]\nbase_url = \"http://10.1.2.3/p/v1\"\napi_key = \"{KEY}\"\n"
    ));
    env.run(&["agents"]).await.expect_code(2);
    let run = Env::new(None, Some(KEY.into()))
        .run(&["agents", "--base-url", "http://example.com/p/v1"])
        .await;
    run.expect_code(2);
    // --insecure-http lets it through: the lookup of a host that cannot
    // exist then fails as a network error, not a usage error.
    let run = Env::new(
        Some("http://no-such-host.invalid/p/v1".into()),
        Some(KEY.into()),
    )
    .run(&["agents", "--insecure-http", "--request-timeout", "5"])
    .await;
    run.expect_code(6);
    run.assert_no_secret(&[]);
}

#[tokio::test]
async fn each_status_maps_to_its_exit_code_without_retries() {
    let server = MockServer::start().await;
    let cases = [
        (400, "validation_error", 2),
        (401, "invalid_api_key", 3),
        (403, "scope_insufficient", 3),
        (404, "agent_not_found", 4),
        (409, "agent_busy", 5),
        (422, "unprocessable", 2),
        (500, "internal_error", 1),
    ];
    for (status, code, _) in cases {
        expect("GET", &format!("/management/agents/s{status}"))
            .respond_with(api_error(status, code, &format!("failed with {status}")))
            .expect(1)
            .mount(&server)
            .await;
    }
    let env = Env::for_server(&server);
    let mut runs = Transcript::default();
    for (status, _, exit) in cases {
        let id = format!("s{status}");
        let args = ["agents", &id, "-o", "json"];
        let run = env.run(&args).await;
        run.expect_code(exit).assert_no_secret(&[]);
        runs.add(&args, &run);
    }
    assert_snapshot!(runs, @"
    $ agents s400 -o json
    exit: 2
    --- stdout
    --- stderr
    error: failed with 400 (validation_error, request id req_test_1)

    $ agents s401 -o json
    exit: 3
    --- stdout
    --- stderr
    error: failed with 401 (invalid_api_key, request id req_test_1)
    hint: check the API key: `xeroctl status` shows which key is in use (--api-key, XEROCTL_API_KEY or `xeroctl config add`)

    $ agents s403 -o json
    exit: 3
    --- stdout
    --- stderr
    error: failed with 403 (scope_insufficient, request id req_test_1)
    hint: this key lacks a scope the command needs (management for agents, execution for exec and approvals); `xeroctl status` shows the key's scopes

    $ agents s404 -o json
    exit: 4
    --- stdout
    --- stderr
    error: failed with 404 (agent_not_found, request id req_test_1)
    hint: list agents with `xeroctl agents`

    $ agents s409 -o json
    exit: 5
    --- stdout
    --- stderr
    error: failed with 409 (agent_busy, request id req_test_1)

    $ agents s422 -o json
    exit: 2
    --- stdout
    --- stderr
    error: failed with 422 (unprocessable, request id req_test_1)

    $ agents s500 -o json
    exit: 1
    --- stdout
    --- stderr
    error: failed with 500 (internal_error, request id req_test_1)
    hint: the router failed; retry later and quote the request id to support if it persists
    ");
}

#[tokio::test]
async fn help_and_version_go_to_stdout_with_exit_0() {
    let env = Env::bare();
    // The help text itself is snapshotted in tests/inproc/help.rs; here,
    // which stream it goes to and the exit code of the real binary.
    for args in [&["--help"][..], &["agents", "--help"][..]] {
        let run = env.run(args).await;
        run.expect_code(0);
        assert_eq!(run.stderr(), "", "{args:?}");
        assert!(run.stdout().contains("Usage: xeroctl"), "{run}");
    }
    let run = env.run(&["--version"]).await;
    run.expect_code(0);
    assert_eq!(
        run.stdout(),
        format!("xeroctl {}\n", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(run.stderr(), "");
    let mut runs = Transcript::default();
    for args in [
        &["frobnicate"][..],
        &["agents", "--request-timeout", "0"][..],
        &["agents", "--color", "sometimes"][..],
        &["agents", "-o", "xml"][..],
    ] {
        runs.add(args, &env.run(args).await);
    }
    assert_snapshot!(runs, @"
    $ frobnicate
    exit: 2
    --- stdout
    --- stderr
    error: unrecognized subcommand 'frobnicate'
    hint: see `xeroctl --help`

    $ agents --request-timeout 0
    exit: 2
    --- stdout
    --- stderr
    error: invalid value '0' for '--request-timeout <SECS>': must be greater than 0
    hint: see `xeroctl agents --help`

    $ agents --color sometimes
    exit: 2
    --- stdout
    --- stderr
    error: invalid value 'sometimes' for '--color <WHEN>'
    hint: possible values: auto, always, never; see `xeroctl agents --help`

    $ agents -o xml
    exit: 2
    --- stdout
    --- stderr
    error: invalid value 'xml' for '--output <OUTPUT>'
    hint: possible values: table, json, yaml, name; a similar value exists: 'yaml'; see `xeroctl agents --help`
    ");
    // No command at all: the usage on stderr, exit 2.
    let run = env.run(&[]).await;
    run.expect_code(2);
    assert_eq!(run.stdout(), "");
}

#[tokio::test]
async fn verbose_logs_requests_on_stderr_with_the_key_redacted() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents")
        .and(query_is("limit=2&after=agt_1"))
        .respond_with(json(200, page(vec![agent("agt_2", "gpu-2")], false)))
        .expect(2)
        .mount(&server)
        .await;
    expect("GET", "/management/agents/agt_x")
        .respond_with(api_error(404, "agent_not_found", "nope"))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let run = env
        .run(&[
            "-v", "agents", "--limit", "2", "--after", "agt_1", "-o", "json",
        ])
        .await;
    run.expect_code(0).assert_no_secret(&[]);
    assert_snapshot!(run, @r#"
    exit: 0
    --- stdout
    {
      "object": "list",
      "first_id": "agt_2",
      "last_id": "agt_2",
      "has_more": false,
      "data": [
        {
          "id": "agt_2",
          "object": "agent",
          "name": "gpu-2",
          "worker_id": "wrk_9f3a",
          "status": "active",
          "region": "us-east",
          "max_concurrent_requests": 8,
          "description": "H100 worker",
          "supported_tiers": [
            "priority",
            "default"
          ],
          "storage_limit_enabled": true,
          "storage_limit_bytes": 500000000000,
          "last_heartbeat_at": "2026-11-23T06:59:48Z",
          "created_at": "2026-11-01T10:00:00Z",
          "updated_at": "2026-11-20T10:00:00Z"
        }
      ]
    }
    --- stderr
    > GET http://127.0.0.1:[port]/demo/v1/management/agents?limit=2&after=agt_1 (authorization: Bearer [redacted])
    < 200 in [n] ms (request id req_test_1)
    "#);

    // A key given as a flag is not echoed either, nor on an error.
    let env = Env::new(Some(format!("{}/demo/v1", server.uri())), None);
    let run = env
        .run(&[
            "agents",
            "--verbose",
            "--api-key",
            KEY,
            "--limit",
            "2",
            "--after",
            "agt_1",
        ])
        .await;
    run.expect_code(0).assert_no_secret(&[]);
    let run = env.run(&["agents", "agt_x", "-v", "--api-key", KEY]).await;
    run.expect_code(4).assert_no_secret(&[]);
    assert_snapshot!(run, @"
    exit: 4
    --- stdout
    --- stderr
    > GET http://127.0.0.1:[port]/demo/v1/management/agents/agt_x (authorization: Bearer [redacted])
    < 404 in [n] ms (request id req_test_1)
    error: nope (agent_not_found, request id req_test_1)
    hint: list agents with `xeroctl agents`
    ");
}

#[tokio::test]
async fn colour_follows_the_flag_and_no_color() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents")
        .respond_with(json(200, page(vec![agent("agt_1", "gpu-1")], false)))
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let run_colour = |args: &'static [&'static str], no_color: bool| {
        let mut cmd = env.cmd();
        if !no_color {
            cmd.env_remove("NO_COLOR");
        }
        cmd.args(args);
        run_blocking(cmd, None)
    };
    // NO_COLOR (the harness default) and auto on a pipe: plain.
    let plain = run_colour(&["agents"], true).await;
    assert_snapshot!(plain, @"
    exit: 0
    --- stdout
    ID     NAME   WORKER_ID  STATUS  REGION   LAST_HEARTBEAT
    agt_1  gpu-1  wrk_9f3a   active  us-east  2026-11-23 06:59:48 (12s ago)
    --- stderr
    ");
    let auto = run_colour(&["agents"], false).await;
    assert_eq!(auto.to_string(), plain.to_string());
    let never = run_colour(&["agents", "--color", "never"], false).await;
    assert_eq!(never.to_string(), plain.to_string());
    // --color always wins over NO_COLOR: bold header, green status.
    let always = run_colour(&["agents", "--color", "always"], true).await;
    assert_snapshot!(always, @r"
    exit: 0
    --- stdout
    \u{1b}[1mID     \u{1b}[0m\u{1b}[1mNAME   \u{1b}[0m\u{1b}[1mWORKER_ID  \u{1b}[0m\u{1b}[1mSTATUS  \u{1b}[0m\u{1b}[1mREGION   \u{1b}[0m\u{1b}[1mLAST_HEARTBEAT\u{1b}[0m
    agt_1  gpu-1  wrk_9f3a   \u{1b}[38;5;10mactive  \u{1b}[39mus-east  2026-11-23 06:59:48 (12s ago)
    --- stderr
    ");
    // JSON is never coloured.
    let json_run = run_colour(&["agents", "--color", "always", "-o", "json"], false).await;
    assert_snapshot!(json_run, @r#"
    exit: 0
    --- stdout
    {
      "object": "list",
      "first_id": "agt_1",
      "last_id": "agt_1",
      "has_more": false,
      "data": [
        {
          "id": "agt_1",
          "object": "agent",
          "name": "gpu-1",
          "worker_id": "wrk_9f3a",
          "status": "active",
          "region": "us-east",
          "max_concurrent_requests": 8,
          "description": "H100 worker",
          "supported_tiers": [
            "priority",
            "default"
          ],
          "storage_limit_enabled": true,
          "storage_limit_bytes": 500000000000,
          "last_heartbeat_at": "2026-11-23T06:59:48Z",
          "created_at": "2026-11-01T10:00:00Z",
          "updated_at": "2026-11-20T10:00:00Z"
        }
      ]
    }
    --- stderr
    "#);
}

/// The CLICOLOR conventions: CLICOLOR_FORCE colours a pipe, NO_COLOR still
/// wins over it, and `--color never` wins over both.
#[tokio::test]
async fn clicolor_force_colours_a_pipe_unless_no_color_or_never() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents")
        .respond_with(json(200, page(vec![agent("agt_1", "gpu-1")], false)))
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let run_forced = |force: &'static str, no_color: bool, extra: &'static [&'static str]| {
        let mut cmd = env.cmd();
        cmd.env("CLICOLOR_FORCE", force);
        if !no_color {
            cmd.env_remove("NO_COLOR");
        }
        cmd.arg("agents").args(extra);
        run_blocking(cmd, None)
    };
    let run_with =
        |no_color: bool, extra: &'static [&'static str]| run_forced("1", no_color, extra);
    let forced = run_with(false, &[]).await;
    assert_snapshot!(forced, @r"
    exit: 0
    --- stdout
    \u{1b}[1mID     \u{1b}[0m\u{1b}[1mNAME   \u{1b}[0m\u{1b}[1mWORKER_ID  \u{1b}[0m\u{1b}[1mSTATUS  \u{1b}[0m\u{1b}[1mREGION   \u{1b}[0m\u{1b}[1mLAST_HEARTBEAT\u{1b}[0m
    agt_1  gpu-1  wrk_9f3a   \u{1b}[38;5;10mactive  \u{1b}[39mus-east  2026-11-23 06:59:48 (12s ago)
    --- stderr
    ");
    let plain = run_with(true, &[]).await;
    assert_snapshot!(plain, @"
    exit: 0
    --- stdout
    ID     NAME   WORKER_ID  STATUS  REGION   LAST_HEARTBEAT
    agt_1  gpu-1  wrk_9f3a   active  us-east  2026-11-23 06:59:48 (12s ago)
    --- stderr
    ");
    let never = run_with(false, &["--color", "never"]).await;
    assert_eq!(never.to_string(), plain.to_string());
    // Only a non-zero value forces: `CLICOLOR_FORCE=0` leaves a pipe plain.
    let zero = run_forced("0", false, &[]).await;
    assert_eq!(zero.to_string(), plain.to_string());
}

#[tokio::test]
async fn json_mode_stdout_is_one_json_document_for_every_action() {
    let server = MockServer::start().await;
    expect("GET", "/management/agents/agt_1")
        .respond_with(json(200, agent("agt_1", "gpu-1")))
        .mount(&server)
        .await;
    expect("GET", "/management/agents/agt_1/events")
        .respond_with(json(
            200,
            page(
                vec![event(
                    "evt_1",
                    "created",
                    json!(null),
                    "2026-11-23T06:00:00Z",
                )],
                false,
            ),
        ))
        .mount(&server)
        .await;
    expect("PATCH", "/management/agents/agt_1")
        .respond_with(json(200, agent("agt_1", "gpu-1")))
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    for args in [
        &["agents", "agt_1"][..],
        &["agents", "agt_1", "--events"][..],
        &["agents", "agt_1", "--update", "--name", "n"][..],
        &["agents", "agt_1", "--delete", "--dry-run"][..],
    ] {
        let mut all = args.to_vec();
        all.extend(["-o", "json"]);
        let run = env.run(&all).await;
        run.expect_code(0);
        let _ = run.json();
        assert!(run.stdout().ends_with("}\n"), "{args:?}: {}", run.stdout());
    }
}

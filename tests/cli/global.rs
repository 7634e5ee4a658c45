//! Global flags, environment variables and the config file: precedence,
//! configuration errors, exit codes, JSON mode, `-v` and colour.

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
    let run = env.run(&["agents"]).await;
    run.expect_code(0);
    assert!(run.stdout().starts_with("ID "), "{}", run.stdout());
    let run = env.run(&["agents", "-o", "json"]).await;
    run.expect_code(0);
    assert_eq!(run.json()["object"], "list");
    let run = env.run(&["--output=json", "agents"]).await;
    run.expect_code(0);
    assert_eq!(run.json()["object"], "list");

    let bad = Env::for_server(&server).env("XEROCTL_OUTPUT", "xml");
    forbid_all(&server).await;
    let run = bad.run(&["agents"]).await;
    run.expect_code(2);
    assert!(run.stderr().contains("XEROCTL_OUTPUT"), "{}", run.stderr());
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

    let env = Env::bare();
    let run = env.run(&["agents"]).await;
    run.expect_code(3);
    assert!(
        run.stderr().contains("no base URL is configured"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("xeroctl config add"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("XEROCTL_API_KEY"), "{}", run.stderr());

    let env = Env::new(Some(format!("{}/demo/v1", server.uri())), None);
    let run = env.run(&["agents", "agt_1", "--delete", "--force"]).await;
    run.expect_code(3);
    assert!(run.stderr().contains("no API key"), "{}", run.stderr());
    assert!(
        run.stderr().contains("xeroctl config add"),
        "{}",
        run.stderr()
    );

    let env = Env::bare();
    env.write_config(&config_text(&server));
    for args in [
        &["agents", "--context", "nope"][..],
        &["--context", "nope", "agents", "join-keys"][..],
    ] {
        let run = env.run(args).await;
        run.expect_code(3);
        assert!(
            run.stderr().contains("unknown context 'nope'"),
            "{}",
            run.stderr()
        );
        assert!(
            run.stderr().contains("known: cur, named"),
            "{}",
            run.stderr()
        );
        assert!(
            run.stderr().contains("xeroctl config add"),
            "{}",
            run.stderr()
        );
    }
    let run = env.env("XEROCTL_CONTEXT", "gone").run(&["agents"]).await;
    run.expect_code(3);
    assert!(
        run.stderr().contains("unknown context 'gone'"),
        "{}",
        run.stderr()
    );

    // Even flags for URL and key do not make an unknown named context fine.
    let env = Env::for_server(&server);
    let run = env.run(&["agents", "--context", "nope"]).await;
    run.expect_code(3);
    assert!(run.stderr().contains("no config file"), "{}", run.stderr());
    assert!(
        run.stderr().contains("xeroctl config add"),
        "{}",
        run.stderr()
    );

    let env = Env::bare();
    env.write_config(
        "current = \"ghost\"\n[deployment.cur]\nbase_url = \"https://x/p/v1\"\napi_key = \"k\"\n",
    );
    let run = env.run(&["agents"]).await;
    run.expect_code(3);
    assert!(run.stderr().contains("'ghost'"), "{}", run.stderr());
}

#[tokio::test]
async fn a_malformed_config_names_file_and_line_unless_env_is_enough() {
    let server = MockServer::start().await;
    let env = Env::bare();
    let path = env.write_config("current = \"cur\"\n[deployment.cur]\nbase_url = \n");
    let run = env.run(&["agents"]).await;
    run.expect_code(3);
    let err = run.stderr();
    assert!(
        err.contains(&format!("{}, line 3", path.display())),
        "{err}"
    );
    assert!(err.contains("XEROCTL_BASE_URL"), "{err}");
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
    for args in [
        &["agents"][..],
        &["agents", "--create", "--name", "x", "--dry-run"][..],
        &["agents", "join-keys", "--create"][..],
    ] {
        let run = env.run(args).await;
        run.expect_code(2);
        assert!(
            run.stderr().contains("refusing plain http://"),
            "{}",
            run.stderr()
        );
        assert!(run.stderr().contains("--insecure-http"), "{}", run.stderr());
    }
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
    for (status, code, exit) in cases {
        let id = format!("s{status}");
        let run = env.run(&["agents", &id, "-o", "json"]).await;
        run.expect_code(exit);
        assert_eq!(run.stdout(), "", "{status}");
        assert!(
            run.stderr().starts_with(&format!(
                "error: failed with {status} ({code}, request id req_test_1)\n"
            )),
            "{status}: {}",
            run.stderr()
        );
        run.assert_no_secret(&[]);
    }
}

#[tokio::test]
async fn help_and_version_go_to_stdout_with_exit_0() {
    let env = Env::bare();
    let run = env.run(&["--help"]).await;
    run.expect_code(0);
    assert!(run.stdout().contains("agents"), "{}", run.stdout());
    let run = env.run(&["agents", "--help"]).await;
    run.expect_code(0);
    assert!(run.stdout().contains("--create") && run.stdout().contains("join-keys"));
    let run = env.run(&["--version"]).await;
    run.expect_code(0);
    assert!(run.stdout().starts_with("xeroctl "), "{}", run.stdout());
    env.run(&["frobnicate"]).await.expect_code(2);
    env.run(&[]).await.expect_code(2);
    env.run(&["agents", "--request-timeout", "0"])
        .await
        .expect_code(2);
    env.run(&["agents", "--color", "sometimes"])
        .await
        .expect_code(2);
    env.run(&["agents", "-o", "xml"]).await.expect_code(2);
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
    assert_eq!(run.json()["data"][0]["id"], "agt_2");
    let err = run.stderr();
    assert!(
        err.contains(&format!(
            "> GET {}/demo/v1/management/agents?limit=2&after=agt_1 (authorization: Bearer [redacted])",
            server.uri()
        )),
        "{err}"
    );
    assert!(err.contains("< 200 in "), "{err}");
    assert!(err.contains("(request id req_test_1)"), "{err}");

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
    assert!(run.stderr().contains("< 404 in "), "{}", run.stderr());
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
    assert!(!plain.stdout().contains('\u{1b}'), "{}", plain.stdout());
    let auto = run_colour(&["agents"], false).await;
    assert!(!auto.stdout().contains('\u{1b}'), "{}", auto.stdout());
    let never = run_colour(&["agents", "--color", "never"], false).await;
    assert_eq!(never.stdout(), plain.stdout());
    // --color always wins over NO_COLOR: bold header, green status.
    let always = run_colour(&["agents", "--color", "always"], true).await;
    always.expect_code(0);
    assert!(
        always.stdout().contains("\u{1b}[1m"),
        "{:?}",
        always.stdout()
    );
    assert!(
        always.stdout().contains("\u{1b}[38;5;10m") || always.stdout().contains("\u{1b}[32m"),
        "{:?}",
        always.stdout()
    );
    // JSON is never coloured.
    let json_run = run_colour(&["agents", "--color", "always", "-o", "json"], false).await;
    assert_eq!(json_run.json()["data"][0]["id"], "agt_1");
    assert!(!json_run.stdout().contains('\u{1b}'));
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
    forced.expect_code(0);
    assert!(forced.stdout().contains('\u{1b}'), "{:?}", forced.stdout());
    assert!(!run_with(true, &[]).await.stdout().contains('\u{1b}'));
    assert!(!run_with(false, &["--color", "never"])
        .await
        .stdout()
        .contains('\u{1b}'));
    // Only a non-zero value forces: `CLICOLOR_FORCE=0` leaves a pipe plain.
    let zero = run_forced("0", false, &[]).await;
    zero.expect_code(0);
    assert!(!zero.stdout().contains('\u{1b}'), "{:?}", zero.stdout());
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

//! `config init` on a real pseudo-terminal (util-linux `script`): the name
//! prompt, and the check of the key before it is saved.

use wiremock::matchers::{any, query_param};
use wiremock::{Mock, MockServer};

use crate::support::*;

fn have_script() -> bool {
    let ok = std::path::Path::new("/usr/bin/script").exists();
    if !ok {
        eprintln!("skipped: no /usr/bin/script");
    }
    ok
}

/// `config init` on an 80×40 terminal: `name`, `url` and `key` typed at
/// the three prompts, then, `wait` seconds later, `after` (keys for any
/// question that follows). The transcript as the terminal showed it, `\r`
/// removed.
async fn init_on_tty(
    env: &Env,
    name: &str,
    url: &str,
    key: &str,
    (wait, after): (f32, &str),
) -> String {
    let script = format!(
        "(sleep 0.4; printf '{name}\\n'; sleep 0.3; printf '{url}\\n'; sleep 0.3; \
         printf '{key}\\n'; sleep {wait}; printf '{after}'; sleep 1.2) \
         | script -qec 'trap \"\" INT; stty cols 80 rows 40; \"$XEROCTL\" config init; echo status=$?' /dev/null"
    );
    let run = env.run_shell(&script).await;
    let out = run.stdout().replace('\r', "");
    assert!(!out.contains(KEY), "the key was echoed:\n{out}");
    out
}

/// The probes `xeroctl status` makes, answered as a router would for a key
/// holding these scopes (`None`: the key is rejected with a 401).
pub async fn router(scopes: Option<(bool, bool)>) -> MockServer {
    let server = MockServer::start().await;
    let Some((management, execution)) = scopes else {
        Mock::given(any())
            .respond_with(api_error(401, "invalid_api_key", "Invalid API key"))
            .mount(&server)
            .await;
        return server;
    };
    for (path, held, scope) in [
        ("/management/agents", management, "management"),
        ("/exec/tools", execution, "execution"),
    ] {
        let answer = if held {
            json(200, page(vec![], false))
        } else {
            api_error(
                403,
                "scope_insufficient",
                &format!("API key lacks the {scope} scope"),
            )
        };
        expect("GET", path)
            .and(query_param("limit", "1"))
            .respond_with(answer)
            .expect(1)
            .mount(&server)
            .await;
    }
    server
}

/// The transcript from the key prompt on, without colour codes.
fn after_key_prompt(out: &str) -> String {
    let from = out.rfind("API key (hidden): [hidden]").expect("key prompt");
    let plain = strip_ansi(&out[from..]);
    plain.lines().skip(1).collect::<Vec<_>>().join("\n")
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// The name prompt offers `default` as the default value, not as editable
/// text: typing `lab` saves `lab` (it used to save `defaultlab`), and an
/// empty answer takes `default`.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn the_name_prompt_takes_what_is_typed_or_the_default() {
    if !have_script() {
        return;
    }
    for (typed, saved) in [("lab", "lab"), ("", "default")] {
        let server = router(Some((true, true))).await;
        let url = format!("{}/{PROJECT}/v1", server.uri());
        let env = Env::bare();
        let out = init_on_tty(&env, typed, &url, KEY, (1.2, "")).await;
        assert!(out.contains("Name for this deployment"), "{out}");
        assert!(out.contains("status=0"), "{out}");
        let config = std::fs::read_to_string(env.config_path()).expect("config saved");
        assert!(
            config.contains(&format!("[deployment.{saved}]")),
            "typed {typed:?}:\n{config}"
        );
        assert!(!config.contains("defaultlab"), "{config}");
    }
}

/// A key the router accepts is saved without a question, and the scopes it
/// holds are named (the probes of `xeroctl status`, one request each).
#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_good_key_is_checked_then_saved_with_its_scopes_named() {
    if !have_script() {
        return;
    }
    let server = router(Some((true, true))).await;
    let url = format!("{}/{PROJECT}/v1", server.uri());
    let env = Env::bare();
    let out = init_on_tty(&env, "lab", &url, KEY, (1.2, "")).await;
    let config_path = env.config_path().display().to_string();
    assert_eq!(
        after_key_prompt(&out),
        format!(
            "Checking the key…\n\
             key accepted; scopes: management, execution\n\
             Added deployment 'lab' ({url}) in {config_path}.\n\
             'lab' is now the current context.\n\
             warning: no usable keychain (keychain use is off (XEROCTL_KEYCHAIN=none)): the API key is saved in clear text in {config_path} (mode 0600)\n\
             status=0"
        ),
        "{out}"
    );
    let config = std::fs::read_to_string(env.config_path()).expect("config saved");
    assert!(config.contains(KEY), "{config}");
}

/// A key holding one scope is a real key: saved, with a warning saying
/// what it cannot do, and no question.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_key_missing_a_scope_is_saved_with_a_warning() {
    if !have_script() {
        return;
    }
    let server = router(Some((true, false))).await;
    let url = format!("{}/{PROJECT}/v1", server.uri());
    let env = Env::bare();
    let out = init_on_tty(&env, "lab", &url, KEY, (1.2, "")).await;
    let shown = after_key_prompt(&out);
    assert!(
        shown.starts_with(
            "Checking the key…\n\
             key accepted; scopes: management\n\
             warning: the key lacks the execution scope; exec and approvals will be refused\n"
        ),
        "{shown}"
    );
    assert!(!shown.contains("Save anyway"), "{shown}");
    assert!(shown.ends_with("status=0"), "{shown}");
    assert!(env.config_path().exists());
}

/// A rejected key is not saved silently: the user is asked (default No).
/// No (or Enter) writes nothing and exits 2; yes saves it.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_rejected_key_is_saved_only_when_the_user_says_so() {
    if !have_script() {
        return;
    }
    let server = router(None).await;
    let url = format!("{}/{PROJECT}/v1", server.uri());
    for answer in ["\\n", "n\\n"] {
        let env = Env::bare();
        let out = init_on_tty(&env, "lab", &url, KEY, (1.2, answer)).await;
        assert_eq!(
            after_key_prompt(&out),
            "Checking the key…\n\
             warning: key rejected: Invalid API key (invalid_api_key, request id req_test_1)\n\
             hint: check the key you pasted: keys look like xero_<project>_<token>, from the Xerotier console\n\
             Save anyway? [y/N] Save anyway? no\n\
             error: aborted: nothing was saved\n\
             hint: run `xeroctl config init` again with the right base URL and key\n\
             status=2",
            "answer {answer:?}: {out}"
        );
        assert!(
            !env.config_dir().exists(),
            "nothing may be written (answer {answer:?})"
        );
    }
    let env = Env::bare();
    let out = init_on_tty(&env, "lab", &url, KEY, (1.2, "y\\n")).await;
    assert!(out.contains("Save anyway? yes"), "{out}");
    assert!(out.contains("status=0"), "{out}");
    let config = std::fs::read_to_string(env.config_path()).expect("saved when asked to");
    assert!(config.contains("[deployment.lab]"), "{config}");
}

/// An unreachable router asks too; Ctrl+C at that question ends the run
/// (exit 130) with nothing saved.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn ctrl_c_at_save_anyway_saves_nothing() {
    if !have_script() {
        return;
    }
    let env = Env::bare();
    let out = init_on_tty(&env, "lab", &dead_address(), KEY, (4.0, "\\003")).await;
    let shown = after_key_prompt(&out);
    assert!(
        shown.starts_with("Checking the key…\nwarning: router unreachable: could not connect to"),
        "{shown}"
    );
    assert!(shown.contains("\nSave anyway? [y/N] \n"), "{shown:?}");
    assert!(
        shown.ends_with("\nerror: interrupted\nstatus=130"),
        "{shown:?}"
    );
    assert!(out.contains("\u{1b}[?25h"), "cursor not shown: {out:?}");
    assert!(!env.config_dir().exists(), "nothing may be written");
}

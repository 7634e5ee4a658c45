//! `config init` on a real pseudo-terminal (util-linux `script`).

use crate::support::*;

/// The name prompt offers `default` as the default value, not as editable
/// text: typing `lab` saves `lab` (it used to save `defaultlab`), and an
/// empty answer takes `default`.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn the_name_prompt_takes_what_is_typed_or_the_default() {
    if !std::path::Path::new("/usr/bin/script").exists() {
        eprintln!("skipped: no /usr/bin/script");
        return;
    }
    for (typed, saved) in [("lab", "lab"), ("", "default")] {
        let env = Env::bare();
        let script = format!(
            "(sleep 0.4; printf '{typed}\\n'; sleep 0.3; printf 'http://127.0.0.1:8787/demo/v1\\n'; sleep 0.3; \
             printf 'xero_demo_sandbox0000000000000000\\n'; sleep 1.5) \
             | script -qec '\"$XEROCTL\" config init; echo status=$?' /dev/null"
        );
        let run = env.run_shell(&script).await;
        let out = run.stdout();
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

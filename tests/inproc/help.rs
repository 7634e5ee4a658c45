//! One snapshot of the whole `--help` tree: any change to any command's
//! help text shows up in review.

use crate::support::Harness;

fn paths(command: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
    for sub in command.get_subcommands() {
        let mut path = prefix.to_vec();
        path.push(sub.get_name().to_string());
        out.push(path.clone());
        paths(sub, &path, out);
    }
}

#[tokio::test]
async fn the_help_tree() {
    let server = wiremock::MockServer::start().await;
    let h = Harness::new(&server);
    let mut all = Vec::new();
    paths(&xeroctl::command(), &[], &mut all);
    let mut text = String::new();
    let top = h.run(&["--help"]).await;
    text.push_str(&format!("$ xeroctl --help\n{top}\n"));
    for path in all {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let run = h.run(&args).await;
        assert_eq!(run.code, 0, "{}: {run}", path.join(" "));
        text.push_str(&format!("$ xeroctl {}\n{run}\n", args.join(" ")));
    }
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn version_fast_path_prints_what_clap_prints() {
    let server = wiremock::MockServer::start().await;
    let h = Harness::new(&server);
    let clap_text = xeroctl::command().render_version().to_string();
    for flag in ["--version", "-V"] {
        let run = h.run(&[flag]).await;
        assert_eq!(run.code, 0);
        assert_eq!(run.stdout, clap_text, "{flag}");
    }
    // Anything more goes through clap as before.
    let run = h.run(&["agents", "--version"]).await;
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.starts_with("xeroctl"), "{run}");
}

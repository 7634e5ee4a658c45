//! The config file on a shared machine (Unix): writes never reuse or
//! follow a planted temp file, the file and its folder must belong to the
//! user and not be writable by others, concurrent writers all land, and a
//! failed write says truthfully what was left behind.

use insta::assert_snapshot;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::support::*;

const PROD_KEY: &str = "xero_acme-prod_abcdefghijklmnopqrstuvwxyz";
const PROD_URL: &str = "https://api.xerotier.ai/acme-prod/v1";
const ORIGINAL: &str = "current = \"lab\"\n[deployment.lab]\nbase_url = \"http://127.0.0.1:9/demo/v1\"\napi_key = \"xero_demo_labkey\"\n";

/// Config commands ignore the connection variables: set them to a dead
/// address so nothing could be sent anyway.
fn env() -> Env {
    Env::new(
        Some("http://127.0.0.1:9/never/v1".into()),
        Some("xero_never_usedusedusedusedused".into()),
    )
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

fn chmod(p: &Path, mode: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

const ADD: [&str; 7] = [
    "config",
    "add",
    "prod",
    "--base-url",
    PROD_URL,
    "--api-key",
    PROD_KEY,
];

/// Names a writer of `config.toml` could plausibly pick for its temp file.
fn plausible_temp_names() -> Vec<&'static str> {
    vec![
        ".config.toml.tmp",
        "config.toml.tmp",
        ".config.toml.new",
        "config.toml.new",
        ".config.toml.swp",
        "config.toml~",
        ".config.toml.000000",
        ".config.toml.aaaaaa",
        ".config.toml.XXXXXX",
    ]
}

/// Dot-files left next to the config (temp files must never be).
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".config.toml"))
        .collect()
}

#[tokio::test]
async fn config_write_never_follows_a_planted_symlink() {
    let env = env();
    let path = env.write_config(ORIGINAL);
    let dir = env.config_dir();
    let bait = env.home.path().join("bait");
    std::fs::write(&bait, "bait\n").unwrap();
    for name in plausible_temp_names() {
        std::os::unix::fs::symlink(&bait, dir.join(name)).unwrap();
    }
    // And one that keeps coming back: a writer that checks for a symlink
    // and then opens the name would follow it.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let planter = {
        let (stop, bait, at) = (stop.clone(), bait.clone(), dir.join(".config.toml.tmp"));
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = std::os::unix::fs::symlink(&bait, &at);
            }
        })
    };
    for i in 0..10 {
        let name = format!("p{i}");
        let mut args = ADD.to_vec();
        args[2] = &name;
        env.run(&args).await.expect_code(0);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    planter.join().unwrap();
    assert_eq!(read(&bait), "bait\n", "a write went through a symlink");
    for name in plausible_temp_names() {
        let link = dir.join(name);
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink(),
            "{name} was replaced"
        );
    }
    assert!(
        !std::fs::symlink_metadata(&path)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the config became a symlink"
    );
    let text = read(&path);
    assert!(text.contains("[deployment.p9]"), "{text}");
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[tokio::test]
async fn config_write_never_reuses_a_planted_temp_file() {
    use std::io::Read;
    let env = env();
    let path = env.write_config(ORIGINAL);
    let dir = env.config_dir();
    // Another user who could once write the folder left world-readable
    // files at the likely temp names and keeps them open for reading.
    let mut held = Vec::new();
    for name in plausible_temp_names() {
        let planted = dir.join(name);
        std::fs::write(&planted, "planted\n").unwrap();
        chmod(&planted, 0o666);
        held.push((name, std::fs::File::open(&planted).unwrap()));
    }
    env.run(&ADD)
        .await
        .expect_code(0)
        .assert_no_secret(&[PROD_KEY]);
    for (name, mut file) in held {
        let mut seen = String::new();
        file.read_to_string(&mut seen).unwrap();
        assert!(!seen.contains(PROD_KEY), "the key was written into {name}");
        assert_eq!(seen, "planted\n", "{name} was rewritten");
        assert_eq!(read(&dir.join(name)), "planted\n", "{name}");
    }
    assert!(read(&path).contains(PROD_KEY));
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

/// Every way the config is used: reads with the URL and key only from the
/// file, and writes.
fn users() -> Vec<Vec<&'static str>> {
    vec![
        vec!["agents"],
        vec!["status"],
        vec!["config", "list"],
        vec!["config", "show"],
        ADD.to_vec(),
        vec!["config", "use", "lab"],
        vec!["config", "remove", "lab"],
    ]
}

/// Run every user of the config: each must refuse with exit 3 and the same
/// message (naming the culprit and the fix: the caller's snapshot), sending
/// nothing and leaving the file as it was. Returns that message under
/// `# what`, normalised.
async fn refused(env: &Env, what: &str) -> String {
    let mut first: Option<String> = None;
    for args in users() {
        // No XEROCTL_* connection variables: the reads need the file.
        let mut cmd = env.cmd();
        cmd.env_remove("XEROCTL_BASE_URL")
            .env_remove("XEROCTL_API_KEY")
            .args(&args);
        let run = run_blocking(cmd, None).await;
        run.expect_code(3).assert_no_secret(&[PROD_KEY]);
        assert_eq!(run.stdout(), "", "{what} {args:?}");
        let err = run.stderr();
        match &first {
            None => first = Some(err),
            Some(seen) => assert_eq!(&err, seen, "{what} {args:?}"),
        }
    }
    format!("# {what}\n{}", normalise(&first.unwrap_or_default()))
}

#[tokio::test]
async fn a_config_folder_writable_by_others_is_refused() {
    let env = env();
    let path = env.write_config(ORIGINAL);
    let dir = env.config_dir();
    let mut shown = String::new();
    for mode in [0o770, 0o707, 0o777, 0o1777, 0o720] {
        chmod(&dir, mode);
        shown.push_str(&refused(&env, &format!("folder {mode:o}")).await);
        assert_eq!(read(&path), ORIGINAL);
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
    }
    assert_snapshot!(shown, @"
    # folder 770
    error: refusing to use the config folder [tmp]/xdg/xeroctl: other users can write to it (mode 770) and could swap the file
    hint: run `chmod go-w [tmp]/xdg/xeroctl`
    # folder 707
    error: refusing to use the config folder [tmp]/xdg/xeroctl: other users can write to it (mode 707) and could swap the file
    hint: run `chmod go-w [tmp]/xdg/xeroctl`
    # folder 777
    error: refusing to use the config folder [tmp]/xdg/xeroctl: other users can write to it (mode 777) and could swap the file
    hint: run `chmod go-w [tmp]/xdg/xeroctl`
    # folder 1777
    error: refusing to use the config folder [tmp]/xdg/xeroctl: other users can write to it (mode 1777) and could swap the file
    hint: run `chmod go-w [tmp]/xdg/xeroctl`
    # folder 720
    error: refusing to use the config folder [tmp]/xdg/xeroctl: other users can write to it (mode 720) and could swap the file
    hint: run `chmod go-w [tmp]/xdg/xeroctl`
    ");
    // Readable by others is fine for the folder.
    chmod(&dir, 0o755);
    env.run(&["config", "use", "lab"]).await.expect_code(0);
}

#[tokio::test]
async fn a_config_file_writable_by_others_is_refused() {
    let env = env();
    let path = env.write_config(ORIGINAL);
    let mut shown = String::new();
    for mode in [0o620, 0o602, 0o666, 0o622] {
        chmod(&path, mode);
        shown.push_str(&refused(&env, &format!("file {mode:o}")).await);
        assert_eq!(read(&path), ORIGINAL);
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            mode
        );
    }
    assert_snapshot!(shown, @"
    # file 620
    error: refusing to use the config file [tmp]/xdg/xeroctl/config.toml: other users can write to it (mode 620) and could change where your key is sent
    hint: run `chmod 600 [tmp]/xdg/xeroctl/config.toml`
    # file 602
    error: refusing to use the config file [tmp]/xdg/xeroctl/config.toml: other users can write to it (mode 602) and could change where your key is sent
    hint: run `chmod 600 [tmp]/xdg/xeroctl/config.toml`
    # file 666
    error: refusing to use the config file [tmp]/xdg/xeroctl/config.toml: other users can write to it (mode 666) and could change where your key is sent
    hint: run `chmod 600 [tmp]/xdg/xeroctl/config.toml`
    # file 622
    error: refusing to use the config file [tmp]/xdg/xeroctl/config.toml: other users can write to it (mode 622) and could change where your key is sent
    hint: run `chmod 600 [tmp]/xdg/xeroctl/config.toml`
    ");
}

#[tokio::test]
async fn a_symlinked_config_is_checked_at_its_target() {
    let env = env();
    let path = env.config_path();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    chmod(&env.config_dir(), 0o700);
    let dotfiles = env.home.path().join("dotfiles");
    std::fs::create_dir(&dotfiles).unwrap();
    let target = dotfiles.join("xeroctl.toml");
    std::fs::write(&target, ORIGINAL).unwrap();
    chmod(&target, 0o600);
    std::os::unix::fs::symlink(&target, &path).unwrap();
    chmod(&dotfiles, 0o777);
    let mut shown = refused(&env, "target folder 777").await;
    assert_eq!(read(&target), ORIGINAL);
    chmod(&dotfiles, 0o700);
    chmod(&target, 0o646);
    shown.push_str(&refused(&env, "target file 646").await);
    assert_snapshot!(shown, @"
    # target folder 777
    error: refusing to use the config folder [tmp]/dotfiles: other users can write to it (mode 777) and could swap the file
    hint: run `chmod go-w [tmp]/dotfiles`
    # target file 646
    error: refusing to use the config file [tmp]/dotfiles/xeroctl.toml: other users can write to it (mode 646) and could change where your key is sent
    hint: run `chmod 600 [tmp]/dotfiles/xeroctl.toml`
    ");
    chmod(&target, 0o600);
    // All private: the write lands at the target and the link survives.
    env.run(&ADD).await.expect_code(0);
    assert!(std::fs::symlink_metadata(&path)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(read(&target).contains("[deployment.prod]"));
}

/// `chown` to `nobody`; `false` (with a note) when this user may not.
fn chown_to_nobody(p: &Path) -> bool {
    match std::os::unix::fs::chown(p, Some(65534), None) {
        Ok(()) => true,
        Err(e) => {
            eprintln!(
                "skipped: cannot chown {} to uid 65534 ({e}); run as root to cover this",
                p.display()
            );
            false
        }
    }
}

fn chown_back(env: &Env, p: &Path) {
    use std::os::unix::fs::MetadataExt;
    // The test's own temp HOME belongs to this (effective) user.
    let me = std::fs::metadata(env.home.path()).unwrap().uid();
    std::os::unix::fs::chown(p, Some(me), None).unwrap();
}

#[tokio::test]
async fn a_config_owned_by_another_user_is_refused() {
    let env = env();
    let path = env.write_config(ORIGINAL);
    let dir = env.config_dir();
    if !chown_to_nobody(&dir) {
        return;
    }
    let mut shown = refused(&env, "folder of another user").await;
    chown_back(&env, &dir);
    assert!(chown_to_nobody(&path));
    shown.push_str(&refused(&env, "file of another user").await);
    assert_snapshot!(shown, @"
    # folder of another user
    error: refusing to use the config folder [tmp]/xdg/xeroctl: it belongs to another user (uid 65534; you are uid 0)
    hint: move the config to a folder you own (set XDG_CONFIG_HOME), or have [tmp]/xdg/xeroctl handed to you with `chown`
    # file of another user
    error: refusing to use the config file [tmp]/xdg/xeroctl/config.toml: it belongs to another user (uid 65534; you are uid 0)
    hint: check what it says, then replace it with a copy you own: `cp [tmp]/xdg/xeroctl/config.toml [tmp]/xdg/xeroctl/config.toml.new && mv [tmp]/xdg/xeroctl/config.toml.new [tmp]/xdg/xeroctl/config.toml`
    ");
    assert_eq!(read(&path), ORIGINAL);
    chown_back(&env, &path);
    env.run(&ADD).await.expect_code(0);
}

#[tokio::test]
async fn a_missing_config_folder_is_created_private() {
    let env = env();
    env.run(&ADD).await.expect_code(0);
    for dir in [env.config_dir(), env.home.path().join("xdg")] {
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{}", dir.display());
    }
}

#[tokio::test]
async fn twelve_concurrent_adds_all_land() {
    let env = env();
    let names: Vec<String> = (1..=12).map(|i| format!("ctx{i}")).collect();
    let keys: Vec<String> = (1..=12)
        .map(|i| format!("xero_p_k{i}abcdefghijklmnopqrstuvwxyz"))
        .collect();
    let runs = futures_util::future::join_all(names.iter().zip(&keys).map(|(name, key)| {
        let env = &env;
        async move {
            env.run(&[
                "config",
                "add",
                name,
                "--base-url",
                "http://127.0.0.1:1/p/v1",
                "--api-key",
                key,
            ])
            .await
        }
    }))
    .await;
    for run in &runs {
        run.expect_code(0);
    }
    let text = read(&env.config_path());
    let parsed: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}:\n{text}"));
    let deployments = parsed["deployment"].as_table().unwrap();
    for (name, key) in names.iter().zip(&keys) {
        assert_eq!(
            deployments[name.as_str()]["api_key"].as_str(),
            Some(key.as_str()),
            "{name} lost:\n{text}"
        );
    }
    assert_eq!(deployments.len(), 12, "{text}");
    // Exactly one of them was first, and became current.
    let current = parsed["current"].as_str().unwrap();
    assert!(names.iter().any(|n| n == current), "{text}");
    let firsts = runs
        .iter()
        .filter(|r| r.stderr().contains("is now the current context"))
        .count();
    assert_eq!(firsts, 1);
    assert!(leftovers(&env.config_dir()).is_empty());
}

#[tokio::test]
async fn a_symlink_at_the_lock_path_is_never_followed() {
    let env = env();
    let path = env.write_config(ORIGINAL);
    let bait = env.home.path().join("bait");
    std::fs::write(&bait, "bait\n").unwrap();
    chmod(&bait, 0o644);
    let lock = env.config_dir().join("config.toml.lock");
    std::os::unix::fs::symlink(&bait, &lock).unwrap();
    let run = env.run(&ADD).await;
    run.assert_no_secret(&[PROD_KEY]);
    assert_snapshot!(run, @"
    exit: 3
    --- stdout
    --- stderr
    error: refusing to use the lock file [tmp]/xdg/xeroctl/config.toml.lock: it is a symbolic link
    hint: remove it (`rm [tmp]/xdg/xeroctl/config.toml.lock`); xeroctl creates it again
    ");
    assert_eq!(read(&bait), "bait\n");
    assert_eq!(
        std::fs::metadata(&bait).unwrap().permissions().mode() & 0o777,
        0o644
    );
    assert_eq!(read(&path), ORIGINAL);
}

/// Run a command where no file can grow past 0 bytes (`ulimit -f 0`,
/// with SIGXFSZ ignored so the write fails with EFBIG, even for root).
async fn run_where_writes_fail(env: &Env, args: &str) -> Run {
    env.run_shell(&format!("trap '' XFSZ; ulimit -f 0; \"$XEROCTL\" {args}"))
        .await
}

#[tokio::test]
async fn a_failed_write_over_a_file_says_it_is_unchanged() {
    let env = env();
    let path = env.write_config(ORIGINAL);
    let run = run_where_writes_fail(&env, &ADD.join(" ")).await;
    run.assert_no_secret(&[PROD_KEY]);
    assert_snapshot!(run, @"
    exit: 1
    --- stdout
    --- stderr
    error: could not write config file [tmp]/xdg/xeroctl/config.toml: File too large (os error 27)
    hint: the previous file was left unchanged; check the directory's permissions and free space
    ");
    assert_eq!(read(&path), ORIGINAL);
    assert!(leftovers(&env.config_dir()).is_empty());
}

#[tokio::test]
async fn a_failed_first_write_does_not_claim_a_previous_file() {
    let env = env();
    let run = run_where_writes_fail(&env, &ADD.join(" ")).await;
    run.assert_no_secret(&[PROD_KEY]);
    assert_snapshot!(run, @"
    exit: 1
    --- stdout
    --- stderr
    error: could not write config file [tmp]/xdg/xeroctl/config.toml: File too large (os error 27)
    hint: no config file was created; check the directory's permissions and free space
    ");
    assert!(!env.config_path().exists());
    let dir: PathBuf = env.config_dir();
    if dir.exists() {
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
    }
}

/// Moved from config.rs (it planted a directory at the old fixed temp
/// name to make writes fail; with random names it now uses `ulimit`).
#[tokio::test]
async fn a_failed_write_leaves_the_old_file_intact() {
    let env = env();
    let original = format!(
        "{ORIGINAL}[deployment.lab2]\nbase_url = \"http://127.0.0.1:8787/demo/v1\"\napi_key = \"xero_demo_labkey\"\n"
    );
    let path = env.write_config(&original);
    let run = run_where_writes_fail(&env, &ADD.join(" ")).await;
    run.expect_code(1).assert_no_secret(&[PROD_KEY]);
    let mut runs = Transcript::default();
    runs.add(&ADD, &run);
    assert_eq!(read(&path), original);
    // `config use lab`: already current, nothing to write.
    for args in [
        "config use lab",
        "config use lab2",
        "config remove lab",
        "config remove lab2",
    ] {
        runs.add(&[args], &run_where_writes_fail(&env, args).await);
    }
    assert_snapshot!(runs, @"
    $ config add prod --base-url https://api.xerotier.ai/acme-prod/v1 --api-key xero_acme-prod_abcdefghijklmnopqrstuvwxyz
    exit: 1
    --- stdout
    --- stderr
    error: could not write config file [tmp]/xdg/xeroctl/config.toml: File too large (os error 27)
    hint: the previous file was left unchanged; check the directory's permissions and free space

    $ config use lab
    exit: 0
    --- stdout
    --- stderr
    'lab' is already the current context.

    $ config use lab2
    exit: 1
    --- stdout
    --- stderr
    error: could not write config file [tmp]/xdg/xeroctl/config.toml: File too large (os error 27)
    hint: the previous file was left unchanged; check the directory's permissions and free space

    $ config remove lab
    exit: 1
    --- stdout
    --- stderr
    error: could not write config file [tmp]/xdg/xeroctl/config.toml: File too large (os error 27)
    hint: the previous file was left unchanged; check the directory's permissions and free space

    $ config remove lab2
    exit: 1
    --- stdout
    --- stderr
    error: could not write config file [tmp]/xdg/xeroctl/config.toml: File too large (os error 27)
    hint: the previous file was left unchanged; check the directory's permissions and free space
    ");
    assert_eq!(read(&path), original);
    assert!(leftovers(&env.config_dir()).is_empty());
}

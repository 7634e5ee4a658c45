//! `exec list`, `exec show` and `exec raw`.

use insta::assert_snapshot;
use wiremock::matchers::query_param;
use wiremock::{MockServer, ResponseTemplate};

use super::{execution, EXE};
use crate::support::*;

/// Not UTF-8, with NULs and a gzip header: must arrive byte for byte.
const RAW: &[u8] = &[0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00, b'\n'];

#[tokio::test]
async fn list_sends_status_and_paging_and_prints_the_columns() {
    let server = MockServer::start().await;
    expect("GET", "/exec/executions")
        .and(query_param("status", "failed"))
        .and(query_param("limit", "5"))
        .and(query_param("after", "exe_0"))
        .respond_with(json(200, page(vec![execution(EXE, "failed")], false)))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&[
            "exec", "list", "--status", "failed", "--limit", "5", "--after", "exe_0",
        ])
        .await;
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    ID                                    INVOCATION                            STATUS  EXIT_CODE  CREATED
    7d2e4a91-0b3c-4f5a-8e1d-9c4b3a2f1e08  5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10  failed  0          2026-11-23 06:50:00
    --- stderr
    ");
}

#[tokio::test]
async fn list_all_json_keeps_one_envelope() {
    let server = MockServer::start().await;
    expect("GET", "/exec/executions")
        .and(query_param("after", "exe_1"))
        .respond_with(json(
            200,
            page(vec![execution("exe_2", "completed")], false),
        ))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/exec/executions")
        .respond_with(json(200, page(vec![execution("exe_1", "completed")], true)))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server)
        .run(&["exec", "list", "--all", "-o", "json"])
        .await;
    run.expect_code(0);
    let v = run.json();
    assert_eq!(v["data"][1]["id"], "exe_2");
    assert_eq!(v["has_more"], false);
}

#[tokio::test]
async fn list_rejects_an_unknown_status() {
    let server = MockServer::start().await;
    forbid_all(&server).await;
    let run = Env::for_server(&server)
        .run(&["exec", "list", "--status", "done"])
        .await;
    assert_snapshot!(run, @"
    exit: 2
    --- stdout
    --- stderr
    error: invalid value 'done' for '--status <STATUS>'
    hint: possible values: running, completed, failed, cancelled, timeout; see `xeroctl exec list --help`
    ");
}

#[tokio::test]
async fn show_prints_the_detail_view() {
    let server = MockServer::start().await;
    expect("GET", &format!("/exec/executions/{EXE}"))
        .respond_with(json(200, execution(EXE, "completed")))
        .expect(2)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let run = env.run(&["exec", "show", EXE]).await;
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    ID:          7d2e4a91-0b3c-4f5a-8e1d-9c4b3a2f1e08
    Invocation:  5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10
    Tool:        kubectl_get
    Workspace:   ws_a1b2c3d4
    Agent:       agt_7Hq2
    Status:      completed
    Exit code:   0
    Duration:    1.84s
    Output size: 5.3 kB (5321 bytes)
    Created:     2026-11-23 06:50:00
    Completed:   2026-11-23 06:50:02
    --- stderr
    hint: raw output: xeroctl exec raw 7d2e4a91-0b3c-4f5a-8e1d-9c4b3a2f1e08
    ");
    let run = env.run(&["exec", "show", EXE, "-o", "json"]).await;
    run.expect_code(0);
    assert_eq!(run.json(), execution(EXE, "completed"));
}

#[tokio::test]
async fn show_unknown_exits_4() {
    let server = MockServer::start().await;
    expect("GET", "/exec/executions/nope")
        .respond_with(api_error(
            404,
            "execution_not_found",
            "Execution nope not found",
        ))
        .expect(1)
        .mount(&server)
        .await;
    Env::for_server(&server)
        .run(&["exec", "show", "nope"])
        .await
        .expect_code(4);
}

async fn mount_raw(server: &MockServer, times: u64) {
    expect("GET", &format!("/exec/executions/{EXE}/raw"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req_raw")
                .set_body_raw(RAW.to_vec(), "application/octet-stream"),
        )
        .expect(times)
        .mount(server)
        .await;
}

#[tokio::test]
async fn raw_writes_the_bytes_exactly_as_received() {
    let server = MockServer::start().await;
    mount_raw(&server, 2).await;
    let env = Env::for_server(&server);
    let run = env.run(&["exec", "raw", EXE]).await;
    run.expect_code(0);
    assert_eq!(run.0.stdout, RAW);
    // -o json does not turn the bytes into JSON.
    let run = env.run(&["exec", "raw", EXE, "-o", "json"]).await;
    run.expect_code(0);
    assert_eq!(run.0.stdout, RAW);
}

#[tokio::test]
async fn raw_out_writes_the_file_and_leaves_no_temp_file() {
    let server = MockServer::start().await;
    mount_raw(&server, 1).await;
    let env = Env::for_server(&server);
    let dir = env.home.path().join("downloads");
    std::fs::create_dir_all(&dir).unwrap();
    let target = dir.join("bundle.gz");
    std::fs::write(&target, b"old content").unwrap();
    let run = env
        .run(&["exec", "raw", EXE, "--out", target.to_str().unwrap()])
        .await;
    run.expect_code(0);
    assert!(run.0.stdout.is_empty(), "nothing on stdout");
    assert_eq!(std::fs::read(&target).unwrap(), RAW);
    assert_snapshot!(run, @"
    exit: 0
    --- stdout
    --- stderr
    Wrote 8 bytes to [tmp]/downloads/bundle.gz.
    ");
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[tokio::test]
async fn raw_failure_leaves_the_target_untouched() {
    let server = MockServer::start().await;
    expect("GET", &format!("/exec/executions/{EXE}/raw"))
        .respond_with(api_error(404, "execution_not_found", "Execution not found"))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::for_server(&server);
    let target = env.home.path().join("out.bin");
    let run = env
        .run(&["exec", "raw", EXE, "--out", target.to_str().unwrap()])
        .await;
    run.expect_code(4);
    assert!(!target.exists());
    let leftovers: Vec<_> = std::fs::read_dir(env.home.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("out.bin"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[tokio::test]
async fn raw_of_a_running_execution_hints_at_watch() {
    let server = MockServer::start().await;
    expect("GET", &format!("/exec/executions/{EXE}/raw"))
        .respond_with(api_error(
            409,
            "execution_not_complete",
            "Execution is still running",
        ))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", &format!("/exec/executions/{EXE}"))
        .respond_with(json(200, execution(EXE, "running")))
        .expect(1)
        .mount(&server)
        .await;
    let run = Env::for_server(&server).run(&["exec", "raw", EXE]).await;
    assert_snapshot!(run, @"
    exit: 5
    --- stdout
    --- stderr
    error: Execution is still running (execution_not_complete, request id req_test_1)
    hint: the execution is still running: wait with `xeroctl exec watch 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10`, then run raw again
    ");
}

/// `exec raw` with stdout on a real pseudo-terminal (util-linux `script`):
/// valid UTF-8 text is written; a payload holding anything that can drive
/// the terminal is refused before a single byte is written, with a hint
/// naming `--out` and the execution's own id. Security finding 7.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn raw_on_a_terminal_writes_text_and_refuses_what_could_drive_it() {
    if !std::path::Path::new("/usr/bin/script").exists() {
        eprintln!("skipped: no /usr/bin/script");
        return;
    }
    // Plain text, then a screen clear after what the first chunks carry.
    let mut late = "plain line\n".repeat(30_000).into_bytes();
    late.extend_from_slice(b"\x1b[2J");
    let text = "\u{11b}\u{21b} caf\u{e9} \u{2713}\tcol\nline two\n";
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("exe_text", text.as_bytes().to_vec()),
        ("exe_esc", b"\x1b[2Jcleared".to_vec()),
        ("exe_c1_raw", b"a\x9b2Jb".to_vec()),
        ("exe_osc_utf8", "\u{9d}0;title\u{9c}x".as_bytes().to_vec()),
        ("exe_dcs_raw", b"\x90qpayload\x9c".to_vec()),
        ("exe_cr", b"rm -rf ~\rls -l   ".to_vec()),
        ("exe_bs", b"abc\x08\x08x".to_vec()),
        ("exe_bel", b"ding\x07".to_vec()),
        ("exe_so", b"\x0eshifted".to_vec()),
        ("exe_nul", b"nul\x00".to_vec()),
        ("exe_del", b"del\x7f".to_vec()),
        ("exe_bidi", "evil\u{202E}txt.exe".as_bytes().to_vec()),
        ("exe_not_utf8", b"\xff\xfe text".to_vec()),
        ("exe_late", late),
        ("exe_huge", vec![b'a'; 8 * 1024 * 1024 + 1]),
    ];
    let server = MockServer::start().await;
    for (id, body) in &cases {
        expect("GET", &format!("/exec/executions/{id}/raw"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "text/plain"))
            .expect(1)
            .mount(&server)
            .await;
    }
    let env = Env::for_server(&server);
    let ids: Vec<&str> = cases.iter().map(|(id, _)| *id).collect();
    let script = env.home.path().join("raw.sh");
    std::fs::write(
        &script,
        format!(
            "for id in {}; do printf '<<%s>>' \"$id\"; \"$XEROCTL\" exec raw \"$id\" 2>\"$HOME/$id.err\"; printf '<<status=%s>>' \"$?\"; done\n",
            ids.join(" ")
        ),
    )
    .unwrap();
    let run = env
        .run_shell(&format!(
            "script -qec 'bash {}' /dev/null </dev/null",
            script.display()
        ))
        .await;
    let out = run.stdout();
    for (id, _) in &cases {
        let start = out
            .find(&format!("<<{id}>>"))
            .unwrap_or_else(|| panic!("{id} did not run: {out:?}"));
        let rest = &out[start + id.len() + 4..];
        let end = rest.find("<<status=").expect("status");
        let (written, status) = (&rest[..end], &rest[end + 9..end + 10]);
        let err = std::fs::read_to_string(env.home.path().join(format!("{id}.err"))).unwrap();
        if *id == "exe_text" {
            assert_eq!(status, "0", "{id}: {err}");
            // The terminal turns \n into \r\n.
            assert_eq!(written, text.replace('\n', "\r\n"), "{id}");
            continue;
        }
        assert_eq!(status, "1", "{id}: {err}");
        assert!(written.is_empty(), "{id} wrote {} bytes", written.len());
        assert!(err.contains("--out"), "{id}: {err}");
        assert!(
            err.contains(&format!("xeroctl exec raw {id} |")),
            "{id}: the real id: {err}"
        );
        assert!(!err.contains("<id>"), "{id}: {err}");
    }
}

/// `--out` over an existing file keeps that file's mode (a 0600 file does
/// not become 0644); a new file gets the usual 0666-minus-umask mode.
#[cfg(unix)]
#[tokio::test]
async fn raw_out_keeps_an_existing_files_mode() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
    let server = MockServer::start().await;
    mount_raw(&server, 3).await;
    let env = Env::for_server(&server);
    for kept in [0o600, 0o640] {
        let target = env.home.path().join(format!("secret-{kept:o}.bin"));
        std::fs::write(&target, b"old").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(kept)).unwrap();
        env.run(&["exec", "raw", EXE, "--out", target.to_str().unwrap()])
            .await
            .expect_code(0);
        assert_eq!(std::fs::read(&target).unwrap(), RAW);
        assert_eq!(mode(&target), kept, "{}", target.display());
    }
    let fresh = env.home.path().join("fresh.bin");
    env.run_shell(&format!(
        "umask 022; \"$XEROCTL\" exec raw {EXE} --out '{}'",
        fresh.display()
    ))
    .await
    .expect_code(0);
    assert_eq!(mode(&fresh), 0o644);
}

//! Property tests for the parsers that take user input (ids, numbers, tier
//! lists, the config file) and the functions that turn server bytes into
//! terminal text: they never panic, and what they accept is well-formed.
//! (`--args` has its own next to `read_args` in src/commands/exec/invoke.rs.)

use std::path::Path;
use std::time::{Duration, SystemTime};

use percent_encoding::percent_decode_str;
use proptest::prelude::*;

use xeroctl::testing::id_segment;
use xeroctl::testing::ConfigFile;
use xeroctl::testing::{from_response, parse_retry_after};
use xeroctl::testing::{parse_cursor, parse_limit, parse_positive, parse_tiers, parse_timeout};
use xeroctl::testing::{render_clap_usage, ExitCode};
use xeroctl::testing::{sanitize_line, sanitize_multiline};

/// Characters a terminal acts on: C0/C1 controls and bidi overrides.
fn drives_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Strings rich in what attackers use: escapes, controls, bidi, reserved
/// URL characters, dots and unicode.
fn hostile_string() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("\u{1b}[".to_string()),
        Just("\u{1b}]0;".to_string()),
        Just("\u{1b}\\".to_string()),
        Just("\u{7}".to_string()),
        Just("\u{9b}".to_string()),
        Just("\u{9d}".to_string()),
        Just("\u{202E}".to_string()),
        Just("\r\n".to_string()),
        Just("..".to_string()),
        Just("/".to_string()),
        Just("%2e".to_string()),
        Just("?#&= ".to_string()),
        "[a-z0-9_-]{1,6}",
        any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(pieces, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn an_accepted_id_is_exactly_one_segment_that_decodes_back(id in hostile_string()) {
        match id_segment("agent", &id) {
            Ok(seg) => {
                prop_assert!(seg.is_ascii());
                prop_assert!(!seg.contains(['/', '?', '#', ' ', '\\']), "{seg}");
                prop_assert!(seg != "." && seg != "..");
                prop_assert_eq!(percent_decode_str(&seg).decode_utf8().unwrap(), id.as_str());
            }
            Err(e) => prop_assert_eq!(e.exit(), ExitCode::Usage),
        }
    }

    #[test]
    fn ids_of_any_text_never_panic(id in any::<String>()) {
        let _ = id_segment("approval", &id);
        let _ = parse_cursor(&id);
    }

    #[test]
    fn limit_is_accepted_exactly_in_1_to_100(s in prop_oneof![any::<String>(), "-?[0-9]{1,22}", " [0-9]{1,3} "]) {
        let want = s.trim().parse::<u32>().ok().filter(|n| (1..=100).contains(n));
        prop_assert_eq!(parse_limit(&s).ok(), want);
    }

    #[test]
    fn positive_numbers_are_never_zero(s in prop_oneof![any::<String>(), "-?[0-9]{1,22}"]) {
        if let Ok(n) = parse_positive(&s) {
            prop_assert!(n >= 1);
            prop_assert_eq!(Some(n), s.trim().parse::<u64>().ok());
        }
    }

    #[test]
    fn accepted_timeouts_make_valid_durations(s in prop_oneof![any::<String>(), "-?[0-9]{0,8}(\\.[0-9]{0,4})?(e-?[0-9]{1,3})?", Just("inf".to_string()), Just("NaN".to_string())]) {
        if let Ok(secs) = parse_timeout(&s) {
            prop_assert!(secs.is_finite() && secs > 0.0 && secs <= 86_400.0);
            // What the commands do with it must not panic.
            let _ = Duration::from_secs_f64(secs);
        }
    }

    #[test]
    fn tier_lists_are_trimmed_non_empty_items(s in "[ ,a-z\u{e9}\t]{0,24}") {
        match parse_tiers(&s) {
            Ok(tiers) => {
                prop_assert_eq!(tiers.0.len(), s.split(',').count());
                for t in &tiers.0 {
                    prop_assert!(!t.is_empty());
                    prop_assert_eq!(t.trim(), t.as_str());
                }
                let rejoined: Vec<String> = s.split(',').map(|t| t.trim().to_string()).collect();
                prop_assert_eq!(tiers.0, rejoined);
            }
            Err(_) => prop_assert!(s.split(',').any(|t| t.trim().is_empty())),
        }
    }

    #[test]
    fn valid_tier_lists_round_trip(items in proptest::collection::vec("[a-z][a-z0-9_-]{0,8}", 1..6), pad in " {0,2}") {
        let text = items.iter().map(|t| format!("{pad}{t}{pad}")).collect::<Vec<_>>().join(",");
        prop_assert_eq!(parse_tiers(&text).unwrap().0, items);
    }

    #[test]
    fn any_config_text_parses_or_names_the_file(text in prop_oneof![
        any::<String>(),
        "(current = \"[a-z]{0,4}\"\n)?(\\[deployment\\.[a-z\"]{0,5}\\]\n([a-z_]{1,16} = (\"[a-z:/.]{0,12}\"|[0-9]{1,3}|\\[\\]|true)\n){0,4}){0,3}",
    ]) {
        match ConfigFile::parse(Path::new("/cfg/config.toml"), &text) {
            Ok(cfg) => {
                if let Some(current) = &cfg.current {
                    prop_assert!(text.contains(current.as_str()));
                }
            }
            Err(e) => {
                prop_assert_eq!(e.exit(), ExitCode::Config);
                prop_assert!(e.message().contains("/cfg/config.toml"), "{}", e.message());
                prop_assert!(!e.to_string().contains('\n'));
            }
        }
    }

    #[test]
    fn generated_configs_keep_their_values(
        deployments in proptest::collection::btree_map("[a-z][a-z0-9_-]{0,8}", ("[a-z]{1,8}", "xero_[a-z]{1,6}_[A-Za-z0-9]{8,20}", proptest::option::of(prop_oneof![Just("table"), Just("json")])), 1..4),
    ) {
        let mut text = String::new();
        let current = deployments.keys().next().unwrap().clone();
        text.push_str(&format!("current = \"{current}\"\n"));
        for (name, (host, key, output)) in &deployments {
            text.push_str(&format!("[deployment.{name}]\nbase_url = \"https://{host}.example/p/v1\"\napi_key = \"{key}\"\n"));
            if let Some(o) = output {
                text.push_str(&format!("output = \"{o}\"\n"));
            }
        }
        let cfg = ConfigFile::parse(Path::new("/c.toml"), &text).unwrap();
        prop_assert_eq!(cfg.current.as_deref(), Some(current.as_str()));
        for (name, (host, key, _)) in &deployments {
            let d = &cfg.deployments[name];
            prop_assert_eq!(d.base_url.clone(), Some(format!("https://{host}.example/p/v1")));
            prop_assert_eq!(d.api_key.as_deref(), Some(key.as_str()));
        }
    }

    #[test]
    fn sanitized_text_never_drives_the_terminal(s in prop_oneof![any::<String>(), hostile_string()]) {
        let line = sanitize_line(&s);
        prop_assert!(!line.chars().any(drives_terminal), "{line:?}");
        let multi = sanitize_multiline(&s);
        prop_assert!(!multi.chars().any(|c| c != '\n' && drives_terminal(c)), "{multi:?}");
    }

    #[test]
    fn any_error_body_becomes_one_inert_line(
        status in 400u16..600,
        body in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..512),
            hostile_string().prop_map(|m| serde_json::json!({"error": {"message": m, "code": "x\u{1b}[1m"}}).to_string().into_bytes()),
        ],
    ) {
        let e = from_response(status, Some("req\u{7}1".into()), &body);
        let text = e.to_string();
        prop_assert!(!text.chars().any(drives_terminal), "{text:?}");
        prop_assert_eq!(e.status(), Some(status));
    }

    #[test]
    fn any_config_file_loads_or_names_the_file(
        bytes in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..1024),
            // Config-like text with some bytes overwritten by anything.
            (
                "(current = \"[a-z]{0,4}\"\n)?(\\[deployment\\.[a-z]{1,5}\\]\n((base_url|api_key|output|api_key_keychain) = \"[ -~]{0,300}\"\n){0,4}){0,3}",
                proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
            )
                .prop_map(|(text, flips)| {
                    let mut bytes = text.into_bytes();
                    for (at, b) in flips {
                        if !bytes.is_empty() {
                            let i = at.index(bytes.len());
                            bytes[i] = b;
                        }
                    }
                    bytes
                }),
        ],
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, &bytes).unwrap();
        match ConfigFile::load(&path) {
            Ok(found) => prop_assert!(found.is_some(), "an existing file read as missing"),
            Err(e) => {
                let shown = path.display().to_string();
                prop_assert_eq!(e.exit(), ExitCode::Config);
                prop_assert!(e.message().contains(&shown), "{}", e.message());
                let line = e.to_string();
                prop_assert!(!line.contains('\n'));
                // However long the offending value, the message stays short.
                prop_assert!(line.chars().count() <= shown.chars().count() + 300, "{} chars", line.chars().count());
            }
        }
    }

    #[test]
    fn error_bodies_stay_short_and_never_echo_a_secret(
        status in 400u16..600,
        before in hostile_string(),
        after in hostile_string(),
        repeat in 0usize..2_000,
        shape in 0usize..6,
    ) {
        let secret = "xero_props_3rr0rB0dyS3cr3t";
        xeroctl::testing::register_secret(secret);
        let text = format!("{before}{secret}{after}{}", "y".repeat(repeat * 32));
        let body = match shape {
            0 => serde_json::json!({"error": {"message": text}}).to_string(),
            1 => serde_json::json!({"error": {"message": "m", "param": text, "code": text}}).to_string(),
            2 => format!("<html><title>{text}</title><body>x</body></html>"),
            3 => format!("\n\n{text}\nsecond line"),
            // The secret split by control characters that sanitising removes.
            4 => format!("xero_props_\u{1b}[0m3rr0rB0dyS3cr3t {text}"),
            _ => serde_json::json!({"error": {"message": format!("xero_props_\u{7}3rr0rB0dyS3cr3t {text}")}}).to_string(),
        };
        let e = from_response(status, Some(format!("req {text}")), body.as_bytes());
        let shown = format!("{e}\n{}", e.hints().join("\n"));
        prop_assert!(!shown.contains(secret), "{shown:?}");
        prop_assert!(e.to_string().chars().count() <= 800, "{} chars", e.to_string().chars().count());
    }

    #[test]
    fn retry_after_never_panics(v in prop_oneof![any::<String>(), "[0-9]{1,25}(\\.[0-9]{1,3})?", Just("Wed, 21 Oct 2015 07:28:00 GMT".to_string())]) {
        let _ = parse_retry_after(&v, SystemTime::now());
    }

    #[test]
    fn clap_errors_fold_into_an_error_and_a_hint_line(text in any::<String>()) {
        let out = render_clap_usage(&text, "xeroctl agents");
        let lines: Vec<&str> = out.lines().collect();
        prop_assert_eq!(lines.len(), 2, "{:?}", out);
        prop_assert!(lines[0].starts_with("error: "));
        prop_assert!(lines[1].starts_with("hint: "));
    }
}

/// JSON values of any shape (printable ASCII strings, integers, finite
/// floats), nested a few levels.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        (-1e12f64..1e12).prop_map(serde_json::Value::from),
        "[ -~]{0,12}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            proptest::collection::vec(("[a-z_]{0,6}", inner), 0..6)
                .prop_map(|kv| { serde_json::Value::Object(kv.into_iter().collect()) }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn reindented_json_is_serde_jsons_pretty_print(v in json_value()) {
        let compact = serde_json::to_vec(&v).unwrap();
        let mut out = Vec::new();
        xeroctl::testing::write_pretty(&mut out, &compact).unwrap();
        let mut want = serde_json::to_vec_pretty(&v).unwrap();
        want.push(b'\n');
        prop_assert_eq!(String::from_utf8(out).unwrap(), String::from_utf8(want).unwrap());
    }

    #[test]
    fn reindenting_any_bytes_never_panics_and_stays_bounded(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut out = Vec::new();
        if xeroctl::testing::write_pretty(&mut out, &bytes).is_ok() {
            // Valid JSON: indentation grows with depth, bounded by the input.
            prop_assert!(out.len() <= 1 + bytes.len() * (2 + bytes.len()));
        }
    }
}

//! Hostile input on the command line, continued: what reaches the terminal and JSON output,
//! `apply`, `update` and `--jwks-file` under hostile input, secrets on stdin, and a hostile
//! environment (a database path that is no database, a user name with escapes), and
//! hostile `serve` arguments. Helpers and rules are those of
//! `hostile_cli`.

use crate::hostile_cli::{error_line, os, populated, refused, run_os, CB, SQL};
use crate::util::{all_cases, redact, Run, TestEnv};
use serde_json::json;

/// Names the registry accepts but that must never reach a terminal raw: a bidi override in a
/// name, an escape sequence in an unknown member, and, since the schema is public, an escape
/// sequence that another program wrote straight into the database.
#[test]
fn tables_escape_what_json_output_escapes_differently() {
    crate::util::sqlite_only!("writes hostile metadata with SQLite's json_set");
    let env = TestEnv::new();
    let bidi = "invoice\u{202e}fdp.exe";
    let created = env
        .run(&[
            "-o",
            "json",
            "register",
            "--redirect-uri",
            CB,
            "--client-name",
            bidi,
        ])
        .ok()
        .json();
    assert_eq!(created["client_name"], bidi);
    // An escape sequence in an unknown member is refused (issue 12, item 9)…
    let doc = json!({"redirect_uris": [CB], "x_note": "a\u{1b}]52;c;ZXZpbA==\u{7}b"});
    refused(&env, 2, || {
        env.run_stdin(&["register", "--metadata-file", "-"], &doc.to_string())
    });
    // … but another program may write one straight into the database, as a name may be.
    let noted = env.register("noted");
    let noted_id = noted["client_id"].as_str().expect("client_id").to_owned();
    let hostile = "evil\u{1b}]0;pwned\u{7}\u{1b}[2J";
    let id = created["client_id"].as_str().expect("client_id").to_owned();
    let conn = rusqlite::Connection::open(env.db()).expect("open db");
    conn.execute(
        "UPDATE clients SET client_name = ?1, metadata = json_set(metadata, '$.client_name', ?1) \
         WHERE client_id = ?2",
        rusqlite::params![hostile, id],
    )
    .expect("write a hostile name");
    conn.execute(
        "UPDATE clients SET metadata = json_set(metadata, '$.x_note', ?1) WHERE client_id = ?2",
        rusqlite::params![doc["x_note"].as_str(), noted_id],
    )
    .expect("write a hostile member");
    drop(conn);

    let raw = |text: &str| {
        text.chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}')
    };
    for args in [
        vec!["list"],
        vec!["show", id.as_str()],
        vec!["show", noted_id.as_str()],
        vec!["events"],
    ] {
        let run = env.unchanged(|| env.run(&args)).ok();
        assert!(
            !raw(&run.stdout),
            "{args:?} printed raw: {:?}",
            redact(&run.stdout)
        );
    }
    let listing = env.run(&["list"]).ok().stdout;
    assert!(listing.contains("evil\\u{1b}]0;pwned\\u{7}"), "{listing}");
    // JSON escapes C0 control characters itself and round-trips the exact value.
    let shown = env.run(&["-o", "json", "show", &id]).ok();
    assert!(!shown.stdout.chars().any(|c| c.is_control() && c != '\n'));
    assert!(
        shown.stdout.contains("evil\\u001b]0;pwned\\u0007"),
        "{}",
        shown.stdout
    );
    assert_eq!(shown.json()["client_name"], hostile);
    let noted = env.run(&["-o", "json", "show", &noted_id]).ok().json();
    assert_eq!(noted["x_note"], doc["x_note"]);
}

#[test]
fn apply_is_all_or_nothing_under_hostile_documents() {
    let (env, _) = populated();
    let good = format!(r#"{{"client_id":"fresh","redirect_uris":["{CB}"]}}"#);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "SQL in a client_id",
            format!(r#"[{good},{{"client_id":"{SQL}","redirect_uris":["{CB}"]}}]"#).into_bytes(),
        ),
        (
            "the same client_id twice",
            format!(r#"[{good},{good}]"#).into_bytes(),
        ),
        ("invalid UTF-8", {
            let mut bytes = format!(r#"[{good},{{"client_id":"x","client_name":""#).into_bytes();
            bytes.extend_from_slice(b"\xff\"}]");
            bytes
        }),
        ("10,000 nested arrays", {
            let mut text = format!("[{good},");
            text.push_str(&"[".repeat(10_000));
            text.push_str(&"]".repeat(10_000));
            text.push(']');
            text.into_bytes()
        }),
        ("an object, not an array", good.clone().into_bytes()),
    ];
    all_cases(&cases, |bytes| {
        refused(&env, 2, || run_os(&env, &os(&["apply", "-"]), bytes));
    });
    let run = env.run(&["-o", "json", "show", "fresh"]);
    assert_eq!(
        run.code,
        3,
        "a half-applied file left {}",
        redact(&run.stdout)
    );
}

/// Run `dcrctl` with `args` under an address-space cap, which keeps an unbounded read from
/// eating the machine's memory.
fn run_capped(env: &TestEnv, args: &str) -> Run {
    let dcrctl = assert_cmd::cargo::cargo_bin("dcrctl");
    let script = format!("ulimit -v 2000000; exec '{}' {args}", dcrctl.display());
    let out = std::process::Command::new("sh")
        .args(["-c", &script])
        .env("DCRCTL_DB", env.location())
        .env("NO_COLOR", "1")
        .output()
        .expect("run sh");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn apply_of_an_endless_input_is_refused_early() {
    let (env, _) = populated();
    // apply streams its input, so an endless input is refused at its first invalid byte (an
    // endless valid-looking one at the 256 MiB cap, see `cli::apply`'s tests).
    let run = refused(&env, 2, || run_capped(&env, "apply /dev/zero"));
    assert!(
        error_line(&run).contains("is not valid JSON"),
        "{}",
        run.stderr
    );
}

#[test]
fn serve_as_metadata_of_an_endless_input_is_refused_early() {
    let (env, _) = populated();
    let run = refused(&env, 2, || {
        run_capped(
            &env,
            "serve --listen 127.0.0.1:0 --issuer https://auth.example.com --as-metadata /dev/zero",
        )
    });
    assert!(error_line(&run).contains("larger than"), "{}", run.stderr);
}

#[test]
fn an_oversized_secret_on_stdin_is_refused_not_truncated() {
    let (env, _) = populated();
    let secret = "s".repeat(1_000_000);
    refused(&env, 2, || {
        env.run_stdin(
            &[
                "register",
                "--redirect-uri",
                CB,
                "--client-id",
                "big",
                "--client-secret-stdin",
            ],
            &secret,
        )
    });
}

#[test]
fn a_secret_on_stdin_that_is_not_utf8_is_a_usage_error() {
    let (env, _) = populated();
    let args = os(&[
        "register",
        "--redirect-uri",
        CB,
        "--client-id",
        "s",
        "--client-secret-stdin",
    ]);
    refused(&env, 2, || run_os(&env, &args, b"caf\xe9\xff"));
}

#[test]
fn verify_secret_with_bytes_that_are_not_utf8_is_a_rejected_credential() {
    let (env, id) = populated();
    refused(&env, 6, || {
        run_os(&env, &os(&["verify-secret", &id]), b"dcrsec_\xff\xfe")
    });
}

#[test]
fn verify_secret_with_a_huge_stdin_is_rejected() {
    let (env, id) = populated();
    let huge = vec![b'a'; 1_000_000];
    // verify-secret records last_used_at only on success, so a rejection changes nothing.
    refused(&env, 6, || {
        run_os(&env, &os(&["verify-secret", &id]), &huge)
    });
}

/// serde_json escapes only C0 controls; C1 controls (U+0080–U+009F, e.g. U+009B, the 8-bit
/// CSI that xterm honours) and DEL pass through raw. The registry refuses them in every
/// string (issue 12, item 9), but the schema is public: another program may store them in an
/// unknown member, and `-o json` output that an operator views must not carry them raw.
#[test]
fn json_output_escapes_c1_controls_and_del() {
    crate::util::sqlite_only!("writes hostile metadata with SQLite's json_set");
    let env = TestEnv::new();
    let doc = json!({"redirect_uris": [CB], "x_note": "a\u{9b}31mb\u{7f}c"});
    let run = refused(&env, 2, || {
        env.run_stdin(&["register", "--metadata-file", "-"], &doc.to_string())
    });
    assert!(
        error_line(&run).starts_with("error: x_note: "),
        "{}",
        run.stderr
    );
    let created = env.register("plain");
    let id = created["client_id"].as_str().expect("client_id").to_owned();
    let conn = rusqlite::Connection::open(env.db()).expect("open db");
    conn.execute(
        "UPDATE clients SET metadata = json_set(metadata, '$.x_note', ?1) WHERE client_id = ?2",
        rusqlite::params![doc["x_note"].as_str(), id],
    )
    .expect("write a hostile member");
    drop(conn);
    for args in [
        vec!["-o", "json", "show", id.as_str()],
        vec!["-o", "json", "list"],
        vec!["export"],
    ] {
        let run = env.run(&args).ok();
        assert!(
            !run.stdout.chars().any(|c| c.is_control() && c != '\n'),
            "{args:?} printed a raw control character: {:?}",
            redact(&run.stdout)
        );
    }
    let shown = env.run(&["-o", "json", "show", &id]).ok().json();
    assert_eq!(shown["x_note"], doc["x_note"]);
}

#[test]
fn hostile_updates_change_nothing() {
    let (env, id) = populated();
    let update = |flags: &[&'static str]| {
        let mut args = vec!["update".to_owned(), id.clone()];
        args.extend(flags.iter().map(|flag| (*flag).to_owned()));
        args
    };
    let cases: Vec<(&str, Vec<String>)> = vec![
        ("--unset with SQL", update(&["--unset", "x';--"])),
        (
            "--unset a reserved member",
            update(&["--unset", "client_id"]),
        ),
        (
            "--unset the only redirect",
            update(&["--unset", "redirect_uris"]),
        ),
        (
            "--remove-redirect-uri with SQL",
            update(&["--remove-redirect-uri", SQL]),
        ),
        (
            "--add-redirect-uri javascript:",
            update(&["--add-redirect-uri", "javascript:alert(1)"]),
        ),
        (
            "--client-name with OSC 52",
            update(&["--client-name", "\u{1b}]52;c;ZXZpbA==\u{7}"]),
        ),
    ];
    all_cases(&cases, |args| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(&env, 2, || env.run(&args));
    });
}

#[test]
fn hostile_jwks_files_are_refused_naming_jwks() {
    let (env, _) = populated();
    let deep = env.dir().join("deep.jwks");
    let nested = format!(r#"{{"keys":{}{}}}"#, "[".repeat(10_000), "]".repeat(10_000));
    std::fs::write(&deep, nested).expect("write");
    let dup = env.dir().join("dup.jwks");
    std::fs::write(&dup, r#"{"keys":[],"keys":[{"kty":"oct"}]}"#).expect("write");
    let deep = deep.to_str().expect("utf-8").to_owned();
    let dup = dup.to_str().expect("utf-8").to_owned();
    let cases = [
        ("10,000 nested arrays", deep.as_str()),
        ("duplicate keys member", dup.as_str()),
        ("a file that never ends", "/dev/zero"),
    ];
    all_cases(&cases, |path| {
        let run = refused(&env, 2, || {
            env.run(&[
                "register",
                "--redirect-uri",
                CB,
                "--token-endpoint-auth-method",
                "private_key_jwt",
                "--jwks-file",
                path,
            ])
        });
        assert!(
            error_line(&run).starts_with("error: jwks: "),
            "{}",
            run.stderr
        );
    });
}

#[test]
fn a_database_path_that_is_not_a_database_is_left_alone() {
    let (env, _) = populated();
    let text = env.dir().join("notes.txt");
    let contents = "not SQLite at all, just text that must survive ".repeat(10);
    std::fs::write(&text, &contents).expect("write");
    let text = text.to_str().expect("utf-8").to_owned();
    let folder = env.dir().to_str().expect("utf-8").to_owned();
    let cases = [
        ("a text file", text.as_str()),
        ("a folder", folder.as_str()),
    ];
    all_cases(&cases, |path| {
        refused(&env, 1, || env.run(&["--db", path, "list"]));
    });
    assert_eq!(std::fs::read_to_string(&text).expect("read"), contents);
    let mut beside: Vec<_> = std::fs::read_dir(env.dir())
        .expect("list")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("notes.txt"))
        .collect();
    beside.sort();
    assert_eq!(beside, ["notes.txt"], "files were created beside it");
}

/// The audit actor is `cli:<user>` from the environment, which the operator's own shell sets
/// but a wrapper script may fill from anywhere.
#[test]
fn a_hostile_user_name_is_escaped_in_the_event_table() {
    let env = TestEnv::new();
    let user = "evil\u{1b}]0;pwned\u{7}";
    let output = env
        .cmd()
        .env("USER", user)
        .args(["register", "--redirect-uri", CB])
        .output()
        .expect("run");
    assert!(output.status.success());
    let events = env.run(&["events"]).ok().stdout;
    assert!(
        !events.chars().any(|c| c.is_control() && c != '\n'),
        "{events:?}"
    );
    assert!(events.contains("cli:evil\\u{1b}]0;pwned\\u{7}"), "{events}");
    let json = env.run(&["-o", "json", "events"]).ok();
    assert!(!json.stdout.chars().any(|c| c.is_control() && c != '\n'));
    assert_eq!(json.json()[0]["actor"], format!("cli:{user}"));
}

/// Unknown members are kept verbatim (SPEC §1), whatever their names may hold but control
/// characters (issue 12, item 9): escaped in tables, escaped by JSON, and carried through
/// `export` and back through `apply` unchanged. Names with control characters that another
/// program stored are still escaped everywhere.
#[test]
fn hostile_member_names_are_kept_escaped_and_round_trip() {
    crate::util::sqlite_only!("writes hostile metadata with SQLite SQL");
    let env = TestEnv::new();
    let refused_doc =
        r#"{"redirect_uris":["https://app.example.com/cb"],"\u001b]0;t\u0007":1,"a\u0000b":3}"#;
    refused(&env, 2, || {
        env.run_stdin(&["register", "--metadata-file", "-"], refused_doc)
    });
    let doc = r#"{"redirect_uris":["https://app.example.com/cb"],"":2,"x\u202e":4}"#;
    let created = env
        .run_stdin(&["-o", "json", "register", "--metadata-file", "-"], doc)
        .ok()
        .json();
    let id = created["client_id"].as_str().expect("client_id").to_owned();
    assert_eq!(created[""], 2);
    assert_eq!(created["x\u{202e}"], 4);
    let path = env.dir().join("export.json");
    std::fs::write(&path, env.run(&["export"]).ok().stdout).expect("write");
    let path = path.to_str().expect("utf-8");
    let report = env
        .unchanged(|| env.run(&["-o", "json", "apply", path]))
        .ok()
        .json();
    assert_eq!(
        (
            &report["counts"]["unchanged"],
            &report["counts"]["created"],
            &report["counts"]["updated"]
        ),
        (&json!(1), &json!(0), &json!(0)),
        "{report}"
    );
    let conn = rusqlite::Connection::open(env.db()).expect("open db");
    let stored: String = conn
        .query_row(
            "SELECT metadata FROM clients WHERE client_id = ?1",
            [&id],
            |row| row.get(0),
        )
        .expect("read metadata");
    let mut metadata: serde_json::Value = serde_json::from_str(&stored).expect("JSON");
    metadata["\u{1b}]0;t\u{7}"] = json!(1);
    metadata["a\u{0}b"] = json!(3);
    conn.execute(
        "UPDATE clients SET metadata = ?1 WHERE client_id = ?2",
        rusqlite::params![metadata.to_string(), id],
    )
    .expect("write hostile member names");
    drop(conn);
    let table = env.run(&["show", &id]).ok().stdout;
    assert!(
        table.contains("\\u{1b}]0;t\\u{7}") && table.contains("a\\u{0}b"),
        "{table}"
    );
    assert!(!table
        .chars()
        .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'));
    let export = env.run(&["export"]).ok().stdout;
    assert!(
        !export.chars().any(|c| c.is_control() && c != '\n'),
        "{export:?}"
    );
    assert!(export.contains(r#""\u001b]0;t\u0007":1"#), "{export}");
}

/// `serve` refuses hostile arguments before it binds anything: a prefix or issuer that would
/// become a route pattern or smuggle a header, absurd rate limits and addresses.
#[test]
fn serve_refuses_hostile_arguments_before_binding() {
    let (env, _) = populated();
    let serve = |extra: &[&'static str]| {
        let mut args = vec![
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--issuer",
            "https://auth.example.com",
        ];
        args.extend_from_slice(extra);
        args
    };
    let cases: Vec<(&str, Vec<&str>)> = vec![
        (
            "prefix with a capture",
            serve(&["--path-prefix", "/{client_id}"]),
        ),
        (
            "prefix with a wildcard",
            serve(&["--path-prefix", "/{*rest}"]),
        ),
        (
            "prefix with a dot-dot segment",
            serve(&["--path-prefix", "/a/.."]),
        ),
        (
            "prefix with an empty segment",
            serve(&["--path-prefix", "/a//b"]),
        ),
        ("prefix with a query", serve(&["--path-prefix", "/a?b"])),
        (
            "prefix with an escape",
            serve(&["--path-prefix", "/\u{1b}[2J"]),
        ),
        (
            "issuer javascript:",
            vec![
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--issuer",
                "javascript:alert(1)",
            ],
        ),
        (
            "issuer with userinfo",
            vec![
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--issuer",
                "https://u:p@auth.example.com",
            ],
        ),
        (
            "issuer path with a capture",
            vec![
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--issuer",
                "https://auth.example.com/{id}",
            ],
        ),
        ("rate limit 0/min", serve(&["--rate-limit", "0/min"])),
        ("rate limit -1/min", serve(&["--rate-limit=-1/min"])),
        ("rate limit 1/0s", serve(&["--rate-limit", "1/0s"])),
        (
            "rate limit past u32",
            serve(&["--rate-limit", "99999999999/min"]),
        ),
        (
            "rate limit per 99999y",
            serve(&["--rate-limit", "1/99999y"]),
        ),
        (
            "port 99999",
            vec![
                "serve",
                "--listen",
                "127.0.0.1:99999",
                "--issuer",
                "https://auth.example.com",
            ],
        ),
        (
            "listen on a host name",
            vec![
                "serve",
                "--listen",
                "evil.example.com:80",
                "--issuer",
                "https://auth.example.com",
            ],
        ),
        ("max clients -1", serve(&["--max-clients=-1"])),
        (
            "secret lifetime 99999y",
            serve(&["--secret-lifetime", "99999y"]),
        ),
        (
            "an empty allowed grant type",
            serve(&["--allowed-grant-types", ""]),
        ),
    ];
    all_cases(&cases, |args| {
        let args: Vec<std::ffi::OsString> = args.iter().map(std::ffi::OsString::from).collect();
        refused(&env, 2, || run_os(&env, &args, b""));
    });
}

/// clap echoes a rejected value as it was given. Escape sequences are stripped when stderr is
/// not a terminal, but CR and LF are not: the error is no longer one `error:` line, and a CR
/// lets the value overwrite what the terminal shows of it.
#[test]
fn rejected_values_with_cr_lf_are_echoed_escaped() {
    let (env, _) = populated();
    for args in [
        vec![
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--issuer",
            "https://a.example/\r\nSet-Cookie: x",
        ],
        vec![
            "register",
            "--redirect-uri",
            CB,
            "--secret-expires-in",
            "1h\rerror: none",
        ],
        vec!["-o", "json\nerror: spoofed", "list"],
    ] {
        let args: Vec<std::ffi::OsString> = args.iter().map(std::ffi::OsString::from).collect();
        refused(&env, 2, || run_os(&env, &args, b""));
    }
}

//! Issue 12, items 11–15: the command line and storage under a careless operator and a
//! hostile writer of the public schema. Each test drives the real binary.

use crate::util::{redact, TestEnv};
use serde_json::{json, Value};

const CB: &str = "https://app.example.com/callback";

/// Issue 12 item 14: a relative `XDG_DATA_HOME` is ignored (XDG Base Directory
/// Specification), so the default database does not depend on the working directory.
#[test]
fn issue_12_a_relative_xdg_data_home_is_ignored() {
    let env = TestEnv::new();
    let elsewhere = env.dir().join("cron-cwd");
    std::fs::create_dir_all(&elsewhere).expect("mkdir");
    for xdg in ["relative/data", "./data", "data"] {
        let run = env
            .cmd()
            .env_remove("DCRCTL_DB")
            .env("XDG_DATA_HOME", xdg)
            .current_dir(&elsewhere)
            .args(["token", "create"])
            .output()
            .expect("run dcrctl");
        assert!(
            run.status.success(),
            "{xdg}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(
            !elsewhere.join(xdg).exists(),
            "{xdg}: a database was created under the working directory"
        );
    }
    // HOME is the test folder: the fallback is $HOME/.local/share, one database for all.
    let fallback = env.dir().join(".local/share/dcrctl/clients.db");
    let conn = rusqlite::Connection::open(&fallback).expect("fallback database");
    let tokens: i64 = conn
        .query_row("SELECT count(*) FROM initial_access_tokens", [], |r| {
            r.get(0)
        })
        .expect("count");
    assert_eq!(tokens, 3);
}

/// Issue 12 item 13: format characters (Cf) and default-ignorable code points are escaped in
/// tables, whoever wrote them; JSON keeps the exact value.
#[test]
fn issue_12_tables_escape_invisible_characters() {
    crate::util::sqlite_only!("writes hostile names with SQLite's json_set");
    let env = TestEnv::new();
    let invisible = [
        '\u{ad}',
        '\u{34f}',
        '\u{180e}',
        '\u{fe0f}',
        '\u{3164}',
        '\u{115f}',
        '\u{2065}',
        '\u{e0041}',
    ];
    let mut ids = Vec::new();
    let conn = || rusqlite::Connection::open(env.db()).expect("open db");
    for c in invisible {
        let id = env.register("plain")["client_id"]
            .as_str()
            .expect("client_id")
            .to_owned();
        let name = format!("Billing{c}");
        conn()
            .execute(
                "UPDATE clients SET client_name = ?1, \
                 metadata = json_set(metadata, '$.client_name', ?1) WHERE client_id = ?2",
                rusqlite::params![name, id],
            )
            .expect("write the name");
        ids.push((id, c));
    }
    let listing = env.run(&["list"]).ok().stdout;
    for (id, c) in &ids {
        let escaped = format!("Billing\\u{{{:x}}}", u32::from(*c));
        assert!(listing.contains(&escaped), "list: {escaped} in {listing}");
        let shown = env.run(&["show", id]).ok().stdout;
        assert!(shown.contains(&escaped), "show: {escaped} in {shown}");
        assert!(!shown.contains(*c), "show printed {c:?} raw");
        let json = env.run(&["-o", "json", "show", id]).ok().json();
        assert_eq!(json["client_name"], format!("Billing{c}"));
    }
    for c in invisible {
        assert!(!listing.contains(c), "list printed {c:?} raw");
    }
}

/// Register `count` clients with one `apply`, each with a 600-byte note so that their JSON
/// listing is well over the 64 KiB output buffer; returns their ids in registration order.
fn populate(env: &TestEnv, count: usize) -> Vec<String> {
    let ids: Vec<String> = (0..count).map(|i| format!("client-{i:04}")).collect();
    let documents: Vec<Value> = ids
        .iter()
        .map(|id| json!({"client_id": id, "redirect_uris": [CB], "x_note": "n".repeat(600)}))
        .collect();
    env.run_stdin(&["apply", "-"], &Value::Array(documents).to_string())
        .ok();
    ids
}

/// Issue 12 item 15: a client row another program damaged (valid JSON that is not an object,
/// or with the CHECK constraints off, no JSON at all) is reported by `db check`, and the JSON
/// listings refuse before printing anything instead of printing half an array.
#[test]
fn issue_12_a_damaged_row_is_reported_and_never_half_printed() {
    crate::util::sqlite_only!("damages rows with SQLite-only SQL");
    let env = TestEnv::new();
    let ids = populate(&env, 150);
    let damaged = ids.last().expect("a client").clone();
    let damage = |sql: &str| {
        let conn = rusqlite::Connection::open(env.db()).expect("open db");
        conn.execute_batch("PRAGMA ignore_check_constraints = ON")
            .expect("pragma");
        conn.execute(
            "UPDATE clients SET metadata = ?1 WHERE client_id = ?2",
            rusqlite::params![sql, damaged],
        )
        .expect("damage the row");
    };
    for (metadata, what) in [
        ("[1,2]", "metadata is not a JSON object"),
        ("\"text\"", "metadata is not a JSON object"),
        ("{oops}", "metadata is not JSON text"),
        ("{\"a\":1}{\"b\":2}", "metadata is not JSON text"),
    ] {
        damage(metadata);
        let check = env.run(&["db", "check"]).fails(1);
        let line = format!("clients row {damaged}: {what}");
        assert!(check.stdout.contains(&line), "{metadata}: {}", check.stdout);
        let check = env.run(&["-o", "json", "db", "check"]).fails(1).json();
        assert_eq!(check["ok"], false);
        assert_eq!(check["damaged_rows"], json!([line]));
        for args in [
            vec!["-o", "json", "list"],
            vec!["export"],
            vec!["-o", "json", "export"],
        ] {
            let run = env.run(&args).fails(1);
            assert_eq!(
                run.stdout,
                "",
                "{metadata}: {args:?} printed {} bytes",
                run.stdout.len()
            );
            assert!(
                run.stderr.contains(&damaged) || run.stderr.contains("malformed JSON"),
                "{metadata}: {args:?}: {}",
                redact(&run.stderr)
            );
        }
        // A filter on grant types cannot match a row whose metadata is no object; over
        // metadata that is no JSON at all, SQLite's own json_each fails first. Either way
        // stdout holds one complete document or nothing.
        let run = env.run(&["-o", "json", "list", "--grant-type", "authorization_code"]);
        if run.code == 0 {
            assert_eq!(run.json().as_array().map(Vec::len), Some(ids.len() - 1));
        } else {
            assert_eq!(run.fails(1).stdout, "", "{metadata}: --grant-type");
        }
        // Listings that do not reach the damaged row, and the table (which shows no
        // metadata), still work.
        let first = env.run(&["-o", "json", "list", "--limit", "2"]).ok().json();
        assert_eq!(first[1]["client_id"], ids[1]);
        let table = env.run(&["list"]).ok().stdout;
        assert!(table.contains(&damaged));
    }
    // Once the damaged client is deleted, everything passes again.
    env.run(&["--yes", "delete", &damaged]).ok();
    env.run(&["db", "check"]).ok();
    let listed = env.run(&["-o", "json", "list"]).ok().json();
    assert_eq!(listed.as_array().map(Vec::len), Some(ids.len() - 1));
    let exported = env.run(&["export"]).ok().json();
    assert_eq!(exported.as_array().map(Vec::len), Some(ids.len() - 1));
}

/// Run `dcrctl ARGS` with `stdin` under a file-size limit of 48 KiB with SIGXFSZ ignored, so
/// that any write at or past that offset fails with EFBIG, as on a full disk. The database
/// opens (its files are read, the 32 KiB `-shm` fits) but a commit that appends to a WAL
/// already larger than the limit fails.
fn run_on_a_full_disk(env: &TestEnv, args: &[&str], stdin: &str) -> crate::util::Run {
    let dcrctl = env.std_cmd();
    let mut cmd = std::process::Command::new("/bin/sh");
    cmd.env_clear();
    for (key, value) in dcrctl.get_envs() {
        if let Some(value) = value {
            cmd.env(key, value);
        }
    }
    if let Some(dir) = dcrctl.get_current_dir() {
        cmd.current_dir(dir);
    }
    // POSIX `ulimit -f` counts 512-byte blocks; an ignored signal stays ignored across exec.
    let output = cmd
        .args(["-c", "trap '' XFSZ; ulimit -f 96; exec \"$0\" \"$@\""])
        .arg(dcrctl.get_program())
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(stdin.as_bytes())?;
            child.wait_with_output()
        })
        .expect("run dcrctl under sh");
    crate::util::Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Issue 12 item 12: when the commit fails after the credentials were printed (a full disk),
/// what was printed cannot pass for a success: the JSON document lacks its closing brace (so
/// no parser accepts it), stderr says nothing was stored, the exit code is 1, and the
/// database is unchanged.
#[test]
fn issue_12_a_failed_commit_leaves_no_complete_credential_document() {
    crate::util::sqlite_only!("holds a SQLite lock to fail the commit");
    let env = TestEnv::new();
    // A large first client makes the WAL larger than the limit the failing runs get.
    let pad = json!({"redirect_uris": [CB], "x_pad": "p".repeat(60_000)}).to_string();
    let web = env
        .run_stdin(&["-o", "json", "register", "--metadata-file", "-"], &pad)
        .ok()
        .json()["client_id"]
        .as_str()
        .expect("client_id")
        .to_owned();
    let public = env
        .run(&[
            "-o",
            "json",
            "register",
            "--redirect-uri",
            CB,
            "--token-endpoint-auth-method",
            "none",
        ])
        .ok()
        .json()["client_id"]
        .as_str()
        .expect("client_id")
        .to_owned();
    // dcrctl never checkpoints on close, but the last connection of any other program does
    // (and removes the WAL): this one stays open so that the snapshots `unchanged` takes
    // are never the last, and the WAL keeps its size.
    let keeper = rusqlite::Connection::open(env.db()).expect("open db");
    let _: i64 = keeper
        .query_row("SELECT count(*) FROM clients", [], |row| row.get(0))
        .expect("read: the connection now holds the WAL open");
    let wal = std::fs::metadata(env.db().with_extension("db-wal")).map_or(0, |m| m.len());
    assert!(wal > 64 * 1024, "the WAL holds {wal} bytes");
    let apply_file = json!([{"client_id": "provisioned", "redirect_uris": [CB]}]).to_string();
    let cases: &[(&str, Vec<&str>, &str)] = &[
        ("register", vec!["register", "--redirect-uri", CB], ""),
        (
            "register --upsert",
            vec![
                "register",
                "--upsert",
                "--client-id",
                "up",
                "--redirect-uri",
                CB,
            ],
            "",
        ),
        ("rotate-secret", vec!["rotate-secret", &web], ""),
        ("rotate-token", vec!["rotate-token", &web], ""),
        (
            "update that issues a secret",
            vec![
                "update",
                &public,
                "--token-endpoint-auth-method",
                "client_secret_basic",
            ],
            "",
        ),
        ("token create", vec!["token", "create"], ""),
        ("apply", vec!["apply", "-"], &apply_file),
    ];
    for (name, args, stdin) in cases {
        for json_output in [true, false] {
            let args: Vec<&str> = if json_output {
                ["-o", "json"].iter().chain(args).copied().collect()
            } else {
                args.clone()
            };
            let run = env.unchanged(|| run_on_a_full_disk(&env, &args, stdin));
            let run = run.fails(1);
            if json_output {
                assert!(
                    serde_json::from_str::<Value>(&run.stdout).is_err(),
                    "{name}: a complete JSON document for a change that failed"
                );
                let closed = format!("{}}}\n", run.stdout);
                assert!(
                    serde_json::from_str::<Value>(&closed).is_ok(),
                    "{name}: only the closing brace is held back"
                );
            } else {
                assert!(!run.stdout.ends_with('\n'), "{name}: table complete");
            }
            assert!(
                run.stderr.contains("nothing was stored"),
                "{name}: {}",
                redact(&run.stderr)
            );
            assert!(
                run.stdout.contains("dcrsec_")
                    || run.stdout.contains("dcrrat_")
                    || run.stdout.contains("dcriat_"),
                "{name}: the credentials were shown before the commit: {}",
                redact(&run.stdout)
            );
        }
    }
    drop(keeper);
    env.run(&["db", "check"]).ok();
    // With room on the disk the same commands print complete documents.
    let rotated = env.run(&["-o", "json", "rotate-token", &web]).ok().json();
    assert!(rotated["registration_access_token"].is_string());
}

/// Issue 12 item 11: `apply` checks each document as it reads it and keeps nothing of it in
/// memory, so a large file of bad documents is refused in little memory, the first 100 listed
/// and the rest counted (issue 17 item 8). Before, the whole file was parsed into trees
/// first: a file of 3 million `{}` needed ~250 MB and, under this 200 MB address-space cap,
/// aborted with "memory allocation failed".
#[test]
fn issue_12_apply_reports_bad_documents_in_bounded_memory() {
    let env = TestEnv::new();
    // An existing registry: apply may create one, and would say so on stderr (issue 17).
    env.run_stdin(&["apply", "-"], "[]").ok();
    let mut text = String::from("[");
    for i in 0..2_000 {
        text.push_str(&format!(
            "{{\"client_id\":\"c{i:05}\",\"redirect_uris\":[\"{CB}\"]}},"
        ));
    }
    text.push_str(&"{},".repeat(3_000_000));
    text.push_str("{}]");
    let path = env.dir().join("large.json");
    std::fs::write(&path, &text).expect("write the file");
    let dcrctl = assert_cmd::cargo::cargo_bin("dcrctl");
    let script = format!(
        "ulimit -v 200000; exec '{}' apply '{}'",
        dcrctl.display(),
        path.display()
    );
    let run = env.unchanged(|| {
        let output = std::process::Command::new("/bin/sh")
            .args(["-c", &script])
            .env("DCRCTL_DB", env.location())
            .env("NO_COLOR", "1")
            .output()
            .expect("run sh");
        crate::util::Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    });
    let run = run.fails(2);
    let lines: Vec<&str> = run.stderr.lines().collect();
    let file = path.display().to_string();
    assert_eq!(lines.len(), 102, "{}", run.stderr);
    assert!(
        lines[0].starts_with(&format!("{file}: documents[2000].client_id: is missing")),
        "{}",
        lines[0]
    );
    assert!(lines[99].starts_with(&format!("{file}: documents[2099].client_id")));
    assert_eq!(
        lines[100],
        format!("{file}: … and 2999901 more invalid documents (only the first 100 are listed)")
    );
    assert_eq!(
        lines[101],
        format!(
            "error: {file}: 3000001 documents are invalid (listed above), so nothing was written"
        )
    );
    assert_eq!(run.stdout, "");
}

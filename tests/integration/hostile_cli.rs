//! Hostile input on the command line: bytes that are not UTF-8, documents built to break
//! parsers, SQL and terminal metacharacters, absurd durations and numbers. Output, `apply`
//! and stdin secrets are in `hostile_cli_output`.
//!
//! Every refusal must exit with the SPEC §3 code, print exactly one `error:` line with no raw
//! control character in it (a hostile value must not reach the operator's terminal through an
//! error message), print nothing on stdout, leave every row of the database as it was, and
//! leave a database that `db check` still passes.

use crate::util::{all_cases, redact, Run, TestEnv};
use serde_json::json;
use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::time::Duration;

pub(crate) const CB: &str = "https://app.example.com/cb";
pub(crate) const SQL: &str = "'; DROP TABLE clients;--";

/// A database with a client, an initial access token and an admin, so that "unchanged"
/// compares real rows of every table. Returns the client's id.
pub(crate) fn populated() -> (TestEnv, String) {
    let env = TestEnv::new();
    let id = env.register("existing")["client_id"]
        .as_str()
        .expect("client_id")
        .to_owned();
    env.run(&["token", "create", "--note", "ops"]).ok();
    env.run_stdin(
        &["admin", "add", "root", "--password-stdin"],
        "pw-of-twelve",
    )
    .ok();
    (env, id)
}

/// Run `dcrctl` with arguments that need not be UTF-8 and raw stdin bytes.
pub(crate) fn run_os(env: &TestEnv, args: &[OsString], stdin: &[u8]) -> Run {
    let output = env
        .cmd()
        .args(args)
        .write_stdin(stdin.to_vec())
        .timeout(Duration::from_secs(60))
        .output()
        .expect("run dcrctl");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

pub(crate) fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

/// The database still opens and passes its integrity check; or there is none, because the
/// refused command was the first and created none (issue 17).
#[track_caller]
fn still_sound(env: &TestEnv) {
    let check = env.run(&["db", "check"]);
    if check.stderr.starts_with("error: no registry at ") {
        return;
    }
    assert_eq!(check.code, 0, "db check failed:\n{}", check.stderr);
}

/// `run` must be refused with `code`: one clean `error:` line, empty stdout, no change.
#[track_caller]
pub(crate) fn refused(env: &TestEnv, code: i32, run: impl FnOnce() -> Run) -> Run {
    let run = env.unchanged(run);
    let stderr = redact(&run.stderr);
    assert_eq!(run.code, code, "exit code; stderr:\n{stderr}");
    let errors = run
        .stderr
        .lines()
        .filter(|line| line.starts_with("error:"))
        .count();
    assert_eq!(errors, 1, "expected one error: line:\n{stderr}");
    assert!(!run.stderr.contains("panicked"), "panic:\n{stderr}");
    assert!(
        !run.stderr.chars().any(|c| c.is_control() && c != '\n'),
        "raw control character on stderr: {stderr:?}"
    );
    assert!(run.stdout.is_empty(), "stdout:\n{}", redact(&run.stdout));
    still_sound(env);
    run
}

/// The first `error:` line.
pub(crate) fn error_line(run: &Run) -> &str {
    run.stderr
        .lines()
        .find(|line| line.starts_with("error:"))
        .unwrap_or_default()
}

/// `register --metadata-file -` with `doc` must be refused naming `field` and `code`.
#[track_caller]
fn doc_refused(env: &TestEnv, doc: &[u8], field: &str, code: &str) {
    let run = refused(env, 2, || {
        run_os(env, &os(&["register", "--metadata-file", "-"]), doc)
    });
    let line = error_line(&run);
    assert!(
        line.starts_with(&format!("error: {field}")) && line.ends_with(&format!("({code})")),
        "expected {field} … ({code}): {line}"
    );
}

fn nested(open: &str, inner: &str, close: &str, depth: usize) -> Vec<u8> {
    format!(
        r#"{{"redirect_uris":["{CB}"],"x":{}{inner}{}}}"#,
        open.repeat(depth),
        close.repeat(depth)
    )
    .into_bytes()
}

#[test]
fn arguments_that_are_not_utf8_are_usage_errors() {
    let (env, id) = populated();
    let bad = || OsString::from_vec(b"caf\xe9\xff".to_vec());
    let with = |before: &[&str], after: &[&str]| -> Vec<OsString> {
        let mut args = os(before);
        args.push(bad());
        args.extend(os(after));
        args
    };
    let cases: Vec<(&str, Vec<OsString>)> = vec![
        (
            "--client-name",
            with(&["register", "--redirect-uri", CB, "--client-name"], &[]),
        ),
        ("--redirect-uri", with(&["register", "--redirect-uri"], &[])),
        ("show CLIENT_ID", with(&["show"], &[])),
        ("delete CLIENT_ID", with(&["delete", "--yes"], &[])),
        ("update --scope", with(&["update", &id, "--scope"], &[])),
        (
            "token create --note",
            with(&["token", "create", "--note"], &[]),
        ),
        ("list --name", with(&["list", "--name"], &[])),
        ("events --client", with(&["events", "--client"], &[])),
    ];
    all_cases(&cases, |args| {
        let run = refused(&env, 2, || run_os(&env, args, b""));
        assert!(run.stderr.contains("UTF-8"), "{}", run.stderr);
    });
}

#[test]
fn a_metadata_file_path_that_is_not_utf8_is_an_io_error() {
    let (env, _) = populated();
    let mut path = env.dir().as_os_str().as_bytes().to_vec();
    path.extend_from_slice(b"/missing-\xff.json");
    let args = vec![
        OsString::from("register"),
        OsString::from("--metadata-file"),
        OsString::from_vec(path),
    ];
    let run = refused(&env, 1, || run_os(&env, &args, b""));
    assert!(
        error_line(&run).contains("--metadata-file"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_metadata_file_that_never_ends_is_read_only_to_the_limit() {
    let (env, _) = populated();
    let run = refused(&env, 2, || {
        run_os(
            &env,
            &os(&["register", "--metadata-file", "/dev/zero"]),
            b"",
        )
    });
    assert!(error_line(&run).contains("65536"), "{}", run.stderr);
}

#[test]
fn metadata_documents_built_to_break_parsers() {
    let (env, _) = populated();
    let doc = |text: &str| text.as_bytes().to_vec();
    let utf16: Vec<u8> = format!(r#"{{"redirect_uris":["{CB}"]}}"#)
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let with_bytes = |bytes: &[u8]| {
        let mut out =
            br#"{"redirect_uris":["https://app.example.com/cb"],"client_name":""#.to_vec();
        out.extend_from_slice(bytes);
        out.extend_from_slice(b"\"}");
        out
    };
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("10,000 nested arrays", nested("[", "", "]", 10_000)),
        (
            "10,000 nested objects",
            nested(r#"{"a":"#, "1", "}", 10_000),
        ),
        ("100,000 nested arrays", nested("[", "", "]", 100_000)),
        (
            "duplicate key spelled with an escape",
            doc(&format!(
                r#"{{"redirect_uris":["{CB}"],"client_name":"a","client_n\u0061me":"b"}}"#
            )),
        ),
        (
            "lone surrogate escape",
            doc(&format!(
                r#"{{"redirect_uris":["{CB}"],"client_name":"\ud800"}}"#
            )),
        ),
        (
            "number out of range",
            doc(&format!(r#"{{"redirect_uris":["{CB}"],"x":1e999}}"#)),
        ),
        ("overlong UTF-8 slash", with_bytes(b"\xc0\xaf")),
        ("UTF-8 encoded surrogate", with_bytes(b"\xed\xa0\x80")),
        ("raw control byte in a string", with_bytes(b"a\x1bb")),
        ("raw NUL in a string", with_bytes(b"a\x00b")),
        (
            "NUL after the document",
            doc(&format!("{{\"redirect_uris\":[\"{CB}\"]}}\0")),
        ),
        (
            "byte order mark",
            doc(&format!("\u{feff}{{\"redirect_uris\":[\"{CB}\"]}}")),
        ),
        ("UTF-16 document", utf16),
    ];
    all_cases(&cases, |bytes| {
        doc_refused(&env, bytes, "(document)", "invalid_client_metadata");
    });
}

#[test]
fn sql_metacharacters_are_only_data() {
    let (env, id) = populated();
    let cases: Vec<(&str, (Vec<&str>, i32))> = vec![
        ("show", (vec!["show", SQL], 3)),
        ("show --name", (vec!["show", "--name", SQL], 3)),
        ("show --name %", (vec!["show", "--name", "%"], 3)),
        ("delete", (vec!["delete", "--yes", SQL], 3)),
        ("update", (vec!["update", SQL, "--client-name", "x"], 3)),
        ("rotate-secret", (vec!["rotate-secret", SQL], 3)),
        ("rotate-token", (vec!["rotate-token", SQL], 3)),
        ("verify-secret", (vec!["verify-secret", SQL], 3)),
        ("token revoke", (vec!["token", "revoke", SQL], 3)),
        ("admin remove", (vec!["admin", "remove", SQL], 3)),
        (
            "register --client-id",
            (
                vec!["register", "--redirect-uri", CB, "--client-id", SQL],
                2,
            ),
        ),
        (
            "register --token-endpoint-auth-method",
            (
                vec![
                    "register",
                    "--redirect-uri",
                    CB,
                    "--token-endpoint-auth-method",
                    SQL,
                ],
                2,
            ),
        ),
    ];
    all_cases(&cases, |(args, code)| {
        refused(&env, *code, || env.run(args));
    });
    // Filters treat them as text: nothing matches, nothing changes.
    for args in [
        ["-o", "json", "list", "--name", "' OR 1=1 --"],
        ["-o", "json", "list", "--name", "%"],
        ["-o", "json", "events", "--client", "' OR '1'='1"],
    ] {
        let run = env.unchanged(|| env.run(&args)).ok();
        assert_eq!(run.json(), json!([]), "{args:?}");
    }
    // As a name it is stored verbatim, and every table survives.
    let created = env
        .run(&[
            "-o",
            "json",
            "register",
            "--redirect-uri",
            CB,
            "--client-name",
            SQL,
        ])
        .ok()
        .json();
    assert_eq!(created["client_name"], SQL);
    let shown = env.run(&["-o", "json", "show", "--name", SQL]).ok().json();
    assert_eq!(shown["client_id"], created["client_id"]);
    assert_eq!(
        env.run(&["-o", "json", "list"])
            .ok()
            .json()
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    assert!(env
        .run(&["-o", "json", "show", &id])
        .ok()
        .json()
        .is_object());
    still_sound(&env);
}

#[test]
fn chosen_client_ids_with_forbidden_characters() {
    let (env, _) = populated();
    let cases = [
        ("SQL", SQL),
        ("dot", "."),
        ("dot dot", ".."),
        ("path traversal", "../../etc/passwd"),
        ("bidi override", "abc\u{202e}fed"),
        ("fullwidth letter", "\u{ff43}lient"),
        ("newline", "a\nb"),
        ("escape sequence", "a\u{1b}[31m"),
        ("glob star", "*"),
        ("zero-width space", "a\u{200b}b"),
    ];
    all_cases(&cases, |id| {
        let run = refused(&env, 2, || {
            env.run(&["register", "--redirect-uri", CB, "--client-id", id])
        });
        assert!(
            error_line(&run).starts_with("error: client_id: "),
            "{}",
            run.stderr
        );
    });
}

#[test]
fn absurd_durations_times_and_numbers_are_usage_errors() {
    let (env, id) = populated();
    let register = |flag: &'static str| vec!["register", "--redirect-uri", CB, flag];
    let mut cases: Vec<(&str, Vec<&str>)> = vec![
        ("secret lifetime -1s", register("--secret-expires-in=-1s")),
        (
            "secret lifetime 99999y",
            register("--secret-expires-in=99999y"),
        ),
        ("secret lifetime 1e3s", register("--secret-expires-in=1e3s")),
        ("secret lifetime empty", register("--secret-expires-in=")),
        (
            "secret lifetime with escape",
            register("--secret-expires-in=\u{1b}[2J"),
        ),
        (
            "token lifetime 99999y",
            vec!["token", "create", "--expires-in", "99999y"],
        ),
        ("token uses 0", vec!["token", "create", "--max-uses", "0"]),
        ("token uses -1", vec!["token", "create", "--max-uses=-1"]),
        (
            "token uses 2^64",
            vec!["token", "create", "--max-uses", "18446744073709551616"],
        ),
        ("prune 99999y", vec!["prune", "--unused-for", "99999y"]),
        ("list --limit -1", vec!["list", "--limit=-1"]),
        ("list --limit 1e3", vec!["list", "--limit", "1e3"]),
        (
            "list --created-before year 10000",
            vec!["list", "--created-before", "10000-01-01T00:00:00Z"],
        ),
        (
            "events --since offset +99:00",
            vec!["events", "--since", "1970-01-01T00:00:00+99:00"],
        ),
    ];
    let grace = ["rotate-secret", id.as_str(), "--grace=-5m"];
    cases.push(("rotate-secret --grace -5m", grace.to_vec()));
    let grace_long = ["rotate-secret", id.as_str(), "--grace", "99999y"];
    cases.push(("rotate-secret --grace 99999y", grace_long.to_vec()));
    all_cases(&cases, |args| {
        refused(&env, 2, || env.run(args));
    });
}

#[test]
fn hostile_flag_values_never_reach_the_terminal() {
    let (env, _) = populated();
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("--output yaml", vec!["-o", "yaml", "list"]),
        (
            "--output OSC title",
            vec!["-o", "\u{1b}]0;pwned\u{7}", "list"],
        ),
        ("--color with escape", vec!["--color", "\u{1b}[2J", "list"]),
        ("subcommand with escape", vec!["\u{1b}]52;c;ZXZpbA==\u{7}"]),
        (
            "--application-type OSC",
            vec![
                "register",
                "--redirect-uri",
                CB,
                "--application-type",
                "\u{1b}]0;x\u{7}",
            ],
        ),
        (
            "--grant-type bidi",
            vec![
                "register",
                "--redirect-uri",
                CB,
                "--grant-type",
                "code\u{202e}",
            ],
        ),
        (
            "--scope with CR",
            vec![
                "register",
                "--redirect-uri",
                CB,
                "--scope",
                "openid\rprofile",
            ],
        ),
    ];
    all_cases(&cases, |args| {
        let run = refused(&env, 2, || env.run(args));
        assert!(!run.stderr.contains('\u{202e}'), "{:?}", run.stderr);
    });
}

#[test]
fn redirect_uri_tricks_on_the_command_line() {
    let (env, _) = populated();
    let cases = [
        (
            "fullwidth localhost",
            "http://\u{ff4c}\u{ff4f}\u{ff43}\u{ff41}\u{ff4c}\u{ff48}\u{ff4f}\u{ff53}\u{ff54}/cb",
        ),
        ("trailing dot", "http://localhost./cb"),
        ("IPv4-mapped IPv6", "http://[::ffff:127.0.0.1]/cb"),
        ("nip.io", "http://127.0.0.1.nip.io/cb"),
        ("percent-encoded host", "http://%6c%6fcalhost/cb"),
        (
            "backslash userinfo",
            "https://app.example.com\\@evil.com/cb",
        ),
        ("empty fragment", "https://app.example.com/cb#"),
        ("mixed-case javascript", "jAvAsCrIpT:alert(1)"),
    ];
    all_cases(&cases, |uri| {
        let run = refused(&env, 2, || env.run(&["register", "--redirect-uri", uri]));
        let line = error_line(&run);
        assert!(
            line.starts_with("error: redirect_uris[0]: ")
                && line.ends_with("(invalid_redirect_uri)"),
            "{line}"
        );
    });
}

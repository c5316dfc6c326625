//! `apply` as issue 17 item 8 and issue 12 item 11 left it: a dry run says "would" on every
//! line, every invalid document of a file is reported (a bounded number of them), and memory
//! does not grow with the number of clients a file holds.

use crate::util::TestEnv;
use serde_json::{json, Value};
use std::io::Read;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

const CB: &str = "https://app.example/cb";

fn file(env: &TestEnv, name: &str, documents: &Value) -> String {
    let path = env.dir().join(name);
    std::fs::write(&path, serde_json::to_string_pretty(documents).unwrap()).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Registry with `keep`, `change` and `gone`; the file keeps `keep`, changes `change`, adds
/// `new` and leaves out `gone`.
fn four_ways(env: &TestEnv) -> String {
    let v1 = json!([
        {"client_id": "keep", "redirect_uris": [CB]},
        {"client_id": "change", "redirect_uris": [CB]},
        {"client_id": "gone", "redirect_uris": [CB]},
    ]);
    env.run(&["apply", &file(env, "v1.json", &v1)]).ok();
    let v2 = json!([
        {"client_id": "change", "client_name": "Changed", "redirect_uris": [CB]},
        {"client_id": "new", "grant_types": ["client_credentials"]},
        {"client_id": "keep", "redirect_uris": [CB]},
    ]);
    file(env, "v2.json", &v2)
}

#[test]
fn issue_17_a_dry_run_says_would_on_every_line_and_json_says_dry_run() {
    let env = TestEnv::new();
    let v2 = four_ways(&env);
    let run = env.unchanged(|| env.run(&["apply", "--dry-run", "--prune", &v2]).ok());
    assert_eq!(
        run.stdout,
        "would update change\nwould create new\nwould leave unchanged keep\nwould delete gone\n"
    );
    assert_eq!(
        run.stderr,
        "apply --dry-run, nothing was written: would create 1, update 1, leave 1 unchanged, \
         delete 1\n"
    );
    // JSON: the shape of a real run's report, with "dry_run": true and no credentials.
    let dry = env.unchanged(|| {
        env.run(&["-o", "json", "apply", "--dry-run", "--prune", &v2])
            .ok()
            .json()
    });
    let results = json!([
        {"client_id": "change", "result": "updated"},
        {"client_id": "new", "result": "created"},
        {"client_id": "keep", "result": "unchanged"},
        {"client_id": "gone", "result": "deleted"},
    ]);
    assert_eq!(
        dry,
        json!({"dry_run": true, "clients": results,
               "counts": {"created": 1, "updated": 1, "unchanged": 1, "deleted": 1}})
    );
    // The real run: the same report, unmarked, with the new client's credentials.
    let real = env
        .run(&["-o", "json", "--yes", "apply", "--prune", &v2])
        .ok()
        .json();
    assert_eq!(real["dry_run"], false);
    let mut real_clients = real["clients"].clone();
    for key in [
        "client_secret",
        "registration_access_token",
        "client_secret_expires_at",
    ] {
        assert!(real_clients[1][key].is_string() || real_clients[1][key].is_number());
        real_clients[1].as_object_mut().unwrap().remove(key);
    }
    assert_eq!(real_clients, results);
}

#[test]
fn issue_17_every_invalid_document_is_reported_and_nothing_is_written() {
    let env = TestEnv::new();
    // An existing registry: apply may create one, and would say so on stderr (issue 17).
    env.run_stdin(&["apply", "-"], "[]").ok();
    let bad = file(
        &env,
        "bad.json",
        &json!([
            {"client_id": "fine", "redirect_uris": [CB]},
            {"redirect_uris": [CB]},
            {"client_id": "web", "redirect_uris": ["http://web.example/cb"]},
            {"client_id": "fine", "redirect_uris": [CB]},
            "not an object",
            {"client_id": "m2m", "grant_types": ["client_credentials"], "jwks_uri": "ftp://x"},
        ]),
    );
    let run = env.unchanged(|| env.run(&["apply", &bad])).fails(2);
    assert_eq!(run.stdout, "");
    let expected = [
        format!(
            "{bad}: documents[1].client_id: is missing: apply identifies each client by its \
             client_id (invalid_client_metadata)"
        ),
        format!(
            "{bad}: documents[2] (client_id \"web\"): redirect_uris[0]: web clients may use \
             http only on loopback (127.0.0.1, [::1], localhost) (invalid_redirect_uri)"
        ),
        format!(
            "{bad}: documents[3].client_id: \"fine\" already appears in documents[0] \
             (invalid_client_metadata)"
        ),
        format!("{bad}: documents[4]: must be a JSON object (invalid_client_metadata)"),
    ];
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 6, "{}", run.stderr);
    assert_eq!(lines[..4], expected.each_ref().map(String::as_str));
    assert!(
        lines[4].starts_with(&format!(
            "{bad}: documents[5] (client_id \"m2m\"): jwks_uri: "
        )),
        "{}",
        lines[4]
    );
    assert_eq!(
        lines[5],
        format!("error: {bad}: 5 documents are invalid (listed above), so nothing was written")
    );
    // The same with -o json: the report is on stderr, stdout stays empty.
    let run = env
        .unchanged(|| env.run(&["-o", "json", "apply", "--dry-run", &bad]))
        .fails(2);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr.lines().count(), 6);
}

#[test]
fn issue_17_invalid_documents_past_the_first_hundred_are_counted() {
    let env = TestEnv::new();
    // An existing registry: apply may create one, and would say so on stderr (issue 17).
    env.run_stdin(&["apply", "-"], "[]").ok();
    let mut documents = vec![json!({"client_id": "ok", "redirect_uris": [CB]})];
    documents.extend((0..150).map(|i| json!({"client_id": format!("c{i}")})));
    let bad = file(&env, "many.json", &Value::Array(documents));
    let run = env.unchanged(|| env.run(&["apply", &bad])).fails(2);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 102, "{}", run.stderr);
    assert!(lines[0].starts_with(&format!("{bad}: documents[1] (client_id \"c0\"): ")));
    assert!(lines[99].starts_with(&format!("{bad}: documents[100] (client_id \"c99\"): ")));
    assert_eq!(
        lines[100],
        format!("{bad}: … and 50 more invalid documents (only the first 100 are listed)")
    );
    assert_eq!(
        lines[101],
        format!("error: {bad}: 150 documents are invalid (listed above), so nothing was written")
    );
}

/// `n` valid confidential clients.
fn clients_file(env: &TestEnv, n: usize) -> String {
    let mut text = String::from("[");
    for i in 0..n {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            "{{\"client_id\":\"c{i:07}\",\"client_name\":\"Client {i}\",\
             \"grant_types\":[\"client_credentials\"]}}"
        ));
    }
    text.push(']');
    let path = env.dir().join(format!("clients-{n}.json"));
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Run `dcrctl ARGS` on `env`'s database with stdout and stderr discarded, and return its
/// peak resident memory in KiB (VmHWM, a high-water mark, read from /proc while it runs).
fn peak_rss_kib(env: &TestEnv, args: &[&str]) -> u64 {
    let mut child = env
        .std_cmd()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start dcrctl");
    let status_file = Path::new("/proc")
        .join(child.id().to_string())
        .join("status");
    let mut peak = 0;
    let status = loop {
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            let hwm = text
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|kib| kib.trim().trim_end_matches("kB").trim().parse().ok());
            peak = peak.max(hwm.unwrap_or(0));
        }
        if let Some(status) = child.try_wait().expect("wait for dcrctl") {
            break status;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    assert!(status.success(), "dcrctl {args:?} failed: {stderr}");
    assert!(peak > 0, "no VmHWM read for dcrctl {args:?}");
    peak
}

/// Issue 12 item 11: an all-valid file costs no memory per client. Before, each client cost
/// about 500 bytes (its checked document, the duplicate-id map, credentials minted up front,
/// its line of the report held until the end): 24,000 clients peaked ~12 MB above 4,000.
/// Now the documents are staged in the store and the report is written as it is produced:
/// the peak is the same (within SQLite's bounded page caches) whatever the number of clients.
#[test]
fn issue_12_apply_memory_does_not_grow_with_the_number_of_clients() {
    crate::util::sqlite_only!(
        "28,000 registrations take minutes of round trips to PostgreSQL; the client-side code \
         whose memory this measures is the same on both backends (bench/apply_memory.sh \
         measures PostgreSQL too)"
    );
    let small_env = TestEnv::new();
    let small = clients_file(&small_env, 4_000);
    let large_env = TestEnv::new();
    let large = clients_file(&large_env, 24_000);
    let small_peak = peak_rss_kib(&small_env, &["apply", &small]);
    let large_peak = peak_rss_kib(&large_env, &["apply", &large]);
    assert!(
        large_peak < small_peak + 5 * 1024,
        "4,000 clients peaked at {small_peak} KiB, 24,000 at {large_peak} KiB"
    );
    assert_eq!(
        large_env.value::<i64>("SELECT count(*) FROM clients"),
        24_000
    );
}

#[test]
fn a_file_that_cannot_be_opened_creates_no_database() {
    crate::util::sqlite_only!("checks that no SQLite file appears");
    let env = TestEnv::new();
    let db = env.dir().join("fresh.db");
    let db = db.to_str().unwrap();
    let run = env.run(&["--db", db, "apply", "missing.json"]).fails(1);
    assert!(run.stderr.contains("missing.json"), "{}", run.stderr);
    assert!(!Path::new(db).exists());
}

//! `db copy SRC DST`: a whole registry moved between databases (SQLite and PostgreSQL, either
//! way) with its stored hashes, so every credential keeps working, every row is as it was
//! (metadata byte for byte, insertion order, event ids) and the copy itself is audited.

use crate::http::Server;
use crate::util::{Run, TestEnv};
use reqwest::StatusCode;
use serde_json::{json, Value};

const ADMIN: (&str, &str) = ("root", "correct horse battery");

/// What a populated source registry hands out, to prove on the copy that it still works.
struct Issued {
    client_id: String,
    /// The secret replaced by `rotate-secret --grace`, still in its grace period.
    old_secret: String,
    new_secret: String,
    rat: String,
    /// An initial access token with 3 uses, 1 of them spent.
    iat: String,
}

fn text(value: &Value, key: &str) -> String {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("no {key}"))
        .to_owned()
}

/// A registry with two clients registered in the same breath (ties in listing order), a
/// secret in grace, a client whose stored metadata is formatted as another program might
/// have written it, an initial access token partly used, a revoked one, and an admin.
fn populate(env: &TestEnv) -> Issued {
    let created = env.register("partner");
    let client_id = text(&created, "client_id");
    env.register("second");
    let rotated = env
        .run(&["-o", "json", "rotate-secret", &client_id, "--grace", "1h"])
        .ok()
        .json();
    let iat = text(
        &env.run(&["-o", "json", "token", "create", "--max-uses", "3"])
            .ok()
            .json(),
        "token",
    );
    let revoked = env.run(&["-o", "json", "token", "create"]).ok().json();
    env.run(&["-y", "token", "revoke", &text(&revoked, "token_id")])
        .ok();
    env.run_stdin(&["admin", "add", ADMIN.0, "--password-stdin"], ADMIN.1)
        .ok();
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute(
        "UPDATE clients SET metadata = '{ \"client_name\" : \"second\",\n  \"redirect_uris\":[\"https://app.example.com/callback\"] }' \
         WHERE client_name = 'second'",
        [],
    )
    .unwrap();
    let issued = Issued {
        client_id,
        old_secret: text(&created, "client_secret"),
        new_secret: text(&rotated, "client_secret"),
        rat: text(&created, "registration_access_token"),
        iat,
    };
    let server = Server::start(env, &[]);
    assert_eq!(register_with(&server, &issued.iat), StatusCode::CREATED);
    issued
}

fn register_with(server: &Server, iat: &str) -> StatusCode {
    server
        .client
        .post(server.url("/register"))
        .bearer_auth(iat)
        .json(&json!({ "redirect_uris": ["https://app.example.com/callback"] }))
        .send()
        .expect("POST")
        .status()
}

/// Everything `env` shows of its registry that a copy must keep.
fn shown(env: &TestEnv) -> [Value; 4] {
    ["export", "list", "token list", "admin list"].map(|command| {
        let mut args = vec!["-o", "json"];
        args.extend(command.split(' '));
        env.run(&args).ok().json()
    })
}

/// The rows of a [`TestEnv::snapshot`], sorted (the order of rows that no listing shows, such
/// as one client's secrets, may change), and the copy events apart.
fn rows(snapshot: &str) -> (Vec<&str>, Vec<&str>) {
    let (mut copies, mut rest): (Vec<&str>, Vec<&str>) = snapshot
        .lines()
        .partition(|line| line.starts_with("events: ") && line.contains("Text(\"copy\")"));
    copies.sort_unstable();
    rest.sort_unstable();
    (copies, rest)
}

fn count(snapshot: &str, table: &str) -> usize {
    let prefix = format!("{table}: ");
    snapshot
        .lines()
        .filter(|line| line.starts_with(&prefix))
        .count()
}

/// The audit log of `env`, oldest first.
fn events(env: &TestEnv) -> Vec<Value> {
    let mut events: Vec<Value> =
        serde_json::from_value(env.run(&["-o", "json", "events"]).ok().json()).unwrap();
    events.reverse();
    events
}

/// The copy in `env` of the registry `issued` came from: every credential still works.
fn assert_credentials_work(env: &TestEnv, issued: &Issued) {
    for secret in [&issued.old_secret, &issued.new_secret] {
        env.run_stdin(&["verify-secret", &issued.client_id], secret)
            .ok();
    }
    env.run_stdin(&["verify-secret", &issued.client_id], "dcrsec_wrong")
        .fails(6);
    let server = Server::start(env, &[]);
    let path = format!("/register/{}", issued.client_id);
    let read = server
        .client
        .get(server.url(&path))
        .bearer_auth(&issued.rat)
        .send()
        .unwrap();
    assert_eq!(read.status(), StatusCode::OK);
    let as_admin = server
        .client
        .get(server.url(&path))
        .basic_auth(ADMIN.0, Some(ADMIN.1))
        .send()
        .unwrap();
    assert_eq!(as_admin.status(), StatusCode::OK);
    let uses: Vec<StatusCode> = (0..3)
        .map(|_| register_with(&server, &issued.iat))
        .collect();
    assert_eq!(
        uses,
        [
            StatusCode::CREATED,
            StatusCode::CREATED,
            StatusCode::UNAUTHORIZED
        ],
        "the token had 2 of its 3 uses left"
    );
}

#[test]
fn a_sqlite_copy_is_the_same_registry_row_for_row_and_every_credential_works() {
    crate::util::sqlite_only!("copies SQLite files");
    let source = TestEnv::new();
    let issued = populate(&source);
    let destination = TestEnv::new();
    let before = source.snapshot();
    let dst = destination.db();
    let run = source
        .run(&[
            "-o",
            "json",
            "db",
            "copy",
            source.db().to_str().unwrap(),
            dst.to_str().unwrap(),
        ])
        .ok();
    assert_eq!(source.snapshot(), before, "the source changed");
    let counts = run.json();
    for table in [
        "clients",
        "client_secrets",
        "initial_access_tokens",
        "admins",
        "events",
    ] {
        assert_eq!(
            counts[table],
            json!(count(&before, table)),
            "{table}: {counts}"
        );
    }
    assert_eq!(
        counts["client_secrets"], 4,
        "a secret in grace is copied: {counts}"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&dst).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);

    // Row for row (metadata as its stored text, hashes, times), plus the copy event.
    let copied = destination.snapshot();
    let (copy_events, copied_rows) = rows(&copied);
    assert_eq!(copy_events.len(), 1, "{copied}");
    assert_eq!(copied_rows, rows(&before).1);
    assert_eq!(shown(&destination), shown(&source));
    let (old, new) = (events(&source), events(&destination));
    assert_eq!(new[..old.len()], old[..]);
    let last = &new[old.len()];
    assert_eq!(
        (&last["action"], &last["actor"]),
        (&json!("copy"), &json!("cli:tester"))
    );
    assert_eq!(last["details"]["copied"]["events"], json!(old.len()));
    destination.run(&["db", "check"]).ok();
    assert_credentials_work(&destination, &issued);
}

#[test]
fn a_non_empty_destination_is_refused_and_left_unchanged() {
    let source = TestEnv::new();
    source.register("partner");
    let destination = TestEnv::new();
    destination.register("already-here");
    let run = destination.unchanged(|| {
        source.run(&[
            "db",
            "copy",
            source.location().to_str().unwrap(),
            destination.location().to_str().unwrap(),
        ])
    });
    let run = run.fails(4);
    assert!(
        run.stderr.contains("not empty") || run.stderr.contains("non-empty"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn a_missing_source_is_an_error_and_creates_nothing() {
    let env = TestEnv::new();
    let missing = env.dir().join("missing.db");
    let dst = env.dir().join("copy.db");
    env.run(&[
        "db",
        "copy",
        missing.to_str().unwrap(),
        dst.to_str().unwrap(),
    ])
    .fails(1);
    assert!(!missing.exists() && !dst.exists());
}

/// A PostgreSQL schema of its own for one test, dropped at the end.
struct Schema {
    server: String,
    name: String,
    url: String,
}

impl Schema {
    fn new(tag: &str) -> Schema {
        let server = std::env::var("DCRCTL_TEST_POSTGRES").expect("DCRCTL_TEST_POSTGRES");
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!("copy_{tag}_{}_{nanos}", std::process::id());
        let mut client = postgres::Client::connect(&server, postgres::NoTls).unwrap();
        client
            .batch_execute(&format!("CREATE SCHEMA {name}"))
            .unwrap();
        let separator = if server.contains('?') { '&' } else { '?' };
        let url = format!("{server}{separator}options=-csearch_path%3D{name}");
        Schema { server, name, url }
    }

    /// The password in the server's URL, which no output may show.
    fn password(&self) -> &str {
        let rest = self.server.split_once("://").unwrap().1;
        let user_info = rest.split_once('@').expect("a URL with a password").0;
        user_info.split_once(':').expect("a URL with a password").1
    }

    /// `run`, after checking that it shows no password.
    #[track_caller]
    fn quiet(&self, run: Run) -> Run {
        for output in [&run.stdout, &run.stderr] {
            assert!(
                !output.contains(self.password()),
                "the password is shown:\n{output}"
            );
        }
        run
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&self.server, postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP SCHEMA {} CASCADE", self.name));
        }
    }
}

#[test]
#[cfg_attr(
    not(dcrctl_pg),
    ignore = "needs PostgreSQL: eval \"$(scripts/postgres.sh start)\" then cargo test"
)]
fn a_round_trip_through_postgres_keeps_every_row_and_credential() {
    crate::util::sqlite_only!("starts from a SQLite file");
    let source = TestEnv::new();
    let issued = populate(&source);
    let before = source.snapshot();
    let schema = Schema::new("trip");
    let pg = schema.url.as_str();
    let src = source.db();
    let there = schema
        .quiet(source.run(&["-o", "json", "db", "copy", src.to_str().unwrap(), pg]))
        .ok()
        .json();
    assert_eq!(there["clients"], 3, "{there}");
    assert!(
        there["destination"].as_str().unwrap().contains(":***@"),
        "{there}"
    );
    schema.quiet(source.run(&["--db", pg, "db", "check"])).ok();
    let state = |env: &TestEnv| {
        let export = schema.quiet(env.run(&["--db", pg, "export"])).ok().stdout;
        let events = schema.quiet(env.run(&["--db", pg, "events"])).ok().stdout;
        (export, events)
    };
    let there_before = state(&source);
    let refused = schema
        .quiet(source.run(&["db", "copy", src.to_str().unwrap(), pg]))
        .fails(4);
    assert!(refused.stderr.contains(":***@"), "{}", refused.stderr);
    assert_eq!(state(&source), there_before, "a refused copy wrote");

    let destination = TestEnv::new();
    let back = destination.db();
    schema
        .quiet(source.run(&["db", "copy", pg, back.to_str().unwrap()]))
        .ok();
    assert_eq!(source.snapshot(), before, "the source changed");
    let copied = destination.snapshot();
    let (copy_events, copied_rows) = rows(&copied);
    assert_eq!(copy_events.len(), 2, "{copied}");
    assert!(!copied.contains(schema.password()));
    assert_eq!(copied_rows, rows(&before).1, "a row changed on the way");
    assert_eq!(shown(&destination), shown(&source));
    let (old, new) = (events(&source), events(&destination));
    assert_eq!(new[..old.len()], old[..]);
    assert_eq!(new.len(), old.len() + 2);
    assert_eq!(
        new[old.len() + 1]["details"]["copied"]["events"],
        json!(old.len() + 1)
    );
    destination.run(&["db", "check"]).ok();
    assert_credentials_work(&destination, &issued);

    // The copied ids are behind PostgreSQL's sequences: new rows there do not collide.
    schema
        .quiet(source.run(&[
            "--db",
            pg,
            "register",
            "--client-name",
            "after-the-copy",
            "--redirect-uri",
            "https://app.example.com/callback",
        ]))
        .ok();
    schema
        .quiet(source.run(&["--db", pg, "token", "create", "--max-uses", "1"]))
        .ok();
    let listed = schema
        .quiet(source.run(&["--db", pg, "-o", "json", "list"]))
        .ok()
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 4);
    assert_eq!(listed[3]["client_name"], "after-the-copy");
}

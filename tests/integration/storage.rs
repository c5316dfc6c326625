//! Storage guarantees: file modes, secrets never stored in plaintext, refusal of foreign or
//! newer databases without modifying them, and concurrent writers.

use crate::util::TestEnv;
use std::os::unix::fs::PermissionsExt;

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn database_file_and_folder_are_private() {
    crate::util::sqlite_only!("the database is a file");
    let env = TestEnv::new();
    // A reader holding the database open keeps the -wal and -shm files in place.
    env.register("first");
    let reader = rusqlite::Connection::open(env.db()).unwrap();
    reader
        .query_row("SELECT count(*) FROM clients", [], |r| r.get::<_, i64>(0))
        .unwrap();
    env.register("second");
    assert_eq!(mode(&env.db()), 0o600);
    assert_eq!(mode(env.db().parent().unwrap()), 0o700);
    for suffix in ["-wal", "-shm"] {
        let path = env.db().with_file_name(format!("clients.db{suffix}"));
        assert!(
            path.exists(),
            "{suffix} should exist while a reader is open"
        );
        assert_eq!(mode(&path), 0o600, "{suffix}");
    }
}

/// Every secret and token ever issued, collected from the one-time responses, must be absent
/// from the database file and its WAL.
#[test]
fn no_secret_or_token_is_stored_in_plaintext() {
    crate::util::sqlite_only!("scans the SQLite file's bytes");
    let env = TestEnv::new();
    let mut issued: Vec<String> = Vec::new();
    let mut collect = |value: &serde_json::Value| {
        for key in ["client_secret", "registration_access_token"] {
            if let Some(s) = value.get(key).and_then(|v| v.as_str()) {
                issued.push(s.to_owned());
            }
        }
    };
    let first = env.register("a");
    collect(&first);
    let id = first["client_id"].as_str().unwrap().to_owned();
    // Keep the WAL alive so its contents can be scanned too.
    let reader = rusqlite::Connection::open(env.db()).unwrap();
    reader
        .query_row("SELECT count(*) FROM clients", [], |r| r.get::<_, i64>(0))
        .unwrap();
    collect(
        &env.run(&["-o", "json", "rotate-secret", &id, "--grace", "1h"])
            .ok()
            .json(),
    );
    collect(&env.run(&["-o", "json", "rotate-token", &id]).ok().json());
    let chosen = "my-chosen-secret-value-0123456789";
    collect(
        &env.run_stdin(
            &[
                "-o",
                "json",
                "register",
                "--client-id",
                "chosen",
                "--client-secret-stdin",
                "--redirect-uri",
                "https://c.example/cb",
            ],
            &format!("{chosen}\n"),
        )
        .ok()
        .json(),
    );
    let public = env
        .run(&[
            "-o",
            "json",
            "register",
            "--token-endpoint-auth-method",
            "none",
            "--redirect-uri",
            "http://127.0.0.1/cb",
        ])
        .ok()
        .json();
    collect(&public);
    let public_id = public["client_id"].as_str().unwrap();
    collect(
        &env.run(&[
            "-o",
            "json",
            "update",
            public_id,
            "--token-endpoint-auth-method",
            "client_secret_post",
        ])
        .ok()
        .json(),
    );
    issued.push(chosen.to_owned());
    assert!(
        issued.len() >= 7,
        "expected to collect every credential: {issued:?}"
    );

    let mut files = vec![std::fs::read(env.db()).unwrap()];
    let wal = env.db().with_file_name("clients.db-wal");
    files.push(std::fs::read(&wal).unwrap_or_default());
    assert!(files.iter().map(Vec::len).sum::<usize>() > 0);
    for secret in &issued {
        let random_part = secret
            .split_once('_')
            .map_or(secret.as_str(), |(_, rest)| rest);
        for bytes in &files {
            let haystack = String::from_utf8_lossy(bytes);
            assert!(
                !haystack.contains(random_part),
                "a credential is stored in plaintext"
            );
        }
    }
    drop(reader);
}

#[test]
fn newer_schema_is_refused_and_left_untouched() {
    crate::util::sqlite_only!("sets SQLite's user_version");
    let env = TestEnv::new();
    env.register("a");
    {
        let conn = rusqlite::Connection::open(env.db()).unwrap();
        conn.execute_batch("PRAGMA user_version = 99").unwrap();
    }
    let before = std::fs::read(env.db()).unwrap();
    let run = env.run(&["list"]).fails(1);
    assert!(
        run.stderr.contains("newer than this dcrctl supports"),
        "{}",
        run.stderr
    );
    env.run(&[
        "register",
        "--client-name",
        "x",
        "--redirect-uri",
        "https://a.example/cb",
    ])
    .fails(1);
    assert_eq!(
        before,
        std::fs::read(env.db()).unwrap(),
        "the file was modified"
    );
}

#[test]
fn a_file_that_is_not_a_database_gets_a_clear_error() {
    crate::util::sqlite_only!("the database is a file");
    let env = TestEnv::new();
    std::fs::create_dir_all(env.db().parent().unwrap()).unwrap();
    let garbage =
        b"this is a text file, not SQLite, with enough bytes to look like a header....".repeat(20);
    std::fs::write(env.db(), &garbage).unwrap();
    let run = env.run(&["list"]).fails(1);
    assert!(
        run.stderr.contains("not a dcrctl database"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(env.db()).unwrap(), garbage);
}

#[test]
fn another_programs_database_is_refused_unmodified() {
    crate::util::sqlite_only!("reads SQLite's application_id");
    let env = TestEnv::new();
    std::fs::create_dir_all(env.db().parent().unwrap()).unwrap();
    {
        let conn = rusqlite::Connection::open(env.db()).unwrap();
        conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me');")
            .unwrap();
    }
    let before = std::fs::read(env.db()).unwrap();
    let run = env.run(&["list"]).fails(1);
    assert!(
        run.stderr.contains("not a dcrctl database"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(env.db()).unwrap(), before);
}

#[test]
fn a_directory_as_database_is_an_environment_error() {
    crate::util::sqlite_only!("the database is a file");
    let env = TestEnv::new();
    std::fs::create_dir_all(env.db()).unwrap();
    env.run(&["list"]).fails(1);
}

#[test]
fn schema_is_versioned_and_reopening_is_idempotent() {
    crate::util::sqlite_only!("reads SQLite's user_version");
    let env = TestEnv::new();
    env.register("first");
    env.run(&["list"]).ok();
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let app: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    let journal: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1);
    assert_eq!(app, 0x6463_7263);
    assert_eq!(journal, "wal");
}

/// Four processes each registering 50 clients into one new file at once: none fails, none is
/// lost, nobody sees "database is locked".
#[test]
fn concurrent_writers_all_succeed() {
    let env = TestEnv::new();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|worker| {
                let env = &env;
                scope.spawn(move || {
                    for n in 0..50 {
                        let name = format!("w{worker}-{n}");
                        let run = env.run(&[
                            "register",
                            "--client-name",
                            &name,
                            "--redirect-uri",
                            "https://a.example/cb",
                        ]);
                        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
                        assert!(!run.stderr.contains("locked"), "{}", run.stderr);
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.join().unwrap();
        }
    });
    let clients = env.run(&["-o", "json", "list"]).ok().json();
    assert_eq!(clients.as_array().unwrap().len(), 200);
    let events: i64 = env.value("SELECT count(*) FROM events WHERE action = 'register'");
    assert_eq!(events, 200, "every registration has its audit row");
}

/// docs/storage.md tells authorization servers how to verify secrets; follow it literally,
/// with SQL and hashing written here rather than dcrctl's own code.
#[test]
fn documented_verification_recipe_works() {
    crate::util::sqlite_only!("the recipe reads the SQLite file");
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    use sha2::{Digest, Sha256};
    let env = TestEnv::new();
    let created = env.register("doc");
    let client_id = created["client_id"].as_str().unwrap();
    let secret = created["client_secret"].as_str().unwrap();
    env.run_stdin(
        &[
            "register",
            "--client-id",
            "chosen",
            "--client-secret-stdin",
            "--redirect-uri",
            "https://a.example/cb",
        ],
        "admin-picked",
    )
    .ok();
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let candidates = |id: &str| -> Vec<String> {
        let mut statement = conn
            .prepare(
                "SELECT secret_hash FROM client_secrets WHERE client_id = ?1 \
                 AND (expires_at = 0 OR expires_at > CAST(strftime('%s','now') AS INTEGER))",
            )
            .unwrap();
        statement
            .query_map([id], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let hex: String = Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(candidates(client_id), vec![format!("sha256:{hex}")]);
    let token = created["registration_access_token"].as_str().unwrap();
    let token_hex: String = Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let stored_token: String = conn
        .query_row(
            "SELECT registration_token_hash FROM clients WHERE client_id = ?1",
            [client_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored_token, format!("sha256:{token_hex}"));
    let chosen = candidates("chosen");
    assert_eq!(chosen.len(), 1);
    let parsed = PasswordHash::new(&chosen[0]).unwrap();
    assert_eq!(parsed.algorithm.as_str(), "argon2id");
    assert!(argon2::Argon2::default()
        .verify_password(b"admin-picked", &parsed)
        .is_ok());
    let method: String = conn
        .query_row("SELECT json_extract(metadata, '$.token_endpoint_auth_method') FROM clients WHERE client_id = ?1", [client_id], |r| r.get(0))
        .unwrap();
    assert_eq!(method, "client_secret_basic");
}

/// Each CLI process commits once and exits without checkpointing; the WAL must still stay
/// bounded (a writer checkpoints it past 1 MiB) and the database consistent.
#[test]
fn wal_stays_bounded_across_many_processes() {
    crate::util::sqlite_only!("measures SQLite's WAL");
    let env = TestEnv::new();
    let wal = env.db().with_file_name("clients.db-wal");
    let mut largest = 0;
    for n in 0..60 {
        env.run(&[
            "register",
            "--client-name",
            &format!("c{n}"),
            "--redirect-uri",
            "https://a.example/cb",
            "--contact",
            &"x".repeat(2000),
        ])
        .ok();
        largest = largest.max(std::fs::metadata(&wal).map_or(0, |m| m.len()));
    }
    assert!(largest > 0, "the WAL persists between processes");
    assert!(
        largest <= 1024 * 1024 + 256 * 1024,
        "WAL grew to {largest} bytes"
    );
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let count: i64 = conn
        .query_row("SELECT count(*) FROM clients", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 60);
}

/// SPEC §6: a `postgres://` location is a PostgreSQL database, never a file name: a server
/// that cannot be reached fails the command (exit 1) with a message that names the location
/// without its password, and no file is created.
#[test]
fn an_unreachable_postgres_url_fails_without_showing_its_password_or_creating_files() {
    let env = TestEnv::new();
    let url = "postgres://app:s3cret-pw@127.0.0.1:9/registry?sslmode=require";
    for args in [
        vec!["--db", url, "list"],
        vec![
            "--db",
            url,
            "register",
            "--client-name",
            "x",
            "--grant-type",
            "client_credentials",
        ],
        vec!["--db", url, "serve", "--issuer", "http://127.0.0.1"],
    ] {
        let run = env.run(&args).fails(1);
        assert!(
            run.stderr
                .contains("postgres://app:***@127.0.0.1:9/registry?sslmode=require"),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("s3cret"), "the password is shown");
    }
    let via_env = env
        .cmd()
        .env(
            "DCRCTL_DB",
            "postgresql://app:s3cret-pw@127.0.0.1:9/registry",
        )
        .arg("export")
        .output()
        .unwrap();
    assert_eq!(via_env.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&via_env.stderr).contains("s3cret"));
    let created: Vec<_> = std::fs::read_dir(env.dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert!(
        !created
            .iter()
            .any(|name| name.to_string_lossy().starts_with("postgres")),
        "{created:?}"
    );
}

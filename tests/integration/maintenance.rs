//! Cron cleanup and maintenance: prune, events, db check, db backup.

use crate::util::TestEnv;
use serde_json::{json, Value};

fn sql(env: &TestEnv, statements: &str) {
    env.sql(&portable(statements));
}

fn count(env: &TestEnv, query: &str) -> i64 {
    env.value(&portable(query))
}

/// `sql` with SQLite's "now" as a number, which both backends read.
fn portable(sql: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    sql.replace("strftime('%s','now')", &now.to_string())
}

fn id(value: &Value) -> String {
    value["client_id"].as_str().unwrap().to_owned()
}

/// Register a client whose secret expired `days` ago.
fn expired_client(env: &TestEnv, name: &str, days: i64) -> String {
    let client_id = id(&env.register(name));
    sql(
        env,
        &format!(
            "UPDATE clients SET client_secret_expires_at = strftime('%s','now') - {days} * 86400 WHERE client_id = '{client_id}';
             UPDATE client_secrets SET expires_at = strftime('%s','now') - {days} * 86400 WHERE client_id = '{client_id}';"
        ),
    );
    client_id
}

#[test]
fn prune_needs_a_criterion() {
    let env = TestEnv::new();
    env.register("x");
    env.unchanged(|| {
        let run = env.run(&["prune"]).fails(2);
        assert!(run.stderr.contains("--expired-for"), "{}", run.stderr);
        env.run(&["prune", "--include-provisioned"]).fails(2);
        env.run(&["prune", "--expired-for", "soon"]).fails(2);
    });
}

#[test]
fn prune_removes_clients_whose_secret_expired_long_enough_ago() {
    let env = TestEnv::new();
    let old = expired_client(&env, "old", 40);
    let recent = expired_client(&env, "recent", 5);
    let live = id(&env.register("live"));
    let summary = env
        .run(&["-o", "json", "prune", "--expired-for", "30d"])
        .ok()
        .json();
    assert_eq!(summary["clients"], json!({"expired": 1, "unused": 0}));
    assert_eq!(summary["dry_run"], false);
    env.run(&["show", &old]).fails(3);
    env.run(&["show", &recent]).ok();
    env.run(&["show", &live]).ok();
    assert_eq!(
        count(
            &env,
            &format!("SELECT count(*) FROM client_secrets WHERE client_id = '{old}'")
        ),
        0
    );
    let pruned = env
        .run(&["-o", "json", "events", "--client", &old])
        .ok()
        .json();
    assert_eq!(
        pruned
            .as_array()
            .unwrap()
            .iter()
            .filter(|event| event["action"] == "prune" && event["details"]["reason"] == "expired")
            .count(),
        1
    );
    // Idempotent: nothing more to do, nothing written.
    let again = env.unchanged(|| env.run(&["prune", "--expired-for", "30d"]).ok());
    assert!(
        again.stdout.starts_with("pruned 0 clients"),
        "{}",
        again.stdout
    );
}

#[test]
fn prune_unused_touches_only_http_registrations_unless_asked() {
    let env = TestEnv::new();
    let abandoned = id(&env.register("abandoned-dynamic"));
    let provisioned = id(&env.register("provisioned-by-operator"));
    let active = id(&env.register("active-dynamic"));
    let fresh = id(&env.register("fresh-dynamic"));
    let long_ago = "strftime('%s','now') - 100 * 86400";
    sql(
        &env,
        &format!(
            "UPDATE clients SET registered_via = 'http', client_id_issued_at = {long_ago} WHERE client_id IN ('{abandoned}', '{active}');
             UPDATE clients SET client_id_issued_at = {long_ago} WHERE client_id = '{provisioned}';
             UPDATE clients SET registered_via = 'http' WHERE client_id = '{fresh}';
             UPDATE clients SET last_used_at = strftime('%s','now') - 86400 WHERE client_id = '{active}';"
        ),
    );
    let dry = env.unchanged(|| {
        env.run(&["-o", "json", "prune", "--unused-for", "30d", "--dry-run"])
            .ok()
            .json()
    });
    assert_eq!(
        dry["would_remove"],
        json!([{"client_id": abandoned, "reason": "unused"}])
    );
    env.run(&["prune", "--unused-for", "30d"]).ok();
    env.run(&["show", &abandoned]).fails(3);
    for kept in [&provisioned, &active, &fresh] {
        env.run(&["show", kept]).ok();
    }
    let summary = env
        .run(&[
            "-o",
            "json",
            "prune",
            "--unused-for",
            "30d",
            "--include-provisioned",
        ])
        .ok()
        .json();
    assert_eq!(summary["clients"]["unused"], 1);
    env.run(&["show", &provisioned]).fails(3);
}

#[test]
fn prune_keeps_recent_events_and_removes_dead_initial_access_tokens() {
    let env = TestEnv::new();
    env.register("a");
    env.register("b");
    sql(
        &env,
        "UPDATE events SET at = strftime('%s','now') - 400 * 86400 WHERE event_id = 1;
         INSERT INTO initial_access_tokens (token_id, token_hash, created_at, expires_at, max_uses, uses, revoked_at) VALUES
           ('expired', 'sha256:01', 0, 1, NULL, 0, NULL),
           ('used-up', 'sha256:02', 0, 0, 2, 2, NULL),
           ('revoked', 'sha256:03', 0, 0, NULL, 0, 5),
           ('live', 'sha256:04', 0, 0, 5, 1, NULL),
           ('live-until-later', 'sha256:05', 0, 4102444800, NULL, 0, NULL);",
    );
    let dry = env.unchanged(|| {
        env.run(&["-o", "json", "prune", "--keep-events", "365d", "--dry-run"])
            .ok()
            .json()
    });
    assert_eq!(
        (dry["events"].clone(), dry["initial_access_tokens"].clone()),
        (json!(1), json!(3))
    );
    let summary = env
        .run(&["-o", "json", "prune", "--keep-events", "365d"])
        .ok()
        .json();
    assert_eq!(summary["events"], 1);
    assert_eq!(summary["initial_access_tokens"], 3);
    let mut left: Vec<String> = env
        .rows("SELECT token_id FROM initial_access_tokens")
        .into_iter()
        .filter_map(|row| row[0].clone())
        .collect();
    left.sort();
    assert_eq!(left, ["live", "live-until-later"]);
    assert_eq!(
        count(&env, "SELECT count(*) FROM events WHERE event_id = 1"),
        0
    );
    assert_eq!(
        count(
            &env,
            "SELECT count(*) FROM events WHERE action = 'register'"
        ),
        1
    );
    assert_eq!(
        count(
            &env,
            "SELECT count(*) FROM events WHERE action IN ('prune-events', 'prune-tokens')"
        ),
        2
    );
}

/// A writer registering clients while prune deletes over several batches loses nothing.
#[test]
fn prune_beside_a_concurrent_writer_loses_none_of_its_work() {
    let env = TestEnv::new();
    env.register("seed");
    // 1,200 expired clients: several prune batches.
    sql(
        &env,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200)
         INSERT INTO clients (client_id, client_name, metadata, token_endpoint_auth_method, client_id_issued_at,
                              client_secret_expires_at, registration_token_hash, registered_via, updated_at)
         SELECT 'expired-' || i, 'expired', '{\"redirect_uris\":[]}', 'client_secret_basic', 1, 2,
                'sha256:' || i, 'cli', 1 FROM n;",
    );
    let written: Vec<String> = std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            (0..40)
                .map(|n| id(&env.register(&format!("writer-{n}"))))
                .collect()
        });
        for _ in 0..3 {
            env.run(&["prune", "--expired-for", "1d"]).ok();
        }
        writer.join().unwrap()
    });
    env.run(&["prune", "--expired-for", "1d"]).ok();
    assert_eq!(
        count(
            &env,
            "SELECT count(*) FROM clients WHERE client_name = 'expired'"
        ),
        0
    );
    let listed = env
        .run(&["-o", "json", "list", "--name", "writer-*"])
        .ok()
        .json();
    let mut listed: Vec<String> = listed.as_array().unwrap().iter().map(id).collect();
    let mut written = written;
    listed.sort();
    written.sort();
    assert_eq!(listed, written);
    let events = env.run(&["-o", "json", "events"]).ok().json();
    let pruned = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|event| event["action"] == "prune")
        .count();
    assert_eq!(pruned, 1200);
}

#[test]
fn events_are_newest_first_and_filterable() {
    let env = TestEnv::new();
    let a = id(&env.register("a"));
    let b = env.register("b");
    env.run(&["update", &a, "--client-name", "a2"]).ok();
    env.run(&["--yes", "delete", &a]).ok();
    let all = env.run(&["-o", "json", "events"]).ok().json();
    let actions: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["delete", "update", "register", "register"]);
    assert_eq!(all[0]["actor"], "cli:tester");
    assert_eq!(all[1]["details"], json!({"changed": ["client_name"]}));
    let for_a = env
        .run(&["-o", "json", "events", "--client", &a])
        .ok()
        .json();
    assert_eq!(for_a.as_array().unwrap().len(), 3);
    assert_eq!(
        env.run(&["-o", "json", "events", "--limit", "1"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        env.run(&["-o", "json", "events", "--since", "2999-01-01"])
            .ok()
            .json(),
        json!([])
    );
    assert_eq!(
        env.run(&["-o", "json", "events", "--since", "1h"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .len(),
        4
    );
    let table = env.run(&["events"]).ok().stdout;
    assert!(table.starts_with("TIME"));
    for secret in [&b["client_secret"], &b["registration_access_token"]] {
        assert!(!table.contains(secret.as_str().unwrap()));
    }
    env.run(&["events", "--since", "someday"]).fails(2);
}

#[test]
fn db_check_passes_a_sound_file_and_fails_a_damaged_one() {
    crate::util::sqlite_only!("damages rows with SQLite-only SQL");
    let env = TestEnv::new();
    env.register("a");
    let report = env.run(&["-o", "json", "db", "check"]).ok().json();
    assert_eq!(report["ok"], true);
    assert_eq!(report["schema_version"], 1);
    // A secret whose client vanished behind the foreign keys' back.
    {
        let conn = rusqlite::Connection::open(env.db()).unwrap();
        conn.execute_batch("PRAGMA foreign_keys = OFF; INSERT INTO client_secrets (client_id, secret_hash, created_at) VALUES ('ghost', 'sha256:00', 0);")
            .unwrap();
    }
    let run = env.run(&["db", "check"]).fails(1);
    assert!(run.stdout.contains("client_secrets"), "{}", run.stdout);
    let missing = env.dir().join("missing.db");
    env.run(&["--db", missing.to_str().unwrap(), "db", "check"])
        .fails(1);
    assert!(!missing.exists(), "db check must not create a database");
}

#[test]
fn db_check_fails_on_corrupted_pages() {
    crate::util::sqlite_only!("corrupts the file's pages");
    let env = TestEnv::new();
    for n in 0..30 {
        env.run(&[
            "register",
            "--client-name",
            &format!("c{n}"),
            "--redirect-uri",
            "https://a.example/cb",
            "--contact",
            &"x".repeat(1500),
        ])
        .ok();
    }
    sql(&env, "PRAGMA wal_checkpoint(TRUNCATE);");
    let mut bytes = std::fs::read(env.db()).unwrap();
    assert!(bytes.len() > 5 * 4096);
    for byte in &mut bytes[3 * 4096 + 100..5 * 4096] {
        *byte = 0xA5;
    }
    std::fs::write(env.db(), &bytes).unwrap();
    let run = env.run(&["db", "check"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("error:"));
}

#[test]
fn db_backup_is_consistent_while_another_process_writes() {
    crate::util::sqlite_only!("db backup copies a SQLite file");
    let env = TestEnv::new();
    env.register("before");
    let backup = env.dir().join("backup.db");
    let registered = std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            for n in 0..30 {
                env.register(&format!("during-{n}"));
            }
        });
        std::thread::sleep(std::time::Duration::from_millis(100));
        let run = env
            .run(&["-o", "json", "db", "backup", backup.to_str().unwrap()])
            .ok()
            .json();
        writer.join().unwrap();
        run
    });
    assert!(registered["bytes"].as_u64().unwrap() > 0);
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&backup).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
    let check = env
        .run(&[
            "--db",
            backup.to_str().unwrap(),
            "-o",
            "json",
            "db",
            "check",
        ])
        .ok()
        .json();
    assert_eq!(check["ok"], true);
    let in_backup = env
        .run(&["--db", backup.to_str().unwrap(), "-o", "json", "list"])
        .ok()
        .json();
    let in_backup = in_backup.as_array().unwrap().len();
    assert!((1..=31).contains(&in_backup), "{in_backup}");
    // The backup never overwrites.
    env.unchanged(|| {
        env.run(&["db", "backup", backup.to_str().unwrap()])
            .fails(4)
    });
}

/// A prune transaction stores one audit row for all its clients; `events` shows one `prune`
/// event per client all the same, finds each by `--client`, and counts them for `--limit`
/// and `--keep-events`.
#[test]
fn pruned_clients_each_have_their_event() {
    let env = TestEnv::new();
    let pruned: Vec<String> = (0..5)
        .map(|n| expired_client(&env, &format!("old-{n}"), 40))
        .collect();
    let kept = id(&env.register("kept"));
    env.run(&["prune", "--expired-for", "30d"]).ok();
    assert_eq!(
        count(&env, "SELECT count(*) FROM events WHERE action = 'prune'"),
        1,
        "one stored row for the prune transaction"
    );

    let prune_events = |args: &[&str]| -> Vec<Value> {
        let mut command = vec!["-o", "json", "events"];
        command.extend_from_slice(args);
        let listed = env.run(&command).ok().json();
        listed
            .as_array()
            .unwrap()
            .iter()
            .filter(|event| event["action"] == "prune")
            .cloned()
            .collect()
    };
    let all = prune_events(&[]);
    let mut named: Vec<String> = all.iter().map(id).collect();
    named.sort();
    let mut expected = pruned.clone();
    expected.sort();
    assert_eq!(named, expected);
    for event in &all {
        assert_eq!(event["details"], json!({ "reason": "expired" }));
    }
    for client in &pruned {
        let found = prune_events(&["--client", client]);
        assert_eq!(found.len(), 1, "{client}: {found:?}");
        assert_eq!(id(&found[0]), *client);
    }
    assert!(prune_events(&["--client", &kept]).is_empty());
    // --limit counts events, not stored rows.
    assert_eq!(prune_events(&["--limit", "3"]).len(), 3);

    // Dropping the audit log counts the prune row as the five events it holds.
    sql(&env, "UPDATE events SET at = at - 90 * 86400");
    let dry = env
        .run(&["-o", "json", "prune", "--keep-events", "30d", "--dry-run"])
        .ok()
        .json();
    let done = env
        .run(&["-o", "json", "prune", "--keep-events", "30d"])
        .ok()
        .json();
    let total = count(
        &env,
        "SELECT count(*) FROM events WHERE at < strftime('%s','now') - 30 * 86400",
    );
    assert_eq!(total, 0);
    assert_eq!(dry["events"], done["events"]);
    // 6 registrations and 5 pruned clients.
    assert_eq!(done["events"], 11, "{done}");
}

/// SPEC §2: the audit log names the CLI user (`cli:<user>`). Cron, containers and systemd
/// units often run without `USER` or `LOGNAME`; the account is still known to the OS.
#[test]
fn audit_actor_names_the_os_account_without_user_variables() {
    let env = TestEnv::new();
    let output = env
        .cmd()
        .env_remove("USER")
        .env_remove("LOGNAME")
        .args([
            "register",
            "--grant-type",
            "client_credentials",
            "--client-name",
            "cron",
        ])
        .output()
        .expect("run dcrctl");
    assert!(output.status.success());
    let whoami = std::process::Command::new("id")
        .arg("-un")
        .output()
        .expect("id -un");
    let name = String::from_utf8_lossy(&whoami.stdout).trim().to_owned();
    let events = env.run(&["-o", "json", "events"]).ok().json();
    assert_eq!(events[0]["actor"], format!("cli:{name}"));
}

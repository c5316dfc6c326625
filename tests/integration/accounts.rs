//! Initial access tokens and admin accounts: `token create|list|revoke` and
//! `admin add|list|remove|passwd`.

use crate::util::TestEnv;
use serde_json::{json, Value};

fn query<T: std::str::FromStr>(env: &TestEnv, sql: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    env.value(sql)
}

/// Every byte the database keeps, WAL included, as lossy text (on PostgreSQL, every row).
fn db_bytes(env: &TestEnv) -> String {
    if env.postgres().is_some() {
        return env.snapshot();
    }
    let mut bytes = std::fs::read(env.db()).unwrap();
    let mut wal = env.db().into_os_string();
    wal.push("-wal");
    if let Ok(more) = std::fs::read(&wal) {
        bytes.extend(more);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn audit_details(env: &TestEnv) -> Vec<(String, String)> {
    env.rows("SELECT action, actor || ' ' || details FROM events ORDER BY event_id")
        .into_iter()
        .map(|row| (row[0].clone().unwrap(), row[1].clone().unwrap()))
        .collect()
}

fn create_token(env: &TestEnv, args: &[&str]) -> Value {
    let mut all = vec!["-o", "json", "token", "create"];
    all.extend_from_slice(args);
    env.run(&all).ok().json()
}

#[test]
fn token_create_prints_the_token_once_and_stores_only_its_hash() {
    let env = TestEnv::new();
    let run = env
        .run(&[
            "-o",
            "json",
            "token",
            "create",
            "--max-uses",
            "5",
            "--note",
            "ci pipeline",
        ])
        .ok();
    assert!(run.stderr.contains("shown once"), "{}", run.stderr);
    let issued = run.json();
    let object = issued.as_object().unwrap();
    let keys: Vec<&str> = object.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["token_id", "token", "expires_at", "max_uses", "note"]
    );
    assert_eq!(issued["expires_at"], 0);
    assert_eq!(issued["max_uses"], 5);
    assert_eq!(issued["note"], "ci pipeline");
    let token = issued["token"].as_str().unwrap();
    let token_id = issued["token_id"].as_str().unwrap();
    assert!(token.starts_with("dcriat_"), "{token}");
    assert!(token_id.starts_with("iat_"), "{token_id}");

    // Only the SHA-256 hash is kept.
    let random = token.strip_prefix("dcriat_").unwrap();
    assert!(random.len() >= 43);
    assert!(!db_bytes(&env).contains(random));
    let hash: String = query(
        &env,
        &format!("SELECT token_hash FROM initial_access_tokens WHERE token_id = '{token_id}'"),
    );
    assert!(hash.starts_with("sha256:"), "{hash}");

    // Without limits, absent values are omitted.
    let bare = create_token(&env, &[]);
    let keys: Vec<&str> = bare
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["token_id", "token", "expires_at"]);
    assert_ne!(bare["token"], issued["token"]);
}

#[test]
fn token_create_table_shows_each_field_on_its_own_line() {
    let env = TestEnv::new();
    let run = env
        .run(&["token", "create", "--expires-in", "7d", "--note", "a\x1bb"])
        .ok();
    assert!(run.stderr.contains("shown once"), "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    // Four fields, a blank line, and the token on a `token: …` line of its own.
    assert_eq!(lines.len(), 6, "{}", run.stdout);
    let field = |name: &str| -> String {
        let line = lines
            .iter()
            .find(|line| {
                line.split_whitespace()
                    .next()
                    .map(|w| w.trim_end_matches(':'))
                    == Some(name)
            })
            .unwrap_or_else(|| panic!("no {name} line:\n{}", run.stdout));
        line[name.len()..].trim_start_matches(':').trim().to_owned()
    };
    assert!(
        lines.iter().any(|line| line.starts_with("token: dcriat_")),
        "{}",
        run.stdout
    );
    assert!(field("token").starts_with("dcriat_"));
    assert!(field("token_id").starts_with("iat_"));
    assert!(
        field("expires_at").ends_with('Z'),
        "{}",
        field("expires_at")
    );
    assert_eq!(field("max_uses"), "unlimited");
    assert_eq!(field("note"), r"a\u{1b}b");
}

#[test]
fn token_list_shows_status_and_uses_but_never_the_token() {
    let env = TestEnv::new();
    let limited = create_token(&env, &["--max-uses", "5", "--note", "five"]);
    let unlimited = create_token(&env, &[]);
    let table = env.run(&["token", "list"]).ok();
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["ID", "STATUS", "USES", "EXPIRES", "CREATED", "NOTE"]
    );
    assert_eq!(lines.len(), 3, "{}", table.stdout);
    let row = |line: &str| {
        line.split_whitespace()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        row(lines[1])[..4],
        [
            limited["token_id"].as_str().unwrap(),
            "active",
            "0/5",
            "never"
        ]
    );
    assert_eq!(row(lines[1])[5], "five");
    assert_eq!(row(lines[2])[2], "0/∞");
    assert_eq!(row(lines[2])[5], "-");

    let listed = env.run(&["-o", "json", "token", "list"]).ok();
    for issued in [&limited, &unlimited] {
        let token = issued["token"].as_str().unwrap();
        assert!(!listed.stdout.contains(token));
        assert!(!table.stdout.contains(token));
    }
    assert_eq!(
        listed.json()[0],
        json!({
            "token_id": limited["token_id"],
            "status": "active",
            "uses": 0,
            "max_uses": 5,
            "expires_at": 0,
            "created_at": listed.json()[0]["created_at"],
            "note": "five",
        })
    );
    assert!(listed.json()[1].get("max_uses").is_none());
}

#[test]
fn an_empty_listing_is_an_empty_array() {
    let env = TestEnv::new();
    env.register("only-a-client");
    assert_eq!(
        env.run(&["-o", "json", "token", "list"]).ok().json(),
        json!([])
    );
    assert_eq!(
        env.run(&["-o", "json", "admin", "list"]).ok().json(),
        json!([])
    );
    let table = env.run(&["admin", "list"]).ok();
    assert_eq!(
        table.stdout.split_whitespace().collect::<Vec<_>>(),
        ["NAME", "CREATED", "UPDATED"]
    );
}

#[test]
fn token_revoke_takes_the_listed_id() {
    let env = TestEnv::new();
    let issued = create_token(&env, &[]);
    let id = issued["token_id"].as_str().unwrap();
    let run = env.run(&["--yes", "token", "revoke", id]).ok();
    assert_eq!(run.stdout, format!("revoked {id}\n"));
    let listed = env.run(&["-o", "json", "token", "list"]).ok().json();
    assert_eq!(listed[0]["status"], "revoked");
    assert!(listed[0]["revoked_at"].as_i64().unwrap() > 0);
    // Issue 17: revoking again is exit 3, as deleting again is, and changes nothing.
    env.unchanged(|| env.run(&["--yes", "token", "revoke", id]).fails(3));
    env.unchanged(|| {
        let run = env
            .run(&["--yes", "token", "revoke", "iat_unknown"])
            .fails(3);
        assert!(
            run.stderr.contains("no such token: iat_unknown"),
            "{}",
            run.stderr
        );
    });
}

#[test]
fn expired_tokens_are_listed_as_expired() {
    let env = TestEnv::new();
    let issued = create_token(&env, &["--expires-in", "1s"]);
    assert!(issued["expires_at"].as_i64().unwrap() > 0);
    let listed = env
        .run_later(2, &["-o", "json", "token", "list"], "")
        .ok()
        .json();
    assert_eq!(listed[0]["status"], "expired");
    let table = env.run_later(2, &["token", "list"], "").ok();
    assert!(table.stdout.lines().nth(1).unwrap().contains(" expired "));
}

#[test]
fn used_up_tokens_are_listed_as_used_up() {
    let env = TestEnv::new();
    let issued = create_token(&env, &["--max-uses", "2"]);
    env.sql("UPDATE initial_access_tokens SET uses = 2");
    let listed = env.run(&["-o", "json", "token", "list"]).ok().json();
    assert_eq!(listed[0]["token_id"], issued["token_id"]);
    assert_eq!(listed[0]["status"], "used-up");
    let table = env.run(&["token", "list"]).ok();
    assert!(table.stdout.contains(" 2/2 "), "{}", table.stdout);
}

#[test]
fn token_create_refuses_bad_limits() {
    let env = TestEnv::new();
    env.register("only-a-client");
    env.unchanged(|| {
        env.run(&["token", "create", "--max-uses", "0"]).fails(2);
        env.run(&["token", "create", "--max-uses", "-1"]).fails(2);
        env.run(&["token", "create", "--expires-in", "0s"]).fails(2);
        env.run(&["token", "create", "--expires-in", "soon"])
            .fails(2);
    });
}

#[test]
fn admin_add_stores_an_argon2id_hash_and_list_never_shows_it() {
    let env = TestEnv::new();
    let run = env
        .run_stdin(
            &["admin", "add", "ops@example.com", "--password-stdin"],
            "s3cret-passphrase\n",
        )
        .ok();
    assert_eq!(run.stdout, "added admin ops@example.com\n");
    let hash: String = query(
        &env,
        "SELECT password_hash FROM admins WHERE name = 'ops@example.com'",
    );
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!db_bytes(&env).contains("s3cret-pass"));
    // The trailing newline was stripped: the password is exactly what was typed.
    assert!(argon2_matches(&hash, "s3cret-passphrase"));

    let table = env.run(&["admin", "list"]).ok();
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", table.stdout);
    assert_eq!(lines[1].split_whitespace().next(), Some("ops@example.com"));
    let listed = env.run(&["-o", "json", "admin", "list"]).ok();
    let listed_json = listed.json();
    let keys: Vec<&str> = listed_json[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["name", "created_at", "updated_at"]);
    for out in [&table.stdout, &listed.stdout] {
        assert!(!out.contains("argon2"), "{out}");
        assert!(!out.contains("s3cret"), "{out}");
    }
}

/// Check a password against a stored PHC string as an authorization server would.
fn argon2_matches(hash: &str, password: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    let parsed = PasswordHash::new(hash).unwrap();
    argon2::Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

#[test]
fn admin_add_refuses_duplicates_bad_names_and_missing_passwords() {
    let env = TestEnv::new();
    env.run_stdin(
        &["admin", "add", "root", "--password-stdin"],
        "pw-of-twelve",
    )
    .ok();
    env.unchanged(|| {
        let run = env
            .run_stdin(
                &["admin", "add", "root", "--password-stdin"],
                "other-password",
            )
            .fails(4);
        assert!(run.stderr.contains("already exists"), "{}", run.stderr);
        // No terminal to prompt on, and no --password-stdin.
        let run = env.run(&["admin", "add", "second"]).fails(2);
        assert!(run.stderr.contains("--password-stdin"), "{}", run.stderr);
        env.run_stdin(&["admin", "add", "second", "--password-stdin"], "\n")
            .fails(2);
        for bad in ["", "a:b", "with space", "é", &"x".repeat(65)] {
            env.run_stdin(&["admin", "add", bad, "--password-stdin"], "pw")
                .fails(2);
        }
        env.run_stdin(&["admin", "add", "--password-stdin", "--", "-dash"], "pw")
            .fails(2);
    });
}

#[test]
fn admin_passwd_replaces_the_hash() {
    let env = TestEnv::new();
    env.run_stdin(
        &["admin", "add", "root", "--password-stdin"],
        "old-password\n",
    )
    .ok();
    let before: String = query(&env, "SELECT password_hash FROM admins");
    let run = env
        .run_stdin(
            &["-o", "json", "admin", "passwd", "root", "--password-stdin"],
            "new-password\n",
        )
        .ok();
    assert_eq!(run.json(), json!({ "password_changed": ["root"] }));
    let after: String = query(&env, "SELECT password_hash FROM admins");
    assert_ne!(before, after);
    assert!(argon2_matches(&after, "new-password"));
    assert!(!argon2_matches(&after, "old-password"));
    env.unchanged(|| {
        env.run_stdin(&["admin", "passwd", "nobody", "--password-stdin"], "x")
            .fails(3);
        env.run(&["admin", "passwd", "root"]).fails(2);
        env.run_stdin(&["admin", "passwd", "root", "--password-stdin"], "")
            .fails(2);
    });
}

#[test]
fn admin_remove_needs_confirmation() {
    let env = TestEnv::new();
    env.run_stdin(
        &["admin", "add", "root", "--password-stdin"],
        "pw-of-twelve",
    )
    .ok();
    env.unchanged(|| {
        let run = env.run(&["admin", "remove", "root"]).fails(5);
        assert!(run.stderr.contains("--yes"), "{}", run.stderr);
        env.run(&["admin", "remove", "nobody"]).fails(3);
        env.run(&["--yes", "admin", "remove", "nobody"]).fails(3);
    });
    let run = env
        .run(&["-o", "json", "--yes", "admin", "remove", "root"])
        .ok();
    assert_eq!(run.json(), json!({ "removed": ["root"] }));
    assert_eq!(query::<i64>(&env, "SELECT count(*) FROM admins"), 0);
    env.run(&["-y", "admin", "remove", "root"]).fails(3);
}

#[test]
fn json_outputs_are_exactly_one_document() {
    let env = TestEnv::new();
    let issued = create_token(&env, &["--max-uses", "1"]);
    let id = issued["token_id"].as_str().unwrap().to_owned();
    let runs = [
        env.run_stdin(
            &["-o", "json", "admin", "add", "root", "--password-stdin"],
            "pw-of-twelve",
        ),
        env.run(&["-o", "json", "admin", "list"]),
        env.run(&["-o", "json", "token", "list"]),
        env.run(&["-o", "json", "--yes", "token", "revoke", &id]),
    ];
    for run in runs {
        let run = run.ok();
        // `json()` parses the whole of stdout as one value.
        let value = run.json();
        assert!(value.is_object() || value.is_array(), "{}", run.stdout);
    }
}

#[test]
fn every_change_is_audited_without_secrets() {
    let env = TestEnv::new();
    let issued = create_token(&env, &["--note", "for ci"]);
    let token = issued["token"].as_str().unwrap();
    let id = issued["token_id"].as_str().unwrap();
    env.run(&["--yes", "token", "revoke", id]).ok();
    env.run_stdin(
        &["admin", "add", "root", "--password-stdin"],
        "first-password",
    )
    .ok();
    env.run_stdin(
        &["admin", "passwd", "root", "--password-stdin"],
        "second-password",
    )
    .ok();
    env.run(&["--yes", "admin", "remove", "root"]).ok();
    let events = audit_details(&env);
    let actions: Vec<&str> = events.iter().map(|(action, _)| action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "token-create",
            "token-revoke",
            "admin-add",
            "admin-passwd",
            "admin-remove"
        ]
    );
    for (action, details) in &events {
        assert!(details.starts_with("cli:tester "), "{action}: {details}");
        for secret in [
            token,
            "first-password",
            "second-password",
            "argon2",
            "sha256",
        ] {
            assert!(!details.contains(secret), "{action}: {details}");
        }
    }
    assert!(events[0].1.contains(id));
    assert!(events[2].1.contains("root"));
    let with_client: i64 = query(
        &env,
        "SELECT count(*) FROM events WHERE client_id IS NOT NULL",
    );
    assert_eq!(with_client, 0);
}

//! The client commands end to end: register, show, list, update, delete, rotation and
//! verification, output formats and exit codes.

use crate::util::TestEnv;
use serde_json::{json, Value};

fn id(value: &Value) -> String {
    value["client_id"].as_str().expect("client_id").to_owned()
}

#[test]
fn register_shows_credentials_once_and_show_never_does() {
    let env = TestEnv::new();
    let run = env
        .run(&[
            "register",
            "--client-name",
            "demo",
            "--redirect-uri",
            "https://app.example.com/callback",
        ])
        .ok();
    assert!(
        run.stdout.contains("dcrsec_"),
        "table shows the secret:\n{}",
        run.stdout
    );
    assert!(run.stdout.contains("dcrrat_"));
    assert!(run.stderr.contains("shown once"));
    let created = env.register("second");
    let secret = created["client_secret"].as_str().unwrap();
    let token = created["registration_access_token"].as_str().unwrap();
    assert_eq!(created["client_secret_expires_at"], 0);
    assert!(created["client_id_issued_at"].as_i64().unwrap() > 1_700_000_000);
    let client_id = id(&created);
    assert!(client_id.len() >= 22 && client_id.chars().next().unwrap().is_ascii_alphanumeric());
    for format in ["table", "json"] {
        let shown = env.run(&["-o", format, "show", &client_id]).ok();
        assert!(!shown.stdout.contains(secret) && !shown.stdout.contains(token));
        let listed = env.run(&["-o", format, "list"]).ok();
        assert!(!listed.stdout.contains(secret) && !listed.stdout.contains(token));
    }
    let shown = env.run(&["-o", "json", "show", &client_id]).ok().json();
    assert_eq!(shown["has_secret"], true);
    assert_eq!(shown["registered_via"], "cli");
    assert!(shown.get("client_secret").is_none() && shown.get("last_used_at").is_none());
    assert_eq!(
        shown["redirect_uris"],
        json!(["https://app.example.com/callback"])
    );
}

#[test]
fn json_output_is_exactly_one_document_for_every_command() {
    let env = TestEnv::new();
    let created = env.register("one");
    let client_id = id(&created);
    let secret = created["client_secret"].as_str().unwrap().to_owned();
    let runs = [
        env.run(&["-o", "json", "show", &client_id]),
        env.run(&["-o", "json", "show", "--name", "one"]),
        env.run(&["-o", "json", "list"]),
        env.run(&["-o", "json", "update", &client_id, "--scope", "openid"]),
        env.run(&["-o", "json", "rotate-token", &client_id]),
        env.run_stdin(&["-o", "json", "verify-secret", &client_id], &secret),
        env.run(&["-o", "json", "rotate-secret", &client_id]),
        env.run(&["-o", "json", "--yes", "delete", &client_id]),
        env.run(&["-o", "json", "list"]),
    ];
    for run in runs {
        run.ok().json();
    }
    assert_eq!(env.run(&["-o", "json", "list"]).ok().json(), json!([]));
}

#[test]
fn show_by_name_finds_one_refuses_ambiguity_and_reports_absence() {
    let env = TestEnv::new();
    let created = env.register("unique");
    assert_eq!(
        id(&env
            .run(&["-o", "json", "show", "--name", "unique"])
            .ok()
            .json()),
        id(&created)
    );
    env.register("twin");
    env.register("twin");
    let run = env.run(&["show", "--name", "twin"]).fails(2);
    assert!(run.stderr.contains("2 clients are named"), "{}", run.stderr);
    env.run(&["show", "--name", "nobody"]).fails(3);
    env.run(&["show", "no-such-id"]).fails(3);
    env.run(&["show"]).fails(2);
}

#[test]
fn list_filters_limits_and_offsets() {
    let env = TestEnv::new();
    let a = env.register("alpha-1");
    env.register("alpha-2");
    env.register("beta");
    env.run(&[
        "register",
        "--client-name",
        "machine",
        "--grant-type",
        "client_credentials",
    ])
    .ok();
    let names = |args: &[&str]| -> Vec<String> {
        let mut full = vec!["-o", "json", "list"];
        full.extend_from_slice(args);
        env.run(&full)
            .ok()
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["client_name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(&[]), ["alpha-1", "alpha-2", "beta", "machine"]);
    assert_eq!(names(&["--name", "alpha-*"]), ["alpha-1", "alpha-2"]);
    assert_eq!(names(&["--grant-type", "client_credentials"]), ["machine"]);
    assert_eq!(names(&["--limit", "2"]), ["alpha-1", "alpha-2"]);
    assert_eq!(names(&["--limit", "2", "--offset", "3"]), ["machine"]);
    assert_eq!(names(&["--created-after", "1d"]).len(), 4);
    assert_eq!(
        names(&["--created-before", "2000-01-01T00:00:00Z"]).len(),
        0
    );
    assert_eq!(names(&["--created-after", "2000-01-01"]).len(), 4);
    assert!(names(&["--expired"]).is_empty());
    env.run(&["list", "--created-after", "whenever"]).fails(2);
    let table = env.run(&["list"]).ok().stdout;
    assert!(table.starts_with("CLIENT_ID"));
    assert!(table.contains(&id(&a)));
    // Generated ids fit their column: every row's second column starts under its header.
    let column = table.find("ISSUED_AT").unwrap();
    for row in table.lines().skip(1) {
        assert!(row[..column].ends_with("  "), "{row}");
        assert!(row[column..].starts_with("20"), "{row}");
    }
}

#[test]
fn expired_secrets_are_listed_and_rejected() {
    let env = TestEnv::new();
    let created = env
        .run(&[
            "-o",
            "json",
            "register",
            "--client-name",
            "short",
            "--redirect-uri",
            "https://a.example/cb",
            "--secret-expires-in",
            "1s",
        ])
        .ok()
        .json();
    let expires_at = created["client_secret_expires_at"].as_i64().unwrap();
    assert!(expires_at > created["client_id_issued_at"].as_i64().unwrap());
    let secret = created["client_secret"].as_str().unwrap();
    env.run_later(2, &["verify-secret", &id(&created)], secret)
        .fails(6);
    let expired = env
        .run_later(2, &["-o", "json", "list", "--expired"], "")
        .ok()
        .json();
    assert_eq!(expired.as_array().unwrap().len(), 1);
}

#[test]
fn update_patches_only_the_given_fields() {
    let env = TestEnv::new();
    let client_id = id(&env.register("before"));
    let updated = env
        .run(&[
            "-o",
            "json",
            "update",
            &client_id,
            "--client-name",
            "after",
            "--add-redirect-uri",
            "https://two.example/cb",
            "--contact",
            "ops@example.com",
        ])
        .ok()
        .json();
    assert_eq!(updated["client_name"], "after");
    assert_eq!(
        updated["redirect_uris"],
        json!(["https://app.example.com/callback", "https://two.example/cb"])
    );
    assert_eq!(updated["contacts"], json!(["ops@example.com"]));
    assert!(updated.get("client_secret").is_none());
    let updated = env
        .run(&[
            "-o",
            "json",
            "update",
            &client_id,
            "--remove-redirect-uri",
            "https://app.example.com/callback",
            "--unset",
            "contacts",
        ])
        .ok()
        .json();
    assert_eq!(updated["redirect_uris"], json!(["https://two.example/cb"]));
    assert!(updated.get("contacts").is_none());
    env.unchanged(|| {
        env.run(&[
            "update",
            &client_id,
            "--remove-redirect-uri",
            "https://nope.example/cb",
        ])
        .fails(2);
        env.run(&["update", &client_id, "--unset", "logo_uri"])
            .fails(2);
        env.run(&["update", &client_id]).fails(2);
        env.run(&["update", "missing", "--client-name", "x"])
            .fails(3);
    });
    // Unsetting a defaulted field brings the default back.
    env.run(&[
        "update",
        &client_id,
        "--token-endpoint-auth-method",
        "client_secret_post",
    ])
    .ok();
    let reset = env
        .run(&[
            "-o",
            "json",
            "update",
            &client_id,
            "--unset",
            "token_endpoint_auth_method",
        ])
        .ok()
        .json();
    assert_eq!(reset["token_endpoint_auth_method"], "client_secret_basic");
}

#[test]
fn update_replace_has_put_semantics() {
    let env = TestEnv::new();
    let client_id = id(&env
        .run(&[
            "-o",
            "json",
            "register",
            "--client-name",
            "full",
            "--redirect-uri",
            "https://a.example/cb",
            "--logo-uri",
            "https://a.example/logo.png",
        ])
        .ok()
        .json());
    let file = env.dir().join("doc.json");
    std::fs::write(
        &file,
        json!({ "client_id": client_id, "redirect_uris": ["https://b.example/cb"] }).to_string(),
    )
    .unwrap();
    let replaced = env
        .run(&[
            "-o",
            "json",
            "update",
            &client_id,
            "--metadata-file",
            file.to_str().unwrap(),
            "--replace",
        ])
        .ok()
        .json();
    assert_eq!(replaced["redirect_uris"], json!(["https://b.example/cb"]));
    assert!(replaced.get("logo_uri").is_none() && replaced.get("client_name").is_none());
    assert_eq!(replaced["grant_types"], json!(["authorization_code"]));
    std::fs::write(
        &file,
        json!({ "client_id": "other", "redirect_uris": ["https://b.example/cb"] }).to_string(),
    )
    .unwrap();
    env.unchanged(|| {
        env.run(&[
            "update",
            &client_id,
            "--metadata-file",
            file.to_str().unwrap(),
            "--replace",
        ])
        .fails(2);
        env.run(&["update", &client_id, "--replace"]).fails(2);
    });
}

#[test]
fn changing_the_auth_method_issues_or_removes_the_secret() {
    let env = TestEnv::new();
    let public = env
        .run(&[
            "-o",
            "json",
            "register",
            "--token-endpoint-auth-method",
            "none",
            "--redirect-uri",
            "http://127.0.0.1:8765/cb",
        ])
        .ok()
        .json();
    assert!(
        public.get("client_secret").is_none() && public.get("client_secret_expires_at").is_none()
    );
    let client_id = id(&public);
    env.run(&["rotate-secret", &client_id]).fails(2);
    let confidential = env
        .run(&[
            "-o",
            "json",
            "update",
            &client_id,
            "--token-endpoint-auth-method",
            "client_secret_basic",
        ])
        .ok()
        .json();
    let secret = confidential["client_secret"]
        .as_str()
        .expect("a secret is issued when one becomes needed");
    env.run_stdin(&["verify-secret", &client_id], secret).ok();
    let public_again = env
        .run(&[
            "-o",
            "json",
            "--yes",
            "update",
            &client_id,
            "--token-endpoint-auth-method",
            "none",
        ])
        .ok()
        .json();
    assert!(public_again.get("client_secret_expires_at").is_none());
    env.run_stdin(&["verify-secret", &client_id], secret)
        .fails(6);
    assert_eq!(
        env.run(&["-o", "json", "show", &client_id]).ok().json()["has_secret"],
        false
    );
}

#[test]
fn delete_needs_confirmation_and_is_all_or_nothing() {
    let env = TestEnv::new();
    let a = id(&env.register("a"));
    let b = id(&env.register("b"));
    env.unchanged(|| {
        let run = env.run(&["delete", &a]).fails(5);
        assert!(run.stderr.contains("--yes"), "{}", run.stderr);
        env.run(&["--no-input", "delete", &a]).fails(5);
        env.run(&["--yes", "delete", &a, "missing"]).fails(3);
    });
    let run = env.run(&["-o", "json", "--yes", "delete", &a, &b]).ok();
    assert_eq!(run.json(), json!({ "deleted": [a, b] }));
    env.run(&["show", &a]).fails(3);
    env.run(&["--yes", "delete", &a]).fails(3);
}

#[test]
fn rotate_secret_with_and_without_grace() {
    let env = TestEnv::new();
    let created = env.register("rolling");
    let client_id = id(&created);
    let first = created["client_secret"].as_str().unwrap().to_owned();
    let second = env
        .run(&["-o", "json", "rotate-secret", &client_id, "--grace", "1h"])
        .ok()
        .json();
    let second = second["client_secret"].as_str().unwrap().to_owned();
    assert_ne!(first, second);
    env.run_stdin(&["verify-secret", &client_id], &first).ok();
    env.run_stdin(&["verify-secret", &client_id], &second).ok();
    let third = env
        .run(&[
            "-o",
            "json",
            "rotate-secret",
            &client_id,
            "--expires-in",
            "30d",
        ])
        .ok()
        .json();
    assert!(third["client_secret_expires_at"].as_i64().unwrap() > 0);
    let third = third["client_secret"].as_str().unwrap().to_owned();
    env.run_stdin(&["verify-secret", &client_id], &first)
        .fails(6);
    env.run_stdin(&["verify-secret", &client_id], &second)
        .fails(6);
    env.run_stdin(&["verify-secret", &client_id], &format!("{third}\n"))
        .ok();
    env.run(&["rotate-secret", "missing"]).fails(3);
    env.run(&["rotate-secret", &client_id, "--grace", "soon"])
        .fails(2);
}

#[test]
fn rotate_token_replaces_the_stored_hash() {
    let env = TestEnv::new();
    let created = env.register("tok");
    let client_id = id(&created);
    let hash = || -> String {
        env.value(&format!(
            "SELECT registration_token_hash FROM clients WHERE client_id = '{client_id}'"
        ))
    };
    let before = hash();
    let rotated = env
        .run(&["-o", "json", "rotate-token", &client_id])
        .ok()
        .json();
    let token = rotated["registration_access_token"].as_str().unwrap();
    assert_ne!(
        token,
        created["registration_access_token"].as_str().unwrap()
    );
    assert!(rotated.get("client_secret").is_none());
    assert_ne!(hash(), before);
    env.run(&["rotate-token", "missing"]).fails(3);
}

#[test]
fn verify_secret_accepts_only_the_secret_and_records_use() {
    let env = TestEnv::new();
    let created = env.register("v");
    let client_id = id(&created);
    let secret = created["client_secret"].as_str().unwrap();
    env.unchanged(|| {
        env.run_stdin(&["verify-secret", &client_id], "dcrsec_wrong")
            .fails(6);
        env.run_stdin(&["verify-secret", &client_id], &format!("{secret}\n\n"))
            .fails(6);
        env.run_stdin(&["verify-secret", &client_id], "").fails(6);
        env.run_stdin(&["verify-secret", "missing"], secret)
            .fails(3);
    });
    env.run_stdin(&["verify-secret", &client_id], &format!("{secret}\r\n"))
        .ok();
    let shown = env.run(&["-o", "json", "show", &client_id]).ok().json();
    assert!(
        shown["last_used_at"].as_i64().unwrap() >= shown["client_id_issued_at"].as_i64().unwrap()
    );
}

#[test]
fn admin_chosen_id_and_secret() {
    let env = TestEnv::new();
    let created = env
        .run_stdin(
            &[
                "-o",
                "json",
                "register",
                "--client-id",
                "billing.api_v2~x",
                "--client-secret-stdin",
                "--redirect-uri",
                "https://b.example/cb",
            ],
            "s3cret-chosen-by-admin\n",
        )
        .ok()
        .json();
    assert_eq!(created["client_id"], "billing.api_v2~x");
    assert!(
        created.get("client_secret").is_none(),
        "a chosen secret is never echoed"
    );
    let stored: String = env.value("SELECT secret_hash FROM client_secrets");
    assert!(stored.starts_with("$argon2id$"));
    env.run_stdin(
        &["verify-secret", "billing.api_v2~x"],
        "s3cret-chosen-by-admin",
    )
    .ok();
    env.unchanged(|| {
        env.run(&[
            "register",
            "--client-id",
            "billing.api_v2~x",
            "--redirect-uri",
            "https://b.example/cb",
        ])
        .fails(4);
    });
}

#[test]
fn upsert_creates_then_modifies_and_says_which() {
    let env = TestEnv::new();
    let args = [
        "-o",
        "json",
        "register",
        "--upsert",
        "--client-id",
        "web-app",
        "--client-name",
        "Web",
        "--redirect-uri",
        "https://w.example/cb",
    ];
    let created = env.run(&args).ok();
    assert!(created.stderr.contains("created client web-app"));
    assert!(created.json()["client_secret"].is_string());
    let updated = env
        .run(&[
            "-o",
            "json",
            "register",
            "--upsert",
            "--client-id",
            "web-app",
            "--client-name",
            "Web 2",
        ])
        .ok();
    assert!(
        updated.stderr.contains("updated client web-app"),
        "{}",
        updated.stderr
    );
    let doc = updated.json();
    assert_eq!(doc["client_name"], "Web 2");
    assert_eq!(doc["redirect_uris"], json!(["https://w.example/cb"]));
    assert!(doc.get("client_secret").is_none() && doc.get("registration_access_token").is_none());
    env.run(&["register", "--upsert", "--client-name", "x"])
        .fails(2);
}

#[test]
fn metadata_file_flags_override_and_django_style_uris() {
    let env = TestEnv::new();
    let file = env.dir().join("client.json");
    std::fs::write(
        &file,
        json!({ "client_id": "from-file", "client_name": "File", "scope": "openid", "x_custom": {"kept": [1, true]}, "client_name#fr": "Fichier" }).to_string(),
    )
    .unwrap();
    let created = env
        .run(&[
            "-o",
            "json",
            "register",
            "--metadata-file",
            file.to_str().unwrap(),
            "--client-name",
            "Flag",
            "--redirect-uris",
            "https://a.example/1",
            "https://a.example/2",
        ])
        .ok()
        .json();
    assert_eq!(created["client_id"], "from-file");
    assert_eq!(created["client_name"], "Flag");
    assert_eq!(created["scope"], "openid");
    assert_eq!(created["x_custom"], json!({"kept": [1, true]}));
    assert_eq!(created["client_name#fr"], "Fichier");
    assert_eq!(
        created["redirect_uris"],
        json!(["https://a.example/1", "https://a.example/2"])
    );
    let jwks = env.dir().join("jwks.json");
    std::fs::write(
        &jwks,
        r#"{"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b"}]}"#,
    )
    .unwrap();
    let jwt_client = env
        .run(&[
            "-o",
            "json",
            "register",
            "--token-endpoint-auth-method",
            "private_key_jwt",
            "--jwks-file",
            jwks.to_str().unwrap(),
            "--grant-type",
            "client_credentials",
            "--skip-authorization",
        ])
        .ok()
        .json();
    assert_eq!(jwt_client["jwks"]["keys"][0]["kty"], "EC");
    assert_eq!(jwt_client["skip_authorization"], true);
    assert!(jwt_client.get("client_secret").is_none());
    env.run(&["register", "--metadata-file", "/nonexistent.json"])
        .fails(1);
    env.run_stdin(
        &["register", "--metadata-file", "-", "--client-secret-stdin"],
        "{}",
    )
    .fails(2);
}

#[test]
fn tables_escape_untrusted_text() {
    crate::util::sqlite_only!("writes hostile metadata with SQLite's json_set");
    let env = TestEnv::new();
    let file = env.dir().join("evil.json");
    let note = "\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J";
    let mut doc = json!({
        "client_name": "pay\u{202E}lapyap",
        "x_note": note,
        "redirect_uris": ["https://a.example/cb"],
    });
    // Control characters are refused in every string (issue 12, item 9)…
    std::fs::write(&file, doc.to_string()).unwrap();
    env.run(&["register", "--metadata-file", file.to_str().unwrap()])
        .fails(2);
    doc.as_object_mut().unwrap().remove("x_note");
    std::fs::write(&file, doc.to_string()).unwrap();
    let created = env
        .run(&["register", "--metadata-file", file.to_str().unwrap()])
        .ok();
    let client_id = created
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("client_id "))
        .map(|rest| rest.trim().to_owned())
        .unwrap();
    // … but another program may store them (the schema is public): still escaped.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute(
        "UPDATE clients SET metadata = json_set(metadata, '$.x_note', ?1) WHERE client_id = ?2",
        rusqlite::params![note, client_id],
    )
    .unwrap();
    drop(conn);
    for run in [
        created,
        env.run(&["show", &client_id]).ok(),
        env.run(&["list"]).ok(),
    ] {
        assert!(
            !run.stdout.contains('\u{1b}')
                && !run.stdout.contains('\u{202E}')
                && !run.stdout.contains('\u{7}'),
            "raw control in:\n{}",
            run.stdout
        );
    }
    let shown = env.run(&["show", &client_id]).ok().stdout;
    assert!(shown.contains("pay\\u{202e}lapyap"), "{shown}");
    assert!(shown.contains("\\u{1b}]52;c;"), "{shown}");
    // JSON keeps the value exactly; its encoder escapes the controls.
    let json = env.run(&["-o", "json", "show", &client_id]).ok();
    assert!(!json.stdout.contains('\u{1b}'));
    assert_eq!(json.json()["x_note"], "\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J");
}

#[test]
fn usage_errors_exit_2_with_one_error_line() {
    let env = TestEnv::new();
    for args in [
        &["frobnicate"][..],
        &["list", "--limit", "many"],
        &["-o", "yaml", "list"],
        &["rotate-secret"],
        &["register", "--secret-expires-in", "never"],
        &["completions", "tcsh"],
    ] {
        let run = env.run(args).fails(2);
        assert!(
            run.stderr.trim_start().starts_with("error:"),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert!(
        !env.db().exists(),
        "usage errors must not create the database"
    );
}

#[test]
fn default_database_lives_under_xdg_data_home() {
    let env = TestEnv::new();
    let run = env
        .cmd()
        .env_remove("DCRCTL_DB")
        .args([
            "register",
            "--client-name",
            "x",
            "--redirect-uri",
            "https://a.example/cb",
        ])
        .output()
        .unwrap();
    assert!(run.status.success());
    let path = env.dir().join("xdg").join("dcrctl").join("clients.db");
    assert!(path.exists());
    // Issue 17: a command that creates no client creates no database either.
    let run = env
        .cmd()
        .args(["--db", env.dir().join("other.db").to_str().unwrap(), "list"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(!env.dir().join("other.db").exists());
}

#[test]
fn audit_log_records_changes_without_secrets() {
    let env = TestEnv::new();
    let created = env.register("audited");
    let client_id = id(&created);
    let rotated = env
        .run(&["-o", "json", "rotate-secret", &client_id])
        .ok()
        .json();
    env.run(&["update", &client_id, "--client-name", "renamed"])
        .ok();
    env.run(&["--yes", "delete", &client_id]).ok();
    let rows: Vec<(String, String, String, String)> = env
        .rows("SELECT actor, action, client_id, details FROM events ORDER BY event_id")
        .into_iter()
        .map(|row| {
            let text = |i: usize| row[i].clone().unwrap();
            (text(0), text(1), text(2), text(3))
        })
        .collect();
    let actions: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(actions, ["register", "rotate-secret", "update", "delete"]);
    assert!(rows.iter().all(|r| r.0 == "cli:tester" && r.2 == client_id));
    assert!(rows[2].3.contains("client_name"));
    for secret in [
        &created["client_secret"],
        &created["registration_access_token"],
        &rotated["client_secret"],
    ] {
        assert!(!rows.iter().any(|r| r.3.contains(secret.as_str().unwrap())));
    }
}

/// Found in review: changing the grant types of a client whose response types were only the
/// implied default should derive them again rather than demand `--unset response_types`.
#[test]
fn changing_grant_types_rederives_implied_response_types() {
    let env = TestEnv::new();
    let client_id = id(&env.register("grants"));
    let machine = env
        .run(&[
            "-o",
            "json",
            "update",
            &client_id,
            "--grant-type",
            "client_credentials",
        ])
        .ok()
        .json();
    assert_eq!(machine["response_types"], json!([]));
    let both = env
        .run(&[
            "-o",
            "json",
            "update",
            &client_id,
            "--grant-type",
            "authorization_code,implicit",
        ])
        .ok()
        .json();
    assert_eq!(both["response_types"], json!(["code", "token"]));
    // Response types the operator chose explicitly are kept, and then must still agree.
    env.run(&[
        "update",
        &client_id,
        "--grant-type",
        "authorization_code",
        "--response-type",
        "code",
    ])
    .ok();
    let upserted = env
        .run(&[
            "-o",
            "json",
            "register",
            "--upsert",
            "--client-id",
            &client_id,
            "--grant-type",
            "client_credentials",
        ])
        .ok()
        .json();
    assert_eq!(upserted["response_types"], json!([]));
}

/// Found in review: confidential clients without a secret still report
/// `client_secret_expires_at` (SPEC §4: always present for confidential clients).
#[test]
fn key_based_clients_report_secret_expiry_zero() {
    let env = TestEnv::new();
    let created = env
        .run(&[
            "-o",
            "json",
            "register",
            "--grant-type",
            "client_credentials",
            "--token-endpoint-auth-method",
            "tls_client_auth",
        ])
        .ok()
        .json();
    assert!(created.get("client_secret").is_none());
    assert_eq!(created["client_secret_expires_at"], 0);
    let shown = env.run(&["-o", "json", "show", &id(&created)]).ok().json();
    assert_eq!(shown["client_secret_expires_at"], 0);
    assert_eq!(shown["has_secret"], false);
    env.run(&["rotate-secret", &id(&created)]).fails(2);
}

/// Found in review: "." and ".." are valid characters but would be dot-segments in
/// `/register/{client_id}`; a null `client_id` in a file means "not given".
#[test]
fn chosen_ids_are_never_dot_segments_and_null_means_absent() {
    let env = TestEnv::new();
    env.register("existing");
    env.unchanged(|| {
        for bad in [".", ".."] {
            let run = env
                .run(&[
                    "register",
                    "--client-id",
                    bad,
                    "--redirect-uri",
                    "https://a.example/cb",
                ])
                .fails(2);
            assert!(run.stderr.contains("client_id"), "{}", run.stderr);
        }
    });
    env.run(&[
        "register",
        "--client-id",
        "...",
        "--redirect-uri",
        "https://a.example/cb",
    ])
    .ok();
    let created = env
        .run_stdin(
            &["-o", "json", "register", "--metadata-file", "-"],
            r#"{"client_id":null,"redirect_uris":["https://a.example/cb"]}"#,
        )
        .ok()
        .json();
    assert_eq!(id(&created).len(), 30);
}

/// `list -o json` writes the stored metadata without re-encoding it; every element must still
/// be exactly what `show -o json` says about that client.
#[test]
fn list_elements_equal_show_for_every_kind_of_client() {
    let env = TestEnv::new();
    let confidential = env.register("confidential");
    env.run_stdin(
        &["verify-secret", &id(&confidential)],
        confidential["client_secret"].as_str().unwrap(),
    )
    .ok();
    env.run(&[
        "register",
        "--token-endpoint-auth-method",
        "none",
        "--redirect-uri",
        "http://127.0.0.1/cb",
        "--application-type",
        "native",
    ])
    .ok();
    env.run(&[
        "register",
        "--grant-type",
        "client_credentials",
        "--token-endpoint-auth-method",
        "tls_client_auth",
    ])
    .ok();
    env.run_stdin(
        &["register", "--metadata-file", "-"],
        r#"{"redirect_uris":["https://a.example/cb"],"client_name#ja":"\u30c6\u30b9\u30c8","x_nested":{"a":[1,"\"quoted\""]},"client_name":"tab\u0009less?"}"#,
    )
    .fails(2);
    env.run_stdin(
        &["register", "--metadata-file", "-", "--secret-expires-in", "1d"],
        r#"{"redirect_uris":["https://a.example/cb"],"client_name#ja":"\u30c6\u30b9\u30c8","x_nested":{"a":[1,"\"quoted\" \\ </script>"]}}"#,
    )
    .ok();
    let listed = env.run(&["-o", "json", "list"]).ok().json();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 4);
    for element in listed {
        let shown = env
            .run(&["-o", "json", "show", element["client_id"].as_str().unwrap()])
            .ok()
            .json();
        assert_eq!(element, &shown);
        let listed_keys: Vec<&String> = element.as_object().unwrap().keys().collect();
        let shown_keys: Vec<&String> = shown.as_object().unwrap().keys().collect();
        assert_eq!(listed_keys, shown_keys, "same members in the same order");
    }
    assert!(listed[0].get("last_used_at").is_some());
}

fn sql(env: &TestEnv, statements: &str) {
    env.sql(statements);
}

/// A lifetime past year 9999 used to be stored, then panic the table output before the secret
/// was printed (and `show` panicked on that client forever after).
#[test]
fn far_future_secret_expiry_is_refused_and_never_panics_tables() {
    let env = TestEnv::new();
    let client_id = id(&env.register("existing"));
    let run = env.unchanged(|| {
        env.run(&[
            "register",
            "--client-name",
            "forever",
            "--redirect-uri",
            "https://a.example/cb",
            "--secret-expires-in",
            "200y",
        ])
        .fails(2)
    });
    assert!(run.stderr.contains("at most 100y"), "{}", run.stderr);
    env.run(&["rotate-secret", &client_id, "--expires-in", "10000000y"])
        .fails(2);
    let longest = env
        .run(&[
            "register",
            "--client-name",
            "century",
            "--redirect-uri",
            "https://a.example/cb",
            "--secret-expires-in",
            "100y",
        ])
        .ok();
    assert!(longest.stdout.contains("dcrsec_"), "{}", longest.stdout);
    // A row written by another program (or an older dcrctl) with a time RFC 3339 cannot show.
    sql(
        &env,
        &format!(
            "UPDATE clients SET client_secret_expires_at = 300000000000, \
             client_id_issued_at = 300000000000, updated_at = 300000000000, \
             last_used_at = 300000000000 WHERE client_id = '{client_id}';
             UPDATE client_secrets SET expires_at = 300000000000 WHERE client_id = '{client_id}';"
        ),
    );
    let shown = env.run(&["show", &client_id]).ok();
    assert!(shown.stdout.contains("300000000000"), "{}", shown.stdout);
    assert!(!shown.stderr.contains("panicked"), "{}", shown.stderr);
    let listed = env.run(&["list"]).ok();
    assert!(listed.stdout.contains("300000000000"), "{}", listed.stdout);
    let json = env.run(&["-o", "json", "show", &client_id]).ok().json();
    assert_eq!(json["client_secret_expires_at"], 300_000_000_000_i64);
}

fn register_public(env: &TestEnv, client_id: &str) {
    env.run(&[
        "register",
        "--client-id",
        client_id,
        "--token-endpoint-auth-method",
        "none",
        "--redirect-uri",
        "http://127.0.0.1/cb",
        "--application-type",
        "native",
    ])
    .ok();
}

/// `register --upsert --client-secret-stdin` on an existing public client stored a secret for
/// it: the request's default method (client_secret_basic) decided instead of the client's.
#[test]
fn upsert_never_gives_a_public_client_a_chosen_secret() {
    let env = TestEnv::new();
    register_public(&env, "spa");
    let run = env.unchanged(|| {
        env.run_stdin(
            &[
                "register",
                "--upsert",
                "--client-id",
                "spa",
                "--client-name",
                "SPA",
                "--client-secret-stdin",
            ],
            "chosen-secret\n",
        )
        .fails(2)
    });
    assert!(
        run.stderr.contains("client_secret") && run.stderr.contains("does not use a secret"),
        "{}",
        run.stderr
    );
    let shown = env.run(&["-o", "json", "show", "spa"]).ok().json();
    assert_eq!(shown["has_secret"], false);
    assert!(shown.get("client_secret_expires_at").is_none());
    // Switching the method in the same upsert makes a chosen secret valid.
    let switched = env
        .run_stdin(
            &[
                "-o",
                "json",
                "register",
                "--upsert",
                "--client-id",
                "spa",
                "--token-endpoint-auth-method",
                "client_secret_post",
                "--client-secret-stdin",
            ],
            "chosen-secret\n",
        )
        .ok()
        .json();
    assert!(switched.get("client_secret").is_none(), "{switched}");
    env.run_stdin(&["verify-secret", "spa"], "chosen-secret")
        .ok();
}

/// Upsert's update path: a secret the change must issue is printed (never lost), a lifetime
/// for it is honoured, and `--secret-expires-in` with no new secret is an error instead of
/// being silently ignored.
#[test]
fn upsert_prints_an_issued_secret_and_refuses_an_unused_lifetime() {
    let env = TestEnv::new();
    env.register("existing");
    env.run(&[
        "register",
        "--client-id",
        "web",
        "--redirect-uri",
        "https://w.example/cb",
    ])
    .ok();
    let run = env.unchanged(|| {
        env.run(&[
            "register",
            "--upsert",
            "--client-id",
            "web",
            "--client-name",
            "Renamed",
            "--secret-expires-in",
            "30d",
        ])
        .fails(2)
    });
    assert!(
        run.stderr.contains(
            "--secret-expires-in applies to a new secret; use rotate-secret --secret-expires-in"
        ),
        "{}",
        run.stderr
    );
    register_public(&env, "app");
    let before = crate_now();
    let switched = env
        .run(&[
            "-o",
            "json",
            "register",
            "--upsert",
            "--client-id",
            "app",
            "--token-endpoint-auth-method",
            "client_secret_basic",
            "--secret-expires-in",
            "30d",
        ])
        .ok();
    assert!(switched.stderr.contains("updated client app"));
    assert!(
        switched.stderr.contains("shown once"),
        "{}",
        switched.stderr
    );
    let doc = switched.json();
    let secret = doc["client_secret"]
        .as_str()
        .expect("issued secret printed");
    let expires_at = doc["client_secret_expires_at"].as_i64().unwrap();
    assert!((expires_at - before - 30 * 86400).abs() <= 5, "{doc}");
    assert!(doc.get("registration_access_token").is_none());
    env.run_stdin(&["verify-secret", "app"], secret).ok();
}

fn crate_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .try_into()
        .unwrap()
}

/// `--upsert` required `--client-id` in clap, so an id carried by `--metadata-file` was refused.
#[test]
fn upsert_takes_the_client_id_from_the_metadata_file() {
    let env = TestEnv::new();
    let file = env.dir().join("client.json");
    let write = |name: &str| {
        std::fs::write(
            &file,
            json!({ "client_id": "from-file", "client_name": name, "redirect_uris": ["https://f.example/cb"] })
                .to_string(),
        )
        .unwrap();
    };
    let args = [
        "-o",
        "json",
        "register",
        "--upsert",
        "--metadata-file",
        file.to_str().unwrap(),
    ];
    write("First");
    let created = env.run(&args).ok();
    assert!(
        created.stderr.contains("created client from-file"),
        "{}",
        created.stderr
    );
    assert!(created.json()["client_secret"].is_string());
    write("Second");
    let updated = env.run(&args).ok();
    assert!(
        updated.stderr.contains("updated client from-file"),
        "{}",
        updated.stderr
    );
    assert_eq!(updated.json()["client_name"], "Second");
    let run = env
        .run(&["register", "--upsert", "--client-name", "x"])
        .fails(2);
    assert!(
        run.stderr.contains("--upsert needs --client-id"),
        "{}",
        run.stderr
    );
}

/// `delete A A` failed with "no such client: A" because the second delete found nothing.
#[test]
fn delete_with_a_repeated_id_deletes_it_once() {
    let env = TestEnv::new();
    let a = id(&env.register("a"));
    let b = id(&env.register("b"));
    let keep = id(&env.register("keep"));
    let deleted = env
        .run(&["-o", "json", "--yes", "delete", &a, &b, &a])
        .ok()
        .json();
    assert_eq!(deleted, json!({ "deleted": [a, b] }));
    env.run(&["show", &a]).fails(3);
    env.run(&["show", &b]).fails(3);
    let c = id(&env.register("c"));
    let table = env.run(&["--yes", "delete", &c, &c]).ok();
    assert_eq!(table.stdout, format!("deleted {c}\n"));
    env.run(&["show", &keep]).ok();
}

/// An I/O error was both the message and the source, so `{:#}` printed its cause twice
/// (`error: /tmp: is a directory: is a directory`).
#[test]
fn error_messages_print_their_cause_once() {
    let env = TestEnv::new();
    let dir = env.dir().join("a-directory");
    std::fs::create_dir(&dir).unwrap();
    let run = env.run(&["--db", dir.to_str().unwrap(), "list"]).fails(1);
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with("error:"))
        .unwrap();
    assert_eq!(line.matches("is a directory").count(), 1, "{line}");
}

/// `list -o json` flushed a truncated array when a row failed mid-stream.
#[test]
fn list_json_prints_no_partial_array_when_a_row_fails() {
    let env = TestEnv::new();
    env.register("fine");
    let broken = id(&env.register("broken"));
    env.register("also fine");
    sql(
        &env,
        &format!("UPDATE clients SET metadata = '[]' WHERE client_id = '{broken}';"),
    );
    let run = env.run(&["-o", "json", "list"]).fails(1);
    assert_eq!(run.stdout, "", "partial output on stdout");
}

/// `--jwks-file` used a lenient parser with an unbounded read.
#[test]
fn jwks_file_is_parsed_strictly_and_bounded() {
    let env = TestEnv::new();
    let file = env.dir().join("jwks.json");
    let register = || {
        env.run(&[
            "register",
            "--grant-type",
            "client_credentials",
            "--token-endpoint-auth-method",
            "private_key_jwt",
            "--jwks-file",
            file.to_str().unwrap(),
        ])
    };
    std::fs::write(&file, r#"{"keys": [], "keys": [{"kty": "EC"}]}"#).unwrap();
    let run = env.unchanged(|| register().fails(2));
    assert!(
        run.stderr.contains("jwks") && run.stderr.contains("duplicate"),
        "{}",
        run.stderr
    );
    std::fs::write(
        &file,
        format!(r#"{{"keys": [], "x": "{}"}}"#, "a".repeat(70_000)),
    )
    .unwrap();
    let run = env.unchanged(|| register().fails(2));
    assert!(run.stderr.contains("jwks"), "{}", run.stderr);
    std::fs::write(&file, "[]").unwrap();
    env.unchanged(|| register().fails(2));
    std::fs::write(
        &file,
        r#"{"keys": [{"kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}"#,
    )
    .unwrap();
    let created = env
        .run(&[
            "-o",
            "json",
            "register",
            "--grant-type",
            "client_credentials",
            "--token-endpoint-auth-method",
            "private_key_jwt",
            "--jwks-file",
            file.to_str().unwrap(),
        ])
        .ok()
        .json();
    assert_eq!(created["jwks"]["keys"][0]["kty"], "EC");
}

/// A secret lifetime for a client that gets no secret is refused, not silently ignored.
#[test]
fn secret_lifetime_without_a_secret_is_refused() {
    let env = TestEnv::new();
    env.register("existing");
    for args in [
        vec!["register", "--redirect-uri", "http://127.0.0.1/cb"],
        vec![
            "register",
            "--upsert",
            "--client-id",
            "up",
            "--redirect-uri",
            "http://127.0.0.1/cb",
        ],
    ] {
        let mut args = args;
        args.extend([
            "--token-endpoint-auth-method",
            "none",
            "--secret-expires-in",
            "1d",
        ]);
        let run = env.unchanged(|| env.run(&args)).fails(2);
        assert!(
            run.stderr.contains("--secret-expires-in") && run.stderr.contains("none"),
            "{}",
            run.stderr
        );
    }
    let run = env
        .unchanged(|| {
            env.run(&[
                "register",
                "--response-type",
                "id_token",
                "--grant-type",
                "client_credentials",
            ])
        })
        .fails(2);
    assert!(run.stderr.contains("id_token"), "{}", run.stderr);
}

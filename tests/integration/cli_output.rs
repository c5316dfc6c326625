//! Output for people and scripts (issue 17): credentials on whole lines, tables that fit the
//! terminal and are never cut off one, `-q`, `-o name`, `--field`, result shapes, `show` of
//! several ids, `verify-secret -o json` and what `prune` removed.

use crate::pty::dialogue_sized;
use crate::util::TestEnv;
use serde_json::{json, Value};

const LONG_NAME: &str = "Billing service of the finance department, European region";
const LONG_URI: &str = "https://billing.example.com/oauth/callback/with/a/rather/long/path";

fn id(client: &Value) -> String {
    client["client_id"].as_str().unwrap().to_owned()
}

/// The lines a terminal showed, without carriage returns and colour sequences.
fn lines(screen: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut chars = screen.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ parameters final-byte
            if chars.peek() == Some(&'[') {
                chars.next();
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            continue;
        }
        if c != '\r' {
            plain.push(c);
        }
    }
    plain.lines().map(str::to_owned).collect()
}

/// Run `args` on an 80-column terminal; its lines, asserting success.
fn at_80(env: &TestEnv, args: &[&str], extra_env: &[(&str, &str)]) -> Vec<String> {
    let run = dialogue_sized(env, Some(80), args, &[], extra_env);
    assert_eq!(run.code, 0, "{}", run.screen);
    lines(&run.screen)
}

/// Assert that no line of stdout's tables is wider than `width` (notes on stderr may wrap:
/// they hold no credential and no table).
#[track_caller]
fn fits(lines: &[String], width: usize) {
    for line in lines.iter().filter(|l| !l.starts_with("note:")) {
        assert!(
            line.chars().count() <= width,
            "{} columns: {line:?}\n{}",
            line.chars().count(),
            lines.join("\n")
        );
    }
}

fn register_long(env: &TestEnv) -> Value {
    env.run(&[
        "-o",
        "json",
        "register",
        "--client-name",
        LONG_NAME,
        "--redirect-uri",
        LONG_URI,
    ])
    .ok()
    .json()
}

#[test]
fn credentials_are_whole_lines_and_tables_fit_80_columns() {
    let env = TestEnv::new();
    let screen = at_80(
        &env,
        &[
            "register",
            "--client-name",
            LONG_NAME,
            "--redirect-uri",
            LONG_URI,
        ],
        &[],
    );
    fits(&screen, 80);
    let secret = screen
        .iter()
        .find_map(|l| l.strip_prefix("client_secret: "))
        .unwrap_or_else(|| panic!("no client_secret line:\n{}", screen.join("\n")));
    let token = screen
        .iter()
        .find_map(|l| l.strip_prefix("registration_access_token: "))
        .unwrap();
    // Whole: exactly the generated length, and it works.
    assert_eq!(secret.len(), 50, "{secret}");
    assert_eq!(token.len(), 50, "{token}");
    let listed = env.run(&["-o", "json", "list"]).ok().json();
    let client_id = id(&listed[0]);
    env.run_stdin(&["verify-secret", &client_id], secret).ok();
    assert!(screen.iter().any(|l| l.ends_with('…')), "nothing cut");
    for i in 0..3 {
        env.run(&[
            "register",
            "--client-name",
            &format!("{LONG_NAME} {i}"),
            "--redirect-uri",
            LONG_URI,
        ])
        .ok();
    }
    env.run(&["token", "create", "--note", LONG_NAME]).ok();
    for args in [
        &["list"][..],
        &["events"],
        &["show", &client_id],
        &["token", "list"],
        &["rotate-secret", &client_id],
        &["rotate-token", &client_id],
        &["token", "create", "--note", LONG_NAME],
    ] {
        let screen = at_80(&env, args, &[]);
        fits(&screen, 80);
        // Ids stay whole.
        if args[0] != "token" {
            assert!(
                screen.iter().any(|l| l.contains(&client_id)),
                "{args:?}:\n{}",
                screen.join("\n")
            );
        }
    }
    let rotated = at_80(&env, &["rotate-secret", &client_id], &[]);
    let secret = rotated
        .iter()
        .find_map(|l| l.strip_prefix("client_secret: "))
        .unwrap();
    env.run_stdin(&["verify-secret", &client_id], secret).ok();
    let created = at_80(&env, &["token", "create"], &[]);
    let token = created
        .iter()
        .find_map(|l| l.strip_prefix("token: "))
        .unwrap();
    assert!(token.starts_with("dcriat_") && token.len() > 40, "{token}");
}

#[test]
fn a_long_chosen_id_is_cut_rather_than_the_row_running_past_the_terminal() {
    let env = TestEnv::new();
    let long_id = "very-long-client-identifier-chosen-by-an-operator-000000001";
    env.run(&[
        "register",
        "--client-id",
        long_id,
        "--client-name",
        LONG_NAME,
        "--redirect-uri",
        LONG_URI,
    ])
    .ok();
    let short = id(&register_long(&env));
    for args in [&["list"][..], &["events"][..]] {
        let screen = at_80(&env, args, &[]);
        fits(&screen, 80);
        let rows: Vec<&String> = screen.iter().filter(|l| l.contains("very-long")).collect();
        assert_eq!(rows.len(), 1, "one row, not wrapped: {screen:#?}");
        assert!(
            rows[0].contains('…') && !rows[0].contains(long_id),
            "{}",
            rows[0]
        );
        assert!(
            screen.iter().any(|l| l.contains(&short)),
            "a generated id stays whole: {screen:#?}"
        );
        if args == ["list"] {
            assert!(
                screen.iter().any(|l| l.contains("Billing")),
                "names keep room: {screen:#?}"
            );
        }
    }
    // Off a terminal, the id is whole.
    assert!(env.run(&["list"]).ok().stdout.contains(long_id));
}

#[test]
fn list_and_events_columns_are_sized_to_their_content() {
    let env = TestEnv::new();
    let chosen = "a-chosen-id-much-longer-than-a-generated-one-of-thirty";
    env.run(&[
        "register",
        "--client-id",
        chosen,
        "--redirect-uri",
        "https://a.example/cb",
    ])
    .ok();
    let generated = id(&env.register("short"));
    for args in [&["list"][..], &["events"]] {
        let table = env.run(args).ok().stdout;
        let header = table.lines().next().unwrap();
        let column = header.find("CLIENT_ID").unwrap();
        let next = column + chosen.len() + 2;
        for row in table.lines().skip(1) {
            let at = row.find(chosen).or_else(|| row.find(&generated)).unwrap();
            assert_eq!(at, column, "{args:?}:\n{table}");
            // The next column starts at the same place on every line.
            assert_ne!(row.as_bytes()[next], b' ', "{args:?}:\n{table}");
            assert_eq!(&row[next - 2..next], "  ", "{args:?}:\n{table}");
        }
    }
}

#[test]
fn nothing_is_cut_when_stdout_is_not_a_terminal() {
    let env = TestEnv::new();
    let client = register_long(&env);
    let client_id = id(&client);
    let listed = env.run(&["list"]).ok().stdout;
    assert!(listed.contains(LONG_NAME), "{listed}");
    assert!(!listed.contains('…'));
    // COLUMNS only narrows a terminal's tables, never a pipe's.
    let shown = env
        .cmd()
        .env("COLUMNS", "40")
        .args(["show", &client_id])
        .output()
        .unwrap();
    let shown = String::from_utf8(shown.stdout).unwrap();
    assert!(
        shown.contains(LONG_URI) && shown.contains(LONG_NAME),
        "{shown}"
    );
    let events = env.run(&["events"]).ok().stdout;
    assert!(events.contains("\"client_name\""), "{events}");
}

#[test]
fn quiet_silences_notes_but_not_results_warnings_or_errors() {
    let env = TestEnv::new();
    let loud = env
        .run(&[
            "register",
            "--client-name",
            "a",
            "--redirect-uri",
            "https://a.example/cb",
        ])
        .ok();
    assert!(loud.stderr.contains("shown once"), "{}", loud.stderr);
    let quiet = env
        .run(&[
            "-q",
            "register",
            "--client-name",
            "b",
            "--redirect-uri",
            "https://a.example/cb",
        ])
        .ok();
    assert_eq!(quiet.stderr, "");
    assert!(quiet.stdout.contains("client_secret: dcrsec_"));
    let client = id(&env.register("c"));
    let upserted = env
        .run(&[
            "--quiet",
            "register",
            "--upsert",
            "--client-id",
            &client,
            "--scope",
            "x",
        ])
        .ok();
    assert_eq!(upserted.stderr, "");
    let token = env.run(&["-q", "token", "create", "--max-uses", "1"]).ok();
    assert_eq!(token.stderr, "");
    env.run(&["-q", "show", "missing"]).fails(3);
}

#[test]
fn output_name_prints_ids_one_per_line() {
    let env = TestEnv::new();
    let a = id(&env.register("a"));
    let b = id(&env.register("b"));
    assert_eq!(
        env.run(&["-o", "name", "list"]).ok().stdout,
        format!("{a}\n{b}\n")
    );
    assert_eq!(
        env.run(&["-o", "name", "show", &b, &a]).ok().stdout,
        format!("{b}\n{a}\n")
    );
    let public = env
        .run(&[
            "-o",
            "name",
            "register",
            "--client-id",
            "public-app",
            "--token-endpoint-auth-method",
            "none",
            "--redirect-uri",
            "http://127.0.0.1/cb",
        ])
        .ok();
    assert_eq!(public.stdout, "public-app\n");
    assert!(
        public.stderr.contains("rotate-token public-app"),
        "{}",
        public.stderr
    );
    env.run_stdin(
        &["-o", "name", "admin", "add", "erin", "--password-stdin"],
        "a long password",
    )
    .ok();
    assert_eq!(
        env.run(&["-o", "name", "admin", "list"]).ok().stdout,
        "erin\n"
    );
    env.run(&["token", "create"]).ok();
    let tokens = env.run(&["-o", "name", "token", "list"]).ok().stdout;
    assert!(
        tokens.starts_with("iat_") && tokens.lines().count() == 1,
        "{tokens}"
    );
    assert_eq!(
        env.run(&["-o", "name", "--yes", "delete", &a]).ok().stdout,
        format!("{a}\n")
    );
}

#[test]
fn output_name_is_refused_where_there_are_no_ids_or_a_credential_would_be_lost() {
    let env = TestEnv::new();
    let a = id(&env.register("a"));
    env.unchanged(|| {
        for args in [
            &["events"][..],
            &["export"],
            &["rotate-secret", &a],
            &["rotate-token", &a],
            &["token", "create"],
            &["db", "check"],
        ] {
            let run = env.run(&[&["-o", "name"][..], args].concat()).fails(2);
            assert!(run.stderr.contains("-o name"), "{}", run.stderr);
            assert_eq!(run.stdout, "");
        }
        // A confidential client's new secret would be lost: nothing is registered.
        let run = env
            .run(&[
                "-o",
                "name",
                "register",
                "--client-name",
                "c",
                "--redirect-uri",
                "https://c.example/cb",
            ])
            .fails(2);
        assert!(run.stderr.contains("client_secret"), "{}", run.stderr);
        assert_eq!(run.stdout, "");
    });
}

#[test]
fn field_selection_projects_objects_and_columns() {
    let env = TestEnv::new();
    let a = id(&env.register("a"));
    let listed = env
        .run(&[
            "-o",
            "json",
            "list",
            "--field",
            "client_name,client_id",
            "--field",
            "logo_uri",
        ])
        .ok()
        .json();
    assert_eq!(listed, json!([{"client_name": "a", "client_id": a}]));
    let keys: Vec<&String> = listed[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["client_name", "client_id"]);
    assert_eq!(
        env.run(&["-o", "json", "show", &a, "--field", "registered_via"])
            .ok()
            .json(),
        json!({"registered_via": "cli"})
    );
    let table = env
        .run(&["list", "--field", "client_id,redirect_uris"])
        .ok()
        .stdout;
    assert_eq!(
        table,
        format!(
            "CLIENT_ID{}  REDIRECT_URIS\n{a}  https://app.example.com/callback\n",
            " ".repeat(a.len() - 9)
        )
    );
    let events = env
        .run(&["-o", "json", "events", "--field", "action"])
        .ok()
        .json();
    assert_eq!(events, json!([{"action": "register"}]));
    env.run(&["token", "create", "--note", "n"]).ok();
    let tokens = env
        .run(&["-o", "json", "token", "list", "--field", "note"])
        .ok()
        .json();
    assert_eq!(tokens, json!([{"note": "n"}]));
    env.run_stdin(
        &["admin", "add", "erin", "--password-stdin"],
        "a long password",
    )
    .ok();
    assert_eq!(
        env.run(&["admin", "list", "--field", "name"]).ok().stdout,
        "NAME\nerin\n"
    );
    let unknown = env.run(&["list", "--field", "secret"]).fails(2);
    assert!(
        unknown
            .stderr
            .contains("--field secret: no such field; valid fields: client_id,"),
        "{}",
        unknown.stderr
    );
    env.run(&["export", "--field", "client_id"]).fails(2);
    env.run(&["-o", "name", "list", "--field", "client_id"])
        .fails(2);
}

#[test]
fn result_documents_hold_a_list_under_their_verb() {
    let env = TestEnv::new();
    let pw = "a long password";
    let added = env.run_stdin(
        &["-o", "json", "admin", "add", "erin", "--password-stdin"],
        pw,
    );
    assert_eq!(added.ok().json(), json!({"added": ["erin"]}));
    let changed = env.run_stdin(
        &["-o", "json", "admin", "passwd", "erin", "--password-stdin"],
        pw,
    );
    assert_eq!(changed.ok().json(), json!({"password_changed": ["erin"]}));
    let removed = env
        .run(&["-o", "json", "--yes", "admin", "remove", "erin"])
        .ok();
    assert_eq!(removed.json(), json!({"removed": ["erin"]}));
    let token = env.run(&["-o", "json", "token", "create"]).ok().json();
    let token_id = token["token_id"].as_str().unwrap();
    let revoked = env
        .run(&["-o", "json", "--yes", "token", "revoke", token_id])
        .ok();
    assert_eq!(revoked.json(), json!({"revoked": [token_id]}));
    let a = id(&env.register("a"));
    let deleted = env.run(&["-o", "json", "--yes", "delete", &a]).ok();
    assert_eq!(deleted.json(), json!({"deleted": [a]}));
}

#[test]
fn show_of_several_ids_shows_all_or_none() {
    let env = TestEnv::new();
    let a = id(&env.register("a"));
    let b = id(&env.register("b"));
    let one = env.run(&["-o", "json", "show", &a]).ok().json();
    assert_eq!(one["client_id"], a.as_str());
    let both = env.run(&["-o", "json", "show", &b, &a, &b]).ok().json();
    let ids: Vec<&str> = both
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["client_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [b.as_str(), a.as_str()]);
    let table = env.run(&["show", &a, &b]).ok().stdout;
    assert_eq!(table.matches("client_id ").count(), 2, "{table}");
    assert!(table.contains("\n\nclient_id "), "{table}");
    let missing = env.run(&["-o", "json", "show", &a, "nope", &b]).fails(3);
    assert_eq!(missing.stdout, "");
    assert!(missing.stderr.contains("nope"), "{}", missing.stderr);
}

#[test]
fn verify_secret_json_says_why_a_secret_is_rejected() {
    let env = TestEnv::new();
    let created = env
        .run(&[
            "-o",
            "json",
            "register",
            "--client-name",
            "expiring",
            "--redirect-uri",
            "https://a.example/cb",
            "--secret-expires-in",
            "1h",
        ])
        .ok()
        .json();
    let client_id = id(&created);
    let secret = created["client_secret"].as_str().unwrap();
    let verify = |stdin: &str, later: i64| {
        env.run_later(later, &["-o", "json", "verify-secret", &client_id], stdin)
    };
    assert_eq!(
        verify(secret, 0).ok().json(),
        json!({"client_id": client_id, "valid": true})
    );
    assert_eq!(
        verify("dcrsec_wrong", 0).fails(6).json(),
        json!({"client_id": client_id, "valid": false, "reason": "wrong_secret"})
    );
    assert_eq!(
        verify(secret, 7200).fails(6).json(),
        json!({"client_id": client_id, "valid": false, "reason": "expired_secret"})
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
    let run = env
        .run_stdin(&["-o", "json", "verify-secret", &id(&public)], "anything")
        .fails(6);
    assert_eq!(run.json()["reason"], "no_secret");
    let run = env
        .run_stdin(&["-o", "json", "verify-secret", "nope"], "anything")
        .fails(3);
    assert_eq!(
        run.json(),
        json!({"client_id": "nope", "valid": false, "reason": "no_such_client"})
    );
}

#[test]
fn prune_reports_the_clients_it_removed() {
    let env = TestEnv::new();
    let register_expiring = |name: &str| {
        id(&env
            .run(&[
                "-o",
                "json",
                "register",
                "--client-name",
                name,
                "--redirect-uri",
                "https://a.example/cb",
                "--secret-expires-in",
                "1h",
            ])
            .ok()
            .json())
    };
    let a = register_expiring("a");
    let b = register_expiring("b");
    let kept = id(&env.register("kept"));
    let day = 86_400 * 3;
    let dry = env.run_later(day, &["prune", "--expired-for", "1d", "--dry-run"], "");
    let dry = dry.ok().stdout;
    assert!(dry.contains(&format!("would prune {a} (expired)")), "{dry}");
    let pruned = env
        .run_later(day, &["-o", "json", "prune", "--expired-for", "1d"], "")
        .ok()
        .json();
    assert_eq!(
        pruned["pruned"],
        json!([{"client_id": a, "reason": "expired"}, {"client_id": b, "reason": "expired"}])
    );
    assert_eq!(pruned["clients"]["expired"], 2);
    env.run(&["show", &kept]).ok();

    // In a table run: named on stderr when few, counted beyond twenty.
    let many: Vec<String> = (0..22)
        .map(|i| register_expiring(&format!("m{i}")))
        .collect();
    let run = env
        .run_later(day, &["prune", "--expired-for", "1d"], "")
        .ok();
    for named in &many[..20] {
        assert!(
            run.stderr.contains(&format!("pruned {named} (expired)\n")),
            "{}",
            run.stderr
        );
    }
    assert!(!run.stderr.contains(&many[21]), "{}", run.stderr);
    assert!(
        run.stderr.contains("… and 2 more clients"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.starts_with("pruned 22 clients"),
        "{}",
        run.stdout
    );
    let quiet = env
        .run_later(day, &["-q", "prune", "--expired-for", "1d"], "")
        .ok();
    assert_eq!(quiet.stderr, "");
}

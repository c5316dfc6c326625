//! Issue 17, the safety half: which commands may create a registry, prompts that wait for
//! Enter and ask again, confirmations of destructive changes, risky defaults said out loud,
//! one rule for deleting what is absent, and errors that name the next step.

use crate::pty::{dialogue, dialogue_sized};
use crate::util::{on_postgres, TestEnv};

/// How many tables the env's registry has: 0 when nothing was created.
fn tables(env: &TestEnv) -> i64 {
    match env.postgres() {
        Some(schema) => schema
            .client()
            .query_one(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()",
                &[],
            )
            .unwrap()
            .get(0),
        None => i64::from(env.db().exists()),
    }
}

fn now() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    i64::try_from(since.as_secs()).unwrap()
}

fn client_id(created: &serde_json::Value) -> String {
    created["client_id"].as_str().unwrap().to_owned()
}

/// Issue 17 item 2: `--db typo.db export` printed `[]`; cron's prune "succeeded" forever.
#[test]
fn issue_17_only_commands_that_create_clients_create_a_registry() {
    let env = TestEnv::new();
    for args in [
        &["list"][..],
        &["export"],
        &["show", "x"],
        &["events"],
        &["prune", "--expired-for", "30d"],
        &["db", "check"],
        &["token", "list"],
        &["admin", "list"],
        &["--yes", "delete", "x"],
        &["rotate-secret", "x"],
        &["verify-secret", "x"],
    ] {
        let run = env.run(args).fails(1);
        assert!(
            run.stderr.starts_with("error: no registry at ")
                && run.stderr.contains("create one with `dcrctl register`")
                && run.stderr.contains("--db"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("dcrctl-test-password"),
            "{}",
            run.stderr
        );
        assert_eq!(tables(&env), 0, "{args:?} created something");
    }
    if !on_postgres() {
        // Not even the folder of a missing file.
        assert!(!env.db().parent().unwrap().exists());
    }
    // Generated files never touch a registry.
    env.run(&["completions", "bash"]).ok();
    env.run(&["man"]).ok();
    assert_eq!(tables(&env), 0);
    // A creating command refused for its input creates nothing either.
    env.run(&["register", "--redirect-uri", "javascript:alert(1)"])
        .fails(2);
    env.run_stdin(&["admin", "add", "root", "--password-stdin"], "short")
        .fails(2);
    assert_eq!(tables(&env), 0);

    let first = env.run(&["token", "create", "--max-uses", "1"]).ok();
    assert!(
        first.stderr.contains("note: created a new registry at "),
        "{}",
        first.stderr
    );
    let second = env.run(&["token", "create", "--max-uses", "1"]).ok();
    assert!(
        !second.stderr.contains("created a new registry"),
        "{}",
        second.stderr
    );
    env.run(&["list"]).ok();
}

#[test]
fn issue_17_a_new_file_registry_is_announced_where_it_is() {
    crate::util::sqlite_only!("a file path");
    let env = TestEnv::new();
    let typo = env.dir().join("nodir").join("typo.db");
    let typo = typo.to_str().unwrap();
    let run = env.run(&["--db", typo, "export"]).fails(1);
    assert!(run.stderr.contains(typo), "{}", run.stderr);
    assert!(!env.dir().join("nodir").exists());
    let run = env
        .run_stdin(
            &["--db", typo, "admin", "add", "root", "--password-stdin"],
            "long-enough-password",
        )
        .ok();
    assert_eq!(
        run.stderr,
        format!("note: created a new registry at {typo}\n")
    );
    // An empty file is no registry either, and is left empty.
    let empty = env.dir().join("empty.db");
    std::fs::write(&empty, "").unwrap();
    env.run(&["--db", empty.to_str().unwrap(), "list"]).fails(1);
    assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0);
}

/// Issue 17 item 3: `yes⏎` at a confirmation confirmed on `y` and left `es` for the shell.
#[test]
fn issue_17_confirmations_wait_for_enter() {
    let env = TestEnv::new();
    let first = client_id(&env.register("first"));
    let run = dialogue(
        &env,
        &["delete", &first],
        &[("[y/N]", "y"), ("y", "\u{3}")],
        &[],
    );
    assert_ne!(run.code, 0, "acted before Enter:\n{}", run.screen);
    env.run(&["show", &first]).ok();
    let run = dialogue(&env, &["delete", &first], &[("[y/N]", "yes\r")], &[]);
    assert_eq!(run.code, 0, "{}", run.screen);
    assert!(run.screen.contains("deleted "), "{}", run.screen);
    env.run(&["show", &first]).fails(3);
}

/// Issue 17 item 10: an answer that is not valid is explained and asked again.
#[test]
fn issue_17_prompts_ask_again_after_an_invalid_answer() {
    let env = TestEnv::new();
    let second = client_id(&env.register("second"));
    let run = dialogue(
        &env,
        &["delete", &second],
        &[
            ("[y/N]", "maybe\r"),
            ("answer y, yes, n or no", ""),
            ("[y/N]", "no\r"),
        ],
        &[],
    );
    assert_eq!(run.code, 5, "{}", run.screen);
    env.run(&["show", &second]).ok();

    let run = dialogue_sized(
        &env,
        Some(80),
        &["-o", "json", "register", "--client-name", "asked"],
        &[
            ("Redirect URI", "http://app.example/cb\r"),
            ("http only on loopback", ""),
            ("Redirect URI", "https://app.example/cb\r"),
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.screen);
    let shown = env
        .run(&["-o", "json", "show", "--name", "asked"])
        .ok()
        .json();
    assert_eq!(shown["redirect_uris"][0], "https://app.example/cb");
    // The explanation is a line of its own and the prompt short, so no prompt wraps (and is
    // drawn twice) on an 80-column terminal.
    let confirm = dialogue_sized(
        &env,
        Some(80),
        &["delete", &second],
        &[("[y/N]", "n\r")],
        &[],
    );
    assert!(
        confirm
            .screen
            .contains("This cannot be undone.\r\nProceed? [y/N]"),
        "{:?}",
        confirm.screen
    );
}

/// Issue 17 item 6: making a client public deleted its secret without a word.
#[test]
fn issue_17_removing_a_secret_is_confirmed_and_said() {
    let env = TestEnv::new();
    let id = client_id(&env.register("public-to-be"));
    let public = ["update", &id, "--token-endpoint-auth-method", "none"];
    let run = env.unchanged(|| env.run(&public).fails(5));
    assert!(
        run.stderr
            .contains("confirmation needed but stdin is not a terminal: pass --yes"),
        "{}",
        run.stderr
    );
    let run = env.run(&[&["--yes"][..], &public].concat()).ok();
    assert!(
        run.stderr
            .contains(&format!("deleted the client secret of {id}")),
        "{}",
        run.stderr
    );
    let shown = env.run(&["-o", "json", "show", &id]).ok().json();
    assert_eq!(shown["token_endpoint_auth_method"], "none");
}

#[test]
fn issue_17_prune_asks_on_a_terminal_and_not_in_cron() {
    let env = TestEnv::new();
    let id = client_id(&env.register("stale"));
    let prune = ["prune", "--unused-for", "1s", "--include-provisioned"];
    let run = env.unchanged(|| {
        dialogue(
            &env,
            &prune,
            &[("[y/N]", "n\r")],
            &[("DCRCTL_TEST_CLOCK_SKEW", "10")],
        )
    });
    assert_eq!(run.code, 5, "{}", run.screen);
    assert!(
        run.screen.contains("This deletes 1 client "),
        "{}",
        run.screen
    );
    // Without a terminal (cron), prune proceeds.
    env.run_later(10, &prune, "").ok();
    env.run(&["show", &id]).fails(3);
}

/// Issue 17 item 7: `--no-input` on a terminal echoed verify-secret's secret, and delete said
/// there was no terminal.
#[test]
fn issue_17_no_input_on_a_terminal_never_echoes_and_says_what_is_true() {
    let env = TestEnv::new();
    let id = client_id(&env.register("no-input"));
    let run = dialogue(&env, &["--no-input", "delete", &id], &[("", "")], &[]);
    assert_eq!(run.code, 5, "{}", run.screen);
    assert!(
        run.screen
            .contains("confirmation needed but --no-input was given: pass --yes"),
        "{}",
        run.screen
    );
    let run = dialogue(
        &env,
        &["--no-input", "verify-secret", &id],
        &[("", "")],
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.screen);
    assert!(run.screen.contains("pipe it to stdin"), "{}", run.screen);
    let run = dialogue(
        &env,
        &["--no-input", "admin", "add", "root", "--password-stdin"],
        &[("", "")],
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.screen);
}

/// Issue 17 item 12: a second `token revoke` succeeded while a second `delete` exited 3.
#[test]
fn issue_17_deleting_what_is_absent_is_exit_3_unless_ignore_missing() {
    let env = TestEnv::new();
    let token = env
        .run(&["-o", "json", "token", "create", "--max-uses", "1"])
        .ok()
        .json();
    let token_id = token["token_id"].as_str().unwrap();
    let unconfirmed = env.run(&["token", "revoke", token_id]).fails(5);
    assert!(
        unconfirmed.stderr.contains("pass --yes"),
        "{}",
        unconfirmed.stderr
    );
    env.run(&["--yes", "token", "revoke", token_id]).ok();
    let again = env.run(&["--yes", "token", "revoke", token_id]).fails(3);
    assert!(again.stderr.contains("already revoked"), "{}", again.stderr);
    env.run(&["--yes", "token", "revoke", token_id, "--ignore-missing"])
        .ok();
    env.run(&["--yes", "admin", "remove", "nobody"]).fails(3);
    env.run(&["--yes", "admin", "remove", "nobody", "--ignore-missing"])
        .ok();

    let kept = client_id(&env.register("kept"));
    let gone = client_id(&env.register("gone"));
    env.run(&["--yes", "delete", &gone]).ok();
    env.unchanged(|| env.run(&["--yes", "delete", &gone, &kept]).fails(3));
    let run = env
        .run(&[
            "-o",
            "json",
            "--yes",
            "delete",
            &gone,
            &kept,
            "--ignore-missing",
        ])
        .ok();
    assert_eq!(run.json()["deleted"], serde_json::json!([kept]));
    assert!(
        run.stderr.contains(&format!("no such client: {gone}")),
        "{}",
        run.stderr
    );
}

/// Issue 17 item 14: defaults that make a credential weak are said out loud or refused.
#[test]
fn issue_17_risky_defaults_are_said_out_loud() {
    let env = TestEnv::new();
    let run = env.run(&["token", "create"]).ok();
    assert!(
        run.stderr
            .contains("warning: this token never expires and admits unlimited registrations"),
        "{}",
        run.stderr
    );
    let run = env.run(&["token", "create", "--expires-in", "1d"]).ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let run = env.run(&["token", "create", "--max-uses", "0"]).fails(2);
    assert!(run.stderr.contains("must be at least 1"), "{}", run.stderr);

    let run = env
        .run_stdin(&["admin", "add", "root", "--password-stdin"], "short\n")
        .fails(2);
    assert!(run.stderr.contains("at least 12"), "{}", run.stderr);
    let admins = env.run(&["-o", "json", "admin", "list"]).ok().json();
    assert_eq!(admins, serde_json::json!([]));

    let id = client_id(
        &env.run(&[
            "-o",
            "json",
            "register",
            "--redirect-uri",
            "https://app.example/cb",
            "--secret-expires-in",
            "90d",
        ])
        .ok()
        .json(),
    );
    // A plain rotation keeps the lifetime the previous secret had, and says so.
    let expiry = |run: &crate::util::Run| run.json()["client_secret_expires_at"].as_i64().unwrap();
    let run = env.run(&["-o", "json", "rotate-secret", &id]).ok();
    let lifetime = expiry(&run) - now();
    assert!(
        (90 * 86_400 - 60..=90 * 86_400).contains(&lifetime),
        "{lifetime}"
    );
    assert!(
        run.stderr.contains("the previous secret stopped working")
            && run
                .stderr
                .contains("the new secret keeps the previous one's lifetime: it expires in 90d"),
        "{}",
        run.stderr
    );
    let run = env
        .run(&[
            "-o",
            "json",
            "rotate-secret",
            &id,
            "--grace",
            "1h",
            "--secret-expires-in",
            "30d",
        ])
        .ok();
    assert!(!run.stderr.contains("stopped working"), "{}", run.stderr);
    let run = env.run(&["-o", "json", "rotate-secret", &id]).ok();
    assert!(expiry(&run) - now() <= 30 * 86_400);
    let run = env
        .run(&["-o", "json", "rotate-secret", &id, "--no-expiry"])
        .ok();
    assert_eq!(expiry(&run), 0);
    let run = env.run(&["-o", "json", "rotate-secret", &id]).ok();
    assert_eq!(expiry(&run), 0, "never expiring stays so");
    assert!(!run.stderr.contains("lifetime"), "{}", run.stderr);
}

/// Issue 17 item 13: errors name the next step where there is an obvious one.
#[test]
fn issue_17_errors_say_what_to_do_next() {
    let env = TestEnv::new();
    let register = [
        "register",
        "--client-id",
        "app",
        "--redirect-uri",
        "https://app.example/cb",
    ];
    env.run(&register).ok();
    let run = env.run(&register).fails(4);
    assert!(
        run.stderr.contains("`dcrctl update app`") && run.stderr.contains("--upsert"),
        "{}",
        run.stderr
    );
    let named = client_id(&env.register("cli-tool"));
    let run = env.run(&["rotate-secret", "cli-tool"]).fails(3);
    assert!(
        run.stderr
            .contains(&format!("a client is named cli-tool: its id is {named}")),
        "{}",
        run.stderr
    );
    env.run_stdin(
        &["admin", "add", "root", "--password-stdin"],
        "long-enough-password",
    )
    .ok();
    let run = env
        .run_stdin(
            &["admin", "add", "root", "--password-stdin"],
            "long-enough-password",
        )
        .fails(4);
    assert!(
        run.stderr.contains("`dcrctl admin passwd root`"),
        "{}",
        run.stderr
    );

    // An expired secret and a wrong one are told apart; both exit 6.
    let created = env
        .run(&[
            "-o",
            "json",
            "register",
            "--redirect-uri",
            "https://app.example/cb",
            "--secret-expires-in",
            "1h",
        ])
        .ok()
        .json();
    let (id, secret) = (
        client_id(&created),
        created["client_secret"].as_str().unwrap().to_owned(),
    );
    let expired = env
        .run_later(7200, &["verify-secret", &id], &secret)
        .fails(6);
    assert!(
        expired.stderr.contains("has expired")
            && expired
                .stderr
                .contains(&format!("dcrctl rotate-secret {id}")),
        "{}",
        expired.stderr
    );
    let wrong = env.run_stdin(&["verify-secret", &id], "wrong").fails(6);
    assert_eq!(wrong.stderr, "error: credential rejected\n");
}

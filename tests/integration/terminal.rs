//! Behaviour on a real terminal, through a pseudo-terminal made by util-linux `script`:
//! prompts appear only there, answers are honoured, hidden input stays hidden.

use crate::pty::{dialogue, on_terminal};
use crate::util::TestEnv;

#[test]
fn delete_asks_and_honours_the_answer() {
    let env = TestEnv::new();
    let client_id = env.register("asked")["client_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let declined =
        env.unchanged(|| on_terminal(&env, &["delete", &client_id], Some("[y/N]"), "n\n", &[]));
    assert_eq!(declined.code, 5, "{}", declined.screen);
    assert!(
        declined.screen.contains("This cannot be undone"),
        "{}",
        declined.screen
    );
    let accepted = on_terminal(&env, &["delete", &client_id], Some("[y/N]"), "y\n", &[]);
    assert_eq!(accepted.code, 0, "{}", accepted.screen);
    env.run(&["show", &client_id]).fails(3);
}

#[test]
fn register_prompts_for_a_missing_redirect_uri() {
    let env = TestEnv::new();
    let run = on_terminal(
        &env,
        &["-o", "json", "register", "--client-name", "prompted"],
        Some("Redirect URI"),
        "https://p.example/cb\n",
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.screen);
    assert!(run.screen.contains("Redirect URI"), "{}", run.screen);
    let shown = env
        .run(&["-o", "json", "show", "--name", "prompted"])
        .ok()
        .json();
    assert_eq!(
        shown["redirect_uris"],
        serde_json::json!(["https://p.example/cb"])
    );
}

#[test]
fn no_input_never_prompts_even_on_a_terminal() {
    let env = TestEnv::new();
    let client_id = env.register("quiet")["client_id"]
        .as_str()
        .unwrap()
        .to_owned();
    env.unchanged(|| {
        let run = on_terminal(
            &env,
            &["--no-input", "register", "--client-name", "x"],
            None,
            "",
            &[],
        );
        assert_eq!(run.code, 2, "{}", run.screen);
        assert!(!run.screen.contains("Redirect URI"), "{}", run.screen);
        let run = on_terminal(&env, &["--no-input", "delete", &client_id], None, "", &[]);
        assert_eq!(run.code, 5, "{}", run.screen);
    });
    let run = on_terminal(&env, &["--yes", "delete", &client_id], None, "", &[]);
    assert_eq!(run.code, 0, "{}", run.screen);
}

#[test]
fn verify_secret_prompt_does_not_echo_the_secret() {
    let env = TestEnv::new();
    let created = env.register("hidden");
    let client_id = created["client_id"].as_str().unwrap();
    let secret = created["client_secret"].as_str().unwrap();
    let run = on_terminal(
        &env,
        &["verify-secret", client_id],
        Some("Client secret"),
        &format!("{secret}\n"),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.screen);
    assert!(
        !run.screen.contains(secret),
        "the secret was echoed:\n{}",
        run.screen
    );
    let run = on_terminal(
        &env,
        &["verify-secret", client_id],
        Some("Client secret"),
        "wrong\n",
        &[],
    );
    assert_eq!(run.code, 6, "{}", run.screen);
}

#[test]
fn errors_are_colored_on_a_terminal_unless_no_color() {
    let env = TestEnv::new();
    env.register("present");
    let colored = on_terminal(&env, &["show", "missing"], None, "", &[]);
    assert_eq!(colored.code, 3);
    assert!(
        colored.screen.contains("\u{1b}[1;31merror:"),
        "{:?}",
        colored.screen
    );
    for (args, extra) in [
        (&["show", "missing"][..], &[("NO_COLOR", "1")][..]),
        (&["--color", "never", "show", "missing"], &[]),
    ] {
        let plain = on_terminal(&env, args, None, "", extra);
        assert!(
            plain.screen.contains("error:") && !plain.screen.contains('\u{1b}'),
            "{:?}",
            plain.screen
        );
    }
    // An explicit --color always beats NO_COLOR, even off a terminal.
    let forced = env.run(&["--color", "always", "show", "missing"]);
    assert_eq!(forced.code, 3);
    assert!(
        forced.stderr.starts_with("\u{1b}[1;31merror:"),
        "{:?}",
        forced.stderr
    );
}

#[test]
fn admin_password_is_asked_twice_without_echo() {
    let env = TestEnv::new();
    let run = dialogue(
        &env,
        &["admin", "add", "alice"],
        &[
            ("Password for alice", "pw-first-try\n"),
            ("Repeat it", "pw-first-try\n"),
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.screen);
    assert!(
        !run.screen.contains("pw-first-try"),
        "the password was echoed:\n{}",
        run.screen
    );
    let hash: String = env.value("SELECT password_hash FROM admins WHERE name = 'alice'");
    assert!(hash.starts_with("$argon2id$"));
    // A mismatch is asked again rather than accepted.
    let run = dialogue(
        &env,
        &["admin", "passwd", "alice"],
        &[
            ("Password for alice", "one-password\n"),
            ("Repeat it", "two-password\n"),
            ("do not match", ""),
            ("Password for alice", "three-password\n"),
            ("Repeat it", "three-password\n"),
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.screen);
}

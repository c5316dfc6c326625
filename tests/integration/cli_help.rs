//! Issue 17, the help part: one colour decision for clap's output and ours, help grouped and
//! with examples, man pages with EXIT STATUS/ENVIRONMENT/FILES, completion of fixed values and
//! of client ids from the database.

use crate::pty::{dialogue_sized, PtyRun};
use crate::util::{Run, TestEnv};

const ESC: &str = "\x1b[";

/// `dcrctl ARGS` with stdout and stderr piped, NO_COLOR unset (or set, with `no_color`).
fn piped(env: &TestEnv, args: &[&str], no_color: bool) -> Run {
    let mut cmd = env.std_cmd();
    if !no_color {
        cmd.env_remove("NO_COLOR");
    }
    let output = cmd.args(args).output().expect("run dcrctl");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `dcrctl ARGS` on an 80-column pseudo-terminal.
fn terminal(env: &TestEnv, args: &[&str], extra_env: &[(&str, &str)]) -> PtyRun {
    dialogue_sized(env, Some(80), args, &[], extra_env)
}

#[test]
fn color_never_and_always_govern_help_and_usage_errors_on_a_terminal() {
    let env = TestEnv::new();
    env.register("present");
    let help = terminal(&env, &["--color", "never", "register", "--help"], &[]);
    assert_eq!(help.code, 0);
    assert!(help.screen.contains("Global options:"), "{}", help.screen);
    assert!(!help.screen.contains(ESC), "{:?}", help.screen);
    // After the subcommand, and on a usage error: clap has not parsed it when it reports.
    let usage = terminal(&env, &["list", "--bogus", "--color", "never"], &[]);
    assert_eq!(usage.code, 2);
    assert!(usage
        .screen
        .contains("error: unexpected argument '--bogus'"));
    assert!(!usage.screen.contains(ESC), "{:?}", usage.screen);
    let ours = terminal(&env, &["--color=never", "show", "nobody"], &[]);
    assert_eq!(ours.code, 3);
    assert!(ours.screen.starts_with("error: "), "{:?}", ours.screen);
    // always: whatever NO_COLOR says.
    let always = terminal(&env, &["lis", "--color", "always"], &[("NO_COLOR", "1")]);
    assert_eq!(always.code, 2);
    assert!(always.screen.contains(ESC), "{:?}", always.screen);
}

#[test]
fn color_auto_colors_a_terminal_unless_no_color_is_set() {
    let env = TestEnv::new();
    let help = terminal(&env, &["register", "--help"], &[]);
    assert!(help.screen.contains(ESC), "{:?}", help.screen);
    let usage = terminal(&env, &["lis"], &[]);
    assert_eq!(usage.code, 2);
    assert!(usage.screen.contains(ESC), "{:?}", usage.screen);
    for (name, value) in [("NO_COLOR", "1"), ("TERM", "dumb")] {
        let plain = terminal(&env, &["lis"], &[(name, value)]);
        assert_eq!(plain.code, 2);
        assert!(!plain.screen.contains(ESC), "{name}: {:?}", plain.screen);
    }
}

#[test]
fn color_always_colors_help_and_errors_even_piped_and_with_no_color() {
    let env = TestEnv::new();
    env.register("present");
    for no_color in [false, true] {
        let help = piped(&env, &["--color", "always", "register", "--help"], no_color);
        assert_eq!(help.code, 0);
        assert!(help.stdout.contains(ESC), "{}", help.stdout);
        let usage = piped(&env, &["--color", "always", "lis"], no_color);
        assert_eq!(usage.code, 2);
        assert!(
            usage.stderr.starts_with("\x1b[1m\x1b[31merror:"),
            "{:?}",
            usage.stderr
        );
        let ours = piped(&env, &["--color", "always", "show", "nobody"], no_color);
        assert_eq!(ours.code, 3);
        assert!(
            ours.stderr.starts_with("\x1b[1;31merror:"),
            "{:?}",
            ours.stderr
        );
    }
}

#[test]
fn color_auto_and_never_write_no_escapes_into_a_pipe() {
    let env = TestEnv::new();
    for color in ["auto", "never"] {
        let help = piped(&env, &["--color", color, "register", "--help"], false);
        assert!(!help.stdout.contains(ESC), "{color}: {}", help.stdout);
        let usage = piped(&env, &["--color", color, "lis"], false);
        assert_eq!(usage.code, 2);
        assert!(usage
            .stderr
            .starts_with("error: unrecognized subcommand 'lis'"));
        assert!(!usage.stderr.contains(ESC));
    }
}

#[test]
fn help_groups_global_options_apart_and_shows_examples() {
    let env = TestEnv::new();
    let commands: &[&[&str]] = &[
        &["register"],
        &["show"],
        &["list"],
        &["update"],
        &["delete"],
        &["rotate-secret"],
        &["rotate-token"],
        &["verify-secret"],
        &["token"],
        &["admin"],
        &["prune"],
        &["apply"],
        &["export"],
        &["events"],
        &["db"],
        &["serve"],
        &["completions"],
        &["man"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.push("--help");
        let help = env.run(&args).ok().stdout;
        let examples = help
            .find("\nExamples:\n  ")
            .unwrap_or_else(|| panic!("{help}"));
        assert!(help[examples..].contains("dcrctl "), "{help}");
        let global = help
            .find("\nGlobal options:\n")
            .expect("a Global options heading");
        let db = help.find("--db <PATH>").unwrap();
        assert!(db > global, "--db is listed under Global options:\n{help}");
    }
    let register = env.run(&["register", "--help"]).ok().stdout;
    let own = register.find("\nOptions:\n").unwrap();
    let name = register.find("--client-name <NAME>").unwrap();
    let global = register.find("\nGlobal options:\n").unwrap();
    assert!(own < name && name < global, "{register}");
}

#[test]
fn man_pages_have_examples_exit_status_environment_and_files_and_no_help_page() {
    let env = TestEnv::new();
    let dir = env.dir().join("pages");
    // No home, no data folder, no database: man pages and completions need none of them.
    let homeless = |args: &[&str]| {
        let mut cmd = env.std_cmd();
        cmd.env_remove("HOME")
            .env_remove("XDG_DATA_HOME")
            .env_remove("DCRCTL_DB");
        let output = cmd.args(args).output().unwrap();
        assert!(output.status.success(), "{args:?}");
        assert!(!output.stdout.is_empty() || args[0] == "man", "{args:?}");
    };
    homeless(&["man", "--out-dir", dir.to_str().unwrap()]);
    homeless(&["completions", "zsh"]);
    homeless(&["completions", "fish", "--dynamic"]);
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let page = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!page.contains("help("), "{name} refers to a help page");
        for section in ["EXIT STATUS", "ENVIRONMENT", "FILES"] {
            assert!(
                page.contains(&format!(".SH \"{section}\"")),
                "{name}: {section}"
            );
        }
        names.push(name);
    }
    assert!(!names.iter().any(|name| name.contains("help")), "{names:?}");
    let main = env.run(&["man"]).ok().stdout;
    assert!(main.contains("\\fBDCRCTL_DB\\fR"));
    assert!(main.contains("\\fBNO_COLOR\\fR"));
    assert!(main.contains("\\fB~/.pgpass\\fR"));
    let prune = std::fs::read_to_string(dir.join("dcrctl-prune.1")).unwrap();
    assert!(prune.contains(".SH EXAMPLES\n"), "{prune}");
    assert!(prune.contains("dcrctl prune \\-\\-expired\\-for 30d"));
}

/// What dcrctl answers a bash completion request for `words` (the last being completed),
/// as the dynamic script asks it.
fn complete(env: &TestEnv, words: &[&str], extra_env: &[(&str, &str)]) -> Run {
    let mut cmd = env.std_cmd();
    cmd.env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
        .env("_CLAP_IFS", "\n")
        .args(["--", "dcrctl"])
        .args(&words[1..]);
    for (name, value) in extra_env {
        cmd.env(name, value);
    }
    let output = cmd.output().expect("run dcrctl");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn candidates(run: &Run) -> Vec<&str> {
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    run.stdout.lines().collect()
}

fn register_ids(env: &TestEnv, ids: &[&str]) {
    for id in ids {
        env.run(&[
            "register",
            "--client-id",
            id,
            "--grant-type",
            "client_credentials",
        ])
        .ok();
    }
}

#[test]
fn client_ids_complete_from_the_database() {
    let env = TestEnv::new();
    register_ids(&env, &["alpha-2", "alpha-1", "beta"]);
    for words in [
        &["dcrctl", "show", "al"][..],
        &["dcrctl", "update", "al"],
        &["dcrctl", "delete", "beta", "al"],
        &["dcrctl", "rotate-secret", "al"],
        &["dcrctl", "rotate-token", "al"],
        &["dcrctl", "verify-secret", "al"],
        &["dcrctl", "events", "--client", "al"],
        &["dcrctl", "-o", "json", "show", "al"],
    ] {
        let run = complete(&env, words, &[]);
        assert_eq!(candidates(&run), ["alpha-1", "alpha-2"], "{words:?}");
    }
    let all = complete(&env, &["dcrctl", "show", ""], &[]);
    let all = candidates(&all);
    assert!(all.starts_with(&["alpha-1", "alpha-2", "beta"]), "{all:?}");
}

#[test]
fn completing_ids_never_creates_a_database_nor_prints_an_error() {
    let env = TestEnv::new();
    let typo = env.dir().join("nodir").join("typo.db");
    let typo = typo.to_str().unwrap();
    for words in [
        &["dcrctl", "--db", typo, "show", ""][..],
        &["dcrctl", "show", &format!("--db={typo}"), ""],
    ] {
        let run = complete(&env, words, &[]);
        assert!(
            !candidates(&run).iter().any(|c| !c.starts_with('-')),
            "{words:?}"
        );
    }
    assert!(!env.dir().join("nodir").exists());
    // DCRCTL_DB names the missing default database of the env.
    let run = complete(&env, &["dcrctl", "show", "a"], &[]);
    assert!(candidates(&run).is_empty());
    if crate::util::on_postgres() {
        assert!(env
            .rows("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            .is_empty());
    } else {
        assert!(!env.db().exists());
    }
    // A server that is not there: no candidates, nothing on stderr, no wait.
    let started = std::time::Instant::now();
    let url = "postgres://dcrctl@127.0.0.1:1/none?sslmode=disable";
    let run = complete(&env, &["dcrctl", "--db", url, "show", ""], &[]);
    assert!(!candidates(&run).iter().any(|c| !c.starts_with('-')));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    // Not a database at all: still no candidates and nothing on stderr.
    let junk = env.dir().join("junk.db");
    std::fs::write(&junk, "not sqlite").unwrap();
    let run = complete(
        &env,
        &["dcrctl", "--db", junk.to_str().unwrap(), "show", ""],
        &[],
    );
    assert!(!candidates(&run).iter().any(|c| !c.starts_with('-')));
}

#[test]
fn fixed_values_complete_statically_and_dynamically() {
    let env = TestEnv::new();
    let bash = env.run(&["completions", "bash"]).ok().stdout;
    assert!(
        bash.contains("compgen -W \"web native\""),
        "no application types"
    );
    assert!(bash.contains("client_secret_basic client_secret_post none private_key_jwt"));
    assert!(bash.contains("compgen -W \"code token id_token none\""));
    let fish = env.run(&["completions", "fish"]).ok().stdout;
    assert!(fish.contains("client_credentials\\t''"), "no grant types");
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["dcrctl", "register", "--application-type", ""],
            &["web", "native"],
        ),
        (
            &[
                "dcrctl",
                "register",
                "--token-endpoint-auth-method",
                "client_secret_",
            ],
            &["client_secret_basic", "client_secret_post"],
        ),
        (
            &["dcrctl", "register", "--grant-type", "cl"],
            &["client_credentials"],
        ),
        (
            &["dcrctl", "update", "x", "--response-type", "to"],
            &["token"],
        ),
        (&["dcrctl", "update", "x", "--unset", "logo"], &["logo_uri"]),
    ];
    for (words, expected) in cases {
        let run = complete(&env, words, &[]);
        assert_eq!(candidates(&run), *expected, "{words:?}");
    }
}

#[test]
fn suggested_values_are_still_judged_by_the_registration_rules() {
    let env = TestEnv::new();
    let refused = env
        .run(&[
            "register",
            "--application-type",
            "desktop",
            "--redirect-uri",
            "https://a.example/cb",
        ])
        .fails(2);
    assert_eq!(
        refused.stderr,
        "error: application_type: must be web or native (invalid_client_metadata)\n"
    );
    let refused = env
        .run(&[
            "register",
            "--token-endpoint-auth-method",
            "client_secret_jwt",
            "--redirect-uri",
            "https://a.example/cb",
        ])
        .fails(2);
    assert!(
        refused
            .stderr
            .contains("client_secret_jwt is not supported"),
        "{}",
        refused.stderr
    );
    // An extension grant is an absolute URI no list holds.
    env.run(&[
        "register",
        "--client-id",
        "ext",
        "--grant-type",
        "urn:example:grant",
    ])
    .ok();
    let refused = env
        .run(&["update", "ext", "--unset", "no_such_field"])
        .fails(2);
    assert_eq!(
        refused.stderr,
        "error: --unset no_such_field: the client has no such field\n"
    );
}

#[test]
fn the_dynamic_bash_script_offers_client_ids() {
    let env = TestEnv::new();
    register_ids(&env, &["alpha-1", "alpha-2", "beta"]);
    let script = env.run(&["completions", "bash", "--dynamic"]).ok().stdout;
    assert!(
        script.contains("complete -o nospace -o bashdefault"),
        "{script}"
    );
    let script_path = env.dir().join("dcrctl-dynamic.bash");
    std::fs::write(&script_path, &script).unwrap();
    // Bash calls the function as the shell's completion would: the words and the index.
    let probe = format!(
        "source '{}'; COMP_WORDS=(dcrctl show al); COMP_CWORD=2; COMP_TYPE=9; \
         _clap_complete_dcrctl dcrctl al show; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script_path.display()
    );
    let mut bash = std::process::Command::new("bash");
    bash.args(["--norc", "-c", &probe])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir())
        .env("DCRCTL_DB", env.location());
    let output = bash.output().expect("bash");
    let offered = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        offered.lines().collect::<Vec<_>>(),
        ["alpha-1", "alpha-2"],
        "{offered}"
    );
}

#[test]
fn admin_names_and_live_token_ids_complete_from_the_database() {
    let env = TestEnv::new();
    for name in ["alice", "albert", "bob"] {
        env.run_stdin(
            &["admin", "add", name, "--password-stdin"],
            "correct horse battery staple\n",
        )
        .ok();
    }
    for words in [
        &["dcrctl", "admin", "passwd", "al"][..],
        &["dcrctl", "admin", "remove", "al"],
    ] {
        let run = complete(&env, words, &[]);
        assert_eq!(candidates(&run), ["albert", "alice"], "{words:?}");
    }
    let token = |env: &TestEnv| -> String {
        let created = env
            .run(&[
                "-o",
                "json",
                "token",
                "create",
                "--max-uses",
                "1",
                "--expires-in",
                "1d",
            ])
            .ok()
            .json();
        created["token_id"].as_str().unwrap().to_owned()
    };
    let (live, revoked) = (token(&env), token(&env));
    env.run(&["--yes", "token", "revoke", &revoked]).ok();
    let run = complete(&env, &["dcrctl", "token", "revoke", "iat_"], &[]);
    assert_eq!(candidates(&run), [live.as_str()]);
}

#[test]
fn a_complete_variable_naming_no_shell_is_not_a_completion_request() {
    let env = TestEnv::new();
    for value in ["1", "true", ""] {
        let output = env
            .std_cmd()
            .env("COMPLETE", value)
            .arg("--version")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "COMPLETE={value}");
        assert!(stdout.starts_with("dcrctl "), "COMPLETE={value}: {stdout}");
    }
    // A shell given as a path, as `$SHELL` holds it, is one.
    let run = complete(&env, &["dcrctl", "--vers"], &[("COMPLETE", "/bin/bash")]);
    assert_eq!(candidates(&run), ["--version"]);
}

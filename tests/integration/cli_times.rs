//! Times, durations and filters on the command line (issue 17, items 4, 5 and 12): every
//! RFC 3339 spelling, `--…-expires-at` beside `--…-expires-in`, one name for a secret's
//! lifetime, shell globs, half-open time bounds, `list --sort/--reverse/--after`,
//! `events --until/--action` and `token list --status`.

use crate::util::TestEnv;
use serde_json::Value;

/// 2026-01-31T12:00:00Z.
const NOON: i64 = 1_769_860_800;

fn ids(env: &TestEnv, args: &[&str]) -> Vec<String> {
    let full = [&["-o", "json"], args].concat();
    env.run(&full)
        .ok()
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|client| client["client_id"].as_str().unwrap().to_owned())
        .collect()
}

/// Register a client with a chosen id and name, registered at `at`.
fn client_at(env: &TestEnv, id: &str, name: &str, at: i64) {
    env.run(&[
        "register",
        "--client-id",
        id,
        "--client-name",
        name,
        "--grant-type",
        "client_credentials",
    ])
    .ok();
    env.sql(&format!(
        "UPDATE clients SET client_id_issued_at = {at} WHERE client_id = '{id}'"
    ));
}

#[test]
fn any_rfc3339_offset_and_lowercase_are_accepted_and_lower_bounds_include_their_time() {
    let env = TestEnv::new();
    client_at(&env, "before", "b", NOON - 1);
    client_at(&env, "at", "a", NOON);
    client_at(&env, "after", "c", NOON + 1);
    for spelling in [
        "2026-01-31T12:00:00Z",
        "2026-01-31t12:00:00z",
        "2026-01-31T13:00:00+01:00",
        "2026-01-31T07:30:00-04:30",
        "2026-01-31T12:00:00.250Z",
    ] {
        assert_eq!(
            ids(&env, &["list", "--created-after", spelling]),
            ["at", "after"],
            "--created-after {spelling}"
        );
        assert_eq!(
            ids(&env, &["list", "--created-before", spelling]),
            ["before"],
            "--created-before {spelling}"
        );
    }
    assert_eq!(
        ids(&env, &["list", "--created-after", "2026-01-31"]),
        ["before", "at", "after"]
    );
    let run = env.run(&["list", "--created-after", "31/01/2026"]).fails(2);
    assert!(run.stderr.contains("RFC 3339"), "{}", run.stderr);
}

#[test]
fn tables_show_times_in_rfc3339_utc() {
    let env = TestEnv::new();
    client_at(&env, "noon", "n", NOON - 3600);
    env.sql(&format!(
        "UPDATE clients SET updated_at = {NOON}, client_secret_expires_at = {NOON} \
         WHERE client_id = 'noon'"
    ));
    // The listing's narrow column keeps the date of the same format.
    let table = env.run(&["list"]).ok().stdout;
    assert!(
        table
            .lines()
            .any(|row| row.starts_with("noon ") && row.contains(" 2026-01-31 ")),
        "{table}"
    );
    let shown = env.run(&["show", "noon"]).ok().stdout;
    for time in ["2026-01-31T11:00:00Z", "2026-01-31T12:00:00Z"] {
        assert!(shown.contains(time), "{shown}");
    }
}

#[test]
fn expires_at_sets_the_exact_time_and_refuses_the_past_or_both_flags() {
    let env = TestEnv::new();
    // 2099-01-01T00:00:00+02:00 = 2098-12-31T22:00:00Z.
    let at = "2099-01-01T00:00:00+02:00";
    let expected = 4_070_901_600_i64;
    let registered = env
        .run(&[
            "-o",
            "json",
            "register",
            "--client-name",
            "timed",
            "--grant-type",
            "client_credentials",
            "--secret-expires-at",
            at,
        ])
        .ok()
        .json();
    assert_eq!(registered["client_secret_expires_at"], expected);
    let id = registered["client_id"].as_str().unwrap();

    let rotated = env
        .run(&[
            "-o",
            "json",
            "rotate-secret",
            id,
            "--secret-expires-at",
            "2098-12-31",
        ])
        .ok()
        .json();
    assert_eq!(rotated["client_secret_expires_at"], 4_070_822_400_i64);

    env.run(&["-o", "json", "token", "create", "--expires-at", at])
        .ok();
    let tokens = env.run(&["-o", "json", "token", "list"]).ok().json();
    assert_eq!(tokens[0]["expires_at"], expected, "{tokens}");

    for args in [
        vec![
            "register",
            "--client-name",
            "x",
            "--secret-expires-at",
            "2020-01-01",
        ],
        vec![
            "rotate-secret",
            id,
            "--secret-expires-at",
            "2020-01-01T00:00:00Z",
        ],
        vec!["token", "create", "--expires-at", "1970-01-01"],
    ] {
        let run = env.run(&args).fails(2);
        assert!(
            run.stderr.contains("is not in the future"),
            "{}",
            run.stderr
        );
    }
    // The future is the registry's: a clock a century on finds 2098 past.
    env.run_later(
        100 * 31_557_600,
        &["token", "create", "--expires-at", "2098-01-01"],
        "",
    )
    .fails(2);
    for args in [
        vec![
            "register",
            "--client-name",
            "x",
            "--secret-expires-in",
            "1d",
            "--secret-expires-at",
            at,
        ],
        vec![
            "rotate-secret",
            id,
            "--secret-expires-in",
            "1d",
            "--secret-expires-at",
            at,
        ],
        vec!["token", "create", "--expires-in", "1d", "--expires-at", at],
    ] {
        env.run(&args).fails(2);
    }
    // A duration is not a time to expire at.
    env.run(&["token", "create", "--expires-at", "7d"]).fails(2);
    let clients = env.run(&["-o", "json", "list"]).ok().json();
    assert_eq!(clients.as_array().unwrap().len(), 1, "nothing half-written");
}

#[test]
fn old_names_of_secret_lifetimes_still_work_unlisted() {
    let env = TestEnv::new();
    let id = env.register("old")["client_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = ids(&env, &["list"]);
    let rotated = env
        .run(&["-o", "json", "rotate-secret", &id, "--expires-in", "1d"])
        .ok()
        .json();
    let expires = rotated["client_secret_expires_at"].as_i64().unwrap();
    let issued = rotated["client_id_issued_at"].as_i64().unwrap();
    assert!(expires > issued + 86_000, "{rotated}");
    assert_eq!(ids(&env, &["list"]), before);
    let help = env.run(&["rotate-secret", "--help"]).ok().stdout;
    assert!(help.contains("--secret-expires-in"), "{help}");
    assert!(!help.contains(" --expires-in"), "{help}");
    // serve's old name reaches the same flag: its value is checked under the new name.
    let run = env
        .run(&[
            "serve",
            "--issuer",
            "http://127.0.0.1",
            "--secret-lifetime",
            "soon",
        ])
        .fails(2);
    assert!(run.stderr.contains("--secret-expires-in"), "{}", run.stderr);
    let help = env.run(&["serve", "--help"]).ok().stdout;
    assert!(help.contains("--secret-expires-in"), "{help}");
    assert!(!help.contains("--secret-lifetime"), "{help}");
}

#[test]
fn list_name_follows_shell_glob_rules() {
    let env = TestEnv::new();
    let names = [
        "cdn", "Beta", "beta", "delta", "a*b", "axb", "50%_off", "500off", "x[1]", "x1",
    ];
    for (i, name) in names.iter().enumerate() {
        client_at(
            &env,
            &format!("c{i}"),
            name,
            NOON + i64::try_from(i).unwrap(),
        );
    }
    let named = |glob: &str| -> Vec<String> {
        env.run(&["-o", "json", "list", "--name", glob])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["client_name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        named("[!cdB]*"),
        ["beta", "a*b", "axb", "50%_off", "500off", "x[1]", "x1"]
    );
    assert_eq!(named("[^cdB]*"), named("[!cdB]*"));
    assert_eq!(named("[b-d]*"), ["cdn", "beta", "delta"]);
    assert_eq!(named("?eta"), ["Beta", "beta"]);
    assert_eq!(named("a*b"), ["a*b", "axb"]);
    assert_eq!(named(r"a\*b"), ["a*b"]);
    assert_eq!(named("50%_off"), ["50%_off"]);
    assert_eq!(named("5*off"), ["50%_off", "500off"]);
    assert_eq!(named(r"x\[1\]"), ["x[1]"]);
    assert_eq!(named("x[1]"), ["x1"]);
    assert!(named("%").is_empty());
    // --limit and --offset count the matches.
    let paged = ids(
        &env,
        &["list", "--name", "*a*", "--offset", "1", "--limit", "2"],
    );
    assert_eq!(paged, ["c2", "c3"]);
    let help = env.run(&["list", "--help"]).ok().stdout;
    assert!(help.contains("shell glob"), "{help}");
}

#[test]
fn list_sorts_and_resumes_after_a_client() {
    let env = TestEnv::new();
    client_at(&env, "m", "bravo", NOON);
    client_at(&env, "z", "alpha", NOON + 1);
    client_at(&env, "a", "charlie", NOON + 2);
    assert_eq!(ids(&env, &["list"]), ["m", "z", "a"]);
    assert_eq!(ids(&env, &["list", "--sort", "id"]), ["a", "m", "z"]);
    assert_eq!(ids(&env, &["list", "--sort", "name"]), ["z", "m", "a"]);
    assert_eq!(
        ids(&env, &["list", "--sort", "name", "--reverse"]),
        ["a", "m", "z"]
    );
    assert_eq!(ids(&env, &["list", "--reverse"]), ["a", "z", "m"]);
    // Page by page with --after, as a script does.
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut args = vec!["list", "--sort", "name", "--limit", "2"];
        if let Some(after) = &after {
            args.extend(["--after", after]);
        }
        let page = ids(&env, &args);
        let Some(last) = page.last().cloned() else {
            break;
        };
        seen.extend(page);
        after = Some(last);
    }
    assert_eq!(seen, ["z", "m", "a"]);
    // A client registered meanwhile does not shift the next page, as --offset would.
    client_at(&env, "b", "aardvark", NOON + 3);
    assert_eq!(
        ids(&env, &["list", "--sort", "name", "--after", "m"]),
        ["a"]
    );
    assert_eq!(
        ids(&env, &["list", "--sort", "last-used"]),
        ["m", "z", "a", "b"]
    );
    let run = env.run(&["list", "--after", "gone"]).fails(3);
    assert!(run.stderr.contains("gone"), "{}", run.stderr);
    env.run(&["-o", "json", "list", "--after", "gone"]).fails(3);
    env.run(&["list", "--sort", "size"]).fails(2);
}

#[test]
fn events_until_excludes_its_time_and_action_selects() {
    let env = TestEnv::new();
    let id = env.register("audited")["client_id"]
        .as_str()
        .unwrap()
        .to_owned();
    env.run(&["rotate-token", &id]).ok();
    env.run(&["--yes", "delete", &id]).ok();
    env.sql("UPDATE events SET at = 1000 WHERE action = 'register'");
    env.sql("UPDATE events SET at = 2000 WHERE action = 'rotate-token'");
    env.sql("UPDATE events SET at = 3000 WHERE action = 'delete'");
    let actions = |args: &[&str]| -> Vec<String> {
        let full = [&["-o", "json", "events"], args].concat();
        env.run(&full)
            .ok()
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap().to_owned())
            .collect()
    };
    let t = |seconds: i64| jiff::Timestamp::from_second(seconds).unwrap().to_string();
    assert_eq!(actions(&["--until", &t(2000)]), ["register"]);
    assert_eq!(
        actions(&["--since", &t(2000), "--until", &t(3000)]),
        ["rotate-token"]
    );
    assert_eq!(actions(&["--since", &t(2000)]), ["delete", "rotate-token"]);
    assert_eq!(
        actions(&["--action", "delete", "--action", "register"]),
        ["delete", "register"]
    );
    assert_eq!(
        actions(&["--action", "rotate-token,delete"]),
        ["delete", "rotate-token"]
    );
    assert!(actions(&["--action", "nothing"]).is_empty());
    env.run(&["events", "--until", "later"]).fails(2);
}

#[test]
fn token_list_filters_by_status() {
    let env = TestEnv::new();
    let create = |args: &[&str]| -> String {
        let full = [&["-o", "json", "token", "create"], args].concat();
        let issued: Value = env.run(&full).ok().json();
        issued["token_id"].as_str().unwrap().to_owned()
    };
    let active = create(&[]);
    let expired = create(&["--expires-in", "1s"]);
    let revoked = create(&[]);
    env.run(&["--yes", "token", "revoke", &revoked]).ok();
    let listed = |statuses: &str| -> Vec<String> {
        env.run_later(
            60,
            &["-o", "json", "token", "list", "--status", statuses],
            "",
        )
        .ok()
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["token_id"].as_str().unwrap().to_owned())
        .collect()
    };
    assert_eq!(listed("active"), [active]);
    assert_eq!(listed("expired"), std::slice::from_ref(&expired));
    assert_eq!(listed("revoked,expired"), [expired, revoked]);
    assert!(listed("used-up").is_empty());
    env.run(&["token", "list", "--status", "dead"]).fails(2);
}

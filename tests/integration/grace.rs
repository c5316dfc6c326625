//! A rotated-out secret's grace period: visible, and ended early on request (issue 17 item 15).

use crate::util::TestEnv;

fn rotate_with_grace(env: &TestEnv, client_id: &str) -> String {
    let rotated = env
        .run(&["-o", "json", "rotate-secret", client_id, "--grace", "1h"])
        .ok()
        .json();
    rotated["client_secret"].as_str().unwrap().to_owned()
}

#[test]
fn end_grace_stops_the_previous_secret_and_keeps_the_current_one() {
    let env = TestEnv::new();
    let client = env.register("rolling");
    let client_id = client["client_id"].as_str().unwrap();
    let old = client["client_secret"].as_str().unwrap();
    let new = rotate_with_grace(&env, client_id);
    env.run_stdin(&["verify-secret", client_id], old).ok();

    let ended = env.run(&["rotate-secret", client_id, "--end-grace"]).ok();
    assert!(
        ended.stdout.contains("previous secret") && ended.stdout.contains("stopped working"),
        "{}",
        ended.stdout
    );
    env.run_stdin(&["verify-secret", client_id], old).fails(6);
    env.run_stdin(&["verify-secret", client_id], &new).ok();

    let again = env
        .run(&["-o", "json", "rotate-secret", client_id, "--end-grace"])
        .ok()
        .json();
    assert_eq!(again["ended_grace"], 0, "ending it twice changes nothing");
    let events = env
        .run(&["-o", "json", "events", "--client", client_id])
        .ok()
        .json();
    let endings: Vec<_> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|event| event["details"]["ended_grace"].is_number())
        .collect();
    assert_eq!(endings.len(), 1, "one audited ending: {events}");
    assert_eq!(endings[0]["action"], "rotate-secret");
}

#[test]
fn show_says_until_when_a_previous_secret_works() {
    let env = TestEnv::new();
    let client = env.register("rolling");
    let client_id = client["client_id"].as_str().unwrap();
    let key = "previous_secret_valid_until";
    let shown = |env: &TestEnv| env.run(&["-o", "json", "show", client_id]).ok().json();
    assert!(shown(&env).get(key).is_none(), "no grace before a rotation");

    let before = env.run(&["-o", "json", "show", client_id]).ok().json()["updated_at"]
        .as_i64()
        .unwrap();
    rotate_with_grace(&env, client_id);
    let until = shown(&env)[key]
        .as_i64()
        .expect("the end of the grace period");
    assert!(
        (before + 3600 - 5..=before + 3600 + 60).contains(&until),
        "an hour after the rotation: {until} vs {before}"
    );
    let table = env.run(&["show", client_id]).ok().stdout;
    assert!(table.contains(key), "{table}");
    let by_name = env
        .run(&["-o", "json", "show", "--name", "rolling"])
        .ok()
        .json();
    assert_eq!(by_name[key], until, "the same by name as by id");

    // Once it has passed, or was ended, there is nothing to show.
    let later = env
        .run_later(3601, &["-o", "json", "show", client_id], "")
        .ok();
    assert!(later.json().get(key).is_none(), "{}", later.stdout);
    env.run(&["rotate-secret", client_id, "--end-grace"]).ok();
    assert!(shown(&env).get(key).is_none());
}

#[test]
fn end_grace_refuses_what_cannot_be_meant() {
    let env = TestEnv::new();
    let client = env.register("rolling");
    let client_id = client["client_id"].as_str().unwrap();
    env.unchanged(|| {
        env.run(&["rotate-secret", client_id, "--end-grace", "--grace", "1h"])
            .fails(2);
        env.run(&["rotate-secret", "no-such-client", "--end-grace"])
            .fails(3);
    });
    let public = env
        .run(&[
            "-o",
            "json",
            "register",
            "--client-name",
            "spa",
            "--token-endpoint-auth-method",
            "none",
            "--redirect-uri",
            "https://spa.example.com/cb",
        ])
        .ok()
        .json();
    let public_id = public["client_id"].as_str().unwrap();
    let refused = env.unchanged(|| {
        env.run(&["rotate-secret", public_id, "--end-grace"])
            .fails(2)
    });
    assert!(
        refused.stderr.contains("has no secret"),
        "{}",
        refused.stderr
    );
}

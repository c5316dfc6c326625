//! One rule for naming the client a command acts on: its id, or `--name` with its exact
//! client_name, on every command that takes one client (issue 17 item 12).

use crate::util::TestEnv;

#[test]
fn every_single_client_command_takes_name() {
    let env = TestEnv::new();
    let billing = env.register("Billing");
    let billing_id = billing["client_id"].as_str().unwrap();

    env.run(&[
        "update",
        "--name",
        "Billing",
        "--client-uri",
        "https://billing.example.com",
    ])
    .ok();
    let shown = env.run(&["-o", "json", "show", billing_id]).ok().json();
    assert_eq!(shown["client_uri"], "https://billing.example.com");

    let rotated = env
        .run(&["-o", "json", "rotate-secret", "--name", "Billing"])
        .ok()
        .json();
    assert_eq!(rotated["client_id"], billing_id);
    let secret = rotated["client_secret"].as_str().unwrap();
    env.run_stdin(&["verify-secret", "--name", "Billing"], secret)
        .ok();
    let token = env
        .run(&["-o", "json", "rotate-token", "--name", "Billing"])
        .ok()
        .json();
    assert_eq!(token["client_id"], billing_id);

    let deleted = env
        .run(&["-o", "json", "--yes", "delete", "--name", "Billing"])
        .ok()
        .json();
    assert_eq!(deleted["deleted"], serde_json::json!([billing_id]));
    env.run(&["show", "--name", "Billing"]).fails(3);
}

#[test]
fn a_name_that_is_missing_or_shared_acts_on_nothing() {
    let env = TestEnv::new();
    let first = env.register("twin");
    let second = env.register("twin");
    let run = env.unchanged(|| env.run(&["--yes", "delete", "--name", "twin"]).fails(2));
    for client in [&first, &second] {
        let id = client["client_id"].as_str().unwrap();
        assert!(
            run.stderr.contains(id),
            "both ids are listed: {}",
            run.stderr
        );
    }
    env.unchanged(|| {
        env.run(&["rotate-secret", "--name", "twin"]).fails(2);
        env.run(&["rotate-token", "--name", "nobody"]).fails(3);
        env.run(&["update", "--name", "nobody", "--scope", "a"])
            .fails(3);
        let verdict = env
            .run_stdin(&["-o", "json", "verify-secret", "--name", "nobody"], "x")
            .fails(3)
            .json();
        assert_eq!(verdict["reason"], "no_such_client");
        env.run(&["--yes", "delete", "--name", "nobody", "--ignore-missing"])
            .ok();
        let id = first["client_id"].as_str().unwrap();
        env.run(&["rotate-token", id, "--name", "twin"]).fails(2);
    });
}

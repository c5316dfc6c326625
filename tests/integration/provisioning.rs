//! Declarative provisioning end to end: `apply` (create, update, leave, prune, dry run, all
//! or nothing) and `export` (what `apply` reads, never a secret).

use crate::util::TestEnv;
use serde_json::{json, Value};
use std::path::PathBuf;

/// Write `documents` as an apply file in the env's folder and return its path.
fn file(env: &TestEnv, name: &str, documents: &Value) -> String {
    let path: PathBuf = env.dir().join(name);
    std::fs::write(&path, serde_json::to_string_pretty(documents).unwrap()).unwrap();
    path.to_str().unwrap().to_owned()
}

fn events(env: &TestEnv) -> i64 {
    env.value("SELECT count(*) FROM events")
}

fn results(report: &Value) -> Vec<(String, String)> {
    report["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["client_id"].as_str().unwrap().to_owned(),
                c["result"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// The metadata members of a `show -o json` object: everything but the registry's own.
fn metadata(shown: &Value) -> Value {
    let mut object = shown.as_object().unwrap().clone();
    for status in [
        "client_id_issued_at",
        "client_secret_expires_at",
        "registered_via",
        "has_secret",
        "updated_at",
        "last_used_at",
    ] {
        object.remove(status);
    }
    Value::Object(object)
}

fn three_clients() -> Value {
    json!([
        {"client_id": "web", "client_name": "Web", "redirect_uris": ["https://web.example/cb"]},
        {"client_id": "spa", "token_endpoint_auth_method": "none",
         "redirect_uris": ["https://spa.example/cb"]},
        {"client_id": "m2m", "grant_types": ["client_credentials"], "x-team": {"owner": "ops"}},
    ])
}

#[test]
fn apply_creates_updates_and_leaves_unchanged_with_secrets_only_for_created() {
    let env = TestEnv::new();
    let first = file(&env, "first.json", &three_clients());
    let run = env.run(&["-o", "json", "apply", &first]).ok();
    let report = run.json();
    assert_eq!(
        (
            &report["counts"]["created"],
            &report["counts"]["updated"],
            &report["counts"]["unchanged"],
            &report["counts"]["deleted"],
            &report["dry_run"]
        ),
        (&json!(3), &json!(0), &json!(0), &json!(0), &json!(false))
    );
    assert_eq!(
        results(&report),
        pairs(&[("web", "created"), ("spa", "created"), ("m2m", "created")])
    );
    let web = &report["clients"][0];
    assert!(web["client_secret"]
        .as_str()
        .unwrap()
        .starts_with("dcrsec_"));
    assert!(web["registration_access_token"]
        .as_str()
        .unwrap()
        .starts_with("dcrrat_"));
    assert_eq!(web["client_secret_expires_at"], 0);
    let spa = &report["clients"][1];
    assert!(spa.get("client_secret").is_none(), "public client: {spa}");
    assert!(spa.get("client_secret_expires_at").is_none());
    assert!(spa["registration_access_token"].is_string());
    assert!(run.stderr.contains("shown once"), "{}", run.stderr);
    assert!(run
        .stderr
        .contains("apply: 3 created, 0 updated, 0 unchanged, 0 deleted"));

    // The secret apply printed is the client's secret.
    let secret = web["client_secret"].as_str().unwrap();
    env.run_stdin(&["verify-secret", "web"], secret).ok();

    let shown = env.run(&["-o", "json", "show", "m2m"]).ok().json();
    assert_eq!(shown["registered_via"], "apply");
    assert_eq!(shown["x-team"], json!({"owner": "ops"}));

    // web loses its name (full replacement), spa is as before, api is new.
    let second = file(
        &env,
        "second.json",
        &json!([
            {"client_id": "web", "redirect_uris": ["https://web.example/cb"], "scope": "openid"},
            {"client_id": "spa", "token_endpoint_auth_method": "none",
             "redirect_uris": ["https://spa.example/cb"]},
            {"client_id": "m2m", "grant_types": ["client_credentials"], "x-team": {"owner": "ops"}},
            {"client_id": "api", "grant_types": ["client_credentials"]},
        ]),
    );
    let report = env.run(&["-o", "json", "apply", &second]).ok().json();
    assert_eq!(
        results(&report),
        pairs(&[
            ("web", "updated"),
            ("spa", "unchanged"),
            ("m2m", "unchanged"),
            ("api", "created"),
        ])
    );
    for entry in report["clients"].as_array().unwrap() {
        let created = entry["result"] == "created";
        assert_eq!(entry.get("client_secret").is_some(), created, "{entry}");
        assert_eq!(
            entry.get("registration_access_token").is_some(),
            created,
            "{entry}"
        );
    }
    let web = env.run(&["-o", "json", "show", "web"]).ok().json();
    assert!(web.get("client_name").is_none(), "{web}");
    assert_eq!(web["scope"], "openid");
    assert_eq!(web["registered_via"], "apply");
    // An update keeps the secret issued on create.
    env.run_stdin(&["verify-secret", "web"], secret).ok();
}

#[test]
fn table_output_is_one_line_per_client_with_credentials_under_created_ones() {
    let env = TestEnv::new();
    let path = file(&env, "clients.json", &three_clients());
    let run = env.run(&["apply", &path]).ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3 + 2 + 1 + 2, "{}", run.stdout);
    assert_eq!(lines[0], "created web");
    assert!(lines[1].starts_with("  client_secret: dcrsec_"));
    assert!(lines[2].starts_with("  registration_access_token: dcrrat_"));
    assert_eq!(lines[3], "created spa");
    assert!(lines[4].starts_with("  registration_access_token: dcrrat_"));
    assert_eq!(lines[5], "created m2m");
    let run = env.run(&["apply", &path]).ok();
    assert_eq!(run.stdout, "unchanged web\nunchanged spa\nunchanged m2m\n");
    assert!(!run.stderr.contains("shown once"));
    assert!(run
        .stderr
        .contains("apply: 0 created, 0 updated, 3 unchanged, 0 deleted"));
}

#[test]
fn applying_the_same_file_twice_writes_nothing_the_second_time() {
    let env = TestEnv::new();
    env.register("bystander");
    let path = file(&env, "clients.json", &three_clients());
    env.run(&["apply", &path]).ok();
    let before = events(&env);
    assert_eq!(before, 4);
    let report = env.unchanged(|| env.run(&["-o", "json", "apply", &path]).ok().json());
    assert_eq!(report["counts"]["unchanged"], 3);
    assert_eq!(report["counts"]["created"], 0);
    assert_eq!(report["counts"]["updated"], 0);
    assert!(report["clients"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c.get("client_secret").is_none() && c.get("registration_access_token").is_none()));
    assert_eq!(events(&env), before);
    // Member order and defaults spelled out or not make no difference.
    let spelled_out = file(
        &env,
        "spelled.json",
        &json!([
            {"redirect_uris": ["https://web.example/cb"], "client_name": "Web", "client_id": "web",
             "grant_types": ["authorization_code"], "response_types": ["code"],
             "application_type": "web", "token_endpoint_auth_method": "client_secret_basic"},
        ]),
    );
    let report = env.unchanged(|| env.run(&["-o", "json", "apply", &spelled_out]).ok().json());
    assert_eq!(results(&report), pairs(&[("web", "unchanged")]));
}

#[test]
fn an_invalid_document_in_the_middle_leaves_the_database_untouched() {
    let env = TestEnv::new();
    env.register("existing");
    let path = file(
        &env,
        "bad.json",
        &json!([
            {"client_id": "first", "grant_types": ["client_credentials"]},
            {"client_id": "billing", "redirect_uris": ["http://evil.example/cb"]},
            {"client_id": "third", "grant_types": ["client_credentials"]},
        ]),
    );
    let run = env.unchanged(|| env.run(&["apply", &path]).fails(2));
    assert!(
        run.stderr.contains(
            "documents[1] (client_id \"billing\"): redirect_uris[0]: web clients may use http only on loopback"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("invalid_redirect_uri"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
    env.run(&["show", "first"]).fails(3);
    // The same with -o json: nothing on stdout.
    let run = env.unchanged(|| env.run(&["-o", "json", "apply", &path]).fails(2));
    assert!(run.stdout.is_empty());
}

#[test]
fn malformed_files_and_ids_are_usage_errors_that_write_nothing() {
    let env = TestEnv::new();
    env.register("existing");
    let cc = json!(["client_credentials"]);
    let cases: Vec<(&str, String)> = vec![
        ("must be a JSON array", json!({"client_id": "a"}).to_string()),
        ("is not valid JSON", "[{\"client_id\": \"a\"".to_owned()),
        // A valid document, so that the reading gets as far as the trailing comma.
        (
            "is not valid JSON",
            "[{\"client_id\": \"a\", \"grant_types\": [\"client_credentials\"]},]".to_owned(),
        ),
        ("documents[1]: must be a JSON object", json!([{"client_id": "a", "grant_types": cc}, "b"]).to_string()),
        ("documents[0].client_id: is missing", json!([{"grant_types": cc}]).to_string()),
        ("documents[0].client_id: must be a string", json!([{"client_id": 7, "grant_types": cc}]).to_string()),
        ("documents[0].client_id: must be 1-128", json!([{"client_id": "no spaces", "grant_types": cc}]).to_string()),
        ("documents[0].client_id: must be 1-128", json!([{"client_id": "", "grant_types": cc}]).to_string()),
        (
            "documents[2].client_id: \"a\" already appears in documents[0]",
            json!([
                {"client_id": "a", "grant_types": cc},
                {"client_id": "b", "grant_types": cc},
                {"client_id": "a", "grant_types": cc},
            ])
            .to_string(),
        ),
        (
            "documents[0] (client_id \"a\"): client_secret: is managed by the registry",
            json!([{"client_id": "a", "grant_types": cc, "client_secret": "s3cret"}]).to_string(),
        ),
        (
            "documents[1]: is not valid JSON: duplicate key \"scope\"",
            "[{\"client_id\":\"a\",\"grant_types\":[\"client_credentials\"]},\n {\"client_id\":\"b\",\"scope\":\"x\",\"scope\":\"y\"}]".to_owned(),
        ),
    ];
    for (index, (expected, text)) in cases.iter().enumerate() {
        let path = env.dir().join(format!("case{index}.json"));
        std::fs::write(&path, text).unwrap();
        let run = env.unchanged(|| env.run(&["apply", path.to_str().unwrap()]).fails(2));
        assert!(run.stderr.contains(expected), "{text}\n{}", run.stderr);
    }
    env.unchanged(|| env.run(&["apply", "no-such-file.json"]).fails(1));
}

#[test]
fn dry_run_reports_the_plan_and_writes_nothing() {
    let env = TestEnv::new();
    let legacy = env.register("legacy");
    let legacy_id = legacy["client_id"].as_str().unwrap().to_owned();
    env.run(&["apply", &file(&env, "v1.json", &three_clients())])
        .ok();
    let v2 = file(
        &env,
        "v2.json",
        &json!([
            {"client_id": "web", "client_name": "Web 2", "redirect_uris": ["https://web.example/cb"]},
            {"client_id": "spa", "token_endpoint_auth_method": "none",
             "redirect_uris": ["https://spa.example/cb"]},
            {"client_id": "new", "grant_types": ["client_credentials"]},
        ]),
    );
    let report = env.unchanged(|| {
        env.run(&["-o", "json", "apply", "--dry-run", "--prune", &v2])
            .ok()
            .json()
    });
    assert_eq!(report["dry_run"], true);
    assert_eq!(
        results(&report),
        pairs(&[
            ("web", "updated"),
            ("spa", "unchanged"),
            ("new", "created"),
            (&legacy_id, "deleted"),
            ("m2m", "deleted"),
        ])
    );
    assert_eq!(
        (
            &report["counts"]["created"],
            &report["counts"]["updated"],
            &report["counts"]["unchanged"],
            &report["counts"]["deleted"]
        ),
        (&json!(1), &json!(1), &json!(1), &json!(2))
    );
    let text = report.to_string();
    assert!(
        !text.contains("dcrsec_") && !text.contains("dcrrat_"),
        "{text}"
    );
    // A dry run needs no confirmation, even with --prune.
    let run = env.unchanged(|| env.run(&["apply", "--dry-run", "--prune", &v2]).ok());
    // Every line says what would happen, never what did (issue 17 item 8).
    assert_eq!(
        run.stdout,
        format!(
            "would update web\nwould leave unchanged spa\nwould create new\n\
             would delete {legacy_id}\nwould delete m2m\n"
        )
    );
    assert!(
        run.stderr.contains(
            "apply --dry-run, nothing was written: would create 1, update 1, leave 1 unchanged, delete 2"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn prune_needs_confirmation_and_deletes_clients_absent_from_the_file() {
    let env = TestEnv::new();
    let legacy = env.register("legacy");
    let legacy_id = legacy["client_id"].as_str().unwrap().to_owned();
    let all = file(&env, "all.json", &three_clients());
    env.run(&["apply", &all]).ok();
    let fewer = file(
        &env,
        "fewer.json",
        &json!([{"client_id": "spa", "token_endpoint_auth_method": "none",
                 "redirect_uris": ["https://spa.example/cb"]}]),
    );
    env.unchanged(|| {
        let run = env.run(&["apply", "--prune", &fewer]).fails(5);
        assert!(run.stderr.contains("--yes"), "{}", run.stderr);
        env.run(&["--no-input", "apply", "--prune", &fewer])
            .fails(5);
    });
    let before = events(&env);
    let report = env
        .run(&["-o", "json", "--yes", "apply", "--prune", &fewer])
        .ok()
        .json();
    assert_eq!(
        results(&report),
        pairs(&[
            ("spa", "unchanged"),
            (&legacy_id, "deleted"),
            ("web", "deleted"),
            ("m2m", "deleted"),
        ])
    );
    assert_eq!(events(&env), before + 3);
    for gone in [legacy_id.as_str(), "web", "m2m"] {
        env.run(&["show", gone]).fails(3);
    }
    let deletes: i64 = env.value("SELECT count(*) FROM events WHERE action = 'delete'");
    assert_eq!(deletes, 3);
    // Nothing left to prune: no question asked, nothing written.
    env.unchanged(|| env.run(&["apply", "--prune", &fewer]).ok());
    // Without --prune, clients absent from the file are left alone.
    env.run(&["apply", &all]).ok();
    env.unchanged(|| env.run(&["apply", &fewer]).ok());
}

#[test]
fn making_a_public_client_confidential_issues_its_secret_once() {
    let env = TestEnv::new();
    let public = json!([{"client_id": "app", "token_endpoint_auth_method": "none",
                          "redirect_uris": ["https://app.example/cb"]}]);
    env.run(&["apply", &file(&env, "public.json", &public)])
        .ok();
    let confidential = json!([{"client_id": "app", "redirect_uris": ["https://app.example/cb"]}]);
    let report = env
        .run(&[
            "-o",
            "json",
            "apply",
            &file(&env, "conf.json", &confidential),
        ])
        .ok()
        .json();
    let entry = &report["clients"][0];
    assert_eq!(entry["result"], "updated");
    assert!(entry.get("registration_access_token").is_none());
    let secret = entry["client_secret"].as_str().unwrap();
    env.run_stdin(&["verify-secret", "app"], secret).ok();
}

#[test]
fn export_then_apply_reproduces_the_registry_without_secrets() {
    let source = TestEnv::new();
    let web = source.register("web");
    source
        .run(&[
            "register",
            "--client-id",
            "chosen.id",
            "--client-name",
            "Native",
            "--application-type",
            "native",
            "--token-endpoint-auth-method",
            "none",
            "--redirect-uri",
            "com.example.app:/cb",
        ])
        .ok();
    source
        .run(&["apply", &file(&source, "f.json", &three_clients())])
        .ok();
    let web_id = web["client_id"].as_str().unwrap().to_owned();
    source
        .run(&[
            "update",
            &web_id,
            "--client-name",
            "Wébsite",
            "--scope",
            "openid email",
        ])
        .ok();
    let exported = source.run(&["export"]).ok();
    for forbidden in [
        "dcrsec_",
        "dcrrat_",
        "\"client_secret\"",
        "registered_via",
        "issued_at",
        "sha256:",
    ] {
        assert!(
            !exported.stdout.contains(forbidden),
            "{forbidden}:\n{}",
            exported.stdout
        );
    }
    let documents = exported.json();
    let ids: Vec<&str> = documents
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["client_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [web_id.as_str(), "chosen.id", "web", "spa", "m2m"]);
    // -o json and -o table print the same JSON.
    assert_eq!(
        source.run(&["-o", "json", "export"]).ok().stdout,
        exported.stdout
    );

    // Applying the export to its own database changes nothing.
    let run = source.unchanged(|| {
        source
            .run_stdin(&["-o", "json", "apply", "-"], &exported.stdout)
            .ok()
    });
    assert_eq!(run.json()["counts"]["unchanged"], 5);

    let target = TestEnv::new();
    let report = target
        .run_stdin(&["-o", "json", "apply", "-"], &exported.stdout)
        .ok()
        .json();
    assert_eq!(report["counts"]["created"], 5);
    assert_eq!(target.run(&["export"]).ok().stdout, exported.stdout);
    for id in &ids {
        let before = source.run(&["-o", "json", "show", id]).ok().json();
        let after = target.run(&["-o", "json", "show", id]).ok().json();
        assert_eq!(metadata(&before), metadata(&after), "{id}");
        assert_eq!(after["registered_via"], "apply");
    }
}

#[test]
fn export_of_an_empty_registry_is_an_empty_array_that_apply_accepts() {
    let env = TestEnv::new();
    // Applying nothing creates an empty registry (apply may create one; export may not).
    env.run(&["export"]).fails(1);
    env.run_stdin(&["apply", "-"], "[]").ok();
    let exported = env.run(&["export"]).ok();
    assert_eq!(exported.json(), json!([]));
    let report = env
        .run_stdin(&["-o", "json", "apply", "-"], &exported.stdout)
        .ok()
        .json();
    assert_eq!(
        report,
        json!({"dry_run": false, "clients": [], "counts": {"created": 0, "updated": 0, "unchanged": 0, "deleted": 0}})
    );
}

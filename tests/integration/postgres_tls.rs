//! TLS to PostgreSQL through the real binary: `sslmode`/`sslrootcert` as libpq reads them.
//! What a setting means for the handshake is tested beside the code
//! (`src/store/postgres/tls/tests.rs`); here, that the CLI reports each outcome with the right
//! exit code and never shows the password.

use crate::util::TestEnv;

/// A URL no server answers at, with a password that must never be printed.
fn unreachable(params: &str) -> String {
    format!("postgres://app:s3cret-pw@127.0.0.1:9/registry?{params}")
}

#[test]
fn a_tls_setting_that_cannot_be_used_exits_2_without_showing_the_password() {
    let env = TestEnv::new();
    for (params, says) in [
        ("sslmode=bogus", "unknown value \"bogus\""),
        ("sslmode=verify_full", "verify-ca or verify-full"),
        (
            "sslmode=require&sslrootcert=system",
            "only with sslmode=verify-full",
        ),
        (
            "sslmode=verify-ca&sslrootcert=/nonexistent/ca.pem",
            "/nonexistent/ca.pem",
        ),
    ] {
        let run = env.run(&["--db", &unreachable(params), "list"]).fails(2);
        assert!(run.stderr.contains(says), "{params}: {}", run.stderr);
        assert!(!run.stderr.contains("s3cret"), "the password is shown");
    }
    let via_env = env
        .cmd()
        .env("DCRCTL_DB", unreachable("connect_timeout=1"))
        .env("PGSSLMODE", "sometimes")
        .arg("list")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&via_env.stderr);
    assert_eq!(via_env.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("PGSSLMODE"), "{stderr}");
    assert!(!stderr.contains("s3cret"), "the password is shown");
}

#[test]
#[cfg_attr(
    not(dcrctl_pg),
    ignore = "needs PostgreSQL: eval \"$(scripts/postgres.sh start)\" then cargo test"
)]
fn the_cli_opens_the_registry_only_through_a_certificate_it_trusts() {
    // A schema of its own: `list` refuses a schema without a registry (issue 17), and the
    // cluster's default schema is empty on a fresh machine.
    let env = TestEnv::on_postgres_schema();
    let schema_url = env.location().into_string().unwrap();
    let with = |params: &str| {
        let joint = if schema_url.contains('?') { '&' } else { '?' };
        format!("{schema_url}{joint}{params}")
    };
    let ca = std::env::var("DCRCTL_TEST_POSTGRES_CA")
        .expect("DCRCTL_TEST_POSTGRES_CA (scripts/postgres.sh)");
    let trusted = with(&format!("sslmode=verify-full&sslrootcert={ca}"));
    env.run(&[
        "--db",
        &trusted,
        "register",
        "--client-name",
        "over-tls",
        "--redirect-uri",
        "https://app.example.com/cb",
    ])
    .ok();
    let listed = env.run(&["--db", &trusted, "list"]).ok();
    assert!(listed.stdout.contains("over-tls"), "{}", listed.stdout);

    let other = env.dir().join("other-ca.pem");
    let generated = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    std::fs::write(&other, generated.cert.pem()).unwrap();
    let untrusted = with(&format!(
        "sslmode=verify-full&sslrootcert={}",
        other.display()
    ));
    let run = env.run(&["--db", &untrusted, "list"]).fails(1);
    assert!(run.stderr.contains("UnknownIssuer"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("dcrctl-test-password"),
        "the password is shown"
    );
}

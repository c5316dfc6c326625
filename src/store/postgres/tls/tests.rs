//! The URL split and the choice of mode need no server; the rest connects to the test cluster
//! of scripts/postgres.sh, whose certificate is for 127.0.0.1 and localhost and signed by the
//! CA in `DCRCTL_TEST_POSTGRES_CA`. Only 127.0.0.1 is ever connected to: a host name outside
//! the certificate is given as `host` with `hostaddr=127.0.0.1`.

use super::*;
use crate::store::postgres::connect::client;

fn split(url: &str) -> (String, TlsParams) {
    split_url(url).unwrap_or_else(|error| panic!("{url}: {error}"))
}

#[test]
fn the_tls_parameters_leave_the_url_and_every_other_stays_as_written() {
    let (rest, params) = split(
        "postgres://u:p@h:5432/db?application_name=a%20b&sslmode=verify-full\
         &sslrootcert=%2Ftmp%2Fca.pem&connect_timeout=5",
    );
    assert_eq!(
        rest,
        "postgres://u:p@h:5432/db?application_name=a%20b&connect_timeout=5"
    );
    assert_eq!(params.mode, Some(SslMode::VerifyFull));
    assert_eq!(
        params.root_cert,
        Some(RootCert::File(PathBuf::from("/tmp/ca.pem")))
    );
}

#[test]
fn a_url_with_only_tls_parameters_loses_its_query() {
    let (rest, params) = split("postgresql://h/db?sslmode=require&sslrootcert=system");
    assert_eq!(rest, "postgresql://h/db");
    assert_eq!(params.mode, Some(SslMode::Require));
    assert_eq!(params.root_cert, Some(RootCert::System));
}

#[test]
fn a_url_without_tls_parameters_is_unchanged() {
    for url in [
        "postgres://u:p@h/db",
        "postgres://h/db?connect_timeout=3",
        "postgres://",
    ] {
        assert_eq!(split(url), (url.to_owned(), TlsParams::default()), "{url}");
    }
}

#[test]
fn the_query_starts_where_the_client_library_starts_it() {
    // A `?` in the password is part of the user info, as the parser reads it.
    let (rest, params) = split("postgres://u:pa?sslmode=x&y@h/db?sslmode=disable");
    assert_eq!(rest, "postgres://u:pa?sslmode=x&y@h/db");
    assert_eq!(params.mode, Some(SslMode::Disable));
}

#[test]
fn the_last_sslmode_wins_as_in_the_parser() {
    let (_, params) = split("postgres://h/db?sslmode=disable&sslmode=verify-ca");
    assert_eq!(params.mode, Some(SslMode::VerifyCa));
}

#[test]
fn an_unknown_sslmode_is_a_usage_error_that_names_it_and_not_the_password() {
    for mode in ["allow", "verify_full", "REQUIRE", ""] {
        let url = format!("postgres://u:s3cret@h/db?sslmode={mode}");
        let error = split_url(&url).expect_err(mode);
        let message = error.to_string();
        assert!(matches!(error, StoreError::InvalidLocation(_)), "{mode}");
        assert!(message.contains(&format!("{mode:?}")), "{message}");
        assert!(message.contains("verify-full"), "{message}");
        assert!(!message.contains("s3cret"), "{message}");
    }
}

#[test]
fn sslrootcert_system_means_verify_full_and_refuses_anything_weaker() {
    let system = |mode| TlsParams {
        mode,
        root_cert: Some(RootCert::System),
    };
    assert_eq!(system(None).mode().unwrap(), SslMode::VerifyFull);
    assert_eq!(
        system(Some(SslMode::VerifyFull)).mode().unwrap(),
        SslMode::VerifyFull
    );
    for weaker in [
        SslMode::Disable,
        SslMode::Prefer,
        SslMode::Require,
        SslMode::VerifyCa,
    ] {
        assert!(matches!(
            system(Some(weaker)).mode(),
            Err(StoreError::InvalidLocation(_))
        ));
    }
    assert_eq!(TlsParams::default().mode().unwrap(), SslMode::Prefer);
}

#[test]
fn a_unix_socket_never_tries_tls() {
    let params = TlsParams {
        mode: Some(SslMode::Require),
        root_cert: None,
    };
    assert_eq!(
        connector(&params, None, true).unwrap().0,
        ClientMode::Disable
    );
    assert_eq!(
        connector(&params, None, false).unwrap().0,
        ClientMode::Require
    );
}

#[test]
fn the_root_file_in_home_is_read_when_no_sslrootcert_is_given() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join(".postgresql")).unwrap();
    std::fs::write(
        home.path().join(".postgresql/root.crt"),
        "not a certificate",
    )
    .unwrap();
    // libpq checks the chain against a root file it finds, even under `require`.
    let params = TlsParams {
        mode: Some(SslMode::Require),
        root_cert: None,
    };
    let Err(error) = connector(&params, Some(home.path()), false) else {
        panic!("a root file without a certificate was accepted");
    };
    assert!(error.to_string().contains("root.crt"), "{error}");
    assert!(connector(&params, None, false).is_ok());
}

/// The test cluster's URL with `params` added to its query.
fn cluster_url(params: &str) -> String {
    let url = std::env::var("DCRCTL_TEST_POSTGRES").expect("DCRCTL_TEST_POSTGRES");
    let joint = if url.contains('?') { '&' } else { '?' };
    format!("{url}{joint}{params}")
}

fn cluster_ca() -> String {
    std::env::var("DCRCTL_TEST_POSTGRES_CA").expect("DCRCTL_TEST_POSTGRES_CA (scripts/postgres.sh)")
}

/// Whether the session `url` opens is encrypted, as the server sees it. No home folder, so
/// no `~/.postgresql/root.crt` of the machine's plays a part.
fn session_is_tls(url: &str) -> Result<bool, StoreError> {
    let mut client = client(url, None)?;
    let row = client.query_one(
        "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
        &[],
    )?;
    Ok(row.get(0))
}

/// The URL for host name `name`, still connecting to 127.0.0.1.
fn url_for_name(name: &str, params: &str) -> String {
    let url = cluster_url(&format!("hostaddr=127.0.0.1&{params}"));
    assert!(
        url.contains("@127.0.0.1:"),
        "the test cluster is not on 127.0.0.1"
    );
    url.replacen("@127.0.0.1:", &format!("@{name}:"), 1)
}

fn url_for_another_name(params: &str) -> String {
    url_for_name("not-in-the-certificate.invalid", params)
}

#[test]
#[cfg_attr(
    not(dcrctl_pg),
    ignore = "needs PostgreSQL: eval \"$(scripts/postgres.sh start)\" then cargo test"
)]
fn verify_full_with_the_clusters_ca_connects_over_tls() {
    let params = format!("sslmode=verify-full&sslrootcert={}", cluster_ca());
    // The certificate's IP address, then its DNS name.
    assert!(session_is_tls(&cluster_url(&params)).unwrap());
    assert!(session_is_tls(&url_for_name("localhost", &params)).unwrap());
}

#[test]
#[cfg_attr(
    not(dcrctl_pg),
    ignore = "needs PostgreSQL: eval \"$(scripts/postgres.sh start)\" then cargo test"
)]
fn verify_full_with_another_ca_fails() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other-ca.pem");
    let generated = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    std::fs::write(&other, generated.cert.pem()).unwrap();
    for mode in ["verify-full", "verify-ca", "require"] {
        let url = cluster_url(&format!("sslmode={mode}&sslrootcert={}", other.display()));
        let error = session_is_tls(&url).expect_err(mode).to_string();
        assert!(error.contains("UnknownIssuer"), "{mode}: {error}");
        assert!(!error.contains("dcrctl-test-password"), "{error}");
    }
}

#[test]
#[cfg_attr(
    not(dcrctl_pg),
    ignore = "needs PostgreSQL: eval \"$(scripts/postgres.sh start)\" then cargo test"
)]
fn verify_full_refuses_a_host_name_the_certificate_does_not_have_and_verify_ca_does_not() {
    let ca = cluster_ca();
    let full = url_for_another_name(&format!("sslmode=verify-full&sslrootcert={ca}"));
    let error = session_is_tls(&full).expect_err("verify-full").to_string();
    assert!(error.contains("not valid for name"), "{error}");
    let ca_only = url_for_another_name(&format!("sslmode=verify-ca&sslrootcert={ca}"));
    assert!(session_is_tls(&ca_only).unwrap());
}

#[test]
#[cfg_attr(
    not(dcrctl_pg),
    ignore = "needs PostgreSQL: eval \"$(scripts/postgres.sh start)\" then cargo test"
)]
fn require_and_prefer_without_a_ca_connect_over_tls() {
    assert!(session_is_tls(&cluster_url("sslmode=require")).unwrap());
    assert!(session_is_tls(&url_for_another_name("sslmode=require")).unwrap());
    assert!(session_is_tls(&cluster_url("sslmode=prefer")).unwrap());
}

#[test]
#[cfg_attr(
    not(dcrctl_pg),
    ignore = "needs PostgreSQL: eval \"$(scripts/postgres.sh start)\" then cargo test"
)]
fn disable_connects_in_plain_text() {
    assert!(!session_is_tls(&cluster_url("sslmode=disable")).unwrap());
}

#[test]
#[cfg_attr(
    not(dcrctl_pg),
    ignore = "needs PostgreSQL: eval \"$(scripts/postgres.sh start)\" then cargo test"
)]
fn require_over_the_unix_socket_connects_without_tls_as_in_libpq() {
    let Ok(socket_dir) = std::env::var("DCRCTL_PG_CLUSTER") else {
        eprintln!("skipped: DCRCTL_PG_CLUSTER (the socket folder) is not set");
        return;
    };
    let url = std::env::var("DCRCTL_TEST_POSTGRES").unwrap();
    let config: postgres::Config = url.parse().unwrap();
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let host =
        percent_encoding::utf8_percent_encode(&socket_dir, percent_encoding::NON_ALPHANUMERIC);
    let socket_url = format!("postgres://dcrctl@{host}:{port}/dcrctl_test?sslmode=require");
    assert!(!session_is_tls(&socket_url).unwrap());
}

//! The server's hardening over real sockets: HTTPS with `--tls-cert`/`--tls-key`, the
//! transport rules for non-loopback addresses and `--behind-proxy`, `X-Forwarded-For` as the
//! rate-limit key only behind a proxy, and the limit on failed admin authentications.
//!
//! Certificates are generated at test time (rcgen) for `localhost` and `127.0.0.1`, and the
//! test client trusts only that certificate.

use crate::http::{mint_token, Server, WAIT};
use crate::util::TestEnv;
use reqwest::blocking::{Client, Response};
use reqwest::{header, StatusCode};
use serde_json::{json, Value};
use std::path::PathBuf;

const HTTPS_ISSUER: &str = "https://auth.example.com";
const ADMIN: (&str, &str) = ("root", "correct horse battery");

/// A self-signed certificate and its key, written as PEM files in the test's directory.
struct TestCert {
    cert: PathBuf,
    key: PathBuf,
    pem: String,
}

impl TestCert {
    fn new(env: &TestEnv, name: &str) -> TestCert {
        let names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
        let generated = rcgen::generate_simple_self_signed(names).expect("generate certificate");
        let pem = generated.cert.pem();
        let cert = env.dir().join(format!("{name}.crt"));
        let key = env.dir().join(format!("{name}.key"));
        std::fs::write(&cert, &pem).unwrap();
        std::fs::write(&key, generated.signing_key.serialize_pem()).unwrap();
        TestCert { cert, key, pem }
    }

    fn args(&self) -> [String; 4] {
        [
            "--tls-cert".into(),
            self.cert.display().to_string(),
            "--tls-key".into(),
            self.key.display().to_string(),
        ]
    }

    /// A client that trusts this certificate and nothing else.
    fn client(&self) -> Client {
        let root = reqwest::Certificate::from_pem(self.pem.as_bytes()).unwrap();
        Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(false)
            .add_root_certificate(root)
            .timeout(WAIT)
            .build()
            .unwrap()
    }
}

fn start_tls(env: &TestEnv, cert: &TestCert, extra: &[&str]) -> Server {
    let tls = cert.args();
    let mut args: Vec<&str> = tls.iter().map(String::as_str).collect();
    args.extend_from_slice(extra);
    Server::start_with(
        env,
        "127.0.0.1:0",
        HTTPS_ISSUER,
        &args,
        ("https", cert.client()),
    )
}

fn plain_client() -> Client {
    Client::builder().timeout(WAIT).build().unwrap()
}

fn web_client() -> Value {
    json!({ "client_name": "web", "redirect_uris": ["https://app.example.com/callback"] })
}

/// The path part of an absolute URL built from the issuer.
fn path_of(url: &str) -> &str {
    url.strip_prefix(HTTPS_ISSUER)
        .expect("a URL under the issuer")
}

/// `run`'s stderr is one `error:` line naming each of `names` (clap may add a usage hint
/// after a blank line).
fn assert_error_line(stderr: &str, names: &[&str]) {
    let first = stderr.lines().next().unwrap_or_default();
    assert!(first.starts_with("error:"), "{stderr}");
    for name in names {
        assert!(first.contains(name), "{name} not in: {stderr}");
    }
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn https_registration_and_read_and_plain_http_is_refused() {
    let env = TestEnv::new();
    let cert = TestCert::new(&env, "server");
    let iat = mint_token(&env, None);
    let server = start_tls(&env, &cert, &[]);
    assert!(server.url("/").starts_with("https://127.0.0.1:"));
    // Connections that never finish a handshake do not hold up the others.
    let address = server.url("").replacen("https://", "", 1);
    let silent: Vec<_> = (0..3)
        .map(|_| std::net::TcpStream::connect(&address).expect("connect"))
        .collect();
    let health = server.client.get(server.url("/healthz")).send().unwrap();
    assert_eq!(health.status(), StatusCode::OK);

    let created = server
        .client
        .post(server.url("/register"))
        .bearer_auth(&iat)
        .json(&web_client())
        .send()
        .expect("POST over TLS");
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().unwrap();
    assert!(created["client_secret"].is_string());
    let uri = created["registration_client_uri"].as_str().unwrap();
    let rat = created["registration_access_token"].as_str().unwrap();
    let read = server
        .client
        .get(server.url(path_of(uri)))
        .bearer_auth(rat)
        .send()
        .expect("GET over TLS");
    assert_eq!(read.status(), StatusCode::OK);
    let read: Value = read.json().unwrap();
    assert_eq!(read["client_id"], created["client_id"]);

    // Plain HTTP to the TLS port gets no HTTP answer, and the server keeps serving.
    let plain = server.url("/healthz").replacen("https://", "http://", 1);
    assert!(plain_client().get(&plain).send().is_err());
    // Nor does a client that does not trust the certificate.
    let untrusting = Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .timeout(WAIT)
        .build()
        .unwrap();
    assert!(untrusting.get(server.url("/healthz")).send().is_err());
    let health = server.client.get(server.url("/healthz")).send().unwrap();
    assert_eq!(health.status(), StatusCode::OK);

    drop(silent);
    let (code, log) = server.terminate();
    assert_eq!(code, Some(0), "{log}");
    assert!(
        !log.contains(rat) && !log.contains(&iat),
        "a credential in the log"
    );
}

#[test]
fn sigterm_over_tls_loses_no_acknowledged_registration() {
    let env = TestEnv::new();
    let cert = TestCert::new(&env, "server");
    let iat = mint_token(&env, None);
    let server = start_tls(&env, &cert, &[]);
    let acknowledged = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                // Bounded: at most 200 attempts per thread; stops at the first refusal.
                for _ in 0..200 {
                    let sent = server
                        .client
                        .post(server.url("/register"))
                        .bearer_auth(&iat)
                        .json(&web_client())
                        .send();
                    let Ok(response) = sent else { break };
                    if response.status() != StatusCode::CREATED {
                        break;
                    }
                    let body: Value = response.json().expect("a 201 has its body");
                    let id = body["client_id"].as_str().unwrap().to_owned();
                    acknowledged.lock().unwrap().push(id);
                }
            });
        }
        // Signal once registrations are flowing.
        let deadline = std::time::Instant::now() + WAIT;
        while acknowledged.lock().unwrap().len() < 8 {
            assert!(std::time::Instant::now() < deadline, "no registrations");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        server.signal("TERM");
    });
    let mut server = server;
    assert_eq!(
        server.wait_exit(WAIT),
        Some(Some(0)),
        "{}",
        server.stderr_log()
    );
    let acknowledged = acknowledged.into_inner().unwrap();
    assert!(acknowledged.len() >= 8);
    for id in &acknowledged {
        env.run(&["show", id]).ok();
    }
}

#[test]
fn bad_certificate_or_key_files_are_usage_errors() {
    let env = TestEnv::new();
    let good = TestCert::new(&env, "good");
    let other = TestCert::new(&env, "other");
    let garbage = env.dir().join("garbage.pem");
    std::fs::write(&garbage, "not a PEM file\n").unwrap();
    let missing = env.dir().join("missing.pem");
    let path = |p: &PathBuf| p.display().to_string();
    let cases: [(String, String, &str); 5] = [
        (path(&missing), path(&good.key), "--tls-cert"),
        (path(&garbage), path(&good.key), "--tls-cert"),
        (path(&good.cert), path(&missing), "--tls-key"),
        // A certificate where the key should be.
        (path(&good.cert), path(&good.cert), "--tls-key"),
        // Another certificate's key.
        (path(&good.cert), path(&other.key), "--tls-key"),
    ];
    for (cert, key, named) in &cases {
        let run = env.run(&[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--issuer",
            HTTPS_ISSUER,
            "--tls-cert",
            cert,
            "--tls-key",
            key,
        ]);
        assert_eq!(run.code, 2, "{cert} {key}: {}", run.stderr);
        assert_error_line(&run.stderr, &[named]);
        assert!(!run.stderr.contains("listening on"), "{}", run.stderr);
        assert!(!run.stderr.contains("PRIVATE KEY"), "{}", run.stderr);
    }
}

#[test]
fn tls_flags_go_together() {
    let env = TestEnv::new();
    let cert = TestCert::new(&env, "server");
    for (flag, file, missing) in [
        ("--tls-cert", &cert.cert, "--tls-key"),
        ("--tls-key", &cert.key, "--tls-cert"),
    ] {
        let file = file.display().to_string();
        let run = env.run(&[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--issuer",
            HTTPS_ISSUER,
            flag,
            &file,
        ]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert_error_line(&run.stderr, &[missing]);
    }
}

#[test]
fn non_loopback_needs_tls_or_a_proxy_and_an_https_issuer() {
    let env = TestEnv::new();
    let cert = TestCert::new(&env, "server");
    let serve = |listen: &str, issuer: &str, extra: &[&str]| {
        let mut args = vec!["serve", "--listen", listen, "--issuer", issuer];
        args.extend_from_slice(extra);
        env.run(&args)
    };
    let refused = serve("0.0.0.0:0", HTTPS_ISSUER, &[]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert_error_line(&refused.stderr, &["--tls-cert", "--behind-proxy"]);

    // An http issuer is only for plain HTTP on loopback.
    let tls = cert.args();
    let tls: Vec<&str> = tls.iter().map(String::as_str).collect();
    for (listen, extra) in [
        ("0.0.0.0:0", &["--behind-proxy"][..]),
        ("127.0.0.1:0", &["--behind-proxy"][..]),
        ("127.0.0.1:0", &tls[..]),
    ] {
        let run = serve(listen, "http://auth.example.com", extra);
        assert_eq!(run.code, 2, "{listen} {extra:?}: {}", run.stderr);
        assert_error_line(&run.stderr, &["--issuer", "https"]);
    }

    // Accepted: a non-loopback bind behind a proxy, reached here on 127.0.0.1 only.
    let server = Server::start_with(
        &env,
        "0.0.0.0:0",
        HTTPS_ISSUER,
        &["--behind-proxy"],
        ("http", plain_client()),
    );
    let health = server.client.get(server.url("/healthz")).send().unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let (code, log) = server.terminate();
    assert_eq!(code, Some(0), "{log}");
}

fn register_from(server: &Server, forwarded_for: Option<&str>) -> StatusCode {
    let mut request = server
        .client
        .post(server.url("/register"))
        .json(&web_client());
    if let Some(value) = forwarded_for {
        request = request.header("X-Forwarded-For", value);
    }
    request.send().expect("POST").status()
}

#[test]
fn forwarded_for_keys_the_rate_limit_only_behind_a_proxy() {
    let env = TestEnv::new();
    let limited = ["--open-registration", "--rate-limit", "1/min"];

    // Without --behind-proxy the header is ignored: every request is 127.0.0.1's.
    let direct = Server::start_with(
        &env,
        "127.0.0.1:0",
        HTTPS_ISSUER,
        &limited,
        ("http", plain_client()),
    );
    assert_eq!(
        register_from(&direct, Some("198.51.100.1")),
        StatusCode::CREATED
    );
    assert_eq!(
        register_from(&direct, Some("198.51.100.2")),
        StatusCode::TOO_MANY_REQUESTS
    );
    drop(direct);

    let mut args = limited.to_vec();
    args.push("--behind-proxy");
    let proxied = Server::start_with(
        &env,
        "127.0.0.1:0",
        HTTPS_ISSUER,
        &args,
        ("http", plain_client()),
    );
    assert_eq!(
        register_from(&proxied, Some("198.51.100.1")),
        StatusCode::CREATED
    );
    // The right-most entry is the proxy's word; the ones before it are the client's.
    assert_eq!(
        register_from(&proxied, Some("203.0.113.9, 198.51.100.1")),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        register_from(&proxied, Some("198.51.100.1, 198.51.100.2")),
        StatusCode::CREATED
    );
    assert_eq!(
        register_from(&proxied, Some("[2001:db8::7]:4711")),
        StatusCode::CREATED
    );
    // Absent or unparseable: the peer's address (127.0.0.1), counted once.
    assert_eq!(register_from(&proxied, None), StatusCode::CREATED);
    assert_eq!(
        register_from(&proxied, Some("unknown")),
        StatusCode::TOO_MANY_REQUESTS
    );
}

impl Server {
    fn lookup_as(&self, password: &str, forwarded_for: &str) -> Response {
        self.client
            .get(self.url("/register?client_name=web"))
            .basic_auth(ADMIN.0, Some(password))
            .header("X-Forwarded-For", forwarded_for)
            .send()
            .expect("GET")
    }
}

#[test]
fn failed_admin_logins_are_limited_per_address_and_successes_are_not() {
    let env = TestEnv::new();
    env.run_stdin(&["admin", "add", ADMIN.0, "--password-stdin"], ADMIN.1)
        .ok();
    let server = Server::start_with(
        &env,
        "127.0.0.1:0",
        HTTPS_ISSUER,
        &["--behind-proxy", "--admin-failure-limit", "3/min"],
        ("http", plain_client()),
    );
    let attacker = "198.51.100.66";
    for _ in 0..3 {
        let rejected = server.lookup_as("wrong", attacker);
        assert_eq!(rejected.status(), StatusCode::UNAUTHORIZED);
    }
    for password in ["wrong", ADMIN.1] {
        let limited = server.lookup_as(password, attacker);
        assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
        let retry: u64 = limited.headers()[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&retry), "{retry}");
        let body: Value = limited.json().unwrap();
        assert_eq!(body["error"], "too_many_requests");
    }

    // Other addresses are unaffected, and successes are never counted.
    let admin = "198.51.100.1";
    for _ in 0..6 {
        assert_eq!(server.lookup_as(ADMIN.1, admin).status(), StatusCode::OK);
    }
    assert_eq!(
        server.lookup_as("wrong", admin).status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(server.lookup_as(ADMIN.1, admin).status(), StatusCode::OK);

    // A concurrent burst of wrong passwords from one address is answered, each with 401 or
    // 429, and at most the limit plus the concurrent verifications are 401.
    let burst = "198.51.100.77";
    let statuses: Vec<StatusCode> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..12)
            .map(|_| scope.spawn(|| server.lookup_as("wrong", burst).status()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let rejected = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    assert!(
        statuses
            .iter()
            .all(|s| matches!(*s, StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS)),
        "{statuses:?}"
    );
    assert!((3..=5).contains(&rejected), "{statuses:?}");
    assert_eq!(server.lookup_as(ADMIN.1, admin).status(), StatusCode::OK);
    let (code, log) = server.terminate();
    assert_eq!(code, Some(0), "{log}");
    assert!(!log.contains(ADMIN.1), "a password in the log");
}

/// Issue 12 item 8: `--tls-cert /dev/zero` (or `--tls-key`) read until memory ran out. Both
/// files are bounded like `--as-metadata`: an endless one is a usage error, at once.
#[test]
fn endless_certificate_or_key_files_are_refused_quickly() {
    let env = TestEnv::new();
    let good = TestCert::new(&env, "good");
    let (cert, key) = (
        good.cert.display().to_string(),
        good.key.display().to_string(),
    );
    for (cert, key, named) in [
        ("/dev/zero", key.as_str(), "--tls-cert"),
        (cert.as_str(), "/dev/zero", "--tls-key"),
    ] {
        let mut child = env
            .std_cmd()
            .args(["serve", "--listen", "127.0.0.1:0", "--issuer", HTTPS_ISSUER])
            .args(["--tls-cert", cert, "--tls-key", key])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn dcrctl serve");
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break Some(status);
            }
            if started.elapsed() > std::time::Duration::from_secs(10) {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let output = child.wait_with_output().expect("output");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let status =
            status.unwrap_or_else(|| panic!("{named} /dev/zero: still reading after 10 s"));
        assert_eq!(status.code(), Some(2), "{named}: {stderr}");
        assert_error_line(&stderr, &[named, "/dev/zero", "larger than"]);
        assert!(output.stdout.is_empty());
    }
}

/// Issue 12 item 3 over TLS: under `ulimit -n 128`, 150 connections that never start their
/// handshake must not keep `/healthz` waiting. They count against the connection limit like
/// any other and, being idle, the oldest are closed to admit new ones.
#[test]
fn silent_connections_do_not_crowd_out_https_health_checks_under_a_low_file_limit() {
    let env = TestEnv::new();
    let cert = TestCert::new(&env, "server");
    let tls = cert.args();
    let args: Vec<&str> = tls.iter().map(String::as_str).collect();
    let server = Server::start_with_file_limit_as(&env, 128, &args, ("https", cert.client()));
    let address = server.url("").replacen("https://", "", 1);
    let silent: Vec<_> = (0..150)
        .map(|_| std::net::TcpStream::connect(&address).expect("connect"))
        .collect();
    let started = std::time::Instant::now();
    let health = cert
        .client()
        .get(server.url("/healthz"))
        .send()
        .expect("GET");
    let took = started.elapsed();
    eprintln!("under ulimit -n 128 with 150 silent TLS connections: /healthz in {took:?}");
    assert_eq!(health.status(), StatusCode::OK);
    assert!(
        took < std::time::Duration::from_secs(5),
        "/healthz took {took:?}"
    );
    drop(silent);
}

//! `dcrctl serve` end to end: the real binary on a free loopback port, driven over HTTP.
//!
//! Each test starts its own server against its own temp database, mints credentials with the
//! CLI, and stops the server in a `Drop` guard, so a failing test never leaks a process.
//! Every wait is bounded.

use crate::util::TestEnv;
use reqwest::blocking::{Client, Response};
use reqwest::header;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

const ISSUER: &str = "https://auth.example.com";
const WAIT: Duration = Duration::from_secs(20);

/// A running `dcrctl serve`, killed on drop.
struct Server {
    child: Child,
    base: String,
    log: Arc<Mutex<String>>,
    client: Client,
}

impl Server {
    fn start(env: &TestEnv, extra: &[&str]) -> Server {
        Server::start_as(env, ISSUER, extra)
    }

    fn start_as(env: &TestEnv, issuer: &str, extra: &[&str]) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("dcrctl"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", env.dir())
            .env("XDG_DATA_HOME", env.dir().join("xdg"))
            .env("DCRCTL_DB", env.db())
            .env("USER", "tester")
            .env("NO_COLOR", "1")
            .env("DCRCTL_LOG", "debug")
            .current_dir(env.dir())
            .args(["serve", "--listen", "127.0.0.1:0", "--issuer", issuer])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn dcrctl serve");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(address) = line.strip_prefix("listening on ") {
                    let _ = tx.send(address.trim().to_owned());
                }
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let mut server = Server {
            child,
            base: String::new(),
            log,
            client: Client::builder().timeout(WAIT).build().unwrap(),
        };
        match rx.recv_timeout(WAIT) {
            Ok(address) => server.base = format!("http://{address}"),
            Err(_) => panic!("server did not start:\n{}", server.log()),
        }
        server
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut request = self.client.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().expect("GET")
    }

    fn register(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        let mut request = self.client.post(self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().expect("POST")
    }

    /// SIGTERM, then wait (bounded) for the exit code.
    fn terminate(mut self) -> (Option<i32>, String) {
        let pid = self.child.id().to_string();
        let status = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill");
        assert!(status.success());
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                // Let the reader thread drain the last lines.
                std::thread::sleep(Duration::from_millis(100));
                return (status.code(), self.log());
            }
            assert!(Instant::now() < deadline, "server ignored SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn web_client() -> Value {
    json!({ "client_name": "web", "redirect_uris": ["https://app.example.com/callback"] })
}

/// A new initial access token, optionally with a use limit.
fn mint_token(env: &TestEnv, max_uses: Option<&str>) -> String {
    let mut args = vec!["-o", "json", "token", "create"];
    if let Some(max) = max_uses {
        args.extend(["--max-uses", max]);
    }
    env.run(&args).ok().json()["token"]
        .as_str()
        .expect("token")
        .to_owned()
}

fn header_of(response: &Response, name: header::HeaderName) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
}

#[track_caller]
fn assert_error(response: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(response.status(), status);
    let body: Value = response.json().expect("JSON error body");
    assert_eq!(body["error"], code, "{body}");
    assert!(body["error_description"].is_string(), "{body}");
    body
}

#[track_caller]
fn assert_invalid_token(response: Response) {
    assert_eq!(
        header_of(&response, header::WWW_AUTHENTICATE).as_deref(),
        Some("Bearer error=\"invalid_token\"")
    );
    assert_error(response, StatusCode::UNAUTHORIZED, "invalid_token");
}

fn no_nulls(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Array(items) => items.iter().all(no_nulls),
        Value::Object(map) => map.values().all(no_nulls),
        _ => true,
    }
}

#[test]
fn register_read_delete_with_tokens_and_nothing_secret_in_the_log() {
    let env = TestEnv::new();
    let iat = mint_token(&env, None);
    let server = Server::start(&env, &["--path-prefix", "/oauth"]);

    let response = server.register("/oauth/register", Some(&iat), &web_client());
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        header_of(&response, header::CACHE_CONTROL).as_deref(),
        Some("no-store")
    );
    assert_eq!(
        header_of(&response, header::PRAGMA).as_deref(),
        Some("no-cache")
    );
    assert!(header_of(&response, header::ETAG).is_some());
    let location = header_of(&response, header::LOCATION).expect("Location");
    let created: Value = response.json().unwrap();
    assert!(no_nulls(&created), "{created}");
    let client_id = created["client_id"].as_str().unwrap().to_owned();
    let secret = created["client_secret"].as_str().unwrap().to_owned();
    let rat = created["registration_access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let uri = format!("{ISSUER}/oauth/register/{client_id}");
    assert_eq!(created["registration_client_uri"], uri.as_str());
    assert_eq!(location, uri);
    assert_eq!(
        created["redirect_uris"],
        json!(["https://app.example.com/callback"])
    );
    assert!(created["client_id_issued_at"].is_i64());
    assert_eq!(created["client_secret_expires_at"], 0);
    // The CLI sees it, registered over HTTP.
    let shown = env.run(&["-o", "json", "show", &client_id]).ok().json();
    assert_eq!(shown["registered_via"], "http", "{shown}");

    let path = format!("/oauth/register/{client_id}");
    let read = server.get(&path, Some(&rat));
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(header_of(&read, header::ETAG).as_deref(), Some("\"r1\""));
    assert_eq!(
        header_of(&read, header::CACHE_CONTROL).as_deref(),
        Some("no-store")
    );
    assert_eq!(
        header_of(&read, header::PRAGMA).as_deref(),
        Some("no-cache")
    );
    let read: Value = read.json().unwrap();
    assert_eq!(read["client_id"], client_id.as_str());
    assert_eq!(read["registration_access_token"], rat.as_str());
    assert_eq!(read["registration_client_uri"], uri.as_str());
    assert!(read.get("client_secret").is_none(), "{read}");

    // Wrong token, and a token of another client, and an unknown client: never 404.
    assert_invalid_token(server.get(&path, Some("dcrrat_wrong")));
    let other: Value = server
        .register("/oauth/register", Some(&iat), &web_client())
        .json()
        .unwrap();
    let other_rat = other["registration_access_token"].as_str().unwrap();
    assert_invalid_token(server.get(&path, Some(other_rat)));
    assert_invalid_token(server.get("/oauth/register/no-such-client", Some(&rat)));
    let missing = server.get(&path, None);
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        header_of(&missing, header::WWW_AUTHENTICATE).as_deref(),
        Some("Bearer")
    );

    // DELETE with another client's token fails; with its own, 204 and everything is dead.
    let refused = server
        .client
        .delete(server.url(&path))
        .bearer_auth(other_rat)
        .send()
        .unwrap();
    assert_invalid_token(refused);
    let deleted = server
        .client
        .delete(server.url(&path))
        .bearer_auth(&rat)
        .send()
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_invalid_token(server.get(&path, Some(&rat)));
    env.run_stdin(&["verify-secret", &client_id], &secret)
        .fails(3);

    let (code, log) = server.terminate();
    assert_eq!(code, Some(0), "{log}");
    assert!(log.contains("status=201"), "debug logging is on:\n{log}");
    for credential in [iat.as_str(), secret.as_str(), rat.as_str(), other_rat] {
        assert!(!log.contains(credential), "credential in the log:\n{log}");
    }
    let other_secret = other["client_secret"].as_str().unwrap();
    assert!(!log.contains(other_secret), "{log}");
}

#[test]
fn missing_and_bad_credentials_are_401() {
    let env = TestEnv::new();
    let server = Server::start(&env, &[]);
    let response = server.register("/register", None, &web_client());
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        header_of(&response, header::WWW_AUTHENTICATE).as_deref(),
        Some("Bearer")
    );
    assert_invalid_token(server.register("/register", Some("dcriat_nope"), &web_client()));
    assert_invalid_token(server.register("/register", Some("garbage"), &web_client()));
    // Nothing was registered.
    assert_eq!(env.run(&["-o", "json", "list"]).ok().json(), json!([]));
}

#[test]
fn a_one_use_token_admits_exactly_one_of_ten_concurrent_registrations() {
    let env = TestEnv::new();
    let iat = mint_token(&env, Some("1"));
    let server = Server::start(&env, &[]);
    let barrier = Barrier::new(10);
    let statuses: Vec<StatusCode> = std::thread::scope(|scope| {
        let racers: Vec<_> = (0..10)
            .map(|_| {
                scope.spawn(|| {
                    barrier.wait();
                    server
                        .register("/register", Some(&iat), &web_client())
                        .status()
                })
            })
            .collect();
        racers.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    assert_eq!((created, refused), (1, 9), "{statuses:?}");
    let tokens = env.run(&["-o", "json", "token", "list"]).ok().json();
    assert_eq!(tokens[0]["uses"], 1, "{tokens}");
}

#[test]
fn open_registration_needs_no_credential_but_still_checks_one_given() {
    let env = TestEnv::new();
    let server = Server::start(&env, &["--open-registration"]);
    let response = server.register("/register", None, &web_client());
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().unwrap();
    assert_eq!(
        created["registration_client_uri"],
        format!(
            "{ISSUER}/register/{}",
            created["client_id"].as_str().unwrap()
        )
    );
    assert_invalid_token(server.register("/register", Some("dcriat_nope"), &web_client()));
    let events = env.run(&["-o", "json", "events"]).ok().json();
    assert_eq!(events[0]["actor"], "http:anonymous", "{events}");
}

#[test]
fn bad_requests() {
    let env = TestEnv::new();
    let iat = mint_token(&env, None);
    let server = Server::start(&env, &[]);
    let post = |body: &Value| server.register("/register", Some(&iat), body);

    assert_error(
        post(&json!({ "redirect_uris": ["http://app.example.com/callback"] })),
        StatusCode::BAD_REQUEST,
        "invalid_redirect_uri",
    );
    assert_error(
        post(&json!({ "redirect_uris": ["https://app.example.com/cb"], "grant_types": "x" })),
        StatusCode::BAD_REQUEST,
        "invalid_client_metadata",
    );
    assert_error(
        post(&json!([1, 2])),
        StatusCode::BAD_REQUEST,
        "invalid_client_metadata",
    );
    for field in [
        "client_id",
        "ext_param_client_id",
        "client_secret",
        "ext_param_client_secret",
    ] {
        let mut body = web_client();
        body[field] = json!("chosen");
        let error = assert_error(
            post(&body),
            StatusCode::BAD_REQUEST,
            "invalid_client_metadata",
        );
        assert!(
            error["error_description"].as_str().unwrap().contains(field),
            "{error}"
        );
    }
    let send = |content_type: &str, body: Vec<u8>| {
        server
            .client
            .post(server.url("/register"))
            .bearer_auth(&iat)
            .header(header::CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .unwrap()
    };
    assert_error(
        send("application/json", b"{\"client_name\": ".to_vec()),
        StatusCode::BAD_REQUEST,
        "invalid_client_metadata",
    );
    assert_error(
        send("application/json", br#"{"a":1,"a":2}"#.to_vec()),
        StatusCode::BAD_REQUEST,
        "invalid_client_metadata",
    );
    assert_error(
        send("text/plain", web_client().to_string().into_bytes()),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "invalid_request",
    );
    let big = json!({ "redirect_uris": ["https://app.example.com/cb"], "x": "y".repeat(70_000) });
    assert_error(
        send("application/json", big.to_string().into_bytes()),
        StatusCode::PAYLOAD_TOO_LARGE,
        "invalid_request",
    );
    // None of it registered anything or spent anything.
    assert_eq!(env.run(&["-o", "json", "list"]).ok().json(), json!([]));
}

#[test]
fn discovery_health_and_unknown_routes() {
    let env = TestEnv::new();
    let server = Server::start_as(
        &env,
        "https://auth.example.com/tenant/",
        &["--path-prefix", "/oauth/"],
    );
    for path in [
        "/.well-known/oauth-authorization-server",
        "/.well-known/openid-configuration",
        "/.well-known/oauth-authorization-server/tenant",
        "/tenant/.well-known/openid-configuration",
    ] {
        let response = server.get(path, None);
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let doc: Value = response.json().unwrap();
        assert_eq!(doc["issuer"], "https://auth.example.com/tenant", "{path}");
        assert_eq!(
            doc["registration_endpoint"],
            "https://auth.example.com/tenant/oauth/register"
        );
        for member in [
            "grant_types_supported",
            "response_types_supported",
            "token_endpoint_auth_methods_supported",
        ] {
            assert!(
                doc[member].as_array().is_some_and(|a| !a.is_empty()),
                "{doc}"
            );
        }
    }
    let health = server.get("/healthz", None);
    assert_eq!(health.status(), StatusCode::OK);
    assert_error(
        server.get("/nope", None),
        StatusCode::NOT_FOUND,
        "not_found",
    );
    // The registration routes live under the prefix only.
    assert_error(
        server.get("/register/x", None),
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let wrong_method = server.client.put(server.url("/healthz")).send().unwrap();
    assert_eq!(wrong_method.status(), StatusCode::METHOD_NOT_ALLOWED);
    let (code, log) = server.terminate();
    assert_eq!(code, Some(0), "{log}");
}

#[test]
fn serve_refuses_bad_arguments() {
    let env = TestEnv::new();
    let refused = env
        .run(&["serve", "--listen", "0.0.0.0:0", "--issuer", ISSUER])
        .fails(2);
    assert!(refused.stderr.contains("TLS"), "{}", refused.stderr);
    for issuer in [
        "auth.example.com",
        "ftp://x",
        "https://x/?q",
        "https://x/#f",
    ] {
        let run = env.run(&["serve", "--listen", "127.0.0.1:0", "--issuer", issuer]);
        assert_eq!(run.code, 2, "{issuer}: {}", run.stderr);
    }
    let run = env.run(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--issuer",
        ISSUER,
        "--path-prefix",
        "oauth",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

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
pub(crate) const WAIT: Duration = Duration::from_secs(20);

/// A running `dcrctl serve`, killed on drop.
pub(crate) struct Server {
    child: Child,
    base: String,
    log: Arc<Mutex<String>>,
    pub(crate) client: Client,
}

impl Server {
    pub(crate) fn start(env: &TestEnv, extra: &[&str]) -> Server {
        Server::start_as(env, ISSUER, extra)
    }

    fn start_as(env: &TestEnv, issuer: &str, extra: &[&str]) -> Server {
        let client = Client::builder().timeout(WAIT).build().unwrap();
        Server::launch(env, "127.0.0.1:0", issuer, "debug", extra, ("http", client))
    }

    /// Start with `DCRCTL_LOG=log_filter`, e.g. `trace` to audit what the most verbose logs say.
    pub(crate) fn start_logging(
        env: &TestEnv,
        issuer: &str,
        log_filter: &str,
        extra: &[&str],
    ) -> Server {
        let client = Client::builder().timeout(WAIT).build().unwrap();
        Server::launch(
            env,
            "127.0.0.1:0",
            issuer,
            log_filter,
            extra,
            ("http", client),
        )
    }

    /// Start on `listen` (an unspecified address is then reached on 127.0.0.1), talking to it
    /// with `scheme` and `client` (e.g. `https` and a client trusting the test certificate).
    pub(crate) fn start_with(
        env: &TestEnv,
        listen: &str,
        issuer: &str,
        extra: &[&str],
        connection: (&str, Client),
    ) -> Server {
        Server::launch(env, listen, issuer, "debug", extra, connection)
    }

    /// [`Server::start`] with its limit on open files (`ulimit -n`) lowered to `files`.
    pub(crate) fn start_with_file_limit(env: &TestEnv, files: u32, extra: &[&str]) -> Server {
        let client = Client::builder().timeout(WAIT).build().unwrap();
        Server::start_with_file_limit_as(env, files, extra, ("http", client))
    }

    /// [`Server::start_with_file_limit`], talking to it with `scheme` and `client`.
    pub(crate) fn start_with_file_limit_as(
        env: &TestEnv,
        files: u32,
        extra: &[&str],
        connection: (&str, Client),
    ) -> Server {
        let mut command = Command::new("sh");
        command.args(["-c", "ulimit -n \"$0\" && exec \"$@\"", &files.to_string()]);
        command.arg(assert_cmd::cargo::cargo_bin("dcrctl"));
        Server::launch_from(
            command,
            env,
            "127.0.0.1:0",
            ISSUER,
            "debug",
            extra,
            connection,
        )
    }

    fn launch(
        env: &TestEnv,
        listen: &str,
        issuer: &str,
        log_filter: &str,
        extra: &[&str],
        connection: (&str, Client),
    ) -> Server {
        let command = Command::new(assert_cmd::cargo::cargo_bin("dcrctl"));
        Server::launch_from(command, env, listen, issuer, log_filter, extra, connection)
    }

    fn launch_from(
        mut command: Command,
        env: &TestEnv,
        listen: &str,
        issuer: &str,
        log_filter: &str,
        extra: &[&str],
        (scheme, client): (&str, Client),
    ) -> Server {
        let mut child = command
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", env.dir())
            .env("XDG_DATA_HOME", env.dir().join("xdg"))
            .env("DCRCTL_DB", env.location())
            .env("USER", "tester")
            .env("NO_COLOR", "1")
            .env("DCRCTL_LOG", log_filter)
            .current_dir(env.dir())
            .args(["serve", "--listen", listen, "--issuer", issuer])
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
            client,
        };
        match rx.recv_timeout(WAIT) {
            Ok(address) => {
                let address = address.replace("0.0.0.0:", "127.0.0.1:");
                server.base = format!("{scheme}://{address}");
            }
            Err(_) => panic!("server did not start:\n{}", server.log()),
        }
        server
    }

    pub(crate) fn url(&self, path: &str) -> String {
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

    /// The server's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Send a signal (`"TERM"`, `"KILL"`, …) with `kill(1)`.
    pub(crate) fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([format!("-{signal}"), self.pid().to_string()])
            .status()
            .expect("kill");
        assert!(status.success(), "kill -{signal} failed");
    }

    /// Wait up to `timeout` for the process to exit: `Some(exit code)` (`None` inside when a
    /// signal ended it), or `None` if it is still running.
    pub(crate) fn wait_exit(&mut self, timeout: Duration) -> Option<Option<i32>> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return Some(status.code());
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Everything the server wrote to stderr so far.
    pub(crate) fn stderr_log(&self) -> String {
        self.log()
    }

    /// SIGTERM, then wait (bounded) for the exit code.
    pub(crate) fn terminate(mut self) -> (Option<i32>, String) {
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
pub(crate) fn mint_token(env: &TestEnv, max_uses: Option<&str>) -> String {
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
        "/.well-known/openid-configuration/tenant",
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

const ADMIN: (&str, &str) = ("root", "correct horse battery");

fn add_admin(env: &TestEnv) {
    env.run_stdin(&["admin", "add", ADMIN.0, "--password-stdin"], ADMIN.1)
        .ok();
}

impl Server {
    fn admin_post(&self, path: &str, password: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .basic_auth(ADMIN.0, Some(password))
            .json(body)
            .send()
            .expect("POST")
    }

    fn admin_get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .basic_auth(ADMIN.0, Some(ADMIN.1))
            .send()
            .expect("GET")
    }

    fn put(&self, path: &str, token: &str, if_match: Option<&str>, body: &Value) -> Response {
        let mut request = self
            .client
            .put(self.url(path))
            .bearer_auth(token)
            .json(body);
        if let Some(tag) = if_match {
            request = request.header(header::IF_MATCH, tag);
        }
        request.send().expect("PUT")
    }
}

#[track_caller]
fn assert_basic_challenge(response: &Response) {
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        header_of(response, header::WWW_AUTHENTICATE).as_deref(),
        Some("Basic realm=\"dcrctl\"")
    );
}

/// Register a web client with a fresh initial access token: (client_id, secret, RAT, ETag).
fn registered(env: &TestEnv, server: &Server) -> (String, String, String, String) {
    let iat = mint_token(env, None);
    let response = server.register("/register", Some(&iat), &web_client());
    assert_eq!(response.status(), StatusCode::CREATED);
    let etag = header_of(&response, header::ETAG).unwrap();
    let created: Value = response.json().unwrap();
    let text = |field: &str| created[field].as_str().unwrap().to_owned();
    (
        text("client_id"),
        text("client_secret"),
        text("registration_access_token"),
        etag,
    )
}

#[test]
fn an_admin_registers_with_a_chosen_id_and_secret_and_looks_clients_up() {
    let env = TestEnv::new();
    add_admin(&env);
    let iat = mint_token(&env, None);
    let server = Server::start(&env, &[]);
    let mut body = web_client();
    body["ext_param_client_id"] = json!("partner-app");
    body["client_secret"] = json!("chosen-secret-value");
    let created = server.admin_post("/register", ADMIN.1, &body);
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().unwrap();
    assert_eq!(created["client_id"], "partner-app");
    assert!(created.get("client_secret").is_none(), "{created}");
    assert!(created.get("ext_param_client_id").is_none(), "{created}");
    assert!(created["registration_access_token"].is_string());
    env.run_stdin(&["verify-secret", "partner-app"], "chosen-secret-value")
        .ok();
    env.run_stdin(&["verify-secret", "partner-app"], "another")
        .fails(6);
    let events = env.run(&["-o", "json", "events"]).ok().json();
    assert_eq!(events[0]["actor"], "http:admin:root", "{events}");

    // The id is taken: 409, never an overwrite.
    let mut again = web_client();
    again["client_id"] = json!("partner-app");
    assert_error(
        server.admin_post("/register", ADMIN.1, &again),
        StatusCode::CONFLICT,
        "invalid_client_metadata",
    );
    // A bearer of an initial access token may not choose.
    assert_error(
        server.register("/register", Some(&iat), &again),
        StatusCode::BAD_REQUEST,
        "invalid_client_metadata",
    );
    // A wrong password: 401 with a Basic challenge.
    let wrong = server.admin_post("/register", "wrong", &web_client());
    assert_basic_challenge(&wrong);
    assert_eq!(wrong.json::<Value>().unwrap()["error"], "invalid_token");

    // The admin reads any client; the response has no credential.
    let read = server.admin_get("/register/partner-app");
    assert_eq!(read.status(), StatusCode::OK);
    let read: Value = read.json().unwrap();
    assert!(read.get("registration_access_token").is_none(), "{read}");
    assert_invalid_token(server.admin_get("/register/no-such-client"));

    // Lookup by name: admins only.
    server.register("/register", Some(&iat), &web_client());
    let found = server.admin_get("/register?client_name=web");
    assert_eq!(found.status(), StatusCode::OK);
    assert_eq!(
        header_of(&found, header::CACHE_CONTROL).as_deref(),
        Some("no-store")
    );
    // Client information always carries an ETag (SPEC §5), lists too; it tracks the clients.
    let list_tag = header_of(&found, header::ETAG).expect("the lookup has an ETag");
    assert_eq!(
        header_of(&server.admin_get("/register?client_name=web"), header::ETAG),
        Some(list_tag.clone())
    );
    assert_ne!(
        header_of(
            &server.admin_get("/register?client_name=nobody"),
            header::ETAG
        ),
        Some(list_tag)
    );
    let found: Value = found.json().unwrap();
    assert_eq!(found.as_array().unwrap().len(), 2, "{found}");
    for client in found.as_array().unwrap() {
        assert!(client.get("registration_access_token").is_none());
        assert!(client.get("client_secret").is_none());
        assert!(client["registration_client_uri"].is_string());
    }
    let none: Value = server
        .admin_get("/register?client_name=nobody")
        .json()
        .unwrap();
    assert_eq!(none, json!([]));
    assert_basic_challenge(&server.get("/register?client_name=web", None));
    assert_basic_challenge(&server.get("/register?client_name=web", Some(&iat)));
    assert_error(
        server.admin_get("/register"),
        StatusCode::BAD_REQUEST,
        "invalid_request",
    );
    let (code, log) = server.terminate();
    assert_eq!(code, Some(0), "{log}");
    assert!(!log.contains(ADMIN.1) && !log.contains("chosen-secret-value"));
}

#[test]
fn put_replaces_the_document_under_if_match() {
    let env = TestEnv::new();
    let server = Server::start(&env, &[]);
    let (id, secret, rat, etag) = registered(&env, &server);
    let path = format!("/register/{id}");
    let renamed = json!({
        "client_name": "renamed",
        "redirect_uris": ["https://app.example.com/new"],
    });

    // Registry-managed members and mismatches are 400, and change nothing.
    for (field, value) in [
        ("registration_access_token", json!(rat)),
        ("registration_client_uri", json!("https://x.example/r")),
        ("client_id_issued_at", json!(1)),
        ("client_secret_expires_at", json!(0)),
        ("client_id", json!("someone-else")),
        ("client_secret", json!("not-the-secret")),
    ] {
        let mut body = renamed.clone();
        body[field] = value;
        let error = assert_error(
            server.put(&path, &rat, None, &body),
            StatusCode::BAD_REQUEST,
            "invalid_client_metadata",
        );
        assert!(
            error["error_description"].as_str().unwrap().contains(field),
            "{field}: {error}"
        );
    }
    assert_eq!(
        header_of(&server.get(&path, Some(&rat)), header::ETAG),
        Some(etag.clone())
    );
    // A stale If-Match is 412.
    assert_error(
        server.put(&path, &rat, Some("\"r99\""), &renamed),
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
    );
    // Without client_id in the body, with the current ETag: replaced.
    let replaced = server.put(&path, &rat, Some(&etag), &renamed);
    assert_eq!(replaced.status(), StatusCode::OK);
    let new_etag = header_of(&replaced, header::ETAG).unwrap();
    assert_ne!(new_etag, etag);
    assert_eq!(
        header_of(&replaced, header::CACHE_CONTROL).as_deref(),
        Some("no-store")
    );
    let replaced: Value = replaced.json().unwrap();
    assert_eq!(replaced["client_name"], "renamed");
    assert_eq!(
        replaced["redirect_uris"],
        json!(["https://app.example.com/new"])
    );
    assert_eq!(replaced["registration_access_token"], rat.as_str());
    assert!(replaced.get("client_secret").is_none(), "{replaced}");
    // Full replacement: what the document omits is gone (defaults apply again).
    let mut full = json!({ "redirect_uris": ["https://app.example.com/new"] });
    full["client_id"] = json!(id);
    full["client_secret"] = json!(secret);
    let again = server.put(&path, &rat, None, &full);
    assert_eq!(again.status(), StatusCode::OK);
    let again_etag = header_of(&again, header::ETAG).unwrap();
    let again: Value = again.json().unwrap();
    assert!(again.get("client_name").is_none(), "{again}");
    // The old ETag no longer matches, on PUT or DELETE.
    assert_eq!(
        server.put(&path, &rat, Some(&new_etag), &renamed).status(),
        StatusCode::PRECONDITION_FAILED
    );
    let stale_delete = server
        .client
        .delete(server.url(&path))
        .bearer_auth(&rat)
        .header(header::IF_MATCH, &new_etag)
        .send()
        .unwrap();
    assert_eq!(stale_delete.status(), StatusCode::PRECONDITION_FAILED);
    // Another client's token never opens it, even with the right ETag.
    let (_, _, other_rat, _) = registered(&env, &server);
    assert_invalid_token(server.put(&path, &other_rat, Some(&again_etag), &renamed));
    let deleted = server
        .client
        .delete(server.url(&path))
        .bearer_auth(&rat)
        .header(header::IF_MATCH, &again_etag)
        .send()
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
}

#[test]
fn rotating_the_secret_and_the_registration_token() {
    let env = TestEnv::new();
    let server = Server::start(&env, &["--path-prefix", "/oauth"]);
    let iat = mint_token(&env, None);
    let created: Value = server
        .register("/oauth/register", Some(&iat), &web_client())
        .json()
        .unwrap();
    let id = created["client_id"].as_str().unwrap();
    let secret = created["client_secret"].as_str().unwrap();
    let rat = created["registration_access_token"].as_str().unwrap();

    // Bodiless: no Content-Type, no 415.
    let rotated = server
        .client
        .post(server.url(&format!("/oauth/register/{id}/secret")))
        .bearer_auth(rat)
        .send()
        .unwrap();
    assert_eq!(rotated.status(), StatusCode::OK);
    assert!(header_of(&rotated, header::ETAG).is_some());
    let rotated: Value = rotated.json().unwrap();
    let new_secret = rotated["client_secret"].as_str().unwrap();
    assert_ne!(new_secret, secret);
    assert_eq!(rotated["registration_access_token"], rat);
    env.run_stdin(&["verify-secret", id], secret).fails(6);
    env.run_stdin(&["verify-secret", id], new_secret).ok();

    let mut current = rat.to_owned();
    for method in [reqwest::Method::POST, reqwest::Method::DELETE] {
        let response = server
            .client
            .request(
                method.clone(),
                server.url(&format!("/oauth/register/{id}/registration-token")),
            )
            .bearer_auth(&current)
            .send()
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{method}");
        let body: Value = response.json().unwrap();
        let fresh = body["registration_access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_ne!(fresh, current);
        assert!(body.get("client_secret").is_none(), "{body}");
        let path = format!("/oauth/register/{id}");
        assert_invalid_token(server.get(&path, Some(&current)));
        assert_eq!(server.get(&path, Some(&fresh)).status(), StatusCode::OK);
        current = fresh;
    }
    // Unknown clients are 401, never 404.
    let unknown = server
        .client
        .post(server.url("/oauth/register/nope/secret"))
        .bearer_auth(&current)
        .send()
        .unwrap();
    assert_invalid_token(unknown);
}

#[test]
fn policy_flags_restrict_http_registration() {
    let env = TestEnv::new();
    let server = Server::start(
        &env,
        &[
            "--open-registration",
            "--allowed-grant-types",
            "authorization_code,refresh_token",
            "--allowed-scopes",
            "openid, profile",
            "--secret-lifetime",
            "1h",
            "--max-clients",
            "1",
        ],
    );
    let discovery: Value = server
        .get("/.well-known/oauth-authorization-server", None)
        .json()
        .unwrap();
    assert_eq!(
        discovery["grant_types_supported"],
        json!(["authorization_code", "refresh_token"])
    );
    assert_eq!(discovery["scopes_supported"], json!(["openid", "profile"]));
    let mut implicit = web_client();
    implicit["grant_types"] = json!(["client_credentials"]);
    assert_error(
        server.register("/register", None, &implicit),
        StatusCode::BAD_REQUEST,
        "invalid_client_metadata",
    );
    let mut scoped = web_client();
    scoped["scope"] = json!("openid email");
    assert_error(
        server.register("/register", None, &scoped),
        StatusCode::BAD_REQUEST,
        "invalid_client_metadata",
    );
    scoped["scope"] = json!("openid");
    let first = server.register("/register", None, &scoped);
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let expires = first["client_secret_expires_at"].as_i64().unwrap();
    assert!((expires - (now + 3600)).abs() <= 10, "{first}");
    assert_error(
        server.register("/register", None, &web_client()),
        StatusCode::FORBIDDEN,
        "access_denied",
    );
    assert_eq!(
        env.run(&["-o", "json", "list"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn open_registration_is_rate_limited_per_address_but_tokens_are_not() {
    let env = TestEnv::new();
    let iat = mint_token(&env, None);
    let server = Server::start(&env, &["--open-registration", "--rate-limit", "3/min"]);
    for _ in 0..3 {
        assert_eq!(
            server.register("/register", None, &web_client()).status(),
            StatusCode::CREATED
        );
    }
    let limited = server.register("/register", None, &web_client());
    let retry: u64 = header_of(&limited, header::RETRY_AFTER)
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_error(limited, StatusCode::TOO_MANY_REQUESTS, "too_many_requests");
    assert_eq!(
        server
            .register("/register", Some(&iat), &web_client())
            .status(),
        StatusCode::CREATED
    );
    let run = env.run(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--issuer",
        ISSUER,
        "--rate-limit",
        "0/min",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

/// Issue 12 item 2: requests refused before they are valid registrations (415, 400, 413)
/// spent an address's open-registration budget like registrations do.
#[test]
fn malformed_anonymous_requests_spend_no_rate_limit() {
    let env = TestEnv::new();
    let server = Server::start(&env, &["--open-registration", "--rate-limit", "2/min"]);
    let post = || server.client.post(server.url("/register"));
    for _ in 0..3 {
        let bodiless = post().send().expect("POST");
        assert_eq!(bodiless.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let text = post().body("{}").header(header::CONTENT_TYPE, "text/plain");
        assert_eq!(
            text.send().unwrap().status(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
        let broken = post()
            .body("{")
            .header(header::CONTENT_TYPE, "application/json");
        assert_eq!(broken.send().unwrap().status(), StatusCode::BAD_REQUEST);
        let invalid = post().json(&json!({ "redirect_uris": ["http://evil.example/cb"] }));
        assert_eq!(invalid.send().unwrap().status(), StatusCode::BAD_REQUEST);
        let huge = post()
            .body(vec![b' '; 70_000])
            .header(header::CONTENT_TYPE, "application/json");
        assert_eq!(huge.send().unwrap().status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
    for _ in 0..2 {
        let created = server.register("/register", None, &web_client());
        assert_eq!(created.status(), StatusCode::CREATED);
    }
    let limited = server.register("/register", None, &web_client());
    assert_error(limited, StatusCode::TOO_MANY_REQUESTS, "too_many_requests");
    // Once spent, the limit answers first, whatever the body.
    let bodiless = post().send().expect("POST");
    assert_eq!(bodiless.status(), StatusCode::TOO_MANY_REQUESTS);
}

/// Issue 12 item 2: 10,000 bodiless `POST /register` from distinct addresses (here IPv6 /64s
/// through `X-Forwarded-For` behind a proxy) filled the limiter's bounded map, after which
/// every new address got `429`: open registration was closed for everyone.
#[test]
fn a_flood_from_many_addresses_does_not_close_open_registration() {
    use std::io::{Read, Write};
    let env = TestEnv::new();
    let server = Server::start(&env, &["--open-registration", "--behind-proxy"]);
    let address = server.url("").replacen("http://", "", 1);
    const CONNECTIONS: usize = 4;
    const PER_CONNECTION: usize = 2_600;
    // Pipelined on a few connections: a writer thread per connection, a reader counting the
    // responses, so the 10,400 requests take a second or two.
    let floods: Vec<_> = (0..CONNECTIONS)
        .map(|connection| {
            let mut stream = std::net::TcpStream::connect(&address).expect("connect");
            stream.set_read_timeout(Some(WAIT)).unwrap();
            let mut writer = stream.try_clone().unwrap();
            let sender = std::thread::spawn(move || {
                let mut requests = Vec::new();
                for n in 0..PER_CONNECTION {
                    let net = connection * PER_CONNECTION + n;
                    requests.extend_from_slice(
                        format!(
                            "POST /register HTTP/1.1\r\nHost: x\r\n\
                             X-Forwarded-For: 2001:db8:{:x}:{:x}::1\r\n\r\n",
                            net >> 16,
                            net & 0xffff
                        )
                        .as_bytes(),
                    );
                }
                writer.write_all(&requests).expect("write");
            });
            std::thread::spawn(move || {
                // Every response is a 415 (never a 429); count their status lines as they come.
                let (mut answered, mut tail) = (0, Vec::new());
                let mut buf = vec![0u8; 64 * 1024];
                while answered < PER_CONNECTION {
                    let n = stream.read(&mut buf).expect("read");
                    assert!(n > 0, "the server closed the connection");
                    tail.extend_from_slice(&buf[..n]);
                    let statuses = tail.windows(12).filter(|w| w.starts_with(b"HTTP/1.1 "));
                    for status in statuses {
                        assert_eq!(&status[9..], b"415", "after {answered} answers");
                        answered += 1;
                    }
                    tail.drain(..tail.len().saturating_sub(11));
                }
                sender.join().unwrap();
            })
        })
        .collect();
    for flood in floods {
        flood.join().expect("flood");
    }
    // A newcomer, and then one of the flood's own addresses, can still register.
    for from in ["198.51.100.20", "2001:db8:0:1::9"] {
        let created = server
            .client
            .post(server.url("/register"))
            .header("X-Forwarded-For", from)
            .json(&web_client())
            .send()
            .expect("POST");
        assert_eq!(created.status(), StatusCode::CREATED, "{from}");
    }
}

#[test]
fn discovery_merges_over_the_authorization_servers_metadata() {
    let env = TestEnv::new();
    let file = env.dir().join("as.json");
    std::fs::write(
        &file,
        json!({
            "issuer": ISSUER,
            "authorization_endpoint": "https://auth.example.com/authorize",
            "token_endpoint": "https://auth.example.com/token",
            "registration_endpoint": "https://elsewhere.example.com/register",
            "grant_types_supported": ["urn:made:up"],
            "code_challenge_methods_supported": ["S256"],
        })
        .to_string(),
    )
    .unwrap();
    let server = Server::start(
        &env,
        &[
            "--path-prefix",
            "/dcr",
            "--as-metadata",
            file.to_str().unwrap(),
        ],
    );
    let doc: Value = server
        .get("/.well-known/openid-configuration", None)
        .json()
        .unwrap();
    assert_eq!(doc["issuer"], ISSUER);
    assert_eq!(
        doc["authorization_endpoint"],
        "https://auth.example.com/authorize"
    );
    assert_eq!(doc["token_endpoint"], "https://auth.example.com/token");
    assert_eq!(doc["code_challenge_methods_supported"], json!(["S256"]));
    assert_eq!(
        doc["registration_endpoint"],
        format!("{ISSUER}/dcr/register")
    );
    assert!(
        doc["grant_types_supported"]
            .as_array()
            .unwrap()
            .contains(&json!("authorization_code")),
        "{doc}"
    );
    drop(server);

    // Another issuer, or something other than an object, is refused at startup.
    for content in [
        json!({ "issuer": "https://other.example.com" }).to_string(),
        "[1]".to_owned(),
        "{".to_owned(),
    ] {
        std::fs::write(&file, content).unwrap();
        let run = env.run(&[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--issuer",
            ISSUER,
            "--as-metadata",
            file.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains("--as-metadata"), "{}", run.stderr);
    }
}

/// Found by the OpenAPI check: without a credential, a bad body answered 415/413/400 instead
/// of 401. The credential is judged first, so an anonymous caller learns nothing else.
#[test]
fn missing_credential_is_401_whatever_the_body() {
    let env = TestEnv::new();
    let server = Server::start(&env, &[]);
    for (content_type, body) in [
        ("text/plain", "hello".to_owned()),
        ("application/json", "{not json".to_owned()),
        ("application/json", "x".repeat(70_000)),
    ] {
        let response = server
            .client
            .post(server.url("/register"))
            .header(header::CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .expect("POST");
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{content_type}"
        );
        assert_eq!(
            header_of(&response, header::WWW_AUTHENTICATE).as_deref(),
            Some("Bearer")
        );
    }
}

/// The same rule on `PUT /register/{client_id}`: without a credential, a body that is not
/// JSON, too large or malformed answered 415/413/400 instead of 401.
#[test]
fn missing_credential_on_put_is_401_whatever_the_body() {
    let env = TestEnv::new();
    let server = Server::start(&env, &[]);
    let (client_id, ..) = registered(&env, &server);
    for (content_type, body) in [
        ("text/plain", "hello".to_owned()),
        ("application/json", "{not json".to_owned()),
        ("application/json", "x".repeat(70_000)),
    ] {
        let response = server
            .client
            .put(server.url(&format!("/register/{client_id}")))
            .header(header::CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .expect("PUT");
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{content_type}"
        );
        assert_eq!(
            header_of(&response, header::WWW_AUTHENTICATE).as_deref(),
            Some("Bearer")
        );
    }
}

/// Rotation requests need no body; one that is not JSON is `415` (SPEC §5), after the
/// credential: without one it is `401` whatever the body.
#[test]
fn rotation_bodies_are_empty_or_json() {
    let env = TestEnv::new();
    let server = Server::start(&env, &[]);
    let (client_id, _, mut rat, _) = registered(&env, &server);
    for path in ["secret", "registration-token"] {
        let url = server.url(&format!("/register/{client_id}/{path}"));
        let anonymous = server
            .client
            .post(&url)
            .header(header::CONTENT_TYPE, "text/plain")
            .body("hello")
            .send()
            .expect("POST");
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "{path}");
        let text = server
            .client
            .post(&url)
            .bearer_auth(&rat)
            .header(header::CONTENT_TYPE, "text/plain")
            .body("hello")
            .send()
            .expect("POST");
        assert_eq!(text.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{path}");
        for (content_type, body) in [(None, ""), (Some("application/json"), "{}")] {
            let mut request = server.client.post(&url).bearer_auth(&rat).body(body);
            if let Some(content_type) = content_type {
                request = request.header(header::CONTENT_TYPE, content_type);
            }
            let response = request.send().expect("POST");
            assert_eq!(response.status(), StatusCode::OK, "{path} {content_type:?}");
            let rotated: Value = response.json().unwrap();
            if let Some(token) = rotated["registration_access_token"].as_str() {
                rat = token.to_owned();
            }
        }
    }
}

/// Issue 17, item 11: RFC 6749 §4.4 allows the client-credentials grant only for
/// confidential clients; a public one is `400 invalid_client_metadata` and nothing is stored.
#[test]
fn issue_17_a_public_client_credentials_client_is_refused_over_http() {
    let env = TestEnv::new();
    let server = Server::start(&env, &["--open-registration"]);
    let public =
        json!({ "grant_types": ["client_credentials"], "token_endpoint_auth_method": "none" });
    let body = env.unchanged(|| {
        assert_error(
            server.register("/register", None, &public),
            StatusCode::BAD_REQUEST,
            "invalid_client_metadata",
        )
    });
    let description = body["error_description"].as_str().unwrap_or_default();
    assert!(description.contains("RFC 6749 §4.4"), "{body}");
}

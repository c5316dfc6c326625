//! Untrusted HTTP requests through the whole router, in process: whatever arrives, the server
//! answers without panicking and without a 5xx, every error is the SPEC §5 JSON shape (or a
//! bare `401` challenge), client information is never cacheable, and nothing succeeds with a
//! credential that should not open it.
//!
//! An input is a small request in HTTP/1.1 text form, so seeds can be written by hand:
//!
//! ```text
//! GET /oauth/register/client-one
//! Authorization: Bearer {RAT}
//!
//! body…
//! ```
//!
//! The first line is the method and the request target; header lines follow up to an empty
//! line, the rest is the body. Credentials are random, so placeholders stand for them in the
//! target, header values and body: `{IAT}` (an initial access token with unlimited uses;
//! `{IAT64}` is it base64-encoded),
//! `{RAT}`/`{RAT2}` and `{SECRET}` (the current registration access tokens of `client-one`
//! and `client-two` and the secret of `client-one`), `{ADMIN}` (base64 of the admin's
//! `name:password`) and `{ETAG}` (the current entity tag of `client-one`). The two clients
//! are re-created when an input deletes them, and their tokens followed when one rotates them.
#![no_main]

use axum::body::Body;
use axum::http::{header, HeaderName, HeaderValue, Method, Request, Response, StatusCode, Uri};
use axum::Router;
use dcrctl::credentials::Secret;
use dcrctl::model::RegisteredVia;
use dcrctl::ops::{self, Actor, CreateToken, Register, Store};
use dcrctl::registration::{parse_document, Policy};
use dcrctl::server::{parse_rate_limit, router, AppState};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::cell::RefCell;
use std::path::PathBuf;
use tower::ServiceExt;

const ISSUER: &str = "https://as.example.com/t";
const PREFIX: &str = "/oauth";
const ADMIN: (&str, &str) = ("fuzz-admin", "fuzz-password");
/// At most this many header lines are read from an input.
const MAX_HEADERS: usize = 16;

/// The two clients every input can reach, with what they were registered with.
const CLIENTS: [(&str, &str); 2] = [
    (
        "client-one",
        r#"{"redirect_uris":["https://app.example.com/cb"],"client_name":"one","scope":"read write"}"#,
    ),
    (
        "client-two",
        r#"{"redirect_uris":["com.example.app:/cb"],"application_type":"native","token_endpoint_auth_method":"none"}"#,
    ),
];

struct Tracked {
    id: &'static str,
    rat: String,
    secret: Option<String>,
}

struct Fuzz {
    runtime: tokio::runtime::Runtime,
    app: Router,
    /// A connection of our own, for setting up and checking clients beside the server.
    store: Store,
    iat: String,
    clients: Vec<Tracked>,
}

thread_local! {
    static FUZZ: RefCell<Option<Fuzz>> = const { RefCell::new(None) };
}

/// A folder for this process's database: in memory when the machine has `/dev/shm`, since
/// every write is fsynced. Folders of earlier runs whose process is gone are removed first
/// (libFuzzer ends with `exit`, so nothing of ours runs at the end).
fn database_folder() -> PathBuf {
    let shm = PathBuf::from("/dev/shm");
    let base = if shm.is_dir() {
        shm
    } else {
        std::env::temp_dir()
    };
    if let Ok(entries) = std::fs::read_dir(&base) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(pid) = name
                .to_str()
                .and_then(|n| n.strip_prefix("dcrctl-fuzz-http-"))
            else {
                continue;
            };
            if !PathBuf::from(format!("/proc/{pid}")).exists() {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    let folder = base.join(format!("dcrctl-fuzz-http-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir(&folder).expect("create the fuzz database folder");
    folder
}

fn actor() -> Actor {
    Actor::cli("fuzz")
}

/// Register `CLIENTS[index]` anew.
fn register(store: &mut Store, index: usize) -> Tracked {
    let (id, metadata) = CLIENTS[index];
    let created = ops::register(
        store,
        &actor(),
        &Policy::default(),
        Register {
            metadata: parse_document(metadata.as_bytes()).expect("a valid seed client"),
            client_id: Some(id.to_owned()),
            client_secret: None,
            secret_expires_in: None,
            via: RegisteredVia::Http,
        },
        &mut ops::after_commit,
    )
    .expect("register a seed client");
    Tracked {
        id,
        rat: created
            .registration_access_token
            .expect("a new client's token"),
        secret: created.client_secret,
    }
}

fn setup() -> Fuzz {
    let db = database_folder().join("clients.db");
    let mut store = Store::open(&db).expect("open the fuzz database");
    ops::add_admin(
        &mut store,
        &actor(),
        ADMIN.0,
        &Secret::new(ADMIN.1.to_owned()),
    )
    .expect("add the admin");
    let iat = ops::create_initial_access_token(
        &mut store,
        &actor(),
        CreateToken {
            expires_in: None,
            max_uses: None,
            note: Some("fuzz".into()),
        },
        &mut ops::after_commit,
    )
    .expect("mint an initial access token")
    .token
    .expose()
    .to_owned();
    let clients = (0..CLIENTS.len())
        .map(|i| register(&mut store, i))
        .collect();
    // Open registration, with a limit high enough that anonymous documents reach validation.
    let state = AppState::new(
        ops::Location::Sqlite(db),
        ISSUER,
        PREFIX,
        true,
        Policy::default(),
    )
    .expect("a valid issuer and prefix")
    .with_rate_limit(parse_rate_limit("1000000/s").expect("a valid rate limit"));
    // Current-thread: one request at a time, and the router's `spawn_blocking` still works.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    Fuzz {
        runtime,
        app: router(state),
        store,
        iat,
        clients,
    }
}

/// A request as the input spells it, before placeholders are filled in.
struct Raw<'a> {
    method: &'a [u8],
    target: &'a [u8],
    headers: Vec<(&'a [u8], &'a [u8])>,
    body: &'a [u8],
}

fn parse(data: &[u8]) -> Raw<'_> {
    let (head, body) = match data.windows(2).position(|w| w == b"\n\n") {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &[][..]),
    };
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line));
    let first = lines.next().unwrap_or_default();
    let (method, target) = match first.iter().position(|&b| b == b' ') {
        Some(at) => (&first[..at], &first[at + 1..]),
        None => (first, &b"/"[..]),
    };
    let headers = lines
        .take(MAX_HEADERS)
        .filter_map(|line| {
            let at = line.iter().position(|&b| b == b':')?;
            let value = &line[at + 1..];
            Some((&line[..at], value.strip_prefix(b" ").unwrap_or(value)))
        })
        .collect();
    Raw {
        method,
        target,
        headers,
        body,
    }
}

fn replace_all(text: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.windows(from.len()).position(|w| w == from) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(to);
        rest = &rest[at + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

impl Fuzz {
    fn fill(&mut self, text: &[u8]) -> Vec<u8> {
        if !text.contains(&b'{') {
            return text.to_vec();
        }
        let mut out = text.to_vec();
        let admin = base64(format!("{}:{}", ADMIN.0, ADMIN.1).as_bytes());
        let etag = ops::show(&mut self.store, self.clients[0].id)
            .map(|client| format!("\"r{}\"", client.revision))
            .unwrap_or_default();
        let secret = self.clients[0].secret.clone().unwrap_or_default();
        let iat64 = base64(self.iat.as_bytes());
        for (from, to) in [
            ("{IAT}", self.iat.as_str()),
            ("{IAT64}", iat64.as_str()),
            ("{RAT}", self.clients[0].rat.as_str()),
            ("{RAT2}", self.clients[1].rat.as_str()),
            ("{SECRET}", secret.as_str()),
            ("{ADMIN}", admin.as_str()),
            ("{ETAG}", etag.as_str()),
        ] {
            out = replace_all(&out, from.as_bytes(), to.as_bytes());
        }
        out
    }

    fn send(&self, request: Request<Body>) -> (Response<Body>, Vec<u8>) {
        self.runtime.block_on(async {
            let response = self
                .app
                .clone()
                .oneshot(request)
                .await
                .expect("the router is infallible");
            let (parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .expect("a response body can be read");
            (Response::from_parts(parts, Body::empty()), bytes.to_vec())
        })
    }

    /// Every secret this input could know, which no error response may repeat.
    fn secrets(&self) -> Vec<String> {
        let mut all = vec![self.iat.clone(), ADMIN.1.to_owned()];
        for client in &self.clients {
            all.push(client.rat.clone());
            all.extend(client.secret.clone());
        }
        all
    }

    fn one(&mut self, data: &[u8]) {
        let raw = parse(data);
        let Ok(method) = Method::from_bytes(raw.method) else {
            return;
        };
        let Ok(uri) = Uri::try_from(self.fill(raw.target)) else {
            return;
        };
        let mut builder = Request::builder().method(method.clone()).uri(uri);
        for (name, value) in &raw.headers {
            let value = self.fill(value);
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name),
                HeaderValue::from_bytes(&value),
            ) {
                builder = builder.header(name, value);
            }
        }
        // Real requests carry a Host (hyper's clients always send one); without it every input
        // would stop at the Host check. An input may still send its own, or two.
        let has_host = raw
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case(b"host"));
        if !has_host {
            builder = builder.header(header::HOST, "as.example.com");
        }
        let body = self.fill(raw.body);
        let target = request_target(&builder);
        // A credential the request itself carries in its body or target may come back in a
        // message about that field; any other is a leak.
        let secrets: Vec<String> = self
            .secrets()
            .into_iter()
            .filter(|s| {
                !contains(&body, s.as_bytes()) && !contains(target.as_bytes(), s.as_bytes())
            })
            .collect();
        let Ok(request) = builder.body(Body::from(body)) else {
            return;
        };
        let bearer = bearer_of(request.headers());
        let basic = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.trim()
                    .get(..6)
                    .is_some_and(|s| s.eq_ignore_ascii_case("basic "))
            });
        let rats_before: Vec<String> = self.clients.iter().map(|c| c.rat.clone()).collect();

        let (response, body) = self.send(request);
        let status = response.status();
        let headers = response.headers();
        assert!(!status.is_server_error(), "{status}: {}", show(&body));
        let json: Option<Value> = if body.is_empty() {
            None
        } else {
            Some(serde_json::from_slice(&body).unwrap_or_else(|e| {
                panic!("{status}: a body that is not JSON ({e}): {}", show(&body))
            }))
        };
        if json.is_some() {
            let kind = headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok());
            assert_eq!(kind, Some("application/json"), "{status}");
        }
        if status == StatusCode::METHOD_NOT_ALLOWED {
            assert!(headers.contains_key(header::ALLOW), "405 without Allow");
        }
        if status == StatusCode::UNAUTHORIZED {
            let challenge = headers
                .get(header::WWW_AUTHENTICATE)
                .and_then(|v| v.to_str().ok())
                .expect("every 401 has a challenge");
            // RFC 6750 §3.1: a missing credential gets a bare challenge; a rejected token's
            // challenge and body both say invalid_token.
            if challenge.contains("error=") {
                let code = json.as_ref().map(|j| j["error"].clone());
                assert_eq!(code, Some(Value::from("invalid_token")), "{challenge}");
            }
        }
        if status.is_client_error() && !body.is_empty() {
            let json = json.as_ref().expect("parsed above");
            assert!(json["error"].is_string(), "{status}: {json}");
            assert!(json["error_description"].is_string(), "{status}: {json}");
            for secret in &secrets {
                assert!(
                    !contains(&body, secret.as_bytes()),
                    "{status}: an error response repeats a credential"
                );
            }
        } else if status.is_client_error() {
            assert_eq!(status, StatusCode::UNAUTHORIZED, "an error without a body");
        }

        // Client information: never cached, and only for the credential that may see it.
        let information = status.is_success()
            && (json
                .as_ref()
                .is_some_and(|j| j.get("client_id").is_some() || j.is_array())
                || status == StatusCode::NO_CONTENT);
        if information {
            assert_eq!(headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
            assert_eq!(headers.get(header::PRAGMA).unwrap(), "no-cache");
            if status != StatusCode::NO_CONTENT {
                assert!(headers.contains_key(header::ETAG), "{status} without ETag");
            }
        }
        if status == StatusCode::CREATED {
            let created = json.as_ref().expect("201 has a body");
            assert!(created["registration_access_token"].is_string());
            let uri = created["registration_client_uri"].as_str().unwrap();
            assert!(uri.starts_with(&format!("{ISSUER}{PREFIX}/register/")));
            assert!(headers.contains_key(header::LOCATION));
            assert!(!bearer.as_ref().is_some_and(|t| rats_before.contains(t)));
        }
        if matches!(status, StatusCode::OK | StatusCode::NO_CONTENT) && information && !basic {
            // Without the admin, only a client's own current token opens it.
            let token = bearer.as_deref().unwrap_or_else(|| {
                panic!("{method} {status}: client information without a credential")
            });
            let owner = rats_before
                .iter()
                .position(|rat| rat == token)
                .unwrap_or_else(|| panic!("{method} {status}: opened by a stranger's token"));
            if let Some(Value::Object(answer)) = &json {
                assert_eq!(answer["client_id"], self.clients[owner].id);
            } else {
                let gone = ops::show(&mut self.store, self.clients[owner].id).is_err();
                assert!(gone, "204 but the client is still there");
            }
        }
        self.follow(json.as_ref());
        if method == Method::DELETE && status.is_success() {
            for index in 0..self.clients.len() {
                if ops::show(&mut self.store, self.clients[index].id).is_err() {
                    self.clients[index] = register(&mut self.store, index);
                }
            }
        }
    }

    /// Keep the tracked credentials current; a token replaced by a rotation must be dead.
    fn follow(&mut self, json: Option<&Value>) {
        let Some(Value::Object(answer)) = json else {
            return;
        };
        let Some(index) = self
            .clients
            .iter()
            .position(|c| answer.get("client_id").and_then(Value::as_str) == Some(c.id))
        else {
            return;
        };
        if let Some(secret) = answer.get("client_secret").and_then(Value::as_str) {
            self.clients[index].secret = Some(secret.to_owned());
        }
        let Some(rat) = answer
            .get("registration_access_token")
            .and_then(Value::as_str)
        else {
            return;
        };
        if rat == self.clients[index].rat {
            return;
        }
        let old = std::mem::replace(&mut self.clients[index].rat, rat.to_owned());
        let probe = Request::get(format!("{PREFIX}/register/{}", self.clients[index].id))
            .header(header::AUTHORIZATION, format!("Bearer {old}"))
            .header(header::HOST, "as.example.com")
            .body(Body::empty())
            .unwrap();
        let (response, _) = self.send(probe);
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "a rotated token still works"
        );
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// The request target being built, as text.
fn request_target(builder: &axum::http::request::Builder) -> String {
    builder
        .uri_ref()
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// The token of an `Authorization: Bearer` header, as the server reads it.
fn bearer_of(headers: &axum::http::HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, rest) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| rest.trim().to_owned())
}

/// A response body for an assertion message, short and with no control characters.
fn show(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(300)])
        .escape_debug()
        .to_string()
}

fuzz_target!(|data: &[u8]| {
    FUZZ.with(|cell| {
        let mut slot = cell.borrow_mut();
        slot.get_or_insert_with(setup).one(data);
    });
});

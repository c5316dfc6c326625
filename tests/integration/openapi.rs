//! `docs/openapi.json` against the live `dcrctl serve`: a scripted session drives every
//! documented operation and many error cases, and every response is checked against the
//! document — the path and method exist (or the documented 404/405 fallback applies), the
//! status is documented, the body validates against the documented schema, and the
//! documented required headers are present. A second test proves every documented
//! operation was exercised, so the document cannot describe routes the server lacks.

use crate::http::{mint_token, Server};
use crate::util::TestEnv;
use reqwest::blocking::RequestBuilder;
use reqwest::header::{self, HeaderMap};
use reqwest::Method;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use std::sync::OnceLock;

const ADMIN: (&str, &str) = ("root", "correct horse battery");

/// The OpenAPI document.
fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/openapi.json");
        let text = std::fs::read_to_string(path).expect("read docs/openapi.json");
        serde_json::from_str(&text).expect("docs/openapi.json is JSON")
    })
}

/// `value` with its `$ref` chain followed (local references only).
fn resolve(value: &Value) -> &Value {
    let mut value = value;
    for _ in 0..16 {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            return value;
        };
        let pointer = reference
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("non-local $ref {reference}"));
        value = document()
            .pointer(pointer)
            .unwrap_or_else(|| panic!("dangling $ref {reference}"));
    }
    panic!("$ref cycle at {value}")
}

/// The minimal JSON Schema validator: `type`, `enum`, `required`, `properties`,
/// `additionalProperties` and `items` (plus `$ref`); other keywords are annotations here.
fn validate(schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    let schema = resolve(schema);
    if let Some(kind) = schema.get("type").and_then(Value::as_str) {
        let ok = match kind {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            other => return Err(format!("{at}: unsupported schema type {other}")),
        };
        if !ok {
            return Err(format!("{at}: expected {kind}, got {value}"));
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            return Err(format!("{at}: {value} is not one of {allowed:?}"));
        }
    }
    if let Some(object) = value.as_object() {
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = name.as_str().expect("required names are strings");
            if !object.contains_key(name) {
                return Err(format!("{at}: missing required member {name}"));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (name, member) in object {
            let here = format!("{at}.{name}");
            match (
                properties.and_then(|p| p.get(name)),
                schema.get("additionalProperties"),
            ) {
                (Some(property), _) => validate(property, member, &here)?,
                (None, Some(Value::Bool(false))) => {
                    return Err(format!("{here}: not allowed (additionalProperties: false)"))
                }
                (None, Some(extra @ Value::Object(_))) => validate(extra, member, &here)?,
                (None, _) => {}
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, item) in array.iter().enumerate() {
            validate(items, item, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

/// The documented path template that `path` (no query) matches, if any.
fn template_of(path: &str) -> Option<&'static str> {
    let segments: Vec<&str> = path.split('/').collect();
    document()["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .find(|template| {
            let parts: Vec<&str> = template.split('/').collect();
            parts.len() == segments.len()
                && parts.iter().zip(&segments).all(|(part, segment)| {
                    part == segment || (part.starts_with('{') && !segment.is_empty())
                })
        })
        .map(String::as_str)
}

/// One response, read in full.
struct Answer {
    status: u16,
    headers: HeaderMap,
    body: Value,
}

impl Answer {
    fn header(&self, name: header::HeaderName) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    }

    fn text(&self, member: &str) -> String {
        self.body[member]
            .as_str()
            .unwrap_or_else(|| panic!("no {member} in {}", self.body))
            .to_owned()
    }
}

/// Sends requests and checks every response against the document.
struct Checker<'a> {
    server: &'a Server,
    exercised: BTreeSet<(String, String)>,
}

impl Checker<'_> {
    /// Send `request` (`method path`), check the response against the document, and assert
    /// the status is `expected`.
    #[track_caller]
    fn send(
        &mut self,
        method: Method,
        path: &str,
        expected: u16,
        build: impl FnOnce(RequestBuilder) -> RequestBuilder,
        sent: Option<&Value>,
    ) -> Answer {
        let request = self
            .server
            .client
            .request(method.clone(), self.server.url(path));
        let response = build(request).send().expect("request");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().expect("body");
        let what = format!("{method} {path} -> {status}");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                panic!(
                    "{what}: body is not JSON ({e}): {}",
                    String::from_utf8_lossy(&bytes)
                )
            })
        };
        assert_eq!(status, expected, "{what}: {body}");
        let answer = Answer {
            status,
            headers,
            body,
        };
        let doc = document();
        let bare = path.split('?').next().unwrap();
        let described = match template_of(bare) {
            None => &doc["x-fallback-responses"]["404"],
            Some(template) => {
                let method_name = method.as_str().to_ascii_lowercase();
                match doc["paths"][template].get(&method_name) {
                    None => &doc["x-fallback-responses"]["405"],
                    Some(operation) => {
                        self.exercised.insert((template.to_owned(), method_name));
                        if let (true, Some(sent)) = ((200..300).contains(&status), sent) {
                            let schema = &resolve(&operation["requestBody"])["content"]
                                ["application/json"]["schema"];
                            validate(schema, sent, "request")
                                .unwrap_or_else(|e| panic!("{what}: accepted body: {e}"));
                        }
                        operation["responses"]
                            .get(status.to_string())
                            .unwrap_or_else(|| panic!("{what}: status not documented"))
                    }
                }
            }
        };
        // A fallback applies only to its own status.
        assert!(
            template_of(bare).is_some_and(|t| doc["paths"][t]
                .get(method.as_str().to_ascii_lowercase())
                .is_some())
                || (template_of(bare).is_none() && status == 404)
                || (template_of(bare).is_some() && status == 405),
            "{what}: undocumented route answered other than its fallback"
        );
        check_response(&what, resolve(described), &answer);
        answer
    }

    #[track_caller]
    fn get(&mut self, path: &str, expected: u16, auth: Auth<'_>) -> Answer {
        self.send(Method::GET, path, expected, |r| auth.apply(r), None)
    }

    #[track_caller]
    fn json(
        &mut self,
        method: Method,
        path: &str,
        expected: u16,
        auth: Auth<'_>,
        body: &Value,
    ) -> Answer {
        self.send(
            method,
            path,
            expected,
            |r| auth.apply(r).json(body),
            Some(body),
        )
    }

    #[track_caller]
    fn raw(
        &mut self,
        method: Method,
        path: &str,
        expected: u16,
        auth: Auth<'_>,
        mime: &str,
        body: Vec<u8>,
    ) -> Answer {
        self.send(
            method,
            path,
            expected,
            |r| auth.apply(r).header(header::CONTENT_TYPE, mime).body(body),
            None,
        )
    }
}

/// `(c)` and `(d)`: the body against the documented schema, the documented headers.
#[track_caller]
fn check_response(what: &str, described: &Value, answer: &Answer) {
    assert!(described["description"].is_string(), "{what}: {described}");
    let schema = described
        .get("content")
        .map(|content| &content["application/json"]["schema"]);
    match (schema, &answer.body) {
        (Some(_), Value::Null) => assert!(
            answer.status == 401 && answer.headers.contains_key(header::WWW_AUTHENTICATE),
            "{what}: documented body missing"
        ),
        (Some(schema), body) => {
            let mime = answer
                .headers
                .get(header::CONTENT_TYPE)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default();
            assert!(mime.starts_with("application/json"), "{what}: {mime}");
            validate(schema, body, "body").unwrap_or_else(|e| panic!("{what}: {e}"));
        }
        (None, Value::Null) => {}
        (None, body) => panic!("{what}: undocumented body {body}"),
    }
    let headers = described.get("headers").and_then(Value::as_object);
    for (name, header) in headers.into_iter().flatten() {
        let header = resolve(header);
        let value = answer
            .headers
            .get(name.as_str())
            .map(|v| v.to_str().unwrap());
        match value {
            None => assert!(
                header["required"] != json!(true),
                "{what}: required header {name} missing"
            ),
            Some(value) => {
                let value = match header["schema"]["type"].as_str() {
                    Some("integer") => json!(value.parse::<i64>().unwrap_or_else(|_| panic!(
                        "{what}: header {name}: {value} is not an integer"
                    ))),
                    _ => json!(value),
                };
                validate(&header["schema"], &value, name)
                    .unwrap_or_else(|e| panic!("{what}: header {e}"));
            }
        }
    }
}

/// How a request authenticates.
#[derive(Clone, Copy)]
enum Auth<'a> {
    None,
    Bearer(&'a str),
    Basic(&'a str),
}

impl Auth<'_> {
    fn apply(self, request: RequestBuilder) -> RequestBuilder {
        match self {
            Auth::None => request,
            Auth::Bearer(token) => request.bearer_auth(token),
            Auth::Basic(password) => request.basic_auth(ADMIN.0, Some(password)),
        }
    }
}

fn web_client(name: &str) -> Value {
    json!({ "client_name": name, "redirect_uris": ["https://app.example.com/callback"] })
}

/// The scripted session; returns the `(path, method)` operations it exercised.
fn session() -> BTreeSet<(String, String)> {
    let env = TestEnv::new();
    env.run_stdin(&["admin", "add", ADMIN.0, "--password-stdin"], ADMIN.1)
        .ok();
    let iat = mint_token(&env, None);
    let server = Server::start(&env, &["--open-registration", "--rate-limit", "1/min"]);
    let mut c = Checker {
        server: &server,
        exercised: BTreeSet::new(),
    };
    let admin = Auth::Basic(ADMIN.1);

    // Root routes.
    assert_eq!(c.get("/healthz", 200, Auth::None).body["status"], "ok");
    for path in [
        "/.well-known/oauth-authorization-server",
        "/.well-known/openid-configuration",
    ] {
        let doc = c.get(path, 200, Auth::None).body;
        assert_eq!(
            doc["registration_endpoint"],
            "https://auth.example.com/register"
        );
    }

    // Registration, and its errors.
    let created = c.json(
        Method::POST,
        "/register",
        201,
        Auth::Bearer(&iat),
        &web_client("web"),
    );
    let id = created.text("client_id");
    let rat = created.text("registration_access_token");
    let first_etag = created.header(header::ETAG);
    assert_eq!(
        created.header(header::LOCATION),
        created.text("registration_client_uri")
    );
    assert!(created.body["client_secret"].is_string());
    let public = json!({
        "client_name": "cli app",
        "token_endpoint_auth_method": "none",
        "redirect_uris": ["http://127.0.0.1/callback"],
        "client_name#fr": "appli",
        "x_custom": {"kept": [1, 2]},
    });
    let anonymous = c.json(Method::POST, "/register", 201, Auth::None, &public);
    assert!(anonymous.body.get("client_secret").is_none());
    assert!(anonymous.body.get("client_secret_expires_at").is_none());
    let public_id = anonymous.text("client_id");
    let public_rat = anonymous.text("registration_access_token");
    let limited = c.json(Method::POST, "/register", 429, Auth::None, &public);
    assert_eq!(limited.body["error"], "too_many_requests");
    let bad = c.json(
        Method::POST,
        "/register",
        401,
        Auth::Bearer("nope"),
        &web_client("x"),
    );
    assert_eq!(bad.body["error"], "invalid_token");
    c.json(
        Method::POST,
        "/register",
        401,
        Auth::Basic("wrong"),
        &web_client("x"),
    );
    let body = web_client("x").to_string().into_bytes();
    c.raw(
        Method::POST,
        "/register",
        415,
        Auth::Bearer(&iat),
        "text/plain",
        body,
    );
    let big = json!({ "redirect_uris": ["https://app.example.com/cb"], "x": "y".repeat(70_000) });
    let big = big.to_string().into_bytes();
    c.raw(
        Method::POST,
        "/register",
        413,
        Auth::Bearer(&iat),
        "application/json",
        big.clone(),
    );
    let invalid = json!({ "redirect_uris": ["javascript:alert(1)"] });
    let invalid = c.json(Method::POST, "/register", 400, Auth::Bearer(&iat), &invalid);
    assert_eq!(invalid.body["error"], "invalid_redirect_uri");
    let not_json = b"{\"client_name\": ".to_vec();
    c.raw(
        Method::POST,
        "/register",
        400,
        Auth::Bearer(&iat),
        "application/json",
        not_json,
    );
    let mut chosen = web_client("partner");
    chosen["client_id"] = json!("partner-app");
    chosen["ext_param_client_secret"] = json!("s3cret-chosen-by-the-admin");
    c.json(Method::POST, "/register", 201, admin, &chosen);
    c.json(Method::POST, "/register", 409, admin, &chosen);

    // Lookup by name.
    let found = c.get("/register?client_name=web", 200, admin).body;
    assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");
    c.get("/register?client_name=web", 401, Auth::None);
    c.get("/register?client_name=web", 401, Auth::Bearer(&rat));
    c.get("/register", 400, admin);

    // Read.
    let path = format!("/register/{id}");
    let read = c.get(&path, 200, Auth::Bearer(&rat));
    assert_eq!(read.text("registration_access_token"), rat);
    let unauthenticated = c.get(&path, 401, Auth::None);
    assert_eq!(unauthenticated.header(header::WWW_AUTHENTICATE), "Bearer");
    c.get(&path, 401, Auth::Bearer(&public_rat));
    c.get("/register/no-such-client", 401, admin);
    c.get("/register/partner-app", 200, admin);

    // Replace.
    let mut replacement = read.body.clone();
    for member in [
        "client_secret",
        "registration_access_token",
        "registration_client_uri",
        "client_id_issued_at",
        "client_secret_expires_at",
    ] {
        replacement.as_object_mut().unwrap().remove(member);
    }
    replacement["client_name"] = json!("web, renamed");
    let put = |c: &mut Checker<'_>, expected, etag: &str, body: &Value| {
        let rat = rat.clone();
        c.send(
            Method::PUT,
            &path,
            expected,
            |r| r.bearer_auth(rat).header(header::IF_MATCH, etag).json(body),
            (expected == 200).then_some(body),
        )
    };
    let replaced = put(&mut c, 200, &first_etag, &replacement);
    assert_eq!(replaced.body["client_name"], "web, renamed");
    let etag = replaced.header(header::ETAG);
    assert_ne!(etag, first_etag);
    put(&mut c, 412, &first_etag, &replacement);
    let mut forbidden = replacement.clone();
    forbidden["registration_access_token"] = json!(rat);
    let refused = put(&mut c, 400, &etag, &forbidden);
    assert_eq!(refused.body["error"], "invalid_client_metadata");
    let body = replacement.to_string().into_bytes();
    c.raw(
        Method::PUT,
        &path,
        415,
        Auth::Bearer(&rat),
        "text/plain",
        body,
    );
    c.raw(
        Method::PUT,
        &path,
        413,
        Auth::Bearer(&rat),
        "application/json",
        big,
    );
    c.json(Method::PUT, &path, 401, Auth::None, &replacement);

    // Rotations.
    let secret_path = format!("{path}/secret");
    let rotated = c.send(
        Method::POST,
        &secret_path,
        200,
        |r| r.bearer_auth(&rat),
        None,
    );
    assert!(rotated.body["client_secret"].is_string());
    let public_secret = format!("/register/{public_id}/secret");
    let refused = c.send(
        Method::POST,
        &public_secret,
        400,
        |r| r.bearer_auth(&public_rat),
        None,
    );
    assert_eq!(refused.body["error"], "invalid_request");
    c.send(Method::POST, &secret_path, 401, |r| r, None);
    let token_path = format!("{path}/registration-token");
    let second = c.send(
        Method::POST,
        &token_path,
        200,
        |r| r.bearer_auth(&rat),
        None,
    );
    let second = second.text("registration_access_token");
    assert_ne!(second, rat);
    c.get(&path, 401, Auth::Bearer(&rat));
    let third = c.send(
        Method::DELETE,
        &token_path,
        200,
        |r| r.bearer_auth(&second),
        None,
    );
    let third = third.text("registration_access_token");
    c.send(
        Method::DELETE,
        &token_path,
        401,
        |r| r.bearer_auth(&second),
        None,
    );

    // Fallbacks: wrong method, unknown route.
    c.send(Method::PATCH, &path, 405, |r| r.bearer_auth(&third), None);
    c.get(&secret_path, 405, Auth::Bearer(&third));
    c.send(Method::PUT, "/healthz", 405, |r| r, None);
    c.send(Method::DELETE, "/register", 405, |r| r, None);
    c.get("/nope", 404, Auth::None);
    c.get("/oauth/register", 404, Auth::None);
    c.get(&format!("{path}/secret/extra"), 404, Auth::None);

    // Delete, with a stale and then no precondition.
    let stale = &etag;
    c.send(
        Method::DELETE,
        &path,
        412,
        |r| r.bearer_auth(&third).header(header::IF_MATCH, stale),
        None,
    );
    let deleted = c.send(Method::DELETE, &path, 204, |r| r.bearer_auth(&third), None);
    assert_eq!(deleted.body, Value::Null);
    c.get(&path, 401, Auth::Bearer(&third));
    c.send(Method::DELETE, &path, 401, |r| r.bearer_auth(&third), None);
    let mut exercised = c.exercised;

    // 403: a full registry.
    let full = TestEnv::new();
    full.register("already there");
    full.run_stdin(&["admin", "add", ADMIN.0, "--password-stdin"], ADMIN.1)
        .ok();
    let iat = mint_token(&full, None);
    let server = Server::start(
        &full,
        &["--max-clients", "1", "--admin-failure-limit", "1/min"],
    );
    let mut c = Checker {
        server: &server,
        exercised: BTreeSet::new(),
    };
    let refused = c.json(
        Method::POST,
        "/register",
        403,
        Auth::Bearer(&iat),
        &web_client("one too many"),
    );
    assert_eq!(refused.body["error"], "access_denied");
    c.json(
        Method::POST,
        "/register",
        401,
        Auth::None,
        &web_client("no token"),
    );
    // 429 for an address past its failed admin authentications, even with the password.
    c.get("/register?client_name=x", 401, Auth::Basic("wrong"));
    let limited = c.get("/register?client_name=x", 429, Auth::Basic(ADMIN.1));
    assert_eq!(limited.body["error"], "too_many_requests");
    exercised.append(&mut c.exercised);
    exercised
}

/// The session's outcome, run once for both tests: the exercised operations, or the
/// failure message.
fn outcome() -> &'static Result<BTreeSet<(String, String)>, String> {
    static OUTCOME: OnceLock<Result<BTreeSet<(String, String)>, String>> = OnceLock::new();
    OUTCOME.get_or_init(|| {
        std::panic::catch_unwind(session).map_err(|panic| {
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "the session panicked".into())
        })
    })
}

#[test]
fn every_response_of_the_live_server_conforms_to_the_document() {
    if let Err(failure) = outcome() {
        panic!("{failure}");
    }
}

#[test]
fn every_documented_operation_exists_on_the_live_server() {
    let exercised = outcome().as_ref().expect("the scripted session failed");
    let mut documented = BTreeSet::new();
    for (path, item) in document()["paths"].as_object().unwrap() {
        for (method, _) in item.as_object().unwrap() {
            if matches!(
                method.as_str(),
                "get" | "put" | "post" | "delete" | "patch" | "head" | "options"
            ) {
                documented.insert((path.clone(), method.clone()));
            }
        }
    }
    let missing: Vec<_> = documented.difference(exercised).collect();
    assert!(
        missing.is_empty(),
        "documented but never exercised: {missing:?}"
    );
    // The eleven operations of src/server/mod.rs, no more.
    assert_eq!(documented.len(), 11, "{documented:?}");
}

#[test]
fn the_document_is_well_formed_and_the_validator_bites() {
    let doc = document();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    // Never null: nothing is nullable, and every $ref resolves.
    fn walk(value: &Value) {
        match value {
            Value::Object(map) => {
                assert!(!map.contains_key("nullable"), "{value}");
                if map.contains_key("$ref") {
                    resolve(value);
                }
                map.values().for_each(walk);
            }
            Value::Array(items) => items.iter().for_each(walk),
            _ => {}
        }
    }
    walk(doc);
    // Every operation has an id, a security decision and described responses.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if matches!(method.as_str(), "parameters" | "servers") {
                continue;
            }
            assert!(operation["operationId"].is_string(), "{path} {method}");
            assert!(operation["security"].is_array(), "{path} {method}");
            for (code, response) in operation["responses"].as_object().unwrap() {
                assert!(
                    resolve(response)["description"].is_string(),
                    "{path} {method} {code}"
                );
            }
        }
    }
    let schema = json!({ "$ref": "#/components/schemas/ClientInformation" });
    let good = json!({ "client_id": "a", "client_id_issued_at": 1, "redirect_uris": [], "x": 1 });
    assert_eq!(validate(&schema, &good, "ok"), Ok(()));
    let mut bad: Map<String, Value> = good.as_object().unwrap().clone();
    bad.insert("client_secret".into(), Value::Null);
    assert!(validate(&schema, &Value::Object(bad), "null").is_err());
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("client_id");
    assert!(validate(&schema, &missing, "missing").is_err());
    let wrong_type = json!({ "client_id": "a", "client_id_issued_at": "1", "redirect_uris": [] });
    assert!(validate(&schema, &wrong_type, "type").is_err());
    let bad_item = json!({ "client_id": "a", "client_id_issued_at": 1, "redirect_uris": [1] });
    assert!(validate(&schema, &bad_item, "items").is_err());
    let bad_enum = json!({ "client_id": "a", "client_id_issued_at": 1, "redirect_uris": [], "application_type": "tv" });
    assert!(validate(&schema, &bad_enum, "enum").is_err());
    let health = json!({ "$ref": "#/components/schemas/Health" });
    assert!(validate(&health, &json!({ "status": "ok", "more": 1 }), "extra").is_err());
}

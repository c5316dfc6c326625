//! Hostile request heads over a well-formed client: content types, `Authorization`
//! variants, methods, client paths and forwarding headers. Bodies are in `hostile_http`,
//! malformed HTTP in `hostile_wire`; the same [`Fixture`] asserts status, `error` code,
//! challenge, an unchanged database and a live server.

use crate::hostile_http::{Fixture, ADMIN, CB, INVALID_TOKEN, ISSUER, SQL};
use crate::http::Server;
use crate::util::{all_cases, TestEnv};
use reqwest::header::{self, HeaderValue};
use reqwest::Method;
use serde_json::json;

const BASIC: &str = "Basic realm=\"dcrctl\"";

#[test]
fn bodies_that_are_not_application_json_are_415() {
    let f = Fixture::start();
    let body = json!({ "redirect_uris": [CB] }).to_string();
    let cases: Vec<(&str, Option<&str>)> = vec![
        ("no content type", None),
        ("text/json", Some("text/json")),
        (
            "application/json-patch+json",
            Some("application/json-patch+json"),
        ),
        ("application/jsonx", Some("application/jsonx")),
        ("application/x-json", Some("application/x-json")),
        ("form", Some("application/x-www-form-urlencoded")),
        ("multipart", Some("multipart/form-data; boundary=x")),
        ("a list of types", Some("application/json, text/plain")),
        ("empty", Some("")),
    ];
    all_cases(&cases, |content_type| {
        f.refused(415, Some("invalid_request"), None, || {
            let mut request = f
                .request(Method::POST, "/register")
                .bearer_auth(&f.iat)
                .body(body.clone());
            if let Some(content_type) = content_type {
                request = request.header(header::CONTENT_TYPE, *content_type);
            }
            f.send(request)
        });
    });
}

/// An `Authorization` value with the `error` code and challenge it must get.
type AuthCase = (Vec<u8>, Option<&'static str>, Option<&'static str>);

#[test]
fn authorization_variants_are_401_with_the_right_challenge() {
    let f = Fixture::start();
    let b64 = |text: &[u8]| base64(text);
    let huge = format!("Bearer {}", "a".repeat(100_000));
    let wrong_iat = format!("Bearer {}", b64(b"dcriat_nope"));
    let basic_nul = format!("Basic {}", b64(b"ro\0ot:correct horse battery"));
    let basic_wrong = format!("Basic {}", b64(b"root:wrong"));
    let basic_no_colon = format!("Basic {}", b64(b"rootcorrect"));
    let twice = format!("Bearer Bearer {}", f.iat);
    let spaced = format!("Bearer {} extra", f.iat);
    let rat_as_iat = format!("Bearer {}", f.rat);
    let bearer = Some(INVALID_TOKEN);
    let basic = Some(BASIC);
    let token = Some("invalid_token");
    let cases: Vec<(&str, AuthCase)> = vec![
        ("empty Bearer", (b"Bearer".to_vec(), token, bearer)),
        ("Bearer and spaces", (b"Bearer    ".to_vec(), token, bearer)),
        ("Bearer twice", (twice.into_bytes(), token, bearer)),
        (
            "lowercase bearer, wrong token",
            (b"bearer dcriat_nope".to_vec(), token, bearer),
        ),
        (
            "token with a space inside",
            (spaced.into_bytes(), token, bearer),
        ),
        (
            "a RAT used as an initial access token",
            (rat_as_iat.into_bytes(), token, bearer),
        ),
        (
            "base64 of a wrong token",
            (wrong_iat.into_bytes(), token, bearer),
        ),
        ("100 KB token", (huge.into_bytes(), token, bearer)),
        (
            "non-ASCII bytes",
            (b"Bearer \xff\xfe".to_vec(), token, bearer),
        ),
        (
            "Basic with invalid base64",
            (b"Basic !!!***".to_vec(), token, basic),
        ),
        (
            "Basic with base64url alphabet",
            (b"Basic cm9vd-_6eA".to_vec(), token, basic),
        ),
        (
            "Basic without a colon",
            (basic_no_colon.into_bytes(), token, basic),
        ),
        (
            "Basic with a wrong password",
            (basic_wrong.into_bytes(), token, basic),
        ),
        (
            "Basic with NUL in the name",
            (basic_nul.into_bytes(), token, basic),
        ),
        ("empty Basic", (b"Basic".to_vec(), token, basic)),
        (
            "unknown scheme",
            (b"Digest username=\"root\"".to_vec(), None, Some("Bearer")),
        ),
        (
            "scheme only, no space",
            (b"Negotiate".to_vec(), None, Some("Bearer")),
        ),
    ];
    let body = json!({ "redirect_uris": [CB] });
    all_cases(&cases, |(value, code, challenge)| {
        f.refused(401, *code, *challenge, || {
            let value = HeaderValue::from_bytes(value).expect("header value");
            f.send(
                f.request(Method::POST, "/register")
                    .header(header::AUTHORIZATION, value)
                    .json(&body),
            )
        });
    });
    // An initial access token is no registration access token either.
    let path = format!("/register/{}", f.client_id);
    f.refused(401, Some("invalid_token"), Some(INVALID_TOKEN), || {
        f.send(f.request(Method::GET, &path).bearer_auth(&f.iat))
    });
}

/// RFC 9110 §11.6.2 makes `Authorization` a single field, and RFC 6750 §3.1 answers a request
/// that repeats its credential with `400 invalid_request`. Taking the first of two lets a
/// proxy and the registry disagree on who is calling.
#[test]
#[ignore = "BUG: two Authorization headers are not refused; the first one is used (201)"]
fn two_authorization_headers_are_a_bad_request() {
    let f = Fixture::start();
    f.refused(400, Some("invalid_request"), None, || {
        f.send(
            f.request(Method::POST, "/register")
                .header(header::AUTHORIZATION, format!("Bearer {}", f.iat))
                .header(header::AUTHORIZATION, "Bearer dcriat_nope")
                .json(&json!({ "redirect_uris": [CB] })),
        )
    });
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn methods_a_route_does_not_have_are_405_with_allow() {
    let f = Fixture::start();
    let client = format!("/register/{}", f.client_id);
    let method = |name: &str| Method::from_bytes(name.as_bytes()).expect("method");
    let cases: Vec<(&str, (Method, &str))> = vec![
        ("PATCH a client", (Method::PATCH, client.as_str())),
        ("POST a client", (Method::POST, client.as_str())),
        ("PUT /register", (Method::PUT, "/register")),
        ("DELETE /register", (Method::DELETE, "/register")),
        ("TRACE /register", (Method::TRACE, "/register")),
        ("OPTIONS /register", (Method::OPTIONS, "/register")),
        ("made-up method", (method("FOO"), "/register")),
        ("POST /healthz", (Method::POST, "/healthz")),
        (
            "DELETE discovery",
            (Method::DELETE, "/.well-known/oauth-authorization-server"),
        ),
    ];
    all_cases(&cases, |(method, path)| {
        let reply = f.refused(405, Some("method_not_allowed"), None, || {
            f.send(f.request(method.clone(), path).bearer_auth(&f.rat))
        });
        assert!(
            reply.header("allow").is_some_and(|a| !a.is_empty()),
            "no Allow"
        );
    });
}

#[test]
fn hostile_client_paths_are_401_never_404_or_500() {
    let f = Fixture::start();
    let long = format!("/register/{}", "a".repeat(8_000));
    let cases: Vec<(&str, &str)> = vec![
        ("encoded traversal", "/register/..%2F..%2Fetc%2Fpasswd"),
        ("invalid percent-encoded UTF-8", "/register/%ff%fe"),
        ("encoded NUL", "/register/a%00b"),
        ("encoded CR LF header", "/register/a%0d%0aSet-Cookie:%20x=1"),
        ("8,000-character id", long.as_str()),
        ("encoded bidi override", "/register/abc%E2%80%AEfed"),
        ("SQL", "/register/%27%3B%20DROP%20TABLE%20clients%3B--"),
    ];
    all_cases(&cases, |path| {
        let reply = f.refused(401, Some("invalid_token"), Some(INVALID_TOKEN), || {
            f.send(f.request(Method::GET, path).bearer_auth(&f.rat))
        });
        assert!(reply.header("set-cookie").is_none());
    });
    for path in [
        "//register",
        "/REGISTER",
        "/register/a/b/c",
        "/register%2Fx",
    ] {
        f.refused(404, Some("not_found"), None, || {
            f.send(f.request(Method::GET, path).bearer_auth(&f.rat))
        });
    }
}

/// SPEC §5: a missing credential is a bare `Bearer` challenge. A client path that does not
/// decode is treated as an unknown client, and an unknown client without a credential gets
/// the bare challenge, so this one should too.
#[test]
#[ignore = "BUG: an undecodable client path without a credential answers invalid_token, not a bare Bearer challenge"]
fn an_undecodable_path_without_a_credential_is_a_missing_credential() {
    let f = Fixture::start();
    f.refused(401, None, Some("Bearer"), || {
        f.send(f.request(Method::GET, "/register/nosuchclient"))
    });
    f.refused(401, None, Some("Bearer"), || {
        f.send(f.request(Method::GET, "/register/%ff"))
    });
}

#[test]
fn host_and_forwarding_headers_never_change_the_issuer() {
    let f = Fixture::start();
    let reply = f.send(
        f.request(Method::POST, "/register")
            .bearer_auth(&f.iat)
            .header(header::HOST, "evil.example")
            .header("X-Forwarded-Host", "evil.example")
            .header("X-Forwarded-Proto", "http")
            .header("Forwarded", "host=evil.example;proto=http")
            .json(&json!({ "redirect_uris": [CB] })),
    );
    assert_eq!(reply.status, 201);
    let id = reply.json()["client_id"].as_str().expect("id").to_owned();
    let expected = format!("{ISSUER}/register/{id}");
    assert_eq!(reply.json()["registration_client_uri"], expected.as_str());
    assert_eq!(reply.header("location"), Some(expected.as_str()));
}

#[test]
fn hostile_if_match_values_are_412() {
    let f = Fixture::start();
    let path = format!("/register/{}", f.client_id);
    let cases = [
        ("revision past i64", "\"r99999999999999999999\""),
        ("negative revision", "\"r-1\""),
        ("weak tag of the current revision", "W/\"r1\""),
        ("escaped NUL in the tag", "\"r1\\u0000\""),
        ("star in a list", "*, \"r1\""),
        ("unquoted", "r1"),
    ];
    all_cases(&cases, |tag| {
        f.refused(412, Some("precondition_failed"), None, || {
            f.send(
                f.request(Method::PUT, &path)
                    .bearer_auth(&f.rat)
                    .header(header::IF_MATCH, *tag)
                    .json(&json!({ "redirect_uris": [CB] })),
            )
        });
    });
    f.refused(412, Some("precondition_failed"), None, || {
        f.send(
            f.request(Method::DELETE, &path)
                .bearer_auth(&f.rat)
                .header(header::IF_MATCH, "\"r0\""),
        )
    });
}

/// A PUT body, its content type, and the status and `error` code it must get.
type Replacement = (String, &'static str, u16, Option<&'static str>);

#[test]
fn hostile_replacement_documents_change_nothing() {
    let f = Fixture::start();
    let path = format!("/register/{}", f.client_id);
    let deep = format!(
        r#"{{"redirect_uris":["{CB}"],"x":{}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let big = format!(
        r#"{{"redirect_uris":["{CB}"],"x":"{}"}}"#,
        "a".repeat(70_000)
    );
    let doc = |extra: serde_json::Value| {
        let mut doc = json!({ "redirect_uris": [CB] });
        for (key, value) in extra.as_object().expect("object") {
            doc[key] = value.clone();
        }
        doc.to_string()
    };
    let metadata = Some("invalid_client_metadata");
    let cases: Vec<(&str, Replacement)> = vec![
        (
            "client_id with SQL",
            (
                doc(json!({ "client_id": SQL })),
                "application/json",
                400,
                metadata,
            ),
        ),
        (
            "ext_param_client_id of another client",
            (
                doc(json!({ "ext_param_client_id": "other" })),
                "application/json",
                400,
                metadata,
            ),
        ),
        (
            "client_secret of the wrong type",
            (
                doc(json!({ "client_secret": 5 })),
                "application/json",
                400,
                metadata,
            ),
        ),
        (
            "a wrong client_secret",
            (
                doc(json!({ "client_secret": "guess" })),
                "application/json",
                400,
                metadata,
            ),
        ),
        (
            "registration_access_token in the body",
            (
                doc(json!({ "registration_access_token": "x" })),
                "application/json",
                400,
                metadata,
            ),
        ),
        (
            "javascript: redirect",
            (
                json!({ "redirect_uris": ["javascript:alert(1)"] }).to_string(),
                "application/json",
                400,
                Some("invalid_redirect_uri"),
            ),
        ),
        (
            "10,000 nested arrays",
            (deep, "application/json", 400, metadata),
        ),
        (
            "over 64 KiB",
            (big, "application/json", 413, Some("invalid_request")),
        ),
        (
            "text/plain",
            (doc(json!({})), "text/plain", 415, Some("invalid_request")),
        ),
    ];
    all_cases(&cases, |(body, content_type, status, code)| {
        f.refused(*status, *code, None, || {
            f.send(
                f.request(Method::PUT, &path)
                    .bearer_auth(&f.rat)
                    .header(header::CONTENT_TYPE, *content_type)
                    .body(body.clone()),
            )
        });
    });
}

#[test]
fn hostile_lookup_queries_find_nothing() {
    let f = Fixture::start();
    let huge = format!("/register?client_name={}", "a".repeat(60_000));
    let cases = [
        (
            "invalid percent-encoded UTF-8",
            "/register?client_name=%ff%fe",
        ),
        ("encoded NUL", "/register?client_name=existing%00"),
        ("60,000-character name", huge.as_str()),
        ("trailing space", "/register?client_name=existing%20"),
        ("other case", "/register?client_name=EXISTING"),
        ("plus as space", "/register?client_name=exist+ing"),
    ];
    all_cases(&cases, |path| {
        let reply = f.env.unchanged(|| {
            f.send(
                f.request(Method::GET, path)
                    .basic_auth(ADMIN.0, Some(ADMIN.1)),
            )
        });
        assert_eq!(
            (reply.status, reply.json()),
            (200, json!([])),
            "{}",
            reply.body
        );
        f.alive();
    });
}

/// The open-registration limit is per peer address; headers a client writes itself must not
/// buy it a fresh budget.
#[test]
fn forwarding_headers_do_not_escape_the_rate_limit() {
    let env = TestEnv::new();
    let server = Server::start(&env, &["--open-registration", "--rate-limit", "2/min"]);
    let register = |spoof: &str| {
        server
            .client
            .post(server.url("/register"))
            .header("X-Forwarded-For", spoof)
            .header("X-Real-IP", spoof)
            .header("Forwarded", format!("for={spoof}"))
            .json(&json!({ "redirect_uris": [CB] }))
            .send()
            .expect("POST")
    };
    for spoof in ["203.0.113.1", "203.0.113.2"] {
        assert_eq!(register(spoof).status().as_u16(), 201);
    }
    let before = env.snapshot();
    for spoof in ["203.0.113.3", "::1", "127.0.0.2, 198.51.100.7"] {
        let refused = register(spoof);
        assert_eq!(refused.status().as_u16(), 429, "{spoof}");
        assert!(refused.headers().get(header::RETRY_AFTER).is_some());
        let body: serde_json::Value = refused.json().expect("JSON");
        assert_eq!(body["error"], "too_many_requests");
    }
    assert_eq!(before, env.snapshot(), "the database changed");
    let health = server
        .client
        .get(server.url("/healthz"))
        .send()
        .expect("GET");
    assert_eq!(health.status().as_u16(), 200);
}

/// A burst of hostile requests from many connections at once: every one is answered with a
/// 4xx, nothing is written, and a well-formed request in the middle of it succeeds.
#[test]
fn a_burst_of_hostile_requests_is_answered_and_harmless() {
    let f = Fixture::start();
    let before = f.env.snapshot();
    let bodies: Vec<String> = vec![
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        format!(r#"{{"redirect_uris":["{CB}"],"client_name":"a\u001b[2J"}}"#),
        r#"{"redirect_uris":["javascript:alert(1)"]}"#.to_owned(),
        format!(r#"{{"x":"{}"}}"#, "a".repeat(70_000)),
        "{".to_owned(),
    ];
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..40)
            .map(|i| {
                let body = bodies[i % bodies.len()].clone();
                let f = &f;
                scope.spawn(move || {
                    let mut request = f
                        .request(Method::POST, "/register")
                        .header(header::CONTENT_TYPE, "application/json")
                        .body(body);
                    // Half with the real token (the body is judged), half with a wrong one.
                    request = if i % 2 == 0 {
                        request.bearer_auth(&f.iat)
                    } else {
                        request.bearer_auth("dcriat_wrong")
                    };
                    request.send().expect("POST").status().as_u16()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("worker"))
            .collect()
    });
    assert!(
        statuses.iter().all(|s| (400..500).contains(s)),
        "{statuses:?}"
    );
    assert_eq!(before, f.env.snapshot(), "the database changed");
    let created = f
        .request(Method::POST, "/register")
        .bearer_auth(&f.iat)
        .json(&json!({ "redirect_uris": [CB] }))
        .send()
        .expect("POST");
    assert_eq!(created.status().as_u16(), 201);
    f.alive();
}

/// The peak resident memory of a process, from `/proc` (Linux), in KiB.
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

/// Every `Basic` credential costs an Argon2id verification (19 MiB, t=2), even for an
/// unknown name, and anyone can send one. Without a bound on how many run at once, memory
/// grows by about 19 MiB per concurrent request, up to the 512 blocking threads tokio allows
/// (about 10 GiB). A careful server bounds the concurrent verifications (or refuses beyond
/// them), so a flood costs it a fixed amount of memory.
#[test]
#[ignore = "BUG: concurrent wrong Basic credentials each run Argon2 (19 MiB) unbounded: 50 at once took RSS from 15 MB to 1 GB"]
fn a_flood_of_wrong_basic_credentials_keeps_memory_bounded() {
    let f = Fixture::start();
    let before = peak_rss_kib(f.server.pid());
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..48)
            .map(|i| {
                let f = &f;
                scope.spawn(move || {
                    f.request(Method::POST, "/register")
                        .basic_auth("root", Some(format!("guess-{i}")))
                        .json(&json!({ "redirect_uris": [CB] }))
                        .send()
                        .map(|r| r.status().as_u16())
                        .unwrap_or(0)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("worker"))
            .collect()
    });
    let grown_mib = peak_rss_kib(f.server.pid()).saturating_sub(before) / 1024;
    assert!(grown_mib < 256, "peak memory grew by {grown_mib} MiB");
    assert!(
        statuses.iter().all(|s| (400..500).contains(s)),
        "{statuses:?}"
    );
    f.alive();
}

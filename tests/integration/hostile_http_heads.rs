//! Hostile request heads over a well-formed client: content types, `Authorization`
//! variants, methods, client paths and forwarding headers. Bodies are in `hostile_http`,
//! malformed HTTP in `hostile_wire`; the same [`Fixture`] asserts status, `error` code,
//! challenge, an unchanged database and a live server.

use crate::hostile_http::{Fixture, CB, INVALID_TOKEN, ISSUER};
use crate::util::all_cases;
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
    // Within the 16 KiB request head; a longer one is 431 (`hostile_wire`).
    let huge = format!("Bearer {}", "a".repeat(12_000));
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
        ("12 KB token", (huge.into_bytes(), token, bearer)),
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

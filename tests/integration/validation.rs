//! SPEC §1 validation, end to end: every rule refused by the real binary with exit 2, an
//! `error:` line naming the field (and the RFC 7591 error code), and nothing written.

use crate::util::{Run, TestEnv};
use serde_json::{json, Value};
use std::path::PathBuf;

const CB: &str = "https://app.example.com/cb";
const REDIRECT: &str = "invalid_redirect_uri";
const METADATA: &str = "invalid_client_metadata";

/// A fresh environment whose database already holds one valid client.
fn env() -> TestEnv {
    let env = TestEnv::new();
    env.register("existing");
    env
}

/// The first `error:` line of stderr.
fn error_line(stderr: &str) -> &str {
    stderr
        .lines()
        .find(|line| line.starts_with("error:"))
        .unwrap_or_else(|| panic!("no error: line in\n{stderr}"))
}

/// Run `args` with `stdin`, expecting exit 2 with `error: FIELD: … (CODE)` and no change to
/// the database. Returns the error line.
#[track_caller]
fn refused_stdin(env: &TestEnv, args: &[&str], stdin: &str, field: &str, code: &str) -> String {
    let run = env.unchanged(|| env.run_stdin(args, stdin)).fails(2);
    let line = error_line(&run.stderr).to_owned();
    assert!(
        line.starts_with(&format!("error: {field}: ")),
        "expected the error to name {field:?} for {args:?}:\n{}",
        run.stderr
    );
    assert!(
        line.ends_with(&format!("({code})")),
        "expected error code {code} for {args:?}:\n{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "stdout on failure:\n{}", run.stdout);
    line
}

#[track_caller]
fn refused(env: &TestEnv, args: &[&str], field: &str, code: &str) -> String {
    refused_stdin(env, args, "", field, code)
}

/// `register --metadata-file -` with `doc` on stdin must be refused.
#[track_caller]
fn doc_refused(env: &TestEnv, doc: &str, field: &str, code: &str) -> String {
    refused_stdin(env, &["register", "--metadata-file", "-"], doc, field, code)
}

/// `register ARGS -o json`, expecting success; the JSON response.
#[track_caller]
fn registered(env: &TestEnv, args: &[&str]) -> Value {
    let mut all = vec!["-o", "json", "register"];
    all.extend_from_slice(args);
    env.run(&all).ok().json()
}

/// `register -o json --metadata-file -` with `doc`, expecting success.
#[track_caller]
fn doc_registered(env: &TestEnv, doc: &Value) -> Value {
    env.run_stdin(
        &["-o", "json", "register", "--metadata-file", "-"],
        &doc.to_string(),
    )
    .ok()
    .json()
}

fn write_file(env: &TestEnv, name: &str, contents: &str) -> PathBuf {
    let path = env.dir().join(name);
    std::fs::write(&path, contents).expect("write test file");
    path
}

fn show(env: &TestEnv, id: &str) -> Value {
    env.run(&["-o", "json", "show", "--", id]).ok().json()
}

fn client_id(response: &Value) -> String {
    response["client_id"]
        .as_str()
        .expect("client_id in response")
        .to_owned()
}

// ---------------------------------------------------------------------------------------------
// redirect_uris

#[test]
fn redirect_uri_must_be_absolute() {
    let env = env();
    for uri in [
        "/cb",
        "cb",
        "app.example.com/cb",
        "//app.example.com/cb",
        "",
    ] {
        let line = refused(
            &env,
            &["register", "--redirect-uri", uri],
            "redirect_uris[0]",
            REDIRECT,
        );
        assert!(
            line.contains("absolute") || line.contains("host"),
            "{uri}: {line}"
        );
    }
}

#[test]
fn redirect_uri_must_not_have_a_fragment() {
    let env = env();
    for uri in [
        "https://app.example.com/cb#frag",
        "https://app.example.com/cb#",
        "http://127.0.0.1:8080/cb#x",
    ] {
        let line = refused(
            &env,
            &["register", "--redirect-uri", uri],
            "redirect_uris[0]",
            REDIRECT,
        );
        assert!(line.contains("fragment"), "{uri}: {line}");
    }
}

#[test]
fn redirect_uri_must_not_have_userinfo() {
    let env = env();
    for uri in [
        "https://user:pw@app.example.com/cb",
        "https://user@app.example.com/cb",
        "https://@app.example.com/cb",
        "http://evil.com@127.0.0.1/cb",
    ] {
        let line = refused(
            &env,
            &["register", "--redirect-uri", uri],
            "redirect_uris[0]",
            REDIRECT,
        );
        assert!(line.contains("userinfo"), "{uri}: {line}");
    }
}

#[test]
fn uris_without_an_authority_are_refused() {
    let env = env();
    for uri in [
        "https:///nohost",
        "https:app.example.com/cb",
        "https:/app.example.com/cb",
        "https:\\\\app.example.com\\cb",
    ] {
        refused(
            &env,
            &["register", "--redirect-uri", uri],
            "redirect_uris[0]",
            REDIRECT,
        );
        refused(
            &env,
            &["register", "--redirect-uri", CB, "--client-uri", uri],
            "client_uri",
            METADATA,
        );
    }
}

#[test]
fn the_failing_redirect_uri_is_named_by_index() {
    let env = env();
    refused(
        &env,
        &[
            "register",
            "--redirect-uri",
            CB,
            "--redirect-uri",
            "https://app.example.com/two",
            "--redirect-uri",
            "http://app.example.com/three",
        ],
        "redirect_uris[2]",
        REDIRECT,
    );
    // --redirect-uris A B… (the Django spelling) goes through the same rules.
    refused(
        &env,
        &[
            "register",
            "--redirect-uris",
            CB,
            "http://app.example.com/x",
        ],
        "redirect_uris[1]",
        REDIRECT,
    );
}

#[test]
fn web_clients_need_https_or_loopback_http() {
    let env = env();
    for uri in [
        "http://app.example.com/cb",
        "http://10.0.0.1/cb",
        "http://[::ffff:127.0.0.1]/cb",
    ] {
        let line = refused(
            &env,
            &["register", "--redirect-uri", uri],
            "redirect_uris[0]",
            REDIRECT,
        );
        assert!(line.contains("loopback"), "{uri}: {line}");
    }
    // A private-use scheme is for native clients only.
    refused(
        &env,
        &["register", "--redirect-uri", "com.example.app:/cb"],
        "redirect_uris[0]",
        REDIRECT,
    );
    for ok in [
        "http://127.0.0.1:8080/cb",
        "http://localhost/cb",
        "http://[::1]:9000/cb",
        "https://app.example.com:8443/cb?x=1",
    ] {
        let response = registered(&env, &["--redirect-uri", ok]);
        assert_eq!(response["redirect_uris"], json!([ok]));
    }
}

#[test]
fn loopback_look_alikes_are_refused() {
    let env = env();
    for uri in [
        "http://localhost.evil.com/cb",
        "http://127.0.0.1.evil.com/cb",
        "http://0x7f.0.0.1/cb",
        "http://2130706433/cb",
        "http://127.0.0.%31/cb",
        "http://127.1/cb",
    ] {
        refused(
            &env,
            &["register", "--redirect-uri", uri],
            "redirect_uris[0]",
            REDIRECT,
        );
        refused(
            &env,
            &[
                "register",
                "--application-type",
                "native",
                "--redirect-uri",
                uri,
            ],
            "redirect_uris[0]",
            REDIRECT,
        );
    }
}

#[test]
fn dangerous_schemes_are_never_accepted() {
    let env = env();
    for uri in [
        "javascript:alert(1)",
        "JavaScript://x/%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "vbscript:msgbox(1)",
    ] {
        for app in ["web", "native"] {
            let line = refused(
                &env,
                &["register", "--application-type", app, "--redirect-uri", uri],
                "redirect_uris[0]",
                REDIRECT,
            );
            assert!(line.contains("never allowed"), "{uri}: {line}");
        }
    }
}

#[test]
fn native_clients_follow_rfc8252() {
    let env = env();
    let native = |uri: &str| {
        vec![
            "register".to_owned(),
            "--application-type".to_owned(),
            "native".to_owned(),
            "--redirect-uri".to_owned(),
            uri.to_owned(),
        ]
    };
    // A private-use scheme without a dot.
    for uri in ["myapp:/cb", "myapp://cb"] {
        let args = native(uri);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let line = refused(&env, &args, "redirect_uris[0]", REDIRECT);
        assert!(line.contains("private-use scheme"), "{uri}: {line}");
    }
    // http on anything but loopback.
    for uri in ["http://app.example.com/cb", "http://192.168.1.1:8080/cb"] {
        let args = native(uri);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let line = refused(&env, &args, "redirect_uris[0]", REDIRECT);
        assert!(line.contains("loopback"), "{uri}: {line}");
    }
    // Accepted: dotted private-use scheme, loopback http on any port, claimed https.
    for uri in [
        "com.example.app:/oauth2redirect",
        "com.example.app:/cb",
        "http://127.0.0.1:51234/cb",
        "http://[::1]/cb",
        "http://localhost:1/cb",
        "https://app.example.com/cb",
    ] {
        let response = registered(
            &env,
            &["--application-type", "native", "--redirect-uri", uri],
        );
        assert_eq!(response["redirect_uris"], json!([uri]));
        assert_eq!(response["application_type"], "native");
    }
}

#[test]
fn redirect_uris_are_required_for_code_and_implicit() {
    let env = env();
    for args in [
        &["register", "--client-name", "no uri"][..],
        &["register", "--grant-type", "authorization_code"],
        &["register", "--grant-type", "implicit"],
        &[
            "register",
            "--grant-type",
            "client_credentials,authorization_code",
        ],
    ] {
        let line = refused(&env, args, "redirect_uris", REDIRECT);
        assert!(line.contains("required"), "{args:?}: {line}");
    }
    // An explicitly empty list is the same as none.
    doc_refused(&env, r#"{"redirect_uris":[]}"#, "redirect_uris", REDIRECT);
    doc_refused(
        &env,
        r#"{"redirect_uris":null,"client_name":"x"}"#,
        "redirect_uris",
        REDIRECT,
    );
}

#[test]
fn client_credentials_needs_no_redirect_uri() {
    let env = env();
    let response = registered(&env, &["--grant-type", "client_credentials"]);
    assert_eq!(response["redirect_uris"], json!([]));
    assert_eq!(response["grant_types"], json!(["client_credentials"]));
    assert_eq!(response["response_types"], json!([]));
    assert!(response["client_secret"].is_string());
    // … and stored so.
    let shown = show(&env, &client_id(&response));
    assert_eq!(shown["redirect_uris"], json!([]));
    assert_eq!(shown["response_types"], json!([]));
}

#[test]
fn at_most_100_redirect_uris() {
    let env = env();
    let uris = |n: usize| -> Vec<String> {
        (0..n)
            .map(|i| format!("https://app.example.com/cb/{i}"))
            .collect()
    };
    let line = doc_refused(
        &env,
        &json!({ "redirect_uris": uris(101) }).to_string(),
        "redirect_uris",
        REDIRECT,
    );
    assert!(line.contains("100"), "{line}");
    // The same limit through the flags.
    let flags: Vec<String> = uris(101)
        .into_iter()
        .flat_map(|uri| ["--redirect-uri".to_owned(), uri])
        .collect();
    let mut args = vec!["register"];
    args.extend(flags.iter().map(String::as_str));
    refused(&env, &args, "redirect_uris", REDIRECT);
    // 100 is fine.
    let response = doc_registered(&env, &json!({ "redirect_uris": uris(100) }));
    assert_eq!(
        response["redirect_uris"].as_array().map(Vec::len),
        Some(100)
    );
}

// ---------------------------------------------------------------------------------------------
// grant_types, response_types, token_endpoint_auth_method, jwks

#[test]
fn contacts_are_limited_to_50() {
    let env = env();
    let contacts =
        |n: usize| -> Vec<String> { (0..n).map(|i| format!("ops{i}@example.com")).collect() };
    let line = doc_refused(
        &env,
        &json!({ "redirect_uris": [CB], "contacts": contacts(51) }).to_string(),
        "contacts",
        METADATA,
    );
    assert!(line.contains("50"), "{line}");
    let response = doc_registered(
        &env,
        &json!({ "redirect_uris": [CB], "contacts": contacts(50) }),
    );
    assert_eq!(response["contacts"].as_array().map(Vec::len), Some(50));
}

#[test]
fn authorization_code_needs_code_and_back() {
    let env = env();
    // authorization_code without code.
    for args in [
        &[
            "register",
            "--redirect-uri",
            CB,
            "--grant-type",
            "authorization_code",
            "--response-type",
            "token",
        ][..],
        &[
            "register",
            "--redirect-uri",
            CB,
            "--grant-type",
            "authorization_code",
            "--response-type",
            "none",
        ],
    ] {
        let line = refused(&env, args, "response_types", METADATA);
        assert!(line.contains("authorization_code"), "{line}");
    }
    doc_refused(
        &env,
        &json!({"redirect_uris": [CB], "response_types": []}).to_string(),
        "response_types",
        METADATA,
    );
    // code without authorization_code.
    let line = refused(
        &env,
        &[
            "register",
            "--grant-type",
            "client_credentials",
            "--response-type",
            "code",
        ],
        "response_types",
        METADATA,
    );
    assert!(line.contains("authorization_code"), "{line}");
    refused(
        &env,
        &[
            "register",
            "--redirect-uri",
            CB,
            "--grant-type",
            "implicit",
            "--response-type",
            "code,token",
        ],
        "response_types",
        METADATA,
    );
}

#[test]
fn implicit_needs_token_and_back() {
    let env = env();
    // implicit without token.
    let line = refused(
        &env,
        &[
            "register",
            "--redirect-uri",
            CB,
            "--grant-type",
            "authorization_code,implicit",
            "--response-type",
            "code",
        ],
        "response_types",
        METADATA,
    );
    assert!(line.contains("implicit"), "{line}");
    // token without implicit.
    let line = refused(
        &env,
        &[
            "register",
            "--redirect-uri",
            CB,
            "--grant-type",
            "authorization_code",
            "--response-type",
            "code,token",
        ],
        "response_types",
        METADATA,
    );
    assert!(line.contains("implicit"), "{line}");
    // Consistent combinations work, and response types default from the grants.
    let response = registered(&env, &["--redirect-uri", CB, "--grant-type", "implicit"]);
    assert_eq!(response["response_types"], json!(["token"]));
    let response = registered(
        &env,
        &[
            "--redirect-uri",
            CB,
            "--grant-type",
            "authorization_code,implicit,refresh_token",
        ],
    );
    assert_eq!(response["response_types"], json!(["code", "token"]));
}

#[test]
fn unknown_grant_and_response_types_are_refused() {
    let env = env();
    refused(
        &env,
        &[
            "register",
            "--redirect-uri",
            CB,
            "--grant-type",
            "authorization_code,magic",
        ],
        "grant_types[1]",
        METADATA,
    );
    refused(
        &env,
        &[
            "register",
            "--redirect-uri",
            CB,
            "--response-type",
            "code,magic",
        ],
        "response_types[1]",
        METADATA,
    );
    doc_refused(
        &env,
        &json!({"redirect_uris": [CB], "grant_types": []}).to_string(),
        "grant_types",
        METADATA,
    );
}

#[test]
fn unknown_auth_method_is_refused() {
    let env = env();
    for method in ["magic", "client_secret", "", "NONE"] {
        let line = refused(
            &env,
            &[
                "register",
                "--redirect-uri",
                CB,
                "--token-endpoint-auth-method",
                method,
            ],
            "token_endpoint_auth_method",
            METADATA,
        );
        assert!(line.contains("not supported"), "{method}: {line}");
    }
}

#[test]
fn client_secret_jwt_is_refused_with_its_reason() {
    let env = env();
    let line = refused(
        &env,
        &[
            "register",
            "--redirect-uri",
            CB,
            "--token-endpoint-auth-method",
            "client_secret_jwt",
        ],
        "token_endpoint_auth_method",
        METADATA,
    );
    assert!(line.contains("client_secret_jwt"), "{line}");
    assert!(line.contains("plaintext secret"), "{line}");
    assert!(line.contains("never stored"), "{line}");
}

#[test]
fn every_supported_auth_method_is_accepted() {
    let env = env();
    for method in [
        "none",
        "client_secret_basic",
        "client_secret_post",
        "tls_client_auth",
        "self_signed_tls_client_auth",
    ] {
        let response = registered(
            &env,
            &["--redirect-uri", CB, "--token-endpoint-auth-method", method],
        );
        assert_eq!(response["token_endpoint_auth_method"], method);
    }
    let response = registered(
        &env,
        &[
            "--redirect-uri",
            CB,
            "--token-endpoint-auth-method",
            "private_key_jwt",
            "--jwks-uri",
            "https://app.example.com/jwks.json",
        ],
    );
    assert_eq!(response["token_endpoint_auth_method"], "private_key_jwt");
}

#[test]
fn jwks_and_jwks_uri_are_mutually_exclusive() {
    let env = env();
    let jwks = write_file(
        &env,
        "jwks.json",
        r#"{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#,
    );
    let jwks = jwks.to_str().expect("utf-8 path");
    let line = refused(
        &env,
        &[
            "register",
            "--redirect-uri",
            CB,
            "--jwks-uri",
            "https://app.example.com/jwks.json",
            "--jwks-file",
            jwks,
        ],
        "jwks",
        METADATA,
    );
    assert!(line.contains("mutually exclusive"), "{line}");
    doc_refused(
        &env,
        &json!({
            "redirect_uris": [CB],
            "jwks": {"keys": []},
            "jwks_uri": "https://app.example.com/jwks.json",
        })
        .to_string(),
        "jwks",
        METADATA,
    );
    // Each on its own is fine.
    let response = registered(
        &env,
        &[
            "--redirect-uri",
            CB,
            "--token-endpoint-auth-method",
            "private_key_jwt",
            "--jwks-file",
            jwks,
        ],
    );
    assert_eq!(response["jwks"]["keys"][0]["kty"], "OKP");
}

#[test]
fn jwks_must_be_a_key_set() {
    let env = env();
    for jwks in [
        json!("keys"),
        json!({}),
        json!({"keys": {}}),
        json!({"keys": [1]}),
    ] {
        doc_refused(
            &env,
            &json!({ "redirect_uris": [CB], "jwks": jwks }).to_string(),
            "jwks",
            METADATA,
        );
    }
}

#[test]
fn private_key_jwt_needs_keys() {
    let env = env();
    let line = refused(
        &env,
        &[
            "register",
            "--redirect-uri",
            CB,
            "--token-endpoint-auth-method",
            "private_key_jwt",
        ],
        "token_endpoint_auth_method",
        METADATA,
    );
    assert!(line.contains("jwks"), "{line}");
}

// ---------------------------------------------------------------------------------------------
// URI fields, scope, strings, application_type

#[test]
fn uri_fields_must_be_https_or_loopback_http() {
    let env = env();
    for (flag, field) in [
        ("--client-uri", "client_uri"),
        ("--logo-uri", "logo_uri"),
        ("--tos-uri", "tos_uri"),
        ("--policy-uri", "policy_uri"),
        ("--jwks-uri", "jwks_uri"),
    ] {
        for bad in [
            "http://app.example.com/x",
            "http://localhost.evil.com/x",
            "ftp://app.example.com/x",
            "javascript:alert(1)",
            "/relative",
            "https://user@app.example.com/x",
        ] {
            refused(
                &env,
                &["register", "--redirect-uri", CB, flag, bad],
                field,
                METADATA,
            );
        }
        for ok in ["https://app.example.com/x", "http://localhost:3000/x"] {
            let response = registered(&env, &["--redirect-uri", CB, flag, ok]);
            assert_eq!(response[field], ok);
        }
    }
}

#[test]
fn scope_is_printable_ascii_tokens_separated_by_single_spaces() {
    let env = env();
    for scope in [
        "openid \"profile\"",
        "a\\b",
        "openid  profile",
        " openid",
        "openid ",
        "",
        "caf\u{e9}",
    ] {
        let line = refused(
            &env,
            &["register", "--redirect-uri", CB, "--scope", scope],
            "scope",
            METADATA,
        );
        assert!(line.contains("scope"), "{scope:?}: {line}");
    }
    doc_refused(
        &env,
        &json!({"redirect_uris": [CB], "scope": "openid\tprofile"}).to_string(),
        "scope",
        METADATA,
    );
    let response = registered(
        &env,
        &[
            "--redirect-uri",
            CB,
            "--scope",
            "openid profile urn:x:read!#$%&'()*+,-./:;<=>?@[]^_`{|}~",
        ],
    );
    assert_eq!(
        response["scope"],
        "openid profile urn:x:read!#$%&'()*+,-./:;<=>?@[]^_`{|}~"
    );
}

#[test]
fn strings_contain_no_control_characters() {
    let env = env();
    for escape in [
        "\\u0007", "\\u0000", "\\n", "\\r", "\\t", "\\u001b", "\\u007f", "\\u0085",
    ] {
        let doc = format!(r#"{{"redirect_uris":["{CB}"],"client_name":"a{escape}b"}}"#);
        let line = doc_refused(&env, &doc, "client_name", METADATA);
        assert!(line.contains("control"), "{escape}: {line}");
        // The message itself carries no raw control character.
        assert!(!line.chars().any(char::is_control), "{line:?}");
    }
    for (field, value) in [
        ("software_id", json!("x\u{7}")),
        ("software_version", json!("1.0\u{1b}[31m")),
        ("contacts", json!(["ops@example.com", "a\u{7}@example.com"])),
    ] {
        let expected = if field == "contacts" {
            "contacts[1]"
        } else {
            field
        };
        doc_refused(
            &env,
            &json!({ "redirect_uris": [CB], field: value }).to_string(),
            expected,
            METADATA,
        );
    }
    // Flags go through the same rule.
    refused(
        &env,
        &[
            "register",
            "--redirect-uri",
            CB,
            "--client-name",
            "bell\u{7}",
        ],
        "client_name",
        METADATA,
    );
}

#[test]
fn strings_are_at_most_2048_bytes() {
    let env = env();
    let long = "a".repeat(2049);
    let line = refused(
        &env,
        &["register", "--redirect-uri", CB, "--client-name", &long],
        "client_name",
        METADATA,
    );
    assert!(line.contains("2048"), "{line}");
    // Bytes, not characters: 1,025 two-byte characters are 2,050 bytes.
    refused(
        &env,
        &[
            "register",
            "--redirect-uri",
            CB,
            "--client-name",
            &"\u{e9}".repeat(1025),
        ],
        "client_name",
        METADATA,
    );
    refused(
        &env,
        &["register", "--redirect-uri", CB, "--software-id", &long],
        "software_id",
        METADATA,
    );
    refused(
        &env,
        &["register", "--redirect-uri", CB, "--contact", &long],
        "contacts[0]",
        METADATA,
    );
    let long_uri = format!("https://app.example.com/{}", "x".repeat(2048));
    refused(
        &env,
        &["register", "--redirect-uri", &long_uri],
        "redirect_uris[0]",
        REDIRECT,
    );
    // Exactly 2,048 bytes is fine.
    let name = "\u{e9}".repeat(1024);
    let response = registered(&env, &["--redirect-uri", CB, "--client-name", &name]);
    assert_eq!(response["client_name"], name.as_str());
}

#[test]
fn a_document_is_at_most_64_kib() {
    let env = env();
    // Padding in an unknown field, in strings under the per-string limit.
    let doc = |total: usize| -> String {
        let mut value = json!({ "redirect_uris": [CB], "x_pad": [] });
        let fixed = value.to_string().len();
        let remaining = total - fixed;
        // n strings cost 2 bytes of quotes each and n - 1 commas; each holds at most 1,000.
        let n = remaining.div_ceil(1003).max(1);
        let chars = remaining + 1 - 3 * n;
        let pad = value["x_pad"].as_array_mut().expect("array");
        for i in 0..n {
            let len = chars / n + usize::from(i < chars % n);
            pad.push(Value::String("p".repeat(len)));
        }
        let text = value.to_string();
        assert_eq!(text.len(), total, "test document size");
        text
    };
    let too_big = doc(64 * 1024 + 1);
    let line = doc_refused(&env, &too_big, "(document)", METADATA);
    assert!(line.contains("65536"), "{line}");
    // From a file too, and far over the limit.
    let path = write_file(&env, "big.json", &doc(200_000));
    refused(
        &env,
        &["register", "--metadata-file", path.to_str().expect("utf-8")],
        "(document)",
        METADATA,
    );
    // 64 KiB of input is read, but the document as stored, defaults included, must leave
    // room for the client_id beside it (issue 12, item 10).
    let line = doc_refused(&env, &doc(64 * 1024), "(document)", METADATA);
    assert!(line.contains("65280"), "{line}");
    // Whitespace between tokens is not counted.
    let spaced = doc(60 * 1024).replace(',', &format!(",\n{}", " ".repeat(100)));
    assert!(spaced.len() > 64 * 1024);
    let response = env
        .run_stdin(&["-o", "json", "register", "--metadata-file", "-"], &spaced)
        .ok()
        .json();
    assert!(response["x_pad"].is_array());
}

/// A document `size` bytes long: with the defaults written out (so it is stored as given)
/// or without them (so the registry adds them), padded in an unknown member: an array of
/// short strings, which pretty-printing spreads over many lines.
fn padded(size: usize, with_defaults: bool) -> String {
    let mut doc = json!({ "redirect_uris": [CB] });
    if with_defaults {
        doc["token_endpoint_auth_method"] = json!("client_secret_basic");
        doc["grant_types"] = json!(["authorization_code"]);
        doc["response_types"] = json!(["code"]);
        doc["application_type"] = json!("web");
    }
    doc["x_pad"] = json!([]);
    let remaining = size - doc.to_string().len();
    // k strings cost their characters, 2 quotes each and k - 1 commas; each holds up to 60.
    let k = (remaining + 1).div_ceil(63);
    let chars = remaining + 1 - 3 * k;
    let pad = doc["x_pad"].as_array_mut().expect("array");
    for i in 0..k {
        pad.push(json!("p".repeat(chars / k + usize::from(i < chars % k))));
    }
    let text = doc.to_string();
    assert_eq!(text.len(), size);
    text
}

/// Issue 12, item 10: whatever `register` accepts near the 64 KiB limit round-trips through
/// `export | apply` (into the same registry and a fresh one) and through
/// `show -o json | update --replace` (less the status members `show` adds, which are not
/// metadata), with the longest client_id there is. Before, a document of 65,400 bytes was
/// accepted and then grew by its defaults past what `apply` and `--replace` read.
#[test]
fn issue_12_a_registration_at_the_limit_round_trips() {
    let id = "i".repeat(128);
    let status = [
        "client_id_issued_at",
        "client_secret_expires_at",
        "registered_via",
        "has_secret",
        "updated_at",
        "last_used_at",
    ];
    // (size, with the defaults written out, accepted): the defaults take 139 bytes.
    for (size, with_defaults, accepted) in [
        (65_280, true, true),
        (65_141, false, true),
        (65_281, true, false),
        (65_142, false, false),
        (65_400, false, false),
        (65_536, false, false),
    ] {
        let env = TestEnv::new();
        let doc = padded(size, with_defaults);
        let run = env.run_stdin(
            &[
                "-o",
                "json",
                "register",
                "--client-id",
                &id,
                "--metadata-file",
                "-",
            ],
            &doc,
        );
        if !accepted {
            // Refused: exit 2 naming the limit, nothing written.
            let run = run.fails(2);
            let line = error_line(&run.stderr);
            assert!(
                line.contains("(document)") && line.contains("65280"),
                "{size}: {line}"
            );
            assert!(!env.snapshot().contains("x_pad"), "{size}");
            continue;
        }
        let created = run.ok().json();
        assert_eq!(created["client_id"], id.as_str());
        let exported = env.run(&["export"]).ok().stdout;
        let file = write_file(&env, "export.json", &exported);
        let file = file.to_str().expect("utf-8");
        let report = env
            .unchanged(|| env.run(&["-o", "json", "apply", file]))
            .ok()
            .json();
        assert_eq!(report["counts"]["unchanged"], 1, "{size}: {report}");
        let fresh = TestEnv::new();
        let report = fresh.run(&["-o", "json", "apply", file]).ok().json();
        assert_eq!(report["counts"]["created"], 1, "{size}: {report}");
        assert_eq!(fresh.run(&["export"]).ok().stdout, exported, "{size}");

        let mut shown = show(&env, &id);
        for member in status {
            shown.as_object_mut().expect("object").remove(member);
        }
        let pretty = serde_json::to_string_pretty(&shown).expect("JSON");
        assert!(pretty.len() > 64 * 1024, "{size}: {}", pretty.len());
        env.run_stdin(
            &["update", &id, "--replace", "--metadata-file", "-"],
            &pretty,
        )
        .ok();
        assert_eq!(env.run(&["export"]).ok().stdout, exported, "{size}");
    }
}

#[test]
fn application_type_is_web_or_native() {
    let env = env();
    for app in ["desktop", "Web", ""] {
        let line = refused(
            &env,
            &["register", "--redirect-uri", CB, "--application-type", app],
            "application_type",
            METADATA,
        );
        assert!(line.contains("web or native"), "{app:?}: {line}");
    }
    doc_refused(
        &env,
        &json!({"redirect_uris": [CB], "application_type": 1}).to_string(),
        "application_type",
        METADATA,
    );
}

// ---------------------------------------------------------------------------------------------
// The document itself

#[test]
fn malformed_json_is_refused() {
    let env = env();
    for doc in [
        "{",
        r#"{"client_name": }"#,
        r#"{"redirect_uris": ["https://app.example.com/cb",]}"#,
        "{} {}",
        "",
        "{'client_name': 'x'}",
    ] {
        let line = doc_refused(&env, doc, "(document)", METADATA);
        assert!(line.contains("JSON"), "{doc:?}: {line}");
    }
    let path = write_file(&env, "bad.json", "{\"client_name\": \"x\"");
    refused(
        &env,
        &["register", "--metadata-file", path.to_str().expect("utf-8")],
        "(document)",
        METADATA,
    );
}

#[test]
fn invalid_utf8_is_refused() {
    let env = env();
    let path = env.dir().join("latin1.json");
    std::fs::write(&path, b"{\"client_name\": \"caf\xe9\"}").expect("write");
    refused(
        &env,
        &["register", "--metadata-file", path.to_str().expect("utf-8")],
        "(document)",
        METADATA,
    );
}

#[test]
fn a_document_must_be_an_object() {
    let env = env();
    for doc in [
        "[]",
        r#"[{"redirect_uris":["https://app.example.com/cb"]}]"#,
        "\"x\"",
        "5",
        "null",
        "true",
    ] {
        let line = doc_refused(&env, doc, "(document)", METADATA);
        assert!(line.contains("object"), "{doc:?}: {line}");
    }
}

#[test]
fn duplicate_keys_are_refused() {
    let env = env();
    let line = doc_refused(
        &env,
        r#"{"redirect_uris":["https://app.example.com/cb"],"client_name":"a","client_name":"b"}"#,
        "(document)",
        METADATA,
    );
    assert!(line.contains("duplicate"), "{line}");
    // Nested ones too: two parsers must never disagree on which value wins.
    doc_refused(
        &env,
        r#"{"redirect_uris":["https://app.example.com/cb"],"jwks":{"keys":[],"keys":[{}]}}"#,
        "(document)",
        METADATA,
    );
    doc_refused(
        &env,
        r#"{"redirect_uris":["http://evil.com/cb"],"redirect_uris":["https://app.example.com/cb"]}"#,
        "(document)",
        METADATA,
    );
}

#[test]
fn wrong_types_are_refused() {
    let env = env();
    for (doc, field) in [
        (
            json!({"redirect_uris": [CB], "client_name": 5}),
            "client_name",
        ),
        (
            json!({"redirect_uris": [CB], "skip_authorization": "yes"}),
            "skip_authorization",
        ),
        (
            json!({"redirect_uris": [CB], "skip_authorization": 1}),
            "skip_authorization",
        ),
        (
            json!({"redirect_uris": [CB], "grant_types": "authorization_code"}),
            "grant_types",
        ),
        (
            json!({"redirect_uris": [CB], "response_types": ["code", 1]}),
            "response_types[1]",
        ),
        (
            json!({"redirect_uris": [CB], "contacts": "ops@example.com"}),
            "contacts",
        ),
        (json!({"redirect_uris": [CB], "scope": ["openid"]}), "scope"),
        (
            json!({"redirect_uris": [CB], "token_endpoint_auth_method": true}),
            "token_endpoint_auth_method",
        ),
        (
            json!({"redirect_uris": [CB], "client_uri": {"href": CB}}),
            "client_uri",
        ),
    ] {
        doc_refused(&env, &doc.to_string(), field, METADATA);
    }
    // Any fault in a redirect URI is invalid_redirect_uri, whatever rule it breaks.
    for (doc, field) in [
        (
            json!({"redirect_uris": "https://app.example.com/cb"}),
            "redirect_uris",
        ),
        (json!({"redirect_uris": [5]}), "redirect_uris[0]"),
        (
            json!({"redirect_uris": ["https://a.example/\u{7}"]}),
            "redirect_uris[0]",
        ),
    ] {
        doc_refused(&env, &doc.to_string(), field, REDIRECT);
    }
}

#[test]
fn reserved_fields_cannot_be_set_from_a_metadata_file() {
    let env = env();
    for (field, value) in [
        ("client_secret", json!("s3cret")),
        ("registration_access_token", json!("rat")),
        ("client_id_issued_at", json!(1)),
        ("client_secret_expires_at", json!(0)),
        (
            "registration_client_uri",
            json!("https://as.example.com/register/x"),
        ),
    ] {
        let line = doc_refused(
            &env,
            &json!({ "redirect_uris": [CB], field: value }).to_string(),
            field,
            METADATA,
        );
        assert!(line.contains("cannot be set"), "{field}: {line}");
    }
}

#[test]
fn null_members_count_as_absent() {
    let env = env();
    let response = doc_registered(
        &env,
        &json!({"redirect_uris": [CB], "client_name": null, "grant_types": null}),
    );
    assert!(response.get("client_name").is_none(), "{response}");
    assert_eq!(response["grant_types"], json!(["authorization_code"]));
    let shown = show(&env, &client_id(&response));
    assert!(shown.get("client_name").is_none(), "{shown}");
}

#[test]
fn language_tagged_fields_are_kept_and_validated() {
    let env = env();
    let response = doc_registered(
        &env,
        &json!({
            "redirect_uris": [CB],
            "client_name": "My App",
            "client_name#fr": "Mon appli",
            "client_name#ja-Jpan-JP": "\u{30a2}\u{30d7}\u{30ea}",
            "tos_uri#de-CH": "https://app.example.com/agb",
        }),
    );
    assert_eq!(response["client_name#fr"], "Mon appli");
    assert_eq!(
        response["client_name#ja-Jpan-JP"],
        "\u{30a2}\u{30d7}\u{30ea}"
    );
    assert_eq!(response["tos_uri#de-CH"], "https://app.example.com/agb");
    let shown = show(&env, &client_id(&response));
    assert_eq!(shown["client_name#fr"], "Mon appli");
    assert_eq!(shown["tos_uri#de-CH"], "https://app.example.com/agb");

    // A tagged URI field obeys the URI rule of its base field.
    let line = doc_refused(
        &env,
        &json!({"redirect_uris": [CB], "tos_uri#de-CH": "http://app.example.com/agb"}).to_string(),
        "tos_uri#de-CH",
        METADATA,
    );
    assert!(line.contains("https"), "{line}");
    // A tagged text field obeys the string rules.
    doc_refused(
        &env,
        &json!({"redirect_uris": [CB], "client_name#fr": 5}).to_string(),
        "client_name#fr",
        METADATA,
    );
    doc_refused(
        &env,
        &json!({"redirect_uris": [CB], "client_name#fr": "a\u{7}"}).to_string(),
        "client_name#fr",
        METADATA,
    );
    // A broken tag is refused.
    doc_refused(
        &env,
        &json!({"redirect_uris": [CB], "client_name#": "x"}).to_string(),
        "client_name#",
        METADATA,
    );
}

#[test]
fn unknown_fields_are_kept_verbatim_and_returned() {
    let env = env();
    let extra = json!({
        "nested": {"list": [1, 2.5, true, null, "x"], "empty": {}},
        "n": -3,
        "url": "http://not-validated.example.com/",
    });
    let response = doc_registered(
        &env,
        &json!({
            "redirect_uris": [CB],
            "x_vendor_extension": extra,
            "post_logout_redirect_uris": ["https://app.example.com/bye"],
        }),
    );
    assert_eq!(response["x_vendor_extension"], extra);
    assert_eq!(
        response["post_logout_redirect_uris"],
        json!(["https://app.example.com/bye"])
    );
    let shown = show(&env, &client_id(&response));
    assert_eq!(shown["x_vendor_extension"], extra);
    // They never affect behaviour: the effective values are the defaults.
    assert_eq!(shown["grant_types"], json!(["authorization_code"]));
}

/// Issue 12, item 9: unknown members obey the string rule at any depth (values and member
/// names), and their numbers come back as written, through every output and `apply`.
#[test]
fn issue_12_unknown_members_keep_numbers_and_obey_the_string_rule() {
    let env = env();
    let doc = format!(
        r#"{{"redirect_uris":["{CB}"],"x_big":123456789012345678901234567890,"x":{{"n":[-1.50,1e-7,18446744073709551616]}}}}"#
    );
    let created = env
        .run_stdin(
            &[
                "-o",
                "json",
                "register",
                "--client-id",
                "big",
                "--metadata-file",
                "-",
            ],
            &doc,
        )
        .ok()
        .stdout;
    let shown = env.run(&["-o", "json", "show", "big"]).ok().stdout;
    let exported = env.run(&["export"]).ok().stdout;
    for out in [&created, &shown, &exported] {
        assert!(out.contains("123456789012345678901234567890"), "{out}");
        assert!(out.contains("-1.50") && out.contains("1e-7"), "{out}");
        assert!(out.contains("18446744073709551616"), "{out}");
        assert!(!out.contains("e+29") && !out.contains("e19"), "{out}");
    }
    // The export applies to itself unchanged.
    let file = write_file(&env, "export.json", &exported);
    let applied = env
        .run(&["-o", "json", "apply", file.to_str().expect("utf-8")])
        .ok()
        .json();
    assert_eq!(
        (
            &applied["counts"]["unchanged"],
            &applied["counts"]["updated"]
        ),
        (&json!(2), &json!(0)),
        "{applied}"
    );

    for (doc, field, rule) in [
        (
            json!({"x": {"a": ["ok", "csi \u{9b}31m"]}}),
            "x.a[1]",
            "control",
        ),
        (json!({"x": "esc \u{1b}[2J"}), "x", "control"),
        (
            json!({"x": [[{"del": "\u{7f}"}]]}),
            "x[0][0].del",
            "control",
        ),
        (json!({"x": {"k\u{7f}": 1}}), "x.k\u{fffd}", "member name"),
        (
            json!({"x\u{1b}]0;pwned\u{7}": 1}),
            "x\u{fffd}]0;pwned\u{fffd}",
            "member name",
        ),
    ] {
        let mut doc = doc;
        doc["redirect_uris"] = json!([CB]);
        let line = doc_refused(&env, &doc.to_string(), field, METADATA);
        assert!(line.contains(rule), "{line}");
        // A partial update with the same member is refused the same way.
        let member = doc
            .as_object()
            .expect("object")
            .keys()
            .next()
            .expect("member")
            .clone();
        let patch = json!({ member.as_str(): doc[member.as_str()].clone() }).to_string();
        refused_stdin(
            &env,
            &["update", "big", "--metadata-file", "-"],
            &patch,
            field,
            METADATA,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Admin-chosen client ids

#[test]
fn invalid_client_ids_are_refused() {
    let env = env();
    let long = "a".repeat(129);
    for id in [
        "",
        long.as_str(),
        "a/b",
        "a b",
        "caf\u{e9}",
        "a:b",
        "a%2Fb",
        "a@b",
    ] {
        let line = refused(
            &env,
            &["register", "--redirect-uri", CB, "--client-id", id],
            "client_id",
            METADATA,
        );
        assert!(line.contains("1-128"), "{id:?}: {line}");
    }
    // Also when the id comes from the metadata file.
    doc_refused(
        &env,
        &json!({"redirect_uris": [CB], "client_id": "a/b"}).to_string(),
        "client_id",
        METADATA,
    );
    // 128 characters of the whole alphabet are fine.
    let id = format!("{}._~-", "aZ09".repeat(31));
    assert_eq!(id.len(), 128);
    let response = registered(&env, &["--redirect-uri", CB, "--client-id", &id]);
    assert_eq!(response["client_id"], id.as_str());
}

#[test]
fn a_client_id_that_looks_like_a_flag() {
    let env = env();
    // `--client-id -x` is read by clap as a flag: a usage error that writes nothing.
    let run = env
        .unchanged(|| env.run(&["register", "--redirect-uri", CB, "--client-id", "-abc"]))
        .fails(2);
    assert!(run.stdout.is_empty());
    // Spelled `--client-id=-abc` it is in the SPEC's alphabet and accepted; `--` reaches it.
    let response = registered(&env, &["--redirect-uri", CB, "--client-id=-abc"]);
    assert_eq!(response["client_id"], "-abc");
    assert_eq!(show(&env, "-abc")["client_id"], "-abc");
}

#[test]
fn a_duplicate_client_id_is_a_conflict() {
    let env = env();
    registered(&env, &["--redirect-uri", CB, "--client-id", "dup"]);
    let run = env
        .unchanged(|| {
            env.run(&[
                "register",
                "--redirect-uri",
                "https://other.example.com/cb",
                "--client-id",
                "dup",
            ])
        })
        .fails(4);
    assert!(error_line(&run.stderr).contains("dup"), "{}", run.stderr);
    assert_eq!(show(&env, "dup")["redirect_uris"], json!([CB]));
}

// ---------------------------------------------------------------------------------------------
// update applies the same rules

fn with_client(env: &TestEnv) -> String {
    client_id(&registered(
        env,
        &[
            "--client-name",
            "victim",
            "--redirect-uri",
            CB,
            "--client-id",
            "victim",
        ],
    ))
}

#[test]
fn update_applies_redirect_rules() {
    let env = env();
    let id = with_client(&env);
    for (args, field) in [
        (
            vec!["update", &id, "--redirect-uri", "http://evil.com/cb"],
            "redirect_uris[0]",
        ),
        (
            vec![
                "update",
                &id,
                "--redirect-uri",
                "https://app.example.com/cb#x",
            ],
            "redirect_uris[0]",
        ),
        (
            vec!["update", &id, "--redirect-uri", "javascript:alert(1)"],
            "redirect_uris[0]",
        ),
        (
            vec!["update", &id, "--add-redirect-uri", "http://evil.com/cb"],
            "redirect_uris[1]",
        ),
        (
            vec![
                "update",
                &id,
                "--add-redirect-uri",
                "http://localhost.evil.com/cb",
            ],
            "redirect_uris[1]",
        ),
        (
            vec!["update", &id, "--unset", "redirect_uris"],
            "redirect_uris",
        ),
        (
            vec!["update", &id, "--remove-redirect-uri", CB],
            "redirect_uris",
        ),
        (
            vec![
                "update",
                &id,
                "--application-type",
                "native",
                "--redirect-uri",
                "myapp:/cb",
            ],
            "redirect_uris[0]",
        ),
    ] {
        refused(&env, &args, field, REDIRECT);
    }
    assert_eq!(show(&env, &id)["redirect_uris"], json!([CB]));
}

#[test]
fn update_applies_metadata_rules() {
    let env = env();
    let id = with_client(&env);
    for (args, field) in [
        (
            vec![
                "update",
                &id,
                "--token-endpoint-auth-method",
                "client_secret_jwt",
            ],
            "token_endpoint_auth_method",
        ),
        (
            vec![
                "update",
                &id,
                "--token-endpoint-auth-method",
                "private_key_jwt",
            ],
            "token_endpoint_auth_method",
        ),
        (
            vec![
                "update",
                &id,
                "--grant-type",
                "implicit",
                "--response-type",
                "code",
            ],
            "response_types",
        ),
        (
            vec!["update", &id, "--response-type", "token"],
            "response_types",
        ),
        (vec!["update", &id, "--scope", "a  b"], "scope"),
        (
            vec!["update", &id, "--client-name", "bell\u{7}"],
            "client_name",
        ),
        (
            vec!["update", &id, "--client-uri", "http://app.example.com/"],
            "client_uri",
        ),
        (
            vec!["update", &id, "--application-type", "desktop"],
            "application_type",
        ),
    ] {
        refused(&env, &args, field, METADATA);
    }
    // Fields from a metadata file, merged over the stored ones.
    refused_stdin(
        &env,
        &["update", &id, "--metadata-file", "-"],
        r#"{"client_name":"a\u0007b"}"#,
        "client_name",
        METADATA,
    );
    refused_stdin(
        &env,
        &["update", &id, "--metadata-file", "-"],
        r#"{"client_secret":"mine"}"#,
        "client_secret",
        METADATA,
    );
    refused_stdin(
        &env,
        &["update", &id, "--metadata-file", "-"],
        r#"{"client_name":"a","client_name":"b"}"#,
        "(document)",
        METADATA,
    );
    assert_eq!(show(&env, &id)["client_name"], "victim");
}

#[test]
fn update_replace_applies_the_same_rules() {
    let env = env();
    let id = with_client(&env);
    let replace = |doc: &Value| -> PathBuf { write_file(&env, "replace.json", &doc.to_string()) };
    for (doc, field, code) in [
        (
            json!({"redirect_uris": ["http://evil.com/cb"]}),
            "redirect_uris[0]",
            REDIRECT,
        ),
        (
            json!({"client_name": "no redirect uris"}),
            "redirect_uris",
            REDIRECT,
        ),
        (
            json!({"redirect_uris": [CB], "grant_types": ["implicit"], "response_types": ["code"]}),
            "response_types",
            METADATA,
        ),
        (
            json!({"redirect_uris": [CB], "registration_access_token": "x"}),
            "registration_access_token",
            METADATA,
        ),
        (
            json!({"redirect_uris": [CB], "client_id_issued_at": 0}),
            "client_id_issued_at",
            METADATA,
        ),
        (
            json!({"redirect_uris": [CB], "client_id": "someone-else"}),
            "client_id",
            METADATA,
        ),
        (
            json!({"redirect_uris": [CB], "jwks_uri": "http://evil.com/jwks"}),
            "jwks_uri",
            METADATA,
        ),
    ] {
        let path = replace(&doc);
        refused(
            &env,
            &[
                "update",
                &id,
                "--metadata-file",
                path.to_str().expect("utf-8"),
                "--replace",
            ],
            field,
            code,
        );
    }
    let path = write_file(&env, "replace.json", "[]");
    refused(
        &env,
        &[
            "update",
            &id,
            "--metadata-file",
            path.to_str().expect("utf-8"),
            "--replace",
        ],
        "(document)",
        METADATA,
    );
    let shown = show(&env, &id);
    assert_eq!(shown["redirect_uris"], json!([CB]));
    assert_eq!(shown["client_name"], "victim");
}

// ---------------------------------------------------------------------------------------------
// What a valid registration looks like

#[test]
fn defaults_are_filled_in() {
    let env = env();
    let response = registered(&env, &["--redirect-uri", CB]);
    assert_eq!(response["redirect_uris"], json!([CB]));
    assert_eq!(response["grant_types"], json!(["authorization_code"]));
    assert_eq!(response["response_types"], json!(["code"]));
    assert_eq!(
        response["token_endpoint_auth_method"],
        "client_secret_basic"
    );
    assert_eq!(response["application_type"], "web");
    assert!(response["client_secret"].is_string());
    assert_eq!(response["client_secret_expires_at"], 0);
    assert!(response["client_id_issued_at"].is_i64());
    // No member is ever null.
    let object = response.as_object().expect("object");
    assert!(object.values().all(|v| !v.is_null()), "{response}");
    // `show` has the same effective values.
    let shown = show(&env, &client_id(&response));
    for field in [
        "redirect_uris",
        "grant_types",
        "response_types",
        "token_endpoint_auth_method",
        "application_type",
    ] {
        assert_eq!(shown[field], response[field], "{field}");
    }
}

#[test]
fn public_clients_get_no_secret() {
    let env = env();
    let response = registered(
        &env,
        &["--redirect-uri", CB, "--token-endpoint-auth-method", "none"],
    );
    assert_eq!(response["token_endpoint_auth_method"], "none");
    assert!(response.get("client_secret").is_none(), "{response}");
    assert!(
        response.get("client_secret_expires_at").is_none(),
        "{response}"
    );
    assert!(response["registration_access_token"].is_string());
    let shown = show(&env, &client_id(&response));
    assert_eq!(shown["has_secret"], false);
    assert!(shown.get("client_secret_expires_at").is_none(), "{shown}");
    // A chosen secret makes no sense for a public client.
    let run = env
        .unchanged(|| {
            env.run_stdin(
                &[
                    "register",
                    "--redirect-uri",
                    CB,
                    "--token-endpoint-auth-method",
                    "none",
                    "--client-secret-stdin",
                ],
                "s3cret\n",
            )
        })
        .fails(2);
    assert!(
        error_line(&run.stderr).starts_with("error: client_secret: "),
        "{}",
        run.stderr
    );
}

#[test]
fn a_full_valid_document_round_trips() {
    let env = env();
    let doc = json!({
        "redirect_uris": [CB, "http://127.0.0.1:8080/cb"],
        "token_endpoint_auth_method": "client_secret_post",
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "application_type": "web",
        "client_name": "Full",
        "client_uri": "https://app.example.com/",
        "logo_uri": "https://app.example.com/logo.png",
        "scope": "openid profile email",
        "contacts": ["ops@example.com"],
        "tos_uri": "https://app.example.com/tos",
        "policy_uri": "https://app.example.com/privacy",
        "jwks_uri": "https://app.example.com/jwks.json",
        "software_id": "4NRB1-0XZABZI9E6-5SM3R",
        "software_version": "2.1",
        "skip_authorization": true,
    });
    let response = doc_registered(&env, &doc);
    for (field, value) in doc.as_object().expect("object") {
        assert_eq!(&response[field], value, "{field}");
    }
    let shown = show(&env, &client_id(&response));
    for (field, value) in doc.as_object().expect("object") {
        assert_eq!(&shown[field], value, "{field}");
    }
}

#[test]
fn flags_override_the_metadata_file() {
    let env = env();
    let path = write_file(
        &env,
        "doc.json",
        &json!({"redirect_uris": ["http://evil.com/cb"], "client_name": "file"}).to_string(),
    );
    // The file's bad redirect URI is replaced by the flag, so the result is valid.
    let response = registered(
        &env,
        &[
            "--metadata-file",
            path.to_str().expect("utf-8"),
            "--redirect-uri",
            CB,
        ],
    );
    assert_eq!(response["redirect_uris"], json!([CB]));
    assert_eq!(response["client_name"], "file");
    // And a bad flag over a good file is refused.
    let path = write_file(
        &env,
        "doc2.json",
        &json!({"redirect_uris": [CB]}).to_string(),
    );
    refused(
        &env,
        &[
            "register",
            "--metadata-file",
            path.to_str().expect("utf-8"),
            "--redirect-uri",
            "http://evil.com/cb",
        ],
        "redirect_uris[0]",
        REDIRECT,
    );
}

#[test]
fn refusals_on_a_fresh_database_write_nothing() {
    // No client yet: the failure must not leave a client behind.
    let env = TestEnv::new();
    let run: Run = env
        .run(&["register", "--redirect-uri", "http://evil.com/cb"])
        .fails(2);
    assert!(error_line(&run.stderr).contains("redirect_uris[0]"));
    if env.db().exists() {
        let list = env.run(&["-o", "json", "list"]).ok().json();
        assert_eq!(list, json!([]));
    }
}

/// Issue 17, item 11: the command line refuses a public client with the client-credentials
/// grant (RFC 6749 §4.4) with exit 2, naming the field and the rule, and stores nothing.
#[test]
fn issue_17_a_public_client_credentials_client_is_refused_on_the_command_line() {
    let env = TestEnv::new();
    let run = env.unchanged(|| {
        env.run(&[
            "register",
            "--client-name",
            "cron",
            "--grant-type",
            "client_credentials",
            "--token-endpoint-auth-method",
            "none",
        ])
        .fails(2)
    });
    assert!(run.stderr.contains("grant_types"), "{}", run.stderr);
    assert!(run.stderr.contains("RFC 6749 §4.4"), "{}", run.stderr);
}

//! Unit and property tests of [`validate`] and [`parse_document`]: the rules of SPEC §1 one by
//! one, then properties over generated documents (no panics, defaults always present,
//! idempotence, fragments always refused, policy restrictions honoured).

use super::{
    parse_document, validate, ErrorCode, MetadataDoc, MetadataError, Policy, ValidMetadata,
    DOCUMENT_ROOM_BYTES, MAX_CONTACTS, MAX_DOCUMENT_BYTES, MAX_INPUT_BYTES, MAX_METADATA_BYTES,
    MAX_REDIRECT_URIS, MAX_STRING_BYTES, RESERVED_FIELDS,
};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use serde_json::{json, Value};

const CB: &str = "https://app.example.com/cb";

/// The five members every effective document has.
const ALWAYS_PRESENT: [&str; 5] = [
    "redirect_uris",
    "token_endpoint_auth_method",
    "grant_types",
    "response_types",
    "application_type",
];

fn as_doc(value: Value) -> MetadataDoc {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

#[track_caller]
fn valid(value: Value) -> ValidMetadata {
    let doc = as_doc(value);
    validate(&doc, &Policy::default())
        .unwrap_or_else(|e| panic!("expected {} to validate: {e}", Value::Object(doc.clone())))
}

#[track_caller]
fn invalid(value: Value) -> MetadataError {
    let doc = as_doc(value);
    match validate(&doc, &Policy::default()) {
        Ok(valid) => panic!(
            "expected {} to be refused, got {:?}",
            Value::Object(doc.clone()),
            valid.doc()
        ),
        Err(e) => e,
    }
}

#[track_caller]
fn refused(value: Value, field: &str, code: ErrorCode) -> MetadataError {
    let shown = value.to_string();
    let error = invalid(value);
    assert_eq!(error.field, field, "{shown}: {error}");
    assert_eq!(error.code, code, "{shown}: {error}");
    error
}

// ---------------------------------------------------------------------------------------------
// Examples

#[test]
fn defaults_are_filled_in_first_and_in_order() {
    let valid = valid(json!({"client_name": "x", "redirect_uris": [CB]}));
    let doc = valid.doc();
    assert_eq!(doc["redirect_uris"], json!([CB]));
    assert_eq!(doc["token_endpoint_auth_method"], "client_secret_basic");
    assert_eq!(doc["grant_types"], json!(["authorization_code"]));
    assert_eq!(doc["response_types"], json!(["code"]));
    assert_eq!(doc["application_type"], "web");
    assert_eq!(doc["client_name"], "x");
    let keys: Vec<&str> = doc.keys().map(String::as_str).collect();
    assert_eq!(&keys[..5], &ALWAYS_PRESENT);
    assert_eq!(valid.auth_method().as_str(), "client_secret_basic");
    assert!(valid.auth_method().uses_secret());
    assert_eq!(valid.client_name(), Some("x"));
}

#[test]
fn response_types_follow_the_grant_types() {
    let cases = [
        (json!(["authorization_code"]), json!(["code"])),
        (json!(["implicit"]), json!(["token"])),
        (
            json!(["authorization_code", "implicit"]),
            json!(["code", "token"]),
        ),
        (
            json!(["authorization_code", "refresh_token"]),
            json!(["code"]),
        ),
        (json!(["client_credentials"]), json!([])),
        (
            json!(["urn:ietf:params:oauth:grant-type:device_code"]),
            json!([]),
        ),
    ];
    for (grants, responses) in cases {
        let valid = valid(json!({"redirect_uris": [CB], "grant_types": grants}));
        assert_eq!(valid.doc()["response_types"], responses, "{grants}");
    }
}

#[test]
fn client_credentials_needs_no_redirect_uri() {
    let valid = valid(json!({"grant_types": ["client_credentials"]}));
    assert_eq!(valid.doc()["redirect_uris"], json!([]));
    assert_eq!(valid.doc()["response_types"], json!([]));
}

#[test]
fn public_and_key_clients_use_no_secret() {
    for method in ["none", "tls_client_auth", "self_signed_tls_client_auth"] {
        let valid = valid(json!({"redirect_uris": [CB], "token_endpoint_auth_method": method}));
        assert!(!valid.auth_method().uses_secret(), "{method}");
    }
    let valid = valid(json!({
        "redirect_uris": [CB],
        "token_endpoint_auth_method": "private_key_jwt",
        "jwks": {"keys": [{"kty": "EC"}]},
    }));
    assert!(!valid.auth_method().uses_secret());
    let post = valid_post();
    assert!(post.auth_method().uses_secret());
}

#[test]
fn null_members_count_as_absent() {
    let valid = valid(json!({
        "redirect_uris": [CB],
        "client_name": null,
        "grant_types": null,
        "x_unknown": null,
    }));
    assert!(!valid.doc().contains_key("client_name"));
    assert!(!valid.doc().contains_key("x_unknown"));
    assert_eq!(valid.doc()["grant_types"], json!(["authorization_code"]));
    assert!(valid.doc().values().all(|v| !v.is_null()));
}

#[test]
fn unknown_and_language_tagged_fields_are_kept_verbatim() {
    let extra = json!({"a": [1, 2.5, null, true, {"b": "\u{e9}", "": "#"}]});
    let valid = valid(json!({
        "redirect_uris": [CB],
        "x_extension": extra,
        "client_name#fr": "Mon appli",
        "tos_uri#de-CH": "https://app.example.com/agb",
        "software_id#fr": 5,
    }));
    assert_eq!(valid.doc()["x_extension"], extra);
    assert_eq!(valid.doc()["client_name#fr"], "Mon appli");
    assert_eq!(valid.doc()["tos_uri#de-CH"], "https://app.example.com/agb");
    assert_eq!(valid.doc()["software_id#fr"], 5);
}

/// Issue 12, item 9: the string rule (no C0, DEL or C1 control characters) holds for every
/// string at any depth and for every member name, known members or not.
#[test]
fn issue_12_control_characters_are_refused_at_any_depth() {
    let metadata = ErrorCode::InvalidClientMetadata;
    let values = "must not contain control characters";
    let names = "member name must not contain control characters";
    for (doc, field, rule) in [
        (json!({"x": "csi \u{9b}31m"}), "x", values),
        (json!({"x": "esc \u{1b}[2J"}), "x", values),
        (json!({"x": ["ok", {"y": "del \u{7f}"}]}), "x[1].y", values),
        (
            json!({"x": {"a": {"b": [["nel \u{85}"]]}}}),
            "x.a.b[0][0]",
            values,
        ),
        (json!({"x\u{7}": 1}), "x\u{fffd}", names),
        (json!({"x": {"a\u{1b}b": 1}}), "x.a\u{fffd}b", names),
        (json!({"x": [{"\u{9b}": null}]}), "x[0].\u{fffd}", names),
        (json!({"": {"": "\u{0}"}}), "\"\".\"\"", values),
        (
            json!({"client_name#fr\u{1b}": "x"}),
            "client_name#fr\u{fffd}",
            names,
        ),
        (
            json!({"jwks": {"keys": [{"kid": "a\u{0}"}]}}),
            "jwks.keys[0].kid",
            values,
        ),
        (
            json!({"jwks": {"keys": [{"k\u{9f}": "a"}]}}),
            "jwks.keys[0].k\u{fffd}",
            names,
        ),
    ] {
        let mut doc = as_doc(doc);
        doc.insert("redirect_uris".into(), json!([CB]));
        let error = refused(Value::Object(doc), field, metadata);
        assert_eq!(error.rule, rule, "{error}");
    }
    // Printable text of any script, and escapes that decode to printable text, are kept.
    let kept = json!({"x": {"\u{e9}t\u{e9}": ["\u{4e2d}\u{6587}", "tab-free \\t"]}});
    assert_eq!(
        valid(json!({"redirect_uris": [CB], "x": kept})).doc()["x"],
        kept
    );
}

/// Issue 12, item 9: numbers in unknown members come back as written, not rounded through
/// f64 (`123456789012345678901234567890` came back as `1.2345678901234568e+29`). Only the
/// exponent marker is normalised (`1E5` is written `1e+5`), which keeps the value.
#[test]
fn issue_12_numbers_are_kept_as_written() {
    let text = r#"{"redirect_uris":["https://app.example.com/cb"],"big":123456789012345678901234567890,"neg":-98765432109876543210987654321,"frac":1.50,"tiny":1e-400,"huge":1e+300,"zero":-0,"deep":[{"n":0.1000000000000000055511151231257827}]}"#;
    let doc = parse_document(text.as_bytes()).unwrap();
    let stored = serde_json::to_string(validate(&doc, &Policy::default()).unwrap().doc()).unwrap();
    for member in [
        r#""big":123456789012345678901234567890"#,
        r#""neg":-98765432109876543210987654321"#,
        r#""frac":1.50"#,
        r#""tiny":1e-400"#,
        r#""huge":1e+300"#,
        r#""zero":-0"#,
        r#""deep":[{"n":0.1000000000000000055511151231257827}]"#,
    ] {
        assert!(stored.contains(member), "{member} not in {stored}");
    }
    // Past the range of a double is refused, as it was before.
    for huge in [&br#"{"n":1e400}"#[..], br#"{"n":[-2e308]}"#] {
        let error = parse_document(huge).unwrap_err();
        assert!(error.rule.contains("number out of range"), "{error}");
    }
    let upper = parse_document(br#"{"n":1E5,"m":2e5}"#).unwrap();
    assert_eq!(
        serde_json::to_string(&upper).unwrap(),
        r#"{"n":1e+5,"m":2e+5}"#
    );
    // Reading the stored text back gives the same document.
    assert_eq!(
        parse_document(stored.as_bytes()).unwrap(),
        validate(&doc, &Policy::default()).unwrap().into_doc()
    );
}

#[test]
fn error_messages_name_the_field_and_the_code() {
    let error = refused(
        json!({"redirect_uris": [CB, "https://app.example.com/x#y"]}),
        "redirect_uris[1]",
        ErrorCode::InvalidRedirectUri,
    );
    assert_eq!(
        error.to_string(),
        "redirect_uris[1]: must not contain a fragment (invalid_redirect_uri)"
    );
    let error = refused(
        json!({"redirect_uris": [CB], "scope": "a  b"}),
        "scope",
        ErrorCode::InvalidClientMetadata,
    );
    assert!(error.to_string().starts_with("scope: "), "{error}");
    assert!(
        error.to_string().ends_with(" (invalid_client_metadata)"),
        "{error}"
    );
    assert_eq!(
        ErrorCode::InvalidRedirectUri.as_str(),
        "invalid_redirect_uri"
    );
    assert_eq!(
        ErrorCode::InvalidClientMetadata.as_str(),
        "invalid_client_metadata"
    );
}

#[test]
fn redirect_uri_rules() {
    use ErrorCode::InvalidRedirectUri as R;
    for uri in [
        "/cb",
        "https://app.example.com/cb#f",
        "https://u:p@app.example.com/cb",
        "http://app.example.com/cb",
        "http://localhost.evil.com/cb",
        "http://127.0.0.1.evil.com/cb",
        "http://0x7f.0.0.1/cb",
        "javascript:alert(1)",
        "data:text/html,x",
        "file:///etc/passwd",
        "vbscript:x",
        "com.example.app:/cb",
    ] {
        refused(json!({"redirect_uris": [uri]}), "redirect_uris[0]", R);
    }
    for uri in [
        "myapp:/cb",
        "http://app.example.com/cb",
        "javascript:x",
        "data:,x",
    ] {
        refused(
            json!({"application_type": "native", "redirect_uris": [uri]}),
            "redirect_uris[0]",
            R,
        );
    }
    valid(json!({"application_type": "native", "redirect_uris": ["com.example.app:/cb"]}));
    valid(json!({"application_type": "native", "redirect_uris": ["http://127.0.0.1:4000/cb"]}));
    for grants in [json!(["authorization_code"]), json!(["implicit"])] {
        refused(json!({"grant_types": grants}), "redirect_uris", R);
        refused(
            json!({"grant_types": grants, "redirect_uris": []}),
            "redirect_uris",
            R,
        );
    }
    let many: Vec<String> = (0..=MAX_REDIRECT_URIS)
        .map(|i| format!("https://app.example.com/{i}"))
        .collect();
    refused(json!({"redirect_uris": many}), "redirect_uris", R);
    valid(json!({"redirect_uris": &many[..MAX_REDIRECT_URIS]}));
}

#[test]
fn metadata_rules() {
    use ErrorCode::InvalidClientMetadata as M;
    let cases = [
        (
            json!({"grant_types": ["authorization_code"], "response_types": ["token"]}),
            "response_types",
        ),
        (
            json!({"grant_types": ["client_credentials"], "response_types": ["code"]}),
            "response_types",
        ),
        (
            json!({"grant_types": ["authorization_code", "implicit"], "response_types": ["code"]}),
            "response_types",
        ),
        (
            json!({"grant_types": ["authorization_code"], "response_types": ["code", "token"]}),
            "response_types",
        ),
        (json!({"grant_types": []}), "grant_types"),
        (json!({"grant_types": ["magic"]}), "grant_types[0]"),
        (
            json!({"response_types": ["code", "magic"]}),
            "response_types[1]",
        ),
        (
            json!({"token_endpoint_auth_method": "magic"}),
            "token_endpoint_auth_method",
        ),
        (
            json!({"token_endpoint_auth_method": "client_secret_jwt"}),
            "token_endpoint_auth_method",
        ),
        (
            json!({"token_endpoint_auth_method": "private_key_jwt"}),
            "token_endpoint_auth_method",
        ),
        (
            json!({"jwks": {"keys": []}, "jwks_uri": "https://app.example.com/j"}),
            "jwks",
        ),
        (json!({"jwks": {"keys": {}}}), "jwks"),
        (
            json!({"client_uri": "http://app.example.com/"}),
            "client_uri",
        ),
        (
            json!({"logo_uri": "ftp://app.example.com/l.png"}),
            "logo_uri",
        ),
        (json!({"tos_uri": "tos.html"}), "tos_uri"),
        (json!({"policy_uri": "javascript:alert(1)"}), "policy_uri"),
        (
            json!({"jwks_uri": "http://app.example.com/jwks"}),
            "jwks_uri",
        ),
        (
            json!({"tos_uri#de-CH": "http://app.example.com/agb"}),
            "tos_uri#de-CH",
        ),
        (json!({"client_name#": "x"}), "client_name#"),
        (json!({"client_name#f_r": "x"}), "client_name#f_r"),
        (json!({"scope": "a \"b\""}), "scope"),
        (json!({"scope": "a\\b"}), "scope"),
        (json!({"scope": "a  b"}), "scope"),
        (json!({"scope": "a "}), "scope"),
        (json!({"scope": ""}), "scope"),
        (json!({"scope": "caf\u{e9}"}), "scope"),
        (json!({"client_name": "a\u{7}b"}), "client_name"),
        (json!({"client_name": "a\u{85}b"}), "client_name"),
        (
            json!({"client_name": "x".repeat(MAX_STRING_BYTES + 1)}),
            "client_name",
        ),
        (json!({"client_name": 5}), "client_name"),
        (json!({"skip_authorization": "yes"}), "skip_authorization"),
        (json!({"contacts": ["ok@example.com", 1]}), "contacts[1]"),
        (json!({"application_type": "desktop"}), "application_type"),
    ];
    for (extra, field) in cases {
        let mut doc = json!({"redirect_uris": [CB]});
        for (key, value) in as_doc(extra) {
            doc[key] = value;
        }
        refused(doc, field, M);
    }
    let contacts: Vec<String> = (0..=MAX_CONTACTS)
        .map(|i| format!("a{i}@example.com"))
        .collect();
    refused(
        json!({"redirect_uris": [CB], "contacts": contacts}),
        "contacts",
        M,
    );
    valid(json!({"redirect_uris": [CB], "contacts": &contacts[..MAX_CONTACTS]}));
    valid(json!({"redirect_uris": [CB], "client_name": "\u{e9}".repeat(MAX_STRING_BYTES / 2)}));
}

#[test]
fn client_secret_jwt_says_why() {
    let error =
        invalid(json!({"redirect_uris": [CB], "token_endpoint_auth_method": "client_secret_jwt"}));
    assert!(error.rule.contains("plaintext secret"), "{error}");
}

#[test]
fn reserved_fields_are_refused() {
    for field in RESERVED_FIELDS {
        refused(
            json!({"redirect_uris": [CB], *field: "x"}),
            field,
            ErrorCode::InvalidClientMetadata,
        );
    }
}

#[test]
fn validate_limits_the_whole_document() {
    // Unknown members are bounded only by the document size.
    let pad: Vec<String> = (0..70).map(|_| "p".repeat(1000)).collect();
    refused(
        json!({"redirect_uris": [CB], "x_pad": pad}),
        "(document)",
        ErrorCode::InvalidClientMetadata,
    );
    let pad: Vec<String> = (0..60).map(|_| "p".repeat(1000)).collect();
    valid(json!({"redirect_uris": [CB], "x_pad": pad}));
}

#[test]
fn parse_document_limits_and_strictness() {
    let exactly = format!(
        "{{\"x\":\"{}\"}}",
        "a".repeat(MAX_DOCUMENT_BYTES - "{\"x\":\"\"}".len())
    );
    assert_eq!(exactly.len(), MAX_DOCUMENT_BYTES);
    assert!(parse_document(exactly.as_bytes()).is_ok());
    let over = exactly.replacen('a', "aa", 1);
    let error = parse_document(over.as_bytes()).unwrap_err();
    assert_eq!(error.field, "(document)");
    assert_eq!(error.code, ErrorCode::InvalidClientMetadata);
    assert!(error.rule.contains("65536"), "{error}");
    // Whitespace between tokens is not counted; whitespace inside strings is.
    let spaced = format!(" {}\n", exactly.replace(':', " : "));
    assert!(parse_document(spaced.as_bytes()).is_ok());
    let inside = exactly.replacen('a', " a", 1);
    assert!(parse_document(inside.as_bytes()).is_err());
    let escaped = exactly.replacen('a', "\\\"", 1);
    assert!(parse_document(escaped.as_bytes()).is_err());
    // Up to MAX_INPUT_BYTES are read at all.
    let mut padded = vec![b' '; MAX_INPUT_BYTES - 2];
    padded.extend_from_slice(b"{}");
    assert!(parse_document(&padded).is_ok());
    padded.push(b' ');
    assert!(parse_document(&padded).is_err());
    // Whitespace around the object is fine; trailing garbage is not.
    assert!(parse_document(b" \n{\"a\":1}\n ").is_ok());
    assert!(parse_document(b"{\"a\":1}x").is_err());
    // Keys that differ only in case are different keys.
    assert!(parse_document(br#"{"a":1,"A":2}"#).is_ok());
    // Escaped duplicates are still duplicates.
    assert!(parse_document(br#"{"a":1,"\u0061":2}"#).is_err());
}

/// An effective document of exactly `size` bytes of compact JSON: the defaults in place, then
/// `extra`, then padding.
fn stored_of_size(size: usize, extra: Value) -> MetadataDoc {
    let mut doc = valid(json!({"redirect_uris": [CB]})).into_doc();
    doc.extend(as_doc(extra));
    doc.insert("x_pad".into(), json!(""));
    let base = serde_json::to_vec(&doc).unwrap().len();
    doc.insert("x_pad".into(), json!("p".repeat(size - base)));
    assert_eq!(serde_json::to_vec(&doc).unwrap().len(), size);
    doc
}

/// Issue 12, item 10: the limit applies to the stored (effective) document, and leaves room
/// for what the registry writes beside it, so whatever validates comes back in through
/// `parse_document` as `export`, `show` and an HTTP `GET` hand it out.
#[test]
fn issue_12_what_validates_round_trips_at_the_limit() {
    let at = stored_of_size(MAX_METADATA_BYTES, json!({}));
    let valid = validate(&at, &Policy::default()).unwrap();
    assert_eq!(valid.doc(), &at);
    let over = stored_of_size(MAX_METADATA_BYTES + 1, json!({}));
    let error = refused(
        Value::Object(over),
        "(document)",
        ErrorCode::InvalidClientMetadata,
    );
    assert!(error.rule.contains("65280"), "{error}");
    // The defaults count: the same document without them is smaller but stores as large.
    let mut bare = stored_of_size(MAX_METADATA_BYTES + 1, json!({}));
    for default in [
        "token_endpoint_auth_method",
        "grant_types",
        "response_types",
        "application_type",
    ] {
        bare.shift_remove(default);
    }
    assert!(serde_json::to_vec(&bare).unwrap().len() < MAX_METADATA_BYTES);
    refused(
        Value::Object(bare),
        "(document)",
        ErrorCode::InvalidClientMetadata,
    );

    // As `export` writes it (with the longest client_id) and as an RFC 7592 client sends it
    // back (with a generated secret too): within 64 KiB, read back to the same document.
    let mut whole = MetadataDoc::new();
    whole.insert("client_id".into(), json!("i".repeat(128)));
    whole.insert(
        "client_secret".into(),
        json!(format!("dcrsec_{}", "s".repeat(43))),
    );
    whole.extend(valid.doc().clone());
    let compact = serde_json::to_vec(&whole).unwrap();
    assert!(compact.len() <= MAX_DOCUMENT_BYTES, "{}", compact.len());
    // The room taken: 143 bytes for the id member, 69 for the secret member.
    assert_eq!(compact.len(), MAX_METADATA_BYTES + 143 + 69);
    assert_eq!(MAX_METADATA_BYTES + DOCUMENT_ROOM_BYTES, MAX_DOCUMENT_BYTES);
    // Pretty-printed, as `show -o json` prints it: far over 64 KiB of bytes, still the same.
    let pretty = serde_json::to_vec_pretty(&whole).unwrap();
    for text in [compact, pretty] {
        let mut parsed = parse_document(&text).unwrap();
        parsed.shift_remove("client_id");
        parsed.shift_remove("client_secret");
        assert_eq!(validate(&parsed, &Policy::default()).unwrap(), valid);
    }
}

#[test]
fn parse_then_validate_round_trip() {
    let bytes =
        br#"{"redirect_uris":["https://app.example.com/cb"],"client_name":"x","x":{"y":[1,null]}}"#;
    let doc = parse_document(bytes).unwrap();
    let valid = validate(&doc, &Policy::default()).unwrap();
    let again = parse_document(&serde_json::to_vec(valid.doc()).unwrap()).unwrap();
    assert_eq!(&again, valid.doc());
}

#[test]
fn policy_examples() {
    let policy = Policy {
        allowed_grant_types: Some(vec!["authorization_code".into()]),
        allowed_response_types: Some(vec!["code".into()]),
        allowed_auth_methods: Some(vec!["client_secret_basic".into()]),
        allowed_scopes: Some(vec!["openid".into(), "profile".into()]),
    };
    let check = |value: Value| validate(&as_doc(value), &policy);
    assert!(check(json!({"redirect_uris": [CB], "scope": "openid profile"})).is_ok());
    for (value, field) in [
        (
            json!({"redirect_uris": [CB], "grant_types": ["authorization_code", "refresh_token"]}),
            "grant_types[1]",
        ),
        (
            json!({"redirect_uris": [CB], "token_endpoint_auth_method": "none"}),
            "token_endpoint_auth_method",
        ),
        (
            json!({"redirect_uris": [CB], "scope": "openid admin"}),
            "scope",
        ),
        (
            json!({"redirect_uris": [CB], "grant_types": ["authorization_code", "implicit"], "response_types": ["code", "token"]}),
            "grant_types[1]",
        ),
    ] {
        let error = check(value).unwrap_err();
        assert_eq!(error.field, field, "{error}");
        assert_eq!(error.code, ErrorCode::InvalidClientMetadata);
        assert!(error.rule.contains("not allowed"), "{error}");
    }
    // The default policy restricts nothing.
    assert_eq!(Policy::default().allowed_grant_types, None);
}

// ---------------------------------------------------------------------------------------------
// Strategies

/// Known member names, tagged and reserved variants, and a few unknown ones.
const FIELD_NAMES: &[&str] = &[
    "redirect_uris",
    "token_endpoint_auth_method",
    "grant_types",
    "response_types",
    "application_type",
    "client_name",
    "client_uri",
    "logo_uri",
    "scope",
    "contacts",
    "tos_uri",
    "policy_uri",
    "jwks_uri",
    "jwks",
    "software_id",
    "software_version",
    "software_statement",
    "skip_authorization",
    "client_name#fr",
    "tos_uri#de-CH",
    "logo_uri#",
    "policy_uri#x-\u{e9}",
    "client_id",
    "client_secret",
    "registration_access_token",
    "x_extension",
    "post_logout_redirect_uris",
    "",
    "#",
];

/// Strings that hit the interesting branches of every rule.
const INTERESTING: &[&str] = &[
    "https://app.example.com/cb",
    "http://127.0.0.1:8080/cb",
    "http://[::1]/cb",
    "http://localhost/cb",
    "http://localhost.evil.com/cb",
    "http://0x7f.0.0.1/",
    "https://u@app.example.com/",
    "https://app.example.com/#f",
    "https:app.example.com",
    "http://",
    "https://[::1",
    "com.example.app:/cb",
    "myapp:/cb",
    "javascript:alert(1)",
    "data:,x",
    "file:///",
    "authorization_code",
    "implicit",
    "client_credentials",
    "refresh_token",
    "urn:ietf:params:oauth:grant-type:device_code",
    "code",
    "token",
    "id_token",
    "code id_token",
    "none",
    "client_secret_basic",
    "client_secret_post",
    "client_secret_jwt",
    "private_key_jwt",
    "tls_client_auth",
    "web",
    "native",
    "openid profile",
    "a  b",
    "",
    " ",
    "\u{7}",
    "\u{e9}",
    "#",
    "@",
    ":",
];

fn json_string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(INTERESTING).prop_map(str::to_owned),
        1 => any::<String>(),
        1 => "[a-z:/.#@\\[\\] %-]{0,24}",
    ]
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1000i32..1000).prop_map(|n| Value::from(f64::from(n) / 4.0)),
        json_string().prop_map(Value::String),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((json_string(), inner.clone()), 0..4)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
            // Shapes close to a JWK Set.
            prop::collection::vec(inner, 0..3).prop_map(|keys| json!({ "keys": keys })),
        ]
    })
}

/// `value` with every control character removed from its strings and member names.
fn without_controls(value: Value) -> Value {
    let clean = |text: &str| text.chars().filter(|c| !c.is_control()).collect::<String>();
    match value {
        Value::String(text) => Value::String(clean(&text)),
        Value::Array(items) => Value::Array(items.into_iter().map(without_controls).collect()),
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .map(|(name, item)| (clean(&name), without_controls(item)))
                .collect(),
        ),
        other => other,
    }
}

/// C0, DEL and C1 control characters.
const CONTROLS: &[char] = &[
    '\u{0}', '\u{7}', '\u{9}', '\u{a}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9b}', '\u{9f}',
];

/// A control character hidden in an otherwise clean value: in a string or a member name,
/// under up to four arrays and objects. Gives the value and the field an error must name.
fn hidden_control() -> impl Strategy<Value = (Value, String)> {
    let wrapper = prop::option::of("[a-z]{1,6}"); // None: an array, Some(key): an object
    (
        prop::collection::vec(wrapper, 0..5),
        any::<bool>(),
        select(CONTROLS),
        "[a-z ]{0,6}",
        any::<prop::sample::Index>(),
        json_value().prop_map(without_controls),
    )
        .prop_map(|(wrappers, in_name, control, text, at, filler)| {
            let mut chars: Vec<char> = text.chars().collect();
            chars.insert(at.index(chars.len() + 1), control);
            let tainted: String = chars.iter().collect();
            let shown: String = chars
                .iter()
                .map(|c| if c.is_control() { '\u{FFFD}' } else { *c })
                .collect();
            let (mut value, mut suffix) = if in_name {
                (json!({ tainted: filler }), format!(".{shown}"))
            } else {
                (Value::String(tainted), String::new())
            };
            for wrapper in wrappers.iter().rev() {
                match wrapper {
                    None => {
                        value = json!([filler.clone(), value]);
                        suffix = format!("[1]{suffix}");
                    }
                    Some(key) => {
                        value = json!({ "clean": filler.clone(), key.as_str(): value });
                        // A key "clean" replaces the filler: the path is the same.
                        suffix = format!(".{key}{suffix}");
                    }
                }
            }
            (value, format!("x_probe{suffix}"))
        })
}

/// A JSON number as text: integers far past i64 and u64, fractions with trailing zeros, and
/// exponents (with the explicit sign serde_json writes).
fn number_text() -> impl Strategy<Value = String> {
    (
        prop::option::of(Just("-")),
        prop_oneof![Just("0".to_owned()), "[1-9][0-9]{0,60}"],
        prop::option::of("[0-9]{1,30}"),
        prop::option::of("e[+-][0-9]{1,2}"),
    )
        .prop_map(|(sign, int, frac, exp)| {
            let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
            format!(
                "{}{int}{frac}{}",
                sign.unwrap_or(""),
                exp.unwrap_or_default()
            )
        })
}

/// Arbitrary objects over the known member names (and random ones).
fn arbitrary_doc() -> impl Strategy<Value = MetadataDoc> {
    let key = prop_oneof![
        4 => select(FIELD_NAMES).prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    prop::collection::vec((key, json_value()), 0..10)
        .prop_map(|members| members.into_iter().collect())
}

fn label() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9]{0,9}"
}

fn hostname() -> impl Strategy<Value = String> {
    prop::collection::vec(label(), 2..5).prop_map(|labels| labels.join("."))
}

fn path() -> impl Strategy<Value = String> {
    prop::collection::vec("[A-Za-z0-9._~-]{0,8}", 0..4).prop_map(|segments| {
        segments
            .iter()
            .map(|segment| format!("/{segment}"))
            .collect::<String>()
    })
}

fn query() -> impl Strategy<Value = String> {
    prop::option::of("[a-z]{1,5}=[a-z0-9]{0,5}")
        .prop_map(|query| query.map(|q| format!("?{q}")).unwrap_or_default())
}

fn port() -> impl Strategy<Value = String> {
    prop::option::of(1u16..).prop_map(|port| port.map(|p| format!(":{p}")).unwrap_or_default())
}

/// An https URI on a public host, or loopback http: valid for web and native clients.
fn https_uri() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (hostname(), port(), path(), query())
            .prop_map(|(host, port, path, query)| format!("https://{host}{port}{path}{query}")),
        1 => (select(LOOPBACK_HOSTS), port(), path(), query())
            .prop_map(|(host, port, path, query)| format!("http://{host}{port}{path}{query}")),
    ]
}

/// A redirect URI valid for a native client: also dotted private-use schemes.
fn native_uri() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => https_uri(),
        1 => (hostname(), path()).prop_map(|(scheme, path)| format!("{scheme}:{}", if path.is_empty() { "/".to_owned() } else { path })),
    ]
}

const GRANT_SETS: &[&[&str]] = &[
    &["authorization_code"],
    &["authorization_code", "refresh_token"],
    &["implicit"],
    &["authorization_code", "implicit"],
    &["authorization_code", "implicit", "refresh_token"],
];

const SECRETLESS_OR_SECRET_METHODS: &[&str] = &[
    "none",
    "client_secret_basic",
    "client_secret_post",
    "tls_client_auth",
    "self_signed_tls_client_auth",
];

fn implied_responses(grants: &[&str]) -> Vec<&'static str> {
    let mut responses = Vec::new();
    if grants.contains(&"authorization_code") {
        responses.push("code");
    }
    if grants.contains(&"implicit") {
        responses.push("token");
    }
    responses
}

/// A valid client document: web (https or loopback redirects) or native.
fn valid_client() -> impl Strategy<Value = MetadataDoc> {
    let native = any::<bool>();
    let uris = native.prop_flat_map(|native| {
        let uri = if native {
            native_uri().boxed()
        } else {
            https_uri().boxed()
        };
        (Just(native), prop::collection::vec(uri, 1..5))
    });
    let text = "[A-Za-z0-9 ._'()!-]{1,40}";
    let scope = prop::collection::vec("[a-z:._!*]{1,10}", 1..5).prop_map(|t| t.join(" "));
    let contacts = prop::collection::vec("[a-z]{1,8}@[a-z]{1,8}\\.example", 0..4);
    let method = prop_oneof![
        4 => select(SECRETLESS_OR_SECRET_METHODS).prop_map(|m| (m, false)),
        1 => Just(("private_key_jwt", true)),
    ];
    (
        (
            uris,
            select(GRANT_SETS),
            any::<bool>(),
            method,
            any::<bool>(),
        ),
        (
            prop::option::of(text),
            prop::option::of(scope),
            contacts,
            prop::option::of(https_uri()),
            prop::option::of(https_uri()),
            prop::option::of(any::<bool>()),
            prop::option::of(json_value().prop_map(without_controls)),
        ),
    )
        .prop_map(
            |(
                ((native, uris), grants, explicit_responses, (method, needs_keys), explicit_type),
                (name, scope, contacts, client_uri, tos_uri, skip, extension),
            )| {
                let mut doc = MetadataDoc::new();
                doc.insert("redirect_uris".into(), json!(uris));
                if grants != ["authorization_code"] || explicit_responses {
                    doc.insert("grant_types".into(), json!(grants));
                }
                if explicit_responses {
                    doc.insert("response_types".into(), json!(implied_responses(grants)));
                }
                if method != "client_secret_basic" || explicit_type {
                    doc.insert("token_endpoint_auth_method".into(), json!(method));
                }
                if native {
                    doc.insert("application_type".into(), json!("native"));
                } else if explicit_type {
                    doc.insert("application_type".into(), json!("web"));
                }
                if needs_keys {
                    doc.insert(
                        "jwks_uri".into(),
                        json!("https://keys.example.com/jwks.json"),
                    );
                }
                if let Some(name) = name {
                    doc.insert("client_name".into(), json!(name));
                }
                if let Some(scope) = scope {
                    doc.insert("scope".into(), json!(scope));
                }
                if !contacts.is_empty() {
                    doc.insert("contacts".into(), json!(contacts));
                }
                if let Some(uri) = client_uri {
                    doc.insert("client_uri".into(), json!(uri));
                }
                if let Some(uri) = tos_uri {
                    doc.insert("tos_uri#de-CH".into(), json!(uri));
                }
                if let Some(skip) = skip {
                    doc.insert("skip_authorization".into(), json!(skip));
                }
                if let Some(extension) = extension {
                    doc.insert("x_extension".into(), extension);
                }
                doc
            },
        )
}

/// Invariants of every outcome of `validate`.
fn check_outcome(
    input: &MetadataDoc,
    outcome: &Result<ValidMetadata, MetadataError>,
    policy: &Policy,
) -> Result<(), TestCaseError> {
    match outcome {
        Ok(valid) => {
            let doc = valid.doc();
            for field in ALWAYS_PRESENT {
                prop_assert!(doc.contains_key(field), "{field} missing from {doc:?}");
            }
            prop_assert!(doc["redirect_uris"].is_array());
            prop_assert!(doc["grant_types"].is_array());
            prop_assert!(doc["response_types"].is_array());
            prop_assert_eq!(
                doc["token_endpoint_auth_method"].as_str(),
                Some(valid.auth_method().as_str())
            );
            prop_assert!(doc.values().all(|v| !v.is_null()), "null in {doc:?}");
            // Nothing given is dropped or rewritten.
            for (key, value) in input.iter().filter(|(_, v)| !v.is_null()) {
                prop_assert_eq!(doc.get(key), Some(value), "{} changed", key);
            }
            // Idempotent: the effective document validates to itself.
            let again = validate(doc, policy);
            prop_assert_eq!(again.as_ref(), Ok(valid), "not idempotent");
        }
        Err(error) => {
            prop_assert!(!error.field.is_empty());
            prop_assert!(!error.rule.is_empty());
            if error.code == ErrorCode::InvalidRedirectUri {
                prop_assert!(
                    error.field.starts_with("redirect_uris"),
                    "invalid_redirect_uri for {}",
                    error.field
                );
            }
            let message = error.to_string();
            let prefix = format!("{}: ", error.field);
            let suffix = format!("({})", error.code.as_str());
            prop_assert!(message.starts_with(&prefix), "{}", message);
            prop_assert!(message.ends_with(&suffix), "{}", message);
        }
    }
    Ok(())
}

fn policy() -> impl Strategy<Value = Policy> {
    let subset = |pool: &'static [&'static str]| {
        prop::option::of(
            subsequence(pool, 0..=pool.len())
                .prop_map(|items| items.into_iter().map(str::to_owned).collect::<Vec<_>>()),
        )
    };
    (
        subset(GRANTS),
        subset(RESPONSES),
        subset(METHODS),
        subset(SCOPES),
    )
        .prop_map(|(grants, responses, methods, scopes)| Policy {
            allowed_grant_types: grants,
            allowed_response_types: responses,
            allowed_auth_methods: methods,
            allowed_scopes: scopes,
        })
}

const SCOPES: &[&str] = &[
    "openid",
    "profile",
    "email",
    "offline_access",
    "read",
    "write",
];
const GRANTS: &[&str] = &[
    "authorization_code",
    "implicit",
    "refresh_token",
    "client_credentials",
    "password",
];
const RESPONSES: &[&str] = &["code", "token", "id_token"];
const METHODS: &[&str] = &[
    "none",
    "client_secret_basic",
    "client_secret_post",
    "private_key_jwt",
    "tls_client_auth",
    "self_signed_tls_client_auth",
];
const LOOPBACK_HOSTS: &[&str] = &["127.0.0.1", "[::1]", "localhost"];

fn allows(allowed: Option<&Vec<String>>, value: &str) -> bool {
    allowed.is_none_or(|allowed| allowed.iter().any(|a| a == value))
}

// ---------------------------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// (i) Any bytes: a document or a `(document)` error, never a panic.
    #[test]
    fn parse_document_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Err(error) = parse_document(&bytes) {
            prop_assert_eq!(error.field, "(document)");
            prop_assert_eq!(error.code, ErrorCode::InvalidClientMetadata);
        }
    }

    /// (i) JSON-looking text reaches deeper into the parser.
    #[test]
    fn parse_document_never_panics_on_json_like_text(
        text in "[\\[\\]{}\":,0-9a-z\\\\. \\-eE+tfnul]{0,200}"
    ) {
        match parse_document(text.as_bytes()) {
            Ok(doc) => prop_assert!(text.trim_start().starts_with('{'), "{:?} -> {:?}", text, doc),
            Err(error) => prop_assert_eq!(error.field, "(document)"),
        }
    }

    /// (i) Serialised objects parse back to themselves.
    #[test]
    fn parse_document_round_trips(doc in arbitrary_doc()) {
        let bytes = serde_json::to_vec(&doc).unwrap();
        prop_assume!(bytes.len() <= MAX_DOCUMENT_BYTES);
        prop_assert_eq!(parse_document(&bytes), Ok(doc));
    }

    /// (ii) `validate` never panics on arbitrary objects, and every outcome is well formed.
    #[test]
    fn validate_never_panics(doc in arbitrary_doc()) {
        let policy = Policy::default();
        let outcome = validate(&doc, &policy);
        check_outcome(&doc, &outcome, &policy)?;
    }

    /// (ii) … nor on valid clients with random members mixed in.
    #[test]
    fn validate_never_panics_on_near_valid_documents(
        mut doc in valid_client(),
        noise in prop::collection::vec((select(FIELD_NAMES), json_value()), 0..3),
    ) {
        for (key, value) in noise {
            doc.insert(key.to_owned(), value);
        }
        let policy = Policy::default();
        let outcome = validate(&doc, &policy);
        check_outcome(&doc, &outcome, &policy)?;
    }

    /// (iii) + (iv) Generated valid clients validate, with the defaults present and
    /// correct, and validating the effective document changes nothing.
    #[test]
    fn valid_clients_validate(doc in valid_client()) {
        let policy = Policy::default();
        let outcome = validate(&doc, &policy);
        prop_assert!(outcome.is_ok(), "{:?} refused: {}", doc, outcome.as_ref().unwrap_err());
        check_outcome(&doc, &outcome, &policy)?;
        let effective = outcome.unwrap().into_doc();
        prop_assert_eq!(&effective["redirect_uris"], &doc["redirect_uris"]);
        let grants: Vec<&str> = effective["grant_types"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        prop_assert_eq!(&effective["response_types"], &json!(implied_responses(&grants)));
        let app = if doc.get("application_type") == Some(&json!("native")) { "native" } else { "web" };
        prop_assert_eq!(&effective["application_type"], &json!(app));
        let method = doc
            .get("token_endpoint_auth_method")
            .cloned()
            .unwrap_or_else(|| json!("client_secret_basic"));
        prop_assert_eq!(&effective["token_endpoint_auth_method"], &method);
        // (iv) once more through JSON text, as the store does.
        let text = serde_json::to_vec(&effective).unwrap();
        let reparsed = parse_document(&text).unwrap();
        let again = validate(&reparsed, &policy).unwrap();
        prop_assert_eq!(again.into_doc(), effective);
    }

    /// (vii) Issue 12, item 9: a control character in any string or member name of an
    /// unknown member, at any depth, is refused, naming where it is.
    #[test]
    fn control_characters_are_refused_at_any_depth(
        doc in valid_client(),
        (probe, field) in hidden_control(),
    ) {
        let mut doc = doc;
        doc.insert("x_probe".into(), probe);
        let error = validate(&doc, &Policy::default());
        prop_assert!(error.is_err(), "{:?} accepted", doc);
        let error = error.unwrap_err();
        prop_assert_eq!(error.code, ErrorCode::InvalidClientMetadata);
        prop_assert_eq!(&error.field, &field, "{}", error);
        prop_assert!(error.rule.contains("control characters"), "{}", error);
    }

    /// (viii) Issue 12, item 9: numbers in unknown members, at any depth, are stored and
    /// returned as written.
    #[test]
    fn numbers_are_kept_as_written(doc in valid_client(), numbers in prop::collection::vec(number_text(), 1..4)) {
        let listed = numbers.join(",");
        let mut text = serde_json::to_string(&doc).unwrap();
        text.pop();
        text.push_str(&format!(r#","x_numbers":[{listed}],"x_deep":{{"a":[{{"n":{}}}]}}}}"#, numbers[0]));
        let parsed = parse_document(text.as_bytes()).unwrap();
        let stored = serde_json::to_string(validate(&parsed, &Policy::default()).unwrap().doc()).unwrap();
        prop_assert!(stored.contains(&format!(r#""x_numbers":[{listed}]"#)), "{}", stored);
        prop_assert!(stored.contains(&format!(r#""x_deep":{{"a":[{{"n":{}}}]}}"#, numbers[0])), "{}", stored);
    }

    /// (v) A redirect URI with a `#` anywhere is refused with `invalid_redirect_uri`.
    #[test]
    fn fragments_are_always_refused(
        doc in valid_client(),
        which in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        fragment in "[a-zA-Z0-9/?#=&-]{0,8}",
    ) {
        let mut doc = doc;
        let mut uris: Vec<String> = serde_json::from_value(doc["redirect_uris"].clone()).unwrap();
        let index = which.index(uris.len());
        let uri = &mut uris[index];
        let position = at.index(uri.len() + 1);
        uri.insert_str(position, &format!("#{fragment}"));
        let broken = uri.clone();
        doc.insert("redirect_uris".into(), json!(uris));
        let error = validate(&doc, &Policy::default());
        prop_assert!(error.is_err(), "{} accepted", broken);
        let error = error.unwrap_err();
        prop_assert_eq!(error.code, ErrorCode::InvalidRedirectUri, "{}: {}", broken, error);
        prop_assert_eq!(error.field, format!("redirect_uris[{index}]"), "{}", broken);
    }

    /// (vi) A policy refuses exactly the values outside it.
    #[test]
    fn policy_restrictions_are_honoured(
        policy in policy(),
        grant_flags in prop::collection::vec(any::<bool>(), GRANTS.len()),
        method in select(METHODS),
        scopes in subsequence(SCOPES, 1..=SCOPES.len()),
        with_id_token in any::<bool>(),
    ) {
        let mut grants: Vec<&str> = GRANTS
            .iter()
            .zip(&grant_flags)
            .filter(|(_, on)| **on)
            .map(|(g, _)| *g)
            .collect();
        if grants.is_empty() {
            grants.push("client_credentials");
        }
        // A public client with the client-credentials grant breaks a rule of its own.
        prop_assume!(!(method == "none" && grants.contains(&"client_credentials")));
        let mut responses = implied_responses(&grants);
        if with_id_token && grants.contains(&"implicit") {
            responses.push("id_token");
        }
        let doc = as_doc(json!({
            "redirect_uris": [CB],
            "grant_types": grants,
            "response_types": responses,
            "token_endpoint_auth_method": method,
            "jwks_uri": "https://keys.example.com/jwks.json",
            "scope": scopes.join(" "),
        }));
        let expected_ok = grants.iter().all(|g| allows(policy.allowed_grant_types.as_ref(), g))
            && responses.iter().all(|r| allows(policy.allowed_response_types.as_ref(), r))
            && allows(policy.allowed_auth_methods.as_ref(), method)
            && scopes.iter().all(|s| allows(policy.allowed_scopes.as_ref(), s));
        let outcome = validate(&doc, &policy);
        prop_assert_eq!(outcome.is_ok(), expected_ok, "{:?} under {:?}: {:?}", doc, policy, outcome);
        check_outcome(&doc, &outcome, &policy)?;
        if let Err(error) = outcome {
            prop_assert_eq!(error.code, ErrorCode::InvalidClientMetadata);
            prop_assert!(error.rule.contains("not allowed by this registry"), "{}", error);
            let field = error.field.as_str();
            prop_assert!(
                field == "token_endpoint_auth_method"
                    || field == "scope"
                    || field.starts_with("grant_types[")
                    || field.starts_with("response_types["),
                "{}", field
            );
        }
        // Without restrictions the same document is always fine.
        prop_assert!(validate(&doc, &Policy::default()).is_ok());
    }
}

/// A valid `client_secret_post` client, shared by examples.
fn valid_post() -> ValidMetadata {
    valid(json!({"redirect_uris": [CB], "token_endpoint_auth_method": "client_secret_post"}))
}

/// RFC 6749 §4.4: the client-credentials grant is for confidential clients only (issue 17,
/// item 11).
#[test]
fn issue_17_a_public_client_cannot_use_the_client_credentials_grant() {
    let public = as_doc(json!({
        "grant_types": ["client_credentials"],
        "token_endpoint_auth_method": "none",
    }));
    let error = validate(&public, &Policy::default()).unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidClientMetadata);
    assert_eq!(error.field, "grant_types");
    assert!(error.rule.contains("RFC 6749 §4.4"), "{error}");
    for method in ["client_secret_basic", "private_key_jwt"] {
        let confidential = as_doc(json!({
            "grant_types": ["client_credentials"],
            "token_endpoint_auth_method": method,
            "jwks_uri": "https://keys.example.com/jwks.json",
        }));
        assert!(
            validate(&confidential, &Policy::default()).is_ok(),
            "{method}"
        );
    }
}

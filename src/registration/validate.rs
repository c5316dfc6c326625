//! Every metadata rule of SPEC §1, in one function.

use super::metadata::{
    ApplicationType, AuthMethod, MetadataDoc, ValidMetadata, MAX_CONTACTS, MAX_METADATA_BYTES,
    MAX_REDIRECT_URIS, MAX_STRING_BYTES, RESERVED_FIELDS,
};
use super::redirect::{check_https_uri, check_redirect_uri};
use super::{ErrorCode, MetadataError};
use serde_json::{Map, Value};

/// Server-side restrictions on what dynamic registration may ask for; the command line is
/// trusted and uses [`Policy::default`], which allows everything the rules allow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// `grant_types` values a client may ask for; `None` = any.
    pub allowed_grant_types: Option<Vec<String>>,
    /// `response_types` values a client may ask for; `None` = any.
    pub allowed_response_types: Option<Vec<String>>,
    /// `token_endpoint_auth_method` values; `None` = any.
    pub allowed_auth_methods: Option<Vec<String>>,
    /// Scope tokens; `None` = any.
    pub allowed_scopes: Option<Vec<String>>,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    HttpsUri,
    RedirectList,
    TextList,
    Jwks,
    Bool,
}

/// Known fields in the order the effective document lists them.
const FIELDS: &[(&str, Kind)] = &[
    ("redirect_uris", Kind::RedirectList),
    ("token_endpoint_auth_method", Kind::Text),
    ("grant_types", Kind::TextList),
    ("response_types", Kind::TextList),
    ("application_type", Kind::Text),
    ("client_name", Kind::Text),
    ("client_uri", Kind::HttpsUri),
    ("logo_uri", Kind::HttpsUri),
    ("scope", Kind::Text),
    ("contacts", Kind::TextList),
    ("tos_uri", Kind::HttpsUri),
    ("policy_uri", Kind::HttpsUri),
    ("jwks_uri", Kind::HttpsUri),
    ("jwks", Kind::Jwks),
    ("software_id", Kind::Text),
    ("software_version", Kind::Text),
    ("software_statement", Kind::Text),
    ("skip_authorization", Kind::Bool),
];

/// Human-readable fields that may carry a language tag (RFC 7591 §2.2).
const LANGUAGE_TAGGABLE: &[&str] = &[
    "client_name",
    "client_uri",
    "logo_uri",
    "tos_uri",
    "policy_uri",
];

/// The words a `response_types` value is made of (`code`, or several joined by spaces, as
/// in `code id_token`).
pub const RESPONSE_TYPES: &[&str] = &["code", "token", "id_token", "none"];

/// The client metadata fields this registry knows, in the order the effective document lists
/// them; a document may hold others (extensions), kept verbatim.
pub fn known_fields() -> impl Iterator<Item = &'static str> {
    FIELDS.iter().map(|(name, _)| *name)
}

/// Grant types accepted by name; any other must be an absolute URI (an extension grant).
pub const KNOWN_GRANT_TYPES: &[&str] = &[
    "authorization_code",
    "implicit",
    "password",
    "client_credentials",
    "refresh_token",
    "urn:ietf:params:oauth:grant-type:device_code",
    "urn:ietf:params:oauth:grant-type:jwt-bearer",
    "urn:ietf:params:oauth:grant-type:saml2-bearer",
    "urn:ietf:params:oauth:grant-type:token-exchange",
];

/// Check `input` against every rule and return the effective document.
///
/// Top-level `null` members count as absent, so a document never stores or returns `null`.
///
/// # Errors
/// The first rule broken, naming the field; redirect URI rules give `invalid_redirect_uri`,
/// all others `invalid_client_metadata`.
pub fn validate(input: &MetadataDoc, policy: &Policy) -> Result<ValidMetadata, MetadataError> {
    let doc: MetadataDoc = input
        .iter()
        .filter(|(_, value)| !value.is_null())
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    for (key, value) in &doc {
        check_name(&member_path("", key), key)?;
        check_member(key, value)?;
        check_strings(&member_path("", key), value)?;
    }

    let application_type = match text(&doc, "application_type") {
        None => ApplicationType::Web,
        Some(name) => ApplicationType::ALL
            .into_iter()
            .find(|known| known.as_str() == name)
            .ok_or_else(|| MetadataError::metadata("application_type", "must be web or native"))?,
    };
    let auth_method = auth_method(&doc, policy)?;
    let grant_types = grant_types(&doc, policy)?;
    let response_types = response_types(&doc, &grant_types, policy)?;
    let redirect_uris = redirect_uris(&doc, &grant_types, application_type)?;

    // RFC 6749 §4.4: "The client credentials grant type MUST only be used by confidential
    // clients"; a public client has nothing to authenticate with.
    if auth_method == AuthMethod::None && grant_types.iter().any(|g| g == "client_credentials") {
        return Err(MetadataError::metadata(
            "grant_types",
            "client_credentials needs a confidential client (RFC 6749 §4.4), not \
             token_endpoint_auth_method none",
        ));
    }
    if doc.contains_key("jwks") && doc.contains_key("jwks_uri") {
        return Err(MetadataError::metadata(
            "jwks",
            "jwks and jwks_uri are mutually exclusive",
        ));
    }
    if auth_method == AuthMethod::PrivateKeyJwt
        && !doc.contains_key("jwks")
        && !doc.contains_key("jwks_uri")
    {
        return Err(MetadataError::metadata(
            "token_endpoint_auth_method",
            "private_key_jwt needs jwks or jwks_uri",
        ));
    }
    if let Some(scope) = text(&doc, "scope") {
        check_scope(scope, policy)?;
    }
    if list_len(&doc, "contacts") > MAX_CONTACTS {
        return Err(MetadataError::metadata(
            "contacts",
            format!("at most {MAX_CONTACTS} entries"),
        ));
    }

    let mut effective = Map::new();
    effective.insert("redirect_uris".into(), strings_value(&redirect_uris));
    effective.insert(
        "token_endpoint_auth_method".into(),
        auth_method.as_str().into(),
    );
    effective.insert("grant_types".into(), strings_value(&grant_types));
    effective.insert("response_types".into(), strings_value(&response_types));
    effective.insert("application_type".into(), application_type.as_str().into());
    for (name, _) in FIELDS {
        if let Some(value) = doc.get(*name) {
            effective.entry(*name).or_insert_with(|| value.clone());
        }
    }
    for (key, value) in doc {
        effective.entry(key).or_insert(value);
    }
    // The limit applies to what is stored, defaults included: the same text every output
    // carries and every input takes back (see MAX_METADATA_BYTES).
    let size = serde_json::to_vec(&effective).map_or(usize::MAX, |bytes| bytes.len());
    if size > MAX_METADATA_BYTES {
        return Err(MetadataError::metadata(
            "(document)",
            format!(
                "must be at most {MAX_METADATA_BYTES} bytes of JSON as stored (compact, defaults included), got {size}"
            ),
        ));
    }
    Ok(ValidMetadata {
        doc: effective,
        auth_method,
    })
}

/// Type and shape checks of one member, before any cross-field rule.
fn check_member(key: &str, value: &Value) -> Result<(), MetadataError> {
    if RESERVED_FIELDS.contains(&key) {
        return Err(MetadataError::metadata(
            key,
            "is managed by the registry and cannot be set",
        ));
    }
    let kind = match key.split_once('#') {
        Some((base, tag)) if LANGUAGE_TAGGABLE.contains(&base) => {
            if !is_language_tag(tag) {
                return Err(MetadataError::metadata(key, "has an invalid language tag"));
            }
            kind_of(base)
        }
        Some(_) => None,
        None => kind_of(key),
    };
    let Some(kind) = kind else {
        return Ok(()); // unknown members are kept verbatim and never affect behaviour
    };
    match kind {
        Kind::Text => check_text(key, value).map(|_| ()),
        Kind::HttpsUri => {
            let uri = check_text(key, value)?;
            check_https_uri(uri).map_err(|rule| MetadataError::metadata(key, rule))
        }
        Kind::RedirectList | Kind::TextList => {
            let as_redirect = |mut error: MetadataError| {
                if kind == Kind::RedirectList {
                    error.code = ErrorCode::InvalidRedirectUri;
                }
                error
            };
            let Value::Array(items) = value else {
                return Err(as_redirect(MetadataError::metadata(
                    key,
                    "must be an array of strings",
                )));
            };
            for (index, item) in items.iter().enumerate() {
                check_text(&format!("{key}[{index}]"), item).map_err(as_redirect)?;
            }
            Ok(())
        }
        Kind::Jwks => {
            let keys = value.as_object().and_then(|jwks| jwks.get("keys"));
            match keys {
                Some(Value::Array(keys)) if keys.iter().all(Value::is_object) => Ok(()),
                _ => Err(MetadataError::metadata(
                    key,
                    "must be a JWK Set: an object with a \"keys\" array of objects",
                )),
            }
        }
        Kind::Bool if value.is_boolean() => Ok(()),
        Kind::Bool => Err(MetadataError::metadata(key, "must be true or false")),
    }
}

/// SPEC §1 "strings contain no control characters" (C0, DEL, C1), for every string at any
/// depth and every member name, members the registry does not know included: they are kept
/// verbatim and returned, so they reach terminals, logs and authorization servers as much as
/// known ones do. Known members had their own checks first (which name the right error
/// code); this walks what those do not look into.
fn check_strings(field: &str, value: &Value) -> Result<(), MetadataError> {
    // Paths are built only to name an offender, not for every element of a clean document.
    if !has_control(value) {
        return Ok(());
    }
    match value {
        Value::String(text) if text.chars().any(char::is_control) => Err(MetadataError::metadata(
            field,
            "must not contain control characters",
        )),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(index, item)| check_strings(&format!("{field}[{index}]"), item)),
        Value::Object(members) => members.iter().try_for_each(|(name, item)| {
            let path = member_path(field, name);
            check_name(&path, name)?;
            check_strings(&path, item)
        }),
        _ => Ok(()),
    }
}

fn has_control(value: &Value) -> bool {
    match value {
        Value::String(text) => text.chars().any(char::is_control),
        Value::Array(items) => items.iter().any(has_control),
        Value::Object(members) => members
            .iter()
            .any(|(name, item)| name.chars().any(char::is_control) || has_control(item)),
        _ => false,
    }
}

fn check_name(path: &str, name: &str) -> Result<(), MetadataError> {
    if name.chars().any(char::is_control) {
        return Err(MetadataError::metadata(
            path,
            "member name must not contain control characters",
        ));
    }
    Ok(())
}

/// `parent.name` for error messages, each control character of the name shown as U+FFFD (an
/// error names the field it is about, and this name may be the offender; both faces escape
/// messages again, so an escape here would be shown doubled); `""` for an empty name.
fn member_path(parent: &str, name: &str) -> String {
    let mut path = String::with_capacity(parent.len() + 1 + name.len());
    if !parent.is_empty() {
        path.push_str(parent);
        path.push('.');
    }
    if name.is_empty() {
        path.push_str("\"\"");
    }
    for c in name.chars() {
        path.push(if c.is_control() { '\u{FFFD}' } else { c });
    }
    path
}

fn kind_of(name: &str) -> Option<Kind> {
    FIELDS
        .iter()
        .find(|(field, _)| *field == name)
        .map(|(_, kind)| *kind)
}

fn check_text<'v>(field: &str, value: &'v Value) -> Result<&'v str, MetadataError> {
    let Value::String(text) = value else {
        return Err(MetadataError::metadata(field, "must be a string"));
    };
    if text.len() > MAX_STRING_BYTES {
        return Err(MetadataError::metadata(
            field,
            format!("must be at most {MAX_STRING_BYTES} bytes"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(MetadataError::metadata(
            field,
            "must not contain control characters",
        ));
    }
    Ok(text)
}

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (1..=8).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|part| {
            (1..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

fn text<'d>(doc: &'d MetadataDoc, field: &str) -> Option<&'d str> {
    doc.get(field).and_then(Value::as_str)
}

fn strings(doc: &MetadataDoc, field: &str) -> Option<Vec<String>> {
    doc.get(field).and_then(Value::as_array).map(|items| {
        items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    })
}

fn list_len(doc: &MetadataDoc, field: &str) -> usize {
    doc.get(field).and_then(Value::as_array).map_or(0, Vec::len)
}

fn strings_value(items: &[String]) -> Value {
    Value::Array(items.iter().cloned().map(Value::String).collect())
}

fn check_allowed(
    field: &str,
    value: &str,
    allowed: Option<&Vec<String>>,
) -> Result<(), MetadataError> {
    match allowed {
        Some(allowed) if !allowed.iter().any(|a| a == value) => Err(MetadataError::metadata(
            field,
            format!("{value} is not allowed by this registry"),
        )),
        _ => Ok(()),
    }
}

fn auth_method(doc: &MetadataDoc, policy: &Policy) -> Result<AuthMethod, MetadataError> {
    const FIELD: &str = "token_endpoint_auth_method";
    let name = text(doc, FIELD).unwrap_or("client_secret_basic");
    let method = match (AuthMethod::parse(name), name) {
        (Some(method), _) => method,
        (None, "client_secret_jwt") => {
            return Err(MetadataError::metadata(
                FIELD,
                "client_secret_jwt is not supported: it needs the plaintext secret, which is never stored",
            ))
        }
        (None, other) => {
            return Err(MetadataError::metadata(
                FIELD,
                format!("{other} is not supported (use none, client_secret_basic, client_secret_post, private_key_jwt, tls_client_auth or self_signed_tls_client_auth)"),
            ))
        }
    };
    check_allowed(FIELD, method.as_str(), policy.allowed_auth_methods.as_ref())?;
    Ok(method)
}

fn grant_types(doc: &MetadataDoc, policy: &Policy) -> Result<Vec<String>, MetadataError> {
    let grants = strings(doc, "grant_types").unwrap_or_else(|| vec!["authorization_code".into()]);
    if grants.is_empty() {
        return Err(MetadataError::metadata("grant_types", "must not be empty"));
    }
    for (index, grant) in grants.iter().enumerate() {
        let field = format!("grant_types[{index}]");
        let extension = grant.contains(':') && !grant.contains(' ');
        if !KNOWN_GRANT_TYPES.contains(&grant.as_str()) && !extension {
            return Err(MetadataError::metadata(
                field,
                format!("{grant} is not a known grant type (extension grants are absolute URIs)"),
            ));
        }
        check_allowed(&field, grant, policy.allowed_grant_types.as_ref())?;
    }
    Ok(grants)
}

/// The `response_types` that `grants` imply when a document does not say.
fn implied_response_types(grants: &[String]) -> Vec<String> {
    let mut implied = Vec::new();
    if grants.iter().any(|g| g == "authorization_code") {
        implied.push("code".to_owned());
    }
    if grants.iter().any(|g| g == "implicit") {
        implied.push("token".to_owned());
    }
    implied
}

/// Lay `changes` over a stored effective document, as a partial update does.
///
/// When the grant types change and the response types were only the ones the old grant types
/// implied, they are derived again instead of contradicting the new grants: switching a
/// default client to `client_credentials` should not need `--unset response_types`.
pub fn merge_changes(current: &MetadataDoc, changes: MetadataDoc) -> MetadataDoc {
    let mut merged = current.clone();
    let grants_change =
        changes.contains_key("grant_types") && !changes.contains_key("response_types");
    if grants_change {
        let old_grants = strings(current, "grant_types").unwrap_or_default();
        if strings(current, "response_types") == Some(implied_response_types(&old_grants)) {
            merged.shift_remove("response_types");
        }
    }
    merged.extend(changes);
    merged
}

fn response_types(
    doc: &MetadataDoc,
    grants: &[String],
    policy: &Policy,
) -> Result<Vec<String>, MetadataError> {
    let has_grant = |name: &str| grants.iter().any(|g| g == name);
    let responses =
        strings(doc, "response_types").unwrap_or_else(|| implied_response_types(grants));
    let mut wants_code = false;
    let mut wants_implicit = false;
    for (index, response) in responses.iter().enumerate() {
        let field = format!("response_types[{index}]");
        for part in response.split(' ') {
            match part {
                "code" => wants_code = true,
                "token" | "id_token" => wants_implicit = true,
                "none" => {}
                _ => {
                    return Err(MetadataError::metadata(
                        field,
                        format!(
                            "{response} is not a response type ({})",
                            RESPONSE_TYPES.join(", ")
                        ),
                    ))
                }
            }
        }
        check_allowed(&field, response, policy.allowed_response_types.as_ref())?;
    }
    let inconsistent = |rule: &str| Err(MetadataError::metadata("response_types", rule));
    if wants_code != has_grant("authorization_code") {
        return inconsistent(
            "the code response type and the authorization_code grant type go together (RFC 7591 §2.1)",
        );
    }
    if wants_implicit != has_grant("implicit") {
        return inconsistent(
            "the token and id_token response types and the implicit grant type go together (RFC 7591 §2.1)",
        );
    }
    Ok(responses)
}

fn redirect_uris(
    doc: &MetadataDoc,
    grants: &[String],
    application_type: ApplicationType,
) -> Result<Vec<String>, MetadataError> {
    let uris = strings(doc, "redirect_uris").unwrap_or_default();
    if uris.len() > MAX_REDIRECT_URIS {
        return Err(MetadataError::redirect(
            "redirect_uris",
            format!("at most {MAX_REDIRECT_URIS} entries"),
        ));
    }
    let needs_redirect = grants
        .iter()
        .any(|g| g == "authorization_code" || g == "implicit");
    if needs_redirect && uris.is_empty() {
        return Err(MetadataError::redirect(
            "redirect_uris",
            "at least one is required for the authorization_code and implicit grant types",
        ));
    }
    for (index, uri) in uris.iter().enumerate() {
        check_redirect_uri(uri, application_type)
            .map_err(|rule| MetadataError::redirect(format!("redirect_uris[{index}]"), rule))?;
    }
    Ok(uris)
}

fn check_scope(scope: &str, policy: &Policy) -> Result<(), MetadataError> {
    let valid_token = |token: &str| {
        !token.is_empty()
            && token
                .bytes()
                .all(|b| matches!(b, 0x21 | 0x23..=0x5B | 0x5D..=0x7E))
    };
    if !scope.split(' ').all(valid_token) {
        return Err(MetadataError::metadata(
            "scope",
            "must be scope tokens of printable ASCII (no double quote or backslash) separated by single spaces",
        ));
    }
    for token in scope.split(' ') {
        check_allowed("scope", token, policy.allowed_scopes.as_ref())?;
    }
    Ok(())
}

//! Authorization server metadata (RFC 8414) for clients that discover the registration
//! endpoint before registering.
//!
//! Served at `/.well-known/oauth-authorization-server` (with the issuer's path appended when
//! it has one, RFC 8414 §3) and at `/.well-known/openid-configuration` (with the issuer's
//! path appended, RFC 8414 §5, and after it, OpenID Connect Discovery §4): the three places
//! the MCP authorization spec has clients try for an issuer with a path. The root documents
//! stay for clients that ignore the path; they name the issuer, which such a client checks.
//! The supported values are what validation accepts, narrowed by the server's policy.
//!
//! With `--as-metadata FILE` the document is merged over the real authorization server's
//! metadata: every member of the file is kept (`authorization_endpoint`, `token_endpoint`,
//! `jwks_uri`, …) except the ones computed here, which win: `issuer` (the file's must equal
//! ours, checked at startup), `registration_endpoint`, `grant_types_supported`,
//! `response_types_supported`, `token_endpoint_auth_methods_supported`, and
//! `scopes_supported` when `--allowed-scopes` restricts scopes (otherwise the file's list
//! stands).

use super::AppState;
use crate::registration::{AuthMethod, Policy, KNOWN_GRANT_TYPES};
use axum::extract::State;
use axum::Json;
use serde_json::{json, Map, Value};

/// `/.well-known/oauth-authorization-server`.
pub(super) const OAUTH_WELL_KNOWN: &str = "/.well-known/oauth-authorization-server";
/// `/.well-known/openid-configuration`.
pub(super) const OPENID_WELL_KNOWN: &str = "/.well-known/openid-configuration";

/// Response types registration accepts.
pub(super) const RESPONSE_TYPES: &[&str] = &["code", "token", "id_token", "none"];

/// The metadata document.
pub(super) async fn metadata(State(state): State<AppState>) -> Json<Value> {
    let policy = &state.policy;
    let supported = |allowed: &Option<Vec<String>>, all: &[&str]| -> Value {
        match allowed {
            Some(list) => json!(list),
            None => json!(all),
        }
    };
    let mut doc: Map<String, Value> = (*state.as_metadata).clone();
    doc.insert("issuer".into(), json!(&*state.issuer));
    doc.insert(
        "registration_endpoint".into(),
        json!(state.registration_endpoint()),
    );
    doc.insert(
        "grant_types_supported".into(),
        supported(&policy.allowed_grant_types, KNOWN_GRANT_TYPES),
    );
    doc.insert(
        "response_types_supported".into(),
        json!(response_types_supported(policy)),
    );
    doc.insert(
        "token_endpoint_auth_methods_supported".into(),
        supported(
            &policy.allowed_auth_methods,
            &AuthMethod::ALL.map(AuthMethod::as_str),
        ),
    );
    if let Some(scopes) = &policy.allowed_scopes {
        doc.insert("scopes_supported".into(), json!(scopes));
    }
    Json(Value::Object(doc))
}

/// The response types the policy allows whose grant type it allows too: `code` needs
/// `authorization_code`, `token` and `id_token` need `implicit` (RFC 7591 §2.1), so a server
/// that only allows the code flow does not advertise `token`.
fn response_types_supported(policy: &Policy) -> Vec<String> {
    let grant_allowed = |grant: &str| {
        policy
            .allowed_grant_types
            .as_ref()
            .is_none_or(|allowed| allowed.iter().any(|g| g == grant))
    };
    let usable = |response: &str| {
        response.split(' ').all(|part| match part {
            "code" => grant_allowed("authorization_code"),
            "token" | "id_token" => grant_allowed("implicit"),
            _ => true,
        })
    };
    let candidates: Vec<String> = match &policy.allowed_response_types {
        Some(allowed) => allowed.clone(),
        None => RESPONSE_TYPES.iter().map(|r| (*r).to_owned()).collect(),
    };
    candidates.into_iter().filter(|r| usable(r)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registration::{parse_document, validate};

    /// What is advertised must be what validation accepts.
    #[test]
    fn advertised_values_are_accepted() {
        for grant in KNOWN_GRANT_TYPES {
            let doc = parse_document(
                json!({
                    "grant_types": [grant],
                    "redirect_uris": ["https://app.example.com/cb"],
                    "jwks_uri": "https://app.example.com/jwks",
                })
                .to_string()
                .as_bytes(),
            )
            .unwrap();
            let outcome = validate(&doc, &Policy::default());
            // A grant may need companions (implicit needs a token response type, and so on),
            // but never be unknown.
            if let Err(error) = outcome {
                assert!(!error.rule.contains("not a known"), "{grant}: {error}");
            }
        }
        for method in AuthMethod::ALL {
            assert_eq!(AuthMethod::parse(method.as_str()), Some(method));
        }
    }

    /// Each advertised response type can be registered under the policy's grant types.
    #[test]
    fn response_types_follow_the_allowed_grants() {
        let policy = |grants: Option<&[&str]>, responses: Option<&[&str]>| Policy {
            allowed_grant_types: grants.map(|g| g.iter().map(|s| (*s).to_owned()).collect()),
            allowed_response_types: responses.map(|r| r.iter().map(|s| (*s).to_owned()).collect()),
            ..Policy::default()
        };
        assert_eq!(
            response_types_supported(&policy(None, None)),
            RESPONSE_TYPES
        );
        let code_flow = Some(&["authorization_code", "refresh_token"][..]);
        assert_eq!(
            response_types_supported(&policy(code_flow, None)),
            ["code", "none"]
        );
        assert_eq!(
            response_types_supported(&policy(Some(&["client_credentials"]), None)),
            ["none"]
        );
        assert_eq!(
            response_types_supported(&policy(
                code_flow,
                Some(&["code", "token", "code id_token"])
            )),
            ["code"]
        );
    }
}

//! The metadata document and the typed view of a validated one.

use serde_json::{Map, Value};

/// At most this many `redirect_uris`.
pub const MAX_REDIRECT_URIS: usize = 100;
/// At most this many `contacts`.
pub const MAX_CONTACTS: usize = 50;
/// Longest string value, in bytes.
pub const MAX_STRING_BYTES: usize = 2048;
/// Largest whole document (SPEC §1: 64 KiB), in bytes of JSON not counting whitespace between
/// tokens: a document as `export` writes it and `apply`, `update --replace` and an HTTP `PUT`
/// read it, the metadata with the `client_id` (and perhaps the `client_secret`) beside it.
/// [`super::parse_document`] enforces it on what it reads; the HTTP body limit is the same
/// 64 KiB, counted in bytes received.
pub const MAX_DOCUMENT_BYTES: usize = 64 * 1024;
/// Room a document keeps free for the members the registry writes beside the metadata or
/// takes back with it: `,"client_id":"…"` with the longest id (128 characters, 143 bytes) and
/// `,"client_secret":"…"` with a generated secret (69 bytes).
pub const DOCUMENT_ROOM_BYTES: usize = 256;
// The longest client_id is 128 characters (SPEC §2); a generated secret is 50 bytes.
const _: () = assert!(
    ",\"client_id\":\"\"".len() + 128 + ",\"client_secret\":\"\"".len() + 50 <= DOCUMENT_ROOM_BYTES
);
/// Largest effective metadata, as stored: compact JSON with the defaults filled in
/// ([`super::validate`] enforces it). Whatever the registry accepted therefore fits in a
/// whole document with its `client_id`, so `export | apply`, `show | update --replace` and an
/// RFC 7592 `GET` → `PUT` round trip never meet a limit the registration did not.
pub const MAX_METADATA_BYTES: usize = MAX_DOCUMENT_BYTES - DOCUMENT_ROOM_BYTES;
/// Most bytes read for one document from a file or stdin: whitespace is not counted against
/// [`MAX_DOCUMENT_BYTES`], and pretty-printed output (`show -o json`) of a document at the
/// limit takes many times its compact size when it nests deep.
pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

/// Take the string member `name` out of `doc`, spelt plainly or with WSO2's `ext_param_`
/// prefix (both spellings must then agree): how every face reads a `client_id` or
/// `client_secret` a document carries. A null member is an absent one, as everywhere in a
/// metadata document.
///
/// # Errors
/// `invalid_client_metadata` naming the member that is not a string, or that disagrees with
/// the other spelling.
pub fn take_identifier(
    doc: &mut MetadataDoc,
    name: &str,
) -> Result<Option<String>, super::MetadataError> {
    let prefixed = format!("ext_param_{name}");
    let mut chosen: Option<String> = None;
    for field in [name, prefixed.as_str()] {
        match doc.shift_remove(field) {
            None | Some(Value::Null) => {}
            Some(Value::String(value)) => {
                if chosen.as_ref().is_some_and(|earlier| *earlier != value) {
                    return Err(super::MetadataError::metadata(
                        field,
                        format!("disagrees with {name}"),
                    ));
                }
                chosen = Some(value);
            }
            Some(_) => return Err(super::MetadataError::metadata(field, "must be a string")),
        }
    }
    Ok(chosen)
}

/// Response members the registry manages itself; a document may not set them.
pub const RESERVED_FIELDS: &[&str] = &[
    "client_id",
    "client_secret",
    "client_id_issued_at",
    "client_secret_expires_at",
    "registration_access_token",
    "registration_client_uri",
    // Status members that `show` adds beside the metadata.
    "registered_via",
    "has_secret",
    "updated_at",
    "last_used_at",
];

/// A client metadata document as received: a JSON object, not yet validated.
pub type MetadataDoc = Map<String, Value>;

/// `application_type` (OpenID Connect Dynamic Registration §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationType {
    /// Browser-based or server-side clients: https redirects (loopback http allowed).
    Web,
    /// Installed apps, RFC 8252 redirect rules.
    Native,
}

impl ApplicationType {
    /// Every application type, the default first.
    pub const ALL: [ApplicationType; 2] = [ApplicationType::Web, ApplicationType::Native];

    /// The name of this type in a document.
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationType::Web => "web",
            ApplicationType::Native => "native",
        }
    }
}

/// `token_endpoint_auth_method`: how the client authenticates at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    /// Public client, no secret.
    None,
    /// HTTP Basic with the client secret.
    ClientSecretBasic,
    /// Secret in the POST body.
    ClientSecretPost,
    /// JWT signed with the client's key (RFC 7523).
    PrivateKeyJwt,
    /// Mutual TLS with a PKI certificate (RFC 8705).
    TlsClientAuth,
    /// Mutual TLS with a self-signed certificate (RFC 8705).
    SelfSignedTlsClientAuth,
}

impl AuthMethod {
    /// Every method the registry accepts.
    pub const ALL: [AuthMethod; 6] = [
        AuthMethod::ClientSecretBasic,
        AuthMethod::ClientSecretPost,
        AuthMethod::None,
        AuthMethod::PrivateKeyJwt,
        AuthMethod::TlsClientAuth,
        AuthMethod::SelfSignedTlsClientAuth,
    ];

    /// Parse a method name; `None` for names the registry does not accept.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "none" => AuthMethod::None,
            "client_secret_basic" => AuthMethod::ClientSecretBasic,
            "client_secret_post" => AuthMethod::ClientSecretPost,
            "private_key_jwt" => AuthMethod::PrivateKeyJwt,
            "tls_client_auth" => AuthMethod::TlsClientAuth,
            "self_signed_tls_client_auth" => AuthMethod::SelfSignedTlsClientAuth,
            _ => return None,
        })
    }

    /// The RFC name of this method.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::None => "none",
            AuthMethod::ClientSecretBasic => "client_secret_basic",
            AuthMethod::ClientSecretPost => "client_secret_post",
            AuthMethod::PrivateKeyJwt => "private_key_jwt",
            AuthMethod::TlsClientAuth => "tls_client_auth",
            AuthMethod::SelfSignedTlsClientAuth => "self_signed_tls_client_auth",
        }
    }

    /// Whether clients using this method are issued a `client_secret`.
    pub fn uses_secret(self) -> bool {
        matches!(
            self,
            AuthMethod::ClientSecretBasic | AuthMethod::ClientSecretPost
        )
    }
}

/// A document that passed [`super::validate`], with defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidMetadata {
    pub(super) doc: MetadataDoc,
    pub(super) auth_method: AuthMethod,
}

impl ValidMetadata {
    /// The effective document, as stored and returned.
    pub fn doc(&self) -> &MetadataDoc {
        &self.doc
    }

    /// Consume into the effective document.
    pub fn into_doc(self) -> MetadataDoc {
        self.doc
    }

    /// The effective `token_endpoint_auth_method`.
    pub fn auth_method(&self) -> AuthMethod {
        self.auth_method
    }

    /// `client_name`, when set.
    pub fn client_name(&self) -> Option<&str> {
        self.doc.get("client_name").and_then(Value::as_str)
    }
}

//! Client metadata (RFC 7591 §2) and the rules it must obey, with no I/O of any kind.
//!
//! A metadata document is a JSON object. [`validate`] checks one against every rule of
//! SPEC §1 and returns the effective document (defaults filled in) or the first broken rule
//! as a [`MetadataError`] naming the field and the RFC 7591 error code. The command line and
//! the HTTP server both call it, so a rule exists exactly once.

mod metadata;
mod parse;
mod redirect;
mod response;
mod validate;

pub use metadata::{
    take_identifier, ApplicationType, AuthMethod, MetadataDoc, ValidMetadata, DOCUMENT_ROOM_BYTES,
    MAX_CONTACTS, MAX_DOCUMENT_BYTES, MAX_INPUT_BYTES, MAX_METADATA_BYTES, MAX_REDIRECT_URIS,
    MAX_STRING_BYTES, RESERVED_FIELDS,
};
pub use parse::parse_document;
pub use response::{ClientInformation, Member, RegistryMembers};
pub use validate::{
    known_fields, merge_changes, validate, Policy, KNOWN_GRANT_TYPES, RESPONSE_TYPES,
};

/// The RFC 7591 §3.2.2 error code a validation failure maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// `invalid_redirect_uri`
    InvalidRedirectUri,
    /// `invalid_client_metadata`
    InvalidClientMetadata,
}

impl ErrorCode {
    /// The code as it appears in the `error` member of an HTTP error response.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidRedirectUri => "invalid_redirect_uri",
            ErrorCode::InvalidClientMetadata => "invalid_client_metadata",
        }
    }
}

/// One broken rule: which field, what the rule is, and the RFC 7591 code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {rule} ({})", code.as_str())]
pub struct MetadataError {
    /// RFC 7591 error code.
    pub code: ErrorCode,
    /// The offending field, with an index for list members (`redirect_uris[2]`).
    pub field: String,
    /// The rule, phrased so it completes "field: …".
    pub rule: String,
}

impl MetadataError {
    pub(crate) fn metadata(field: impl Into<String>, rule: impl Into<String>) -> Self {
        MetadataError {
            code: ErrorCode::InvalidClientMetadata,
            field: field.into(),
            rule: rule.into(),
        }
    }

    pub(crate) fn redirect(field: impl Into<String>, rule: impl Into<String>) -> Self {
        MetadataError {
            code: ErrorCode::InvalidRedirectUri,
            field: field.into(),
            rule: rule.into(),
        }
    }
}

#[cfg(test)]
mod tests;

//! The client information response of RFC 7591 §3.2.1 / RFC 7592 §3.

use super::metadata::MetadataDoc;
use serde::ser::{Serialize, SerializeMap, Serializer};

/// What every create, read, update and rotate returns: registry-managed members first, then
/// the effective metadata. Absent values are omitted, never `null`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientInformation {
    /// The client identifier.
    pub client_id: String,
    /// The plaintext secret, only in the response that issued it.
    pub client_secret: Option<String>,
    /// Unix seconds of registration.
    pub client_id_issued_at: i64,
    /// Unix seconds when the current secret expires, 0 for never; `None` for public clients.
    pub client_secret_expires_at: Option<i64>,
    /// The plaintext RAT, only in the response that issued it (or an HTTP response to it).
    pub registration_access_token: Option<String>,
    /// Set by the HTTP server from its issuer.
    pub registration_client_uri: Option<String>,
    /// The effective metadata document.
    pub metadata: MetadataDoc,
}

impl Serialize for ClientInformation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("client_id", &self.client_id)?;
        if let Some(secret) = &self.client_secret {
            map.serialize_entry("client_secret", secret)?;
        }
        map.serialize_entry("client_id_issued_at", &self.client_id_issued_at)?;
        if let Some(expires_at) = self.client_secret_expires_at {
            map.serialize_entry("client_secret_expires_at", &expires_at)?;
        }
        if let Some(token) = &self.registration_access_token {
            map.serialize_entry("registration_access_token", token)?;
        }
        if let Some(uri) = &self.registration_client_uri {
            map.serialize_entry("registration_client_uri", uri)?;
        }
        for (key, value) in &self.metadata {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

//! The client information response of RFC 7591 §3.2.1 / RFC 7592 §3.

use super::metadata::MetadataDoc;
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::fmt;

/// What every create, read, update and rotate returns: registry-managed members first, then
/// the effective metadata. Absent values are omitted, never `null`.
///
/// `Debug` redacts `client_secret` and `registration_access_token`, so a `{:?}` in a log line
/// or tracing span cannot leak them; only [`Serialize`] writes them, into the one response.
#[derive(Clone, PartialEq)]
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

impl fmt::Debug for ClientInformation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |value: &Option<String>| value.as_ref().map(|_| Redacted);
        f.debug_struct("ClientInformation")
            .field("client_id", &self.client_id)
            .field("client_secret", &redacted(&self.client_secret))
            .field("client_id_issued_at", &self.client_id_issued_at)
            .field("client_secret_expires_at", &self.client_secret_expires_at)
            .field(
                "registration_access_token",
                &redacted(&self.registration_access_token),
            )
            .field("registration_client_uri", &self.registration_client_uri)
            .field("metadata", &self.metadata)
            .finish()
    }
}

/// Stands in for a credential in `Debug` output.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The value of a member the registry writes itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member<'a> {
    /// A JSON string.
    Text(&'a str),
    /// A JSON integer.
    Number(i64),
}

impl Serialize for Member<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Member::Text(text) => serializer.serialize_str(text),
            Member::Number(number) => serializer.serialize_i64(*number),
        }
    }
}

/// The members of a §4 response that come before the metadata, borrowed: what
/// [`ClientInformation`] serializes, and what a listing writes around stored metadata text.
#[derive(Debug, Clone, Copy)]
pub struct RegistryMembers<'a> {
    /// `client_id`.
    pub client_id: &'a str,
    /// `client_secret`, only when just issued.
    pub client_secret: Option<&'a str>,
    /// `client_id_issued_at`.
    pub client_id_issued_at: i64,
    /// `client_secret_expires_at`, absent for public clients.
    pub client_secret_expires_at: Option<i64>,
    /// `registration_access_token`, only when just issued or presented.
    pub registration_access_token: Option<&'a str>,
    /// `registration_client_uri`, from the server.
    pub registration_client_uri: Option<&'a str>,
}

impl RegistryMembers<'_> {
    /// Hand each present member to `each`, in §4 order: the one place that order is written.
    ///
    /// # Errors
    /// The first error of `each`.
    pub fn each<E>(
        &self,
        mut each: impl FnMut(&'static str, Member<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        each("client_id", Member::Text(self.client_id))?;
        if let Some(secret) = self.client_secret {
            each("client_secret", Member::Text(secret))?;
        }
        each(
            "client_id_issued_at",
            Member::Number(self.client_id_issued_at),
        )?;
        if let Some(expires_at) = self.client_secret_expires_at {
            each("client_secret_expires_at", Member::Number(expires_at))?;
        }
        if let Some(token) = self.registration_access_token {
            each("registration_access_token", Member::Text(token))?;
        }
        if let Some(uri) = self.registration_client_uri {
            each("registration_client_uri", Member::Text(uri))?;
        }
        Ok(())
    }
}

impl ClientInformation {
    /// The members before the metadata.
    pub fn registry_members(&self) -> RegistryMembers<'_> {
        RegistryMembers {
            client_id: &self.client_id,
            client_secret: self.client_secret.as_deref(),
            client_id_issued_at: self.client_id_issued_at,
            client_secret_expires_at: self.client_secret_expires_at,
            registration_access_token: self.registration_access_token.as_deref(),
            registration_client_uri: self.registration_client_uri.as_deref(),
        }
    }
}

impl Serialize for ClientInformation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        self.registry_members()
            .each(|name, value| map.serialize_entry(name, &value))?;
        for (key, value) in &self.metadata {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_credentials() {
        let mut info = ClientInformation {
            client_id: "app".into(),
            client_secret: Some("dcrsec_topsecret".into()),
            client_id_issued_at: 1,
            client_secret_expires_at: Some(0),
            registration_access_token: Some("dcrrat_alsosecret".into()),
            registration_client_uri: None,
            metadata: MetadataDoc::new(),
        };
        let shown = format!("{info:?}");
        assert!(
            !shown.contains("topsecret") && !shown.contains("alsosecret"),
            "{shown}"
        );
        assert!(shown.contains("client_secret: Some(<redacted>)"), "{shown}");
        assert!(
            shown.contains("registration_access_token: Some(<redacted>)"),
            "{shown}"
        );
        assert!(shown.contains("client_id: \"app\""), "{shown}");
        let pretty = format!("{info:#?}");
        assert!(!pretty.contains("topsecret") && !pretty.contains("alsosecret"));
        info.client_secret = None;
        info.registration_access_token = None;
        let shown = format!("{info:?}");
        assert!(shown.contains("client_secret: None"), "{shown}");
        assert!(shown.contains("registration_access_token: None"), "{shown}");
    }
}

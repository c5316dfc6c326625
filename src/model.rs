//! Records the registry keeps, as the store returns them and the faces render them.

use crate::registration::{AuthMethod, ClientInformation, MetadataDoc};
use serde_json::Value;

/// How a client came to be registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisteredVia {
    /// `dcrctl register`.
    Cli,
    /// `dcrctl apply`.
    Apply,
    /// `POST /register`.
    Http,
}

impl RegisteredVia {
    /// The stored and displayed name.
    pub fn as_str(self) -> &'static str {
        match self {
            RegisteredVia::Cli => "cli",
            RegisteredVia::Apply => "apply",
            RegisteredVia::Http => "http",
        }
    }

    /// Parse the stored name.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "cli" => RegisteredVia::Cli,
            "apply" => RegisteredVia::Apply,
            "http" => RegisteredVia::Http,
            _ => return None,
        })
    }
}

/// What an audit entry records. Stored (and shown by `events`) as [`Action::as_str`]; entries
/// read back keep their stored text, as a newer dcrctl may write actions this one lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// A client was created.
    Register,
    /// A client's metadata changed (patch, replacement, upsert or apply).
    Update,
    /// A client was deleted.
    Delete,
    /// A client got a new secret.
    RotateSecret,
    /// A client got a new registration access token.
    RotateToken,
    /// Clients were pruned (one entry for a whole batch).
    Prune,
    /// Dead initial access tokens were pruned.
    PruneTokens,
    /// Old audit entries were pruned.
    PruneEvents,
    /// An initial access token was minted.
    TokenCreate,
    /// An initial access token was revoked.
    TokenRevoke,
    /// An admin account was added.
    AdminAdd,
    /// An admin account was removed.
    AdminRemove,
    /// An admin account's password changed.
    AdminPasswd,
    /// The registry was copied here from another database (`db copy`).
    Copy,
}

impl Action {
    /// The stored and displayed name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::Register => "register",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::RotateSecret => "rotate-secret",
            Action::RotateToken => "rotate-token",
            Action::Prune => "prune",
            Action::PruneTokens => "prune-tokens",
            Action::PruneEvents => "prune-events",
            Action::TokenCreate => "token-create",
            Action::TokenRevoke => "token-revoke",
            Action::AdminAdd => "admin-add",
            Action::AdminRemove => "admin-remove",
            Action::AdminPasswd => "admin-passwd",
            Action::Copy => "copy",
        }
    }
}

/// What an identifier names, in "no such …" and "… already exists" errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    /// A client, by id.
    Client,
    /// A client, by `client_name`.
    ClientNamed,
    /// An initial access token, by id.
    Token,
    /// An admin account, by name.
    Account,
    /// A file (a backup destination).
    File,
    /// A whole registry that is not empty (a copy's destination).
    Registry,
}

impl std::fmt::Display for Entity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Entity::Client => "client",
            Entity::ClientNamed => "client named",
            Entity::Token => "token",
            Entity::Account => "account",
            Entity::File => "file",
            Entity::Registry => "non-empty registry",
        })
    }
}

/// A registered client: effective metadata plus what the registry knows about it.
/// Never holds a secret or token, not even hashed.
#[derive(Debug, Clone, PartialEq)]
pub struct Client {
    /// The identifier.
    pub client_id: String,
    /// Effective metadata.
    pub metadata: MetadataDoc,
    /// Unix seconds of registration.
    pub client_id_issued_at: i64,
    /// Expiry of the current secret (0 = never); `None` for clients without a secret.
    pub client_secret_expires_at: Option<i64>,
    /// Whether a current secret exists.
    pub has_secret: bool,
    /// The effective `token_endpoint_auth_method`, as its own column stores it.
    pub auth_method: AuthMethod,
    /// How the client was registered.
    pub registered_via: RegisteredVia,
    /// Unix seconds of the last change.
    pub updated_at: i64,
    /// Unix seconds of the last successful use of a credential, if any.
    pub last_used_at: Option<i64>,
    /// Increases with every change; the HTTP `ETag` is derived from it.
    pub revision: i64,
    /// Until when a previous secret still works (its grace period after a rotation). Only
    /// [`crate::ops::show`] looks it up; every other read leaves it `None`.
    pub previous_secret_valid_until: Option<i64>,
}

impl Client {
    /// `client_name`, when set.
    pub fn client_name(&self) -> Option<&str> {
        self.metadata.get("client_name").and_then(Value::as_str)
    }

    /// The client information response without any one-time credential.
    ///
    /// `client_secret_expires_at` is present for every confidential client (SPEC §4), as `0`
    /// for those that authenticate with keys or certificates rather than a secret.
    pub fn information(&self) -> ClientInformation {
        let secret_expires_at =
            response_secret_expiry(self.client_secret_expires_at, self.auth_method);
        ClientInformation {
            client_id: self.client_id.clone(),
            client_secret: None,
            client_id_issued_at: self.client_id_issued_at,
            client_secret_expires_at: secret_expires_at,
            registration_access_token: None,
            registration_client_uri: None,
            metadata: self.metadata.clone(),
        }
    }
}

/// A client as listings show it, borrowed from the database row: the stored metadata stays
/// the JSON text it was written as, so a listing never parses or copies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientSummary<'r> {
    /// The identifier.
    pub client_id: &'r str,
    /// `client_name`, when set.
    pub client_name: Option<&'r str>,
    /// The effective `token_endpoint_auth_method`.
    pub token_endpoint_auth_method: AuthMethod,
    /// The effective metadata as stored: a compact JSON object.
    pub metadata_json: &'r str,
    /// Unix seconds of registration.
    pub client_id_issued_at: i64,
    /// Expiry of the current secret as stored (`None`: no secret).
    pub client_secret_expires_at: Option<i64>,
    /// How the client was registered.
    pub registered_via: RegisteredVia,
    /// Unix seconds of the last change.
    pub updated_at: i64,
    /// Unix seconds of the last use, if any.
    pub last_used_at: Option<i64>,
}

impl ClientSummary<'_> {
    /// `client_secret_expires_at` as responses show it.
    pub fn response_secret_expiry(&self) -> Option<i64> {
        response_secret_expiry(
            self.client_secret_expires_at,
            self.token_endpoint_auth_method,
        )
    }
}

/// `client_secret_expires_at` as responses show it: the stored value, or `0` for confidential
/// clients without a secret; absent only for public clients.
pub(crate) fn response_secret_expiry(stored: Option<i64>, auth_method: AuthMethod) -> Option<i64> {
    match stored {
        None if auth_method != AuthMethod::None => Some(0),
        other => other,
    }
}

/// One audit log entry. `details` never contains a secret.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Unix seconds.
    pub at: i64,
    /// `cli:<user>`, `http:<client_id|admin:name|iat:id|anonymous>`.
    pub actor: String,
    /// `register`, `update`, `delete`, `rotate-secret`, …
    pub action: String,
    /// The client concerned, if any.
    pub client_id: Option<String>,
    /// What changed, as JSON.
    pub details: Value,
}

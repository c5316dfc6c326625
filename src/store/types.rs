//! What the store takes and returns besides the model's records: filters, criteria, rows
//! and reports, the same for every backend.

pub use super::listing::{ListOrder, NameGlob, SortKey};
use crate::model::RegisteredVia;
use crate::registration::{AuthMethod, MetadataDoc};

/// Which clients `list` returns, in which order. All criteria combine with AND. Time bounds
/// are half-open: a lower bound includes its time, an upper bound excludes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// Shell glob on `client_name` (see [`NameGlob`]); clients without a name never match.
    pub name_glob: Option<NameGlob>,
    /// Clients whose `grant_types` contains this value.
    pub grant_type: Option<String>,
    /// Only clients whose current secret expired at or before this Unix time.
    pub secret_expired_before: Option<i64>,
    /// Registered before this Unix time (not at it).
    pub created_before: Option<i64>,
    /// Registered at or after this Unix time.
    pub created_after: Option<i64>,
    /// The listing's order.
    pub order: ListOrder,
    /// Only clients after this one in the listing's order (keyset pagination: the last id
    /// of the previous page). The client must exist.
    pub after: Option<String>,
    /// At most this many.
    pub limit: Option<u64>,
    /// Skip this many first.
    pub offset: u64,
}

/// A row to insert into `clients`.
pub(crate) struct NewClient<'a> {
    pub(crate) client_id: &'a str,
    pub(crate) metadata: &'a MetadataDoc,
    pub(crate) auth_method: AuthMethod,
    pub(crate) issued_at: i64,
    pub(crate) secret_expires_at: Option<i64>,
    pub(crate) registration_token_hash: &'a str,
    pub(crate) registered_via: RegisteredVia,
}

/// The `client_name` column of a client: its metadata's `client_name`, when a string.
pub(super) fn client_name(metadata: &MetadataDoc) -> Option<&str> {
    metadata
        .get("client_name")
        .and_then(serde_json::Value::as_str)
}

/// The `metadata` column of a client: the document as JSON text, members in their order.
pub(super) fn metadata_json(metadata: &MetadataDoc) -> Result<String, super::StoreError> {
    serde_json::to_string(metadata).map_err(|e| super::StoreError::other(e.to_string()))
}

/// An `initial_access_tokens` row, as `token list` shows it (never the hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TokenRow {
    pub(crate) token_id: String,
    pub(crate) note: Option<String>,
    pub(crate) created_at: i64,
    /// Unix seconds; 0 = never.
    pub(crate) expires_at: i64,
    pub(crate) max_uses: Option<i64>,
    pub(crate) uses: i64,
    pub(crate) revoked_at: Option<i64>,
}

/// An `admins` row without its password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AdminRow {
    pub(crate) name: String,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
}

/// Which clients `prune` removes; `None` criteria are off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PruneCriteria {
    /// Clients whose secret expired at or before this Unix time.
    pub expired_before: Option<i64>,
    /// Clients not used (or, never used, not registered) since this Unix time.
    pub unused_since: Option<i64>,
    /// Whether `unused_since` also applies to clients registered with the CLI or apply.
    pub include_provisioned: bool,
}

/// Why a client is pruned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PruneReason {
    /// Its secret expired long enough ago.
    Expired,
    /// Nobody used it for long enough.
    Unused,
}

impl PruneReason {
    /// The name used in output and the audit log.
    pub fn as_str(self) -> &'static str {
        match self {
            PruneReason::Expired => "expired",
            PruneReason::Unused => "unused",
        }
    }
}

/// Where a client sits in the walk `prune` makes over the clients: opaque to callers, who
/// only hand it back to resume the walk after it or to delete the client it marks. (In
/// SQLite, the row's rowid: the walk reads the table in its own order.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct PrunePosition(pub(super) i64);

impl PrunePosition {
    /// Past every client: a walk's bound that excludes none.
    pub(crate) const LAST: PrunePosition = PrunePosition(i64::MAX);
}

/// A client `prune` selected, and its place in the walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PruneCandidate {
    pub(crate) position: PrunePosition,
    pub(crate) client_id: String,
    pub(crate) reason: PruneReason,
}

/// Filters of `events`. Time bounds are half-open, as [`ListFilter`]'s.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Only events about this client.
    pub client_id: Option<String>,
    /// Only events at or after this Unix time.
    pub since: Option<i64>,
    /// Only events before this Unix time (not at it).
    pub until: Option<i64>,
    /// Only events with one of these actions; any action when empty.
    pub actions: Vec<String>,
    /// At most this many.
    pub limit: Option<u64>,
}

/// What `db check` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrityReport {
    /// `PRAGMA integrity_check` lines; `["ok"]` when sound.
    pub integrity: Vec<String>,
    /// `PRAGMA foreign_key_check` rows, described.
    pub foreign_key_violations: Vec<String>,
    /// Client rows that SQLite finds sound but dcrctl cannot read back as it writes them
    /// (metadata that is not a JSON object, a column of the wrong type), described: what
    /// another program may have written into the documented schema.
    pub damaged_rows: Vec<String>,
    /// `PRAGMA user_version`.
    pub schema_version: i64,
}

impl IntegrityReport {
    /// Whether the file is sound.
    pub fn is_ok(&self) -> bool {
        self.integrity == ["ok"]
            && self.foreign_key_violations.is_empty()
            && self.damaged_rows.is_empty()
    }
}

/// How many rows each table of a registry holds: what `db copy` checks is zero in its
/// destination and reports it copied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct RegistryCounts {
    /// `clients` rows.
    pub clients: u64,
    /// `client_secrets` rows: current secrets and previous ones, in grace or not.
    pub client_secrets: u64,
    /// `initial_access_tokens` rows, revoked and used up included.
    pub initial_access_tokens: u64,
    /// `admins` rows.
    pub admins: u64,
    /// Stored audit rows (a prune row, which stands for many events, counts once).
    pub events: u64,
}

impl RegistryCounts {
    /// Whether every table is empty.
    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }

    /// Rows in all tables together.
    pub fn total(&self) -> u64 {
        self.clients + self.client_secrets + self.initial_access_tokens + self.admins + self.events
    }
}

// The `Copied*` rows carry every column exactly as stored, hashes and JSON text included, so
// a copy is the same registry on another backend: nothing is re-serialized or re-derived.
// `position` is the row's place in insertion order (SQLite's rowid, PostgreSQL's `seq`); it
// is copied too, so ties in listing order and prune walks stay as they were.

/// A `clients` row as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CopiedClient {
    pub(crate) position: i64,
    pub(crate) client_id: String,
    pub(crate) client_name: Option<String>,
    pub(crate) metadata: String,
    pub(crate) token_endpoint_auth_method: String,
    pub(crate) client_id_issued_at: i64,
    pub(crate) client_secret_expires_at: Option<i64>,
    pub(crate) registration_token_hash: Option<String>,
    pub(crate) registered_via: String,
    pub(crate) updated_at: i64,
    pub(crate) last_used_at: Option<i64>,
    pub(crate) revision: i64,
}

/// A `client_secrets` row as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CopiedSecret {
    pub(crate) client_id: String,
    pub(crate) secret_hash: String,
    pub(crate) expires_at: i64,
    pub(crate) created_at: i64,
    pub(crate) superseded_at: Option<i64>,
}

/// An `initial_access_tokens` row as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CopiedToken {
    pub(crate) position: i64,
    pub(crate) token_id: String,
    pub(crate) token_hash: String,
    pub(crate) note: Option<String>,
    pub(crate) created_at: i64,
    pub(crate) expires_at: i64,
    pub(crate) max_uses: Option<i64>,
    pub(crate) uses: i64,
    pub(crate) revoked_at: Option<i64>,
}

/// An `admins` row as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CopiedAdmin {
    pub(crate) name: String,
    pub(crate) password_hash: String,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
}

/// An `events` row as stored, its id kept (the log's order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CopiedEvent {
    pub(crate) event_id: i64,
    pub(crate) at: i64,
    pub(crate) actor: String,
    pub(crate) action: String,
    pub(crate) client_id: Option<String>,
    pub(crate) details: String,
}

/// One document of an `apply` file as staged in the connection's temporary table, beside
/// the stored metadata of the client it names (`None`: no such client).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StagedDocument {
    /// Its index in the file, from 0.
    pub(crate) index: u64,
    pub(crate) client_id: String,
    /// The effective metadata as compact JSON text.
    pub(crate) document: String,
    /// Whether the client's auth method uses a secret.
    pub(crate) uses_secret: bool,
    pub(crate) stored: Option<String>,
}

/// One document of an `apply` file to stage (see [`StagedDocument`]); `document` is `None` for
/// an invalid one, staged only so that later duplicates of its id are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DocumentToStage<'a> {
    pub(crate) index: u64,
    pub(crate) client_id: &'a str,
    pub(crate) document: Option<&'a str>,
    pub(crate) uses_secret: bool,
}

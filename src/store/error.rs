//! What the storage layer can fail with, free of any backend type, and the class of a
//! backend failure that callers may act on (wait, retry, report a conflict).

use crate::model::Entity;
use std::path::PathBuf;

/// A backend's own error, kept whole for its class and its message.
pub(super) type BackendError = Box<dyn std::error::Error + Send + Sync>;

/// Failures of the storage layer, free of any backend type.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The file exists but is not an SQLite database, or not one of ours.
    #[error("{}: not a dcrctl database ({reason})", path.display())]
    NotADatabase {
        /// The database path.
        path: PathBuf,
        /// Why it was refused.
        reason: String,
    },
    /// The schema is newer than this binary; the file was not modified.
    #[error(
        "{}: database schema version {found} is newer than this dcrctl supports ({supported}); \
         upgrade dcrctl (the file was not modified)",
        path.display()
    )]
    TooNew {
        /// The database path.
        path: PathBuf,
        /// The file's `user_version`.
        found: i64,
        /// The newest version this binary knows.
        supported: i64,
    },
    /// No registry there yet (no file, or a file or schema without dcrctl's tables), and
    /// the caller asked not to create one; nothing was created.
    #[error("no registry at {location}")]
    Missing {
        /// Where it was looked for (a path, or a PostgreSQL schema).
        location: String,
    },
    /// Creating or opening the file failed.
    #[error("{}", path.display())]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A uniqueness rule was violated.
    #[error("{what} already exists: {id}")]
    Conflict {
        /// What collided.
        what: Entity,
        /// Its identifier.
        id: String,
    },
    /// Stored data could not be read back (a damaged or hand-edited row).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// The location cannot be used as written (a malformed URL, an unknown setting, a root
    /// certificate file that cannot be read); nothing was opened.
    #[error("{0}")]
    InvalidLocation(String),
    /// What this backend does not do, and what to use instead.
    #[error("{0}")]
    Unsupported(String),
    /// Any other database failure, with the backend's error.
    // The backend error is in the message and not a `#[source]`: the faces print errors
    // with their chain (`{:#}`), which would say it twice. `class()` reads it instead.
    #[error("database error: {error}")]
    Backend {
        /// What the failure means for the caller.
        class: ErrorClass,
        /// The backend's own error.
        error: BackendError,
    },
}

/// What a failure means for the caller, whichever backend reported it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// Another connection held a lock past the busy timeout.
    Busy,
    /// A uniqueness rule was violated.
    UniqueViolation,
    /// The transaction lost a race (a stale snapshot, a serialization failure, a deadlock)
    /// and may succeed when run again from the start.
    Retryable,
    /// Anything else.
    Other,
}

impl StoreError {
    /// The class of this failure.
    pub fn class(&self) -> ErrorClass {
        match self {
            StoreError::Backend { class, .. } => *class,
            StoreError::Conflict { .. } => ErrorClass::UniqueViolation,
            _ => ErrorClass::Other,
        }
    }

    /// A failure of this crate's own making (not the backend's), with `message`.
    pub(crate) fn other(message: impl Into<String>) -> Self {
        StoreError::Backend {
            class: ErrorClass::Other,
            error: message.into().into(),
        }
    }
}

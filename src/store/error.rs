//! What the storage layer can fail with, free of any backend type, and the class of a
//! backend failure that callers may act on (wait, retry, report a conflict).

use crate::model::Entity;
use rusqlite::ErrorCode;
use std::path::{Path, PathBuf};

/// A backend's own error, kept whole for its class and its message.
type BackendError = Box<dyn std::error::Error + Send + Sync>;

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
    pub(super) fn other(message: impl Into<String>) -> Self {
        StoreError::Backend {
            class: ErrorClass::Other,
            error: message.into().into(),
        }
    }
}

impl From<rusqlite::types::FromSqlError> for StoreError {
    fn from(error: rusqlite::types::FromSqlError) -> Self {
        StoreError::Corrupt(error.to_string())
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        StoreError::Backend {
            class: class_of(&error),
            error: Box::new(error),
        }
    }
}

/// SQLite's result code as an [`ErrorClass`].
fn class_of(error: &rusqlite::Error) -> ErrorClass {
    let rusqlite::Error::SqliteFailure(failure, _) = error else {
        return ErrorClass::Other;
    };
    match failure.code {
        // A WAL reader whose snapshot went stale cannot upgrade to a writer: its transaction
        // must start over, and will then succeed.
        ErrorCode::DatabaseBusy if failure.extended_code == rusqlite::ffi::SQLITE_BUSY_SNAPSHOT => {
            ErrorClass::Retryable
        }
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => ErrorClass::Busy,
        ErrorCode::ConstraintViolation
            if matches!(
                failure.extended_code,
                rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            ) =>
        {
            ErrorClass::UniqueViolation
        }
        _ => ErrorClass::Other,
    }
}

/// An error opening `path`, told apart: not a database, cannot be opened, or anything else.
pub(super) fn classify(path: &Path, error: rusqlite::Error) -> StoreError {
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotADatabase {
            path: path.to_owned(),
            reason: "the file is not an SQLite database".to_owned(),
        },
        Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied | ErrorCode::ReadOnly) => {
            StoreError::Io {
                path: path.to_owned(),
                source: std::io::Error::other(error.to_string()),
            }
        }
        _ => StoreError::from(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    fn failure(sql: &str, conn: &Connection) -> StoreError {
        StoreError::from(conn.execute_batch(sql).unwrap_err())
    }

    #[test]
    fn a_unique_violation_is_classified_with_its_source_kept() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (id TEXT PRIMARY KEY, u TEXT UNIQUE)")
            .unwrap();
        conn.execute_batch("INSERT INTO t VALUES ('a', 'x')")
            .unwrap();
        let primary = failure("INSERT INTO t VALUES ('a', 'y')", &conn);
        assert_eq!(primary.class(), ErrorClass::UniqueViolation);
        let unique = failure("INSERT INTO t VALUES ('b', 'x')", &conn);
        assert_eq!(unique.class(), ErrorClass::UniqueViolation);
        assert!(
            unique.to_string().contains("UNIQUE constraint failed: t.u"),
            "{unique}"
        );
        let StoreError::Backend { error, .. } = unique else {
            panic!("not a backend error");
        };
        assert!(error.downcast_ref::<rusqlite::Error>().is_some());
    }

    #[test]
    fn a_lock_held_elsewhere_is_busy_and_other_failures_are_other() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let holder = Connection::open(&path).unwrap();
        holder
            .execute_batch("CREATE TABLE t (x); BEGIN IMMEDIATE")
            .unwrap();
        let waiter = Connection::open(&path).unwrap();
        waiter.busy_timeout(std::time::Duration::ZERO).unwrap();
        assert_eq!(
            failure("BEGIN IMMEDIATE", &waiter).class(),
            ErrorClass::Busy
        );
        assert_eq!(
            failure("SELECT * FROM nowhere", &waiter).class(),
            ErrorClass::Other
        );
        assert_eq!(StoreError::other("x").class(), ErrorClass::Other);
    }
}

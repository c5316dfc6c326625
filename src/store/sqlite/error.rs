//! SQLite's errors as [`StoreError`]s: each with its class, and the few that opening a
//! file can meet told apart.

use crate::store::{ErrorClass, StoreError};
use rusqlite::ErrorCode;
use std::path::Path;

impl From<rusqlite::types::FromSqlError> for StoreError {
    fn from(error: rusqlite::types::FromSqlError) -> Self {
        StoreError::Corrupt(error.to_string())
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        let class = class_of(&error);
        StoreError::Backend {
            class,
            error: match class {
                ErrorClass::Busy => Box::new(Locked(error)),
                _ => Box::new(error),
            },
        }
    }
}

/// SQLite's "database is locked", which comes only after the busy wait ran out, saying
/// what that means: it waited, and someone else held on to the lock.
#[derive(Debug)]
struct Locked(rusqlite::Error);

impl std::fmt::Display for Locked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: waited {} s for another process that holds the write lock (a long \
             transaction, a backup or a stuck process); try again when it is done",
            self.0,
            super::open::BUSY_TIMEOUT.as_secs()
        )
    }
}

impl std::error::Error for Locked {}

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
        let locked = failure("BEGIN IMMEDIATE", &waiter);
        assert_eq!(locked.class(), ErrorClass::Busy);
        assert!(
            locked
                .to_string()
                .contains("database is locked: waited 30 s for another process"),
            "{locked}"
        );
        assert_eq!(
            failure("SELECT * FROM nowhere", &waiter).class(),
            ErrorClass::Other
        );
        assert_eq!(StoreError::other("x").class(), ErrorClass::Other);
    }
}

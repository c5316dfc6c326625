//! Opening a database file: created private, checked to be ours before anything is written,
//! switched to WAL with durable commits, and migrated.

use super::error::classify;
use super::migrations::{APPLICATION_ID, SCHEMA_VERSION};
use super::{Store, StoreError};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::fs::{DirBuilder, OpenOptions};
use std::io::ErrorKind as IoErrorKind;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a connection waits for another writer before giving up. Writes are short (a few
/// milliseconds), so this is only reached when something holds the lock abnormally long.
pub(super) const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

impl Store {
    /// Open (creating if needed) the database at `path` and bring its schema up to date.
    ///
    /// # Errors
    /// [`StoreError::Io`] when the file or folder cannot be created, [`StoreError::NotADatabase`]
    /// for a file that is not a dcrctl database, [`StoreError::TooNew`] for a newer schema.
    #[cfg(test)]
    pub(crate) fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_with(path, true).map(|(store, _)| store)
    }

    /// Open the database at `path` and bring its schema up to date; with `create`, a missing
    /// file (and folder) is created and an empty one given the schema, and the answer says
    /// whether that happened. Without it, nothing is created: a missing file, or one without
    /// dcrctl's tables, is [`StoreError::Missing`] and left as it was.
    ///
    /// # Errors
    /// As [`Store::open`], and [`StoreError::Missing`].
    pub(crate) fn open_with(path: &Path, create: bool) -> Result<(Store, bool), StoreError> {
        if create {
            create_private_file(path)?;
        } else if path.is_dir() {
            return Err(StoreError::Io {
                path: path.to_owned(),
                source: std::io::Error::other("is a directory"),
            });
        } else if !path.exists() {
            return Err(missing(path));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| classify(path, e))?;
        // Checkpointing on close would cost every short-lived CLI process three more fsyncs
        // and make the next one create a new WAL (and fsync the directory); committed frames in
        // the WAL are already durable. `checkpoint_if_large` keeps the WAL bounded instead.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
            .map_err(|e| classify(path, e))?;
        let mut wal_path = path.as_os_str().to_owned();
        wal_path.push("-wal");
        let mut store = Store {
            conn,
            wal_path: PathBuf::from(wal_path),
            wal_budget: Store::DEFAULT_WAL_BUDGET,
        };
        if store.check_identity(path)? == 0 && !create {
            return Err(missing(path));
        }
        store.enable_wal().map_err(|e| classify(path, e))?;
        store
            .conn
            .execute_batch(
                "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=0;",
            )
            .map_err(|e| classify(path, e))?;
        let found = super::migrations::migrate(&mut store.conn, path)?;
        Ok((store, found == 0))
    }

    /// Refuse files that are not SQLite, belong to another program, or are too new — all
    /// before anything could be written. Returns the schema version (0: no schema yet).
    fn check_identity(&mut self, path: &Path) -> Result<i64, StoreError> {
        // One statement, so all three come from the same snapshot even while another process
        // is creating the schema.
        let (version, application_id, tables): (i64, i64, i64) = self
            .conn
            .query_row(
                "SELECT (SELECT user_version FROM pragma_user_version), \
                        (SELECT application_id FROM pragma_application_id), \
                        (SELECT count(*) FROM sqlite_master)",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .map_err(|e| classify(path, e))?;
        let not_ours = |reason: &str| StoreError::NotADatabase {
            path: path.to_owned(),
            reason: reason.to_owned(),
        };
        if application_id != 0 && application_id != APPLICATION_ID {
            return Err(not_ours("it belongs to another application"));
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.to_owned(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if version == 0 && tables > 0 {
            return Err(not_ours("it already holds other tables"));
        }
        Ok(version)
    }

    /// Switch the file to WAL once; the mode is persistent, so later opens only read it.
    ///
    /// Two processes converting a new file at once can both hold a shared lock while asking for
    /// the exclusive one; SQLite then answers BUSY at once instead of calling the busy handler
    /// (which would deadlock), so this step retries by itself.
    fn enable_wal(&mut self) -> rusqlite::Result<()> {
        let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
        loop {
            let mode = self
                .conn
                .query_row("PRAGMA journal_mode", [], |row| row.get::<_, String>(0))
                .and_then(|mode| {
                    if mode.eq_ignore_ascii_case("wal") {
                        Ok(mode)
                    } else {
                        self.conn
                            .query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))
                    }
                });
            match mode {
                Ok(mode) if mode.eq_ignore_ascii_case("wal") => return Ok(()),
                Err(e)
                    if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy)
                        && std::time::Instant::now() < deadline => {}
                Ok(_) if std::time::Instant::now() < deadline => {}
                Ok(mode) => {
                    return Err(rusqlite::Error::SqliteFailure(
                        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                        Some(format!("could not switch to WAL mode (still {mode})")),
                    ))
                }
                Err(e) => return Err(e),
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

fn missing(path: &Path) -> StoreError {
    StoreError::Missing {
        location: path.display().to_string(),
    }
}

/// Create the file 0600 (and missing folders 0700) so the database is never, even briefly,
/// readable by others. SQLite gives its `-wal` and `-shm` files the database file's mode.
fn create_private_file(path: &Path) -> Result<(), StoreError> {
    let io = |source| StoreError::Io {
        path: path.to_owned(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.exists() {
            DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(parent)
                .map_err(io)?;
        }
    }
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == IoErrorKind::AlreadyExists => {
            if path.is_dir() {
                Err(io(std::io::Error::other("is a directory")))
            } else {
                Ok(())
            }
        }
        Err(e) => Err(io(e)),
    }
}

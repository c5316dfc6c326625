//! The one place that speaks SQL: opening the database file safely, migrating it, and the
//! transaction type every operation runs in.
//!
//! Guarantees: the file is created 0600 (its new folders 0700) before SQLite touches it; every
//! connection runs in WAL mode with `synchronous=FULL`, foreign keys on and a busy timeout, so
//! the CLI, a server and cron may share the file; writes take the write lock up front
//! (`BEGIN IMMEDIATE`), so a transaction never fails halfway with "database is locked"; a
//! database with a newer schema than this binary is refused before anything is written.
//!
//! Callers see only [`Store`], [`Tx`] and [`StoreError`]; no `rusqlite` type leaves this
//! module, which keeps it the seam for another backend.

mod accounts;
mod apply;
mod audit;
mod clients;
mod maintenance;
mod migrations;

pub use clients::ListFilter;
pub(crate) use clients::NewClient;
pub use maintenance::{EventFilter, IntegrityReport, PruneCriteria, PruneReason};
pub(crate) use migrations::SCHEMA_VERSION;

use migrations::{APPLICATION_ID, MIGRATIONS};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};
use std::fs::{DirBuilder, OpenOptions};
use std::io::ErrorKind as IoErrorKind;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a connection waits for another writer before giving up. Writes are short (a few
/// milliseconds), so this is only reached when something holds the lock abnormally long.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// WAL size past which a writer checkpoints. Every process replays the WAL when it opens the
/// file, so it is kept small: 1 MiB is about 20 registrations.
const WAL_CHECKPOINT_BYTES: u64 = 1024 * 1024;

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
        what: crate::model::Entity,
        /// Its identifier.
        id: String,
    },
    /// Stored data could not be read back (a damaged or hand-edited row).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// Any other database failure.
    #[error("database error: {0}")]
    Backend(String),
}

impl From<rusqlite::types::FromSqlError> for StoreError {
    fn from(error: rusqlite::types::FromSqlError) -> Self {
        StoreError::Corrupt(error.to_string())
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        StoreError::Backend(error.to_string())
    }
}

/// An open registry database.
pub struct Store {
    conn: Connection,
    wal_path: PathBuf,
    wal_budget: u64,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

/// A transaction on the store. Its methods are the only queries there are.
pub struct Tx<'s> {
    tx: rusqlite::Transaction<'s>,
}

impl Store {
    /// Open (creating if needed) the database at `path` and bring its schema up to date.
    ///
    /// # Errors
    /// [`StoreError::Io`] when the file or folder cannot be created, [`StoreError::NotADatabase`]
    /// for a file that is not a dcrctl database, [`StoreError::TooNew`] for a newer schema.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        create_private_file(path)?;
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
            wal_budget: WAL_CHECKPOINT_BYTES,
        };
        store.check_identity(path)?;
        store.enable_wal().map_err(|e| classify(path, e))?;
        store
            .conn
            .execute_batch(
                "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=0;",
            )
            .map_err(|e| classify(path, e))?;
        store.migrate(path)?;
        Ok(store)
    }

    /// Refuse files that are not SQLite, belong to another program, or are too new — all
    /// before anything could be written.
    fn check_identity(&mut self, path: &Path) -> Result<(), StoreError> {
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
        Ok(())
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

    /// Apply pending migrations. The version is read again inside an IMMEDIATE transaction,
    /// so two processes opening a new file at once cannot both migrate it.
    fn migrate(&mut self, path: &Path) -> Result<(), StoreError> {
        let current: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if current == SCHEMA_VERSION {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.to_owned(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        let start = usize::try_from(version).unwrap_or(0);
        for sql in &MIGRATIONS[start..] {
            tx.execute_batch(sql)?;
        }
        tx.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};"
        ))?;
        tx.commit()?;
        Ok(())
    }

    /// Run `work` in one write transaction, taken with `BEGIN IMMEDIATE`; it commits durably
    /// when `work` returns `Ok` and rolls back otherwise.
    ///
    /// # Errors
    /// Whatever `work` returns, or a storage failure.
    pub fn write<T, E>(&mut self, work: impl FnOnce(&Tx<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let value = {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(StoreError::from)?;
            let tx = Tx { tx };
            let value = work(&tx)?;
            tx.tx.commit().map_err(StoreError::from)?;
            value
        };
        self.checkpoint_if_large();
        Ok(value)
    }

    /// Run `count` jobs in one write transaction, each inside its own savepoint, and commit
    /// them together: one `fsync` for all of them (group commit). `job(tx, i)` runs the
    /// `i`-th job and says whether it succeeded; a failed job's changes are rolled back to its
    /// savepoint and the others are unaffected. Nothing is durable until this returns `Ok`.
    ///
    /// # Errors
    /// A storage failure taking the lock, in a savepoint, or committing; the whole group is
    /// then rolled back, whatever the jobs reported.
    pub fn write_batch(
        &mut self,
        count: usize,
        mut job: impl FnMut(&Tx<'_>, usize) -> bool,
    ) -> Result<(), StoreError> {
        {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let tx = Tx { tx };
            for index in 0..count {
                tx.tx.execute_batch("SAVEPOINT job")?;
                if job(&tx, index) {
                    tx.tx.execute_batch("RELEASE job")?;
                } else {
                    tx.tx.execute_batch("ROLLBACK TO job; RELEASE job")?;
                }
            }
            tx.tx.commit()?;
        }
        self.checkpoint_if_large();
        Ok(())
    }

    /// Let the WAL grow to `bytes` before a writer checkpoints it. Long runs of many write
    /// transactions on one connection (prune) raise it: this connection keeps SQLite's record
    /// of what was checkpointed, and each checkpoint then copies many transactions' pages at
    /// once. Such runs restore the default and call [`Store::checkpoint_if_large`] at the end.
    pub(crate) fn set_wal_budget(&mut self, bytes: u64) {
        self.wal_budget = bytes;
    }

    /// Commit without waiting for the disk (`synchronous=NORMAL`) until
    /// [`Store::make_durable`]. Only for work that is safe to lose and redo, like a prune: a
    /// crash can then undo its last transactions, never tear one, and never touch another
    /// process's commits, which still reach the disk with their own `fsync`.
    pub(crate) fn defer_durability(&mut self) -> Result<(), StoreError> {
        Ok(self.conn.execute_batch("PRAGMA synchronous = NORMAL")?)
    }

    /// Make every commit of this connection durable (one `fsync` of the WAL) and commit
    /// durably again from now on.
    pub(crate) fn make_durable(&mut self) -> Result<(), StoreError> {
        self.conn.execute_batch("PRAGMA synchronous = FULL")?;
        match std::fs::File::open(&self.wal_path) {
            Ok(wal) => wal.sync_all().map_err(|source| StoreError::Io {
                path: self.wal_path.clone(),
                source,
            }),
            // Checkpointed and truncated away: the database file was synced by the checkpoint.
            Err(e) if e.kind() == IoErrorKind::NotFound => Ok(()),
            Err(source) => Err(StoreError::Io {
                path: self.wal_path.clone(),
                source,
            }),
        }
    }

    /// SQLite's default page cache, in KiB.
    pub(crate) const DEFAULT_CACHE_KIB: u32 = 2000;

    /// Let SQLite cache up to `kib` KiB of pages for this connection.
    pub(crate) fn set_cache_kib(&mut self, kib: u32) {
        let _ = self
            .conn
            .execute_batch(&format!("PRAGMA cache_size = -{kib}"));
    }

    /// The default WAL budget.
    pub(crate) const DEFAULT_WAL_BUDGET: u64 = WAL_CHECKPOINT_BYTES;

    /// Fold the WAL back into the database once it outgrows its budget
    /// ([`WAL_CHECKPOINT_BYTES`] unless [`Store::set_wal_budget`] changed it).
    ///
    /// SQLite's automatic checkpoint assumes long-lived connections: it remembers in shared
    /// memory how much of the WAL was already copied, and that memory is rebuilt from scratch
    /// by the next process. A CLI that commits once and exits would then re-copy the whole WAL
    /// on every commit past the threshold, and the WAL would never restart. So this process
    /// checkpoints and truncates the WAL itself, right after its own commit. It never waits:
    /// with a reader in the way, it copies what it can and leaves the rest for a later writer.
    ///
    /// The copying is a PASSIVE checkpoint, which runs beside other writers; a TRUNCATE one
    /// would hold them off while it copies, which for the large WAL of a prune or a busy server
    /// is far longer than a writer should wait. Only once everything is copied is the WAL
    /// truncated, which then takes a moment.
    pub(crate) fn checkpoint_if_large(&self) {
        let wal_bytes = std::fs::metadata(&self.wal_path).map_or(0, |meta| meta.len());
        if wal_bytes <= self.wal_budget {
            return;
        }
        let _ = self.conn.busy_timeout(Duration::ZERO);
        // (busy, frames in the WAL, frames copied)
        let copied = self
            .conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, i64>(2)?,
                ))
            });
        if matches!(copied, Ok((0, frames, done)) if frames == done) {
            let _ = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
        let _ = self.conn.busy_timeout(BUSY_TIMEOUT);
    }

    /// Run `work` in one read transaction: a consistent snapshot that never blocks writers.
    ///
    /// # Errors
    /// Whatever `work` returns, or a storage failure.
    pub fn read<T, E>(&mut self, work: impl FnOnce(&Tx<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(StoreError::from)?;
        let tx = Tx { tx };
        work(&tx)
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

fn classify(path: &Path, error: rusqlite::Error) -> StoreError {
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

    #[test]
    fn every_migration_applies_in_order_on_an_empty_database() {
        let conn = Connection::open_in_memory().unwrap();
        for (version, sql) in MIGRATIONS.iter().enumerate() {
            conn.execute_batch(sql)
                .unwrap_or_else(|e| panic!("migration {} fails: {e}", version + 1));
        }
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            tables,
            [
                "admins",
                "client_secrets",
                "clients",
                "events",
                "initial_access_tokens"
            ]
        );
    }

    #[test]
    fn opening_migrates_once_and_reopening_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("clients.db");
        drop(Store::open(&path).unwrap());
        let schema = || -> (i64, String) {
            let conn = Connection::open(&path).unwrap();
            let version = conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap();
            let sql: String = conn
                .query_row(
                    "SELECT group_concat(sql, ';') FROM sqlite_master",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            (version, sql)
        };
        let first = schema();
        assert_eq!(first.0, SCHEMA_VERSION);
        drop(Store::open(&path).unwrap());
        assert_eq!(schema(), first);
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("clients.db")).unwrap();
        let attempt: Result<(), StoreError> = store.write(|tx| {
            tx.append_event(&crate::model::Event {
                at: 1,
                actor: "test".into(),
                action: "probe".into(),
                client_id: None,
                details: serde_json::json!({}),
            })?;
            Err(StoreError::Backend("abort".into()))
        });
        assert!(attempt.is_err());
        let events: i64 = store
            .conn
            .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
            .unwrap();
        assert_eq!(events, 0);
    }
}

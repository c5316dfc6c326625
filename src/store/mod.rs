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
//! module, which keeps it the seam for another backend. The parts: `error` (what can fail,
//! and its class), `open` (the file, its identity and pragmas), `migrations` (the schema
//! history), `transactions` (read, write, group commit), `durability` (WAL and `fsync`
//! tuning for bulk work), and one file per kind of record.

mod accounts;
mod apply;
mod audit;
mod clients;
mod durability;
mod error;
mod maintenance;
mod migrations;
mod open;
mod transactions;

pub use clients::ListFilter;
pub(crate) use clients::NewClient;
pub(crate) use error::{ErrorClass, StoreError};
pub(crate) use maintenance::PrunePosition;
pub use maintenance::{EventFilter, IntegrityReport, PruneCriteria, PruneReason};

use rusqlite::Connection;
use std::path::PathBuf;

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

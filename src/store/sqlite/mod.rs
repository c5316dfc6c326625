//! The SQLite backend: one file, WAL, `synchronous=FULL`, writes that take the lock up front.
//! Every SQL statement for SQLite is in this module and its `sql/` migrations.

mod accounts;
mod apply;
mod audit;
mod clients;
mod completion;
mod copy;
mod durability;
mod error;
mod maintenance;
mod migrations;
mod open;
mod transactions;

// What the files of this backend share from the store.
use super::types::{AdminRow, NewClient, PruneCandidate, PrunePosition, TokenRow};
use super::types::{EventFilter, IntegrityReport, ListFilter, PruneCriteria, PruneReason};
use super::{ErrorClass, StoreError};

use rusqlite::Connection;
use std::path::PathBuf;

/// An open registry database.
pub(crate) struct Store {
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
pub(crate) struct Tx<'s> {
    tx: rusqlite::Transaction<'s>,
}

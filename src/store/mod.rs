//! The one place that speaks SQL: opening a registry, migrating it, and the transaction type
//! every operation runs in.
//!
//! Two backends sit behind [`Store`] and [`Tx`]: `sqlite` (one file, the embedded default)
//! and `postgres` (one database shared by several nodes). Both give the same guarantees:
//! every write commits durably before it returns; a database with a newer schema than this
//! binary is refused before anything is written; a write that decides on what it read locks
//! it first ([`Tx::client_for_update`], [`Tx::lock_registry`]), so no check-then-act relies
//! on one backend admitting a single writer.
//!
//! Callers see only [`Store`], [`Tx`], [`StoreError`] and the neutral types of `types`; no
//! backend's type leaves this module. Each backend holds its SQL, its migrations and its
//! tuning in its own module; this file only routes each call to the backend in use.

mod audit;
#[cfg(test)]
mod conformance;
mod error;
mod listing;
mod location;
mod postgres;
mod sqlite;
mod types;

pub(crate) use error::{ErrorClass, StoreError};
pub(crate) use listing::{Admit, Window};
pub use location::Location;
#[cfg(test)]
pub(crate) use postgres::testing::ScratchSchema;
pub(crate) use types::{AdminRow, NewClient, PruneCandidate, PrunePosition, TokenRow};
pub(crate) use types::{CopiedAdmin, CopiedClient, CopiedEvent, CopiedSecret, CopiedToken};
pub(crate) use types::{DocumentToStage, StagedDocument};
pub use types::{
    EventFilter, IntegrityReport, ListFilter, ListOrder, NameGlob, PruneCriteria, PruneReason,
    RegistryCounts, SortKey,
};

use crate::model::{Client, ClientSummary, Event};
use crate::registration::{AuthMethod, MetadataDoc};
use std::path::Path;

/// An open registry database.
#[derive(Debug)]
pub struct Store(Backend);

#[derive(Debug)]
enum Backend {
    Sqlite(sqlite::Store),
    Postgres(Box<postgres::Store>),
}

/// A transaction on the store. Its methods are the only queries there are.
pub struct Tx<'t>(TxRef<'t>);

enum TxRef<'t> {
    Sqlite(&'t sqlite::Tx<'t>),
    Postgres(&'t postgres::Tx<'t>),
}

impl Store {
    /// Open the registry at `location`, creating it if needed (a SQLite file, or the schema in
    /// an existing PostgreSQL database), and bring its schema up to date.
    ///
    /// # Errors
    /// [`StoreError::Io`] when a file or folder cannot be created, [`StoreError::NotADatabase`]
    /// for a file or database that is not a dcrctl registry, [`StoreError::TooNew`] for a
    /// newer schema, a backend error when the server cannot be reached.
    pub fn open(location: impl Into<Location>) -> Result<Store, StoreError> {
        Store::open_as(location.into(), true).map(|(store, _)| store)
    }

    /// [`Store::open`], saying whether the registry was created by this call (a new file, or
    /// dcrctl's tables in an empty file or schema).
    ///
    /// # Errors
    /// As [`Store::open`].
    pub fn open_or_create(location: impl Into<Location>) -> Result<(Store, bool), StoreError> {
        Store::open_as(location.into(), true)
    }

    /// Open the registry at `location` only if it exists, bringing its schema up to date:
    /// nothing is created, not a file, a folder, or tables in an empty schema.
    ///
    /// # Errors
    /// [`StoreError::Missing`] when there is no registry there (no file, or a file or schema
    /// without dcrctl's tables); otherwise as [`Store::open`].
    pub fn open_existing(location: impl Into<Location>) -> Result<Store, StoreError> {
        Store::open_as(location.into(), false).map(|(store, _)| store)
    }

    fn open_as(location: Location, create: bool) -> Result<(Store, bool), StoreError> {
        match location {
            Location::Sqlite(path) => {
                let (store, created) = sqlite::Store::open_with(&path, create)?;
                Ok((Store(Backend::Sqlite(store)), created))
            }
            Location::Postgres(url) => {
                let (store, created) = postgres::Store::open(&url, create)?;
                Ok((Store(Backend::Postgres(Box::new(store))), created))
            }
        }
    }

    /// Open the registry at `location` only to read it, for shell completion: `None` when
    /// there is no registry of this binary's schema version there. Never creates a file, a
    /// folder or a table, never migrates, and waits only briefly for a lock.
    ///
    /// # Errors
    /// When the file or server cannot be read.
    pub fn open_to_read(location: impl Into<Location>) -> Result<Option<Store>, StoreError> {
        Ok(match location.into() {
            Location::Sqlite(path) => {
                sqlite::Store::open_to_read(&path)?.map(|store| Store(Backend::Sqlite(store)))
            }
            Location::Postgres(url) => postgres::Store::open_to_read(&url)?
                .map(|store| Store(Backend::Postgres(Box::new(store)))),
        })
    }

    /// Run `work` in one write transaction that commits durably when `work` returns `Ok` and
    /// rolls back otherwise.
    ///
    /// # Errors
    /// Whatever `work` returns, or a storage failure.
    pub fn write<T, E>(&mut self, work: impl FnOnce(&Tx<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        match &mut self.0 {
            Backend::Sqlite(store) => store.write(|tx| work(&Tx(TxRef::Sqlite(tx)))),
            Backend::Postgres(store) => store.write(|tx| work(&Tx(TxRef::Postgres(tx)))),
        }
    }

    /// Run `count` jobs in one write transaction, each inside its own savepoint, and commit
    /// them together: one durable commit for all of them (group commit). `job(tx, i)` runs
    /// the `i`-th job and says whether it succeeded; a failed job's changes are rolled back to
    /// its savepoint and the others are unaffected. Nothing is durable until this returns `Ok`.
    ///
    /// # Errors
    /// A storage failure beginning, in a savepoint, or committing; the whole group is then
    /// rolled back, whatever the jobs reported.
    pub fn write_batch(
        &mut self,
        count: usize,
        mut job: impl FnMut(&Tx<'_>, usize) -> bool,
    ) -> Result<(), StoreError> {
        match &mut self.0 {
            Backend::Sqlite(store) => {
                store.write_batch(count, |tx, index| job(&Tx(TxRef::Sqlite(tx)), index))
            }
            Backend::Postgres(store) => {
                store.write_batch(count, |tx, index| job(&Tx(TxRef::Postgres(tx)), index))
            }
        }
    }

    /// Run `work` in one read transaction: a consistent snapshot that never blocks writers.
    ///
    /// # Errors
    /// Whatever `work` returns, or a storage failure.
    pub fn read<T, E>(&mut self, work: impl FnOnce(&Tx<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        match &mut self.0 {
            Backend::Sqlite(store) => store.read(|tx| work(&Tx(TxRef::Sqlite(tx)))),
            Backend::Postgres(store) => store.read(|tx| work(&Tx(TxRef::Postgres(tx)))),
        }
    }

    /// Run `work` in a transaction that writes only this connection's temporary tables (an
    /// apply file's staging): it takes no lock on the registry and commits when `work`
    /// returns `Ok`, so what it staged is there for this connection's later transactions.
    ///
    /// # Errors
    /// Whatever `work` returns, or a storage failure.
    pub(crate) fn write_temporary<T, E>(
        &mut self,
        work: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        match &mut self.0 {
            Backend::Sqlite(store) => store.write_temporary(|tx| work(&Tx(TxRef::Sqlite(tx)))),
            Backend::Postgres(store) => store.write_temporary(|tx| work(&Tx(TxRef::Postgres(tx)))),
        }
    }

    /// Tune this connection for what a server's one writer does: commit continuously for as
    /// long as it runs.
    pub(crate) fn serve_continuous_writes(&mut self) {
        match &mut self.0 {
            Backend::Sqlite(store) => store.serve_continuous_writes(),
            Backend::Postgres(_) => {}
        }
    }

    /// Run `work`, many short write transactions whose last ones may be lost in a crash and
    /// redone (a prune's batches), in the backend's bulk mode, and make them all durable
    /// before returning. The connection is back to normal when this returns, whatever `work`
    /// returned.
    ///
    /// # Errors
    /// The error of `work`, else a failure to make its writes durable.
    pub(crate) fn bulk_writes<T, E: From<StoreError>>(
        &mut self,
        work: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<T, E> {
        let entered = match &mut self.0 {
            Backend::Sqlite(store) => store.enter_bulk_mode(),
            Backend::Postgres(store) => store.enter_bulk_mode(),
        };
        let outcome = match entered {
            Ok(()) => work(self),
            Err(error) => Err(error.into()),
        };
        let durable = match &mut self.0 {
            Backend::Sqlite(store) => store.leave_bulk_mode(),
            Backend::Postgres(store) => store.leave_bulk_mode(),
        };
        let value = outcome?;
        durable?;
        Ok(value)
    }

    /// Check the database's own consistency, then look for client rows dcrctl cannot read
    /// back (see [`IntegrityReport::damaged_rows`]).
    ///
    /// # Errors
    /// Storage failures that prevent the check itself.
    pub fn check_integrity(&mut self) -> Result<IntegrityReport, StoreError> {
        match &mut self.0 {
            Backend::Sqlite(store) => store.check_integrity(),
            Backend::Postgres(store) => store.check_integrity(),
        }
    }

    /// Copy the database to the file `destination` (created 0600, must not exist) as one
    /// consistent snapshot, without blocking writers.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when `destination` exists, [`StoreError::Unsupported`] on a
    /// backend with its own backup tools; I/O and storage failures.
    pub fn backup_to(&mut self, destination: &Path) -> Result<(), StoreError> {
        match &mut self.0 {
            Backend::Sqlite(store) => store.backup_to(destination),
            Backend::Postgres(_) => Err(StoreError::Unsupported(
                "db backup copies a SQLite file; back up a PostgreSQL registry with pg_dump \
                 (or move it with `dcrctl db copy`)"
                    .into(),
            )),
        }
    }
}

/// Each listed method of [`Tx`], routed to the same method of the backend in use; the two
/// backends' signatures must agree, or this does not compile.
macro_rules! route {
    ($(
        $(#[$attr:meta])*
        fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty;
    )*) => {
        impl Tx<'_> {
            $(
                $(#[$attr])*
                pub(crate) fn $name(&self $(, $arg: $ty)*) -> $ret {
                    match &self.0 {
                        TxRef::Sqlite(tx) => tx.$name($($arg),*),
                        TxRef::Postgres(tx) => tx.$name($($arg),*),
                    }
                }
            )*
        }
    };
}

route! {
    /// Insert a client row; [`StoreError::Conflict`] when its id is taken (the transaction
    /// stays usable).
    fn insert_client(&self, new: &NewClient<'_>) -> Result<(), StoreError>;
    fn client(&self, client_id: &str) -> Result<Option<Client>, StoreError>;
    /// The client, locked against other writers until this transaction ends: what a write
    /// that decides on what it read (a credential, a revision, a secret) loads.
    fn client_for_update(&self, client_id: &str) -> Result<Option<Client>, StoreError>;
    /// Serialize this transaction with every other that takes this lock, until it ends: for
    /// a decision about the registry as a whole (how many clients it holds, whether an id is
    /// still free) that a write then acts on.
    fn lock_registry(&self) -> Result<(), StoreError>;
    /// Whether a client exists, without reading its row (which may be damaged).
    fn client_exists(&self, client_id: &str) -> Result<bool, StoreError>;
    fn clients_named(&self, name: &str) -> Result<Vec<Client>, StoreError>;
    /// The first client [`Tx::for_each_client`] would visit with `filter` whose row is
    /// damaged, with what is wrong with it. A listing that must be one complete document
    /// calls this first, in the same snapshot, so that it refuses before writing anything
    /// rather than stop halfway.
    fn first_damaged_client(&self, filter: &ListFilter) -> Result<Option<(String, String)>, StoreError>;
    /// Store new metadata and bump the revision.
    fn update_metadata(&self, client_id: &str, metadata: &MetadataDoc, auth_method: AuthMethod, now: i64) -> Result<(), StoreError>;
    fn delete_client(&self, client_id: &str) -> Result<bool, StoreError>;
    fn set_registration_token(&self, client_id: &str, hash: &str, now: i64) -> Result<(), StoreError>;
    fn registration_token_hash(&self, client_id: &str) -> Result<Option<String>, StoreError>;
    /// Make `hash` the current secret. Earlier secrets stay valid until
    /// `previous_valid_until` (never beyond their own expiry); `None` revokes them now.
    fn replace_secret(&self, client_id: &str, hash: &str, expires_at: i64, previous_valid_until: Option<i64>, now: i64) -> Result<(), StoreError>;
    /// Add the first secret of a client just inserted with its `client_secret_expires_at`.
    fn insert_secret(&self, client_id: &str, hash: &str, expires_at: i64, now: i64) -> Result<(), StoreError>;
    /// Delete every secret of a client, which then has none (`client_secret_expires_at` NULL).
    fn remove_secrets(&self, client_id: &str, now: i64) -> Result<(), StoreError>;
    /// Hashes of every secret that is valid at `now`: the current one unless expired, and
    /// previous ones inside their grace period; the current one first.
    fn valid_secret_hashes(&self, client_id: &str, now: i64) -> Result<Vec<String>, StoreError>;
    /// How long the current secret was issued for (expiry minus issue time); `None` when it
    /// never expires or there is none.
    fn current_secret_lifetime(&self, client_id: &str) -> Result<Option<i64>, StoreError>;
    fn touch_last_used(&self, client_id: &str, now: i64) -> Result<(), StoreError>;
    /// When the last previous secret still in its grace period at `now` stops working;
    /// `None` when none is.
    fn previous_secrets_valid_until(&self, client_id: &str, now: i64) -> Result<Option<i64>, StoreError>;
    /// End every previous secret's grace period now (a change: the revision moves when one
    /// ends). Returns how many stopped working.
    fn end_secret_grace(&self, client_id: &str, now: i64) -> Result<u64, StoreError>;
    fn count_clients(&self) -> Result<u64, StoreError>;
    /// A client's metadata exactly as stored (what the conformance suite compares).
    #[cfg(test)]
    fn stored_metadata(&self, client_id: &str) -> Result<Option<String>, StoreError>;
    // `apply`: the file's documents staged in a temporary table of the connection (see
    // [`Store::write_temporary`]), so that no step needs them all in memory.
    /// (Re)create the connection's empty staging table.
    fn begin_apply_staging(&self) -> Result<(), StoreError>;
    /// Stage `documents`, in index order; for each, `None`, or the index of the earlier
    /// document with its `client_id` (staged before or earlier in `documents`), which leaves
    /// it unstaged.
    fn stage_apply_documents(&self, documents: &[DocumentToStage<'_>]) -> Result<Vec<Option<u64>>, StoreError>;
    /// Up to `limit` valid staged documents after index `after` (from the first with
    /// `None`), in file order, each with its client's stored metadata.
    fn staged_apply_documents(&self, after: Option<u64>, limit: usize) -> Result<Vec<StagedDocument>, StoreError>;
    /// Up to `limit` clients that no staged document names, in walk order, after `after` and
    /// up to `through` included.
    fn unstaged_clients(&self, after: PrunePosition, through: PrunePosition, limit: usize) -> Result<Vec<(PrunePosition, String)>, StoreError>;

    /// Insert a token; `false` (and nothing written, the transaction usable) when its id is
    /// taken.
    fn insert_initial_access_token(&self, token_id: &str, token_hash: &str, note: Option<&str>, created_at: i64, expires_at: i64, max_uses: Option<i64>) -> Result<bool, StoreError>;
    fn initial_access_tokens(&self) -> Result<Vec<TokenRow>, StoreError>;
    fn revoke_initial_access_token(&self, token_id: &str, now: i64) -> Result<bool, StoreError>;
    fn initial_access_token_exists(&self, token_id: &str) -> Result<bool, StoreError>;
    /// Spend one use of the live token with this hash, atomically; its id, or `None` when no
    /// live token has it.
    fn consume_initial_access_token(&self, token_hash: &str, now: i64) -> Result<Option<String>, StoreError>;
    fn insert_admin(&self, name: &str, password_hash: &str, now: i64) -> Result<(), StoreError>;
    fn admins(&self) -> Result<Vec<AdminRow>, StoreError>;
    fn delete_admin(&self, name: &str) -> Result<bool, StoreError>;
    fn set_admin_password_hash(&self, name: &str, password_hash: &str, now: i64) -> Result<bool, StoreError>;
    fn admin_password_hash(&self, name: &str) -> Result<Option<String>, StoreError>;

    fn append_event(&self, event: &Event) -> Result<(), StoreError>;
    /// Up to `limit` clients matching `criteria` after `after` in the walk (from the start
    /// with the default position), in walk order.
    fn prune_candidates(&self, criteria: &PruneCriteria, after: PrunePosition, limit: usize) -> Result<Vec<PruneCandidate>, StoreError>;
    /// Delete those of the clients at `positions` that still match `criteria` (they may have
    /// been renewed or used since they were found), with one audit entry for all of them.
    /// Returns the deleted clients and why each was pruned.
    fn delete_prunable(&self, positions: &[PrunePosition], criteria: &PruneCriteria, actor: &str, at: i64) -> Result<Vec<(String, PruneReason)>, StoreError>;
    /// Delete up to `limit` initial access tokens that can never be used again: expired,
    /// used up or revoked. Returns how many.
    fn delete_dead_initial_access_tokens(&self, now: i64, limit: usize) -> Result<usize, StoreError>;
    /// How many initial access tokens [`Tx::delete_dead_initial_access_tokens`] would delete.
    fn count_dead_initial_access_tokens(&self, now: i64) -> Result<u64, StoreError>;
    /// Delete up to `limit` stored audit rows older than `before`. Returns how many events
    /// they held (a prune row holds one per client it names), or `None` when there were no
    /// rows left to delete.
    fn delete_events_before(&self, before: i64, limit: usize) -> Result<Option<u64>, StoreError>;
    /// How many audit events are older than `before`.
    fn count_events_before(&self, before: i64) -> Result<u64, StoreError>;

    // `db copy`: every row as stored, read in pages of at most `max` after a position, and
    // inserted unchanged (positions and event ids included) into an empty registry.
    /// How many rows each table holds.
    fn registry_counts(&self) -> Result<RegistryCounts, StoreError>;
    /// Clients after `after` in insertion order.
    fn copied_clients(&self, after: i64, max: usize) -> Result<Vec<CopiedClient>, StoreError>;
    /// The secrets of the clients whose position is in `after + 1 ..= through`.
    fn copied_secrets(&self, after: i64, through: i64) -> Result<Vec<CopiedSecret>, StoreError>;
    /// Initial access tokens after `after` in insertion order.
    fn copied_tokens(&self, after: i64, max: usize) -> Result<Vec<CopiedToken>, StoreError>;
    /// Admins named after `after` in byte order (from the first with `None`).
    fn copied_admins(&self, after: Option<&str>, max: usize) -> Result<Vec<CopiedAdmin>, StoreError>;
    /// Audit rows with an id above `after`, in id order.
    fn copied_events(&self, after: i64, max: usize) -> Result<Vec<CopiedEvent>, StoreError>;
    fn insert_copied_clients(&self, rows: &[CopiedClient]) -> Result<(), StoreError>;
    fn insert_copied_secrets(&self, rows: &[CopiedSecret]) -> Result<(), StoreError>;
    fn insert_copied_tokens(&self, rows: &[CopiedToken]) -> Result<(), StoreError>;
    fn insert_copied_admins(&self, rows: &[CopiedAdmin]) -> Result<(), StoreError>;
    fn insert_copied_events(&self, rows: &[CopiedEvent]) -> Result<(), StoreError>;
    /// After copied rows with explicit positions and ids: make the next ones the database
    /// assigns come after them.
    fn advance_sequences(&self) -> Result<(), StoreError>;
}

impl Tx<'_> {
    /// Visit every client matching `filter` in registration order, in constant memory.
    pub(crate) fn for_each_client<E: From<StoreError>>(
        &self,
        filter: &ListFilter,
        visit: impl FnMut(&ClientSummary<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        match &self.0 {
            TxRef::Sqlite(tx) => tx.for_each_client(filter, visit),
            TxRef::Postgres(tx) => tx.for_each_client(filter, visit),
        }
    }

    /// Visit audit entries matching `filter`, newest first.
    pub(crate) fn for_each_event<E: From<StoreError>>(
        &self,
        filter: &EventFilter,
        visit: impl FnMut(Event) -> Result<(), E>,
    ) -> Result<(), E> {
        match &self.0 {
            TxRef::Sqlite(tx) => tx.for_each_event(filter, visit),
            TxRef::Postgres(tx) => tx.for_each_event(filter, visit),
        }
    }
}

// Shell completion (`cli::complete`).
route! {
    /// Up to `limit` client ids starting with `prefix`, in byte order.
    fn client_ids_starting_with(&self, prefix: &str, limit: usize) -> Result<Vec<String>, StoreError>;
}

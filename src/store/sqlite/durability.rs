//! Durability tuning for bulk work (prune): how far the WAL may grow, commits that skip the
//! `fsync` until one at the end, and the page cache; and keeping the WAL small for every
//! process that opens the file next.

use super::open::BUSY_TIMEOUT;
use super::{Store, StoreError};
use std::io::ErrorKind as IoErrorKind;
use std::time::Duration;

/// SQLite's page cache during bulk writes, in KiB (its default is 2,000): a prune's deletes
/// revisit the same index pages from one transaction to the next, and re-reading them was a
/// quarter of its time. Well within the 50 MB a prune may use.
const BULK_CACHE_KIB: u32 = 24_000;

/// How far the WAL may grow during bulk writes before it is checkpointed; each checkpoint
/// then copies the pages of many transactions at once.
const BULK_WAL_BUDGET: u64 = 128 * 1024 * 1024;

/// WAL size past which a long-lived writer checkpoints (see
/// [`Store::serve_continuous_writes`]). Larger than a CLI process's budget: group commits
/// write many pages at once, and the connection stays open, so SQLite keeps track of what was
/// already copied.
const CONTINUOUS_WAL_BUDGET: u64 = 16 * 1024 * 1024;

/// WAL size past which a writer checkpoints. Every process replays the WAL when it opens the
/// file, so it is kept small: 1 MiB is about 20 registrations.
const WAL_CHECKPOINT_BYTES: u64 = 1024 * 1024;

impl Store {
    /// Tune this connection for what a server's one writer does: commit continuously for as
    /// long as it runs.
    pub(crate) fn serve_continuous_writes(&mut self) {
        self.set_wal_budget(CONTINUOUS_WAL_BUDGET);
    }

    /// Enter bulk mode, for many short write transactions whose last ones may be lost in a
    /// crash and redone (a prune's batches): they commit without waiting for the disk, with a
    /// larger page cache and WAL. Commits of other connections keep their own durability.
    /// [`Store::leave_bulk_mode`] makes them all durable with one `fsync`.
    pub(crate) fn enter_bulk_mode(&mut self) -> Result<(), StoreError> {
        self.set_wal_budget(BULK_WAL_BUDGET);
        self.set_cache_kib(BULK_CACHE_KIB);
        self.defer_durability()
    }

    /// Make the writes since [`Store::enter_bulk_mode`] durable and put the connection back
    /// to normal (the latter even when the former fails).
    pub(crate) fn leave_bulk_mode(&mut self) -> Result<(), StoreError> {
        let durable = self.make_durable();
        self.set_cache_kib(Store::DEFAULT_CACHE_KIB);
        self.set_wal_budget(Store::DEFAULT_WAL_BUDGET);
        self.checkpoint_if_large();
        durable
    }

    /// Let the WAL grow to `bytes` before a writer checkpoints it. Long runs of many write
    /// transactions on one connection (prune) raise it: this connection keeps SQLite's record
    /// of what was checkpointed, and each checkpoint then copies many transactions' pages at
    /// once. Such runs restore the default and call [`Store::checkpoint_if_large`] at the end.
    fn set_wal_budget(&mut self, bytes: u64) {
        self.wal_budget = bytes;
    }

    /// Commit without waiting for the disk (`synchronous=NORMAL`) until
    /// [`Store::make_durable`]. Only for work that is safe to lose and redo, like a prune: a
    /// crash can then undo its last transactions, never tear one, and never touch another
    /// process's commits, which still reach the disk with their own `fsync`.
    fn defer_durability(&mut self) -> Result<(), StoreError> {
        Ok(self.conn.execute_batch("PRAGMA synchronous = NORMAL")?)
    }

    /// Make every commit of this connection durable (one `fsync` of the WAL) and commit
    /// durably again from now on.
    fn make_durable(&mut self) -> Result<(), StoreError> {
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
    const DEFAULT_CACHE_KIB: u32 = 2000;

    /// Let SQLite cache up to `kib` KiB of pages for this connection.
    fn set_cache_kib(&mut self, kib: u32) {
        let _ = self
            .conn
            .execute_batch(&format!("PRAGMA cache_size = -{kib}"));
    }

    /// The default WAL budget.
    pub(super) const DEFAULT_WAL_BUDGET: u64 = WAL_CHECKPOINT_BYTES;

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
    pub(super) fn checkpoint_if_large(&self) {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn synchronous(store: &Store) -> i64 {
        store
            .conn
            .query_row("PRAGMA synchronous", [], |row| row.get(0))
            .unwrap()
    }

    #[test]
    fn bulk_mode_ends_with_durable_commits_and_the_default_budget() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("clients.db")).unwrap();
        let full = synchronous(&store);
        store.enter_bulk_mode().unwrap();
        assert!(
            synchronous(&store) < full,
            "bulk writes commit without waiting for the disk"
        );
        store.leave_bulk_mode().unwrap();
        assert_eq!(synchronous(&store), full);
        assert_eq!(store.wal_budget, Store::DEFAULT_WAL_BUDGET);
    }
}

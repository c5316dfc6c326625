//! Transactions: reads on a snapshot, writes that take the lock up front, and group commits
//! of many writes under one `fsync`.

use super::{Store, StoreError, Tx};
use rusqlite::TransactionBehavior;

impl Store {
    /// Run `work` in one write transaction, taken with `BEGIN IMMEDIATE`; it commits durably
    /// when `work` returns `Ok` and rolls back otherwise.
    ///
    /// # Errors
    /// Whatever `work` returns, or a storage failure.
    pub(crate) fn write<T, E>(&mut self, work: impl FnOnce(&Tx<'_>) -> Result<T, E>) -> Result<T, E>
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
    pub(crate) fn write_batch(
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

    /// Run `work` in one read transaction: a consistent snapshot that never blocks writers.
    ///
    /// # Errors
    /// Whatever `work` returns, or a storage failure.
    pub(crate) fn read<T, E>(&mut self, work: impl FnOnce(&Tx<'_>) -> Result<T, E>) -> Result<T, E>
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

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> crate::model::Event {
        crate::model::Event {
            at: 1,
            actor: "test".into(),
            action: "probe".into(),
            client_id: None,
            details: serde_json::json!({}),
        }
    }

    fn events(store: &mut Store) -> i64 {
        store
            .conn
            .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("clients.db")).unwrap();
        let attempt: Result<(), StoreError> = store.write(|tx| {
            tx.append_event(&event())?;
            Err(StoreError::other("abort"))
        });
        assert!(attempt.is_err());
        assert_eq!(events(&mut store), 0);
    }

    #[test]
    fn a_batch_keeps_the_jobs_that_succeeded_and_drops_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("clients.db")).unwrap();
        store
            .write_batch(5, |tx, index| {
                tx.append_event(&event()).unwrap();
                index % 2 == 0
            })
            .unwrap();
        assert_eq!(events(&mut store), 3);
    }

    #[test]
    fn a_read_sees_a_snapshot_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clients.db");
        let mut store = Store::open(&path).unwrap();
        let mut other = Store::open(&path).unwrap();
        store
            .read(|tx| {
                let before = tx.count_events_before(i64::MAX)?;
                other.write(|tx| tx.append_event(&event()))?;
                assert_eq!(tx.count_events_before(i64::MAX)?, before);
                Ok::<_, StoreError>(())
            })
            .unwrap();
        assert_eq!(events(&mut store), 1);
    }
}

//! Transactions: writes at READ COMMITTED that lock what they decide on, reads on one
//! REPEATABLE READ snapshot, and group commits of many writes under one durable commit.

use super::{Connection, Store, StoreError, Tx};
use std::cell::RefCell;

/// Ends the transaction it was made for: `COMMIT` when asked to, `ROLLBACK` otherwise,
/// including when the work panicked, so the connection is never left inside a transaction.
pub(super) struct Open<'c> {
    conn: &'c RefCell<Connection>,
    finished: bool,
}

impl<'c> Open<'c> {
    pub(super) fn begin(conn: &'c RefCell<Connection>, sql: &str) -> Result<Self, StoreError> {
        conn.borrow_mut().client.batch_execute(sql)?;
        Ok(Open {
            conn,
            finished: false,
        })
    }

    pub(super) fn tx(&self) -> Tx<'c> {
        Tx { conn: self.conn }
    }

    pub(super) fn commit(mut self) -> Result<(), StoreError> {
        self.finished = true;
        Ok(self.conn.borrow_mut().client.batch_execute("COMMIT")?)
    }
}

impl Drop for Open<'_> {
    fn drop(&mut self) {
        if !self.finished {
            if let Ok(mut conn) = self.conn.try_borrow_mut() {
                let _ = conn.client.batch_execute("ROLLBACK");
            }
        }
    }
}

impl Store {
    pub(crate) fn write<T, E>(&mut self, work: impl FnOnce(&Tx<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let open = Open::begin(&self.conn, "BEGIN ISOLATION LEVEL READ COMMITTED")?;
        let value = work(&open.tx())?;
        open.commit()?;
        Ok(value)
    }

    pub(crate) fn write_batch(
        &mut self,
        count: usize,
        mut job: impl FnMut(&Tx<'_>, usize) -> bool,
    ) -> Result<(), StoreError> {
        // Each statement is a round trip to the server, which is most of a job's cost: ending
        // one job's savepoint and opening the next's go together, and a savepoint rolled back
        // to stays open for the next job. COMMIT releases the last.
        let open = Open::begin(
            &self.conn,
            "BEGIN ISOLATION LEVEL READ COMMITTED; SAVEPOINT job",
        )?;
        let tx = open.tx();
        for index in 0..count {
            let last = index + 1 == count;
            if job(&tx, index) {
                if !last {
                    tx.batch("RELEASE SAVEPOINT job; SAVEPOINT job")?;
                }
            } else {
                tx.batch("ROLLBACK TO SAVEPOINT job")?;
            }
        }
        open.commit()
    }

    pub(crate) fn read<T, E>(&mut self, work: impl FnOnce(&Tx<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let open = Open::begin(
            &self.conn,
            "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
        )?;
        let value = work(&open.tx())?;
        // Nothing to keep; ending it here frees the snapshot at once.
        open.commit()?;
        Ok(value)
    }

    /// Commits of a bulk run (prune) may skip waiting for the WAL flush: a crash can then undo
    /// the last of them, never tear one, and never touch another session's commits.
    pub(crate) fn enter_bulk_mode(&mut self) -> Result<(), StoreError> {
        Ok(self
            .conn
            .borrow_mut()
            .client
            .batch_execute("SET synchronous_commit = off")?)
    }

    /// Durable commits again, and one that waits for the WAL flush: the flush is sequential,
    /// so it makes every earlier commit of the bulk run durable too.
    pub(crate) fn leave_bulk_mode(&mut self) -> Result<(), StoreError> {
        let mut conn = self.conn.borrow_mut();
        conn.client.batch_execute("SET synchronous_commit = on")?;
        // A transaction that writes nothing commits without a WAL record; this one takes a
        // transaction id (txid_current) so its commit is flushed, and with it all before it.
        conn.client
            .batch_execute("BEGIN; SELECT txid_current(); COMMIT")?;
        Ok(())
    }
}

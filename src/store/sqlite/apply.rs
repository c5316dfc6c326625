//! Queries for `apply` and `export`. Both otherwise reuse the client queries of `clients.rs`
//! (the streamed scan, insert, update, delete). What they add: a count, so that `export` can
//! size its progress bar from the same snapshot it streams; and the staging of an apply file
//! in a temporary table of the connection, so that an apply's memory does not grow with its
//! number of clients: duplicate ids, the comparison with the registry and `--prune`'s set of
//! clients absent from the file are all answered by SQLite from that table (a temporary
//! file, cached in bounded pages).

use super::{PrunePosition, Store, StoreError, Tx};
use crate::store::types::{DocumentToStage, StagedDocument};
#[cfg(test)]
use rusqlite::OptionalExtension;
use rusqlite::{params, TransactionBehavior};

impl Store {
    /// Run `work` in a transaction that writes only this connection's temporary tables: it
    /// takes no lock on the registry and needs no `fsync`. It commits when `work` returns
    /// `Ok`, so what it staged stays for later transactions of this connection.
    pub(crate) fn write_temporary<T, E>(
        &mut self,
        work: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(StoreError::from)?;
        let tx = Tx { tx };
        let value = work(&tx)?;
        tx.tx.commit().map_err(StoreError::from)?;
        Ok(value)
    }
}

impl Tx<'_> {
    /// How many clients the registry holds.
    pub(crate) fn count_clients(&self) -> Result<u64, StoreError> {
        let count: i64 = self
            .tx
            .prepare_cached("SELECT count(*) FROM clients")?
            .query_row([], |row| row.get(0))?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// The stored metadata of one client, as the compact JSON text it was written as.
    #[cfg(test)]
    pub(crate) fn stored_metadata(&self, client_id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .tx
            .prepare_cached("SELECT metadata FROM clients WHERE client_id = ?1")?
            .query_row([client_id], |row| row.get(0))
            .optional()?)
    }

    /// (Re)create this connection's empty staging table for an apply file.
    pub(crate) fn begin_apply_staging(&self) -> Result<(), StoreError> {
        self.tx.execute_batch(
            "DROP TABLE IF EXISTS temp.apply_documents;
             CREATE TEMP TABLE apply_documents (
                 idx         INTEGER PRIMARY KEY,
                 client_id   TEXT NOT NULL UNIQUE,
                 document    TEXT,
                 uses_secret INTEGER NOT NULL
             );",
        )?;
        Ok(())
    }

    /// Stage `documents`, in index order: for each, `None`, or the index of the earlier
    /// document with its `client_id`, which leaves it unstaged. One statement per document:
    /// SQLite answers in-process.
    pub(crate) fn stage_apply_documents(
        &self,
        documents: &[DocumentToStage<'_>],
    ) -> Result<Vec<Option<u64>>, StoreError> {
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO temp.apply_documents (idx, client_id, document, uses_secret) \
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT (client_id) DO NOTHING",
        )?;
        let mut first = self
            .tx
            .prepare_cached("SELECT idx FROM temp.apply_documents WHERE client_id = ?1")?;
        let mut duplicates = Vec::with_capacity(documents.len());
        for document in documents {
            let index = i64::try_from(document.index).unwrap_or(i64::MAX);
            let inserted = insert.execute(params![
                index,
                document.client_id,
                document.document,
                document.uses_secret
            ])?;
            duplicates.push(if inserted == 1 {
                None
            } else {
                let earlier: i64 = first.query_row([document.client_id], |row| row.get(0))?;
                Some(u64::try_from(earlier).unwrap_or(0))
            });
        }
        Ok(duplicates)
    }

    /// Up to `limit` staged documents after index `after` (from the first with `None`), in
    /// file order, each with the stored metadata of its client.
    pub(crate) fn staged_apply_documents(
        &self,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<StagedDocument>, StoreError> {
        let after = after.map_or(-1, |a| i64::try_from(a).unwrap_or(i64::MAX));
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut statement = self.tx.prepare_cached(
            "SELECT a.idx, a.client_id, a.document, a.uses_secret, c.metadata \
             FROM temp.apply_documents a LEFT JOIN clients c ON c.client_id = a.client_id \
             WHERE a.idx > ?1 AND a.document IS NOT NULL ORDER BY a.idx LIMIT ?2",
        )?;
        let rows = statement.query_map(params![after, limit], |row| {
            Ok(StagedDocument {
                index: u64::try_from(row.get::<_, i64>(0)?).unwrap_or(0),
                client_id: row.get(1)?,
                document: row.get(2)?,
                uses_secret: row.get(3)?,
                stored: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Up to `limit` clients whose id no staged document has, in walk order, after `after`
    /// and no further than `through`.
    pub(crate) fn unstaged_clients(
        &self,
        after: PrunePosition,
        through: PrunePosition,
        limit: usize,
    ) -> Result<Vec<(PrunePosition, String)>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut statement = self.tx.prepare_cached(
            "SELECT c.rowid, c.client_id FROM clients c \
             WHERE c.rowid > ?1 AND c.rowid <= ?2 AND NOT EXISTS \
               (SELECT 1 FROM temp.apply_documents a WHERE a.client_id = c.client_id) \
             ORDER BY c.rowid LIMIT ?3",
        )?;
        let rows = statement.query_map(params![after.0, through.0, limit], |row| {
            Ok((PrunePosition(row.get(0)?), row.get(1)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

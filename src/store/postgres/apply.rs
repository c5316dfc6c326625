//! The staging of an apply file in a temporary table of the session, so that an apply's
//! memory does not grow with its number of clients: duplicate ids, the comparison with the
//! registry and `--prune`'s set of clients absent from the file are all answered by the
//! server from that table (in its temporary buffers, spilled to its disk).

use super::transactions::Open;
use super::{bigint, PrunePosition, Store, StoreError, Tx};
use crate::store::types::StagedDocument;

impl Store {
    /// Run `work` in a transaction that writes only this session's temporary tables: it
    /// locks nothing of the registry. It commits when `work` returns `Ok`, so what it
    /// staged stays for later transactions of this session.
    pub(crate) fn write_temporary<T, E>(
        &mut self,
        work: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let open = Open::begin(&self.conn, "BEGIN ISOLATION LEVEL READ COMMITTED")?;
        let value = work(&open.tx())?;
        open.commit()?;
        Ok(value)
    }
}

impl Tx<'_> {
    /// (Re)create this session's empty staging table for an apply file.
    pub(crate) fn begin_apply_staging(&self) -> Result<(), StoreError> {
        self.batch(
            "DROP TABLE IF EXISTS pg_temp.apply_documents;
             CREATE TEMP TABLE apply_documents (
                 idx         BIGINT PRIMARY KEY,
                 client_id   TEXT NOT NULL UNIQUE,
                 document    TEXT,
                 uses_secret BOOLEAN NOT NULL
             );",
        )
    }

    /// Stage document `index` of an apply file (`document` is `None` for an invalid one,
    /// kept only so that later duplicates of its id are found). Returns the index of the
    /// earlier document with the same `client_id` instead, staging nothing.
    pub(crate) fn stage_apply_document(
        &self,
        index: u64,
        client_id: &str,
        document: Option<&str>,
        uses_secret: bool,
    ) -> Result<Option<u64>, StoreError> {
        let first = self.query_opt(
            "WITH staged AS (INSERT INTO pg_temp.apply_documents (idx, client_id, document, uses_secret) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (client_id) DO NOTHING RETURNING idx) \
             SELECT idx FROM pg_temp.apply_documents WHERE client_id = $2 \
             AND NOT EXISTS (SELECT 1 FROM staged)",
            &[&bigint(index), &client_id, &document, &uses_secret],
        )?;
        Ok(first.map(|row| u64::try_from(row.get::<_, i64>(0)).unwrap_or(0)))
    }

    /// Up to `limit` staged documents after index `after` (from the first with `None`), in
    /// file order, each with the stored metadata of its client.
    pub(crate) fn staged_apply_documents(
        &self,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<StagedDocument>, StoreError> {
        let after = after.map_or(-1, bigint);
        let rows = self.query(
            "SELECT a.idx, a.client_id, a.document, a.uses_secret, c.metadata \
             FROM pg_temp.apply_documents a LEFT JOIN clients c ON c.client_id = a.client_id \
             WHERE a.idx > $1 AND a.document IS NOT NULL ORDER BY a.idx LIMIT $2",
            &[&after, &bigint(limit)],
        )?;
        rows.iter()
            .map(|row| {
                Ok(StagedDocument {
                    index: u64::try_from(row.try_get::<_, i64>(0)?).unwrap_or(0),
                    client_id: row.try_get(1)?,
                    document: row.try_get(2)?,
                    uses_secret: row.try_get(3)?,
                    stored: row.try_get(4)?,
                })
            })
            .collect()
    }

    /// Up to `limit` clients whose id no staged document has, in walk order, after `after`
    /// and no further than `through`.
    pub(crate) fn unstaged_clients(
        &self,
        after: PrunePosition,
        through: PrunePosition,
        limit: usize,
    ) -> Result<Vec<(PrunePosition, String)>, StoreError> {
        let rows = self.query(
            "SELECT c.seq, c.client_id FROM clients c \
             WHERE c.seq > $1 AND c.seq <= $2 AND NOT EXISTS \
               (SELECT 1 FROM pg_temp.apply_documents a WHERE a.client_id = c.client_id) \
             ORDER BY c.seq LIMIT $3",
            &[&after.0, &through.0, &bigint(limit)],
        )?;
        rows.iter()
            .map(|row| Ok((PrunePosition(row.try_get(0)?), row.try_get(1)?)))
            .collect()
    }
}

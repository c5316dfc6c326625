//! The staging of an apply file in a temporary table of the session, so that an apply's
//! memory does not grow with its number of clients: duplicate ids, the comparison with the
//! registry and `--prune`'s set of clients absent from the file are all answered by the
//! server from that table (in its temporary buffers, spilled to its disk).

use super::transactions::Open;
use super::{bigint, PrunePosition, Store, StoreError, Tx};
use crate::store::types::{DocumentToStage, StagedDocument};
use std::collections::{HashMap, HashSet};

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

    /// Stage `documents`, in index order: for each, `None`, or the index of the earlier
    /// document with its `client_id`, which leaves it unstaged. Two round trips for the whole
    /// batch: one multi-row insert that skips every row whose id is taken (by a row staged
    /// before, or by an earlier row of the same insert, as rows go in array order), then the
    /// indexes that took the skipped rows' ids.
    pub(crate) fn stage_apply_documents(
        &self,
        documents: &[DocumentToStage<'_>],
    ) -> Result<Vec<Option<u64>>, StoreError> {
        let indexes: Vec<i64> = documents.iter().map(|d| bigint(d.index)).collect();
        let ids: Vec<&str> = documents.iter().map(|d| d.client_id).collect();
        let texts: Vec<Option<&str>> = documents.iter().map(|d| d.document).collect();
        let secrets: Vec<bool> = documents.iter().map(|d| d.uses_secret).collect();
        let inserted: HashSet<i64> = self
            .query(
                "INSERT INTO pg_temp.apply_documents (idx, client_id, document, uses_secret) \
                 SELECT idx, client_id, document, uses_secret \
                 FROM unnest($1::bigint[], $2::text[], $3::text[], $4::boolean[]) \
                 WITH ORDINALITY AS d(idx, client_id, document, uses_secret, n) ORDER BY n \
                 ON CONFLICT (client_id) DO NOTHING RETURNING idx",
                &[&indexes, &ids, &texts, &secrets],
            )?
            .iter()
            .map(|row| row.try_get(0))
            .collect::<Result<_, _>>()?;
        let skipped: Vec<&str> = documents
            .iter()
            .filter(|d| !inserted.contains(&bigint(d.index)))
            .map(|d| d.client_id)
            .collect();
        let mut first: HashMap<String, i64> = HashMap::new();
        if !skipped.is_empty() {
            for row in self.query(
                "SELECT client_id, idx FROM pg_temp.apply_documents WHERE client_id = ANY($1)",
                &[&skipped],
            )? {
                first.insert(row.try_get(0)?, row.try_get(1)?);
            }
        }
        Ok(documents
            .iter()
            .map(|d| {
                if inserted.contains(&bigint(d.index)) {
                    return None;
                }
                let earlier = first.get(d.client_id).copied().unwrap_or(0);
                Some(u64::try_from(earlier).unwrap_or(0))
            })
            .collect())
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

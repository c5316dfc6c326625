//! Queries for `apply` and `export`. Both otherwise reuse the client queries of `clients.rs`
//! (the streamed scan, insert, update, delete). What they add: a count, so that `export` can
//! size its progress bar from the same snapshot it streams, and a lookup of one client's
//! stored metadata text, so that `apply` without `--prune` costs one indexed read per document
//! however large the registry is.

use super::{StoreError, Tx};
use rusqlite::OptionalExtension;

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
    pub(crate) fn stored_metadata(&self, client_id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .tx
            .prepare_cached("SELECT metadata FROM clients WHERE client_id = ?1")?
            .query_row([client_id], |row| row.get(0))
            .optional()?)
    }
}

//! What shell completion reads: client ids by prefix, from a registry opened read-only.

use super::error::classify;
use super::migrations::{APPLICATION_ID, SCHEMA_VERSION};
use super::{Store, StoreError, Tx};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A completion must answer while the user waits at a Tab; a writer holds its lock for
/// milliseconds.
const READ_BUSY_TIMEOUT: Duration = Duration::from_millis(500);

impl Store {
    /// Open the file at `path` read-only, if it is a registry of this binary's schema
    /// version: never creates, converts or migrates anything.
    pub(crate) fn open_to_read(path: &Path) -> Result<Option<Store>, StoreError> {
        if !path.is_file() {
            return Ok(None);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
        conn.busy_timeout(READ_BUSY_TIMEOUT)
            .map_err(|e| classify(path, e))?;
        let (version, application_id): (i64, i64) = conn
            .query_row(
                "SELECT (SELECT user_version FROM pragma_user_version), \
                        (SELECT application_id FROM pragma_application_id)",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .map_err(|e| classify(path, e))?;
        if version != SCHEMA_VERSION || application_id != APPLICATION_ID {
            return Ok(None);
        }
        let mut wal_path = path.as_os_str().to_owned();
        wal_path.push("-wal");
        Ok(Some(Store {
            conn,
            wal_path: PathBuf::from(wal_path),
            wal_budget: Store::DEFAULT_WAL_BUDGET,
        }))
    }
}

impl Tx<'_> {
    /// Up to `limit` client ids that start with `prefix`, in byte order.
    pub(crate) fn client_ids_starting_with(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<String>, StoreError> {
        // The primary key's index in byte order (BINARY collation): the ids with the prefix
        // are the run that begins at it.
        let mut statement = self.tx.prepare_cached(
            "SELECT client_id FROM clients WHERE client_id >= ?1 ORDER BY client_id",
        )?;
        let mut rows = statement.query([prefix])?;
        let mut ids = Vec::new();
        while ids.len() < limit {
            let Some(row) = rows.next()? else { break };
            let id: String = row.get(0)?;
            if !id.starts_with(prefix) {
                break;
            }
            ids.push(id);
        }
        Ok(ids)
    }
}

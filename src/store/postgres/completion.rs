//! What shell completion reads: client ids by prefix, from a registry it never migrates.

use super::connect::client_within;
use super::migrations::{recorded_version, SCHEMA_VERSION};
use super::{bigint, storable, Connection, Store, StoreError, Tx};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

/// A completion must answer while the user waits at a Tab: an unreachable server gives no
/// candidates after this long rather than hanging the shell.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

impl Store {
    /// Connect to the database `url` names, if its schema holds a registry of this binary's
    /// schema version: never creates tables or migrates them.
    pub(crate) fn open_to_read(url: &str) -> Result<Option<Store>, StoreError> {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let mut conn = Connection {
            client: client_within(url, home.as_deref(), Some(CONNECT_TIMEOUT))?,
            statements: HashMap::new(),
        };
        if recorded_version(&mut conn)? != SCHEMA_VERSION {
            return Ok(None);
        }
        Ok(Some(Store {
            conn: RefCell::new(conn),
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
        if !storable(prefix) {
            return Ok(Vec::new());
        }
        // Byte order ("C"), as SQLite's BINARY collation sorts, whatever the database's.
        let rows = self.query(
            "SELECT client_id FROM clients WHERE starts_with(client_id, $1) \
             ORDER BY client_id COLLATE \"C\" LIMIT $2",
            &[&prefix, &bigint(limit)],
        )?;
        Ok(rows.iter().map(|row| row.get(0)).collect())
    }
}

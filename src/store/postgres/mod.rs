//! The PostgreSQL backend: one database shared by several servers and CLI processes. Every
//! SQL statement for PostgreSQL is in this module and its `sql/` migrations.
//!
//! Writes run at READ COMMITTED and lock what they decide on (`SELECT … FOR UPDATE`, an
//! advisory lock for registry-wide decisions), so they never fail with a serialization error
//! that would need a retry; reads run at REPEATABLE READ, one snapshot for a whole listing.
//! Transactions are begun and ended with plain SQL on one connection, and each statement is
//! prepared once per connection.

mod accounts;
mod apply;
mod clients;
mod completion;
mod connect;
mod copy;
mod error;
mod maintenance;
mod migrations;
#[cfg(test)]
pub(crate) mod testing;
mod tls;
mod transactions;

// What the files of this backend share from the store.
use super::types::{AdminRow, NewClient, PruneCandidate, PrunePosition, TokenRow};
use super::types::{EventFilter, IntegrityReport, ListFilter, PruneCriteria, PruneReason};
use super::StoreError;

use postgres::types::ToSql;
use postgres::{Row, Statement};
use std::cell::RefCell;
use std::collections::HashMap;

/// An open registry database on a PostgreSQL server.
pub(crate) struct Store {
    conn: RefCell<Connection>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("postgres::Store").finish_non_exhaustive()
    }
}

/// A client connection and the statements prepared on it.
struct Connection {
    client: postgres::Client,
    statements: HashMap<String, Statement>,
}

/// A transaction on the store: the connection, inside `BEGIN` … `COMMIT`.
pub(crate) struct Tx<'t> {
    conn: &'t RefCell<Connection>,
}

/// Parameters of one statement.
type Params<'p> = [&'p (dyn ToSql + Sync)];

impl Connection {
    fn statement(&mut self, sql: &str) -> Result<Statement, postgres::Error> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql)?;
        self.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }
}

impl Tx<'_> {
    fn query(&self, sql: &str, params: &Params<'_>) -> Result<Vec<Row>, StoreError> {
        let mut conn = self.conn.borrow_mut();
        let statement = conn.statement(sql)?;
        Ok(conn.client.query(&statement, params)?)
    }

    fn query_opt(&self, sql: &str, params: &Params<'_>) -> Result<Option<Row>, StoreError> {
        let mut conn = self.conn.borrow_mut();
        let statement = conn.statement(sql)?;
        Ok(conn.client.query_opt(&statement, params)?)
    }

    fn query_one(&self, sql: &str, params: &Params<'_>) -> Result<Row, StoreError> {
        let mut conn = self.conn.borrow_mut();
        let statement = conn.statement(sql)?;
        Ok(conn.client.query_one(&statement, params)?)
    }

    fn execute(&self, sql: &str, params: &Params<'_>) -> Result<u64, StoreError> {
        let mut conn = self.conn.borrow_mut();
        let statement = conn.statement(sql)?;
        Ok(conn.client.execute(&statement, params)?)
    }

    fn batch(&self, sql: &str) -> Result<(), StoreError> {
        Ok(self.conn.borrow_mut().client.batch_execute(sql)?)
    }
}

/// Whether `key` can be stored at all: PostgreSQL text cannot hold NUL, so a lookup by such
/// a key finds nothing (as on SQLite, where no stored key has one) instead of failing.
fn storable(key: &str) -> bool {
    !key.contains('\0')
}

/// `n` as a PostgreSQL BIGINT (saturating; counts and limits never come near).
fn bigint(n: impl TryInto<i64>) -> i64 {
    n.try_into().unwrap_or(i64::MAX)
}

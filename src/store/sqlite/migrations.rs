//! The schema history: append-only, one entry per `user_version`, and the one function that
//! applies it.
//!
//! Entry `i` takes a database from version `i` to `i + 1`. Never edit or reorder an entry
//! that has shipped; a new schema is a new entry, and every change must leave older readers
//! of the documented tables working (add columns and tables, never repurpose them). An entry
//! is SQL, or a function for a data migration that SQL alone cannot express (rewriting JSON
//! documents, re-deriving a column); both run in the same transaction as the rest.

use super::StoreError;
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::path::Path;

/// One step of the schema history.
pub(super) enum Migration {
    /// Statements run as one batch.
    Sql(&'static str),
    /// Code run on the transaction, for data the statements cannot transform.
    #[cfg_attr(
        not(test),
        expect(
            dead_code,
            reason = "no shipped migration needs one yet; the tests use it"
        )
    )]
    Data(fn(&Transaction<'_>) -> rusqlite::Result<()>),
}

/// Migrations in order; the schema version is their count.
pub(super) const MIGRATIONS: &[Migration] = &[Migration::Sql(include_str!("sql/001_initial.sql"))];

/// The schema version this binary writes.
pub(crate) const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// `PRAGMA application_id` of dcrctl databases: "dcrc".
pub(super) const APPLICATION_ID: i64 = 0x6463_7263;

/// Bring the database at `path` up to [`SCHEMA_VERSION`]; returns the version it had (0 for
/// a database this call created the schema of).
pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<i64, StoreError> {
    migrate_with(conn, path, MIGRATIONS)
}

/// Apply the entries of `history` the database lacks. The version is read again inside an
/// IMMEDIATE transaction, so two processes opening a new file at once cannot both migrate
/// it; a database newer than `history` is refused unmodified. Returns the version found.
fn migrate_with(
    conn: &mut Connection,
    path: &Path,
    history: &[Migration],
) -> Result<i64, StoreError> {
    let target = history.len() as i64;
    let current: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if current == target {
        return Ok(current);
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version > target {
        return Err(StoreError::TooNew {
            path: path.to_owned(),
            found: version,
            supported: target,
        });
    }
    let start = usize::try_from(version).unwrap_or(0);
    for migration in &history[start..] {
        match migration {
            Migration::Sql(sql) => tx.execute_batch(sql)?,
            Migration::Data(transform) => transform(&tx)?,
        }
    }
    tx.execute_batch(&format!(
        "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {target};"
    ))?;
    tx.commit()?;
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn apply_all(conn: &Connection) {
        for (version, migration) in MIGRATIONS.iter().enumerate() {
            let tx = conn.unchecked_transaction().unwrap();
            match migration {
                Migration::Sql(sql) => tx.execute_batch(sql),
                Migration::Data(transform) => transform(&tx),
            }
            .unwrap_or_else(|e| panic!("migration {} fails: {e}", version + 1));
            tx.commit().unwrap();
        }
    }

    #[test]
    fn every_migration_applies_in_order_on_an_empty_database() {
        let conn = Connection::open_in_memory().unwrap();
        apply_all(&conn);
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            tables,
            [
                "admins",
                "client_secrets",
                "clients",
                "events",
                "initial_access_tokens"
            ]
        );
    }

    #[test]
    fn opening_migrates_once_and_reopening_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("clients.db");
        drop(Store::open(&path).unwrap());
        let schema = || -> (i64, String) {
            let conn = Connection::open(&path).unwrap();
            let version = conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap();
            let sql: String = conn
                .query_row(
                    "SELECT group_concat(sql, ';') FROM sqlite_master",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            (version, sql)
        };
        let first = schema();
        assert_eq!(first.0, SCHEMA_VERSION);
        drop(Store::open(&path).unwrap());
        assert_eq!(schema(), first);
    }

    /// A data migration of the kind SQL cannot express on its own: every note's text reversed.
    fn reverse_notes(tx: &Transaction<'_>) -> rusqlite::Result<()> {
        let notes: Vec<(i64, String)> = tx
            .prepare("SELECT id, text FROM notes")?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, text) in notes {
            let reversed: String = text.chars().rev().collect();
            tx.execute(
                "UPDATE notes SET text = ?1, reversed = 1 WHERE id = ?2",
                rusqlite::params![reversed, id],
            )?;
        }
        Ok(())
    }

    const HISTORY: &[Migration] = &[
        Migration::Sql("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)"),
        Migration::Sql("ALTER TABLE notes ADD COLUMN reversed INTEGER NOT NULL DEFAULT 0"),
        Migration::Data(reverse_notes),
    ];

    fn notes(conn: &Connection) -> Vec<(String, i64)> {
        conn.prepare("SELECT text, reversed FROM notes ORDER BY id")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// cargo's `migrate_twice`: migrate, add data, migrate to the next schema with a data
    /// step, and migrate again, which must change nothing.
    #[test]
    fn a_database_with_data_migrates_forward_through_sql_and_data_steps_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let mut conn = Connection::open(&path).unwrap();
        migrate_with(&mut conn, &path, &HISTORY[..1]).unwrap();
        conn.execute_batch("INSERT INTO notes (text) VALUES ('abc'), ('héllo')")
            .unwrap();

        migrate_with(&mut conn, &path, HISTORY).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, 3);
        let migrated = notes(&conn);
        assert_eq!(migrated, [("cba".into(), 1), ("olléh".into(), 1)]);

        migrate_with(&mut conn, &path, HISTORY).unwrap();
        assert_eq!(
            notes(&conn),
            migrated,
            "a second migration changed the data"
        );
    }

    #[test]
    fn a_failing_data_step_leaves_the_database_at_its_old_version() {
        fn fail(_: &Transaction<'_>) -> rusqlite::Result<()> {
            Err(rusqlite::Error::InvalidQuery)
        }
        let failing: &[Migration] = &[HISTORY[0].clone_sql(), Migration::Data(fail)];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let mut conn = Connection::open(&path).unwrap();
        migrate_with(&mut conn, &path, &HISTORY[..1]).unwrap();
        conn.execute_batch("INSERT INTO notes (text) VALUES ('abc')")
            .unwrap();
        assert!(migrate_with(&mut conn, &path, failing).is_err());
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, 1);
        assert_eq!(
            conn.query_row("SELECT text FROM notes", [], |r| r.get::<_, String>(0))
                .unwrap(),
            "abc"
        );
    }

    #[test]
    fn a_database_newer_than_the_history_is_refused_unmodified() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let mut conn = Connection::open(&path).unwrap();
        migrate_with(&mut conn, &path, HISTORY).unwrap();
        let error = migrate_with(&mut conn, &path, &HISTORY[..2]).unwrap_err();
        assert!(matches!(
            error,
            StoreError::TooNew {
                found: 3,
                supported: 2,
                ..
            }
        ));
    }

    impl Migration {
        fn clone_sql(&self) -> Migration {
            match self {
                Migration::Sql(sql) => Migration::Sql(sql),
                Migration::Data(f) => Migration::Data(*f),
            }
        }
    }
}

//! The PostgreSQL schema history: append-only, one entry per version, recorded in
//! `dcrctl_schema`. Entry `i` takes a database from version `i` to `i + 1`; the same rules as
//! SQLite's history apply (never edit a shipped entry; only add columns and tables).
//!
//! Two nodes starting at once must not both migrate: the version is read again under a
//! transaction-scoped advisory lock, and the whole migration runs in that one transaction.
//! A database newer than this binary is refused before anything is written.

use super::{Connection, StoreError};

/// Migrations in order; the schema version is their count.
const MIGRATIONS: &[&str] = &[include_str!("sql/001_initial.sql")];

/// The schema version this binary writes.
pub(super) const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The advisory lock that serializes migrations, per schema: several registries may share a
/// database in different schemas.
const MIGRATION_LOCK: &str =
    "SELECT pg_advisory_xact_lock(hashtext('dcrctl migrate ' || coalesce(current_schema(), '')))";

/// The schema version, or `None` for a schema without dcrctl's tables; refuses a schema that
/// holds other tables.
fn version(conn: &mut Connection) -> Result<Option<i64>, StoreError> {
    let row = conn.client.query_one(
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables \
                        WHERE schemaname = current_schema() AND tablename = 'dcrctl_schema'), \
                (SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()), \
                current_schema()",
        &[],
    )?;
    let ours: bool = row.get(0);
    let tables: i64 = row.get(1);
    let schema: Option<String> = row.get(2);
    if schema.is_none() {
        return Err(StoreError::NotADatabase {
            path: "the PostgreSQL database".into(),
            reason: "no schema of its search_path exists".to_owned(),
        });
    }
    if !ours {
        if tables > 0 {
            return Err(StoreError::NotADatabase {
                path: format!("schema {}", schema.unwrap_or_default()).into(),
                reason: "it already holds other tables".to_owned(),
            });
        }
        return Ok(None);
    }
    let row = conn.client.query_one(
        "SELECT max(version)::bigint, bool_and(application = 'dcrctl') FROM dcrctl_schema",
        &[],
    )?;
    let version: Option<i64> = row.get(0);
    let application: Option<bool> = row.get(1);
    if application == Some(false) {
        return Err(StoreError::NotADatabase {
            path: format!("schema {}", schema.unwrap_or_default()).into(),
            reason: "it belongs to another application".to_owned(),
        });
    }
    Ok(Some(version.unwrap_or(0)))
}

fn too_new(found: i64) -> StoreError {
    StoreError::TooNew {
        path: "the PostgreSQL database".into(),
        found,
        supported: SCHEMA_VERSION,
    }
}

/// Bring the schema up to [`SCHEMA_VERSION`]; returns the version it had (0 for a schema
/// this call gave dcrctl's tables). Without `create`, a schema without dcrctl's tables is
/// [`StoreError::Missing`] and left empty.
pub(super) fn migrate(conn: &mut Connection, create: bool) -> Result<i64, StoreError> {
    match version(conn)? {
        Some(current) if current == SCHEMA_VERSION => return Ok(current),
        Some(current) if current > SCHEMA_VERSION => return Err(too_new(current)),
        None if !create => {
            let schema: Option<String> = conn
                .client
                .query_one("SELECT current_schema()", &[])?
                .get(0);
            return Err(StoreError::Missing {
                location: format!("schema {}", schema.unwrap_or_default()),
            });
        }
        _ => {}
    }
    let mut tx = conn.client.transaction()?;
    tx.batch_execute(MIGRATION_LOCK)?;
    let current = {
        // Read again under the lock: another node may have migrated meanwhile. From the
        // catalog table, not to_regclass: name lookups go through a cache that taking an
        // advisory lock does not refresh, so they can miss a table committed meanwhile.
        let ours: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables \
                 WHERE schemaname = current_schema() AND tablename = 'dcrctl_schema')",
                &[],
            )?
            .get(0);
        if ours {
            let version: Option<i64> = tx
                .query_one("SELECT max(version)::bigint FROM dcrctl_schema", &[])?
                .get(0);
            version.unwrap_or(0)
        } else {
            0
        }
    };
    if current > SCHEMA_VERSION {
        return Err(too_new(current));
    }
    let start = usize::try_from(current).unwrap_or(0);
    for sql in &MIGRATIONS[start..] {
        tx.batch_execute(sql)?;
    }
    tx.execute(
        "UPDATE dcrctl_schema SET version = $1",
        &[&(SCHEMA_VERSION as i32)],
    )?;
    tx.commit()?;
    Ok(current)
}

/// The schema version recorded in the database.
pub(super) fn recorded_version(conn: &mut Connection) -> Result<i64, StoreError> {
    Ok(version(conn)?.unwrap_or(0))
}

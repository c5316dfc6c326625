//! Rows as stored, read a page at a time and inserted unchanged: `db copy` on SQLite.
//!
//! Pages are keyed by rowid (insertion order), and inserts give each row the rowid (or
//! `event_id`) it had, so a copy keeps every order the registry shows.

use super::{StoreError, Tx};
use crate::store::types::{
    CopiedAdmin, CopiedClient, CopiedEvent, CopiedSecret, CopiedToken, RegistryCounts,
};
use rusqlite::{params, Row};

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn limit(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Tx<'_> {
    pub(crate) fn registry_counts(&self) -> Result<RegistryCounts, StoreError> {
        let counts = self
            .tx
            .prepare_cached(
                "SELECT (SELECT count(*) FROM clients), (SELECT count(*) FROM client_secrets), \
                 (SELECT count(*) FROM initial_access_tokens), (SELECT count(*) FROM admins), \
                 (SELECT count(*) FROM events)",
            )?
            .query_row([], |row| {
                Ok(RegistryCounts {
                    clients: count(row.get(0)?),
                    client_secrets: count(row.get(1)?),
                    initial_access_tokens: count(row.get(2)?),
                    admins: count(row.get(3)?),
                    events: count(row.get(4)?),
                })
            })?;
        Ok(counts)
    }

    pub(crate) fn copied_clients(
        &self,
        after: i64,
        max: usize,
    ) -> Result<Vec<CopiedClient>, StoreError> {
        let mut statement = self.tx.prepare_cached(
            "SELECT rowid, client_id, client_name, metadata, token_endpoint_auth_method, \
             client_id_issued_at, client_secret_expires_at, registration_token_hash, \
             registered_via, updated_at, last_used_at, revision \
             FROM clients WHERE rowid > ?1 ORDER BY rowid LIMIT ?2",
        )?;
        let rows = statement.query_map(params![after, limit(max)], client_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub(crate) fn copied_secrets(
        &self,
        after: i64,
        through: i64,
    ) -> Result<Vec<CopiedSecret>, StoreError> {
        let mut statement = self.tx.prepare_cached(
            "SELECT s.client_id, s.secret_hash, s.expires_at, s.created_at, s.superseded_at \
             FROM clients c JOIN client_secrets s ON s.client_id = c.client_id \
             WHERE c.rowid > ?1 AND c.rowid <= ?2 ORDER BY c.rowid, s.rowid",
        )?;
        let rows = statement.query_map(params![after, through], |row| {
            Ok(CopiedSecret {
                client_id: row.get(0)?,
                secret_hash: row.get(1)?,
                expires_at: row.get(2)?,
                created_at: row.get(3)?,
                superseded_at: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub(crate) fn copied_tokens(
        &self,
        after: i64,
        max: usize,
    ) -> Result<Vec<CopiedToken>, StoreError> {
        let mut statement = self.tx.prepare_cached(
            "SELECT rowid, token_id, token_hash, note, created_at, expires_at, max_uses, uses, \
             revoked_at FROM initial_access_tokens WHERE rowid > ?1 ORDER BY rowid LIMIT ?2",
        )?;
        let rows = statement.query_map(params![after, limit(max)], |row| {
            Ok(CopiedToken {
                position: row.get(0)?,
                token_id: row.get(1)?,
                token_hash: row.get(2)?,
                note: row.get(3)?,
                created_at: row.get(4)?,
                expires_at: row.get(5)?,
                max_uses: row.get(6)?,
                uses: row.get(7)?,
                revoked_at: row.get(8)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub(crate) fn copied_admins(
        &self,
        after: Option<&str>,
        max: usize,
    ) -> Result<Vec<CopiedAdmin>, StoreError> {
        let mut statement = self.tx.prepare_cached(
            "SELECT name, password_hash, created_at, updated_at FROM admins \
             WHERE ?1 IS NULL OR name > ?1 ORDER BY name LIMIT ?2",
        )?;
        let rows = statement.query_map(params![after, limit(max)], |row| {
            Ok(CopiedAdmin {
                name: row.get(0)?,
                password_hash: row.get(1)?,
                created_at: row.get(2)?,
                updated_at: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub(crate) fn copied_events(
        &self,
        after: i64,
        max: usize,
    ) -> Result<Vec<CopiedEvent>, StoreError> {
        let mut statement = self.tx.prepare_cached(
            "SELECT event_id, at, actor, action, client_id, details FROM events \
             WHERE event_id > ?1 ORDER BY event_id LIMIT ?2",
        )?;
        let rows = statement.query_map(params![after, limit(max)], |row| {
            Ok(CopiedEvent {
                event_id: row.get(0)?,
                at: row.get(1)?,
                actor: row.get(2)?,
                action: row.get(3)?,
                client_id: row.get(4)?,
                details: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub(crate) fn insert_copied_clients(&self, rows: &[CopiedClient]) -> Result<(), StoreError> {
        let mut statement = self.tx.prepare_cached(
            "INSERT INTO clients (rowid, client_id, client_name, metadata, \
             token_endpoint_auth_method, client_id_issued_at, client_secret_expires_at, \
             registration_token_hash, registered_via, updated_at, last_used_at, revision) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?;
        for c in rows {
            statement.execute(params![
                c.position,
                c.client_id,
                c.client_name,
                c.metadata,
                c.token_endpoint_auth_method,
                c.client_id_issued_at,
                c.client_secret_expires_at,
                c.registration_token_hash,
                c.registered_via,
                c.updated_at,
                c.last_used_at,
                c.revision
            ])?;
        }
        Ok(())
    }

    pub(crate) fn insert_copied_secrets(&self, rows: &[CopiedSecret]) -> Result<(), StoreError> {
        let mut statement = self.tx.prepare_cached(
            "INSERT INTO client_secrets \
             (client_id, secret_hash, expires_at, created_at, superseded_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for s in rows {
            statement.execute(params![
                s.client_id,
                s.secret_hash,
                s.expires_at,
                s.created_at,
                s.superseded_at
            ])?;
        }
        Ok(())
    }

    pub(crate) fn insert_copied_tokens(&self, rows: &[CopiedToken]) -> Result<(), StoreError> {
        let mut statement = self.tx.prepare_cached(
            "INSERT INTO initial_access_tokens (rowid, token_id, token_hash, note, created_at, \
             expires_at, max_uses, uses, revoked_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for t in rows {
            statement.execute(params![
                t.position,
                t.token_id,
                t.token_hash,
                t.note,
                t.created_at,
                t.expires_at,
                t.max_uses,
                t.uses,
                t.revoked_at
            ])?;
        }
        Ok(())
    }

    pub(crate) fn insert_copied_admins(&self, rows: &[CopiedAdmin]) -> Result<(), StoreError> {
        let mut statement = self.tx.prepare_cached(
            "INSERT INTO admins (name, password_hash, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for a in rows {
            statement.execute(params![a.name, a.password_hash, a.created_at, a.updated_at])?;
        }
        Ok(())
    }

    pub(crate) fn insert_copied_events(&self, rows: &[CopiedEvent]) -> Result<(), StoreError> {
        let mut statement = self.tx.prepare_cached(
            "INSERT INTO events (event_id, at, actor, action, client_id, details) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for e in rows {
            statement.execute(params![
                e.event_id,
                e.at,
                e.actor,
                e.action,
                e.client_id,
                e.details
            ])?;
        }
        Ok(())
    }

    /// Nothing to do: SQLite gives a new row the rowid after the largest there is.
    pub(crate) fn advance_sequences(&self) -> Result<(), StoreError> {
        Ok(())
    }
}

fn client_from_row(row: &Row<'_>) -> rusqlite::Result<CopiedClient> {
    Ok(CopiedClient {
        position: row.get(0)?,
        client_id: row.get(1)?,
        client_name: row.get(2)?,
        metadata: row.get(3)?,
        token_endpoint_auth_method: row.get(4)?,
        client_id_issued_at: row.get(5)?,
        client_secret_expires_at: row.get(6)?,
        registration_token_hash: row.get(7)?,
        registered_via: row.get(8)?,
        updated_at: row.get(9)?,
        last_used_at: row.get(10)?,
        revision: row.get(11)?,
    })
}

//! Rows as stored, read a page at a time and inserted unchanged: `db copy` on PostgreSQL.
//!
//! Pages are keyed by `seq` (insertion order). A page is inserted with one statement that
//! unnests one array per column, so a batch costs one round trip, not one per row. Rows keep
//! their `seq` and `event_id`; the identity sequences are then moved past them
//! ([`Tx::advance_sequences`]) so the next insert does not collide with a copied row.

use super::{bigint, StoreError, Tx};
use crate::store::types::{
    CopiedAdmin, CopiedClient, CopiedEvent, CopiedSecret, CopiedToken, RegistryCounts,
};

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl Tx<'_> {
    pub(crate) fn registry_counts(&self) -> Result<RegistryCounts, StoreError> {
        let row = self.query_one(
            "SELECT (SELECT count(*) FROM clients), (SELECT count(*) FROM client_secrets), \
             (SELECT count(*) FROM initial_access_tokens), (SELECT count(*) FROM admins), \
             (SELECT count(*) FROM events)",
            &[],
        )?;
        Ok(RegistryCounts {
            clients: count(row.try_get(0)?),
            client_secrets: count(row.try_get(1)?),
            initial_access_tokens: count(row.try_get(2)?),
            admins: count(row.try_get(3)?),
            events: count(row.try_get(4)?),
        })
    }

    pub(crate) fn copied_clients(
        &self,
        after: i64,
        max: usize,
    ) -> Result<Vec<CopiedClient>, StoreError> {
        self.query(
            "SELECT seq, client_id, client_name, metadata, token_endpoint_auth_method, \
             client_id_issued_at, client_secret_expires_at, registration_token_hash, \
             registered_via, updated_at, last_used_at, revision \
             FROM clients WHERE seq > $1 ORDER BY seq LIMIT $2",
            &[&after, &bigint(max)],
        )?
        .iter()
        .map(|row| {
            Ok(CopiedClient {
                position: row.try_get(0)?,
                client_id: row.try_get(1)?,
                client_name: row.try_get(2)?,
                metadata: row.try_get(3)?,
                token_endpoint_auth_method: row.try_get(4)?,
                client_id_issued_at: row.try_get(5)?,
                client_secret_expires_at: row.try_get(6)?,
                registration_token_hash: row.try_get(7)?,
                registered_via: row.try_get(8)?,
                updated_at: row.try_get(9)?,
                last_used_at: row.try_get(10)?,
                revision: row.try_get(11)?,
            })
        })
        .collect()
    }

    pub(crate) fn copied_secrets(
        &self,
        after: i64,
        through: i64,
    ) -> Result<Vec<CopiedSecret>, StoreError> {
        self.query(
            "SELECT s.client_id, s.secret_hash, s.expires_at, s.created_at, s.superseded_at \
             FROM clients c JOIN client_secrets s ON s.client_id = c.client_id \
             WHERE c.seq > $1 AND c.seq <= $2 ORDER BY c.seq, s.created_at, s.ctid",
            &[&after, &through],
        )?
        .iter()
        .map(|row| {
            Ok(CopiedSecret {
                client_id: row.try_get(0)?,
                secret_hash: row.try_get(1)?,
                expires_at: row.try_get(2)?,
                created_at: row.try_get(3)?,
                superseded_at: row.try_get(4)?,
            })
        })
        .collect()
    }

    pub(crate) fn copied_tokens(
        &self,
        after: i64,
        max: usize,
    ) -> Result<Vec<CopiedToken>, StoreError> {
        self.query(
            "SELECT seq, token_id, token_hash, note, created_at, expires_at, max_uses, uses, \
             revoked_at FROM initial_access_tokens WHERE seq > $1 ORDER BY seq LIMIT $2",
            &[&after, &bigint(max)],
        )?
        .iter()
        .map(|row| {
            Ok(CopiedToken {
                position: row.try_get(0)?,
                token_id: row.try_get(1)?,
                token_hash: row.try_get(2)?,
                note: row.try_get(3)?,
                created_at: row.try_get(4)?,
                expires_at: row.try_get(5)?,
                max_uses: row.try_get(6)?,
                uses: row.try_get(7)?,
                revoked_at: row.try_get(8)?,
            })
        })
        .collect()
    }

    pub(crate) fn copied_admins(
        &self,
        after: Option<&str>,
        max: usize,
    ) -> Result<Vec<CopiedAdmin>, StoreError> {
        // Byte order, as SQLite's: the page key must not depend on the database's locale.
        self.query(
            "SELECT name, password_hash, created_at, updated_at FROM admins \
             WHERE $1::text IS NULL OR name COLLATE \"C\" > $1 \
             ORDER BY name COLLATE \"C\" LIMIT $2",
            &[&after, &bigint(max)],
        )?
        .iter()
        .map(|row| {
            Ok(CopiedAdmin {
                name: row.try_get(0)?,
                password_hash: row.try_get(1)?,
                created_at: row.try_get(2)?,
                updated_at: row.try_get(3)?,
            })
        })
        .collect()
    }

    pub(crate) fn copied_events(
        &self,
        after: i64,
        max: usize,
    ) -> Result<Vec<CopiedEvent>, StoreError> {
        self.query(
            "SELECT event_id, at, actor, action, client_id, details FROM events \
             WHERE event_id > $1 ORDER BY event_id LIMIT $2",
            &[&after, &bigint(max)],
        )?
        .iter()
        .map(|row| {
            Ok(CopiedEvent {
                event_id: row.try_get(0)?,
                at: row.try_get(1)?,
                actor: row.try_get(2)?,
                action: row.try_get(3)?,
                client_id: row.try_get(4)?,
                details: row.try_get(5)?,
            })
        })
        .collect()
    }

    pub(crate) fn insert_copied_clients(&self, rows: &[CopiedClient]) -> Result<(), StoreError> {
        let column = |f: fn(&CopiedClient) -> Option<String>| -> Vec<Option<String>> {
            rows.iter().map(f).collect()
        };
        let number = |f: fn(&CopiedClient) -> Option<i64>| -> Vec<Option<i64>> {
            rows.iter().map(f).collect()
        };
        self.execute(
            "INSERT INTO clients (seq, client_id, client_name, metadata, \
             token_endpoint_auth_method, client_id_issued_at, client_secret_expires_at, \
             registration_token_hash, registered_via, updated_at, last_used_at, revision) \
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], \
             $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::bigint[], $11::bigint[], \
             $12::bigint[])",
            &[
                &number(|c| Some(c.position)),
                &column(|c| Some(c.client_id.clone())),
                &column(|c| c.client_name.clone()),
                &column(|c| Some(c.metadata.clone())),
                &column(|c| Some(c.token_endpoint_auth_method.clone())),
                &number(|c| Some(c.client_id_issued_at)),
                &number(|c| c.client_secret_expires_at),
                &column(|c| c.registration_token_hash.clone()),
                &column(|c| Some(c.registered_via.clone())),
                &number(|c| Some(c.updated_at)),
                &number(|c| c.last_used_at),
                &number(|c| Some(c.revision)),
            ],
        )?;
        Ok(())
    }

    pub(crate) fn insert_copied_secrets(&self, rows: &[CopiedSecret]) -> Result<(), StoreError> {
        let text = |f: fn(&CopiedSecret) -> &str| -> Vec<&str> { rows.iter().map(f).collect() };
        let number = |f: fn(&CopiedSecret) -> Option<i64>| -> Vec<Option<i64>> {
            rows.iter().map(f).collect()
        };
        self.execute(
            "INSERT INTO client_secrets \
             (client_id, secret_hash, expires_at, created_at, superseded_at) \
             SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[])",
            &[
                &text(|s| &s.client_id),
                &text(|s| &s.secret_hash),
                &number(|s| Some(s.expires_at)),
                &number(|s| Some(s.created_at)),
                &number(|s| s.superseded_at),
            ],
        )?;
        Ok(())
    }

    pub(crate) fn insert_copied_tokens(&self, rows: &[CopiedToken]) -> Result<(), StoreError> {
        let text = |f: fn(&CopiedToken) -> Option<&str>| -> Vec<Option<&str>> {
            rows.iter().map(f).collect()
        };
        let number = |f: fn(&CopiedToken) -> Option<i64>| -> Vec<Option<i64>> {
            rows.iter().map(f).collect()
        };
        self.execute(
            "INSERT INTO initial_access_tokens (seq, token_id, token_hash, note, created_at, \
             expires_at, max_uses, uses, revoked_at) \
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], \
             $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[])",
            &[
                &number(|t| Some(t.position)),
                &text(|t| Some(&t.token_id)),
                &text(|t| Some(&t.token_hash)),
                &text(|t| t.note.as_deref()),
                &number(|t| Some(t.created_at)),
                &number(|t| Some(t.expires_at)),
                &number(|t| t.max_uses),
                &number(|t| Some(t.uses)),
                &number(|t| t.revoked_at),
            ],
        )?;
        Ok(())
    }

    pub(crate) fn insert_copied_admins(&self, rows: &[CopiedAdmin]) -> Result<(), StoreError> {
        let text = |f: fn(&CopiedAdmin) -> &str| -> Vec<&str> { rows.iter().map(f).collect() };
        let number = |f: fn(&CopiedAdmin) -> i64| -> Vec<i64> { rows.iter().map(f).collect() };
        self.execute(
            "INSERT INTO admins (name, password_hash, created_at, updated_at) \
             SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[])",
            &[
                &text(|a| &a.name),
                &text(|a| &a.password_hash),
                &number(|a| a.created_at),
                &number(|a| a.updated_at),
            ],
        )?;
        Ok(())
    }

    pub(crate) fn insert_copied_events(&self, rows: &[CopiedEvent]) -> Result<(), StoreError> {
        let text = |f: fn(&CopiedEvent) -> Option<&str>| -> Vec<Option<&str>> {
            rows.iter().map(f).collect()
        };
        let number = |f: fn(&CopiedEvent) -> i64| -> Vec<i64> { rows.iter().map(f).collect() };
        self.execute(
            "INSERT INTO events (event_id, at, actor, action, client_id, details) \
             SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], \
             $5::text[], $6::text[])",
            &[
                &number(|e| e.event_id),
                &number(|e| e.at),
                &text(|e| Some(&e.actor)),
                &text(|e| Some(&e.action)),
                &text(|e| e.client_id.as_deref()),
                &text(|e| Some(&e.details)),
            ],
        )?;
        Ok(())
    }

    /// Move each identity sequence past the largest value in its column, which copied rows
    /// set explicitly. (`setval` is not undone by a rollback; a failed copy only leaves a
    /// gap in the numbering of an empty registry.)
    pub(crate) fn advance_sequences(&self) -> Result<(), StoreError> {
        self.query_one(
            "SELECT \
             setval(pg_get_serial_sequence('clients', 'seq'), \
                    greatest(coalesce((SELECT max(seq) FROM clients), 0), 0) + 1, false), \
             setval(pg_get_serial_sequence('initial_access_tokens', 'seq'), \
                    greatest(coalesce((SELECT max(seq) FROM initial_access_tokens), 0), 0) + 1, false), \
             setval(pg_get_serial_sequence('events', 'event_id'), \
                    greatest(coalesce((SELECT max(event_id) FROM events), 0), 0) + 1, false)",
            &[],
        )?;
        Ok(())
    }
}

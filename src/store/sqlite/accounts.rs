//! Initial access tokens and admin accounts: the rows behind `token …`, `admin …` and the
//! server's `Bearer <initial access token>` and admin Basic authentication.
//!
//! Tokens and passwords arrive here already hashed; nothing in this module ever sees a
//! plaintext. Consuming a token is one conditional `UPDATE … RETURNING`, so the check (not
//! revoked, not expired, uses left) and the count are one atomic step: a token with one use
//! left admits exactly one registration however many requests race for it.

use super::{AdminRow, StoreError, TokenRow, Tx};
use rusqlite::{params, OptionalExtension};

/// Whether `result` failed on the table's primary key.
fn primary_key_violation<T>(result: &rusqlite::Result<T>) -> bool {
    matches!(result, Err(rusqlite::Error::SqliteFailure(e, _))
        if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
}

impl Tx<'_> {
    /// Store a new initial access token by its hash; `false` (nothing written) when
    /// `token_id` is taken. A taken id is not an error, so the transaction stays usable for
    /// another id on every backend (PostgreSQL aborts a transaction at its first error).
    ///
    /// # Errors
    /// Storage failures.
    pub(crate) fn insert_initial_access_token(
        &self,
        token_id: &str,
        token_hash: &str,
        note: Option<&str>,
        created_at: i64,
        expires_at: i64,
        max_uses: Option<i64>,
    ) -> Result<bool, StoreError> {
        let inserted = self
            .tx
            .prepare_cached(
                "INSERT INTO initial_access_tokens \
                 (token_id, token_hash, note, created_at, expires_at, max_uses) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (token_id) DO NOTHING",
            )?
            .execute(params![
                token_id, token_hash, note, created_at, expires_at, max_uses
            ])?;
        Ok(inserted == 1)
    }

    /// Every initial access token, oldest first.
    ///
    /// # Errors
    /// Storage failures.
    pub(crate) fn initial_access_tokens(&self) -> Result<Vec<TokenRow>, StoreError> {
        let mut statement = self.tx.prepare_cached(
            "SELECT token_id, note, created_at, expires_at, max_uses, uses, revoked_at \
             FROM initial_access_tokens ORDER BY created_at, rowid",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(TokenRow {
                token_id: row.get(0)?,
                note: row.get(1)?,
                created_at: row.get(2)?,
                expires_at: row.get(3)?,
                max_uses: row.get(4)?,
                uses: row.get(5)?,
                revoked_at: row.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Mark a token revoked at `now`. Returns `false` when no unrevoked token has that id
    /// (unknown, or revoked before: the first revocation time is kept).
    ///
    /// # Errors
    /// Storage failures.
    pub(crate) fn revoke_initial_access_token(
        &self,
        token_id: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let changed = self
            .tx
            .prepare_cached(
                "UPDATE initial_access_tokens SET revoked_at = ?2 \
                 WHERE token_id = ?1 AND revoked_at IS NULL",
            )?
            .execute(params![token_id, now])?;
        Ok(changed > 0)
    }

    /// Whether a token with this id exists, in any state.
    ///
    /// # Errors
    /// Storage failures.
    pub(crate) fn initial_access_token_exists(&self, token_id: &str) -> Result<bool, StoreError> {
        Ok(self
            .tx
            .prepare_cached("SELECT 1 FROM initial_access_tokens WHERE token_id = ?1")?
            .query_row([token_id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Use the token whose hash is `token_hash` once, if it is usable at `now` (not revoked,
    /// not expired, uses left), and return its id; `None` when no usable token has that hash.
    /// One statement: the check and the count cannot be separated by another writer.
    ///
    /// # Errors
    /// Storage failures.
    pub(crate) fn consume_initial_access_token(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .tx
            .prepare_cached(
                "UPDATE initial_access_tokens SET uses = uses + 1 \
                 WHERE token_hash = ?1 AND revoked_at IS NULL \
                 AND (expires_at = 0 OR expires_at > ?2) \
                 AND (max_uses IS NULL OR uses < max_uses) \
                 RETURNING token_id",
            )?
            .query_row(params![token_hash, now], |row| row.get(0))
            .optional()?)
    }

    /// Add an admin account with its password hash.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] (`what: crate::model::Entity::Account`) when the name is taken; storage failures.
    pub(crate) fn insert_admin(
        &self,
        name: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let result = self
            .tx
            .prepare_cached(
                "INSERT INTO admins (name, password_hash, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?3)",
            )?
            .execute(params![name, password_hash, now]);
        if primary_key_violation(&result) {
            return Err(StoreError::Conflict {
                what: crate::model::Entity::Account,
                id: name.to_owned(),
            });
        }
        result?;
        Ok(())
    }

    /// Every admin account by name, without password hashes.
    ///
    /// # Errors
    /// Storage failures.
    pub(crate) fn admins(&self) -> Result<Vec<AdminRow>, StoreError> {
        let mut statement = self
            .tx
            .prepare_cached("SELECT name, created_at, updated_at FROM admins ORDER BY name")?;
        let rows = statement.query_map([], |row| {
            Ok(AdminRow {
                name: row.get(0)?,
                created_at: row.get(1)?,
                updated_at: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Remove an admin account. Returns whether it existed.
    ///
    /// # Errors
    /// Storage failures.
    pub(crate) fn delete_admin(&self, name: &str) -> Result<bool, StoreError> {
        Ok(self
            .tx
            .prepare_cached("DELETE FROM admins WHERE name = ?1")?
            .execute([name])?
            > 0)
    }

    /// Replace an admin's password hash. Returns whether the account exists.
    ///
    /// # Errors
    /// Storage failures.
    pub(crate) fn set_admin_password_hash(
        &self,
        name: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        Ok(self
            .tx
            .prepare_cached(
                "UPDATE admins SET password_hash = ?2, updated_at = ?3 WHERE name = ?1",
            )?
            .execute(params![name, password_hash, now])?
            > 0)
    }

    /// The stored password hash of an admin account, if it exists.
    ///
    /// # Errors
    /// Storage failures.
    pub(crate) fn admin_password_hash(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .tx
            .prepare_cached("SELECT password_hash FROM admins WHERE name = ?1")?
            .query_row([name], |row| row.get(0))
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::Store;

    #[test]
    fn a_taken_token_id_writes_nothing_and_leaves_the_transaction_usable() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("clients.db")).unwrap();
        let tokens = store
            .write(|tx| {
                let insert = |id: &str, hash: &str| {
                    tx.insert_initial_access_token(id, hash, None, 1, 0, None)
                };
                assert!(insert("iat_a", "sha256:a")?);
                assert!(!insert("iat_a", "sha256:b")?, "a taken id is reported");
                assert!(insert("iat_b", "sha256:b")?, "and the transaction goes on");
                tx.initial_access_tokens()
            })
            .unwrap();
        let ids: Vec<&str> = tokens.iter().map(|t| t.token_id.as_str()).collect();
        assert_eq!(ids, ["iat_a", "iat_b"]);
    }
}

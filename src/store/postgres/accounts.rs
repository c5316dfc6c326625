//! Initial access tokens and admin accounts.

use super::{storable, AdminRow, StoreError, TokenRow, Tx};

impl Tx<'_> {
    pub(crate) fn insert_initial_access_token(
        &self,
        token_id: &str,
        token_hash: &str,
        note: Option<&str>,
        created_at: i64,
        expires_at: i64,
        max_uses: Option<i64>,
    ) -> Result<bool, StoreError> {
        let inserted = self.execute(
            "INSERT INTO initial_access_tokens \
             (token_id, token_hash, note, created_at, expires_at, max_uses) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (token_id) DO NOTHING",
            &[
                &token_id,
                &token_hash,
                &note,
                &created_at,
                &expires_at,
                &max_uses,
            ],
        )?;
        Ok(inserted == 1)
    }

    pub(crate) fn initial_access_tokens(&self) -> Result<Vec<TokenRow>, StoreError> {
        self.query(
            "SELECT token_id, note, created_at, expires_at, max_uses, uses, revoked_at \
             FROM initial_access_tokens ORDER BY created_at, seq",
            &[],
        )?
        .iter()
        .map(|row| {
            Ok(TokenRow {
                token_id: row.try_get(0)?,
                note: row.try_get(1)?,
                created_at: row.try_get(2)?,
                expires_at: row.try_get(3)?,
                max_uses: row.try_get(4)?,
                uses: row.try_get(5)?,
                revoked_at: row.try_get(6)?,
            })
        })
        .collect()
    }

    pub(crate) fn revoke_initial_access_token(
        &self,
        token_id: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        if !storable(token_id) {
            return Ok(false);
        }
        Ok(self.execute(
            "UPDATE initial_access_tokens SET revoked_at = $2 \
             WHERE token_id = $1 AND revoked_at IS NULL",
            &[&token_id, &now],
        )? > 0)
    }

    pub(crate) fn initial_access_token_exists(&self, token_id: &str) -> Result<bool, StoreError> {
        if !storable(token_id) {
            return Ok(false);
        }
        Ok(self
            .query_opt(
                "SELECT 1 FROM initial_access_tokens WHERE token_id = $1",
                &[&token_id],
            )?
            .is_some())
    }

    /// One UPDATE that re-checks the token's row after waiting for any concurrent use of it
    /// (READ COMMITTED re-evaluates the WHERE on the newest row), so N uses register exactly
    /// N clients across every node.
    pub(crate) fn consume_initial_access_token(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        self.query_opt(
            "UPDATE initial_access_tokens SET uses = uses + 1 \
             WHERE token_hash = $1 AND revoked_at IS NULL \
             AND (expires_at = 0 OR expires_at > $2) \
             AND (max_uses IS NULL OR uses < max_uses) \
             RETURNING token_id",
            &[&token_hash, &now],
        )?
        .map(|row| Ok(row.try_get(0)?))
        .transpose()
    }

    pub(crate) fn insert_admin(
        &self,
        name: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let inserted = self.execute(
            "INSERT INTO admins (name, password_hash, created_at, updated_at) \
             VALUES ($1, $2, $3, $3) ON CONFLICT (name) DO NOTHING",
            &[&name, &password_hash, &now],
        )?;
        if inserted == 0 {
            return Err(StoreError::Conflict {
                what: crate::model::Entity::Account,
                id: name.to_owned(),
            });
        }
        Ok(())
    }

    pub(crate) fn admins(&self) -> Result<Vec<AdminRow>, StoreError> {
        // Byte order, as SQLite sorts text, whatever the database's collation.
        self.query(
            "SELECT name, created_at, updated_at FROM admins ORDER BY name COLLATE \"C\"",
            &[],
        )?
        .iter()
        .map(|row| {
            Ok(AdminRow {
                name: row.try_get(0)?,
                created_at: row.try_get(1)?,
                updated_at: row.try_get(2)?,
            })
        })
        .collect()
    }

    pub(crate) fn delete_admin(&self, name: &str) -> Result<bool, StoreError> {
        if !storable(name) {
            return Ok(false);
        }
        Ok(self.execute("DELETE FROM admins WHERE name = $1", &[&name])? > 0)
    }

    pub(crate) fn set_admin_password_hash(
        &self,
        name: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        if !storable(name) {
            return Ok(false);
        }
        Ok(self.execute(
            "UPDATE admins SET password_hash = $2, updated_at = $3 WHERE name = $1",
            &[&name, &password_hash, &now],
        )? > 0)
    }

    pub(crate) fn admin_password_hash(&self, name: &str) -> Result<Option<String>, StoreError> {
        if !storable(name) {
            return Ok(None);
        }
        self.query_opt("SELECT password_hash FROM admins WHERE name = $1", &[&name])?
            .map(|row| Ok(row.try_get(0)?))
            .transpose()
    }
}

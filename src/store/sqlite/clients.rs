//! Clients, their secrets and registration access tokens.

use super::{ListFilter, NewClient, StoreError, Tx};
use crate::model::{Client, ClientSummary, RegisteredVia};
use crate::registration::{AuthMethod, MetadataDoc};
use crate::store::types::{client_name, metadata_json};
use crate::store::{Admit, ListOrder, SortKey, Window};
use rusqlite::{params, OptionalExtension, Row};

/// Columns of [`Client`], in the order `client_from_row` reads them.
/// `has_secret` is `client_secret_expires_at IS NOT NULL`: the two change together (see
/// [`Tx::replace_secret`], [`Tx::insert_secret`] and [`Tx::remove_secrets`]), and reading the
/// column avoids a lookup into `client_secrets` per row, which dominated listing a million.
const CLIENT_COLUMNS: &str = "c.client_id, c.metadata, c.client_id_issued_at, \
     c.client_secret_expires_at, c.registered_via, c.updated_at, c.last_used_at, c.revision, \
     c.client_secret_expires_at IS NOT NULL, c.token_endpoint_auth_method";

/// Columns of [`ClientSummary`], in the order `for_each_client` reads them.
const SUMMARY_COLUMNS: &str = "c.client_id, c.client_name, c.token_endpoint_auth_method, c.metadata, \
     c.client_id_issued_at, c.client_secret_expires_at, c.registered_via, c.updated_at, c.last_used_at";

/// The rows of [`ListFilter`]; parameters as [`filter_params`] binds them. A name glob is
/// only narrowed to its literal prefix here: [`Window`] matches it.
const LISTED: &str = "(?1 IS NULL OR substr(c.client_name, 1, length(?1)) = ?1) AND \
     (?2 IS NULL OR EXISTS (SELECT 1 FROM json_each(c.metadata, '$.grant_types') g WHERE g.value = ?2)) AND \
     (?3 IS NULL OR (c.client_secret_expires_at > 0 AND c.client_secret_expires_at <= ?3)) AND \
     (?4 IS NULL OR c.client_id_issued_at < ?4) AND \
     (?5 IS NULL OR c.client_id_issued_at >= ?5)";

/// The sort key of a row `{t}` for `key`, column by column: unique as a whole (registration
/// order breaks ties), NULLs mapped to values that sort as [`SortKey`] says.
fn sort_columns(key: SortKey) -> &'static [&'static str] {
    match key {
        SortKey::Created => &["{t}.client_id_issued_at", "{t}.rowid"],
        SortKey::Id => &["{t}.client_id"],
        SortKey::Name => &[
            "{t}.client_name IS NULL",
            "coalesce({t}.client_name, '')",
            "{t}.client_id_issued_at",
            "{t}.rowid",
        ],
        SortKey::LastUsed => &[
            "coalesce({t}.last_used_at, -9223372036854775807)",
            "{t}.client_id_issued_at",
            "{t}.rowid",
        ],
    }
}

/// `WHERE` and `ORDER BY` of a listing of `clients c` in `order`, with `LIMIT ?6 OFFSET ?7`;
/// with a `cursor`, only the rows after the client `?8` (else `?8` is NULL). Two statements
/// rather than `?8 IS NULL OR …`, which would keep the planner from seeking to the cursor.
fn listing_sql(order: ListOrder, cursor: bool) -> String {
    let columns = sort_columns(order.key);
    let key = |table: &str| {
        columns
            .iter()
            .map(|column| column.replace("{t}", table))
            .collect::<Vec<_>>()
    };
    let (compare, direction) = if order.descending {
        ("<", " DESC")
    } else {
        (">", "")
    };
    let order_by = key("c")
        .iter()
        .map(|column| format!("{column}{direction}"))
        .collect::<Vec<_>>()
        .join(", ");
    let after = if cursor {
        format!(
            "({}) {compare} (SELECT {} FROM clients a WHERE a.client_id = ?8)",
            key("c").join(", "),
            key("a").join(", "),
        )
    } else {
        "?8 IS NULL".to_owned()
    };
    format!("{LISTED} AND {after} ORDER BY {order_by} LIMIT ?6 OFFSET ?7")
}

type FilterParams<'f> = (
    Option<String>,
    Option<&'f str>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    i64,
    i64,
    Option<&'f str>,
);

fn filter_params<'f>(filter: &'f ListFilter, window: &Window<'_>) -> FilterParams<'f> {
    let limit = Window::sql_limit(filter).map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
    let offset = i64::try_from(Window::sql_offset(filter)).unwrap_or(i64::MAX);
    (
        // SQLite's length() stops at a NUL: such a prefix narrows nothing.
        window.prefix().filter(|prefix| !prefix.contains('\0')),
        filter.grant_type.as_deref(),
        filter.secret_expired_before,
        filter.created_before,
        filter.created_after,
        limit,
        offset,
        filter.after.as_deref(),
    )
}

/// A client's id as text whatever another program stored in the column.
const SHOWN_ID: &str =
    "CASE WHEN typeof(c.client_id) = 'text' THEN c.client_id ELSE quote(c.client_id) END";

/// What is wrong with a `clients` row `c` that the registry cannot read back as it writes
/// rows, or NULL when nothing is: SQL, so checking a million rows costs no Rust-side decoding.
/// Every condition here is one `summary_from_row` or the JSON writers would fail on. The
/// schema's CHECK constraints keep dcrctl from writing such rows, but the schema is a public
/// interface: another program can write valid JSON that is not an object, and one that
/// turned the checks off (`PRAGMA ignore_check_constraints`) anything at all. A CASE tests
/// its conditions in order, so `json_type` only ever sees valid JSON.
const DAMAGE: &str = "CASE \
     WHEN typeof(c.client_id) <> 'text' THEN 'client_id is not text' \
     WHEN typeof(c.metadata) <> 'text' OR NOT json_valid(c.metadata) THEN 'metadata is not JSON text' \
     WHEN json_type(c.metadata) <> 'object' THEN 'metadata is not a JSON object' \
     WHEN typeof(c.client_name) NOT IN ('text', 'null') \
       OR typeof(c.token_endpoint_auth_method) <> 'text' THEN 'a text column holds another type' \
     WHEN c.registered_via IS NULL OR c.registered_via NOT IN ('cli', 'apply', 'http') \
       THEN 'unknown registered_via' \
     WHEN typeof(c.client_id_issued_at) <> 'integer' OR typeof(c.updated_at) <> 'integer' \
       OR typeof(c.client_secret_expires_at) NOT IN ('integer', 'null') \
       OR typeof(c.last_used_at) NOT IN ('integer', 'null') THEN 'a time is not an integer' \
     END";

fn summary_from_row<'r>(row: &'r Row<'_>) -> Result<ClientSummary<'r>, StoreError> {
    let text = |index: usize| -> Result<&'r str, StoreError> { Ok(row.get_ref(index)?.as_str()?) };
    let client_id = text(0)?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("client {client_id}: {what}"));
    Ok(ClientSummary {
        client_id,
        client_name: row.get_ref(1)?.as_str_or_null()?,
        token_endpoint_auth_method: AuthMethod::parse(text(2)?)
            .ok_or_else(|| corrupt("unknown token_endpoint_auth_method"))?,
        metadata_json: text(3)?,
        client_id_issued_at: row.get(4)?,
        client_secret_expires_at: row.get(5)?,
        registered_via: RegisteredVia::parse(text(6)?)
            .ok_or_else(|| corrupt("unknown registered_via"))?,
        updated_at: row.get(7)?,
        last_used_at: row.get(8)?,
    })
}

fn client_from_row(row: &Row<'_>) -> rusqlite::Result<Result<Client, StoreError>> {
    let client_id: String = row.get(0)?;
    let metadata: String = row.get(1)?;
    let via: String = row.get(4)?;
    let auth_method: String = row.get(9)?;
    let client = || -> Result<Client, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("client {client_id}: {what}"));
        Ok(Client {
            metadata: serde_json::from_str(&metadata)
                .map_err(|_| corrupt("metadata is not a JSON object"))?,
            registered_via: RegisteredVia::parse(&via)
                .ok_or_else(|| corrupt("unknown registered_via"))?,
            client_id_issued_at: row.get(2)?,
            client_secret_expires_at: row.get(3)?,
            updated_at: row.get(5)?,
            last_used_at: row.get(6)?,
            revision: row.get(7)?,
            previous_secret_valid_until: None,
            has_secret: row.get(8)?,
            auth_method: AuthMethod::parse(&auth_method)
                .ok_or_else(|| corrupt("unknown token_endpoint_auth_method"))?,
            client_id: client_id.clone(),
        })
    };
    Ok(client())
}

impl Tx<'_> {
    pub(crate) fn insert_client(&self, new: &NewClient<'_>) -> Result<(), StoreError> {
        let result = self.tx.prepare_cached(
            "INSERT INTO clients (client_id, client_name, metadata, token_endpoint_auth_method, \
             client_id_issued_at, client_secret_expires_at, registration_token_hash, registered_via, \
             updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?5)",
        )?
        .execute(params![
            new.client_id,
            client_name(new.metadata),
            metadata_json(new.metadata)?,
            new.auth_method.as_str(),
            new.issued_at,
            new.secret_expires_at,
            new.registration_token_hash,
            new.registered_via.as_str(),
        ]);
        match result {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
            {
                Err(StoreError::Conflict {
                    what: crate::model::Entity::Client,
                    id: new.client_id.to_owned(),
                })
            }
            other => other.map(|_| ()).map_err(StoreError::from),
        }
    }

    pub(crate) fn client(&self, client_id: &str) -> Result<Option<Client>, StoreError> {
        self.tx
            .prepare_cached(&format!(
                "SELECT {CLIENT_COLUMNS} FROM clients c WHERE c.client_id = ?1"
            ))?
            .query_row([client_id], client_from_row)
            .optional()?
            .transpose()
    }

    /// The client, locked against other writers until this transaction ends: what a write
    /// that decides on what it read (a credential, a revision, a secret) loads. SQLite's
    /// write transactions already exclude every other writer, so this is [`Tx::client`];
    /// a backend with row locks takes the row's.
    pub(crate) fn client_for_update(&self, client_id: &str) -> Result<Option<Client>, StoreError> {
        self.client(client_id)
    }

    /// Serialize this transaction with every other that takes this lock, until it ends: for
    /// a decision about the registry as a whole (how many clients it holds, whether an id is
    /// still free) that a write then acts on. SQLite's write transactions already hold the
    /// database's only write lock, so this takes nothing more; a backend with concurrent
    /// writers takes a registry-wide lock.
    pub(crate) fn lock_registry(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// Whether a client exists, without reading its row (which may be damaged).
    pub(crate) fn client_exists(&self, client_id: &str) -> Result<bool, StoreError> {
        Ok(self
            .tx
            .prepare_cached("SELECT 1 FROM clients WHERE client_id = ?1")?
            .query_row([client_id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    pub(crate) fn clients_named(&self, name: &str) -> Result<Vec<Client>, StoreError> {
        let mut statement = self.tx.prepare_cached(&format!(
            "SELECT {CLIENT_COLUMNS} FROM clients c WHERE c.client_name = ?1 ORDER BY c.client_id_issued_at, c.rowid"
        ))?;
        let rows = statement.query_map([name], client_from_row)?;
        let mut clients = Vec::new();
        for row in rows {
            clients.push(row??);
        }
        Ok(clients)
    }

    /// Visit every client matching `filter` in its order. Each row is lent to `visit`
    /// straight from SQLite's buffers, so a listing of any size runs in constant memory and
    /// without copying or parsing the stored metadata.
    pub(crate) fn for_each_client<E: From<StoreError>>(
        &self,
        filter: &ListFilter,
        mut visit: impl FnMut(&ClientSummary<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM clients c WHERE {}",
            listing_sql(filter.order, filter.after.is_some())
        );
        let mut window = Window::new(filter);
        let mut statement = self.tx.prepare(&sql).map_err(StoreError::from)?;
        let mut rows = statement
            .query(filter_params(filter, &window))
            .map_err(StoreError::from)?;
        while let Some(row) = rows.next().map_err(StoreError::from)? {
            let name = row.get_ref(1).ok().and_then(|name| name.as_str().ok());
            match window.admit(name) {
                Admit::Visit => visit(&summary_from_row(row)?)?,
                Admit::Skip => {}
                Admit::Stop => break,
            }
        }
        Ok(())
    }

    /// The first client [`Tx::for_each_client`] would visit with `filter` whose row is
    /// damaged (see [`DAMAGE`]), with what is wrong with it. A listing that must be one
    /// complete document calls this first, in the same snapshot, so that it refuses before
    /// writing anything rather than stop halfway.
    pub(crate) fn first_damaged_client(
        &self,
        filter: &ListFilter,
    ) -> Result<Option<(String, String)>, StoreError> {
        let sql = format!(
            "SELECT {SHOWN_ID}, {DAMAGE}, \
             CASE WHEN typeof(c.client_name) = 'text' THEN c.client_name END \
             FROM clients c WHERE {}",
            listing_sql(filter.order, filter.after.is_some())
        );
        let mut window = Window::new(filter);
        let mut statement = self.tx.prepare(&sql)?;
        let mut rows = statement.query(filter_params(filter, &window))?;
        while let Some(row) = rows.next()? {
            let name: Option<String> = row.get(2)?;
            match window.admit(name.as_deref()) {
                Admit::Visit => {
                    if let Some(damage) = row.get::<_, Option<String>>(1)? {
                        return Ok(Some((row.get(0)?, damage)));
                    }
                }
                Admit::Skip => {}
                Admit::Stop => break,
            }
        }
        Ok(None)
    }

    /// Every damaged client row (see [`DAMAGE`]), described, in registration order; for
    /// `db check`.
    pub(crate) fn damaged_clients(&self) -> Result<Vec<String>, StoreError> {
        let sql = format!(
            "SELECT id, damage FROM (SELECT {SHOWN_ID} AS id, {DAMAGE} AS damage, \
             c.client_id_issued_at AS issued, c.rowid AS r FROM clients c) \
             WHERE damage IS NOT NULL ORDER BY issued, r"
        );
        let mut statement = self.tx.prepare(&sql)?;
        let rows = statement.query_map([], |row| {
            let id: String = row.get(0)?;
            let damage: String = row.get(1)?;
            Ok(format!("clients row {id}: {damage}"))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Store new metadata and bump the revision.
    pub(crate) fn update_metadata(
        &self,
        client_id: &str,
        metadata: &MetadataDoc,
        auth_method: AuthMethod,
        now: i64,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "UPDATE clients SET client_name = ?2, metadata = ?3, token_endpoint_auth_method = ?4, \
                 updated_at = ?5, revision = revision + 1 WHERE client_id = ?1",
            )?
            .execute(params![client_id, client_name(metadata), metadata_json(metadata)?, auth_method.as_str(), now])?;
        Ok(())
    }

    pub(crate) fn delete_client(&self, client_id: &str) -> Result<bool, StoreError> {
        let deleted = self
            .tx
            .prepare_cached("DELETE FROM clients WHERE client_id = ?1")?
            .execute([client_id])?;
        Ok(deleted > 0)
    }

    pub(crate) fn set_registration_token(
        &self,
        client_id: &str,
        hash: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "UPDATE clients SET registration_token_hash = ?2, updated_at = ?3, revision = revision + 1 \
                 WHERE client_id = ?1",
            )?
            .execute(params![client_id, hash, now])?;
        Ok(())
    }

    pub(crate) fn registration_token_hash(
        &self,
        client_id: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .tx
            .prepare_cached("SELECT registration_token_hash FROM clients WHERE client_id = ?1")?
            .query_row([client_id], |row| row.get(0))
            .optional()?
            .flatten())
    }

    /// Make `hash` the current secret. Earlier secrets stay valid until `previous_valid_until`
    /// (never beyond their own expiry); `None` revokes them now.
    pub(crate) fn replace_secret(
        &self,
        client_id: &str,
        hash: &str,
        expires_at: i64,
        previous_valid_until: Option<i64>,
        now: i64,
    ) -> Result<(), StoreError> {
        match previous_valid_until {
            Some(until) => {
                self.tx
                    .prepare_cached(
                        "UPDATE client_secrets SET superseded_at = coalesce(superseded_at, ?2), \
                         expires_at = CASE WHEN expires_at = 0 OR expires_at > ?3 THEN ?3 ELSE expires_at END \
                         WHERE client_id = ?1",
                    )?
                    .execute(params![client_id, now, until])?;
                self.tx
                    .prepare_cached(
                        "DELETE FROM client_secrets WHERE client_id = ?1 AND expires_at <= ?2 AND expires_at <> 0",
                    )?
                    .execute(params![client_id, now])?;
            }
            None => self.delete_secret_rows(client_id)?,
        }
        self.insert_secret(client_id, hash, expires_at, now)?;
        self.tx
            .prepare_cached(
                "UPDATE clients SET client_secret_expires_at = ?2, updated_at = ?3, revision = revision + 1 \
                 WHERE client_id = ?1",
            )?
            .execute(params![client_id, expires_at, now])?;
        Ok(())
    }

    /// Add the first secret of a client just inserted with its `client_secret_expires_at`.
    pub(crate) fn insert_secret(
        &self,
        client_id: &str,
        hash: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO client_secrets (client_id, secret_hash, expires_at, created_at) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![client_id, hash, expires_at, now])?;
        Ok(())
    }

    /// Delete every secret of a client, which then has none (`client_secret_expires_at` NULL).
    pub(crate) fn remove_secrets(&self, client_id: &str, now: i64) -> Result<(), StoreError> {
        self.delete_secret_rows(client_id)?;
        self.tx
            .prepare_cached(
                "UPDATE clients SET client_secret_expires_at = NULL, updated_at = ?2, revision = revision + 1 \
                 WHERE client_id = ?1",
            )?
            .execute(params![client_id, now])?;
        Ok(())
    }

    fn delete_secret_rows(&self, client_id: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("DELETE FROM client_secrets WHERE client_id = ?1")?
            .execute([client_id])?;
        Ok(())
    }

    /// Hashes of every secret that is valid at `now`: the current one unless expired, and
    /// previous ones inside their grace period.
    pub(crate) fn valid_secret_hashes(
        &self,
        client_id: &str,
        now: i64,
    ) -> Result<Vec<String>, StoreError> {
        let mut statement = self.tx.prepare_cached(
            "SELECT secret_hash FROM client_secrets WHERE client_id = ?1 AND (expires_at = 0 OR expires_at > ?2) \
             ORDER BY superseded_at IS NOT NULL, created_at DESC",
        )?;
        let hashes = statement
            .query_map(params![client_id, now], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(hashes)
    }

    pub(crate) fn previous_secrets_valid_until(
        &self,
        client_id: &str,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT max(expires_at) FROM client_secrets \
                 WHERE client_id = ?1 AND superseded_at IS NOT NULL AND expires_at > ?2",
            )?
            .query_row(params![client_id, now], |row| row.get(0))?)
    }

    pub(crate) fn end_secret_grace(&self, client_id: &str, now: i64) -> Result<u64, StoreError> {
        let ended = self
            .tx
            .prepare_cached(
                "DELETE FROM client_secrets \
                 WHERE client_id = ?1 AND superseded_at IS NOT NULL AND expires_at > ?2",
            )?
            .execute(params![client_id, now])?;
        if ended > 0 {
            self.tx
                .prepare_cached(
                    "UPDATE clients SET updated_at = ?2, revision = revision + 1 WHERE client_id = ?1",
                )?
                .execute(params![client_id, now])?;
        }
        Ok(u64::try_from(ended).unwrap_or(u64::MAX))
    }

    pub(crate) fn current_secret_lifetime(
        &self,
        client_id: &str,
    ) -> Result<Option<i64>, StoreError> {
        let lifetime = self
            .tx
            .prepare_cached(
                "SELECT expires_at - created_at FROM client_secrets \
                 WHERE client_id = ?1 AND superseded_at IS NULL AND expires_at <> 0 \
                 ORDER BY created_at DESC LIMIT 1",
            )?
            .query_row([client_id], |row| row.get(0))
            .optional()?;
        Ok(lifetime)
    }

    pub(crate) fn touch_last_used(&self, client_id: &str, now: i64) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("UPDATE clients SET last_used_at = ?2 WHERE client_id = ?1")?
            .execute(params![client_id, now])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Entity;
    use crate::store::Store;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("clients.db")).unwrap();
        (dir, store)
    }

    fn insert(
        tx: &crate::store::Tx<'_>,
        client_id: &str,
        secret: Option<i64>,
    ) -> Result<(), StoreError> {
        let mut metadata = MetadataDoc::new();
        metadata.insert("client_name".into(), "stored".into());
        tx.insert_client(&NewClient {
            client_id,
            metadata: &metadata,
            auth_method: AuthMethod::ClientSecretPost,
            issued_at: 100,
            secret_expires_at: secret,
            registration_token_hash: "sha256:rat",
            registered_via: RegisteredVia::Http,
        })?;
        if let Some(expires_at) = secret {
            tx.insert_secret(client_id, "sha256:first", expires_at, 100)?;
        }
        Ok(())
    }

    #[test]
    fn a_client_reads_back_as_written_and_a_second_insert_of_its_id_conflicts() {
        let (_dir, mut store) = store();
        let client = store
            .write(|tx| {
                insert(tx, "a", Some(0))?;
                tx.client("a")
            })
            .unwrap()
            .unwrap();
        assert_eq!(client.auth_method, AuthMethod::ClientSecretPost);
        assert_eq!(client.client_name(), Some("stored"));
        assert_eq!(client.registered_via, RegisteredVia::Http);
        assert_eq!((client.client_id_issued_at, client.revision), (100, 1));
        assert!(client.has_secret);
        let again = store.write(|tx| insert(tx, "a", None));
        assert!(
            matches!(&again, Err(StoreError::Conflict { what: Entity::Client, id }) if id == "a"),
            "{again:?}"
        );
        assert_eq!(
            again.unwrap_err().class(),
            crate::store::ErrorClass::UniqueViolation
        );
    }

    #[test]
    fn a_rotation_keeps_the_old_secret_for_its_grace_and_revokes_it_without_one() {
        let (_dir, mut store) = store();
        store.write(|tx| insert(tx, "a", Some(0))).unwrap();
        let valid =
            |store: &mut Store, now| store.read(|tx| tx.valid_secret_hashes("a", now)).unwrap();
        store
            .write(|tx| tx.replace_secret("a", "sha256:second", 0, Some(200), 150))
            .unwrap();
        assert_eq!(valid(&mut store, 150), ["sha256:second", "sha256:first"]);
        assert_eq!(valid(&mut store, 200), ["sha256:second"]);
        store
            .write(|tx| tx.replace_secret("a", "sha256:third", 500, None, 160))
            .unwrap();
        assert_eq!(valid(&mut store, 160), ["sha256:third"]);
        assert!(valid(&mut store, 500).is_empty(), "expired at 500");
        let revision = store.read(|tx| tx.client("a")).unwrap().unwrap().revision;
        assert_eq!(revision, 3);
    }

    #[test]
    fn deleting_a_client_takes_its_secrets_and_token_with_it() {
        let (_dir, mut store) = store();
        store.write(|tx| insert(tx, "a", Some(0))).unwrap();
        assert!(store.write(|tx| tx.delete_client("a")).unwrap());
        assert!(!store.write(|tx| tx.delete_client("a")).unwrap());
        store
            .read(|tx| {
                assert!(tx.client("a")?.is_none());
                assert!(tx.registration_token_hash("a")?.is_none());
                assert!(tx.valid_secret_hashes("a", 0)?.is_empty());
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }
}

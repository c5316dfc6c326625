//! Clients, their secrets and registration access tokens.

use super::{bigint, storable, ListFilter, NewClient, StoreError, Tx};
use crate::model::{Client, ClientSummary, RegisteredVia};
use crate::registration::{AuthMethod, MetadataDoc};
use crate::store::types::{client_name, metadata_json};
use crate::store::{Admit, ListOrder, SortKey, Window};
use postgres::Row;

/// Columns of [`Client`], in the order `client_from_row` reads them.
const CLIENT_COLUMNS: &str = "c.client_id, c.metadata, c.client_id_issued_at, \
     c.client_secret_expires_at, c.registered_via, c.updated_at, c.last_used_at, c.revision, \
     c.client_secret_expires_at IS NOT NULL, c.token_endpoint_auth_method";

/// Columns of [`ClientSummary`], in the order `summary_from_row` reads them.
const SUMMARY_COLUMNS: &str = "c.client_id, c.client_name, c.token_endpoint_auth_method, c.metadata, \
     c.client_id_issued_at, c.client_secret_expires_at, c.registered_via, c.updated_at, c.last_used_at";

/// The rows of [`ListFilter`]; parameters as [`Filter`] binds them. A name glob is only
/// narrowed to its literal prefix here: [`Window`] matches it. `grant_types`
/// is matched as SQLite's `json_each` reads it: the elements of an array, the members of an
/// object, or a single value itself (metadata that skipped validation can hold any of them).
/// The stored text is read as `json`, never `jsonb`: `jsonb` refuses `\u0000`, which
/// SQLite keeps and clients may send.
const LISTED: &str = "($1::text IS NULL OR starts_with(c.client_name, $1)) AND \
     ($2::text IS NULL OR CASE json_typeof(c.metadata::json -> 'grant_types') \
        WHEN 'array' THEN EXISTS (SELECT 1 FROM json_array_elements(c.metadata::json -> 'grant_types') g \
                                  WHERE json_typeof(g) = 'string' AND g #>> '{}' = $2) \
        WHEN 'object' THEN EXISTS (SELECT 1 FROM json_each(c.metadata::json -> 'grant_types') g \
                                   WHERE json_typeof(g.value) = 'string' AND g.value #>> '{}' = $2) \
        WHEN 'string' THEN c.metadata::json ->> 'grant_types' = $2 \
        ELSE false END) AND \
     ($3::bigint IS NULL OR (c.client_secret_expires_at > 0 AND c.client_secret_expires_at <= $3)) AND \
     ($4::bigint IS NULL OR c.client_id_issued_at < $4) AND \
     ($5::bigint IS NULL OR c.client_id_issued_at >= $5)";

/// The sort key of a row `{t}` for `key`, column by column, as SQLite's: unique as a whole,
/// NULLs mapped to values that sort as [`SortKey`] says, text compared by its UTF-8 bytes
/// (`COLLATE "C"`, SQLite's BINARY) whatever the database's collation.
fn sort_columns(key: SortKey) -> &'static [&'static str] {
    match key {
        SortKey::Created => &["{t}.client_id_issued_at", "{t}.seq"],
        SortKey::Id => &["{t}.client_id COLLATE \"C\""],
        SortKey::Name => &[
            "{t}.client_name IS NULL",
            "coalesce({t}.client_name, '') COLLATE \"C\"",
            "{t}.client_id_issued_at",
            "{t}.seq",
        ],
        SortKey::LastUsed => &[
            "coalesce({t}.last_used_at, -9223372036854775807)",
            "{t}.client_id_issued_at",
            "{t}.seq",
        ],
    }
}

/// `WHERE` and `ORDER BY` of a listing of `clients c` in `order`, with `LIMIT $6 OFFSET $7`;
/// with a `cursor`, only the rows after the client `$8` (else `$8` is NULL). Two statements
/// rather than `$8 IS NULL OR …`: a generic plan of that could not seek the index to the
/// cursor, and every page would scan the table again.
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
            "({}) {compare} (SELECT {} FROM clients a WHERE a.client_id = $8::text)",
            key("c").join(", "),
            key("a").join(", "),
        )
    } else {
        "$8::text IS NULL".to_owned()
    };
    format!("{LISTED} AND {after} ORDER BY {order_by} LIMIT $6 OFFSET $7")
}

/// Listing order: registration time, then insertion order (as SQLite's rowid gives it).
const ORDER: &str = "ORDER BY c.client_id_issued_at, c.seq";

/// What is wrong with a `clients` row `c` that the registry cannot read back as it writes
/// rows, or NULL when nothing is. PostgreSQL enforces the column types and the JSON check;
/// what another program can still write is valid JSON that is not an object, or an unknown
/// `registered_via` once the check constraint is dropped.
const DAMAGE: &str = "CASE \
     WHEN json_typeof(c.metadata::json) <> 'object' THEN 'metadata is not a JSON object' \
     WHEN c.registered_via IS NULL OR c.registered_via NOT IN ('cli', 'apply', 'http') \
       THEN 'unknown registered_via' \
     END";

/// How many rows a listing fetches at a time; the snapshot keeps pages consistent.
const PAGE: i64 = 1000;

/// A [`ListFilter`] in the shapes its SQL binds.
struct Filter {
    name_prefix: Option<String>,
    grant_type: Option<String>,
    secret_expired_before: Option<i64>,
    created_before: Option<i64>,
    created_after: Option<i64>,
}

impl Filter {
    /// `None` when a text criterion holds NUL: no stored row can match it.
    fn new(filter: &ListFilter, window: &Window<'_>) -> Option<Filter> {
        let name_prefix = window.prefix();
        let texts = [name_prefix.as_deref(), filter.grant_type.as_deref()];
        if !texts.into_iter().flatten().all(storable) {
            return None;
        }
        Some(Filter {
            name_prefix,
            grant_type: filter.grant_type.clone(),
            secret_expired_before: filter.secret_expired_before,
            created_before: filter.created_before,
            created_after: filter.created_after,
        })
    }
}

fn summary_from_row(row: &Row) -> Result<ClientSummary<'_>, StoreError> {
    let client_id: &str = row.try_get(0)?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("client {client_id}: {what}"));
    Ok(ClientSummary {
        client_id,
        client_name: row.try_get(1)?,
        token_endpoint_auth_method: AuthMethod::parse(row.try_get(2)?)
            .ok_or_else(|| corrupt("unknown token_endpoint_auth_method"))?,
        metadata_json: row.try_get(3)?,
        client_id_issued_at: row.try_get(4)?,
        client_secret_expires_at: row.try_get(5)?,
        registered_via: RegisteredVia::parse(row.try_get(6)?)
            .ok_or_else(|| corrupt("unknown registered_via"))?,
        updated_at: row.try_get(7)?,
        last_used_at: row.try_get(8)?,
    })
}

fn client_from_row(row: &Row) -> Result<Client, StoreError> {
    let client_id: String = row.try_get(0)?;
    let metadata: &str = row.try_get(1)?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("client {client_id}: {what}"));
    Ok(Client {
        metadata: serde_json::from_str(metadata)
            .map_err(|_| corrupt("metadata is not a JSON object"))?,
        registered_via: RegisteredVia::parse(row.try_get(4)?)
            .ok_or_else(|| corrupt("unknown registered_via"))?,
        client_id_issued_at: row.try_get(2)?,
        client_secret_expires_at: row.try_get(3)?,
        updated_at: row.try_get(5)?,
        last_used_at: row.try_get(6)?,
        revision: row.try_get(7)?,
        previous_secret_valid_until: None,
        has_secret: row.try_get(8)?,
        auth_method: AuthMethod::parse(row.try_get(9)?)
            .ok_or_else(|| corrupt("unknown token_endpoint_auth_method"))?,
        client_id,
    })
}

impl Tx<'_> {
    pub(crate) fn insert_client(&self, new: &NewClient<'_>) -> Result<(), StoreError> {
        let inserted = self.execute(
            "INSERT INTO clients (client_id, client_name, metadata, token_endpoint_auth_method, \
             client_id_issued_at, client_secret_expires_at, registration_token_hash, registered_via, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $5) ON CONFLICT (client_id) DO NOTHING",
            &[
                &new.client_id,
                &client_name(new.metadata),
                &metadata_json(new.metadata)?,
                &new.auth_method.as_str(),
                &new.issued_at,
                &new.secret_expires_at,
                &new.registration_token_hash,
                &new.registered_via.as_str(),
            ],
        )?;
        if inserted == 0 {
            return Err(StoreError::Conflict {
                what: crate::model::Entity::Client,
                id: new.client_id.to_owned(),
            });
        }
        Ok(())
    }

    pub(crate) fn client(&self, client_id: &str) -> Result<Option<Client>, StoreError> {
        if !storable(client_id) {
            return Ok(None);
        }
        self.query_opt(
            &format!("SELECT {CLIENT_COLUMNS} FROM clients c WHERE c.client_id = $1"),
            &[&client_id],
        )?
        .map(|row| client_from_row(&row))
        .transpose()
    }

    pub(crate) fn client_for_update(&self, client_id: &str) -> Result<Option<Client>, StoreError> {
        if !storable(client_id) {
            return Ok(None);
        }
        self.query_opt(
            &format!("SELECT {CLIENT_COLUMNS} FROM clients c WHERE c.client_id = $1 FOR UPDATE"),
            &[&client_id],
        )?
        .map(|row| client_from_row(&row))
        .transpose()
    }

    /// A transaction-scoped advisory lock, one per schema: every transaction that decides on
    /// the registry as a whole takes it, and it ends with the transaction.
    pub(crate) fn lock_registry(&self) -> Result<(), StoreError> {
        self.query(
            "SELECT pg_advisory_xact_lock(hashtext('dcrctl registry ' || current_schema()))",
            &[],
        )?;
        Ok(())
    }

    pub(crate) fn client_exists(&self, client_id: &str) -> Result<bool, StoreError> {
        if !storable(client_id) {
            return Ok(false);
        }
        Ok(self
            .query_opt("SELECT 1 FROM clients WHERE client_id = $1", &[&client_id])?
            .is_some())
    }

    pub(crate) fn clients_named(&self, name: &str) -> Result<Vec<Client>, StoreError> {
        if !storable(name) {
            return Ok(Vec::new());
        }
        self.query(
            &format!("SELECT {CLIENT_COLUMNS} FROM clients c WHERE c.client_name = $1 {ORDER}"),
            &[&name],
        )?
        .iter()
        .map(client_from_row)
        .collect()
    }

    /// Visit every client matching `filter` in its order, a page at a time: each page
    /// resumes after the last row of the one before, in the same snapshot.
    pub(crate) fn for_each_client<E: From<StoreError>>(
        &self,
        filter: &ListFilter,
        mut visit: impl FnMut(&ClientSummary<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        self.for_each_listed(filter, SUMMARY_COLUMNS, |row| {
            visit(&summary_from_row(row)?)?;
            Ok(true)
        })
    }

    /// The rows of `columns` (the first two `c.client_id, c.client_name`) that a listing
    /// with `filter` shows, in its order, to `visit` until it returns `false`.
    fn for_each_listed<E: From<StoreError>>(
        &self,
        filter: &ListFilter,
        columns: &str,
        mut visit: impl FnMut(&Row) -> Result<bool, E>,
    ) -> Result<(), E> {
        let sql = |cursor| {
            format!(
                "SELECT {columns} FROM clients c WHERE {}",
                listing_sql(filter.order, cursor)
            )
        };
        let next = sql(true);
        let mut page_sql = sql(filter.after.is_some());
        let mut window = Window::new(filter);
        let Some(bound) = Filter::new(filter, &window) else {
            return Ok(());
        };
        if filter.after.as_deref().is_some_and(|id| !storable(id)) {
            return Ok(());
        }
        let mut left = Window::sql_limit(filter).map_or(i64::MAX, bigint);
        let mut offset = bigint(Window::sql_offset(filter));
        let mut after = filter.after.clone();
        while left > 0 {
            let page = left.min(PAGE);
            let rows = self.query(
                &page_sql,
                &[
                    &bound.name_prefix,
                    &bound.grant_type,
                    &bound.secret_expired_before,
                    &bound.created_before,
                    &bound.created_after,
                    &page,
                    &offset,
                    &after,
                ],
            )?;
            for row in &rows {
                let name: Option<&str> = row.try_get(1).map_err(StoreError::from)?;
                match window.admit(name) {
                    Admit::Visit => {
                        if !visit(row)? {
                            return Ok(());
                        }
                    }
                    Admit::Skip => {}
                    Admit::Stop => return Ok(()),
                }
            }
            let Some(last) = rows.last() else { break };
            after = Some(last.try_get(0).map_err(StoreError::from)?);
            page_sql.clone_from(&next);
            offset = 0;
            left -= bigint(rows.len());
            if bigint(rows.len()) < page {
                break;
            }
        }
        Ok(())
    }

    pub(crate) fn first_damaged_client(
        &self,
        filter: &ListFilter,
    ) -> Result<Option<(String, String)>, StoreError> {
        let mut found = None;
        self.for_each_listed(
            filter,
            &format!("c.client_id, c.client_name, {DAMAGE}"),
            |row| {
                let damage: Option<String> = row.try_get(2)?;
                found = damage.map(|damage| row.try_get(0).map(|id| (id, damage)));
                Ok::<_, StoreError>(found.is_none())
            },
        )?;
        Ok(found.transpose()?)
    }

    pub(crate) fn damaged_clients(&self) -> Result<Vec<String>, StoreError> {
        let sql = format!(
            "SELECT id, damage FROM (SELECT c.client_id AS id, {DAMAGE} AS damage, \
             c.client_id_issued_at AS issued, c.seq AS seq FROM clients c) rows \
             WHERE damage IS NOT NULL ORDER BY issued, seq"
        );
        self.query(&sql, &[])?
            .iter()
            .map(|row| {
                let id: &str = row.try_get(0)?;
                let damage: &str = row.try_get(1)?;
                Ok(format!("clients row {id}: {damage}"))
            })
            .collect()
    }

    pub(crate) fn update_metadata(
        &self,
        client_id: &str,
        metadata: &MetadataDoc,
        auth_method: AuthMethod,
        now: i64,
    ) -> Result<(), StoreError> {
        self.execute(
            "UPDATE clients SET client_name = $2, metadata = $3, token_endpoint_auth_method = $4, \
             updated_at = $5, revision = revision + 1 WHERE client_id = $1",
            &[
                &client_id,
                &client_name(metadata),
                &metadata_json(metadata)?,
                &auth_method.as_str(),
                &now,
            ],
        )?;
        Ok(())
    }

    pub(crate) fn delete_client(&self, client_id: &str) -> Result<bool, StoreError> {
        if !storable(client_id) {
            return Ok(false);
        }
        Ok(self.execute("DELETE FROM clients WHERE client_id = $1", &[&client_id])? > 0)
    }

    pub(crate) fn set_registration_token(
        &self,
        client_id: &str,
        hash: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        self.execute(
            "UPDATE clients SET registration_token_hash = $2, updated_at = $3, revision = revision + 1 \
             WHERE client_id = $1",
            &[&client_id, &hash, &now],
        )?;
        Ok(())
    }

    pub(crate) fn registration_token_hash(
        &self,
        client_id: &str,
    ) -> Result<Option<String>, StoreError> {
        if !storable(client_id) {
            return Ok(None);
        }
        Ok(self
            .query_opt(
                "SELECT registration_token_hash FROM clients WHERE client_id = $1",
                &[&client_id],
            )?
            .map(|row| row.try_get::<_, Option<String>>(0))
            .transpose()?
            .flatten())
    }

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
                self.execute(
                    "UPDATE client_secrets SET superseded_at = coalesce(superseded_at, $2), \
                     expires_at = CASE WHEN expires_at = 0 OR expires_at > $3 THEN $3 ELSE expires_at END \
                     WHERE client_id = $1",
                    &[&client_id, &now, &until],
                )?;
                self.execute(
                    "DELETE FROM client_secrets WHERE client_id = $1 AND expires_at <= $2 AND expires_at <> 0",
                    &[&client_id, &now],
                )?;
            }
            None => {
                self.execute(
                    "DELETE FROM client_secrets WHERE client_id = $1",
                    &[&client_id],
                )?;
            }
        }
        self.insert_secret(client_id, hash, expires_at, now)?;
        self.execute(
            "UPDATE clients SET client_secret_expires_at = $2, updated_at = $3, revision = revision + 1 \
             WHERE client_id = $1",
            &[&client_id, &expires_at, &now],
        )?;
        Ok(())
    }

    pub(crate) fn insert_secret(
        &self,
        client_id: &str,
        hash: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO client_secrets (client_id, secret_hash, expires_at, created_at) VALUES ($1, $2, $3, $4)",
            &[&client_id, &hash, &expires_at, &now],
        )?;
        Ok(())
    }

    pub(crate) fn remove_secrets(&self, client_id: &str, now: i64) -> Result<(), StoreError> {
        self.execute(
            "DELETE FROM client_secrets WHERE client_id = $1",
            &[&client_id],
        )?;
        self.execute(
            "UPDATE clients SET client_secret_expires_at = NULL, updated_at = $2, revision = revision + 1 \
             WHERE client_id = $1",
            &[&client_id, &now],
        )?;
        Ok(())
    }

    pub(crate) fn valid_secret_hashes(
        &self,
        client_id: &str,
        now: i64,
    ) -> Result<Vec<String>, StoreError> {
        self.query(
            "SELECT secret_hash FROM client_secrets WHERE client_id = $1 AND (expires_at = 0 OR expires_at > $2) \
             ORDER BY superseded_at IS NOT NULL, created_at DESC",
            &[&client_id, &now],
        )?
        .iter()
        .map(|row| Ok(row.try_get(0)?))
        .collect()
    }

    pub(crate) fn previous_secrets_valid_until(
        &self,
        client_id: &str,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        let rows = self.query(
            "SELECT max(expires_at) FROM client_secrets \
             WHERE client_id = $1 AND superseded_at IS NOT NULL AND expires_at > $2",
            &[&client_id, &now],
        )?;
        Ok(match rows.first() {
            Some(row) => row.try_get(0)?,
            None => None,
        })
    }

    pub(crate) fn end_secret_grace(&self, client_id: &str, now: i64) -> Result<u64, StoreError> {
        let ended = self.execute(
            "DELETE FROM client_secrets \
             WHERE client_id = $1 AND superseded_at IS NOT NULL AND expires_at > $2",
            &[&client_id, &now],
        )?;
        if ended > 0 {
            self.execute(
                "UPDATE clients SET updated_at = $2, revision = revision + 1 WHERE client_id = $1",
                &[&client_id, &now],
            )?;
        }
        Ok(ended)
    }

    pub(crate) fn current_secret_lifetime(
        &self,
        client_id: &str,
    ) -> Result<Option<i64>, StoreError> {
        Ok(self
            .query_opt(
                "SELECT expires_at - created_at FROM client_secrets \
                 WHERE client_id = $1 AND superseded_at IS NULL AND expires_at <> 0 \
                 ORDER BY created_at DESC LIMIT 1",
                &[&client_id],
            )?
            .map(|row| row.try_get(0))
            .transpose()?)
    }

    pub(crate) fn touch_last_used(&self, client_id: &str, now: i64) -> Result<(), StoreError> {
        self.execute(
            "UPDATE clients SET last_used_at = $2 WHERE client_id = $1",
            &[&client_id, &now],
        )?;
        Ok(())
    }

    pub(crate) fn count_clients(&self) -> Result<u64, StoreError> {
        let count: i64 = self
            .query_one("SELECT count(*) FROM clients", &[])?
            .try_get(0)?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    #[cfg(test)]
    pub(crate) fn stored_metadata(&self, client_id: &str) -> Result<Option<String>, StoreError> {
        if !storable(client_id) {
            return Ok(None);
        }
        self.query_opt(
            "SELECT metadata FROM clients WHERE client_id = $1",
            &[&client_id],
        )?
        .map(|row| Ok(row.try_get(0)?))
        .transpose()
    }
}

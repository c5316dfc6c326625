//! Queries for `prune`, `events`, `db check` and `db backup`.
//!
//! Pruning finds candidates with one forward walk of `clients` by rowid, and deletes them in
//! short write transactions whose DELETE re-checks the criteria, so a concurrent writer never
//! waits long and a client renewed after it was seen is spared.

use super::{
    EventFilter, IntegrityReport, PruneCandidate, PruneCriteria, PrunePosition, PruneReason, Store,
    StoreError, Tx,
};
use crate::model::Event;
use crate::store::audit::{prune_events, PRUNE_ACTION};
use rusqlite::params;
use std::fs::OpenOptions;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// How many events a stored audit row holds; `?3` is [`PRUNE_ACTION`].
const EVENTS_IN_ROW: &str = "CASE WHEN client_id IS NULL AND action = ?3 \
     THEN max(1, (SELECT count(*) FROM json_each(details, '$.clients'))) ELSE 1 END";

const PRUNE_WHERE: &str =
    "((?2 IS NOT NULL AND c.client_secret_expires_at > 0 AND c.client_secret_expires_at <= ?2) \
     OR (?3 IS NOT NULL AND coalesce(c.last_used_at, c.client_id_issued_at) <= ?3 \
         AND (?4 OR c.registered_via = 'http')))";

impl Tx<'_> {
    /// Up to `limit` clients matching `criteria` after `after` in the walk (from the start
    /// with the default position), in walk order.
    pub(crate) fn prune_candidates(
        &self,
        criteria: &PruneCriteria,
        after: PrunePosition,
        limit: usize,
    ) -> Result<Vec<PruneCandidate>, StoreError> {
        // The reason column: a client without a secret (NULL expiry) did not expire, and the
        // column must read as false, not NULL, when it was selected as unused.
        let sql = format!(
            "SELECT c.rowid, c.client_id, \
             (?2 IS NOT NULL AND coalesce(c.client_secret_expires_at, 0) > 0 AND c.client_secret_expires_at <= ?2) \
             FROM clients c WHERE c.rowid > ?1 AND {PRUNE_WHERE} ORDER BY c.rowid LIMIT ?5"
        );
        let mut statement = self.tx.prepare_cached(&sql)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = statement.query_map(
            params![
                after.0,
                criteria.expired_before,
                criteria.unused_since,
                criteria.include_provisioned,
                limit
            ],
            |row| {
                let expired: bool = row.get(2)?;
                Ok(PruneCandidate {
                    position: PrunePosition(row.get(0)?),
                    client_id: row.get(1)?,
                    reason: if expired {
                        PruneReason::Expired
                    } else {
                        PruneReason::Unused
                    },
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Delete those of the clients at `positions` that still match `criteria` (they may have
    /// been renewed or used since they were found), with one audit entry for all of them.
    /// Returns the deleted clients and why each was pruned.
    pub(crate) fn delete_prunable(
        &self,
        positions: &[PrunePosition],
        criteria: &PruneCriteria,
        actor: &str,
        at: i64,
    ) -> Result<Vec<(String, PruneReason)>, StoreError> {
        // One statement for the whole batch: the rows are reached by rowid, in table order.
        let sql = format!(
            "DELETE FROM clients AS c WHERE c.rowid IN (SELECT value FROM json_each(?5)) \
             AND {PRUNE_WHERE} RETURNING client_id, \
             (?2 IS NOT NULL AND coalesce(client_secret_expires_at, 0) > 0 AND client_secret_expires_at <= ?2)"
        );
        let rowids: Vec<i64> = positions.iter().map(|position| position.0).collect();
        let rowids = serde_json::to_string(&rowids)
            .map_err(|e| StoreError::other(format!("rowid list: {e}")))?;
        let mut statement = self.tx.prepare_cached(&sql)?;
        let deleted = statement
            .query_map(
                params![
                    rusqlite::types::Null,
                    criteria.expired_before,
                    criteria.unused_since,
                    criteria.include_provisioned,
                    rowids
                ],
                |row| {
                    let expired: bool = row.get(1)?;
                    Ok((
                        row.get::<_, String>(0)?,
                        if expired {
                            PruneReason::Expired
                        } else {
                            PruneReason::Unused
                        },
                    ))
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if !deleted.is_empty() {
            self.append_prune_event(at, actor, &deleted)?;
        }
        Ok(deleted)
    }

    /// Delete up to `limit` initial access tokens that can never be used again: expired,
    /// used up or revoked. Returns how many.
    pub(crate) fn delete_dead_initial_access_tokens(
        &self,
        now: i64,
        limit: usize,
    ) -> Result<usize, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        Ok(self
            .tx
            .prepare_cached(
                "DELETE FROM initial_access_tokens WHERE token_id IN (SELECT token_id FROM initial_access_tokens \
                 WHERE (expires_at <> 0 AND expires_at <= ?1) OR (max_uses IS NOT NULL AND uses >= max_uses) \
                 OR revoked_at IS NOT NULL LIMIT ?2)",
            )?
            .execute(params![now, limit])?)
    }

    /// How many initial access tokens [`Tx::delete_dead_initial_access_tokens`] would delete.
    pub(crate) fn count_dead_initial_access_tokens(&self, now: i64) -> Result<u64, StoreError> {
        Ok(self.tx.query_row(
            "SELECT count(*) FROM initial_access_tokens WHERE (expires_at <> 0 AND expires_at <= ?1) \
             OR (max_uses IS NOT NULL AND uses >= max_uses) OR revoked_at IS NOT NULL",
            [now],
            |row| row.get(0),
        )?)
    }

    /// Delete up to `limit` stored audit rows older than `before`. Returns how many events
    /// they held (a prune row holds one per client it names), or `None` when there were no
    /// rows left to delete.
    pub(crate) fn delete_events_before(
        &self,
        before: i64,
        limit: usize,
    ) -> Result<Option<u64>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let sql = format!(
            "DELETE FROM events WHERE event_id IN (SELECT event_id FROM events WHERE at < ?1 LIMIT ?2) \
             RETURNING {EVENTS_IN_ROW}"
        );
        let weights = self
            .tx
            .prepare_cached(&sql)?
            .query_map(params![before, limit, PRUNE_ACTION], |row| {
                row.get::<_, i64>(0)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if weights.is_empty() {
            return Ok(None);
        }
        Ok(Some(weights.into_iter().map(|n| n.unsigned_abs()).sum()))
    }

    /// How many audit events are older than `before`.
    pub(crate) fn count_events_before(&self, before: i64) -> Result<u64, StoreError> {
        Ok(self.tx.query_row(
            &format!("SELECT coalesce(sum({EVENTS_IN_ROW}), 0) FROM events WHERE at < ?1"),
            params![before, rusqlite::types::Null, PRUNE_ACTION],
            |row| row.get(0),
        )?)
    }

    /// Visit audit entries matching `filter`, newest first.
    pub(crate) fn for_each_event<E: From<StoreError>>(
        &self,
        filter: &EventFilter,
        mut visit: impl FnMut(Event) -> Result<(), E>,
    ) -> Result<(), E> {
        let limit = filter
            .limit
            .map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
        // A prune row names many clients (see `audit`): it is found by the clients it names and
        // counts as one event per client, so the LIMIT in SQL bounds rows, not events.
        let mut statement = self
            .tx
            .prepare(
                "SELECT at, actor, action, client_id, details FROM events \
                 WHERE (?1 IS NULL OR client_id = ?1 \
                        OR (client_id IS NULL AND action = ?4 \
                            AND EXISTS (SELECT 1 FROM json_each(details, '$.clients') WHERE key = ?1))) \
                 AND (?2 IS NULL OR at >= ?2) AND (?5 IS NULL OR at < ?5) \
                 AND (?6 IS NULL OR action IN (SELECT value FROM json_each(?6))) \
                 ORDER BY event_id DESC LIMIT ?3",
            )
            .map_err(StoreError::from)?;
        let actions = (!filter.actions.is_empty())
            .then(|| serde_json::to_string(&filter.actions))
            .transpose()
            .map_err(|e| StoreError::other(e.to_string()))?;
        let mut rows = statement
            .query(params![
                filter.client_id,
                filter.since,
                limit,
                PRUNE_ACTION,
                filter.until,
                actions
            ])
            .map_err(StoreError::from)?;
        let mut left = filter.limit.unwrap_or(u64::MAX);
        while let Some(row) = rows.next().map_err(StoreError::from)? {
            let details: String = row.get(4).map_err(StoreError::from)?;
            let event = Event {
                at: row.get(0).map_err(StoreError::from)?,
                actor: row.get(1).map_err(StoreError::from)?,
                action: row.get(2).map_err(StoreError::from)?,
                client_id: row.get(3).map_err(StoreError::from)?,
                details: serde_json::from_str(&details).map_err(|_| {
                    StoreError::Corrupt("an audit entry's details are not JSON".into())
                })?,
            };
            for event in prune_events(event, filter.client_id.as_deref()) {
                if left == 0 {
                    return Ok(());
                }
                left -= 1;
                visit(event)?;
            }
        }
        Ok(())
    }
}

impl Store {
    /// Run SQLite's integrity and foreign-key checks, then look for client rows dcrctl
    /// cannot read back (see [`IntegrityReport::damaged_rows`]).
    ///
    /// # Errors
    /// Storage failures that prevent the check itself.
    pub(crate) fn check_integrity(&mut self) -> Result<IntegrityReport, StoreError> {
        let integrity = self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let foreign_key_violations = self
            .conn
            .prepare("PRAGMA foreign_key_check")?
            .query_map([], |row| {
                let table: String = row.get(0)?;
                let rowid: Option<i64> = row.get(1)?;
                let parent: String = row.get(2)?;
                Ok(format!(
                    "{table} row {} refers to a missing {parent} row",
                    rowid.unwrap_or(-1)
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let schema_version = self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))?;
        let damaged_rows = self.read(|tx| tx.damaged_clients())?;
        Ok(IntegrityReport {
            integrity,
            foreign_key_violations,
            damaged_rows,
            schema_version,
        })
    }

    /// Copy the database to `destination` (created 0600, must not exist) with SQLite's online
    /// backup, in one step: the copy is one consistent snapshot, taken without blocking
    /// writers in other processes.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when `destination` exists; I/O and storage failures.
    pub(crate) fn backup_to(&mut self, destination: &Path) -> Result<(), StoreError> {
        let io = |source| StoreError::Io {
            path: destination.to_owned(),
            source,
        };
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(destination)
        {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(StoreError::Conflict {
                    what: crate::model::Entity::File,
                    id: destination.display().to_string(),
                })
            }
            Err(e) => return Err(io(e)),
        }
        let copy = || -> Result<(), StoreError> {
            let mut target = rusqlite::Connection::open(destination)?;
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut target)?;
            // All pages in one step: a single read transaction, hence one snapshot. A step
            // split into several would restart whenever another process wrote in between.
            let deadline = std::time::Instant::now() + super::open::BUSY_TIMEOUT;
            loop {
                match backup.step(-1)? {
                    rusqlite::backup::StepResult::Done => return Ok(()),
                    _ if std::time::Instant::now() < deadline => {
                        std::thread::sleep(std::time::Duration::from_millis(10));
                    }
                    _ => {
                        return Err(StoreError::Backend {
                            class: super::ErrorClass::Busy,
                            error: "the database stayed busy; backup abandoned".into(),
                        })
                    }
                }
            }
        };
        copy().inspect_err(|_| {
            let _ = std::fs::remove_file(destination);
        })
    }
}

//! Queries for `prune`, `events` and `db check`, and the audit log's rows.
//!
//! Pruning walks `clients` by `seq` (insertion order) and deletes in short transactions whose
//! DELETE re-checks the criteria, as on SQLite.

use super::{
    bigint, storable, EventFilter, IntegrityReport, PruneCandidate, PruneCriteria, PrunePosition,
    PruneReason, Store, StoreError, Tx,
};
use crate::model::Event;
use crate::store::audit::{prune_event, prune_events, PRUNE_ACTION};

/// How many events a stored audit row holds; `$3` is [`PRUNE_ACTION`].
const EVENTS_IN_ROW: &str = "CASE WHEN client_id IS NULL AND action = $3 \
     AND json_typeof(details::json -> 'clients') = 'object' \
     THEN greatest(1, (SELECT count(*) FROM json_object_keys(details::json -> 'clients'))) \
     ELSE 1 END";

const PRUNE_WHERE: &str =
    "(($2::bigint IS NOT NULL AND c.client_secret_expires_at > 0 AND c.client_secret_expires_at <= $2) \
     OR ($3::bigint IS NOT NULL AND coalesce(c.last_used_at, c.client_id_issued_at) <= $3 \
         AND ($4 OR c.registered_via = 'http')))";

/// How many audit rows `events` fetches at a time.
const EVENT_PAGE: i64 = 1000;

fn reason(expired: bool) -> PruneReason {
    if expired {
        PruneReason::Expired
    } else {
        PruneReason::Unused
    }
}

impl Tx<'_> {
    pub(crate) fn append_event(&self, event: &Event) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO events (at, actor, action, client_id, details) VALUES ($1, $2, $3, $4, $5)",
            &[
                &event.at,
                &event.actor,
                &event.action,
                &event.client_id,
                &event.details.to_string(),
            ],
        )?;
        Ok(())
    }

    pub(crate) fn prune_candidates(
        &self,
        criteria: &PruneCriteria,
        after: PrunePosition,
        limit: usize,
    ) -> Result<Vec<PruneCandidate>, StoreError> {
        // The reason column: a client without a secret (NULL expiry) did not expire, and the
        // column must read as false, not NULL, when it was selected as unused.
        let sql = format!(
            "SELECT c.seq, c.client_id, \
             ($2::bigint IS NOT NULL AND coalesce(c.client_secret_expires_at, 0) > 0 AND c.client_secret_expires_at <= $2) \
             FROM clients c WHERE c.seq > $1 AND {PRUNE_WHERE} ORDER BY c.seq LIMIT $5"
        );
        self.query(
            &sql,
            &[
                &after.0,
                &criteria.expired_before,
                &criteria.unused_since,
                &criteria.include_provisioned,
                &bigint(limit),
            ],
        )?
        .iter()
        .map(|row| {
            Ok(PruneCandidate {
                position: PrunePosition(row.try_get(0)?),
                client_id: row.try_get(1)?,
                reason: reason(row.try_get(2)?),
            })
        })
        .collect()
    }

    pub(crate) fn delete_prunable(
        &self,
        positions: &[PrunePosition],
        criteria: &PruneCriteria,
        actor: &str,
        at: i64,
    ) -> Result<Vec<(String, PruneReason)>, StoreError> {
        // RETURNING gives rows in the order the table happens to store them, which updates
        // change; sorted by `seq`, they come back in walk order, as SQLite returns them, and
        // the audit entry lists them in that order.
        let sql = format!(
            "WITH pruned AS (DELETE FROM clients AS c WHERE c.seq = ANY($1) AND {PRUNE_WHERE} \
             RETURNING c.seq, c.client_id, \
             ($2::bigint IS NOT NULL AND coalesce(c.client_secret_expires_at, 0) > 0 \
              AND c.client_secret_expires_at <= $2) AS expired) \
             SELECT client_id, expired FROM pruned ORDER BY seq"
        );
        let seqs: Vec<i64> = positions.iter().map(|position| position.0).collect();
        let deleted = self
            .query(
                &sql,
                &[
                    &seqs,
                    &criteria.expired_before,
                    &criteria.unused_since,
                    &criteria.include_provisioned,
                ],
            )?
            .iter()
            .map(|row| Ok((row.try_get(0)?, reason(row.try_get(1)?))))
            .collect::<Result<Vec<_>, StoreError>>()?;
        if !deleted.is_empty() {
            self.append_event(&prune_event(at, actor, &deleted))?;
        }
        Ok(deleted)
    }

    pub(crate) fn delete_dead_initial_access_tokens(
        &self,
        now: i64,
        limit: usize,
    ) -> Result<usize, StoreError> {
        let deleted = self.execute(
            "DELETE FROM initial_access_tokens WHERE token_id IN (SELECT token_id FROM initial_access_tokens \
             WHERE (expires_at <> 0 AND expires_at <= $1) OR (max_uses IS NOT NULL AND uses >= max_uses) \
             OR revoked_at IS NOT NULL LIMIT $2)",
            &[&now, &bigint(limit)],
        )?;
        Ok(usize::try_from(deleted).unwrap_or(usize::MAX))
    }

    pub(crate) fn count_dead_initial_access_tokens(&self, now: i64) -> Result<u64, StoreError> {
        let count: i64 = self
            .query_one(
                "SELECT count(*) FROM initial_access_tokens WHERE (expires_at <> 0 AND expires_at <= $1) \
                 OR (max_uses IS NOT NULL AND uses >= max_uses) OR revoked_at IS NOT NULL",
                &[&now],
            )?
            .try_get(0)?;
        Ok(count.unsigned_abs())
    }

    pub(crate) fn delete_events_before(
        &self,
        before: i64,
        limit: usize,
    ) -> Result<Option<u64>, StoreError> {
        let sql = format!(
            "DELETE FROM events WHERE event_id IN \
             (SELECT event_id FROM events WHERE at < $1 ORDER BY event_id LIMIT $2) \
             RETURNING {EVENTS_IN_ROW}"
        );
        let weights = self
            .query(&sql, &[&before, &bigint(limit), &PRUNE_ACTION])?
            .iter()
            .map(|row| row.try_get::<_, i64>(0))
            .collect::<Result<Vec<_>, _>>()?;
        if weights.is_empty() {
            return Ok(None);
        }
        Ok(Some(weights.into_iter().map(i64::unsigned_abs).sum()))
    }

    pub(crate) fn count_events_before(&self, before: i64) -> Result<u64, StoreError> {
        let count: i64 = self
            .query_one(
                &format!(
                    "SELECT coalesce(sum({EVENTS_IN_ROW}), 0)::bigint FROM events \
                     WHERE at < $1 AND $2::bigint IS NULL"
                ),
                &[&before, &None::<i64>, &PRUNE_ACTION],
            )?
            .try_get(0)?;
        Ok(count.unsigned_abs())
    }

    /// Visit audit entries matching `filter`, newest first, a page of rows at a time.
    pub(crate) fn for_each_event<E: From<StoreError>>(
        &self,
        filter: &EventFilter,
        mut visit: impl FnMut(Event) -> Result<(), E>,
    ) -> Result<(), E> {
        // A prune row names many clients: it is found by the clients it names and counts as
        // one event per client, so pages bound rows, and `left` counts events.
        let sql = "SELECT event_id, at, actor, action, client_id, details FROM events \
                   WHERE ($1::text IS NULL OR client_id = $1 \
                          OR (client_id IS NULL AND action = $3 \
                              AND json_typeof(details::json -> 'clients') = 'object' \
                              AND EXISTS (SELECT 1 FROM json_object_keys(details::json -> 'clients') k \
                                          WHERE k = $1))) \
                   AND ($2::bigint IS NULL OR at >= $2) AND event_id < $4 \
                   AND ($6::bigint IS NULL OR at < $6) \
                   AND ($7::text[] IS NULL OR action = ANY($7)) \
                   ORDER BY event_id DESC LIMIT $5";
        if filter.client_id.as_deref().is_some_and(|id| !storable(id)) {
            return Ok(());
        }
        // An action holding NUL cannot be stored, so it matches nothing.
        let actions: Option<Vec<&str>> = (!filter.actions.is_empty()).then(|| {
            filter
                .actions
                .iter()
                .map(String::as_str)
                .filter(|action| storable(action))
                .collect()
        });
        if actions.as_ref().is_some_and(Vec::is_empty) {
            return Ok(());
        }
        let mut left = filter.limit.unwrap_or(u64::MAX);
        let mut before = i64::MAX;
        while left > 0 {
            let rows = self.query(
                sql,
                &[
                    &filter.client_id,
                    &filter.since,
                    &PRUNE_ACTION,
                    &before,
                    &EVENT_PAGE,
                    &filter.until,
                    &actions,
                ],
            )?;
            for row in &rows {
                let details: &str = row.try_get(5).map_err(StoreError::from)?;
                let event = Event {
                    at: row.try_get(1).map_err(StoreError::from)?,
                    actor: row.try_get(2).map_err(StoreError::from)?,
                    action: row.try_get(3).map_err(StoreError::from)?,
                    client_id: row.try_get(4).map_err(StoreError::from)?,
                    details: serde_json::from_str(details).map_err(|_| {
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
            match rows.last() {
                Some(last) if bigint(rows.len()) == EVENT_PAGE => {
                    before = last.try_get(0).map_err(StoreError::from)?;
                }
                _ => break,
            }
        }
        Ok(())
    }
}

impl Store {
    /// PostgreSQL keeps its own pages and foreign keys sound; what is left to check is the
    /// schema version, rows that lost their client, and rows dcrctl cannot read back.
    pub(crate) fn check_integrity(&mut self) -> Result<IntegrityReport, StoreError> {
        let schema_version = super::migrations::recorded_version(&mut self.conn.borrow_mut())?;
        let (foreign_key_violations, damaged_rows) = self.read(|tx| {
            let orphans = tx
                .query(
                    "SELECT s.client_id FROM client_secrets s \
                     LEFT JOIN clients c ON c.client_id = s.client_id WHERE c.client_id IS NULL",
                    &[],
                )?
                .iter()
                .map(|row| {
                    let id: &str = row.try_get(0)?;
                    Ok(format!(
                        "client_secrets row of {id} refers to a missing clients row"
                    ))
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            Ok::<_, StoreError>((orphans, tx.damaged_clients()?))
        })?;
        Ok(IntegrityReport {
            integrity: vec!["ok".to_owned()],
            foreign_key_violations,
            damaged_rows,
            schema_version,
        })
    }
}

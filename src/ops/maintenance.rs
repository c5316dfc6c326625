//! Cron cleanup (`prune`), the audit log reader (`events`) and database maintenance
//! (`db check`, `db backup`).
//!
//! `prune` finds candidates [`PRUNE_BATCH`] at a time with one forward walk over the clients
//! (each read once, constant memory) and deletes them in write transactions sized to take
//! about 40 ms, each one statement plus one audit row for all its clients, so a running
//! server or another CLI call never waits long for the lock. Readers are never blocked. The
//! batches run in the store's bulk mode ([`Store::bulk_writes`]): losing the last of them in
//! a crash only means the next run redoes them.

use super::Store;
use crate::model::Action;
use crate::model::Event;
use crate::store::{PrunePosition, Tx};
use crate::{time, Error, Result};
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};

pub use crate::store::{EventFilter, IntegrityReport, PruneCriteria, PruneReason};

/// Candidates found per read of the forward walk.
pub const PRUNE_BATCH: usize = 2000;

/// What a prune transaction aims to take, so together with its commit it holds the write
/// lock for well under the ~100 ms a concurrent writer may wait. Transactions are sized by
/// how long the last one took ([`next_chunk`]).
const PRUNE_BATCH_TIME: Duration = Duration::from_millis(40);

/// The first and smallest delete transaction, in clients.
const MIN_CHUNK: usize = 32;

/// What `prune` should remove.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prune {
    /// Which clients.
    pub criteria: PruneCriteria,
    /// Remove audit entries older than this Unix time.
    pub events_before: Option<i64>,
    /// Only report what would be removed.
    pub dry_run: bool,
}

/// What `prune` removed (or, in a dry run, would remove).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Clients removed because their secret expired.
    pub expired_clients: u64,
    /// Clients removed because nobody used them.
    pub unused_clients: u64,
    /// Initial access tokens that were expired, used up or revoked.
    pub initial_access_tokens: u64,
    /// Audit entries removed.
    pub events: u64,
}

/// Remove dead clients, tokens and old audit entries. Idempotent: a second run right after
/// finds nothing more to do. `removed` is told each client removed (in a dry run, each that
/// would be) and why, as its batch commits, so a caller can report them without this
/// holding them all.
///
/// # Errors
/// A usage error when nothing is asked for; storage failures (batches already committed stay
/// committed, and a re-run continues where this one stopped).
pub fn prune(
    store: &mut Store,
    actor: &super::Actor,
    request: &Prune,
    removed: &mut dyn FnMut(&str, PruneReason),
) -> Result<Pruned> {
    let criteria = &request.criteria;
    let prunes_clients = criteria.expired_before.is_some() || criteria.unused_since.is_some();
    if !prunes_clients && request.events_before.is_none() {
        return Err(Error::usage(
            "prune needs a criterion: --expired-for, --unused-for or --keep-events",
        ));
    }
    let mut pruned = Pruned::default();
    let now = time::now();
    if prunes_clients {
        // A prune batch lost in a crash is redone by the next run.
        store
            .bulk_writes(|store| prune_clients(store, actor, request, now, &mut pruned, removed))?;
    }
    pruned.initial_access_tokens = if request.dry_run {
        store.read(|tx| Ok::<_, Error>(tx.count_dead_initial_access_tokens(now)?))?
    } else {
        drain(store, |tx| {
            let deleted = tx.delete_dead_initial_access_tokens(now, PRUNE_BATCH)?;
            if deleted > 0 {
                super::record(
                    tx,
                    actor,
                    Action::PruneTokens,
                    None,
                    now,
                    json!({ "deleted": deleted }),
                )?;
            }
            Ok(deleted)
        })?
    };
    if let Some(before) = request.events_before {
        pruned.events = if request.dry_run {
            store.read(|tx| Ok::<_, Error>(tx.count_events_before(before)?))?
        } else {
            let mut total = 0;
            while let Some(deleted) = store.write(|tx| {
                let deleted = tx.delete_events_before(before, PRUNE_BATCH * 10)?;
                if let Some(deleted) = deleted {
                    super::record(
                        tx,
                        actor,
                        Action::PruneEvents,
                        None,
                        now,
                        json!({ "deleted": deleted, "before": before }),
                    )?;
                }
                Ok::<_, Error>(deleted)
            })? {
                total += deleted;
            }
            total
        };
    }
    Ok(pruned)
}

/// Delete the clients `request` selects, batch by batch, resuming where the walk stopped.
fn prune_clients(
    store: &mut Store,
    actor: &super::Actor,
    request: &Prune,
    now: i64,
    pruned: &mut Pruned,
    removed: &mut dyn FnMut(&str, PruneReason),
) -> Result<()> {
    let criteria = &request.criteria;
    let mut after = PrunePosition::default();
    let mut chunk = MIN_CHUNK;
    loop {
        // One forward walk: each read continues where the last one stopped, so the table is
        // scanned once however the candidates are spread.
        let found = store
            .read(|tx| Ok::<_, Error>(tx.prune_candidates(criteria, after, PRUNE_BATCH)?))?;
        let Some(last) = found.last() else { break };
        after = last.position;
        if request.dry_run {
            for candidate in &found {
                count(pruned, candidate.reason);
                removed(&candidate.client_id, candidate.reason);
            }
            continue;
        }
        let positions: Vec<PrunePosition> =
            found.iter().map(|candidate| candidate.position).collect();
        let mut pending = positions.as_slice();
        while !pending.is_empty() {
            let take = chunk.min(pending.len());
            let started = Instant::now();
            let deleted = store.write(|tx| {
                Ok::<_, Error>(tx.delete_prunable(
                    &pending[..take],
                    criteria,
                    actor.as_str(),
                    now,
                )?)
            })?;
            chunk = next_chunk(take, started.elapsed());
            pending = &pending[take..];
            for (client_id, reason) in &deleted {
                count(pruned, *reason);
                removed(client_id, *reason);
            }
        }
    }
    Ok(())
}

/// The size of the next delete transaction, from how long the last one (of `size` clients)
/// took: aimed at [`PRUNE_BATCH_TIME`], growing at most fourfold at a time so one slow
/// moment (a cold cache, a checkpoint) does not overshoot.
fn next_chunk(size: usize, took: Duration) -> usize {
    let took = took.as_secs_f64().max(1e-4);
    let aimed = size as f64 * PRUNE_BATCH_TIME.as_secs_f64() / took;
    (aimed.min(size as f64 * 4.0) as usize).clamp(MIN_CHUNK, PRUNE_BATCH)
}

fn count(pruned: &mut Pruned, reason: PruneReason) {
    match reason {
        PruneReason::Expired => pruned.expired_clients += 1,
        PruneReason::Unused => pruned.unused_clients += 1,
    }
}

/// Run `batch` in write transactions until it deletes nothing; the total deleted.
fn drain(store: &mut Store, mut batch: impl FnMut(&Tx<'_>) -> Result<usize>) -> Result<u64> {
    let mut total = 0;
    loop {
        let deleted = store.write(&mut batch)?;
        if deleted == 0 {
            return Ok(total);
        }
        total += deleted as u64;
    }
}

/// Stream audit entries matching `filter`, newest first.
///
/// # Errors
/// Storage failures, or whatever `visit` returns.
pub fn events(
    store: &mut Store,
    filter: &EventFilter,
    visit: impl FnMut(Event) -> Result<()>,
) -> Result<()> {
    store.read(|tx| tx.for_each_event(filter, visit))
}

/// Check the database's integrity and foreign keys.
///
/// # Errors
/// Storage failures that prevent the check; damage is reported in the result.
pub fn check(store: &mut Store) -> Result<IntegrityReport> {
    Ok(store.check_integrity()?)
}

/// Write a consistent online backup of the database to `destination`.
///
/// # Errors
/// [`Error::Conflict`] when `destination` exists; I/O and storage failures.
pub fn backup(store: &mut Store, destination: &Path) -> Result<()> {
    Ok(store.backup_to(destination)?)
}

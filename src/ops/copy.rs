//! `db copy`: a whole registry moved to another database, on either backend, with every
//! stored hash, so each secret, registration access token, initial access token and admin
//! password keeps working.
//!
//! The source is read in one snapshot and the destination written in one transaction, so a
//! copy is all or nothing and never mixes two states of the source. Rows travel in pages of
//! [`COPY_BATCH`], each as stored (metadata as its original text, hashes, positions, event
//! ids), so memory stays bounded however large the registry is. The destination must be
//! empty: a copy never merges registries.

use super::{record, Actor, Location, Store};
use crate::model::{Action, Entity};
use crate::store::RegistryCounts;
use crate::{time, Error, Result};
use serde_json::json;

/// Rows read and written at a time.
pub const COPY_BATCH: usize = 1000;

/// Rows copied so far and rows to copy in all, reported after each page.
pub type CopyProgress<'a> = &'a mut dyn FnMut(u64, u64);

/// Copy every row of `source` (at `from`) into the empty `destination` (at `to`) and record
/// the copy in the destination's audit log. Returns what was copied.
///
/// # Errors
/// [`Error::Conflict`] (`what: Entity::Registry`) when the destination holds any row; then
/// nothing is written. Storage failures, after which the destination is as it was.
pub fn copy(
    source: &mut Store,
    destination: &mut Store,
    actor: &Actor,
    (from, to): (&Location, &Location),
    progress: CopyProgress<'_>,
) -> Result<RegistryCounts> {
    source.read(|src| {
        let total = src.registry_counts()?.total();
        destination.write(|dst| {
            // Another copy into the same database waits here, then finds it not empty.
            dst.lock_registry()?;
            let found = dst.registry_counts()?;
            if !found.is_empty() {
                return Err(Error::Conflict {
                    what: Entity::Registry,
                    id: format!(
                        "{to} ({} clients, {} events; db copy only fills an empty one)",
                        found.clients, found.events
                    ),
                });
            }
            let mut copied = RegistryCounts::default();
            let mut report = |copied: &RegistryCounts| progress(copied.total(), total);
            copy_clients(src, dst, &mut copied, &mut report)?;
            page(
                |after| src.copied_tokens(after.unwrap_or(i64::MIN), COPY_BATCH),
                |rows| dst.insert_copied_tokens(rows),
                |token| token.position,
                |n| {
                    copied.initial_access_tokens += n;
                    report(&copied);
                },
            )?;
            page(
                |after: Option<String>| src.copied_admins(after.as_deref(), COPY_BATCH),
                |rows| dst.insert_copied_admins(rows),
                |admin| admin.name.clone(),
                |n| {
                    copied.admins += n;
                    report(&copied);
                },
            )?;
            page(
                |after| src.copied_events(after.unwrap_or(i64::MIN), COPY_BATCH),
                |rows| dst.insert_copied_events(rows),
                |event| event.event_id,
                |n| {
                    copied.events += n;
                    report(&copied);
                },
            )?;
            dst.advance_sequences()?;
            // The source's location as every message shows it: a URL's password masked.
            record(
                dst,
                actor,
                Action::Copy,
                None,
                time::now(),
                json!({ "source": from.to_string(), "copied": copied }),
            )?;
            Ok(copied)
        })
    })
}

/// Clients page by page, each page followed by the secrets of its clients.
fn copy_clients(
    src: &super::Tx<'_>,
    dst: &super::Tx<'_>,
    copied: &mut RegistryCounts,
    report: &mut dyn FnMut(&RegistryCounts),
) -> Result<()> {
    let mut after = i64::MIN;
    loop {
        let clients = src.copied_clients(after, COPY_BATCH)?;
        let Some(last) = clients.last() else {
            return Ok(());
        };
        let through = last.position;
        let secrets = src.copied_secrets(after, through)?;
        dst.insert_copied_clients(&clients)?;
        if !secrets.is_empty() {
            dst.insert_copied_secrets(&secrets)?;
        }
        copied.clients += clients.len() as u64;
        copied.client_secrets += secrets.len() as u64;
        report(copied);
        after = through;
    }
}

/// Read pages with `read` (from the start with `None`, else after the key `key` gives the
/// last row) and `write` each, until a page comes back empty; `done` hears each page's size.
fn page<R, K>(
    mut read: impl FnMut(Option<K>) -> std::result::Result<Vec<R>, crate::store::StoreError>,
    mut write: impl FnMut(&[R]) -> std::result::Result<(), crate::store::StoreError>,
    key: impl Fn(&R) -> K,
    mut done: impl FnMut(u64),
) -> Result<()> {
    let mut after = None;
    loop {
        let rows = read(after.take())?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = Some(key(last));
        write(&rows)?;
        done(rows.len() as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::test_support::actor;

    fn open(dir: &tempfile::TempDir, name: &str) -> (Location, Store) {
        let location = Location::Sqlite(dir.path().join(name));
        let store = Store::open(&location).unwrap();
        (location, store)
    }

    #[test]
    fn an_empty_registry_copies_to_only_the_copy_event_and_a_second_copy_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (from, mut source) = open(&dir, "a.db");
        let (to, mut destination) = open(&dir, "b.db");
        let copied = copy(
            &mut source,
            &mut destination,
            &actor(),
            (&from, &to),
            &mut |_, _| {},
        )
        .unwrap();
        assert_eq!(copied, RegistryCounts::default());
        let error = copy(
            &mut source,
            &mut destination,
            &actor(),
            (&from, &to),
            &mut |_, _| {},
        )
        .unwrap_err();
        assert!(matches!(
            error,
            Error::Conflict {
                what: Entity::Registry,
                ..
            }
        ));
        let after = destination
            .read(|tx| Ok::<_, Error>(tx.registry_counts()?))
            .unwrap();
        assert_eq!(after.events, 1);
    }
}

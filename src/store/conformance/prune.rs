//! Pruning: the walk that finds candidates, the delete that checks them again, and the bulk
//! mode its batches run in.

use super::{conformance_tests, insert, metadata, read, write, Db};
use crate::model::RegisteredVia;
use crate::store::{
    EventFilter, PruneCandidate, PruneCriteria, PrunePosition, PruneReason, Store, StoreError,
};
use serde_json::json;

/// A client of the prune tests: id, how it was registered, registration time, secret
/// expiry, last use.
type Prunable = (&'static str, RegisteredVia, i64, Option<i64>, Option<i64>);

/// In walk (insertion) order, registered out of time order.
const CLIENTS: &[Prunable] = &[
    ("expired", RegisteredVia::Http, 300, Some(50), None),
    ("stale-http", RegisteredVia::Http, 10, Some(0), None),
    ("stale-cli", RegisteredVia::Cli, 10, None, None),
    ("recent", RegisteredVia::Http, 10, Some(0), Some(150)),
    ("fresh", RegisteredVia::Http, 200, Some(0), None),
    ("expired-and-stale", RegisteredVia::Http, 10, Some(60), None),
    ("used-long-ago", RegisteredVia::Apply, 10, Some(0), Some(50)),
];

const HTTP_ONLY: PruneCriteria = PruneCriteria {
    expired_before: Some(100),
    unused_since: Some(100),
    include_provisioned: false,
};

const EVERY_WAY: PruneCriteria = PruneCriteria {
    include_provisioned: true,
    ..HTTP_ONLY
};

fn with_clients(store: &mut Store) {
    write(store, |tx| {
        for &(id, via, issued_at, expires, last_used) in CLIENTS {
            insert(tx, id, &metadata(json!({})), issued_at, expires, via);
            if let Some(at) = last_used {
                tx.touch_last_used(id, at)?;
            }
        }
        tx.insert_secret("expired-and-stale", "sha256:s", 60, 10)
    });
}

fn candidates(
    store: &mut Store,
    criteria: &PruneCriteria,
    after: PrunePosition,
    limit: usize,
) -> Vec<PruneCandidate> {
    read(store, |tx| tx.prune_candidates(criteria, after, limit))
}

fn named(found: &[PruneCandidate]) -> Vec<(&str, PruneReason)> {
    found
        .iter()
        .map(|c| (c.client_id.as_str(), c.reason))
        .collect()
}

fn candidates_are_found_in_walk_order_a_page_at_a_time(store: &mut Store) {
    with_clients(store);
    let start = PrunePosition::default();
    let all = candidates(store, &HTTP_ONLY, start, 100);
    assert_eq!(
        named(&all),
        [
            ("expired", PruneReason::Expired),
            ("stale-http", PruneReason::Unused),
            ("expired-and-stale", PruneReason::Expired),
        ]
    );
    assert_eq!(
        named(&candidates(store, &EVERY_WAY, start, 100)),
        [
            ("expired", PruneReason::Expired),
            ("stale-http", PruneReason::Unused),
            ("stale-cli", PruneReason::Unused),
            ("expired-and-stale", PruneReason::Expired),
            ("used-long-ago", PruneReason::Unused),
        ]
    );
    let expired_only = PruneCriteria {
        expired_before: Some(55),
        ..PruneCriteria::default()
    };
    assert_eq!(
        named(&candidates(store, &expired_only, start, 100)),
        [("expired", PruneReason::Expired)],
        "expiry is inclusive; 0 never expires"
    );
    assert!(candidates(store, &PruneCriteria::default(), start, 100).is_empty());

    // Resuming after the last position found continues the same walk.
    let first = candidates(store, &HTTP_ONLY, start, 2);
    assert_eq!(first, all[..2]);
    let second = candidates(store, &HTTP_ONLY, first[1].position, 2);
    assert_eq!(second, all[2..]);
    assert!(candidates(store, &HTTP_ONLY, second[0].position, 2).is_empty());
    assert!(all.windows(2).all(|w| w[0].position < w[1].position));
}

fn the_delete_spares_clients_renewed_since_they_were_found(store: &mut Store) {
    with_clients(store);
    let found = candidates(store, &EVERY_WAY, PrunePosition::default(), 100);
    let positions: Vec<PrunePosition> = found.iter().map(|c| c.position).collect();
    write(store, |tx| {
        // Renewed: used recently, given a secret that does not expire.
        tx.touch_last_used("stale-cli", 150)?;
        tx.replace_secret("expired", "sha256:new", 0, None, 150)?;
        // Changed but still prunable, which moves the rows of a backend that writes a new
        // version of an updated row elsewhere in its table.
        tx.touch_last_used("stale-http", 20)?;
        tx.set_registration_token("stale-http", "sha256:rat", 30)
    });
    let deleted = write(store, |tx| {
        tx.delete_prunable(&positions, &EVERY_WAY, "cli:root", 500)
    });
    let expected = [
        ("stale-http".to_owned(), PruneReason::Unused),
        ("expired-and-stale".to_owned(), PruneReason::Expired),
        ("used-long-ago".to_owned(), PruneReason::Unused),
    ];
    assert_eq!(deleted, expected, "in walk order");
    read(store, |tx| {
        assert_eq!(tx.count_clients()?, 4);
        assert!(tx.client_exists("stale-cli")? && tx.client_exists("expired")?);
        assert!(!tx.client_exists("used-long-ago")?);
        assert!(tx.valid_secret_hashes("expired-and-stale", 0)?.is_empty());
        Ok(())
    });
    // One audit row, read back as one event per client, the last pruned first.
    let mut events = Vec::new();
    store
        .read(|tx| {
            tx.for_each_event(&EventFilter::default(), |e| {
                events.push((e.at, e.actor, e.action, e.client_id, e.details));
                Ok::<_, StoreError>(())
            })
        })
        .unwrap();
    let prune = |id: &str, reason: &str| {
        (
            500,
            "cli:root".into(),
            "prune".into(),
            Some(id.into()),
            json!({"reason": reason}),
        )
    };
    assert_eq!(
        events,
        [
            prune("used-long-ago", "unused"),
            prune("expired-and-stale", "expired"),
            prune("stale-http", "unused"),
        ]
    );
    assert_eq!(read(store, |tx| tx.count_events_before(501)), 3);

    // Nothing left to delete at those positions: no rows, no audit entry.
    let again = write(store, |tx| {
        tx.delete_prunable(&positions, &EVERY_WAY, "cli:root", 600)
    });
    assert!(again.is_empty());
    assert_eq!(read(store, |tx| tx.count_events_before(i64::MAX)), 3);
    assert!(write(store, |tx| tx.delete_prunable(
        &[],
        &EVERY_WAY,
        "cli:root",
        600
    ))
    .is_empty());
}

fn bulk_writes_are_durable_and_end_in_normal_mode(db: &Db) {
    let mut store = db.open();
    let batches = store
        .bulk_writes(|store| {
            for batch in 0..3 {
                store.write(|tx| {
                    for i in 0..10 {
                        let id = format!("c{batch}-{i}");
                        insert(
                            tx,
                            &id,
                            &metadata(json!({})),
                            10,
                            Some(0),
                            RegisteredVia::Http,
                        );
                    }
                    Ok::<_, StoreError>(())
                })?;
            }
            Ok::<_, StoreError>(3)
        })
        .unwrap();
    assert_eq!(batches, 3);
    assert_eq!(read(&mut db.open(), |tx| tx.count_clients()), 30);

    // Work that fails hands back its error, and the connection still writes afterwards.
    let failed: Result<(), StoreError> = store.bulk_writes(|store| {
        store.write(|tx| tx.delete_client("c0-0"))?;
        Err(StoreError::other("interrupted"))
    });
    assert!(
        matches!(failed, Err(StoreError::Backend { .. })),
        "{failed:?}"
    );
    write(&mut store, |tx| tx.delete_client("c0-1"));
    assert_eq!(read(&mut db.open(), |tx| tx.count_clients()), 28);
}

conformance_tests! {
    candidates_are_found_in_walk_order_a_page_at_a_time,
    the_delete_spares_clients_renewed_since_they_were_found,
    bulk_writes_are_durable_and_end_in_normal_mode,
}

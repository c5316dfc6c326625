//! The audit log: appending, reading back newest first with filters, prune rows read as one
//! event per client, and deleting old entries.

use super::{conformance_tests, read, write};
use crate::model::Event;
use crate::store::audit::prune_event;
use crate::store::{EventFilter, PruneReason, Store, StoreError};
use serde_json::json;

fn event(at: i64, action: &str, client_id: Option<&str>) -> Event {
    Event {
        at,
        actor: "cli:test".into(),
        action: action.into(),
        client_id: client_id.map(Into::into),
        details: json!({"n": at, "nested": {"z": 1, "a": [true, null]}}),
    }
}

fn events(store: &mut Store, filter: &EventFilter) -> Vec<Event> {
    read(store, |tx| {
        let mut events = Vec::new();
        tx.for_each_event(filter, |event| {
            events.push(event);
            Ok::<_, StoreError>(())
        })?;
        Ok(events)
    })
}

/// `(action, client_id)` of each event, for compact assertions.
fn summary(events: &[Event]) -> Vec<(String, Option<String>)> {
    events
        .iter()
        .map(|e| (e.action.clone(), e.client_id.clone()))
        .collect()
}

fn pruned(ids: &[&str]) -> Vec<(String, PruneReason)> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            let reason = if i % 2 == 0 {
                PruneReason::Expired
            } else {
                PruneReason::Unused
            };
            ((*id).to_owned(), reason)
        })
        .collect()
}

fn events_read_back_newest_first_with_their_filters(store: &mut Store) {
    write(store, |tx| {
        tx.append_event(&event(100, "register", Some("a")))?;
        tx.append_event(&event(300, "register", Some("b")))?;
        // Stored order, not time, is the log's order.
        tx.append_event(&event(200, "update", Some("a")))?;
        tx.append_event(&event(400, "token-create", None))
    });
    let all = events(store, &EventFilter::default());
    assert_eq!(all[3], event(100, "register", Some("a")), "read back whole");
    let times: Vec<i64> = all.iter().map(|e| e.at).collect();
    assert_eq!(times, [400, 200, 300, 100]);
    let about_a = EventFilter {
        client_id: Some("a".into()),
        ..EventFilter::default()
    };
    let times: Vec<i64> = events(store, &about_a).iter().map(|e| e.at).collect();
    assert_eq!(times, [200, 100]);
    let since = EventFilter {
        since: Some(300),
        ..EventFilter::default()
    };
    let times: Vec<i64> = events(store, &since).iter().map(|e| e.at).collect();
    assert_eq!(times, [400, 300], "since is inclusive");
    let limited = EventFilter {
        client_id: Some("a".into()),
        since: Some(50),
        limit: Some(1),
        ..EventFilter::default()
    };
    assert_eq!(events(store, &limited), [event(200, "update", Some("a"))]);
    let none = EventFilter {
        limit: Some(0),
        ..EventFilter::default()
    };
    assert!(events(store, &none).is_empty());
}

fn a_prune_row_reads_as_one_event_per_client(store: &mut Store) {
    write(store, |tx| {
        tx.append_event(&event(100, "register", Some("b")))?;
        tx.append_event(&prune_event(200, "cli:root", &pruned(&["a", "b", "c"])))?;
        tx.append_event(&event(300, "register", Some("d")))
    });
    let all = events(store, &EventFilter::default());
    assert_eq!(
        summary(&all),
        [
            ("register".into(), Some("d".into())),
            ("prune".into(), Some("c".into())),
            ("prune".into(), Some("b".into())),
            ("prune".into(), Some("a".into())),
            ("register".into(), Some("b".into())),
        ],
        "the last pruned first"
    );
    assert_eq!(
        all[2],
        Event {
            at: 200,
            actor: "cli:root".into(),
            action: "prune".into(),
            client_id: Some("b".into()),
            details: json!({"reason": "unused"}),
        }
    );
    let about_b = EventFilter {
        client_id: Some("b".into()),
        ..EventFilter::default()
    };
    assert_eq!(
        summary(&events(store, &about_b)),
        [
            ("prune".into(), Some("b".into())),
            ("register".into(), Some("b".into()))
        ]
    );
    // A limit counts events, so it can end inside a prune row.
    let three = EventFilter {
        limit: Some(3),
        ..EventFilter::default()
    };
    assert_eq!(
        summary(&events(store, &three))[2],
        ("prune".into(), Some("b".into()))
    );
    let not_pruned = EventFilter {
        client_id: Some("z".into()),
        ..EventFilter::default()
    };
    assert!(events(store, &not_pruned).is_empty());
    // The counts of old events see the clients a prune row names.
    assert_eq!(read(store, |tx| tx.count_events_before(200)), 1);
    assert_eq!(read(store, |tx| tx.count_events_before(201)), 4);
    assert_eq!(read(store, |tx| tx.count_events_before(i64::MAX)), 5);
}

fn the_log_pages_through_thousands_of_rows(store: &mut Store) {
    const COUNT: i64 = 2_300;
    write(store, |tx| {
        for i in 0..COUNT {
            if i == 1_200 {
                tx.append_event(&prune_event(i, "cli:root", &pruned(&["x", "c3", "y"])))?;
            }
            let client = format!("c{}", i % 3);
            tx.append_event(&event(i, "update", Some(&client)))?;
        }
        Ok(())
    });
    let all = events(store, &EventFilter::default());
    assert_eq!(all.len(), 2_303);
    assert_eq!(all[0].at, COUNT - 1);
    assert_eq!(all[2_302].at, 0);
    let mut at: Vec<i64> = all.iter().map(|e| e.at).collect();
    at.dedup();
    let expected: Vec<i64> = (0..COUNT).rev().collect();
    assert_eq!(at, expected, "every row once, newest first");
    assert_eq!(
        summary(&all[1_099..1_104]),
        [
            ("update".into(), Some("c0".into())),
            ("prune".into(), Some("y".into())),
            ("prune".into(), Some("c3".into())),
            ("prune".into(), Some("x".into())),
            ("update".into(), Some("c2".into())),
        ]
    );
    let about_c0 = EventFilter {
        client_id: Some("c0".into()),
        ..EventFilter::default()
    };
    let found = events(store, &about_c0);
    assert_eq!(found.len(), 767);
    assert!(found.iter().all(|e| e.client_id.as_deref() == Some("c0")));
    let limited = EventFilter {
        limit: Some(1_500),
        since: Some(100),
        ..EventFilter::default()
    };
    let found = events(store, &limited);
    assert_eq!(found.len(), 1_500);
    // 1 100 events after the prune row, its three, then 397 before it: 1199 down to 803.
    assert_eq!(found[1_499].at, 803, "the three prune events count");
    let late = EventFilter {
        since: Some(1_000),
        ..EventFilter::default()
    };
    assert_eq!(events(store, &late).len(), 1_303);
}

fn old_events_are_deleted_in_batches(store: &mut Store) {
    write(store, |tx| {
        tx.append_event(&event(100, "register", Some("a")))?;
        tx.append_event(&prune_event(110, "cli:root", &pruned(&["a", "b"])))?;
        tx.append_event(&event(120, "update", Some("c")))?;
        tx.append_event(&event(130, "update", Some("c")))?;
        tx.append_event(&event(500, "update", Some("c")))
    });
    assert_eq!(read(store, |tx| tx.count_events_before(130)), 4);
    assert_eq!(read(store, |tx| tx.count_events_before(100)), 0);
    assert_eq!(write(store, |tx| tx.delete_events_before(100, 10)), None);
    // Oldest rows first: the first batch holds the prune row and its two events.
    assert_eq!(write(store, |tx| tx.delete_events_before(200, 2)), Some(3));
    assert_eq!(write(store, |tx| tx.delete_events_before(200, 2)), Some(2));
    assert_eq!(write(store, |tx| tx.delete_events_before(200, 2)), None);
    assert_eq!(read(store, |tx| tx.count_events_before(i64::MAX)), 1);
    let left: Vec<i64> = events(store, &EventFilter::default())
        .iter()
        .map(|e| e.at)
        .collect();
    assert_eq!(left, [500]);
}

/// `until` excludes its time as `since` includes its own, so consecutive windows neither
/// overlap nor miss an event; `actions` selects any of several, prune rows included.
fn events_are_bounded_above_and_chosen_by_action(store: &mut Store) {
    write(store, |tx| {
        tx.append_event(&event(100, "register", Some("a")))?;
        tx.append_event(&event(200, "update", Some("a")))?;
        tx.append_event(&prune_event(300, "cli:root", &pruned(&["a", "b"])))?;
        tx.append_event(&event(400, "delete", Some("b")))
    });
    let at = |filter: &EventFilter, store: &mut Store| -> Vec<i64> {
        events(store, filter).iter().map(|e| e.at).collect()
    };
    let window = |since, until| EventFilter {
        since,
        until,
        ..EventFilter::default()
    };
    assert_eq!(at(&window(None, Some(200)), store), [100]);
    assert_eq!(at(&window(Some(200), Some(400)), store), [300, 300, 200]);
    assert_eq!(at(&window(Some(400), None), store), [400]);
    assert!(at(&window(Some(200), Some(200)), store).is_empty());
    let actions = |actions: &[&str]| EventFilter {
        actions: actions.iter().map(|&a| a.to_owned()).collect(),
        ..EventFilter::default()
    };
    assert_eq!(at(&actions(&["update"]), store), [200]);
    assert_eq!(at(&actions(&["delete", "register"]), store), [400, 100]);
    assert_eq!(at(&actions(&["prune"]), store), [300, 300]);
    assert!(at(&actions(&["nothing"]), store).is_empty());
    assert!(at(&actions(&["up\0date"]), store).is_empty());
    let about_a = EventFilter {
        client_id: Some("a".into()),
        until: Some(400),
        actions: vec!["prune".into(), "register".into()],
        limit: Some(5),
        ..EventFilter::default()
    };
    assert_eq!(
        summary(&events(store, &about_a)),
        [
            ("prune".to_owned(), Some("a".to_owned())),
            ("register".to_owned(), Some("a".to_owned())),
        ]
    );
}

conformance_tests! {
    events_read_back_newest_first_with_their_filters,
    events_are_bounded_above_and_chosen_by_action,
    a_prune_row_reads_as_one_event_per_client,
    the_log_pages_through_thousands_of_rows,
    old_events_are_deleted_in_batches,
}

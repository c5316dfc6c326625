//! Transactions: rollback, group commit with savepoints, read snapshots, and the locks that
//! make two writers deciding on the same thing take turns.

use super::{add_client, conformance_tests, metadata, read, write, Db};
use crate::model::Event;
use crate::registration::AuthMethod;
use crate::store::{ErrorClass, Store, StoreError, Tx};
use serde_json::json;
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn event(n: usize) -> Event {
    Event {
        at: i64::try_from(n).unwrap(),
        actor: "test".into(),
        action: "probe".into(),
        client_id: None,
        details: json!({}),
    }
}

fn event_count(store: &mut Store) -> u64 {
    read(store, |tx| tx.count_events_before(i64::MAX))
}

fn a_failed_write_leaves_nothing_behind(store: &mut Store) {
    let attempt: Result<(), StoreError> = store.write(|tx| {
        tx.append_event(&event(1))?;
        add_client(tx, "c1", "", 1);
        Err(StoreError::other("abort"))
    });
    assert!(attempt.is_err());
    assert_eq!(event_count(store), 0);
    assert!(!read(store, |tx| tx.client_exists("c1")));
    // A panic inside the work rolls back too, and the store is usable afterwards.
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = store.write(|tx| -> Result<(), StoreError> {
            tx.append_event(&event(2))?;
            panic!("work panicked")
        });
    }));
    assert!(panicked.is_err());
    write(store, |tx| tx.append_event(&event(3)));
    assert_eq!(event_count(store), 1);
}

fn a_batch_keeps_the_jobs_that_succeeded_and_drops_the_others(store: &mut Store) {
    write(store, |tx| {
        tx.insert_initial_access_token("iat_taken", "sha256:taken", None, 1, 0, None)
    });
    let mut outcomes = Vec::new();
    store
        .write_batch(6, |tx, index| {
            let done = match index {
                // A statement that fails inside a job: PostgreSQL aborts the transaction
                // until the job's savepoint is rolled back.
                2 => tx
                    .insert_initial_access_token("iat_2", "sha256:taken", None, 1, 0, None)
                    .map(|_| ()),
                _ => tx.append_event(&event(index)),
            };
            outcomes.push(done.as_ref().map_err(StoreError::class).err());
            done.is_ok() && index != 3
        })
        .unwrap();
    assert_eq!(
        outcomes,
        [
            None,
            None,
            Some(ErrorClass::UniqueViolation),
            None,
            None,
            None
        ]
    );
    let times: Vec<i64> = read(store, |tx| {
        let mut times = Vec::new();
        tx.for_each_event(&Default::default(), |e| {
            times.push(e.at);
            Ok::<_, StoreError>(())
        })?;
        Ok(times)
    });
    assert_eq!(times, [5, 4, 1, 0], "job 3 reported failure, job 2 failed");
    assert!(!read(store, |tx| tx.initial_access_token_exists("iat_2")));
}

fn a_read_sees_one_snapshot(db: &Db) {
    let mut store = db.open();
    let mut other = db.open();
    write(&mut store, |tx| tx.append_event(&event(1)));
    read(&mut store, |tx| {
        let before = tx.count_events_before(i64::MAX)?;
        assert_eq!(before, 1);
        write(&mut other, |tx| {
            tx.append_event(&event(2))?;
            add_client(tx, "c1", "", 1);
            Ok(())
        });
        assert_eq!(
            tx.count_events_before(i64::MAX)?,
            before,
            "a write after it began"
        );
        assert!(!tx.client_exists("c1")?);
        Ok(())
    });
    assert_eq!(event_count(&mut store), 2, "the next read sees it");
}

/// How long the first writer holds its lock; the second must wait at least about this long.
const HOLD: Duration = Duration::from_millis(400);

/// Two connections run `decide` then `act` in a write transaction each, the second starting
/// while the first holds what `decide` locked. `act` returns what it saw. The second must
/// have waited for the first to commit, and so see its effect.
fn writers_take_turns(
    db: &Db,
    decide: impl Fn(&Tx<'_>) -> Result<(), StoreError> + Sync,
    act: impl Fn(&Tx<'_>) -> Result<i64, StoreError> + Sync,
) {
    let (held_tx, held_rx) = mpsc::channel();
    let (done_tx, done_rx) = mpsc::channel();
    let mut first = db.open();
    let mut second = db.open();
    std::thread::scope(|scope| {
        let decide = &decide;
        let act = &act;
        let first_done = done_tx.clone();
        scope.spawn(move || {
            let seen = write(&mut first, |tx| {
                decide(tx)?;
                held_tx.send(()).unwrap();
                std::thread::sleep(HOLD);
                act(tx)
            });
            first_done.send(("first", seen, Instant::now())).unwrap();
        });
        held_rx
            .recv_timeout(Duration::from_secs(10))
            .expect("the first writer took its lock");
        let started = Instant::now();
        scope.spawn(move || {
            let seen = write(&mut second, |tx| {
                decide(tx)?;
                act(tx)
            });
            done_tx.send(("second", seen, Instant::now())).unwrap();
        });
        let wait = Duration::from_secs(20);
        let mut finished = [
            done_rx.recv_timeout(wait).expect("a writer finished"),
            done_rx.recv_timeout(wait).expect("both writers finished"),
        ];
        // Not the order the two report in: once the first's commit frees the lock, the
        // second can finish before the first's thread has even returned from COMMIT. What
        // proves the turn is what each saw, and how long the second was held.
        finished.sort_by_key(|(name, ..)| *name != "first");
        let [(_, first_saw, _), (_, second_saw, second_done)] = finished;
        assert_eq!(
            (first_saw, second_saw),
            (1, 2),
            "the second waited for the first and saw its write"
        );
        assert!(
            second_done.duration_since(started) >= HOLD / 2,
            "the second was held back"
        );
    });
}

fn lock_registry_makes_writers_take_turns(db: &Db) {
    // Deciding on the registry as a whole: how many clients there are, then adding one.
    writers_take_turns(
        db,
        |tx| tx.lock_registry(),
        |tx| {
            let next = tx.count_clients()? + 1;
            add_client(tx, &format!("c{next}"), "", 1);
            Ok(i64::try_from(next).unwrap())
        },
    );
    assert_eq!(read(&mut db.open(), |tx| tx.count_clients()), 2);
}

fn client_for_update_makes_writers_take_turns(db: &Db) {
    write(&mut db.open(), |tx| {
        add_client(tx, "c1", "", 1);
        Ok(())
    });
    // Deciding on what a client row holds: its revision, then changing it.
    writers_take_turns(
        db,
        |tx| tx.client_for_update("c1").map(|_| ()),
        |tx| {
            let revision = tx.client_for_update("c1")?.expect("c1 exists").revision;
            tx.update_metadata("c1", &metadata(json!({})), AuthMethod::None, 2)?;
            Ok(revision)
        },
    );
    assert_eq!(
        read(&mut db.open(), |tx| tx.client("c1")).unwrap().revision,
        3
    );
}

conformance_tests! {
    a_failed_write_leaves_nothing_behind,
    a_batch_keeps_the_jobs_that_succeeded_and_drops_the_others,
    a_read_sees_one_snapshot,
    lock_registry_makes_writers_take_turns,
    client_for_update_makes_writers_take_turns,
}

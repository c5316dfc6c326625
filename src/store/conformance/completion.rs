//! Shell completion's reads: client ids by prefix in byte order, bounded, from a registry
//! opened without creating or migrating anything.

use super::{add_client, conformance_tests, write, Db, Kind};
use crate::store::Store;

fn ids_by_prefix_are_in_byte_order_and_bounded(store: &mut Store) {
    write(store, |tx| {
        for id in ["b", "ab", "a-1", "a", "aa", "A", "a~"] {
            add_client(tx, id, "", 100);
        }
        Ok(())
    });
    let mut ids = |prefix: &str, limit: usize| {
        store
            .read(|tx| tx.client_ids_starting_with(prefix, limit))
            .expect("read")
    };
    assert_eq!(ids("a", 10), ["a", "a-1", "aa", "ab", "a~"]);
    assert_eq!(ids("a", 2), ["a", "a-1"]);
    assert_eq!(ids("", 3), ["A", "a", "a-1"]);
    assert_eq!(ids("a-", 10), ["a-1"]);
    assert!(ids("z", 10).is_empty());
    assert!(ids("a\0", 10).is_empty());
    assert!(ids("a", 0).is_empty());
}

/// Whether the registry exists: the SQLite file, or any table in the PostgreSQL schema.
fn exists(db: &Db) -> bool {
    match db.kind() {
        Kind::Sqlite => match &db.location {
            crate::store::Location::Sqlite(path) => path.exists(),
            crate::store::Location::Postgres(_) => unreachable!(),
        },
        Kind::Postgres => {
            db.query_i64("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()") > 0
        }
    }
}

fn opening_to_read_creates_and_migrates_nothing(db: &Db) {
    assert!(Store::open_to_read(&db.location).unwrap().is_none());
    assert!(!exists(db), "opening to read created the registry");
    write(&mut db.open(), |tx| {
        add_client(tx, "c1", "", 100);
        Ok(())
    });
    let mut store = Store::open_to_read(&db.location)
        .unwrap()
        .expect("a registry to read");
    let ids = store
        .read(|tx| tx.client_ids_starting_with("c", 10))
        .unwrap();
    assert_eq!(ids, ["c1"]);
    // An older (or newer) schema is left for a command that migrates, or refuses, it.
    db.execute(match db.kind() {
        Kind::Sqlite => "PRAGMA user_version = 0",
        Kind::Postgres => "UPDATE dcrctl_schema SET version = 0",
    });
    assert!(Store::open_to_read(&db.location).unwrap().is_none());
}

conformance_tests!(
    ids_by_prefix_are_in_byte_order_and_bounded,
    opening_to_read_creates_and_migrates_nothing,
);

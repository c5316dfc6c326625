//! Opening: migrating once, refusing a newer schema or someone else's tables without
//! touching them, and backups.

use super::{add_client, conformance_tests, read, write, Db, Kind};
use crate::model::Entity;
use crate::store::{Store, StoreError};

/// How many tables the registry's database (the file, or the schema) holds.
fn tables(db: &Db) -> i64 {
    db.query_i64(match db.kind() {
        Kind::Sqlite => "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
        Kind::Postgres => "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()",
    })
}

/// The recorded schema version.
fn version(db: &Db) -> i64 {
    db.query_i64(match db.kind() {
        Kind::Sqlite => "PRAGMA user_version",
        Kind::Postgres => "SELECT max(version)::bigint FROM dcrctl_schema",
    })
}

fn set_version(db: &Db, version: i64) {
    db.execute(&match db.kind() {
        Kind::Sqlite => format!("PRAGMA user_version = {version}"),
        Kind::Postgres => format!("UPDATE dcrctl_schema SET version = {version}"),
    });
}

fn with_one_client(db: &Db) {
    write(&mut db.open(), |tx| {
        add_client(tx, "c1", "kept", 100);
        Ok(())
    });
}

fn opening_again_keeps_the_data_and_migrates_nothing(db: &Db) {
    with_one_client(db);
    let (before, at) = (tables(db), version(db));
    assert_eq!(at, 1);
    let mut store = db.open();
    assert_eq!((tables(db), version(db)), (before, at));
    let client = read(&mut store, |tx| tx.client("c1")).expect("c1 kept");
    assert_eq!(client.client_name(), Some("kept"));
    assert_eq!(store.check_integrity().unwrap().schema_version, 1);
}

fn a_newer_schema_is_refused_and_left_alone(db: &Db) {
    with_one_client(db);
    set_version(db, 99);
    let before = tables(db);
    match db.try_open() {
        Err(StoreError::TooNew {
            found, supported, ..
        }) => assert_eq!((found, supported), (99, 1)),
        other => panic!("expected TooNew, got {other:?}"),
    }
    assert_eq!(version(db), 99, "the version is left as found");
    assert_eq!(tables(db), before);
    assert_eq!(db.query_i64("SELECT count(*) FROM clients"), 1);
    // Brought back to a version this binary knows, it opens with its data.
    set_version(db, 1);
    let mut store = db.open();
    assert!(read(&mut store, |tx| tx.client_exists("c1")));
}

fn a_database_holding_other_tables_is_refused(db: &Db) {
    db.execute("CREATE TABLE inventory (item TEXT); INSERT INTO inventory VALUES ('lamp')");
    for _ in 0..2 {
        match db.try_open() {
            Err(StoreError::NotADatabase { reason, .. }) => {
                assert_eq!(reason, "it already holds other tables");
            }
            other => panic!("expected NotADatabase, got {other:?}"),
        }
    }
    assert_eq!(tables(db), 1, "nothing was created beside it");
    assert_eq!(db.query_i64("SELECT count(*) FROM inventory"), 1);
}

/// A backup is a SQLite file copied online; a PostgreSQL registry has pg_dump instead, and
/// says so rather than writing anything.
fn a_backup_is_a_sqlite_copy_or_refused(store: &mut Store) {
    write(store, |tx| {
        add_client(tx, "c1", "", 100);
        Ok(())
    });
    let dir = tempfile::tempdir().unwrap();
    let destination = dir.path().join("copy.db");
    match store.backup_to(&destination) {
        Ok(()) => {
            let mut copy = Store::open(&destination).unwrap();
            assert!(read(&mut copy, |tx| tx.client_exists("c1")));
            match store.backup_to(&destination) {
                Err(StoreError::Conflict {
                    what: Entity::File, ..
                }) => {}
                other => panic!("expected a conflict, got {other:?}"),
            }
        }
        Err(StoreError::Unsupported(message)) => {
            assert!(message.contains("pg_dump"), "{message}");
            assert!(!destination.exists());
        }
        Err(other) => panic!("backup failed: {other}"),
    }
}

/// Issue 17: only a caller that asks to create a registry gets one; any other finds none where
/// there is no file, or only an empty file or schema, and leaves it as it was.
fn a_missing_registry_is_created_only_when_asked(db: &Db) {
    for _ in 0..2 {
        match Store::open_existing(&db.location) {
            Err(StoreError::Missing { .. }) => {}
            other => panic!("expected Missing, got {other:?}"),
        }
        // Counting opens the file behind the store's back: the second round finds an empty one.
        assert_eq!(tables(db), 0, "nothing was created");
    }
    let (_, created) = Store::open_or_create(&db.location).expect("create");
    assert!(
        created,
        "the first creating open says it created the registry"
    );
    let (_, created) = Store::open_or_create(&db.location).expect("reopen");
    assert!(!created, "a second one finds it");
    let mut store = Store::open_existing(&db.location).expect("an existing registry opens");
    assert_eq!(store.check_integrity().unwrap().schema_version, 1);
}

conformance_tests! {
    a_missing_registry_is_created_only_when_asked,
    opening_again_keeps_the_data_and_migrates_nothing,
    a_newer_schema_is_refused_and_left_alone,
    a_database_holding_other_tables_is_refused,
    a_backup_is_a_sqlite_copy_or_refused,
}

//! The store's conformance suite: every operation of [`Store`] and [`Tx`], run with the same
//! assertions against each backend, so that a caller cannot tell which one it is talking to.
//!
//! Each test is a plain function taking the store (or a [`Db`], when it needs to open a second
//! connection, reopen, or reach behind the store with raw SQL), and `conformance!` makes two
//! `#[test]`s of it: `sqlite::name` on a temporary file and `postgres::name` in a scratch
//! schema. The PostgreSQL half runs when the build saw `DCRCTL_TEST_POSTGRES`
//! (`cfg(dcrctl_pg)`) and is listed as ignored, with how to run it, otherwise.
//!
//! SQLite is the reference: where the backends differed, PostgreSQL was brought in line.

mod apply;
mod clients;
mod completion;
mod events;
mod listing;
mod opening;
mod prune;
mod secrets;
mod tokens;
mod transactions;

use super::{Location, NewClient, ScratchSchema, Store, Tx};
use crate::model::RegisteredVia;
use crate::registration::{AuthMethod, MetadataDoc};

/// Which backend a [`Db`] is, for the few contracts that differ on purpose (backups) and for
/// raw SQL that only one dialect spells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Sqlite,
    Postgres,
}

/// A registry location of one test's own, and what cleans it up.
pub(super) struct Db {
    kind: Kind,
    location: Location,
    scratch: Scratch,
}

enum Scratch {
    Sqlite(tempfile::TempDir),
    Postgres(ScratchSchema),
}

impl Db {
    fn sqlite() -> Db {
        let dir = tempfile::tempdir().expect("a temporary directory");
        Db {
            kind: Kind::Sqlite,
            location: Location::Sqlite(dir.path().join(FILE)),
            scratch: Scratch::Sqlite(dir),
        }
    }

    fn postgres() -> Db {
        let schema = ScratchSchema::new();
        Db {
            kind: Kind::Postgres,
            location: Location::Postgres(schema.url()),
            scratch: Scratch::Postgres(schema),
        }
    }

    pub(super) fn kind(&self) -> Kind {
        self.kind
    }

    /// A new connection to the registry, created on first use.
    pub(super) fn open(&self) -> Store {
        Store::open(&self.location).expect("open the store")
    }

    /// Open without unwrapping, for tests of what opening refuses.
    pub(super) fn try_open(&self) -> Result<Store, super::StoreError> {
        Store::open(&self.location)
    }

    /// Run `sql` (one or more statements) on a connection of the test's own, behind the
    /// store's back: what another program could do to the documented schema.
    pub(super) fn execute(&self, sql: &str) {
        match &self.scratch {
            Scratch::Sqlite(dir) => sqlite_connection(dir).execute_batch(sql).expect(sql),
            Scratch::Postgres(schema) => schema.client().batch_execute(sql).expect(sql),
        }
    }

    /// The single integer `sql` selects, read on a connection of the test's own.
    pub(super) fn query_i64(&self, sql: &str) -> i64 {
        match &self.scratch {
            Scratch::Sqlite(dir) => sqlite_connection(dir)
                .query_row(sql, [], |row| row.get(0))
                .expect(sql),
            Scratch::Postgres(schema) => schema.client().query_one(sql, &[]).expect(sql).get(0),
        }
    }
}

/// The registry's file in a SQLite [`Db`]'s directory.
const FILE: &str = "clients.db";

fn sqlite_connection(dir: &tempfile::TempDir) -> rusqlite::Connection {
    rusqlite::Connection::open(dir.path().join(FILE)).expect("open the file")
}

/// What a test body takes; `M` only tells the two shapes apart, so that a plain `fn` of
/// either shape can be passed.
pub(super) trait Body<M> {
    fn run(self, db: &Db);
}

pub(super) struct TakesStore;
pub(super) struct TakesDb;

impl<F: FnOnce(&mut Store)> Body<TakesStore> for F {
    fn run(self, db: &Db) {
        self(&mut db.open());
    }
}

impl<F: FnOnce(&Db)> Body<TakesDb> for F {
    fn run(self, db: &Db) {
        self(db);
    }
}

pub(super) fn on_sqlite<M>(body: impl Body<M>) {
    body.run(&Db::sqlite());
}

pub(super) fn on_postgres<M>(body: impl Body<M>) {
    body.run(&Db::postgres());
}

/// Two `#[test]`s per listed body of the enclosing module: `sqlite::body`, `postgres::body`.
macro_rules! conformance_tests {
    ($($body:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $body() {
                    $crate::store::conformance::on_sqlite(super::$body);
                }
            )*
        }

        mod postgres {
            $(
                #[test]
                #[cfg_attr(
                    not(dcrctl_pg),
                    ignore = "needs PostgreSQL: eval \"$(scripts/postgres.sh start)\" then cargo test"
                )]
                fn $body() {
                    $crate::store::conformance::on_postgres(super::$body);
                }
            )*
        }
    };
}
pub(super) use conformance_tests;

/// Metadata from a JSON object literal.
pub(super) fn metadata(value: serde_json::Value) -> MetadataDoc {
    match value {
        serde_json::Value::Object(map) => map,
        other => panic!("metadata must be an object, not {other}"),
    }
}

/// Insert a confidential client named `name` (none when empty), registered at `issued_at`
/// over HTTP, with secret expiry `secret_expires_at` and no secret row.
pub(super) fn add_client(tx: &Tx<'_>, id: &str, name: &str, issued_at: i64) {
    let mut doc = serde_json::json!({ "redirect_uris": ["https://app.example/cb"] });
    if !name.is_empty() {
        doc["client_name"] = name.into();
    }
    insert(
        tx,
        id,
        &metadata(doc),
        issued_at,
        Some(0),
        RegisteredVia::Http,
    );
}

/// Insert a client with `metadata`; panics on any failure.
pub(super) fn insert(
    tx: &Tx<'_>,
    id: &str,
    metadata: &MetadataDoc,
    issued_at: i64,
    secret_expires_at: Option<i64>,
    registered_via: RegisteredVia,
) {
    tx.insert_client(&NewClient {
        client_id: id,
        metadata,
        auth_method: AuthMethod::ClientSecretBasic,
        issued_at,
        secret_expires_at,
        registration_token_hash: &format!("sha256:rat-{id}"),
        registered_via,
    })
    .unwrap_or_else(|error| panic!("insert {id}: {error}"));
}

/// Run `work` in a write transaction that must succeed.
pub(super) fn write<T>(
    store: &mut Store,
    work: impl FnOnce(&Tx<'_>) -> Result<T, super::StoreError>,
) -> T {
    store.write(work).expect("write transaction")
}

/// Run `work` in a read transaction that must succeed.
pub(super) fn read<T>(
    store: &mut Store,
    work: impl FnOnce(&Tx<'_>) -> Result<T, super::StoreError>,
) -> T {
    store.read(work).expect("read transaction")
}

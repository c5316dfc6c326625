//! A scratch schema on the test server, for any test that needs a PostgreSQL registry of its
//! own: tests run in parallel in one database, so each gets a schema nobody else uses, and
//! the schema goes away with the test, whether it passed or panicked.
//!
//! The server is the one `DCRCTL_TEST_POSTGRES` names (start one with
//! `eval "$(scripts/postgres.sh start)"`); its role must be allowed to `CREATE SCHEMA`.

use std::sync::atomic::{AtomicU32, Ordering};

/// Tells apart the schemas of one test process; the process id tells apart processes.
static NEXT: AtomicU32 = AtomicU32::new(0);

/// A schema created for one test and dropped (`CASCADE`) when this is dropped.
#[derive(Debug)]
pub(crate) struct ScratchSchema {
    server: String,
    name: String,
}

impl ScratchSchema {
    /// Create a new, empty schema on the test server.
    ///
    /// # Panics
    /// When `DCRCTL_TEST_POSTGRES` is unset or the server refuses: a test that asked for
    /// PostgreSQL must not pass without it.
    pub(crate) fn new() -> ScratchSchema {
        let server = std::env::var("DCRCTL_TEST_POSTGRES")
            .ok()
            .filter(|url| !url.is_empty())
            .expect("DCRCTL_TEST_POSTGRES must name a PostgreSQL server (scripts/postgres.sh)");
        let name = format!(
            "dcrctl_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        // A process that died before dropping its schemas may have had this process id.
        connect(&server)
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"
            ))
            .expect("create a scratch schema");
        ScratchSchema { server, name }
    }

    /// A URL for the test server whose sessions work in this schema only: its `search_path`
    /// is the schema, so `Store::open` creates and finds the registry there.
    pub(crate) fn url(&self) -> String {
        let separator = if self.server.contains('?') { '&' } else { '?' };
        format!(
            "{}{separator}options=-csearch_path%3D{}",
            self.server, self.name
        )
    }

    /// A connection of the test's own in this schema, for what a test does behind the
    /// store's back (raw SQL, a second session).
    pub(crate) fn client(&self) -> postgres::Client {
        connect(&self.url())
    }
}

impl Drop for ScratchSchema {
    fn drop(&mut self) {
        let dropped = postgres::Client::connect(&self.server, postgres::NoTls).and_then(|mut c| {
            c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name))
        });
        // Panicking here would abort a test that is already unwinding; a leftover schema is
        // only clutter, dropped by the next process that draws the same name.
        if let Err(error) = dropped {
            eprintln!("could not drop scratch schema {}: {error}", self.name);
        }
    }
}

fn connect(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls)
        .unwrap_or_else(|error| panic!("connect to the test PostgreSQL server: {error}"))
}

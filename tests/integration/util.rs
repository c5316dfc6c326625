//! The test harness: each test gets its own temp folder, database and hermetic environment.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A temp folder with a database and a way to run `dcrctl` against it. The database is a
/// SQLite file in the folder, or, with `DCRCTL_TEST_BACKEND=postgres`, a fresh schema on the
/// server `DCRCTL_TEST_POSTGRES` names: the same tests then run on PostgreSQL.
pub(crate) struct TestEnv {
    dir: TempDir,
    postgres: Option<PgSchema>,
}

/// A schema of its own on the test server, dropped with the env.
pub(crate) struct PgSchema {
    base: String,
    name: String,
    url: String,
}

impl PgSchema {
    fn create() -> PgSchema {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let base = std::env::var("DCRCTL_TEST_POSTGRES").expect(
            "DCRCTL_TEST_BACKEND=postgres needs DCRCTL_TEST_POSTGRES: eval \"$(scripts/postgres.sh start)\"",
        );
        let name = format!(
            "it_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let mut client =
            postgres::Client::connect(&base, postgres::NoTls).expect("reach PostgreSQL");
        client
            .batch_execute(&format!("CREATE SCHEMA {name}"))
            .expect("create schema");
        let separator = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{separator}options=-csearch_path%3D{name}");
        PgSchema { base, name, url }
    }

    pub(crate) fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).expect("reach PostgreSQL")
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&self.base, postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP SCHEMA {} CASCADE", self.name));
        }
    }
}

/// Ends the test, saying so, when the run is on PostgreSQL: for what only a SQLite file has
/// (its bytes, its locks, its pragmas, SQL only SQLite speaks). The store's conformance suite
/// checks the same behaviour of both backends below the CLI.
macro_rules! sqlite_only {
    ($why:literal) => {
        if $crate::util::on_postgres() {
            eprintln!(concat!("skipped on PostgreSQL: ", $why));
            return;
        }
    };
}
pub(crate) use sqlite_only;

/// Whether this run puts every env's database on PostgreSQL.
pub(crate) fn on_postgres() -> bool {
    std::env::var("DCRCTL_TEST_BACKEND").is_ok_and(|backend| backend == "postgres")
}

/// What a finished `dcrctl` run produced.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    /// stdout parsed as exactly one JSON document.
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{}", self.stdout))
    }

    /// Assert success and return self.
    #[track_caller]
    pub(crate) fn ok(self) -> Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Assert the exit code, and that an error ends in exactly one `error:` line on stderr.
    #[track_caller]
    pub(crate) fn fails(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "wrong exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        assert!(
            self.stderr.starts_with("error:") || self.stderr.contains("\nerror:"),
            "no error: line on stderr:\n{}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "panic:\n{}", self.stderr);
        self
    }
}

impl TestEnv {
    pub(crate) fn new() -> Self {
        TestEnv {
            dir: tempfile::tempdir().expect("temp dir"),
            postgres: on_postgres().then(PgSchema::create),
        }
    }

    /// An env on a fresh PostgreSQL schema whatever the run's backend: for what only a
    /// shared server can show (several nodes on one registry).
    pub(crate) fn on_postgres_schema() -> Self {
        TestEnv {
            dir: tempfile::tempdir().expect("temp dir"),
            postgres: Some(PgSchema::create()),
        }
    }

    /// The database as `--db` and `DCRCTL_DB` take it.
    pub(crate) fn location(&self) -> std::ffi::OsString {
        match &self.postgres {
            Some(schema) => schema.url.clone().into(),
            None => self.db().into_os_string(),
        }
    }

    /// The PostgreSQL schema of this env, when the run is on PostgreSQL.
    pub(crate) fn postgres(&self) -> Option<&PgSchema> {
        self.postgres.as_ref()
    }

    pub(crate) fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn db(&self) -> PathBuf {
        self.dir.path().join("data").join("clients.db")
    }

    /// A `dcrctl` command with a hermetic environment pointing at this env's database.
    pub(crate) fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// [`TestEnv::cmd`] as a plain `std::process::Command`, for tests that choose its stdout.
    pub(crate) fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("dcrctl"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("xdg"))
            .env("DCRCTL_DB", self.location())
            .env("USER", "tester")
            .env("NO_COLOR", "1")
            .current_dir(self.dir.path());
        cmd
    }

    /// Run `dcrctl ARGS` with empty stdin.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        self.run_stdin(args, "")
    }

    /// Run `dcrctl ARGS` as if `seconds` later than now (the debug binary's test clock), to
    /// step past an expiry without sleeping.
    pub(crate) fn run_later(&self, seconds: i64, args: &[&str], stdin: &str) -> Run {
        self.output(
            self.cmd()
                .env("DCRCTL_TEST_CLOCK_SKEW", seconds.to_string())
                .args(args)
                .write_stdin(stdin),
        )
    }

    /// Run `dcrctl ARGS` with `stdin`.
    pub(crate) fn run_stdin(&self, args: &[&str], stdin: &str) -> Run {
        self.output(self.cmd().args(args).write_stdin(stdin))
    }

    fn output(&self, command: &mut Command) -> Run {
        let output = command.output().expect("run dcrctl");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Register a confidential web client named `name`; returns the JSON response.
    pub(crate) fn register(&self, name: &str) -> Value {
        self.run(&[
            "-o",
            "json",
            "register",
            "--client-name",
            name,
            "--redirect-uri",
            "https://app.example.com/callback",
        ])
        .ok()
        .json()
    }

    /// Run `statements` (SQL that both backends accept) on the database directly, as another
    /// program sharing the documented schema would.
    #[track_caller]
    pub(crate) fn sql(&self, statements: &str) {
        match &self.postgres {
            Some(schema) => schema.client().batch_execute(statements).unwrap(),
            None => rusqlite::Connection::open(self.db())
                .unwrap()
                .execute_batch(statements)
                .unwrap(),
        }
    }

    /// The rows `query` returns, every value as text (`None` for NULL).
    #[track_caller]
    pub(crate) fn rows(&self, query: &str) -> Vec<Vec<Option<String>>> {
        if let Some(schema) = &self.postgres {
            return schema
                .client()
                .simple_query(query)
                .unwrap()
                .into_iter()
                .filter_map(|message| match message {
                    postgres::SimpleQueryMessage::Row(row) => Some(
                        (0..row.len())
                            .map(|i| row.get(i).map(str::to_owned))
                            .collect(),
                    ),
                    _ => None,
                })
                .collect();
        }
        let conn = rusqlite::Connection::open(self.db()).unwrap();
        let mut statement = conn.prepare(query).unwrap();
        let columns = statement.column_count();
        statement
            .query_map([], |row| {
                (0..columns)
                    .map(|i| {
                        Ok(match row.get::<_, rusqlite::types::Value>(i)? {
                            rusqlite::types::Value::Null => None,
                            rusqlite::types::Value::Integer(n) => Some(n.to_string()),
                            rusqlite::types::Value::Real(x) => Some(x.to_string()),
                            rusqlite::types::Value::Text(text) => Some(text),
                            rusqlite::types::Value::Blob(bytes) => {
                                Some(String::from_utf8_lossy(&bytes).into_owned())
                            }
                        })
                    })
                    .collect()
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// The first value of the first row of `query`, parsed.
    #[track_caller]
    pub(crate) fn value<T: std::str::FromStr>(&self, query: &str) -> T
    where
        T::Err: std::fmt::Debug,
    {
        let rows = self.rows(query);
        let text = rows
            .first()
            .and_then(|row| row.first().cloned().flatten())
            .unwrap_or_else(|| panic!("no value from {query}"));
        text.parse().unwrap()
    }

    /// Every row of every table, as text: what "the database is unchanged" compares.
    pub(crate) fn snapshot(&self) -> String {
        if let Some(schema) = &self.postgres {
            return postgres_snapshot(schema);
        }
        if !self.db().exists() {
            return String::new();
        }
        let conn = rusqlite::Connection::open(self.db()).expect("open db");
        let mut tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        tables.sort();
        let mut out = String::new();
        for table in tables {
            let mut statement = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
            let columns = statement.column_count();
            let rows = statement
                .query_map([], |row| {
                    (0..columns)
                        .map(|i| {
                            row.get::<_, rusqlite::types::Value>(i)
                                .map(|v| format!("{v:?}"))
                        })
                        .collect::<Result<Vec<_>, _>>()
                })
                .unwrap();
            for row in rows {
                out.push_str(&format!("{table}: {}\n", row.unwrap().join(" | ")));
            }
        }
        out
    }

    /// Run `check` and assert the database did not change.
    #[track_caller]
    pub(crate) fn unchanged<T>(&self, check: impl FnOnce() -> T) -> T {
        let before = self.snapshot();
        let result = check();
        assert_eq!(before, self.snapshot(), "the database changed");
        result
    }
}

/// Every row of every table of `schema`, as text, in a stable order.
fn postgres_snapshot(schema: &PgSchema) -> String {
    let mut client = schema.client();
    let tables: Vec<String> = client
        .query(
            // The version row is PostgreSQL's `PRAGMA user_version`, which SQLite's
            // snapshot does not list either.
            "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() \
             AND tablename <> 'dcrctl_schema' ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    let mut out = String::new();
    for table in tables {
        let rows = client
            .query(
                &format!("SELECT t::text FROM \"{table}\" t ORDER BY 1"),
                &[],
            )
            .unwrap();
        for row in rows {
            out.push_str(&format!("{table}: {}\n", row.get::<_, String>(0)));
        }
    }
    out
}

/// `text` with every secret and token (by their scanner-friendly prefixes) blanked, so a
/// failure message can quote output without leaking a credential.
pub(crate) fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = ["dcrsec_", "dcrrat_", "dcriat_"]
        .iter()
        .filter_map(|prefix| rest.find(prefix))
        .min()
    {
        out.push_str(&rest[..at]);
        out.push_str("[redacted]");
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(tail.len());
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// Run `check` on every named case, and fail once at the end listing each case that failed,
/// so one broken row never hides the others.
#[track_caller]
pub(crate) fn all_cases<C>(cases: &[(&str, C)], mut check: impl FnMut(&C)) {
    let mut failed = Vec::new();
    for (name, case) in cases {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(case)));
        if let Err(panic) = outcome {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            failed.push(format!("[{name}] {}", redact(&message)));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} cases failed:\n{}",
        failed.len(),
        cases.len(),
        failed.join("\n")
    );
}

/// Whether the long soaks (contention, crash rounds) run at full length: `DCRCTL_SOAK=1`.
/// `cargo test` runs them short; `.ci/run` runs them again in full.
pub(crate) fn soak() -> bool {
    std::env::var_os("DCRCTL_SOAK").is_some_and(|v| v == "1")
}

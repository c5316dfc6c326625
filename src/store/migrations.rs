//! The schema history: append-only, one entry per `user_version`.
//!
//! Entry `i` takes a database from version `i` to `i + 1`. Never edit or reorder an entry
//! that has shipped; a new schema is a new entry, and every change must leave older readers
//! of the documented tables working (add columns and tables, never repurpose them).

/// Migrations in order; the schema version is their count.
pub(super) const MIGRATIONS: &[&str] = &[include_str!("sql/001_initial.sql")];

/// The schema version this binary writes.
pub(crate) const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// `PRAGMA application_id` of dcrctl databases: "dcrc".
pub(super) const APPLICATION_ID: i64 = 0x6463_7263;

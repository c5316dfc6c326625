//! The one place that speaks SQL: opening the database file safely, migrating it, and the
//! transaction type every operation runs in.
//!
//! Guarantees: the file is created 0600 (its new folders 0700) before SQLite touches it; every
//! connection runs in WAL mode with `synchronous=FULL`, foreign keys on and a busy timeout, so
//! the CLI, a server and cron may share the file; writes take the write lock up front
//! (`BEGIN IMMEDIATE`), so a transaction never fails halfway with "database is locked"; a
//! database with a newer schema than this binary is refused before anything is written.
//!
//! Callers see only [`Store`], [`Tx`], [`StoreError`] and the neutral types of `types`; no
//! backend's type leaves this module, which keeps it the seam between backends. One module
//! per backend holds its SQL, its migrations and its tuning: `sqlite` today.

mod error;
mod location;
mod sqlite;
mod types;

pub(crate) use error::{ErrorClass, StoreError};
pub use location::Location;
pub use sqlite::{Store, Tx};
pub use types::{EventFilter, IntegrityReport, ListFilter, PruneCriteria, PruneReason};
pub(crate) use types::{NewClient, PrunePosition};

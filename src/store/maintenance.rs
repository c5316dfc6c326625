//! Queries for `prune`, `events`, `db check` and `db backup`.

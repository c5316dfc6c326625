//! Queries and writes for `apply` and `export`.

//! Rendering results for people (tables) and programs (one JSON document on stdout).
//!
//! Every string that reaches a table passes through [`sanitize::sanitize`]; every JSON
//! document through [`json::write_escaped`], which escapes the controls that serde_json
//! leaves raw (DEL and C1).

pub mod accounts;
pub mod columns;
pub mod fields;
pub mod json;
pub mod sanitize;
pub mod table;
pub mod width;

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Human-readable tables.
    #[default]
    Table,
    /// Exactly one JSON document.
    Json,
    /// Ids only, one per line (`kubectl -o name`).
    Name,
}

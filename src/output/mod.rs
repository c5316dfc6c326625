//! Rendering results for people (tables) and programs (one JSON document on stdout).
//!
//! Every string that reaches a table passes through [`sanitize::sanitize`]; JSON needs no
//! such care because its encoder escapes control characters itself.

pub mod json;
pub mod sanitize;
pub mod table;

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Human-readable tables.
    #[default]
    Table,
    /// Exactly one JSON document.
    Json,
}

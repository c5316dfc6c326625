//! dcrctl: an OAuth 2.0 client registry (RFC 7591 / RFC 7592) kept in one SQLite file.
//!
//! The crate is one core with adapters around it:
//!
//! * [`registration`] is pure: the client metadata model and every validation rule.
//! * [`credentials`] mints identifiers, secrets and tokens and hashes them.
//! * `store` is the only module that speaks SQL; it is also the seam for other backends.
//! * [`ops`] holds one function per operation; each runs in one write transaction with its
//!   audit row, and is what both the command line and the HTTP server call.
//! * [`output`] renders results as JSON or as tables safe for terminals.
//! * [`cli`] translates command-line arguments into [`ops`] calls.
//! * [`server`] is the HTTP face (RFC 7591 / RFC 7592) over the same [`ops`].

pub mod cli;
pub mod credentials;
pub mod error;
pub mod model;
pub mod ops;
pub mod output;
pub mod registration;
pub mod server;
pub(crate) mod store;
mod time;

pub use error::{Error, ErrorKind, Result};

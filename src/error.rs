//! The one error type of the library, and the outcome classes that both faces map from it.
//!
//! Each variant says which SPEC outcome it is; the command line turns [`ErrorKind`] into an
//! exit code in `cli::exit_code`, and the HTTP server into a status. Nothing else inspects
//! error messages.

use crate::registration::MetadataError;
use crate::store::StoreError;

/// Results of library calls.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in an operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A request that makes no sense as asked (exit 2, HTTP 400).
    #[error("{0}")]
    Usage(String),
    /// Client metadata broke a rule of RFC 7591 or the SPEC (exit 2, HTTP 400).
    #[error(transparent)]
    InvalidMetadata(#[from] MetadataError),
    /// No such client, token or account (exit 3; HTTP answers 401 for client ids).
    #[error("no such {what}: {id}")]
    NotFound {
        /// What was looked up.
        what: crate::model::Entity,
        /// The identifier as given.
        id: String,
    },
    /// The thing already exists (exit 4, HTTP 409).
    #[error("{what} already exists: {id}")]
    Conflict {
        /// What kind of thing.
        what: crate::model::Entity,
        /// The identifier that collided.
        id: String,
    },
    /// The user said no, or could not be asked (exit 5).
    #[error("{0}")]
    Declined(String),
    /// A presented secret did not match (exit 6, HTTP 401).
    #[error("credential rejected")]
    CredentialRejected,
    /// A presented secret matched one of the client's, but it has expired (exit 6, HTTP 401
    /// with the same answer as [`Error::CredentialRejected`]).
    #[error("credential rejected: the secret of client {client_id} has expired")]
    CredentialExpired {
        /// The client whose secret it was.
        client_id: String,
    },
    /// The client changed since the caller read it (HTTP 412).
    #[error("the client was changed by someone else")]
    PreconditionFailed,
    /// The caller is known but a limit of the server forbids the change, such as
    /// `serve --max-clients` (HTTP 403; the command line never meets it, exit 1).
    #[error("{0}")]
    Forbidden(String),
    /// The storage layer failed (exit 1, HTTP 500).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing output or reading input failed (exit 1).
    // Transparent, not "{0}": the I/O error would otherwise be both the message and the
    // source, and `{:#}` would print it twice.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// A new credential could not be handed over, so its transaction was rolled back
    /// (exit 1). A message, not an I/O source: a broken pipe here is a failure, not the quiet
    /// end of a `| head`.
    #[error("could not write the output, so nothing was changed: {0}")]
    Undelivered(String),
}

/// The outcome classes of the SPEC, independent of how a face reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad arguments or request shape.
    Usage,
    /// Metadata failed validation.
    InvalidMetadata,
    /// Unknown client, token or account.
    NotFound,
    /// Already exists.
    Conflict,
    /// Confirmation declined or impossible.
    Declined,
    /// Secret or token rejected.
    CredentialRejected,
    /// Optimistic concurrency check failed.
    PreconditionFailed,
    /// Valid caller, but a server limit forbids it.
    Forbidden,
    /// Environment failure: I/O, database.
    Internal,
}

impl Error {
    /// The outcome class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Usage(_) => ErrorKind::Usage,
            Error::InvalidMetadata(_) => ErrorKind::InvalidMetadata,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::Conflict { .. } => ErrorKind::Conflict,
            Error::Declined(_) => ErrorKind::Declined,
            Error::CredentialRejected | Error::CredentialExpired { .. } => {
                ErrorKind::CredentialRejected
            }
            Error::PreconditionFailed => ErrorKind::PreconditionFailed,
            Error::Forbidden(_) => ErrorKind::Forbidden,
            Error::Store(StoreError::Conflict { .. }) => ErrorKind::Conflict,
            Error::Store(StoreError::Unsupported(_) | StoreError::InvalidLocation(_)) => {
                ErrorKind::Usage
            }
            Error::Store(_) | Error::Io(_) | Error::Undelivered(_) => ErrorKind::Internal,
        }
    }

    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Error::Usage(message.into())
    }

    pub(crate) fn client_not_found(id: &str) -> Self {
        Error::NotFound {
            what: crate::model::Entity::Client,
            id: id.to_owned(),
        }
    }
}

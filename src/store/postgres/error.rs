//! PostgreSQL failures as store errors, classified by SQLSTATE.

use crate::store::{ErrorClass, StoreError};
use postgres::error::SqlState;

/// A PostgreSQL error with the server's own message in its `Display` (the client's says
/// only "db error"), kept whole as the source.
#[derive(Debug)]
pub(super) struct PgError {
    message: String,
    source: postgres::Error,
}

impl std::fmt::Display for PgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PgError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

impl From<postgres::Error> for StoreError {
    fn from(error: postgres::Error) -> Self {
        let class = class_of(&error);
        let message = match error.as_db_error() {
            Some(db) => format!("{}: {}", db.severity(), db.message()),
            None => match std::error::Error::source(&error) {
                Some(source) => format!("{error}: {source}"),
                None => error.to_string(),
            },
        };
        StoreError::Backend {
            class,
            error: Box::new(PgError {
                message,
                source: error,
            }),
        }
    }
}

fn class_of(error: &postgres::Error) -> ErrorClass {
    match error.code() {
        Some(code) if *code == SqlState::UNIQUE_VIOLATION => ErrorClass::UniqueViolation,
        Some(code)
            if *code == SqlState::T_R_SERIALIZATION_FAILURE
                || *code == SqlState::T_R_DEADLOCK_DETECTED =>
        {
            ErrorClass::Retryable
        }
        Some(code)
            if *code == SqlState::LOCK_NOT_AVAILABLE || *code == SqlState::QUERY_CANCELED =>
        {
            ErrorClass::Busy
        }
        _ => ErrorClass::Other,
    }
}

/// `message` with any copy of `url` in it masked, for errors about the URL itself.
pub(super) fn without_url(message: &str, url: &str) -> String {
    if url.is_empty() {
        return message.to_owned();
    }
    message.replace(url, "<the URL>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_quoted_in_a_message_is_masked() {
        let url = "postgres://u:secret@h/db";
        assert_eq!(without_url(&format!("bad {url}!"), url), "bad <the URL>!");
    }
}

//! Where a registry lives: a SQLite file, or a PostgreSQL database named by a
//! `postgres://` / `postgresql://` URL (SPEC §6). The password a URL may carry never leaves
//! this type: `Display` and `Debug` show `***` in its place, so no message, log line or
//! error built from a location can reveal it.

use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};

/// A registry's location, from `--db` or `DCRCTL_DB`.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite database file.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL, kept whole (password included) for connecting only.
    Postgres(String),
}

impl Location {
    /// A `postgres://` or `postgresql://` URL names PostgreSQL (case-insensitively, as libpq
    /// reads the scheme); anything else is a SQLite path, as it always was.
    pub fn parse(text: &OsStr) -> Location {
        if let Some(text) = text.to_str() {
            let lower = text.get(..13).unwrap_or(text).to_ascii_lowercase();
            if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
                return Location::Postgres(text.to_owned());
            }
        }
        Location::Sqlite(PathBuf::from(text))
    }
}

impl From<&Path> for Location {
    fn from(path: &Path) -> Location {
        Location::Sqlite(path.to_owned())
    }
}

impl From<&PathBuf> for Location {
    fn from(path: &PathBuf) -> Location {
        Location::Sqlite(path.clone())
    }
}

impl From<&Location> for Location {
    fn from(location: &Location) -> Location {
        location.clone()
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => f.write_str(&redacted(url)),
        }
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            Location::Postgres(url) => f.debug_tuple("Postgres").field(&redacted(url)).finish(),
        }
    }
}

/// `url` with the password of its user info, and any `password=` query parameter, replaced
/// by `***`.
fn redacted(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((user_info, host)) => match user_info.split_once(':') {
            Some((user, _password)) => format!("{user}:***@{host}"),
            None => format!("{user_info}@{host}"),
        },
        None => authority.to_owned(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                    _ => pair.to_owned(),
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => tail.to_owned(),
    };
    format!("{scheme}://{authority}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location(text: &str) -> Location {
        Location::parse(OsStr::new(text))
    }

    #[test]
    fn urls_name_postgres_and_anything_else_is_a_sqlite_path() {
        for url in [
            "postgres://u@h/db",
            "postgresql://h:5432/db?sslmode=require",
            "POSTGRES://u@h/db",
        ] {
            assert!(matches!(location(url), Location::Postgres(_)), "{url}");
        }
        for path in [
            "clients.db",
            "/var/lib/dcrctl/x.db",
            "postgres",
            "postgres:/x",
            "./postgres://x",
        ] {
            assert_eq!(
                location(path),
                Location::Sqlite(PathBuf::from(path)),
                "{path}"
            );
        }
    }

    #[test]
    fn the_password_never_shows() {
        for (url, shown) in [
            (
                "postgres://app:s3cret@db.example:5432/registry",
                "postgres://app:***@db.example:5432/registry",
            ),
            (
                "postgresql://app:p%40ss@h/db?sslmode=verify-full",
                "postgresql://app:***@h/db?sslmode=verify-full",
            ),
            (
                "postgres://h/db?user=app&password=s3cret&sslmode=require",
                "postgres://h/db?user=app&password=***&sslmode=require",
            ),
            ("postgres://app@h/db", "postgres://app@h/db"),
            ("postgres://a:b:c@d@h/db", "postgres://a:***@h/db"),
        ] {
            let location = location(url);
            assert_eq!(location.to_string(), shown);
            let debug = format!("{location:?}");
            assert!(
                !debug.contains("s3cret") && !debug.contains("p%40ss") && !debug.contains(":b:c"),
                "{debug}"
            );
        }
    }
}

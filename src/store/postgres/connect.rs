//! Connecting as libpq users expect: the URL's parameters, then `PGHOST`, `PGPORT`,
//! `PGUSER`, `PGPASSWORD` and the password file (`PGPASSFILE`, else `~/.pgpass`) for what the
//! URL leaves out; TLS as `sslmode` and `sslrootcert` say (see `tls`).

use super::{Connection, Store, StoreError};
use postgres::config::Host;
use postgres::Config;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

impl Store {
    /// Connect to the database `url` names and bring its schema up to date; with `create`,
    /// a schema without dcrctl's tables gets them, and the answer says whether that
    /// happened. Without it, such a schema is [`StoreError::Missing`] and left empty.
    pub(crate) fn open(url: &str, create: bool) -> Result<(Store, bool), StoreError> {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let client = client(url, home.as_deref())?;
        let mut conn = Connection {
            client,
            statements: HashMap::new(),
        };
        let found = super::migrations::migrate(&mut conn, create)?;
        let store = Store {
            conn: RefCell::new(conn),
        };
        Ok((store, found == 0))
    }
}

/// A client connected to the database `url` names, `home` being where libpq's
/// `~/.postgresql/root.crt` is looked for.
pub(super) fn client(url: &str, home: Option<&Path>) -> Result<postgres::Client, StoreError> {
    client_within(url, home, None)
}

/// [`client`], giving up on a server that does not answer within `timeout` unless the URL
/// sets its own `connect_timeout`.
pub(super) fn client_within(
    url: &str,
    home: Option<&Path>,
    timeout: Option<std::time::Duration>,
) -> Result<postgres::Client, StoreError> {
    let (rest, tls) = super::tls::split_url(url)?;
    let mut config = config(&rest, url)?;
    if let (Some(timeout), None) = (timeout, config.get_connect_timeout()) {
        config.connect_timeout(timeout);
    }
    // With a `hostaddr` the connection is TCP whatever `host` says.
    let unix_only = config.get_hostaddrs().is_empty()
        && config
            .get_hosts()
            .iter()
            .all(|host| matches!(host, Host::Unix(_)));
    let (mode, connector) = super::tls::connector(&tls.or_env()?, home, unix_only)?;
    config.ssl_mode(mode);
    Ok(config.connect(connector)?)
}

/// The connection settings of `rest` (`url` without its TLS parameters), completed from the
/// environment.
fn config(rest: &str, url: &str) -> Result<Config, StoreError> {
    // The parser's message can quote the URL; the password must not reach any output.
    let mut config = Config::from_str(rest).map_err(|error| {
        let message = super::error::without_url(&error.to_string(), url);
        StoreError::InvalidLocation(format!(
            "invalid PostgreSQL connection URL: {}",
            super::error::without_url(&message, rest)
        ))
    })?;
    if config.get_hosts().is_empty() {
        let host = std::env::var("PGHOST").unwrap_or_else(|_| "/var/run/postgresql".into());
        config.host(&host);
    }
    if config.get_ports().is_empty() {
        if let Some(port) = std::env::var("PGPORT").ok().and_then(|p| p.parse().ok()) {
            config.port(port);
        }
    }
    if config.get_user().is_none() {
        if let Ok(user) = std::env::var("PGUSER") {
            config.user(&user);
        }
    }
    if config.get_password().is_none() {
        if let Some(password) = std::env::var_os("PGPASSWORD") {
            config.password(password.as_encoded_bytes());
        } else if let Some(password) = password_from_file(&config) {
            config.password(password);
        }
    }
    Ok(config)
}

/// The password `~/.pgpass` (or `PGPASSFILE`) holds for this connection: the first line
/// whose `host:port:database:user` fields match, `*` matching anything, as libpq reads it.
fn password_from_file(config: &Config) -> Option<String> {
    let path = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".pgpass")))?;
    let text = std::fs::read_to_string(path).ok()?;
    let host = match config.get_hosts().first()? {
        Host::Tcp(name) => name.clone(),
        // libpq matches a Unix socket against "localhost".
        Host::Unix(_) => "localhost".to_owned(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let user = config.get_user()?.to_owned();
    let database = config.get_dbname().unwrap_or(&user).to_owned();
    let wanted = [
        host.as_str(),
        port.as_str(),
        database.as_str(),
        user.as_str(),
    ];
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .find_map(|line| {
            let fields = split_pgpass_line(line);
            let [h, p, d, u, password] = fields.as_slice() else {
                return None;
            };
            let matches = [h, p, d, u]
                .iter()
                .zip(wanted)
                .all(|(field, want)| field.as_str() == "*" || field.as_str() == want);
            matches.then(|| password.clone())
        })
}

/// The fields of a `.pgpass` line: colon-separated, `\:` and `\\` escaped.
fn split_pgpass_line(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    if let Some(field) = fields.last_mut() {
                        field.push(next);
                    }
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => {
                if let Some(field) = fields.last_mut() {
                    field.push(c);
                }
            }
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pgpass_line_splits_on_unescaped_colons() {
        assert_eq!(
            split_pgpass_line(r"db.example:5432:*:app:pa\:ss\\word:more"),
            ["db.example", "5432", "*", "app", r"pa:ss\word:more"]
        );
    }
}

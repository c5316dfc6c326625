//! Completion of values: the fixed values of metadata flags (from the lists the validation
//! in [`crate::registration`] uses), and client ids, admin names and token ids read from the
//! database.
//!
//! Fixed values are offered as clap "possible values" of a parser that still takes any
//! text: the static scripts and the dynamic engine both complete them, and what is typed is
//! judged by the registration rules alone, with their messages (an extension grant type is
//! an absolute URI no list holds). Names in the database need dcrctl itself, so only the
//! dynamic engine (`COMPLETE=SHELL dcrctl`, see [`super::generate`]) offers them.
//!
//! A completion runs at every Tab: it never creates or migrates a database, never prints an
//! error into the shell's candidates, and returns at most [`MAX_IDS`] names.

use crate::ops::{self, Location, Store};
use crate::registration::{self, ApplicationType, AuthMethod};
use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};
use std::ffi::{OsStr, OsString};

/// The most names one Tab offers: enough to page through, bounded for a registry of millions.
pub(crate) const MAX_IDS: usize = 1000;

/// Any text, with `values` offered for completion (and never enforced).
#[derive(Debug, Clone)]
pub(crate) struct Suggested(Vec<&'static str>);

impl TypedValueParser for Suggested {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.0.iter().copied().map(PossibleValue::new)))
    }
}

/// `--grant-type`: the grant types known by name.
pub(crate) fn grant_types() -> Suggested {
    Suggested(registration::KNOWN_GRANT_TYPES.to_vec())
}

/// `--response-type`.
pub(crate) fn response_types() -> Suggested {
    Suggested(registration::RESPONSE_TYPES.to_vec())
}

/// `--token-endpoint-auth-method`.
pub(crate) fn auth_methods() -> Suggested {
    Suggested(
        AuthMethod::ALL
            .iter()
            .map(|method| method.as_str())
            .collect(),
    )
}

/// `--application-type`.
pub(crate) fn application_types() -> Suggested {
    Suggested(
        ApplicationType::ALL
            .iter()
            .map(|kind| kind.as_str())
            .collect(),
    )
}

/// `update --unset`: the metadata fields the registry knows.
pub(crate) fn metadata_fields() -> Suggested {
    Suggested(registration::known_fields().collect())
}

/// Client ids from the database, for every argument that names a client.
pub(crate) fn client_ids() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        from_registry(current, |store, prefix| {
            ops::client_ids_starting_with(store, prefix, MAX_IDS)
        })
    })
}

/// Admin account names, for `admin remove` and `admin passwd`.
pub(crate) fn admin_names() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        from_registry(current, |store, prefix| {
            let names = ops::list_admins(store)?.into_iter().map(|admin| admin.name);
            Ok(starting_with(names, prefix))
        })
    })
}

/// The ids of initial access tokens not yet revoked, for `token revoke`.
pub(crate) fn token_ids() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        from_registry(current, |store, prefix| {
            let ids = ops::list_initial_access_tokens(store)?
                .into_iter()
                .filter(|token| token.revoked_at.is_none())
                .map(|token| token.token_id);
            Ok(starting_with(ids, prefix))
        })
    })
}

fn starting_with(values: impl Iterator<Item = String>, prefix: &str) -> Vec<String> {
    let mut matching: Vec<String> = values.filter(|value| value.starts_with(prefix)).collect();
    matching.sort_unstable();
    matching.truncate(MAX_IDS);
    matching
}

/// The candidates `read` finds for the typed `current` in the database the command line
/// names, opened read-only.
fn from_registry(
    current: &OsStr,
    read: impl FnOnce(&mut Store, &str) -> crate::Result<Vec<String>>,
) -> Vec<CompletionCandidate> {
    let Some(prefix) = current.to_str() else {
        return Vec::new();
    };
    let args: Vec<OsString> = std::env::args_os().collect();
    let Some(location) = location(&args) else {
        return Vec::new();
    };
    // Every failure means no candidates: a completion has no place to report one.
    let found = Store::open_to_read(location)
        .ok()
        .flatten()
        .and_then(|mut store| read(&mut store, prefix).ok());
    found
        .unwrap_or_default()
        .into_iter()
        .map(CompletionCandidate::new)
        .collect()
}

/// The database the command line being completed names: its `--db`, else `DCRCTL_DB`, else
/// the default. `args` is the completion request, `dcrctl -- dcrctl WORDS…`, whose last word
/// is the one being completed.
fn location(args: &[OsString]) -> Option<Location> {
    let words: Vec<&OsString> = args.iter().skip_while(|arg| *arg != "--").skip(1).collect();
    let typed = words.split_last().map_or(&[][..], |(_, typed)| typed);
    let mut db = None;
    let mut words = typed.iter();
    while let Some(word) = words.next() {
        match word.to_str() {
            Some("--") => break,
            Some("--db") => db = words.next().map(|value| value.as_os_str()),
            Some(word) => {
                if let Some(value) = word.strip_prefix("--db=") {
                    db = Some(OsStr::new(value));
                }
            }
            None => {}
        }
    }
    match db
        .map(OsStr::to_owned)
        .or_else(|| std::env::var_os("DCRCTL_DB"))
    {
        Some(given) => Some(Location::parse(&given)),
        None => super::default_db_path().ok().map(Location::Sqlite),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(words: &[&str]) -> Vec<OsString> {
        ["dcrctl", "--", "dcrctl"]
            .iter()
            .chain(words)
            .map(OsString::from)
            .collect()
    }

    #[test]
    fn the_database_is_the_one_the_command_line_names() {
        let sqlite = |path: &str| Some(Location::Sqlite(path.into()));
        assert_eq!(
            location(&request(&["--db", "a.db", "show", ""])),
            sqlite("a.db")
        );
        assert_eq!(
            location(&request(&["show", "--db=b.db", "x"])),
            sqlite("b.db")
        );
        assert_eq!(
            location(&request(&["--db", "a.db", "show", "--db", "c.db", ""])),
            sqlite("c.db")
        );
        // The word being completed is not a --db yet.
        assert_ne!(
            location(&request(&["show", "--db=partial"])),
            sqlite("partial")
        );
    }

    #[test]
    fn fixed_values_come_from_the_registration_rules() {
        let names = |parser: Suggested| -> Vec<String> {
            parser
                .possible_values()
                .unwrap()
                .map(|value| value.get_name().to_owned())
                .collect()
        };
        assert!(names(auth_methods()).contains(&"private_key_jwt".to_owned()));
        assert!(!names(auth_methods()).contains(&"client_secret_jwt".to_owned()));
        assert_eq!(names(application_types()), ["web", "native"]);
        assert!(names(grant_types()).contains(&"client_credentials".to_owned()));
        assert!(names(metadata_fields()).contains(&"logo_uri".to_owned()));
        assert_eq!(
            names(response_types()),
            ["code", "token", "id_token", "none"]
        );
    }
}

//! Admin accounts: who may administer clients over HTTP (Basic authentication).
//!
//! Added, removed and changed only here, by the command line, and verified by the server.
//! Passwords are human-chosen, so they get Argon2id, computed before the write lock is taken
//! because it costs tens of milliseconds; they are never shown and never reach the log.

use super::{conflict, Actor, Store};
use crate::credentials::{self, Secret};
use crate::model::Action;
use crate::{time, Error, Result};
use serde_json::json;

/// The longest admin account name.
pub const MAX_ADMIN_NAME_LEN: usize = 64;

/// An admin account, as listed (never its password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admin {
    /// The account name, the user name of HTTP Basic authentication.
    pub name: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds of the last password change (creation at first).
    pub updated_at: i64,
}

/// Check an admin account name: 1–64 of `[A-Za-z0-9._@-]`, not starting with `-` (so it is
/// never read as a flag). A colon, which would break HTTP Basic, is never allowed.
///
/// # Errors
/// [`Error::Usage`] stating the rule.
pub fn check_admin_name(name: &str) -> Result<()> {
    let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'@' | b'-');
    if name.is_empty()
        || name.len() > MAX_ADMIN_NAME_LEN
        || name.starts_with('-')
        || !name.bytes().all(allowed)
    {
        return Err(Error::usage(format!(
            "invalid account name {name:?}: use 1-{MAX_ADMIN_NAME_LEN} characters of \
             A-Z a-z 0-9 . _ @ -, not starting with -"
        )));
    }
    Ok(())
}

/// The shortest admin password, in characters. An admin account can change every client
/// over HTTP, so a password a person could guess in an afternoon is refused.
pub const MIN_ADMIN_PASSWORD_CHARS: usize = 12;

/// Check a new admin password's length.
///
/// # Errors
/// [`Error::Usage`] stating the minimum.
pub fn check_admin_password(password: &str) -> Result<()> {
    let length = password.chars().count();
    if length < MIN_ADMIN_PASSWORD_CHARS {
        return Err(Error::usage(format!(
            "the password is too short ({length} characters): use at least \
             {MIN_ADMIN_PASSWORD_CHARS}"
        )));
    }
    Ok(())
}

/// The Argon2id hash of a new password, refusing a short one.
fn hash_new_password(password: &Secret) -> Result<String> {
    check_admin_password(password.expose())?;
    credentials::hash_password(password).map_err(|e| Error::usage(e.to_string()))
}

/// Add an admin account for HTTP Basic authentication.
///
/// # Errors
/// [`Error::Usage`] for an invalid name or an empty password; [`Error::Conflict`]
/// (`what: crate::model::Entity::Account`) when the name is taken; storage failures.
pub fn add_admin(store: &mut Store, actor: &Actor, name: &str, password: &Secret) -> Result<()> {
    check_admin_name(name)?;
    let hash = hash_new_password(password)?;
    store.write(|tx| {
        let now = time::now();
        tx.insert_admin(name, &hash, now).map_err(conflict)?;
        super::record(
            tx,
            actor,
            Action::AdminAdd,
            None,
            now,
            json!({ "name": name }),
        )
    })
}

/// Every admin account by name (never a password hash).
///
/// # Errors
/// Storage failures.
pub fn list_admins(store: &mut Store) -> Result<Vec<Admin>> {
    let rows = store.read(|tx| Ok::<_, Error>(tx.admins()?))?;
    Ok(rows
        .into_iter()
        .map(|row| Admin {
            name: row.name,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
        .collect())
}

fn account_not_found(name: &str) -> Error {
    Error::NotFound {
        what: crate::model::Entity::Account,
        id: name.to_owned(),
    }
}

/// Remove an admin account; its password stops working at once.
///
/// # Errors
/// [`Error::NotFound`] (`what: crate::model::Entity::Account`) for an unknown name; storage failures.
pub fn remove_admin(store: &mut Store, actor: &Actor, name: &str) -> Result<()> {
    store.write(|tx| {
        if !tx.delete_admin(name)? {
            return Err(account_not_found(name));
        }
        super::record(
            tx,
            actor,
            Action::AdminRemove,
            None,
            time::now(),
            json!({ "name": name }),
        )
    })
}

/// Replace an admin account's password; the old one stops working at once.
///
/// # Errors
/// [`Error::Usage`] for an empty password; [`Error::NotFound`] (`what: crate::model::Entity::Account`) for an
/// unknown name; storage failures.
pub fn set_admin_password(
    store: &mut Store,
    actor: &Actor,
    name: &str,
    password: &Secret,
) -> Result<()> {
    let hash = hash_new_password(password)?;
    store.write(|tx| {
        let now = time::now();
        if !tx.set_admin_password_hash(name, &hash, now)? {
            return Err(account_not_found(name));
        }
        super::record(
            tx,
            actor,
            Action::AdminPasswd,
            None,
            now,
            json!({ "name": name }),
        )
    })
}

/// Whether `password` is the password of the admin account `name`: the server's check of
/// HTTP Basic credentials. An unknown name answers `false` after the same Argon2 work as a
/// known one, so response times do not reveal which accounts exist.
///
/// # Errors
/// Storage failures.
pub fn verify_admin(store: &mut Store, name: &str, password: &Secret) -> Result<bool> {
    let stored = store.read(|tx| Ok::<_, Error>(tx.admin_password_hash(name)?))?;
    Ok(match stored {
        Some(hash) => credentials::verify(password.expose(), &hash),
        None => {
            std::hint::black_box(credentials::verify(
                password.expose(),
                credentials::DUMMY_PASSWORD_HASH,
            ));
            false
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::test_support::{actor, store};
    use crate::ops::{events, EventFilter};

    #[test]
    fn admin_accounts_lifecycle() {
        let (_dir, mut store) = store();
        let password = Secret::new("correct horse".into());
        add_admin(&mut store, &actor(), "ops@example.com", &password).unwrap();
        assert!(verify_admin(&mut store, "ops@example.com", &password).unwrap());
        assert!(!verify_admin(&mut store, "ops@example.com", &Secret::new("x".into())).unwrap());
        assert!(!verify_admin(&mut store, "nobody", &password).unwrap());
        let again = add_admin(&mut store, &actor(), "ops@example.com", &password).unwrap_err();
        assert!(matches!(
            again,
            Error::Conflict {
                what: crate::model::Entity::Account,
                ..
            }
        ));

        let new = Secret::new("battery staple".into());
        set_admin_password(&mut store, &actor(), "ops@example.com", &new).unwrap();
        assert!(!verify_admin(&mut store, "ops@example.com", &password).unwrap());
        assert!(verify_admin(&mut store, "ops@example.com", &new).unwrap());
        let names: Vec<_> = list_admins(&mut store)
            .unwrap()
            .into_iter()
            .map(|a| a.name)
            .collect();
        assert_eq!(names, ["ops@example.com"]);

        remove_admin(&mut store, &actor(), "ops@example.com").unwrap();
        assert!(!verify_admin(&mut store, "ops@example.com", &new).unwrap());
        for error in [
            remove_admin(&mut store, &actor(), "ops@example.com").unwrap_err(),
            set_admin_password(&mut store, &actor(), "nobody", &new).unwrap_err(),
        ] {
            assert!(matches!(
                error,
                Error::NotFound {
                    what: crate::model::Entity::Account,
                    ..
                }
            ));
        }
    }

    #[test]
    fn admin_names_and_passwords_are_checked() {
        let (_dir, mut store) = store();
        let password = Secret::new("pw".into());
        for name in ["a", "A.b_c@d-e", &"x".repeat(64)] {
            check_admin_name(name).unwrap();
        }
        for name in ["", "-x", "a:b", "a b", "é", &"x".repeat(65), "a\nb"] {
            let error = add_admin(&mut store, &actor(), name, &password).unwrap_err();
            assert!(matches!(error, Error::Usage(_)), "{name:?}");
        }
        let empty = add_admin(&mut store, &actor(), "ok", &Secret::new(String::new()));
        assert!(matches!(empty, Err(Error::Usage(_))));
        // Issue 17: a password short enough to guess is refused, saying the minimum.
        let short = add_admin(
            &mut store,
            &actor(),
            "ok",
            &Secret::new("elevenchars".into()),
        );
        let Err(Error::Usage(message)) = short else {
            panic!("accepted a short password: {short:?}");
        };
        assert!(message.contains("at least 12"), "{message}");
        assert!(list_admins(&mut store).unwrap().is_empty());
        let twelve = add_admin(
            &mut store,
            &actor(),
            "ok",
            &Secret::new("twelve chars".into()),
        );
        assert!(twelve.is_ok(), "{twelve:?}");
    }

    #[test]
    fn audit_rows_name_the_change_but_never_the_password() {
        let (_dir, mut store) = store();
        let password = Secret::new("hunter2-secret".into());
        add_admin(&mut store, &actor(), "root", &password).unwrap();
        set_admin_password(&mut store, &actor(), "root", &password).unwrap();
        remove_admin(&mut store, &actor(), "root").unwrap();
        let mut seen = Vec::new();
        events(&mut store, &EventFilter::default(), |event| {
            assert!(!event.details.to_string().contains("hunter2-secret"));
            assert_eq!(event.client_id, None);
            assert_eq!(event.actor, "cli:tester");
            seen.push(event.action);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, ["admin-remove", "admin-passwd", "admin-add"]);
    }
}

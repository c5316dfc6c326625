//! Operations of the HTTP registration API (RFC 7591 §3, RFC 7592), where the caller proves
//! itself with a token rather than being a trusted operator.
//!
//! The credential check and the change it authorizes happen in one write transaction: an
//! initial access token is consumed in the same transaction that inserts the client, so a
//! one-use token admits exactly one registration however many arrive at once, and a failed
//! registration spends no use. A registration access token is checked in the transaction
//! that deletes its client. An unknown client and a wrong token are the same answer
//! ([`Error::CredentialRejected`]), so client ids cannot be probed.

use super::register::{check_client_id, create, mint, Minted};
use super::rotate::{rotate_secret_of, rotate_token_of};
use super::tokens::consume_initial_access_token;
use super::update::{
    change_metadata_issuing, check_current_secret, load, replacement_document, secret_check,
    SecretCheck, SecretVerdict,
};
use super::{record, Actor, Register, RotateSecret, Store};
use crate::credentials::{self, Secret};
use crate::model::Action;
use crate::model::{Client, RegisteredVia};
use crate::registration::{validate, ClientInformation, MetadataDoc, MetadataError, Policy};
use crate::store::Tx;
use crate::{time, Error, Result};
use serde_json::{json, Value};
use std::time::Duration;

/// Members only an admin may set in a registration request: a dynamic client gets a
/// generated id and secret. The `ext_param_` spellings are WSO2's.
pub const ADMIN_ONLY_FIELDS: &[&str] = &[
    "client_id",
    "ext_param_client_id",
    "client_secret",
    "ext_param_client_secret",
];

/// Who asks for a registration over HTTP.
#[derive(Debug, Clone, Copy)]
pub enum Registrar<'a> {
    /// Nobody (open registration); the caller must only allow it when the server does.
    Anonymous,
    /// The bearer of an initial access token, raw or base64-encoded.
    InitialAccessToken(&'a str),
    /// An administrator whose password the caller has verified ([`super::verify_admin`]);
    /// the account must still exist when the client is inserted.
    Admin(&'a str),
}

/// The server's limits on HTTP registration, beside the metadata [`Policy`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Limits {
    /// Refuse a registration when the registry already holds this many clients (all of them,
    /// however registered).
    pub max_clients: Option<u64>,
    /// Lifetime of secrets issued over HTTP (registration, rotation, a `PUT` that starts
    /// needing one); never expire when `None`.
    pub secret_lifetime: Option<Duration>,
}

/// A credential for managing one client (RFC 7592).
#[derive(Debug, Clone)]
pub enum Credential {
    /// The client's registration access token.
    RegistrationToken(Secret),
    /// An administrator whose password the caller has verified ([`super::verify_admin`]);
    /// the account must still exist when the change is made.
    Admin(String),
}

/// The outcome of [`register_dynamic`] and of the `*_with_credential` operations.
#[derive(Debug, Clone)]
pub struct DynamicRegistration {
    /// The §4 response, with any credential just issued.
    pub information: ClientInformation,
    /// The client's revision after the operation, from which the HTTP `ETag` is derived.
    pub revision: i64,
    /// Who acted, as the audit log records it: `http:iat:<token id>`, `http:anonymous`,
    /// `http:admin:<name>` or `http:<client_id>`.
    pub actor: Actor,
}

/// Register a client for an HTTP caller. An initial access token is consumed in the same
/// transaction that inserts the client; an admin may choose the client's id and secret
/// (`client_id`/`ext_param_client_id`, `client_secret`/`ext_param_client_secret`, the secret
/// hashed with Argon2id); anonymous registration must only be allowed under open registration.
/// `limits.max_clients` is checked in the same transaction.
///
/// The credential is checked before the metadata, so a caller without a valid token learns
/// nothing about the rules; a rejected document rolls the transaction back and spends no use.
///
/// # Errors
/// [`Error::CredentialRejected`] for a wrong, expired, revoked or used-up token or a removed
/// admin; `invalid_client_metadata` for a non-admin document naming any of
/// [`ADMIN_ONLY_FIELDS`], and the errors of [`crate::registration::validate`];
/// [`Error::Conflict`] for an admin-chosen id that exists; [`Error::Forbidden`] when the
/// registry is full; storage failures.
pub fn register_dynamic(
    store: &mut Store,
    policy: &Policy,
    limits: &Limits,
    metadata: MetadataDoc,
    registrar: Registrar<'_>,
) -> Result<DynamicRegistration> {
    let prepared = prepare_registration(metadata, policy, limits, registrar);
    store.write(|tx| insert_registration(tx, limits, prepared, registrar))
}

/// A registration request checked and given its credentials, ready for
/// [`insert_registration`]; or the reason it must be refused once the credential is accepted.
pub struct PreparedRegistration(Result<Prepared>);

// Hand-written so that no credential it holds can reach a log line.
impl std::fmt::Debug for PreparedRegistration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedRegistration")
            .finish_non_exhaustive()
    }
}

impl PreparedRegistration {
    /// This request, or the reason it must be refused: for a caller whose credential needs no
    /// check (an anonymous one), whose refusal need not wait for the write transaction.
    ///
    /// # Errors
    /// The verdict [`insert_registration`] would report.
    pub fn checked(self) -> Result<PreparedRegistration> {
        self.0.map(|prepared| PreparedRegistration(Ok(prepared)))
    }
}

type Prepared = (crate::registration::ValidMetadata, Minted, Register);

/// The part of [`register_dynamic`] that needs no database: validation and minting (Argon2
/// for an admin-chosen secret), done before the write lock is taken. Its verdict is only
/// reported once the credential has been accepted.
#[must_use]
pub fn prepare_registration(
    metadata: MetadataDoc,
    policy: &Policy,
    limits: &Limits,
    registrar: Registrar<'_>,
) -> PreparedRegistration {
    PreparedRegistration(prepare(metadata, policy, limits, registrar))
}

/// The part of [`register_dynamic`] inside its write transaction: the credential (consuming
/// an initial access token), the prepared request's verdict, `limits.max_clients`, then the
/// insert with its audit row.
///
/// # Errors
/// As [`register_dynamic`].
pub fn insert_registration(
    tx: &Tx<'_>,
    limits: &Limits,
    prepared: PreparedRegistration,
    registrar: Registrar<'_>,
) -> Result<DynamicRegistration> {
    let actor = match registrar {
        Registrar::InitialAccessToken(presented) => {
            let token_id = consume_initial_access_token(tx, presented, time::now())?
                .ok_or(Error::CredentialRejected)?;
            Actor::http(&format!("iat:{token_id}"))
        }
        Registrar::Admin(name) => admin_actor(tx, name)?,
        Registrar::Anonymous => Actor::http("anonymous"),
    };
    let (valid, minted, request) = prepared.0?;
    if let Some(max) = limits.max_clients {
        if tx.count_clients()? >= max {
            return Err(Error::Forbidden(format!(
                "the registry is full: it holds its maximum of {max} clients"
            )));
        }
    }
    let client_id = request
        .client_id
        .clone()
        .unwrap_or_else(credentials::new_client_id);
    let information = create(tx, &actor, &client_id, &valid, &request, minted)?;
    Ok(DynamicRegistration {
        information,
        revision: revision_of(tx, &client_id)?,
        actor,
    })
}

fn prepare(
    mut metadata: MetadataDoc,
    policy: &Policy,
    limits: &Limits,
    registrar: Registrar<'_>,
) -> Result<Prepared> {
    let (client_id, client_secret) = match registrar {
        Registrar::Admin(_) => take_admin_choices(&mut metadata)?,
        Registrar::Anonymous | Registrar::InitialAccessToken(_) => {
            check_dynamic_document(&metadata)?;
            (None, None)
        }
    };
    if let Some(id) = &client_id {
        check_client_id(id)?;
    }
    let valid = validate(&metadata, policy)?;
    let request = Register {
        metadata,
        client_id,
        client_secret,
        secret_expires_in: limits.secret_lifetime,
        via: RegisteredVia::Http,
    };
    let minted = mint(&request, valid.auth_method().uses_secret())?;
    Ok((valid, minted, request))
}

/// Take an admin's chosen id and secret out of the document; each may be spelt plainly or
/// with WSO2's `ext_param_` prefix, and both spellings must then agree.
fn take_admin_choices(metadata: &mut MetadataDoc) -> Result<(Option<String>, Option<Secret>)> {
    let mut take = |plain: &str, ext: &str| -> Result<Option<String>> {
        let mut chosen: Option<String> = None;
        for field in [plain, ext] {
            match metadata.shift_remove(field) {
                // A null member is an absent one, as everywhere in a metadata document.
                None | Some(Value::Null) => {}
                Some(Value::String(value)) => {
                    if chosen.as_ref().is_some_and(|earlier| *earlier != value) {
                        return Err(MetadataError::metadata(
                            field,
                            format!("disagrees with {plain}"),
                        )
                        .into());
                    }
                    chosen = Some(value);
                }
                Some(_) => return Err(MetadataError::metadata(field, "must be a string").into()),
            }
        }
        Ok(chosen)
    };
    let client_id = take("client_id", "ext_param_client_id")?;
    let client_secret = take("client_secret", "ext_param_client_secret")?.map(Secret::new);
    Ok((client_id, client_secret))
}

/// Refuse the members a dynamic registration may not choose.
fn check_dynamic_document(metadata: &MetadataDoc) -> Result<(), MetadataError> {
    match ADMIN_ONLY_FIELDS
        .iter()
        .find(|field| metadata.get(**field).is_some_and(|value| !value.is_null()))
    {
        Some(field) => Err(MetadataError::metadata(
            *field,
            "may only be chosen by an administrator",
        )),
        None => Ok(()),
    }
}

/// The actor of an admin whose password was verified; the account must still exist.
fn admin_actor(tx: &Tx<'_>, name: &str) -> Result<Actor> {
    if tx.admin_password_hash(name)?.is_none() {
        return Err(Error::CredentialRejected);
    }
    Ok(Actor::http(&format!("admin:{name}")))
}

fn revision_of(tx: &Tx<'_>, client_id: &str) -> Result<i64> {
    Ok(tx
        .client(client_id)?
        .ok_or_else(|| Error::client_not_found(client_id))?
        .revision)
}

/// How stale a client's `last_used_at` may be before a read with its registration access
/// token records the use again. Reads are the hot path of the API; writing on every one
/// would make each a durable commit. `--unused-for` periods are days, so a minute's
/// resolution loses nothing.
pub const LAST_USED_RESOLUTION_SECS: i64 = 60;

/// Check `credential` for `client_id` inside the caller's transaction and load the client,
/// checked against `if_revision`. A registration access token opens only its own client. An
/// unknown client is the same answer as a wrong token.
fn authorize(
    tx: &Tx<'_>,
    client_id: &str,
    credential: &Credential,
    if_revision: Option<&[i64]>,
) -> Result<(Client, Actor)> {
    let actor = match credential {
        Credential::RegistrationToken(token) => {
            let accepted = tx
                .registration_token_hash(client_id)?
                .is_some_and(|hash| credentials::verify(token.expose(), &hash));
            if !accepted {
                return Err(Error::CredentialRejected);
            }
            Actor::http(client_id)
        }
        Credential::Admin(name) => admin_actor(tx, name)?,
    };
    let client = match load(tx, client_id, if_revision) {
        Err(Error::NotFound { .. }) => return Err(Error::CredentialRejected),
        other => other?,
    };
    Ok((client, actor))
}

/// [`authorize`] for a change: a registration access token's use is recorded with it.
fn authorize_change(
    tx: &Tx<'_>,
    client_id: &str,
    credential: &Credential,
    if_revision: Option<&[i64]>,
) -> Result<(Client, Actor)> {
    let authorized = authorize(tx, client_id, credential, if_revision)?;
    if let Credential::RegistrationToken(_) = credential {
        tx.touch_last_used(client_id, time::now())?;
    }
    Ok(authorized)
}

/// A use of a registration access token that a read found due for recording
/// ([`LAST_USED_RESOLUTION_SECS`]); [`UseToRecord::record`] writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UseToRecord {
    client_id: String,
    at: i64,
}

impl UseToRecord {
    /// Record the use in `tx`.
    ///
    /// # Errors
    /// Storage failures.
    pub fn record(&self, tx: &Tx<'_>) -> Result<()> {
        Ok(tx.touch_last_used(&self.client_id, self.at)?)
    }
}

/// Read a client (RFC 7592 §2.1) with its registration access token or as an admin, in a
/// read transaction; also says whether the token's use is due to be recorded.
///
/// # Errors
/// [`Error::CredentialRejected`] for an unknown client or a wrong credential; storage
/// failures.
pub fn read_client(
    store: &mut Store,
    client_id: &str,
    credential: &Credential,
) -> Result<(DynamicRegistration, Option<UseToRecord>)> {
    store.read(|tx| {
        let (client, actor) = authorize(tx, client_id, credential, None)?;
        let now = time::now();
        let due = matches!(credential, Credential::RegistrationToken(_))
            && client
                .last_used_at
                .is_none_or(|at| now - at >= LAST_USED_RESOLUTION_SECS || at > now);
        let record = due.then(|| UseToRecord {
            client_id: client_id.to_owned(),
            at: now,
        });
        Ok((
            DynamicRegistration {
                information: client.information(),
                revision: client.revision,
                actor,
            },
            record,
        ))
    })
}

/// [`read_client`], recording the token's use when it is due.
///
/// # Errors
/// As [`read_client`].
pub fn read_with_credential(
    store: &mut Store,
    client_id: &str,
    credential: &Credential,
) -> Result<DynamicRegistration> {
    let (read, record) = read_client(store, client_id, credential)?;
    if let Some(record) = record {
        store.write(|tx| record.record(tx))?;
    }
    Ok(read)
}

/// A replacement document (RFC 7592 §2.2) checked against `policy`, ready for
/// [`replace_in`]; or the reason it must be refused once the credential is accepted. A
/// `client_secret` it repeats is checked against a costly (Argon2id) hash before the write
/// transaction ([`secret_check`], [`PreparedReplacement::with_verdict`]).
pub struct PreparedReplacement {
    document: Result<(MetadataDoc, Vec<String>)>,
    verdict: Option<SecretVerdict>,
}

// Hand-written: it may hold a presented client secret.
impl std::fmt::Debug for PreparedReplacement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedReplacement")
            .finish_non_exhaustive()
    }
}

impl PreparedReplacement {
    /// The client secrets the document repeats (none when it is refused anyway).
    #[must_use]
    pub fn presented_secrets(&self) -> &[String] {
        match &self.document {
            Ok((_, presented)) => presented,
            Err(_) => &[],
        }
    }

    /// This replacement with the verdict of the check of its secrets, made outside the write
    /// transaction.
    #[must_use]
    pub fn with_verdict(mut self, verdict: SecretVerdict) -> Self {
        self.verdict = Some(verdict);
        self
    }
}

/// The part of [`replace_with_credential`] that needs no database.
#[must_use]
pub fn prepare_replacement(
    document: &MetadataDoc,
    client_id: &str,
    policy: &Policy,
) -> PreparedReplacement {
    PreparedReplacement {
        document: replacement_document(document, client_id).and_then(|(doc, presented)| {
            validate(&doc, policy)?;
            Ok((doc, presented))
        }),
        verdict: None,
    }
}

/// The check that the secrets `presented` in a replacement of `client_id` need before the
/// write transaction, in a read transaction: `Some` only when `credential` opens the client
/// and its current secret is costly to check against (Argon2id), so that nobody without a
/// credential for the client can make the registry run Argon2.
///
/// # Errors
/// As [`read_with_credential`].
pub fn secret_check_with_credential(
    store: &mut Store,
    client_id: &str,
    credential: &Credential,
    presented: &[String],
) -> Result<Option<SecretCheck>> {
    if presented.is_empty() {
        return Ok(None);
    }
    store.read(|tx| {
        let (client, _) = authorize(tx, client_id, credential, None)?;
        secret_check(tx, &client, presented)
    })
}

/// Replace a client's document (RFC 7592 §2.2), checking the credential, `if_revision`, a
/// repeated `client_id` and a repeated `client_secret` (which must be the current secret,
/// not one in its grace period) in the transaction that writes the change. A secret the new
/// document needs is issued with `limits.secret_lifetime`.
///
/// # Errors
/// As [`read_with_credential`]; [`Error::PreconditionFailed`] for a stale `if_revision`;
/// `invalid_client_metadata` for a mismatched id or secret, a registry-managed member, or
/// metadata that fails validation under `policy`.
pub fn replace_with_credential(
    store: &mut Store,
    policy: &Policy,
    limits: &Limits,
    client_id: &str,
    credential: &Credential,
    document: &MetadataDoc,
    if_revision: Option<&[i64]>,
) -> Result<DynamicRegistration> {
    let mut prepared = prepare_replacement(document, client_id, policy);
    let presented = prepared.presented_secrets();
    if let Some(check) = secret_check_with_credential(store, client_id, credential, presented)? {
        prepared = prepared.with_verdict(check.verify());
    }
    store.write(|tx| {
        replace_in(
            tx,
            policy,
            limits,
            client_id,
            credential,
            prepared,
            if_revision,
        )
    })
}

/// [`replace_with_credential`] inside the caller's write transaction.
///
/// # Errors
/// As [`replace_with_credential`].
pub fn replace_in(
    tx: &Tx<'_>,
    policy: &Policy,
    limits: &Limits,
    client_id: &str,
    credential: &Credential,
    prepared: PreparedReplacement,
    if_revision: Option<&[i64]>,
) -> Result<DynamicRegistration> {
    let (client, actor) = authorize_change(tx, client_id, credential, if_revision)?;
    let (doc, presented) = prepared.document?;
    check_current_secret(tx, &client, &presented, prepared.verdict.as_ref())?;
    let information =
        change_metadata_issuing(tx, &actor, policy, &client, &doc, limits.secret_lifetime)?;
    Ok(DynamicRegistration {
        information,
        revision: revision_of(tx, client_id)?,
        actor,
    })
}

/// Issue a new client secret (lifetime `limits.secret_lifetime`); the previous one stops
/// working at once. Checked and written in one transaction.
///
/// # Errors
/// As [`read_with_credential`]; a usage error for a client without a secret.
pub fn rotate_secret_with_credential(
    store: &mut Store,
    limits: &Limits,
    client_id: &str,
    credential: &Credential,
) -> Result<DynamicRegistration> {
    store.write(|tx| rotate_secret_in(tx, limits, client_id, credential))
}

/// [`rotate_secret_with_credential`] inside the caller's write transaction.
///
/// # Errors
/// As [`rotate_secret_with_credential`].
pub fn rotate_secret_in(
    tx: &Tx<'_>,
    limits: &Limits,
    client_id: &str,
    credential: &Credential,
) -> Result<DynamicRegistration> {
    let options = RotateSecret {
        grace: None,
        expires_in: limits.secret_lifetime,
    };
    let (client, actor) = authorize_change(tx, client_id, credential, None)?;
    let information = rotate_secret_of(tx, &actor, &client, &options)?;
    Ok(DynamicRegistration {
        information,
        revision: revision_of(tx, client_id)?,
        actor,
    })
}

/// Issue a new registration access token; the previous one stops working at once. Checked
/// and written in one transaction.
///
/// # Errors
/// As [`read_with_credential`].
pub fn rotate_token_with_credential(
    store: &mut Store,
    client_id: &str,
    credential: &Credential,
) -> Result<DynamicRegistration> {
    store.write(|tx| rotate_token_in(tx, client_id, credential))
}

/// [`rotate_token_with_credential`] inside the caller's write transaction.
///
/// # Errors
/// As [`rotate_token_with_credential`].
pub fn rotate_token_in(
    tx: &Tx<'_>,
    client_id: &str,
    credential: &Credential,
) -> Result<DynamicRegistration> {
    let (client, actor) = authorize_change(tx, client_id, credential, None)?;
    let information = rotate_token_of(tx, &actor, &client)?;
    Ok(DynamicRegistration {
        information,
        revision: revision_of(tx, client_id)?,
        actor,
    })
}

/// Delete `client_id` (RFC 7592 §2.3) with its registration access token or as an admin,
/// checking the credential and `if_revision` and deleting in one transaction; its secret and
/// token stop working at once.
///
/// # Errors
/// As [`read_with_credential`]; [`Error::PreconditionFailed`] for a stale `if_revision`.
pub fn delete_with_credential(
    store: &mut Store,
    client_id: &str,
    credential: &Credential,
    if_revision: Option<&[i64]>,
) -> Result<()> {
    store.write(|tx| delete_in(tx, client_id, credential, if_revision))
}

/// [`delete_with_credential`] inside the caller's write transaction.
///
/// # Errors
/// As [`delete_with_credential`].
pub fn delete_in(
    tx: &Tx<'_>,
    client_id: &str,
    credential: &Credential,
    if_revision: Option<&[i64]>,
) -> Result<()> {
    let (_, actor) = authorize(tx, client_id, credential, if_revision)?;
    if !tx.delete_client(client_id)? {
        return Err(Error::CredentialRejected);
    }
    record(
        tx,
        &actor,
        Action::Delete,
        Some(client_id),
        time::now(),
        json!({ "via": "http" }),
    )
}

/// Whether the database answers a query: the server's health check.
///
/// # Errors
/// Storage failures.
pub fn ping(store: &mut Store) -> Result<()> {
    store.read(|tx| tx.client("").map(|_| ()).map_err(Error::from))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::{create_initial_access_token, events, show, CreateToken, EventFilter};

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("clients.db")).unwrap();
        (dir, store)
    }

    fn doc(text: &str) -> MetadataDoc {
        crate::registration::parse_document(text.as_bytes()).unwrap()
    }

    /// Register `web()` anonymously under the default policy.
    fn anonymous(store: &mut Store, limits: &Limits) -> Result<DynamicRegistration> {
        register_dynamic(
            store,
            &Policy::default(),
            limits,
            web(),
            Registrar::Anonymous,
        )
    }

    /// The registration access token a registration returned, as a credential.
    fn rat(registration: &DynamicRegistration) -> Credential {
        let token = registration.information.registration_access_token.clone();
        Credential::RegistrationToken(Secret::new(token.unwrap()))
    }

    fn web() -> MetadataDoc {
        doc(r#"{"client_name":"web","redirect_uris":["https://app.example.com/cb"]}"#)
    }

    fn one_use_token(store: &mut Store) -> String {
        let request = CreateToken {
            max_uses: Some(1),
            ..CreateToken::default()
        };
        create_initial_access_token(
            store,
            &Actor::cli("t"),
            request,
            &mut crate::ops::after_commit,
        )
        .unwrap()
        .token
        .expose()
        .to_owned()
    }

    #[test]
    fn a_token_registers_once_and_names_itself_in_the_audit_log() {
        let (_dir, mut store) = store();
        let token = one_use_token(&mut store);
        let done = register_dynamic(
            &mut store,
            &Policy::default(),
            &Limits::default(),
            web(),
            Registrar::InitialAccessToken(&token),
        )
        .unwrap();
        assert!(done.actor.as_str().starts_with("http:iat:iat_"));
        assert!(done.information.client_secret.is_some());
        assert_eq!(done.revision, 1);
        let client = show(&mut store, &done.information.client_id).unwrap();
        assert_eq!(client.registered_via, RegisteredVia::Http);
        let again = register_dynamic(
            &mut store,
            &Policy::default(),
            &Limits::default(),
            web(),
            Registrar::InitialAccessToken(&token),
        );
        assert!(matches!(again, Err(Error::CredentialRejected)));
        let mut actors = Vec::new();
        events(&mut store, &EventFilter::default(), |event| {
            actors.push((event.action, event.actor));
            Ok(())
        })
        .unwrap();
        assert_eq!(actors[0], ("register".into(), done.actor.as_str().into()));
    }

    #[test]
    fn a_rejected_document_spends_no_use_and_a_bad_token_hides_the_rules() {
        let (_dir, mut store) = store();
        let token = one_use_token(&mut store);
        let bad = doc(r#"{"redirect_uris":["http://evil.example/cb"]}"#);
        let error = register_dynamic(
            &mut store,
            &Policy::default(),
            &Limits::default(),
            bad.clone(),
            Registrar::InitialAccessToken(&token),
        );
        assert!(matches!(error, Err(Error::InvalidMetadata(_))));
        let wrong = register_dynamic(
            &mut store,
            &Policy::default(),
            &Limits::default(),
            bad,
            Registrar::InitialAccessToken("dcriat_nope"),
        );
        assert!(matches!(wrong, Err(Error::CredentialRejected)));
        register_dynamic(
            &mut store,
            &Policy::default(),
            &Limits::default(),
            web(),
            Registrar::InitialAccessToken(&token),
        )
        .unwrap();
    }

    #[test]
    fn admin_only_fields_are_refused() {
        let (_dir, mut store) = store();
        for field in ADMIN_ONLY_FIELDS {
            let mut metadata = web();
            metadata.insert((*field).into(), "chosen".into());
            let error = register_dynamic(
                &mut store,
                &Policy::default(),
                &Limits::default(),
                metadata,
                Registrar::Anonymous,
            );
            match error {
                Err(Error::InvalidMetadata(e)) => assert_eq!(e.field, *field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }

    #[test]
    fn delete_needs_the_clients_own_token() {
        let (_dir, mut store) = store();
        let a = anonymous(&mut store, &Limits::default()).unwrap();
        let b = anonymous(&mut store, &Limits::default()).unwrap();
        assert_eq!(a.actor.as_str(), "http:anonymous");
        let a_id = &a.information.client_id;
        let refused = delete_with_credential(&mut store, a_id, &rat(&b), None);
        assert!(matches!(refused, Err(Error::CredentialRejected)));
        let unknown = delete_with_credential(&mut store, "nope", &rat(&a), None);
        assert!(matches!(unknown, Err(Error::CredentialRejected)));
        delete_with_credential(&mut store, a_id, &rat(&a), Some(&[1])).unwrap();
        let read = read_with_credential(&mut store, a_id, &rat(&a));
        assert!(matches!(read, Err(Error::CredentialRejected)));
        let again = delete_with_credential(&mut store, a_id, &rat(&a), None);
        assert!(matches!(again, Err(Error::CredentialRejected)));
        ping(&mut store).unwrap();
    }

    fn admin(store: &mut Store) -> Credential {
        crate::ops::add_admin(
            store,
            &Actor::cli("t"),
            "root",
            &Secret::new("correct horse".into()),
        )
        .unwrap();
        Credential::Admin("root".into())
    }

    #[test]
    fn an_admin_chooses_id_and_secret_and_a_taken_id_conflicts() {
        let (_dir, mut store) = store();
        admin(&mut store);
        let mut metadata = web();
        metadata.insert("ext_param_client_id".into(), "chosen-1".into());
        metadata.insert("client_secret".into(), "s3cret-of-the-admin".into());
        let done = register_dynamic(
            &mut store,
            &Policy::default(),
            &Limits::default(),
            metadata.clone(),
            Registrar::Admin("root"),
        )
        .unwrap();
        assert_eq!(done.information.client_id, "chosen-1");
        assert_eq!(done.actor.as_str(), "http:admin:root");
        assert!(done.information.client_secret.is_none());
        assert!(!done.information.metadata.contains_key("client_secret"));
        crate::ops::verify_secret(
            &mut store,
            "chosen-1",
            &Secret::new("s3cret-of-the-admin".into()),
        )
        .unwrap();
        let again = register_dynamic(
            &mut store,
            &Policy::default(),
            &Limits::default(),
            metadata,
            Registrar::Admin("root"),
        );
        let kind = again.as_ref().map_err(Error::kind).unwrap_err();
        assert_eq!(kind, crate::ErrorKind::Conflict, "{again:?}");
        let gone = register_dynamic(
            &mut store,
            &Policy::default(),
            &Limits::default(),
            web(),
            Registrar::Admin("nobody"),
        );
        assert!(matches!(gone, Err(Error::CredentialRejected)));
    }

    /// Issue 12 item 4: an Argon2id secret is checked before the write transaction, and the
    /// transaction only makes sure the verdict is about the current secret.
    #[test]
    fn a_costly_secret_is_never_checked_inside_the_write_transaction() {
        let (_dir, mut store) = store();
        let admin = admin(&mut store);
        for (id, secret) in [("chosen-1", "first-secret"), ("chosen-2", "second-secret")] {
            let mut metadata = web();
            metadata.insert("client_id".into(), id.into());
            metadata.insert("client_secret".into(), secret.into());
            let policy = Policy::default();
            register_dynamic(
                &mut store,
                &policy,
                &Limits::default(),
                metadata,
                Registrar::Admin("root"),
            )
            .unwrap();
        }
        let replacing = |secret: &str, id: &str| {
            let mut doc = web();
            doc.insert("client_secret".into(), secret.into());
            prepare_replacement(&doc, id, &Policy::default())
        };
        let verdict = |store: &mut Store, id: &str, prepared: &PreparedReplacement| {
            secret_check_with_credential(store, id, &admin, prepared.presented_secrets())
                .unwrap()
                .expect("an Argon2id hash needs a check")
                .verify()
        };
        let replace = |store: &mut Store, prepared: PreparedReplacement| {
            let limits = Limits::default();
            store.write(|tx| {
                replace_in(
                    tx,
                    &Policy::default(),
                    &limits,
                    "chosen-1",
                    &admin,
                    prepared,
                    None,
                )
            })
        };
        // The right secret, but no check was made before: refused, with no Argon2 inside.
        let unchecked = replace(&mut store, replacing("first-secret", "chosen-1"));
        assert!(
            matches!(unchecked, Err(Error::InvalidMetadata(_))),
            "{unchecked:?}"
        );
        // A verdict about another secret (one that changed since) is no verdict.
        let other = replacing("second-secret", "chosen-2");
        let about_another = verdict(&mut store, "chosen-2", &other);
        assert!(about_another.matches());
        let stale = replace(
            &mut store,
            replacing("second-secret", "chosen-1").with_verdict(about_another),
        );
        assert!(matches!(stale, Err(Error::InvalidMetadata(_))), "{stale:?}");
        // A verdict about other secrets is no verdict either.
        let right = replacing("first-secret", "chosen-1");
        let accepted = verdict(&mut store, "chosen-1", &right);
        let swapped = replace(
            &mut store,
            replacing("not-it", "chosen-1").with_verdict(accepted),
        );
        assert!(
            matches!(swapped, Err(Error::InvalidMetadata(_))),
            "{swapped:?}"
        );
        // A wrong secret's verdict refuses; the right one's accepts.
        let wrong = replacing("not-it", "chosen-1");
        let refused = verdict(&mut store, "chosen-1", &wrong);
        assert!(!refused.matches());
        let refused = replace(&mut store, wrong.with_verdict(refused));
        assert!(
            matches!(refused, Err(Error::InvalidMetadata(_))),
            "{refused:?}"
        );
        let right = replacing("first-secret", "chosen-1");
        let accepted = verdict(&mut store, "chosen-1", &right);
        replace(&mut store, right.with_verdict(accepted)).unwrap();
        // Nobody without a credential for the client gets a check run.
        let stranger = Credential::RegistrationToken(Secret::new("dcrrat_nope".into()));
        let presented = ["first-secret".to_owned()];
        let check = secret_check_with_credential(&mut store, "chosen-1", &stranger, &presented);
        assert!(matches!(check, Err(Error::CredentialRejected)), "{check:?}");
    }

    #[test]
    fn max_clients_counts_every_client() {
        let (_dir, mut store) = store();
        let limits = Limits {
            max_clients: Some(1),
            secret_lifetime: Some(Duration::from_secs(3600)),
        };
        let first = anonymous(&mut store, &limits).unwrap();
        let expires = first.information.client_secret_expires_at.unwrap();
        assert!((expires - time::now() - 3600).abs() <= 5, "{expires}");
        let second = anonymous(&mut store, &limits);
        assert!(matches!(second, Err(Error::Forbidden(_))), "{second:?}");
    }

    #[test]
    fn replace_rotate_with_credentials() {
        let (_dir, mut store) = store();
        let admin = admin(&mut store);
        let limits = Limits::default();
        let a = anonymous(&mut store, &limits).unwrap();
        let b = anonymous(&mut store, &limits).unwrap();
        let id = a.information.client_id.clone();
        let mut doc = web();
        doc.insert("client_name".into(), "renamed".into());
        let other = replace_with_credential(
            &mut store,
            &Policy::default(),
            &limits,
            &id,
            &rat(&b),
            &doc,
            None,
        );
        assert!(matches!(other, Err(Error::CredentialRejected)));
        let stale = replace_with_credential(
            &mut store,
            &Policy::default(),
            &limits,
            &id,
            &rat(&a),
            &doc,
            Some(&[7, a.revision + 1]),
        );
        assert!(matches!(stale, Err(Error::PreconditionFailed)));
        let done = replace_with_credential(
            &mut store,
            &Policy::default(),
            &limits,
            &id,
            &rat(&a),
            &doc,
            Some(&[7, a.revision]),
        )
        .unwrap();
        assert!(done.revision > a.revision);
        assert_eq!(done.information.metadata["client_name"], "renamed");
        // A secret in its grace period is not the current one.
        let old_secret = a.information.client_secret.clone().unwrap();
        crate::ops::rotate_secret(
            &mut store,
            &Actor::cli("t"),
            &id,
            &RotateSecret {
                grace: Some(Duration::from_secs(3600)),
                expires_in: None,
            },
            &mut crate::ops::after_commit,
        )
        .unwrap();
        doc.insert("client_secret".into(), old_secret.into());
        let graced = replace_with_credential(
            &mut store,
            &Policy::default(),
            &limits,
            &id,
            &admin,
            &doc,
            None,
        );
        assert!(
            matches!(graced, Err(Error::InvalidMetadata(_))),
            "{graced:?}"
        );
        let rotated = rotate_secret_with_credential(&mut store, &limits, &id, &admin).unwrap();
        doc.insert(
            "client_secret".into(),
            rotated.information.client_secret.clone().unwrap().into(),
        );
        replace_with_credential(
            &mut store,
            &Policy::default(),
            &limits,
            &id,
            &admin,
            &doc,
            None,
        )
        .unwrap();
        let token = rotate_token_with_credential(&mut store, &id, &rat(&a)).unwrap();
        assert!(matches!(
            read_with_credential(&mut store, &id, &rat(&a)),
            Err(Error::CredentialRejected)
        ));
        read_with_credential(&mut store, &id, &rat(&token)).unwrap();
        let unknown = read_with_credential(&mut store, "nope", &admin);
        assert!(matches!(unknown, Err(Error::CredentialRejected)));
    }
}

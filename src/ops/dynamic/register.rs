//! `POST /register` (RFC 7591 §3): a client registered by the bearer of an initial access
//! token, an administrator, or anyone under open registration.

use super::{admin_actor, revision_of, Credential, Limits, Outcome};
use crate::credentials::{self, Secret};
use crate::model::RegisteredVia;
use crate::ops::register::{check_client_id, create, mint, Minted};
use crate::ops::tokens::consume_initial_access_token;
use crate::ops::{Actor, Register};
use crate::registration::{take_identifier, validate, MetadataDoc, MetadataError, Policy};
use crate::store::Tx;
use crate::{time, Error, Result};

/// Members only an admin may set in a registration request: a dynamic client gets a
/// generated id and secret. The `ext_param_` spellings are WSO2's.
pub const ADMIN_ONLY_FIELDS: &[&str] = &[
    "client_id",
    "ext_param_client_id",
    "client_secret",
    "ext_param_client_secret",
];

/// A registration request checked and given its credentials, ready for [`register`]; or the reason it must be refused once the credential is accepted.
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
    /// The verdict [`register`] would report.
    pub fn checked(self) -> Result<PreparedRegistration> {
        self.0.map(|prepared| PreparedRegistration(Ok(prepared)))
    }
}

type Prepared = (crate::registration::ValidMetadata, Minted, Register);

/// The part of a registration that needs no database: validation and minting (Argon2 for an
/// admin-chosen secret), done before the write lock is taken, for the caller presenting
/// `credential` (none: anonymous). Its verdict is only reported once [`register`] has
/// accepted the credential.
#[must_use]
pub fn prepare_registration(
    metadata: MetadataDoc,
    policy: &Policy,
    limits: &Limits,
    credential: Option<&Credential>,
) -> PreparedRegistration {
    PreparedRegistration(prepare(metadata, policy, limits, credential))
}

/// Register a client for an HTTP caller, in the caller's write transaction: the credential
/// (an initial access token is consumed here, so a rejected registration spends no use), the
/// prepared request's verdict, `limits.max_clients`, then the insert with its audit row. An
/// admin may have chosen the client's id and secret (`client_id`/`ext_param_client_id`,
/// `client_secret`/`ext_param_client_secret`); anonymous registration (`credential` none)
/// must only be allowed under open registration.
///
/// # Errors
/// [`Error::CredentialRejected`] for a wrong, expired, revoked or used-up token or a removed
/// admin; `invalid_client_metadata` for a non-admin document naming any of
/// [`ADMIN_ONLY_FIELDS`], and the errors of [`crate::registration::validate`];
/// [`Error::Conflict`] for an admin-chosen id that exists; [`Error::Forbidden`] when the
/// registry is full; storage failures.
#[tracing::instrument(name = "register", level = "debug", skip_all, fields(client_id = tracing::field::Empty))]
pub fn register(
    tx: &Tx<'_>,
    limits: &Limits,
    prepared: PreparedRegistration,
    credential: Option<&Credential>,
) -> Result<Outcome> {
    let actor = match credential {
        Some(Credential::Bearer(token)) => {
            let token_id = consume_initial_access_token(tx, token.expose(), time::now())?
                .ok_or(Error::CredentialRejected)?;
            Actor::http(&format!("iat:{token_id}"))
        }
        Some(Credential::Admin(name)) => admin_actor(tx, name)?,
        None => Actor::http("anonymous"),
    };
    let (valid, minted, request) = prepared.0?;
    if let Some(max) = limits.max_clients {
        // The count decides whether this insert may happen: no other registration may count
        // meanwhile, or two could each see room for one.
        tx.lock_registry()?;
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
    tracing::Span::current().record("client_id", client_id.as_str());
    let information = create(tx, &actor, &client_id, &valid, &request, minted)?;
    Ok(Outcome {
        information,
        revision: revision_of(tx, &client_id)?,
        actor,
    })
}

fn prepare(
    mut metadata: MetadataDoc,
    policy: &Policy,
    limits: &Limits,
    credential: Option<&Credential>,
) -> Result<Prepared> {
    let (client_id, client_secret) = match credential {
        Some(Credential::Admin(_)) => take_admin_choices(&mut metadata)?,
        Some(Credential::Bearer(_)) | None => {
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
        secret_expires_in: limits.secret_lifetime.map(Into::into),
        via: RegisteredVia::Http,
    };
    let minted = mint(&request, valid.auth_method().uses_secret())?;
    Ok((valid, minted, request))
}

/// Take an admin's chosen id and secret out of the document.
fn take_admin_choices(metadata: &mut MetadataDoc) -> Result<(Option<String>, Option<Secret>)> {
    let client_id = take_identifier(metadata, "client_id")?;
    let client_secret = take_identifier(metadata, "client_secret")?.map(Secret::new);
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

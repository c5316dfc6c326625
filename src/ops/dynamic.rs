//! Operations of the HTTP registration API (RFC 7591 §3, RFC 7592), where the caller proves
//! itself with a token rather than being a trusted operator.
//!
//! The credential check and the change it authorizes happen in one write transaction: an
//! initial access token is consumed in the same transaction that inserts the client, so a
//! one-use token admits exactly one registration however many arrive at once, and a failed
//! registration spends no use. A registration access token is checked in the transaction
//! that deletes its client. An unknown client and a wrong token are the same answer
//! ([`Error::CredentialRejected`]), so client ids cannot be probed.

use super::accounts::consume_initial_access_token;
use super::register::{create, Minted};
use super::{record, Actor, Register, Store};
use crate::credentials::{self, Secret};
use crate::model::RegisteredVia;
use crate::registration::{validate, ClientInformation, MetadataDoc, MetadataError, Policy};
use crate::{time, Error, Result};
use serde_json::json;

/// Members only an admin may set in a registration request: a dynamic client gets a
/// generated id and secret. The `ext_param_` spellings are WSO2's.
pub const ADMIN_ONLY_FIELDS: &[&str] = &[
    "client_id",
    "ext_param_client_id",
    "client_secret",
    "ext_param_client_secret",
];

/// The outcome of [`register_dynamic`].
#[derive(Debug, Clone)]
pub struct DynamicRegistration {
    /// The §4 response, with the new secret (if any) and registration access token.
    pub information: ClientInformation,
    /// The new client's revision, from which the HTTP `ETag` is derived.
    pub revision: i64,
    /// Who registered it, as the audit log records it: `http:iat:<token id>` or
    /// `http:anonymous`.
    pub actor: Actor,
}

/// Register a client for an HTTP caller. With `initial_access_token`, the token (raw or
/// base64-encoded) is consumed in the same transaction that inserts the client; with `None`
/// the registration is anonymous, which the caller must only allow under open registration.
///
/// The credential is checked before the metadata, so a caller without a valid token learns
/// nothing about the rules; a rejected document rolls the transaction back and spends no use.
///
/// # Errors
/// [`Error::CredentialRejected`] for a wrong, expired, revoked or used-up token;
/// `invalid_client_metadata` for a document naming any of [`ADMIN_ONLY_FIELDS`], and the
/// errors of [`crate::registration::validate`]; storage failures.
pub fn register_dynamic(
    store: &mut Store,
    policy: &Policy,
    metadata: MetadataDoc,
    initial_access_token: Option<&str>,
) -> Result<DynamicRegistration> {
    // Validation and minting are pure and run before the write lock is taken; their outcome
    // is reported only once the credential has been accepted.
    let checked = check_dynamic_document(&metadata)
        .and_then(|()| validate(&metadata, policy))
        .map(|valid| {
            let minted = Minted::generate(valid.auth_method().uses_secret());
            (valid, minted)
        });
    let request = Register {
        metadata,
        client_id: None,
        client_secret: None,
        secret_expires_in: None,
        via: RegisteredVia::Http,
    };
    let client_id = credentials::new_client_id();
    store.write(|tx| {
        let actor = match initial_access_token {
            Some(presented) => {
                let token_id = consume_initial_access_token(tx, presented, time::now())?
                    .ok_or(Error::CredentialRejected)?;
                Actor::http(&format!("iat:{token_id}"))
            }
            None => Actor::http("anonymous"),
        };
        let (valid, minted) = checked?;
        let information = create(tx, &actor, &client_id, &valid, &request, minted)?;
        let revision = tx
            .client(&client_id)?
            .ok_or_else(|| Error::client_not_found(&client_id))?
            .revision;
        Ok(DynamicRegistration {
            information,
            revision,
            actor,
        })
    })
}

/// Refuse the members a dynamic registration may not choose.
fn check_dynamic_document(metadata: &MetadataDoc) -> Result<(), MetadataError> {
    match ADMIN_ONLY_FIELDS
        .iter()
        .find(|field| metadata.contains_key(**field))
    {
        Some(field) => Err(MetadataError::metadata(
            *field,
            "may only be chosen by an administrator",
        )),
        None => Ok(()),
    }
}

/// Delete `client_id` if `token` is its current registration access token (RFC 7592 §2.3),
/// checking and deleting in one transaction; its secret and token stop working at once.
///
/// # Errors
/// [`Error::CredentialRejected`] for an unknown client or any other token; storage failures.
pub fn delete_with_token(store: &mut Store, client_id: &str, token: &Secret) -> Result<()> {
    store.write(|tx| {
        let accepted = tx
            .registration_token_hash(client_id)?
            .is_some_and(|hash| credentials::verify(token.expose(), &hash));
        if !accepted || !tx.delete_client(client_id)? {
            return Err(Error::CredentialRejected);
        }
        record(
            tx,
            &Actor::http(client_id),
            "delete",
            client_id,
            time::now(),
            json!({ "via": "http" }),
        )
    })
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
    use crate::ops::{
        check_registration_token, create_initial_access_token, events, show, CreateToken,
        EventFilter,
    };

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("clients.db")).unwrap();
        (dir, store)
    }

    fn doc(text: &str) -> MetadataDoc {
        crate::registration::parse_document(text.as_bytes()).unwrap()
    }

    fn web() -> MetadataDoc {
        doc(r#"{"client_name":"web","redirect_uris":["https://app.example.com/cb"]}"#)
    }

    fn one_use_token(store: &mut Store) -> String {
        let request = CreateToken {
            max_uses: Some(1),
            ..CreateToken::default()
        };
        create_initial_access_token(store, &Actor::cli("t"), request)
            .unwrap()
            .token
            .expose()
            .to_owned()
    }

    #[test]
    fn a_token_registers_once_and_names_itself_in_the_audit_log() {
        let (_dir, mut store) = store();
        let token = one_use_token(&mut store);
        let done = register_dynamic(&mut store, &Policy::default(), web(), Some(&token)).unwrap();
        assert!(done.actor.as_str().starts_with("http:iat:iat_"));
        assert!(done.information.client_secret.is_some());
        assert_eq!(done.revision, 1);
        let client = show(&mut store, &done.information.client_id).unwrap();
        assert_eq!(client.registered_via, RegisteredVia::Http);
        let again = register_dynamic(&mut store, &Policy::default(), web(), Some(&token));
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
        let error = register_dynamic(&mut store, &Policy::default(), bad.clone(), Some(&token));
        assert!(matches!(error, Err(Error::InvalidMetadata(_))));
        let wrong = register_dynamic(&mut store, &Policy::default(), bad, Some("dcriat_nope"));
        assert!(matches!(wrong, Err(Error::CredentialRejected)));
        register_dynamic(&mut store, &Policy::default(), web(), Some(&token)).unwrap();
    }

    #[test]
    fn admin_only_fields_are_refused() {
        let (_dir, mut store) = store();
        for field in ADMIN_ONLY_FIELDS {
            let mut metadata = web();
            metadata.insert((*field).into(), "chosen".into());
            let error = register_dynamic(&mut store, &Policy::default(), metadata, None);
            match error {
                Err(Error::InvalidMetadata(e)) => assert_eq!(e.field, *field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }

    #[test]
    fn delete_needs_the_clients_own_token() {
        let (_dir, mut store) = store();
        let a = register_dynamic(&mut store, &Policy::default(), web(), None).unwrap();
        let b = register_dynamic(&mut store, &Policy::default(), web(), None).unwrap();
        assert_eq!(a.actor.as_str(), "http:anonymous");
        let token_of = |d: &DynamicRegistration| {
            Secret::new(d.information.registration_access_token.clone().unwrap())
        };
        let a_id = &a.information.client_id;
        let refused = delete_with_token(&mut store, a_id, &token_of(&b));
        assert!(matches!(refused, Err(Error::CredentialRejected)));
        let unknown = delete_with_token(&mut store, "nope", &token_of(&a));
        assert!(matches!(unknown, Err(Error::CredentialRejected)));
        delete_with_token(&mut store, a_id, &token_of(&a)).unwrap();
        assert!(check_registration_token(&mut store, a_id, &token_of(&a)).is_err());
        let again = delete_with_token(&mut store, a_id, &token_of(&a));
        assert!(matches!(again, Err(Error::CredentialRejected)));
        ping(&mut store).unwrap();
    }
}

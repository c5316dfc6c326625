//! Tests of the HTTP operations, each run in its own transaction as a server would.

use super::*;
use crate::credentials::Secret;
use crate::model::RegisteredVia;
use crate::ops::test_support::store;
use crate::ops::{create_initial_access_token, events, show, CreateToken, EventFilter};
use crate::ops::{Actor, RotateSecret, Store};
use crate::registration::{MetadataDoc, Policy};
use crate::time;
use crate::{Error, Result};

/// The operations as a caller with a store runs them: each in its own transaction.
fn register_dynamic(
    store: &mut Store,
    policy: &Policy,
    limits: &Limits,
    metadata: MetadataDoc,
    credential: Option<&Credential>,
) -> Result<Outcome> {
    let prepared = prepare_registration(metadata, policy, limits, credential);
    store.write(|tx| register(tx, limits, prepared, credential))
}

fn read_with_credential(store: &mut Store, id: &str, credential: &Credential) -> Result<Outcome> {
    let (read, record) = store.read(|tx| read(tx, id, credential))?;
    if let Some(record) = record {
        store.write(|tx| record.record(tx))?;
    }
    Ok(read)
}

fn secret_check_with_credential(
    store: &mut Store,
    id: &str,
    credential: &Credential,
    presented: &[String],
) -> Result<Option<crate::ops::SecretCheck>> {
    store.read(|tx| secret_check(tx, id, credential, presented))
}

fn replace_with_credential(
    store: &mut Store,
    policy: &Policy,
    limits: &Limits,
    id: &str,
    credential: &Credential,
    document: &MetadataDoc,
    if_revision: Option<&[i64]>,
) -> Result<Outcome> {
    let mut prepared = prepare_replacement(document, id, policy);
    let presented = prepared.presented_secrets().to_vec();
    if let Some(check) = secret_check_with_credential(store, id, credential, &presented)? {
        prepared = prepared.with_verdict(check.verify());
    }
    store.write(|tx| replace(tx, policy, limits, id, credential, prepared, if_revision))
}

fn rotate_secret_with_credential(
    store: &mut Store,
    limits: &Limits,
    id: &str,
    credential: &Credential,
) -> Result<Outcome> {
    store.write(|tx| rotate_secret(tx, limits, id, credential))
}

fn rotate_token_with_credential(
    store: &mut Store,
    id: &str,
    credential: &Credential,
) -> Result<Outcome> {
    store.write(|tx| rotate_token(tx, id, credential))
}

fn delete_with_credential(
    store: &mut Store,
    id: &str,
    credential: &Credential,
    if_revision: Option<&[i64]>,
) -> Result<()> {
    store.write(|tx| delete(tx, id, credential, if_revision))
}

fn doc(text: &str) -> MetadataDoc {
    crate::registration::parse_document(text.as_bytes()).unwrap()
}

/// Register `web()` anonymously under the default policy.
fn anonymous(store: &mut Store, limits: &Limits) -> Result<Outcome> {
    register_dynamic(store, &Policy::default(), limits, web(), None)
}

/// The registration access token a registration returned, as a credential.
fn rat(registration: &Outcome) -> Credential {
    let token = registration.information.registration_access_token.clone();
    Credential::Bearer(Secret::new(token.unwrap()))
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
        Some(&Credential::Bearer(Secret::new(token.clone()))),
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
        Some(&Credential::Bearer(Secret::new(token.clone()))),
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
        Some(&Credential::Bearer(Secret::new(token.clone()))),
    );
    assert!(matches!(error, Err(Error::InvalidMetadata(_))));
    let wrong = register_dynamic(
        &mut store,
        &Policy::default(),
        &Limits::default(),
        bad,
        Some(&Credential::Bearer(Secret::new("dcriat_nope".into()))),
    );
    assert!(matches!(wrong, Err(Error::CredentialRejected)));
    register_dynamic(
        &mut store,
        &Policy::default(),
        &Limits::default(),
        web(),
        Some(&Credential::Bearer(Secret::new(token.clone()))),
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
            None,
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
    store.read(ping).unwrap();
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
        Some(&Credential::Admin("root".into())),
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
        Some(&Credential::Admin("root".into())),
    );
    let kind = again.as_ref().map_err(Error::kind).unwrap_err();
    assert_eq!(kind, crate::ErrorKind::Conflict, "{again:?}");
    let gone = register_dynamic(
        &mut store,
        &Policy::default(),
        &Limits::default(),
        web(),
        Some(&Credential::Admin("nobody".into())),
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
            Some(&Credential::Admin("root".into())),
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
            replace(
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
    let stranger = Credential::Bearer(Secret::new("dcrrat_nope".into()));
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
    let graced = RotateSecret {
        grace: Some(Duration::from_secs(3600)),
        expires_in: None,
    };
    store
        .write(|tx| {
            let actor = Actor::cli("t");
            crate::ops::rotate_secret(tx, &actor, &id, &graced, &mut crate::ops::after_commit)
        })
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

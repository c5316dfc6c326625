//! Declarative provisioning: `apply` makes the registry match a list of client documents,
//! `export` prints the registry as such a list.
//!
//! `apply` runs in three steps so that each guarantee has one place:
//!
//! 1. [`DesiredState::push`] checks each document (its `client_id`, duplicates, and every
//!    metadata rule) as it is read, before anything is read from or written to the registry, so
//!    one bad document in a file of thousands changes nothing, and the error names the
//!    document, its `client_id` and the field. Only a compact form of each checked document is
//!    kept (its id and its effective metadata as JSON text), never the parsed tree, so a file
//!    costs about its own size in memory, however its documents are shaped.
//! 2. [`plan_apply`] compares the documents with the registry in a read snapshot. That is all
//!    a `--dry-run` needs, and all an already-applied file needs: with nothing to change, no
//!    write lock is taken and nothing is written, not even an audit entry.
//! 3. [`apply`] makes every change in one IMMEDIATE transaction. It compares again inside it,
//!    so a client changed by someone else after the plan is brought to the file's state rather
//!    than reported from a stale read; deletions are limited to the ones the plan showed (and
//!    the operator confirmed).
//!
//! A document is the client's whole desired metadata (RFC 7592 replacement semantics): members
//! it omits are removed or fall back to their defaults. Each create, update and delete writes
//! its audit row in the same transaction. Credentials are issued to created clients and
//! returned once; an existing client gets none, except when the file makes a public client
//! confidential, which issues it its first secret (shown once, like every new secret).

use super::register::{self, check_client_id, Minted, Register};
use super::update::change_metadata;
use super::{delivered, record, Actor, Deliver, ListFilter, Store};
use crate::credentials::Secret;
use crate::model::Action;
use crate::model::{ClientSummary, RegisteredVia};
use crate::registration::{
    take_identifier, validate, MetadataDoc, MetadataError, Policy, ValidMetadata,
};
use crate::store::Tx;
use crate::{time, Error, Result};
use serde_json::json;
use std::collections::HashMap;

/// A checked apply file: one valid document per `client_id`, in file order.
#[derive(Debug, Clone, Default)]
pub struct DesiredState {
    clients: Vec<DesiredClient>,
    /// Each client's index in `clients`.
    index: HashMap<String, usize>,
}

#[derive(Debug, Clone)]
struct DesiredClient {
    client_id: String,
    /// The effective (validated, defaulted) document as the store writes it: compared with
    /// stored rows as text, and parsed again only for the clients that change.
    compact: Box<str>,
    /// Whether the client's auth method uses a secret, to mint its credentials.
    uses_secret: bool,
}

impl DesiredClient {
    /// The document's metadata, checked again (the check is deterministic and the compact
    /// form is its own result, so this cannot fail unless the rules changed in between).
    fn valid(&self) -> Result<ValidMetadata> {
        let field = || format!("client_id {:?}", self.client_id);
        let doc: MetadataDoc = serde_json::from_str(&self.compact)
            .map_err(|e| MetadataError::metadata(field(), e.to_string()))?;
        validate(&doc, &Policy::default()).map_err(|error| {
            MetadataError {
                field: format!("{}: {}", field(), error.field),
                ..error
            }
            .into()
        })
    }
}

impl DesiredState {
    /// No documents yet.
    pub fn new() -> Self {
        DesiredState::default()
    }

    /// Check the next document of the file (its index is [`DesiredState::len`]) and keep it.
    /// The document needs a string `client_id` that passes [`check_client_id`] and appears
    /// once, and metadata that passes [`validate`] with the command line's
    /// [`Policy::default`].
    ///
    /// # Errors
    /// `invalid_client_metadata` (or `invalid_redirect_uri`), the field prefixed with the
    /// document's index (from 0) and, once known, its `client_id`:
    /// `documents[3].client_id`, `documents[3] (client_id "billing"): redirect_uris[0]`.
    pub fn push(&mut self, mut doc: MetadataDoc) -> Result<()> {
        let index = self.clients.len();
        let id_field = format!("documents[{index}].client_id");
        let at_index = |error: MetadataError| MetadataError {
            field: format!("documents[{index}].{}", error.field),
            ..error
        };
        let Some(client_id) = take_identifier(&mut doc, "client_id").map_err(at_index)? else {
            return Err(MetadataError::metadata(
                id_field,
                "is missing: apply identifies each client by its client_id",
            )
            .into());
        };
        check_client_id(&client_id).map_err(|error| MetadataError {
            field: id_field.clone(),
            ..error
        })?;
        if let Some(&first) = self.index.get(&client_id) {
            return Err(MetadataError::metadata(
                id_field,
                format!("{client_id:?} already appears in documents[{first}]"),
            )
            .into());
        }
        let valid = validate(&doc, &Policy::default()).map_err(|error| MetadataError {
            field: format!(
                "documents[{index}] (client_id {client_id:?}): {}",
                error.field
            ),
            ..error
        })?;
        // A map with string keys always encodes.
        let compact = serde_json::to_string(valid.doc()).unwrap_or_default();
        self.index.insert(client_id.clone(), index);
        self.clients.push(DesiredClient {
            client_id,
            compact: compact.into_boxed_str(),
            uses_secret: valid.auth_method().uses_secret(),
        });
        Ok(())
    }

    /// How many client documents the file holds.
    pub fn len(&self) -> usize {
        self.clients.len()
    }

    /// Whether the file holds no document.
    pub fn is_empty(&self) -> bool {
        self.clients.is_empty()
    }

    /// The documents' client ids, in file order.
    pub fn client_ids(&self) -> impl Iterator<Item = &str> {
        self.clients.iter().map(|client| client.client_id.as_str())
    }
}

/// Check every document of an apply file with [`DesiredState::push`], in order.
///
/// # Errors
/// The first bad document's, as [`DesiredState::push`] gives it.
pub fn desired_state(documents: impl IntoIterator<Item = MetadataDoc>) -> Result<DesiredState> {
    let mut desired = DesiredState::new();
    for doc in documents {
        desired.push(doc)?;
    }
    Ok(desired)
}

/// What happened, or would happen, to one client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyAction {
    /// Not in the registry: registered from its document.
    Created,
    /// In the registry with other metadata: replaced by its document.
    Updated,
    /// In the registry exactly as the document says: not touched.
    Unchanged,
    /// In the registry but not in the file (only with prune).
    Deleted,
}

impl ApplyAction {
    /// The word reports use: `created`, `updated`, `unchanged`, `deleted`.
    pub fn as_str(self) -> &'static str {
        match self {
            ApplyAction::Created => "created",
            ApplyAction::Updated => "updated",
            ApplyAction::Unchanged => "unchanged",
            ApplyAction::Deleted => "deleted",
        }
    }
}

/// Credentials issued by an apply, shown once. Its `Debug` is redacted, as [`Secret`]'s is.
#[derive(Debug, Clone)]
pub struct IssuedCredentials {
    /// The new client secret (confidential clients that use one).
    pub client_secret: Option<Secret>,
    /// The new registration access token (every created client).
    pub registration_access_token: Option<Secret>,
    /// `client_secret_expires_at` as §4 shows it; `None` for public clients.
    pub client_secret_expires_at: Option<i64>,
}

/// One client of an [`ApplyReport`].
#[derive(Debug, Clone)]
pub struct AppliedClient {
    /// The client.
    pub client_id: String,
    /// What happened to it.
    pub action: ApplyAction,
    /// Credentials issued to it, when any were.
    pub issued: Option<IssuedCredentials>,
}

/// The outcome of [`apply`], or the preview of a plan.
#[derive(Debug, Clone)]
pub struct ApplyReport {
    /// The file's clients in file order, then the deleted ones in registration order.
    pub clients: Vec<AppliedClient>,
    /// Whether this is only a plan: nothing was written.
    pub dry_run: bool,
}

impl ApplyReport {
    /// How many clients had `action`.
    pub fn count(&self, action: ApplyAction) -> usize {
        self.clients.iter().filter(|c| c.action == action).count()
    }
}

/// How a document compares with the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stored {
    Absent,
    Same,
    Different,
}

/// The changes [`apply`] would make, computed from one read snapshot.
#[derive(Debug, Clone)]
pub struct ApplyPlan {
    desired: DesiredState,
    stored: Vec<Stored>,
    deletions: Vec<String>,
}

impl ApplyPlan {
    /// Clients the plan deletes (with prune: those not in the file), in registration order.
    pub fn deletions(&self) -> &[String] {
        &self.deletions
    }

    /// Whether applying would write anything.
    pub fn has_changes(&self) -> bool {
        !self.deletions.is_empty() || self.stored.iter().any(|s| *s != Stored::Same)
    }

    /// How many clients applying handles: every document plus every deletion, which is what
    /// [`apply`] reports progress against.
    pub fn total(&self) -> u64 {
        u64::try_from(self.desired.len() + self.deletions.len()).unwrap_or(u64::MAX)
    }

    /// The plan as a report (`dry_run` set), without credentials since none were issued.
    pub fn preview(&self) -> ApplyReport {
        let documents = self.desired.clients.iter().zip(&self.stored).map(|(c, s)| {
            let action = match s {
                Stored::Absent => ApplyAction::Created,
                Stored::Same => ApplyAction::Unchanged,
                Stored::Different => ApplyAction::Updated,
            };
            AppliedClient {
                client_id: c.client_id.clone(),
                action,
                issued: None,
            }
        });
        let deletions = self.deletions.iter().map(|client_id| AppliedClient {
            client_id: client_id.clone(),
            action: ApplyAction::Deleted,
            issued: None,
        });
        ApplyReport {
            clients: documents.chain(deletions).collect(),
            dry_run: true,
        }
    }
}

/// Compare `desired` with the registry; with `prune`, clients not in it are to be deleted.
///
/// # Errors
/// Storage failures only.
pub fn plan_apply(store: &mut Store, desired: DesiredState, prune: bool) -> Result<ApplyPlan> {
    let (stored, deletions) = store.read(|tx| survey(tx, &desired, prune))?;
    Ok(ApplyPlan {
        desired,
        stored,
        deletions,
    })
}

/// Carry out `plan` in one write transaction: create missing clients (registered via
/// `apply`, with credentials as `register` issues them), replace the metadata of changed ones,
/// leave the others untouched, and delete the plan's deletions that still exist. A plan with
/// no change returns at once, without taking the write lock or writing anything.
///
/// `progress` is called with the number of clients handled so far, up to
/// [`ApplyPlan::total`].
///
/// # Errors
/// Storage failures; nothing is written then.
pub fn apply(
    store: &mut Store,
    actor: &Actor,
    plan: ApplyPlan,
    progress: &mut dyn FnMut(u64),
    deliver: Deliver<'_, ApplyReport>,
) -> Result<ApplyReport> {
    if !plan.has_changes() {
        let report = ApplyReport {
            dry_run: false,
            ..plan.preview()
        };
        return delivered(report, deliver);
    }
    // Mint before taking the write lock; a client that appears absent only inside the
    // transaction (deleted meanwhile) gets its credentials minted there.
    let mut minted: Vec<Option<Minted>> = plan
        .desired
        .clients
        .iter()
        .zip(&plan.stored)
        .map(|(client, stored)| (*stored == Stored::Absent).then(|| mint(client)))
        .collect();
    let ApplyPlan {
        desired, deletions, ..
    } = plan;
    store.write(|tx| {
        // What the registry holds decides every create, update and delete below.
        tx.lock_registry()?;
        let (stored, _) = survey(tx, &desired, false)?;
        let now = time::now();
        let policy = Policy::default();
        let mut clients = Vec::with_capacity(desired.len() + deletions.len());
        let mut done = 0u64;
        for ((client, stored), minted) in desired.clients.iter().zip(stored).zip(&mut minted) {
            let applied = match stored {
                Stored::Absent => {
                    let minted = minted.take().unwrap_or_else(|| mint(client));
                    create(tx, actor, client, minted)?
                }
                Stored::Same => AppliedClient {
                    client_id: client.client_id.clone(),
                    action: ApplyAction::Unchanged,
                    issued: None,
                },
                Stored::Different => {
                    let current = tx
                        .client(&client.client_id)?
                        .ok_or_else(|| Error::client_not_found(&client.client_id))?;
                    let valid = client.valid()?;
                    let info = change_metadata(tx, actor, &policy, &current, valid.doc())?;
                    let issued = info.client_secret.map(|secret| IssuedCredentials {
                        client_secret: Some(Secret::new(secret)),
                        registration_access_token: None,
                        client_secret_expires_at: info.client_secret_expires_at,
                    });
                    AppliedClient {
                        client_id: client.client_id.clone(),
                        action: ApplyAction::Updated,
                        issued,
                    }
                }
            };
            clients.push(applied);
            done += 1;
            progress(done);
        }
        for client_id in &deletions {
            if tx.delete_client(client_id)? {
                record(
                    tx,
                    actor,
                    Action::Delete,
                    Some(client_id),
                    now,
                    json!({ "via": "apply" }),
                )?;
                clients.push(AppliedClient {
                    client_id: client_id.clone(),
                    action: ApplyAction::Deleted,
                    issued: None,
                });
            }
            done += 1;
            progress(done);
        }
        let report = ApplyReport {
            clients,
            dry_run: false,
        };
        delivered(report, deliver)
    })
}

/// Stream every client to `visit` in registration order, as `export` prints them, after
/// telling `total` how many there are; both come from one read snapshot. As
/// [`super::list_whole`] does, it refuses a registry with a damaged client row before
/// visiting any, so an export is never cut short by one.
///
/// # Errors
/// A storage error naming the first damaged client; storage failures; whatever `visit`
/// returns.
pub fn export(
    store: &mut Store,
    total: impl FnOnce(u64),
    visit: impl FnMut(&ClientSummary<'_>) -> Result<()>,
) -> Result<()> {
    store.read(|tx| {
        super::query::refuse_damaged(tx, &ListFilter::default())?;
        total(tx.count_clients()?);
        tx.for_each_client(&ListFilter::default(), visit)
    })
}

/// How each desired client compares with the stored one, and (with `want_absent`) the stored
/// clients the file does not mention, in registration order. With `want_absent` this is one
/// pass over the clients table; without, one indexed lookup per document, so a small file
/// costs little in a large registry.
fn survey(
    tx: &Tx<'_>,
    desired: &DesiredState,
    want_absent: bool,
) -> Result<(Vec<Stored>, Vec<String>)> {
    let compare = |stored_json: &str, client: &DesiredClient| {
        if same_metadata(stored_json, client) {
            Stored::Same
        } else {
            Stored::Different
        }
    };
    if !want_absent {
        let mut stored = Vec::with_capacity(desired.len());
        for client in &desired.clients {
            stored.push(match tx.stored_metadata(&client.client_id)? {
                Some(json) => compare(&json, client),
                None => Stored::Absent,
            });
        }
        return Ok((stored, Vec::new()));
    }
    let mut stored = vec![Stored::Absent; desired.len()];
    let mut absent = Vec::new();
    tx.for_each_client(&ListFilter::default(), |row| {
        match desired.index.get(row.client_id) {
            Some(&index) => stored[index] = compare(row.metadata_json, &desired.clients[index]),
            None => absent.push(row.client_id.to_owned()),
        }
        Ok::<(), Error>(())
    })?;
    Ok((stored, absent))
}

/// Whether the stored metadata is the desired effective document, by the same rule as
/// `change_metadata` (equal members in the same order); the text comparison is the fast path
/// for rows this binary wrote.
fn same_metadata(stored_json: &str, wanted: &DesiredClient) -> bool {
    if stored_json == &*wanted.compact {
        return true;
    }
    let (Ok(stored), Ok(wanted)) = (
        serde_json::from_str::<MetadataDoc>(stored_json),
        serde_json::from_str::<MetadataDoc>(&wanted.compact),
    ) else {
        return false;
    };
    stored == wanted && stored.keys().eq(wanted.keys())
}

fn mint(client: &DesiredClient) -> Minted {
    Minted::generate(client.uses_secret)
}

/// Register one client as `ops::register` does, with `registered_via = apply`.
fn create(
    tx: &Tx<'_>,
    actor: &Actor,
    client: &DesiredClient,
    minted: Minted,
) -> Result<AppliedClient> {
    let request = Register {
        metadata: MetadataDoc::new(),
        client_id: None,
        client_secret: None,
        secret_expires_in: None,
        via: RegisteredVia::Apply,
    };
    let info = register::create(
        tx,
        actor,
        &client.client_id,
        &client.valid()?,
        &request,
        minted,
    )?;
    Ok(AppliedClient {
        client_id: client.client_id.clone(),
        action: ApplyAction::Created,
        issued: Some(IssuedCredentials {
            client_secret: info.client_secret.map(Secret::new),
            registration_access_token: info.registration_access_token.map(Secret::new),
            client_secret_expires_at: info.client_secret_expires_at,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn doc(value: Value) -> MetadataDoc {
        match value {
            Value::Object(map) => map,
            _ => MetadataDoc::new(),
        }
    }

    fn error_of(documents: Vec<Value>) -> MetadataError {
        match desired_state(documents.into_iter().map(doc)) {
            Err(Error::InvalidMetadata(error)) => error,
            other => panic!("expected invalid metadata, got {other:?}"),
        }
    }

    #[test]
    fn accepts_documents_with_distinct_ids() {
        let desired = desired_state(vec![
            doc(json!({"client_id": "a", "grant_types": ["client_credentials"]})),
            doc(json!({"client_id": "b", "redirect_uris": ["https://b.example/cb"]})),
        ])
        .unwrap();
        assert_eq!(desired.len(), 2);
        assert!(!desired.clients[0]
            .valid()
            .unwrap()
            .doc()
            .contains_key("client_id"));
        // The compact form is the checked document, and checks again to itself.
        for client in &desired.clients {
            assert_eq!(
                serde_json::to_string(client.valid().unwrap().doc()).unwrap(),
                &*client.compact
            );
        }
        assert!(desired.clients[0]
            .compact
            .contains("\"grant_types\":[\"client_credentials\"]"));
    }

    #[test]
    fn names_the_document_its_id_and_the_field() {
        let error = error_of(vec![
            json!({"client_id": "a", "grant_types": ["client_credentials"]}),
            json!({"client_id": "billing", "redirect_uris": ["http://evil.example/cb"]}),
        ]);
        assert_eq!(
            error.field,
            "documents[1] (client_id \"billing\"): redirect_uris[0]"
        );
        assert_eq!(error.code.as_str(), "invalid_redirect_uri");
        let cc = json!({"grant_types": ["client_credentials"]});
        let with_id = |id: Value| {
            let mut d = doc(cc.clone());
            d.insert("client_id".into(), id);
            Value::Object(d)
        };
        assert_eq!(error_of(vec![cc.clone()]).field, "documents[0].client_id");
        assert_eq!(
            error_of(vec![with_id(json!(7))]).field,
            "documents[0].client_id"
        );
        assert_eq!(
            error_of(vec![with_id(json!("no spaces"))]).field,
            "documents[0].client_id"
        );
        let duplicate = error_of(vec![
            with_id(json!("x")),
            with_id(json!("y")),
            with_id(json!("x")),
        ]);
        assert_eq!(duplicate.field, "documents[2].client_id");
        assert!(
            duplicate.rule.contains("documents[0]"),
            "{}",
            duplicate.rule
        );
    }
}

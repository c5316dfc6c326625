//! Declarative provisioning: `apply` makes the registry match a list of client documents,
//! `export` prints the registry as such a list.
//!
//! `apply` runs in three steps so that each guarantee has one place, and none of them holds
//! the file, or anything per client, in memory: the documents go to a temporary table of the
//! store's connection, and each later step reads them back from it a batch at a time.
//!
//! 1. [`stage_apply`] checks each document (its `client_id`, duplicates, and every metadata
//!    rule) as it is read, before anything is read from or written to the registry, and
//!    stages the valid ones as their effective metadata in compact JSON. Every invalid
//!    document is found (the first [`MAX_REPORTED_INVALID`] are kept, the rest counted), so
//!    a file is fixed in one round; one bad document in a file of thousands changes nothing.
//! 2. [`plan_apply`] compares the documents with the registry in a read snapshot. That is all
//!    a `--dry-run` needs (it reports each client as the plan sees it), and all an
//!    already-applied file needs: with nothing to change, no write lock is taken and nothing
//!    is written, not even an audit entry.
//! 3. [`apply`] makes every change in one IMMEDIATE transaction, reporting each client as it
//!    is handled. It compares again inside it, so a client changed by someone else after the
//!    plan is brought to the file's state rather than reported from a stale read; deletions
//!    are limited to the clients the plan found (and the operator confirmed): none registered
//!    after it.
//!
//! A document is the client's whole desired metadata (RFC 7592 replacement semantics): members
//! it omits are removed or fall back to their defaults. Each create, update and delete writes
//! its audit row in the same transaction. Credentials are issued to created clients and
//! returned once; an existing client gets none, except when the file makes a public client
//! confidential, which issues it its first secret (shown once, like every new secret).

use super::register::{self, check_client_id, Minted, Register};
use super::update::change_metadata;
use super::{record, Actor, ListFilter, Store};
use crate::credentials::Secret;
use crate::model::Action;
use crate::model::{ClientSummary, RegisteredVia};
use crate::registration::{
    take_identifier, validate, MetadataDoc, MetadataError, Policy, ValidMetadata,
};
use crate::store::{DocumentToStage, PrunePosition, StagedDocument, StoreError, Tx};
use crate::{time, Error, Result};
use serde_json::json;

/// At most this many invalid documents of a file are reported one by one; the others are
/// only counted, so that a huge bad file cannot flood memory or the terminal.
pub const MAX_REPORTED_INVALID: usize = 100;

/// At most this many clients that `--prune` would delete are named by [`ApplyPlan`].
pub const NAMED_DELETIONS: usize = 10;

/// Staged documents or registry rows read back at once: each document is at most 64 KiB, so
/// a batch is at most a few MB whatever the file's size.
const BATCH: usize = 64;

/// Documents checked before they are staged together: one round trip to the store per batch.
const STAGE_BATCH: usize = 64;

/// An apply file being read: each document is checked and staged by [`Staging::push`].
pub struct Staging<'t> {
    tx: &'t Tx<'t>,
    read: u64,
    /// Documents read since the last batch was staged, in file order.
    pending: Vec<Pending>,
    invalid: Vec<MetadataError>,
    unreported: u64,
}

/// A document read and checked, not yet staged: whether it is a duplicate is known only once
/// it is, so its error (if any) waits with it and the errors stay in file order.
enum Pending {
    /// Invalid before its `client_id` could be known.
    Invalid(MetadataError),
    /// Staged under its `client_id`: with its effective metadata, or with the error that
    /// makes it invalid.
    Stage {
        index: u64,
        client_id: String,
        checked: std::result::Result<(String, bool), MetadataError>,
    },
}

impl Staging<'_> {
    /// How many documents were read so far: the index of the next one.
    pub fn len(&self) -> u64 {
        self.read
    }

    /// Whether no document was read yet.
    pub fn is_empty(&self) -> bool {
        self.read == 0
    }

    /// Count the next document as invalid, for `error`, which names it (the reader found it
    /// unreadable as a document: not an object, a duplicate key, too large).
    ///
    /// # Errors
    /// Storage failures only.
    pub fn reject(&mut self, error: MetadataError) -> Result<()> {
        self.read += 1;
        self.enqueue(Pending::Invalid(error))
    }

    /// Check the next document of the file (its index is [`Staging::len`]) and stage it.
    /// The document needs a string `client_id` that passes [`check_client_id`] and appears
    /// once, and metadata that passes [`validate`] with the command line's
    /// [`Policy::default`]. A document that does not is counted among the invalid ones with
    /// its error: `invalid_client_metadata` (or `invalid_redirect_uri`), the field prefixed
    /// with the document's index (from 0) and, once known, its `client_id`:
    /// `documents[3].client_id`, `documents[3] (client_id "billing"): redirect_uris[0]`.
    ///
    /// # Errors
    /// Storage failures only.
    pub fn push(&mut self, doc: MetadataDoc) -> Result<()> {
        let index = self.read;
        self.read += 1;
        let pending = check(index, doc);
        self.enqueue(pending)
    }

    fn enqueue(&mut self, pending: Pending) -> Result<()> {
        self.pending.push(pending);
        if self.pending.len() >= STAGE_BATCH {
            self.flush()?;
        }
        Ok(())
    }

    /// Stage the pending documents, then note the errors among them in file order.
    fn flush(&mut self) -> Result<()> {
        let pending = std::mem::take(&mut self.pending);
        let documents: Vec<DocumentToStage<'_>> = pending
            .iter()
            .filter_map(|pending| match pending {
                Pending::Invalid(_) => None,
                Pending::Stage {
                    index,
                    client_id,
                    checked,
                } => Some(DocumentToStage {
                    index: *index,
                    client_id,
                    document: checked.as_ref().ok().map(|(text, _)| text.as_str()),
                    uses_secret: checked.as_ref().is_ok_and(|(_, secret)| *secret),
                }),
            })
            .collect();
        let mut duplicates = if documents.is_empty() {
            Vec::new()
        } else {
            self.tx.stage_apply_documents(&documents)?
        }
        .into_iter();
        drop(documents);
        for pending in pending {
            match pending {
                Pending::Invalid(error) => self.note_invalid(error),
                Pending::Stage {
                    index,
                    client_id,
                    checked,
                } => {
                    if let Some(first) = duplicates.next().flatten() {
                        self.note_invalid(MetadataError::metadata(
                            format!("documents[{index}].client_id"),
                            format!("{client_id:?} already appears in documents[{first}]"),
                        ));
                    } else if let Err(error) = checked {
                        self.note_invalid(error);
                    }
                }
            }
        }
        Ok(())
    }

    fn note_invalid(&mut self, error: MetadataError) {
        if self.invalid.len() < MAX_REPORTED_INVALID {
            self.invalid.push(error);
        } else {
            self.unreported += 1;
        }
    }
}

/// Document `index` checked: its `client_id`, then its metadata as its effective compact
/// JSON text and whether it uses a secret.
fn check(index: u64, mut doc: MetadataDoc) -> Pending {
    let id_field = format!("documents[{index}].client_id");
    let client_id = match take_identifier(&mut doc, "client_id") {
        Ok(Some(client_id)) => client_id,
        Ok(None) => {
            return Pending::Invalid(MetadataError::metadata(
                id_field,
                "is missing: apply identifies each client by its client_id",
            ))
        }
        Err(error) => {
            return Pending::Invalid(MetadataError {
                field: format!("documents[{index}].{}", error.field),
                ..error
            })
        }
    };
    if let Err(error) = check_client_id(&client_id) {
        return Pending::Invalid(MetadataError {
            field: id_field,
            ..error
        });
    }
    let checked = match validate(&doc, &Policy::default()) {
        // A map with string keys always encodes.
        Ok(valid) => Ok((
            serde_json::to_string(valid.doc()).unwrap_or_default(),
            valid.auth_method().uses_secret(),
        )),
        Err(error) => Err(MetadataError {
            field: format!(
                "documents[{index}] (client_id {client_id:?}): {}",
                error.field
            ),
            ..error
        }),
    };
    Pending::Stage {
        index,
        client_id,
        checked,
    }
}

/// An apply file staged in the store's connection by [`stage_apply`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedFile {
    documents: u64,
    invalid: Vec<MetadataError>,
    unreported: u64,
}

impl StagedFile {
    /// How many documents the file holds.
    pub fn len(&self) -> u64 {
        self.documents
    }

    /// Whether the file holds no document.
    pub fn is_empty(&self) -> bool {
        self.documents == 0
    }

    /// The first [`MAX_REPORTED_INVALID`] invalid documents' errors, in file order.
    pub fn invalid(&self) -> &[MetadataError] {
        &self.invalid
    }

    /// How many more documents are invalid than [`StagedFile::invalid`] lists.
    pub fn unreported_invalid(&self) -> u64 {
        self.unreported
    }
}

/// Stage an apply file in `store`'s connection: `read` reads the file and hands each
/// document to [`Staging::push`] (or [`Staging::reject`]). Nothing of the registry is read,
/// locked or written. The staged file replaces any staged before on this connection.
///
/// # Errors
/// Whatever `read` returns; storage failures. Invalid documents are no error here: they are
/// listed in the [`StagedFile`], and [`plan_apply`] refuses a file that has any.
pub fn stage_apply<R, E: From<StoreError> + From<Error>>(
    store: &mut Store,
    read: impl FnOnce(&mut Staging<'_>) -> std::result::Result<R, E>,
) -> std::result::Result<(R, StagedFile), E> {
    store.write_temporary(|tx| {
        tx.begin_apply_staging()?;
        let mut staging = Staging {
            tx,
            read: 0,
            pending: Vec::new(),
            invalid: Vec::new(),
            unreported: 0,
        };
        let value = read(&mut staging)?;
        staging.flush()?;
        let staged = StagedFile {
            documents: staging.read,
            invalid: staging.invalid,
            unreported: staging.unreported,
        };
        Ok((value, staged))
    })
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
    /// Every action, in the order reports count them.
    pub const ALL: [ApplyAction; 4] = [
        ApplyAction::Created,
        ApplyAction::Updated,
        ApplyAction::Unchanged,
        ApplyAction::Deleted,
    ];

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

/// One client of an apply's report.
#[derive(Debug, Clone)]
pub struct AppliedClient {
    /// The client.
    pub client_id: String,
    /// What happened to it.
    pub action: ApplyAction,
    /// Credentials issued to it, when any were.
    pub issued: Option<IssuedCredentials>,
}

/// How many clients had each [`ApplyAction`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApplyCounts([u64; 4]);

impl ApplyCounts {
    /// How many clients had `action`.
    pub fn count(&self, action: ApplyAction) -> u64 {
        self.0[action as usize]
    }

    /// Count one more client with `action`.
    pub fn add(&mut self, action: ApplyAction) {
        self.0[action as usize] += 1;
    }

    /// How many clients in all.
    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }
}

/// One piece of an apply's report, handed over as it is produced: each client in file
/// order, then the deleted ones in the order they were stored, then the counts.
#[derive(Debug, Clone, Copy)]
pub enum Reported<'a> {
    /// One client's result.
    Client(&'a AppliedClient),
    /// The end: how many clients had each result.
    End(&'a ApplyCounts),
}

/// Where an apply's report goes, piece by piece. For [`apply`] it is called inside the
/// write transaction, before the commit, as a [`super::Deliver`] is: when it fails, nothing
/// is written.
pub type Report<'a> = &'a mut dyn FnMut(Reported<'_>) -> std::io::Result<()>;

/// How a document compares with the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stored {
    Absent,
    Same,
    Different,
}

impl Stored {
    fn of(document: &StagedDocument) -> Stored {
        match &document.stored {
            None => Stored::Absent,
            Some(stored) if same_metadata(stored, &document.document) => Stored::Same,
            Some(_) => Stored::Different,
        }
    }

    fn action(self) -> ApplyAction {
        match self {
            Stored::Absent => ApplyAction::Created,
            Stored::Same => ApplyAction::Unchanged,
            Stored::Different => ApplyAction::Updated,
        }
    }
}

/// The changes [`apply`] would make, computed from one read snapshot.
#[derive(Debug, Clone)]
pub struct ApplyPlan {
    counts: ApplyCounts,
    named_deletions: Vec<String>,
    /// The last client to delete in walk order: [`apply`] deletes none after it.
    deletions_through: Option<PrunePosition>,
}

impl ApplyPlan {
    /// How many clients each action would touch.
    pub fn counts(&self) -> &ApplyCounts {
        &self.counts
    }

    /// The first [`NAMED_DELETIONS`] clients the plan deletes (with prune: those not in the
    /// file), in the order they were stored.
    pub fn named_deletions(&self) -> &[String] {
        &self.named_deletions
    }

    /// Whether applying would write anything.
    pub fn has_changes(&self) -> bool {
        self.counts.total() != self.counts.count(ApplyAction::Unchanged)
    }

    /// How many clients applying handles: every document plus every deletion, which is what
    /// [`apply`] reports progress against.
    pub fn total(&self) -> u64 {
        self.counts.total()
    }
}

/// Compare the file staged by [`stage_apply`] with the registry; with `prune`, clients not
/// in it are to be deleted. `preview` is handed each client's planned result and then the
/// counts, as [`apply`] would report them (a dry run prints them; others pass a no-op).
///
/// # Errors
/// `invalid_client_metadata` when the staged file has invalid documents (the first one's
/// error; [`StagedFile::invalid`] lists them); a failure of `preview`; storage failures.
pub fn plan_apply(
    store: &mut Store,
    staged: &StagedFile,
    prune: bool,
    preview: Report<'_>,
) -> Result<ApplyPlan> {
    if let Some(first) = staged.invalid.first() {
        return Err(first.clone().into());
    }
    store.read(|tx| {
        let mut counts = ApplyCounts::default();
        for_each_staged(tx, |document| {
            let action = Stored::of(&document).action();
            counts.add(action);
            preview(Reported::Client(&AppliedClient {
                client_id: document.client_id,
                action,
                issued: None,
            }))?;
            Ok(())
        })?;
        let mut named_deletions = Vec::new();
        let mut deletions_through = None;
        if prune {
            let mut after = PrunePosition::default();
            loop {
                let batch = tx.unstaged_clients(after, PrunePosition::LAST, BATCH)?;
                let Some((last, _)) = batch.last() else {
                    break;
                };
                after = *last;
                deletions_through = Some(after);
                for (_, client_id) in batch {
                    counts.add(ApplyAction::Deleted);
                    preview(Reported::Client(&AppliedClient {
                        client_id: client_id.clone(),
                        action: ApplyAction::Deleted,
                        issued: None,
                    }))?;
                    if named_deletions.len() < NAMED_DELETIONS {
                        named_deletions.push(client_id);
                    }
                }
            }
        }
        preview(Reported::End(&counts))?;
        Ok(ApplyPlan {
            counts,
            named_deletions,
            deletions_through,
        })
    })
}

/// Visit the valid staged documents in file order, a batch at a time.
fn for_each_staged(tx: &Tx<'_>, mut visit: impl FnMut(StagedDocument) -> Result<()>) -> Result<()> {
    let mut after = None;
    loop {
        let batch = tx.staged_apply_documents(after, BATCH)?;
        let Some(last) = batch.last() else {
            return Ok(());
        };
        after = Some(last.index);
        for document in batch {
            visit(document)?;
        }
    }
}

/// Carry out `plan` in one write transaction: create missing clients (registered via
/// `apply`, with credentials as `register` issues them), replace the metadata of changed ones,
/// leave the others untouched, and delete the plan's deletions that still exist. Each client's
/// result goes to `report` as soon as it is known, then the counts, all before the commit. A
/// plan with no change reports every client unchanged at once, without taking the write lock
/// or writing anything.
///
/// `progress` is called with the number of clients handled so far, up to
/// [`ApplyPlan::total`].
///
/// # Errors
/// [`Error::Undelivered`] when `report` fails; storage failures. Nothing is written then.
pub fn apply(
    store: &mut Store,
    actor: &Actor,
    plan: &ApplyPlan,
    progress: &mut dyn FnMut(u64),
    report: Report<'_>,
) -> Result<ApplyCounts> {
    let mut report =
        |piece: Reported<'_>| report(piece).map_err(|error| Error::Undelivered(error.to_string()));
    if !plan.has_changes() {
        return store.read(|tx| {
            for_each_staged(tx, |document| {
                report(Reported::Client(&AppliedClient {
                    client_id: document.client_id,
                    action: ApplyAction::Unchanged,
                    issued: None,
                }))
            })?;
            report(Reported::End(&plan.counts))?;
            Ok(plan.counts)
        });
    }
    store.write(|tx| {
        // What the registry holds decides every create, update and delete below.
        tx.lock_registry()?;
        let now = time::now();
        let policy = Policy::default();
        let mut counts = ApplyCounts::default();
        let mut done = 0u64;
        for_each_staged(tx, |document| {
            let applied = match Stored::of(&document) {
                Stored::Absent => create(tx, actor, &document)?,
                Stored::Same => AppliedClient {
                    client_id: document.client_id,
                    action: ApplyAction::Unchanged,
                    issued: None,
                },
                Stored::Different => {
                    let current = tx
                        .client(&document.client_id)?
                        .ok_or_else(|| Error::client_not_found(&document.client_id))?;
                    let valid = valid(&document)?;
                    let info = change_metadata(tx, actor, &policy, &current, valid.doc())?;
                    let issued = info.client_secret.map(|secret| IssuedCredentials {
                        client_secret: Some(Secret::new(secret)),
                        registration_access_token: None,
                        client_secret_expires_at: info.client_secret_expires_at,
                    });
                    AppliedClient {
                        client_id: document.client_id,
                        action: ApplyAction::Updated,
                        issued,
                    }
                }
            };
            counts.add(applied.action);
            report(Reported::Client(&applied))?;
            done += 1;
            progress(done);
            Ok(())
        })?;
        if let Some(through) = plan.deletions_through {
            let mut after = PrunePosition::default();
            loop {
                let batch = tx.unstaged_clients(after, through, BATCH)?;
                let Some((last, _)) = batch.last() else {
                    break;
                };
                after = *last;
                for (_, client_id) in batch {
                    if tx.delete_client(&client_id)? {
                        record(
                            tx,
                            actor,
                            Action::Delete,
                            Some(&client_id),
                            now,
                            json!({ "via": "apply" }),
                        )?;
                        counts.add(ApplyAction::Deleted);
                        report(Reported::Client(&AppliedClient {
                            client_id,
                            action: ApplyAction::Deleted,
                            issued: None,
                        }))?;
                    }
                    done += 1;
                    progress(done);
                }
            }
        }
        report(Reported::End(&counts))?;
        Ok(counts)
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

/// Whether the stored metadata is the desired effective document, by the same rule as
/// `change_metadata` (equal members in the same order); the text comparison is the fast path
/// for rows this binary wrote.
fn same_metadata(stored_json: &str, wanted_json: &str) -> bool {
    if stored_json == wanted_json {
        return true;
    }
    let (Ok(stored), Ok(wanted)) = (
        serde_json::from_str::<MetadataDoc>(stored_json),
        serde_json::from_str::<MetadataDoc>(wanted_json),
    ) else {
        return false;
    };
    stored == wanted && stored.keys().eq(wanted.keys())
}

/// A staged document's metadata, checked again (the check is deterministic and the staged
/// form is its own result, so this cannot fail unless the rules changed in between).
fn valid(document: &StagedDocument) -> Result<ValidMetadata> {
    let field = || format!("client_id {:?}", document.client_id);
    let doc: MetadataDoc = serde_json::from_str(&document.document)
        .map_err(|e| MetadataError::metadata(field(), e.to_string()))?;
    validate(&doc, &Policy::default()).map_err(|error| {
        MetadataError {
            field: format!("{}: {}", field(), error.field),
            ..error
        }
        .into()
    })
}

/// Register one client as `ops::register` does, with `registered_via = apply`.
fn create(tx: &Tx<'_>, actor: &Actor, document: &StagedDocument) -> Result<AppliedClient> {
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
        &document.client_id,
        &valid(document)?,
        &request,
        Minted::generate(document.uses_secret),
    )?;
    Ok(AppliedClient {
        client_id: document.client_id.clone(),
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
    use crate::ops::test_support::{actor, store};
    use serde_json::{json, Value};

    fn doc(value: Value) -> MetadataDoc {
        match value {
            Value::Object(map) => map,
            _ => MetadataDoc::new(),
        }
    }

    fn stage(store: &mut Store, documents: Vec<Value>) -> StagedFile {
        stage_apply(store, |staging| {
            for document in documents {
                staging.push(doc(document))?;
            }
            Ok::<_, Error>(())
        })
        .unwrap()
        .1
    }

    fn fields(staged: &StagedFile) -> Vec<String> {
        staged.invalid().iter().map(|e| e.field.clone()).collect()
    }

    /// Every piece a plan or an apply reported, as `(client_id, action)`, then the counts.
    fn collect(
        pieces: &mut Vec<(String, ApplyAction)>,
    ) -> impl FnMut(Reported<'_>) -> std::io::Result<()> + '_ {
        |piece| {
            if let Reported::Client(client) = piece {
                pieces.push((client.client_id.clone(), client.action));
            }
            Ok(())
        }
    }

    fn cc(id: &str) -> Value {
        json!({"client_id": id, "grant_types": ["client_credentials"]})
    }

    #[test]
    fn every_invalid_document_is_named_with_its_id_and_field() {
        let (_dir, mut store) = store();
        let staged = stage(
            &mut store,
            vec![
                cc("a"),
                json!({"client_id": "billing", "redirect_uris": ["http://evil.example/cb"]}),
                json!({"grant_types": ["client_credentials"]}),
                json!({"client_id": 7}),
                json!({"client_id": "no spaces"}),
                cc("a"),
                json!({"client_id": "billing"}),
                cc("b"),
            ],
        );
        assert_eq!(staged.len(), 8);
        assert_eq!(
            fields(&staged),
            [
                "documents[1] (client_id \"billing\"): redirect_uris[0]",
                "documents[2].client_id",
                "documents[3].client_id",
                "documents[4].client_id",
                "documents[5].client_id",
                // An invalid document's id still counts: a second one is a duplicate.
                "documents[6].client_id",
            ]
        );
        assert_eq!(staged.invalid()[0].code.as_str(), "invalid_redirect_uri");
        assert!(staged.invalid()[4]
            .rule
            .contains("\"a\" already appears in documents[0]"));
        assert!(staged.invalid()[5].rule.contains("documents[1]"));
        // The plan refuses the file, and nothing was written.
        let planned = plan_apply(&mut store, &staged, false, &mut |_| Ok(()));
        assert!(
            matches!(planned, Err(Error::InvalidMetadata(_))),
            "{planned:?}"
        );
        assert_eq!(store.read(|tx| tx.count_clients()).unwrap(), 0);
    }

    #[test]
    fn invalid_documents_beyond_the_bound_are_only_counted() {
        let (_dir, mut store) = store();
        let staged = stage(&mut store, vec![json!({}); MAX_REPORTED_INVALID + 7]);
        assert_eq!(staged.invalid().len(), MAX_REPORTED_INVALID);
        assert_eq!(staged.unreported_invalid(), 7);
    }

    #[test]
    fn plans_and_applies_in_file_order_then_deletions() {
        let (_dir, mut store) = store();
        let first = stage(&mut store, vec![cc("a"), cc("b"), cc("c")]);
        let plan = plan_apply(&mut store, &first, false, &mut |_| Ok(())).unwrap();
        let counts = apply(&mut store, &actor(), &plan, &mut |_| {}, &mut |_| Ok(())).unwrap();
        assert_eq!(counts.count(ApplyAction::Created), 3);

        let mut changed = cc("b");
        changed["client_name"] = "B".into();
        let second = stage(&mut store, vec![changed, cc("d"), cc("a")]);
        let mut previewed = Vec::new();
        let plan = plan_apply(&mut store, &second, true, &mut collect(&mut previewed)).unwrap();
        assert_eq!(plan.named_deletions(), ["c"]);
        assert!(plan.has_changes());
        let mut reported = Vec::new();
        let counts = apply(
            &mut store,
            &actor(),
            &plan,
            &mut |_| {},
            &mut collect(&mut reported),
        )
        .unwrap();
        let expected = [
            ("b", ApplyAction::Updated),
            ("d", ApplyAction::Created),
            ("a", ApplyAction::Unchanged),
            ("c", ApplyAction::Deleted),
        ]
        .map(|(id, action)| (id.to_owned(), action));
        assert_eq!(previewed, expected);
        assert_eq!(reported, expected);
        assert_eq!(counts, *plan.counts());

        // Applied again: every client unchanged, nothing written.
        let third = stage(&mut store, vec![cc("b"), cc("d"), cc("a")]);
        let plan = plan_apply(&mut store, &third, true, &mut |_| Ok(())).unwrap();
        assert_eq!(plan.counts().count(ApplyAction::Updated), 1);
    }

    #[test]
    fn prune_deletes_no_client_registered_after_the_plan() {
        let (dir, mut store) = store();
        let old = stage(&mut store, vec![cc("old")]);
        let plan = plan_apply(&mut store, &old, false, &mut |_| Ok(())).unwrap();
        apply(&mut store, &actor(), &plan, &mut |_| {}, &mut |_| Ok(())).unwrap();
        let staged = stage(&mut store, vec![cc("kept")]);
        let plan = plan_apply(&mut store, &staged, true, &mut |_| Ok(())).unwrap();
        assert_eq!(plan.named_deletions(), ["old"]);
        // Another process registers a client between the plan and the apply.
        let mut other = Store::open(&dir.path().join("clients.db")).unwrap();
        let late = stage(&mut other, vec![cc("late")]);
        let late_plan = plan_apply(&mut other, &late, false, &mut |_| Ok(())).unwrap();
        apply(&mut other, &actor(), &late_plan, &mut |_| {}, &mut |_| {
            Ok(())
        })
        .unwrap();
        let mut reported = Vec::new();
        apply(
            &mut store,
            &actor(),
            &plan,
            &mut |_| {},
            &mut collect(&mut reported),
        )
        .unwrap();
        let expected = [
            ("kept", ApplyAction::Created),
            ("old", ApplyAction::Deleted),
        ]
        .map(|(id, action)| (id.to_owned(), action));
        assert_eq!(reported, expected);
        let mut exists = |id: &str| store.read(|tx| tx.client_exists(id)).unwrap();
        assert!(exists("late"));
        assert!(!exists("old"));
    }

    #[test]
    fn a_failed_report_writes_nothing() {
        let (_dir, mut store) = store();
        let staged = stage(&mut store, vec![cc("a"), cc("b")]);
        let plan = plan_apply(&mut store, &staged, false, &mut |_| Ok(())).unwrap();
        let mut pieces = 0;
        let failed = apply(&mut store, &actor(), &plan, &mut |_| {}, &mut |_| {
            pieces += 1;
            if pieces == 2 {
                return Err(std::io::Error::other("reader gone"));
            }
            Ok(())
        });
        assert!(matches!(failed, Err(Error::Undelivered(_))), "{failed:?}");
        assert_eq!(store.read(|tx| tx.count_clients()).unwrap(), 0);
    }
}

//! Read-only operations.

use super::{ListFilter, Store};
use crate::model::{Client, ClientSummary};
use crate::store::{StoreError, Tx};
use crate::{Error, Result};

/// One client by id.
///
/// # Errors
/// [`Error::NotFound`] when there is no such client.
pub fn show(store: &mut Store, client_id: &str) -> Result<Client> {
    let now = crate::time::now();
    store.read(|tx| {
        let mut client = tx
            .client(client_id)?
            .ok_or_else(|| Error::client_not_found(client_id))?;
        client.previous_secret_valid_until = tx.previous_secrets_valid_until(client_id, now)?;
        Ok(client)
    })
}

/// Fail unless the client exists. Unlike [`show`], it does not read the client's row, so a
/// row another program damaged can still be found (and deleted).
///
/// # Errors
/// [`Error::NotFound`] when there is no such client.
pub fn require_client(store: &mut Store, client_id: &str) -> Result<()> {
    store.read(|tx| {
        if tx.client_exists(client_id)? {
            Ok(())
        } else {
            Err(Error::client_not_found(client_id))
        }
    })
}

/// Every client whose `client_name` is exactly `name`, oldest first.
///
/// # Errors
/// Storage failures only; no match is an empty list.
pub fn find_by_name(store: &mut Store, name: &str) -> Result<Vec<Client>> {
    store.read(|tx| Ok(tx.clients_named(name)?))
}

/// Stream the clients matching `filter` to `visit`, in its order, in constant memory.
///
/// # Errors
/// [`Error::NotFound`] when `filter.after` names no client; storage failures, or whatever
/// `visit` returns.
pub fn list(
    store: &mut Store,
    filter: &ListFilter,
    visit: impl FnMut(&ClientSummary<'_>) -> Result<()>,
) -> Result<()> {
    store.read(|tx| {
        require_cursor(tx, filter)?;
        tx.for_each_client(filter, visit)
    })
}

/// Fail unless the client a listing resumes after exists: a cursor that names no client
/// (mistyped, or deleted since the previous page) cannot say where the next page starts.
fn require_cursor(tx: &Tx<'_>, filter: &ListFilter) -> Result<()> {
    match &filter.after {
        Some(after) if !tx.client_exists(after)? => Err(Error::client_not_found(after)),
        _ => Ok(()),
    }
}

/// [`list`] for a listing that must come out whole, as one JSON document: first, in the same
/// snapshot, it checks that no listed row is damaged (metadata another program wrote that is
/// not a JSON object, a column of the wrong type), so such a row refuses the listing before
/// `visit` sees any client, instead of cutting the document short halfway.
///
/// # Errors
/// A storage error naming the first damaged client; storage failures; whatever `visit`
/// returns.
pub fn list_whole(
    store: &mut Store,
    filter: &ListFilter,
    visit: impl FnMut(&ClientSummary<'_>) -> Result<()>,
) -> Result<()> {
    store.read(|tx| {
        require_cursor(tx, filter)?;
        refuse_damaged(tx, filter)?;
        tx.for_each_client(filter, visit)
    })
}

/// Fail, naming the first damaged client among those `filter` lists.
pub(crate) fn refuse_damaged(tx: &Tx<'_>, filter: &ListFilter) -> Result<()> {
    match tx.first_damaged_client(filter)? {
        None => Ok(()),
        Some((client_id, damage)) => Err(StoreError::Corrupt(format!(
            "client {client_id}: {damage} (`dcrctl db check` lists every damaged row; \
             `dcrctl delete` removes one)"
        ))
        .into()),
    }
}

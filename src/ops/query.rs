//! Read-only operations.

use super::{ListFilter, Store};
use crate::model::{Client, ClientSummary};
use crate::{Error, Result};

/// One client by id.
///
/// # Errors
/// [`Error::NotFound`] when there is no such client.
pub fn show(store: &mut Store, client_id: &str) -> Result<Client> {
    store.read(|tx| {
        tx.client(client_id)?
            .ok_or_else(|| Error::client_not_found(client_id))
    })
}

/// Every client whose `client_name` is exactly `name`, oldest first.
///
/// # Errors
/// Storage failures only; no match is an empty list.
pub fn find_by_name(store: &mut Store, name: &str) -> Result<Vec<Client>> {
    store.read(|tx| Ok(tx.clients_named(name)?))
}

/// Stream the clients matching `filter` to `visit`, oldest first, in constant memory.
///
/// # Errors
/// Storage failures, or whatever `visit` returns.
pub fn list(
    store: &mut Store,
    filter: &ListFilter,
    visit: impl FnMut(&ClientSummary<'_>) -> Result<()>,
) -> Result<()> {
    store.read(|tx| tx.for_each_client(filter, visit))
}

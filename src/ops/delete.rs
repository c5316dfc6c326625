//! Removing clients with their secrets and tokens.

use super::{record, Actor, Store};
use crate::{time, Error, Result};
use serde_json::json;

/// Delete every client in `client_ids`, all or none: an unknown id deletes nothing.
///
/// # Errors
/// [`Error::NotFound`] naming the first unknown id.
pub fn delete(store: &mut Store, actor: &Actor, client_ids: &[String]) -> Result<()> {
    store.write(|tx| {
        let now = time::now();
        for client_id in client_ids {
            if !tx.delete_client(client_id)? {
                return Err(Error::client_not_found(client_id));
            }
            record(tx, actor, "delete", client_id, now, json!({}))?;
        }
        Ok(())
    })
}

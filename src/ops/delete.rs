//! Removing clients with their secrets and tokens.

use super::{record, Actor, Tx};
use crate::model::Action;
use crate::{time, Error, Result};
use serde_json::json;
use std::collections::HashSet;

/// Delete every client in `client_ids` in the caller's write transaction, all or none: an
/// unknown id is an error, and the caller's transaction then rolls back. An id given more
/// than once is deleted once.
///
/// # Errors
/// [`Error::NotFound`] naming the first unknown id.
pub fn delete(tx: &Tx<'_>, actor: &Actor, client_ids: &[String]) -> Result<()> {
    let now = time::now();
    for client_id in dedup(client_ids) {
        if !tx.delete_client(client_id)? {
            return Err(Error::client_not_found(client_id));
        }
        record(tx, actor, Action::Delete, Some(client_id), now, json!({}))?;
    }
    Ok(())
}

/// `ids` without repeats, in the order of first occurrence.
fn dedup(ids: &[String]) -> Vec<&String> {
    let mut seen = HashSet::with_capacity(ids.len());
    ids.iter().filter(|id| seen.insert(id.as_str())).collect()
}

#[cfg(test)]
mod tests {
    use super::dedup;

    #[test]
    fn dedup_keeps_first_occurrence_order() {
        let ids: Vec<String> = ["b", "a", "b", "c", "a"].map(String::from).into();
        assert_eq!(dedup(&ids), ["b", "a", "c"]);
    }
}

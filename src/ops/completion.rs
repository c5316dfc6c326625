//! What shell completion asks of the registry.

use super::Store;
use crate::Result;

/// Up to `limit` client ids that start with `prefix`, in byte order, from one snapshot.
///
/// # Errors
/// Storage failures.
pub fn client_ids_starting_with(
    store: &mut Store,
    prefix: &str,
    limit: usize,
) -> Result<Vec<String>> {
    store.read(|tx| Ok(tx.client_ids_starting_with(prefix, limit)?))
}

//! The audit log's rows (see `store::audit` for what a prune row holds).

use super::PruneReason;
use super::{StoreError, Tx};
use crate::model::Event;
use crate::store::audit::prune_event;
use rusqlite::params;

impl Tx<'_> {
    pub(crate) fn append_event(&self, event: &Event) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO events (at, actor, action, client_id, details) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                event.at,
                event.actor,
                event.action,
                event.client_id,
                event.details.to_string()
            ])?;
        Ok(())
    }

    /// Record that `actor` pruned `clients` at `at`, in one row.
    pub(super) fn append_prune_event(
        &self,
        at: i64,
        actor: &str,
        clients: &[(String, PruneReason)],
    ) -> Result<(), StoreError> {
        self.append_event(&prune_event(at, actor, clients))
    }
}

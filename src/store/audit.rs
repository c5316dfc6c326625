//! The append-only audit log, written in the same transaction as the change it records.

use super::{StoreError, Tx};
use crate::model::Event;
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
}

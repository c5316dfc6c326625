//! The append-only audit log, written in the same transaction as the change it records.
//!
//! One entry per event, except for `prune`: it removes clients by the thousand, and one row
//! per client would cost more than the deletes (each lands at a random place in the
//! `events_by_client` index). So a prune transaction writes one row with no `client_id` whose
//! details map each pruned client to its reason, and readers see it expanded back into one
//! event per client ([`prune_events`]).

use super::PruneReason;
use crate::model::Event;

/// The action of the audit entries of pruned clients.
pub(super) const PRUNE_ACTION: &str = crate::model::Action::Prune.as_str();

/// The one row recording that `actor` pruned `clients` at `at`.
pub(super) fn prune_event(at: i64, actor: &str, clients: &[(String, PruneReason)]) -> Event {
    let reasons: serde_json::Map<String, serde_json::Value> = clients
        .iter()
        .map(|(client_id, reason)| (client_id.clone(), reason.as_str().into()))
        .collect();
    Event {
        at,
        actor: actor.to_owned(),
        action: PRUNE_ACTION.to_owned(),
        client_id: None,
        details: serde_json::json!({ "clients": reasons }),
    }
}

/// The events one stored row stands for: itself, or for a prune row, one `prune` event per
/// client it names (the last pruned first, as the log reads newest first), keeping only
/// `client_id` when given.
pub(super) fn prune_events(event: Event, client_id: Option<&str>) -> Vec<Event> {
    let clients = match (&event.client_id, event.action.as_str(), &event.details) {
        (None, PRUNE_ACTION, serde_json::Value::Object(details)) => match details.get("clients") {
            Some(serde_json::Value::Object(clients)) => clients,
            _ => return vec![event],
        },
        _ => return vec![event],
    };
    clients
        .iter()
        .rev()
        .filter(|(id, _)| client_id.is_none_or(|wanted| wanted == id.as_str()))
        .map(|(id, reason)| Event {
            at: event.at,
            actor: event.actor.clone(),
            action: event.action.clone(),
            client_id: Some(id.clone()),
            details: serde_json::json!({ "reason": reason }),
        })
        .collect()
}

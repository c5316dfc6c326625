//! Field selection (`--field`) for scripts: the one projection of every listing's JSON
//! objects, used by `-o json` (objects with only those members, in the order asked) and by
//! tables (one column per field), whatever the command.

use super::sanitize::sanitize;
use super::table::{cell, Column};
use serde_json::{Map, Value};
use std::sync::LazyLock;

/// What a listing is made of, each with the fields its JSON objects can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `show`, `list`.
    Client,
    /// `events`.
    Event,
    /// `token list`.
    Token,
    /// `admin list`.
    Admin,
}

/// A client object's members: the registry's, the metadata fields the rules know (from the
/// one list in [`crate::registration`]), then the status that `show` and `list` add.
static CLIENT_FIELDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let registry = [
        "client_id",
        "client_id_issued_at",
        "client_secret_expires_at",
    ];
    let status = [
        "registered_via",
        "has_secret",
        "updated_at",
        "last_used_at",
        "previous_secret_valid_until",
    ];
    registry
        .into_iter()
        .chain(crate::registration::known_fields())
        .chain(status)
        .collect()
});

impl Kind {
    /// The fields of this kind's JSON objects.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Kind::Client => CLIENT_FIELDS.as_slice(),
            Kind::Event => &["at", "actor", "action", "client_id", "details"],
            Kind::Token => &[
                "token_id",
                "status",
                "uses",
                "max_uses",
                "expires_at",
                "created_at",
                "revoked_at",
                "note",
            ],
            Kind::Admin => &["name", "created_at", "updated_at"],
        }
    }

    /// Whether `field` is one of this kind's: a listed one, or for clients a language-tagged
    /// variant of one (`client_name#fr`, RFC 7591 §2.2).
    fn knows(self, field: &str) -> bool {
        let base = match (self, field.split_once('#')) {
            (Kind::Client, Some((base, tag))) if !tag.is_empty() => base,
            _ => field,
        };
        self.fields().contains(&base)
    }
}

/// The fields a script asked for, checked against the kind of objects they select from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    fields: Vec<String>,
}

impl Selection {
    /// The selection of `fields` (each maybe comma-separated) from objects of `kind`.
    ///
    /// # Errors
    /// The first unknown field, with the valid ones, as a sentence.
    pub fn new(kind: Kind, fields: &[String]) -> Result<Self, String> {
        let mut chosen = Vec::new();
        for field in fields.iter().flat_map(|f| f.split(',')).map(str::trim) {
            if !kind.knows(field) {
                return Err(format!(
                    "--field {}: no such field; valid fields: {}",
                    sanitize(field),
                    kind.fields().join(", ")
                ));
            }
            if !chosen.iter().any(|c| c == field) {
                chosen.push(field.to_owned());
            }
        }
        Ok(Selection { fields: chosen })
    }

    /// `object` with only the selected members, in the selection's order; absent ones stay
    /// absent (never `null`).
    pub fn project(&self, object: &Value) -> Value {
        let mut projected = Map::new();
        for field in &self.fields {
            if let Some(value) = object.get(field) {
                projected.insert(field.clone(), value.clone());
            }
        }
        Value::Object(projected)
    }

    /// One table column per field, headed by its name in capitals; times whole, ids cut last,
    /// other values cut on a narrow terminal, the last ones first.
    pub fn columns(&self) -> Vec<Column> {
        let count = self.fields.len();
        self.fields
            .iter()
            .enumerate()
            .map(|(i, field)| {
                let header = field.to_uppercase();
                if field.ends_with("_id") {
                    Column::id(&header)
                } else if field.ends_with("_at") || field == "at" {
                    Column::whole(&header)
                } else {
                    let rank = u8::try_from(count - i).unwrap_or(u8::MAX);
                    Column::shrink(&header, rank, 8)
                }
            })
            .collect()
    }

    /// `object`'s selected values as the cells of [`Selection::columns`].
    pub fn row(&self, object: &Value) -> Vec<String> {
        self.fields
            .iter()
            .map(|field| cell(object.get(field)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn select(kind: Kind, fields: &[&str]) -> Result<Selection, String> {
        let fields: Vec<String> = fields.iter().map(|&f| f.to_owned()).collect();
        Selection::new(kind, &fields)
    }

    #[test]
    fn projects_in_the_order_asked_and_omits_absent_members() {
        let selection = select(Kind::Client, &["client_name,client_id", "logo_uri"]).unwrap();
        let object = json!({"client_id": "a", "client_name": "A", "scope": "s"});
        let projected = selection.project(&object);
        assert_eq!(projected, json!({"client_name": "A", "client_id": "a"}));
        let keys: Vec<&String> = projected.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["client_name", "client_id"]);
        assert_eq!(selection.row(&object), ["A", "a", "-"]);
    }

    #[test]
    fn unknown_fields_name_the_valid_ones() {
        let error = select(Kind::Admin, &["name", "password"]).unwrap_err();
        assert_eq!(
            error,
            "--field password: no such field; valid fields: name, created_at, updated_at"
        );
        assert!(select(Kind::Client, &["client_name#fr"]).is_ok());
        assert!(select(Kind::Event, &["details#fr"]).is_err());
    }
}

//! Initial access tokens and admin accounts, as JSON and as table rows.

use super::json;
use super::sanitize::sanitize;
use super::table::{timestamp, write_credentials, Column, StreamTable};
use super::Format;
use crate::ops::{Admin, InitialAccessToken, IssuedToken};
use serde_json::{json, Map, Value};
use std::io::{self, Write};

/// Render a token just minted, with its secret: the one time it is ever shown.
///
/// # Errors
/// I/O errors of `stdout`.
pub fn write_issued_token(
    mut stdout: &mut dyn Write,
    format: Format,
    issued: &IssuedToken,
    width: Option<usize>,
) -> io::Result<()> {
    match format {
        Format::Json => {
            let mut object = Map::new();
            object.insert("token_id".into(), issued.token_id.clone().into());
            object.insert("token".into(), issued.token.expose().into());
            object.insert("expires_at".into(), issued.expires_at.into());
            if let Some(max_uses) = issued.max_uses {
                object.insert("max_uses".into(), max_uses.into());
            }
            if let Some(note) = &issued.note {
                object.insert("note".into(), note.clone().into());
            }
            json::write_document(&mut stdout, &Value::Object(object))?;
        }
        Format::Table => {
            let mut fields = vec![
                ("token_id", sanitize(&issued.token_id).into_owned()),
                ("expires_at", expiry(issued.expires_at)),
                (
                    "max_uses",
                    issued
                        .max_uses
                        .map_or_else(|| "unlimited".to_owned(), |max| max.to_string()),
                ),
            ];
            if let Some(note) = &issued.note {
                fields.push(("note", sanitize(note).into_owned()));
            }
            let rows = fields
                .into_iter()
                .map(|(name, value)| vec![name.to_owned(), value])
                .collect();
            let columns = vec![Column::whole(""), Column::shrink("", 0, 12)];
            write_headless(&mut stdout, columns, rows, width)?;
            writeln!(stdout)?;
            write_credentials(&mut stdout, &[("token", issued.token.expose())])?;
        }
        Format::Name => writeln!(stdout, "{}", sanitize(&issued.token_id))?,
    }
    stdout.flush()
}

/// The columns of `token list`: the note gives room on a narrow terminal.
pub fn token_columns() -> Vec<Column> {
    vec![
        Column::id("ID"),
        Column::whole("STATUS"),
        Column::whole("USES"),
        Column::whole("EXPIRES"),
        Column::whole("CREATED"),
        Column::shrink("NOTE", 0, 8),
    ]
}

/// The columns of `admin list`.
pub fn admin_columns() -> Vec<Column> {
    vec![
        Column::id("NAME"),
        Column::whole("CREATED"),
        Column::whole("UPDATED"),
    ]
}

/// An account as `admin list -o json` prints it (never its password hash).
pub fn admin_json(admin: &Admin) -> Value {
    json!({
        "name": admin.name,
        "created_at": admin.created_at,
        "updated_at": admin.updated_at,
    })
}

/// An account as the cells of [`admin_columns`].
pub fn admin_row(admin: &Admin) -> Vec<String> {
    vec![
        sanitize(&admin.name).into_owned(),
        timestamp(admin.created_at),
        timestamp(admin.updated_at),
    ]
}

fn expiry(expires_at: i64) -> String {
    if expires_at == 0 {
        "never".to_owned()
    } else {
        timestamp(expires_at)
    }
}

/// A listed token as JSON: absent values are omitted, `expires_at` 0 means never.
pub(crate) fn token_json(token: &InitialAccessToken) -> Value {
    let mut object = Map::new();
    object.insert("token_id".into(), token.token_id.clone().into());
    object.insert("status".into(), token.status.as_str().into());
    object.insert("uses".into(), token.uses.into());
    if let Some(max_uses) = token.max_uses {
        object.insert("max_uses".into(), max_uses.into());
    }
    object.insert("expires_at".into(), token.expires_at.into());
    object.insert("created_at".into(), token.created_at.into());
    if let Some(revoked_at) = token.revoked_at {
        object.insert("revoked_at".into(), revoked_at.into());
    }
    if let Some(note) = &token.note {
        object.insert("note".into(), note.clone().into());
    }
    Value::Object(object)
}

pub(crate) fn token_row(token: &InitialAccessToken) -> Vec<String> {
    let limit = token
        .max_uses
        .map_or_else(|| "∞".to_owned(), |max| max.to_string());
    vec![
        sanitize(&token.token_id).into_owned(),
        token.status.as_str().to_owned(),
        format!("{}/{limit}", token.uses),
        expiry(token.expires_at),
        timestamp(token.created_at),
        sanitize(token.note.as_deref().unwrap_or("-")).into_owned(),
    ]
}

/// `rows` (already sanitized) as aligned columns without a header line.
fn write_headless(
    out: &mut dyn Write,
    columns: Vec<Column>,
    rows: Vec<Vec<String>>,
    width: Option<usize>,
) -> io::Result<()> {
    let mut text = Vec::new();
    let mut table = StreamTable::new(&mut text, columns, width);
    for row in rows {
        table.push(row)?;
    }
    table.finish()?;
    // The header line of empty headers is blank: drop it.
    let body = text
        .iter()
        .position(|&b| b == b'\n')
        .map_or(&text[..], |at| &text[at + 1..]);
    out.write_all(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::TokenStatus;

    #[test]
    fn listed_tokens_escape_notes_and_omit_absent_values() {
        let token = InitialAccessToken {
            token_id: "iat_x".into(),
            note: Some("evil\x1b]52;c;AAAA\x07".into()),
            created_at: 0,
            expires_at: 0,
            max_uses: None,
            uses: 1,
            revoked_at: None,
            status: TokenStatus::Active,
        };
        let row = token_row(&token);
        assert_eq!(row[2], "1/∞");
        assert_eq!(row[3], "never");
        assert!(!row[5].contains('\x1b'), "{}", row[5]);
        let value = token_json(&token);
        assert!(value.get("max_uses").is_none());
        assert!(value.get("revoked_at").is_none());
        assert_eq!(value["note"], "evil\x1b]52;c;AAAA\x07");
    }
}

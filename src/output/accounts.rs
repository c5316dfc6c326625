//! Initial access tokens and admin accounts, as JSON and as aligned columns.

use super::json;
use super::sanitize::sanitize;
use super::table::timestamp;
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
            let mut rows = vec![
                vec![
                    "token_id".to_owned(),
                    sanitize(&issued.token_id).into_owned(),
                ],
                vec!["token".to_owned(), issued.token.expose().to_owned()],
                vec!["expires_at".to_owned(), expiry(issued.expires_at)],
                vec![
                    "max_uses".to_owned(),
                    issued
                        .max_uses
                        .map_or_else(|| "unlimited".to_owned(), |max| max.to_string()),
                ],
            ];
            if let Some(note) = &issued.note {
                rows.push(vec!["note".to_owned(), sanitize(note).into_owned()]);
            }
            write_columns(&mut stdout, None, &rows)?;
        }
    }
    stdout.flush()
}

/// Render listed tokens (never their secrets).
///
/// # Errors
/// I/O errors of `out`.
pub fn write_tokens(
    out: &mut impl Write,
    format: Format,
    tokens: &[InitialAccessToken],
) -> io::Result<()> {
    match format {
        Format::Json => {
            let array = tokens.iter().map(token_json).collect();
            json::write_document(out, &Value::Array(array))
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = tokens.iter().map(token_row).collect();
            write_columns(
                out,
                Some(&["ID", "STATUS", "USES", "EXPIRES", "CREATED", "NOTE"]),
                &rows,
            )
        }
    }
}

/// Render admin accounts (never their password hashes).
///
/// # Errors
/// I/O errors of `out`.
pub fn write_admins(out: &mut impl Write, format: Format, admins: &[Admin]) -> io::Result<()> {
    match format {
        Format::Json => {
            let array = admins
                .iter()
                .map(|admin| {
                    json!({
                        "name": admin.name,
                        "created_at": admin.created_at,
                        "updated_at": admin.updated_at,
                    })
                })
                .collect();
            json::write_document(out, &Value::Array(array))
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = admins
                .iter()
                .map(|admin| {
                    vec![
                        sanitize(&admin.name).into_owned(),
                        timestamp(admin.created_at),
                        timestamp(admin.updated_at),
                    ]
                })
                .collect();
            write_columns(out, Some(&["NAME", "CREATED", "UPDATED"]), &rows)
        }
    }
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

/// Print `rows` (already sanitized) as left-aligned columns two spaces apart, under
/// `header` when given; the last column is not padded.
///
/// # Errors
/// I/O errors of `out`.
pub fn write_columns(
    out: &mut impl Write,
    header: Option<&[&str]>,
    rows: &[Vec<String>],
) -> std::io::Result<()> {
    let header: Option<Vec<String>> =
        header.map(|names| names.iter().map(|&name| name.to_owned()).collect());
    let all = || header.iter().chain(rows);
    let mut widths: Vec<usize> = Vec::new();
    for row in all() {
        for (i, cell) in row.iter().enumerate() {
            let width = cell.chars().count();
            match widths.get_mut(i) {
                Some(max) => *max = (*max).max(width),
                None => widths.push(width),
            }
        }
    }
    for row in all() {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                let pad = widths[i] - cell.chars().count();
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', pad + 2));
            }
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::TokenStatus;

    #[test]
    fn columns_align_on_characters_not_bytes() {
        let mut out = Vec::new();
        let rows = vec![
            vec!["iat_a".to_owned(), "0/∞".to_owned(), "x".to_owned()],
            vec!["iat_bb".to_owned(), "10/20".to_owned(), "y".to_owned()],
        ];
        write_columns(&mut out, Some(&["ID", "USES", "NOTE"]), &rows).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "ID      USES   NOTE\niat_a   0/∞    x\niat_bb  10/20  y\n"
        );
    }

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

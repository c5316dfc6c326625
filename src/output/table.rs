//! Tables for people. Every cell is sanitized; times are shown in RFC 3339 UTC; on a
//! terminal every table fits its width ([`super::width`]), and credentials are never in one.

pub use super::columns::{Column, Fit, StreamTable};
use super::sanitize::sanitize;
use super::width::{display_width, truncate};
use crate::model::{Client, ClientSummary};
use crate::registration::ClientInformation;
use serde_json::Value;
use std::io::{self, Write};

/// Unix seconds as an RFC 3339 UTC timestamp, or the raw seconds when RFC 3339 cannot show
/// them (before 1970, after 9999): [`crate::time::format`], the one format of every time
/// the command line prints. Never panics: the value may come from any database row.
pub fn timestamp(seconds: i64) -> String {
    crate::time::format(seconds)
}

/// The RFC 3339 date (`2026-12-31`) of Unix seconds, for columns where the time of day
/// would cost a narrow terminal the client's name; raw seconds as [`timestamp`] gives them.
pub fn date(seconds: i64) -> String {
    let mut text = timestamp(seconds);
    if let Some(at) = text.find('T') {
        text.truncate(at);
    }
    text
}

fn render_lines(value: &Value) -> Vec<String> {
    match value {
        Value::String(text) => vec![sanitize(text).into_owned()],
        Value::Array(items) if items.is_empty() => vec!["-".to_owned()],
        Value::Array(items) => items.iter().flat_map(render_lines).collect(),
        other => vec![sanitize(&other.to_string()).into_owned()],
    }
}

/// One cell of a projected table: a JSON value as one line of text.
pub fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "-".to_owned(),
        Some(Value::String(text)) => sanitize(text).into_owned(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| cell(Some(item)))
            .collect::<Vec<_>>()
            .join(","),
        Some(other) => sanitize(&other.to_string()).into_owned(),
    }
}

/// A field of a `field  value` listing: its name, its value as lines (an array gives one
/// line per item), and whether the value must stay whole (an id).
struct Field {
    name: String,
    lines: Vec<String>,
    whole: bool,
}

impl Field {
    fn new(name: &str, value: String) -> Self {
        Field {
            name: name.to_owned(),
            lines: vec![value],
            whole: false,
        }
    }
}

fn secret_expiry(expires_at: Option<i64>) -> String {
    match expires_at {
        None => "none (public client)".to_owned(),
        Some(0) => "never".to_owned(),
        Some(at) => timestamp(at),
    }
}

fn information_fields(info: &ClientInformation) -> Vec<Field> {
    let mut fields = vec![
        Field {
            whole: true,
            ..Field::new("client_id", sanitize(&info.client_id).into_owned())
        },
        Field::new("client_id_issued_at", timestamp(info.client_id_issued_at)),
        Field::new(
            "client_secret_expires_at",
            secret_expiry(info.client_secret_expires_at),
        ),
    ];
    for (key, value) in &info.metadata {
        fields.push(Field {
            name: sanitize(key).into_owned(),
            lines: render_lines(value),
            whole: false,
        });
    }
    fields
}

/// The §4 response for people: its fields as a `field  value` listing fitted to `width`,
/// then each credential it carries on a `name: value` line of its own, never cut.
///
/// # Errors
/// I/O errors of `out`.
pub fn write_information(
    out: &mut dyn Write,
    info: &ClientInformation,
    width: Option<usize>,
) -> io::Result<()> {
    write_fields(out, &information_fields(info), width)?;
    let credentials: Vec<(&str, &str)> = [
        ("client_secret", info.client_secret.as_deref()),
        (
            "registration_access_token",
            info.registration_access_token.as_deref(),
        ),
    ]
    .into_iter()
    .filter_map(|(name, value)| Some((name, value?)))
    .collect();
    if !credentials.is_empty() {
        writeln!(out)?;
        write_credentials(out, &credentials)?;
    }
    Ok(())
}

/// A stored client with its status, as a `field  value` listing fitted to `width`.
///
/// # Errors
/// I/O errors of `out`.
pub fn write_client(out: &mut dyn Write, client: &Client, width: Option<usize>) -> io::Result<()> {
    let mut fields = information_fields(&client.information());
    let status = [
        Field::new("registered_via", client.registered_via.as_str().to_owned()),
        Field::new(
            "has_secret",
            if client.has_secret { "yes" } else { "no" }.to_owned(),
        ),
        Field::new("updated_at", timestamp(client.updated_at)),
        Field::new(
            "last_used_at",
            client
                .last_used_at
                .map_or_else(|| "never".to_owned(), timestamp),
        ),
    ];
    let grace = client
        .previous_secret_valid_until
        .map(|until| Field::new("previous_secret_valid_until", timestamp(until)));
    fields.splice(3..3, status.into_iter().chain(grace));
    write_fields(out, &fields, width)
}

/// Credentials, each on a `name: value` line of its own: never in a table cell, never cut,
/// so a copied line is the whole credential.
///
/// # Errors
/// I/O errors of `out`.
pub fn write_credentials(out: &mut dyn Write, credentials: &[(&str, &str)]) -> io::Result<()> {
    for (name, value) in credentials {
        writeln!(out, "{name}: {value}")?;
    }
    Ok(())
}

/// The narrowest a cut value gets, however narrow the terminal.
const MIN_VALUE_WIDTH: usize = 12;

/// `field  value` lines, names aligned; on a terminal (`width`), values other than ids are
/// cut to fit.
fn write_fields(out: &mut dyn Write, fields: &[Field], width: Option<usize>) -> io::Result<()> {
    let name_width = fields
        .iter()
        .map(|field| display_width(&field.name))
        .max()
        .unwrap_or(0);
    let value_width = width.map(|width| width.saturating_sub(name_width + 2).max(MIN_VALUE_WIDTH));
    for field in fields {
        for (i, line) in field.lines.iter().enumerate() {
            let name = if i == 0 { field.name.as_str() } else { "" };
            let value = match value_width {
                Some(room) if !field.whole => truncate(line, room),
                _ => line.into(),
            };
            let pad = name_width - display_width(name);
            writeln!(out, "{name}{:pad$}  {value}", "")?;
        }
    }
    Ok(())
}

/// The columns of `list`: ids and times whole; on a narrow terminal the name gives room
/// first, then the authentication method.
pub fn list_columns() -> Vec<Column> {
    vec![
        Column::id("CLIENT_ID"),
        Column::whole("ISSUED_AT"),
        Column::whole("VIA"),
        Column::shrink("AUTH_METHOD", 1, 12),
        Column::shrink("CLIENT_NAME", 0, 12),
    ]
}

/// One listed client as the cells of [`list_columns`].
pub fn list_row(client: &ClientSummary<'_>) -> Vec<String> {
    vec![
        sanitize(client.client_id).into_owned(),
        date(client.client_id_issued_at),
        client.registered_via.as_str().to_owned(),
        client.token_endpoint_auth_method.as_str().to_owned(),
        sanitize(client.client_name.unwrap_or("-")).into_owned(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_whole_lines_whatever_the_width() {
        let info = ClientInformation {
            client_id: "c".into(),
            client_secret: Some(format!("dcrsec_{}", "s".repeat(43))),
            client_id_issued_at: 0,
            client_secret_expires_at: Some(0),
            registration_access_token: Some(format!("dcrrat_{}", "t".repeat(43))),
            registration_client_uri: None,
            metadata: serde_json::from_str(r#"{"client_name":"a very long name indeed"}"#).unwrap(),
        };
        let mut out = Vec::new();
        write_information(&mut out, &info, Some(30)).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(&format!("\nclient_secret: dcrsec_{}\n", "s".repeat(43))));
        assert!(text.ends_with(&format!(
            "registration_access_token: dcrrat_{}\n",
            "t".repeat(43)
        )));
        assert!(
            text.contains("client_name               a very long…\n"),
            "{text}"
        );
    }

    #[test]
    fn timestamps_outside_rfc3339_fall_back_to_seconds() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(253_402_300_799), "9999-12-31T23:59:59Z");
        assert_eq!(timestamp(253_402_300_800), "253402300800");
        assert_eq!(timestamp(300_000_000_000), "300000000000");
        assert_eq!(timestamp(i64::MAX), i64::MAX.to_string());
        assert_eq!(timestamp(-1), "-1");
    }
}

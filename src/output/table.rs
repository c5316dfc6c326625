//! Tables for people. Every cell is sanitized; times are shown in RFC 3339 UTC.

use super::sanitize::sanitize;
use crate::model::{Client, ClientSummary};
use crate::registration::ClientInformation;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use serde_json::Value;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::time::{Duration, UNIX_EPOCH};

/// The last second RFC 3339 can show (9999-12-31T23:59:59Z); `humantime` refuses to format
/// later times, and `to_string` on its timestamp would panic.
const LAST_RFC3339_SECOND: u64 = 253_402_300_799;

/// Unix seconds as an RFC 3339 UTC timestamp, or the raw seconds when RFC 3339 cannot show
/// them (before 1970, after 9999). Never panics: the value may come from any database row.
pub fn timestamp(seconds: i64) -> String {
    let Some(secs) = u64::try_from(seconds)
        .ok()
        .filter(|&secs| secs <= LAST_RFC3339_SECOND)
    else {
        return seconds.to_string();
    };
    let mut text = String::new();
    match write!(
        text,
        "{}",
        humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_secs(secs))
    ) {
        Ok(()) => text,
        Err(_) => seconds.to_string(),
    }
}

fn render_value(value: &Value) -> String {
    match value {
        Value::String(text) => sanitize(text).into_owned(),
        Value::Array(items) => items
            .iter()
            .map(render_value)
            .collect::<Vec<_>>()
            .join("\n"),
        other => sanitize(&other.to_string()).into_owned(),
    }
}

fn key_value_table(rows: Vec<(String, String)>) -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec!["field", "value"]);
    for (key, value) in rows {
        table.add_row(vec![sanitize(&key).into_owned(), value]);
    }
    table
}

fn secret_expiry(expires_at: Option<i64>) -> String {
    match expires_at {
        None => "none (public client)".to_owned(),
        Some(0) => "never".to_owned(),
        Some(at) => timestamp(at),
    }
}

fn information_rows(info: &ClientInformation) -> Vec<(String, String)> {
    let mut rows = vec![(
        "client_id".to_owned(),
        sanitize(&info.client_id).into_owned(),
    )];
    if let Some(secret) = &info.client_secret {
        rows.push(("client_secret".into(), secret.clone()));
    }
    rows.push((
        "client_id_issued_at".into(),
        timestamp(info.client_id_issued_at),
    ));
    rows.push((
        "client_secret_expires_at".into(),
        secret_expiry(info.client_secret_expires_at),
    ));
    if let Some(token) = &info.registration_access_token {
        rows.push(("registration_access_token".into(), token.clone()));
    }
    for (key, value) in &info.metadata {
        rows.push((key.clone(), render_value(value)));
    }
    rows
}

/// The §4 response as a two-column table.
pub fn information(info: &ClientInformation) -> String {
    key_value_table(information_rows(info)).to_string()
}

/// A stored client with its status.
pub fn client(client: &Client) -> String {
    let mut rows = information_rows(&client.information());
    let status = [
        ("registered_via", client.registered_via.as_str().to_owned()),
        (
            "has_secret",
            if client.has_secret { "yes" } else { "no" }.to_owned(),
        ),
        ("updated_at", timestamp(client.updated_at)),
        (
            "last_used_at",
            client
                .last_used_at
                .map_or_else(|| "never".to_owned(), timestamp),
        ),
    ];
    rows.splice(3..3, status.into_iter().map(|(k, v)| (k.to_owned(), v)));
    key_value_table(rows).to_string()
}

/// Streams a client listing as aligned columns. Widths are fixed rather than measured, so
/// rows can be printed as they arrive from the database.
#[derive(Debug)]
pub struct ListWriter<W: Write> {
    out: W,
}

const LIST_HEADER: [&str; 5] = [
    "CLIENT_ID",
    "ISSUED_AT",
    "VIA",
    "AUTH_METHOD",
    "CLIENT_NAME",
];
/// The first is the length of a generated client id (see [`crate::credentials::new_client_id`]);
/// a longer chosen id shifts only its own row.
const LIST_WIDTHS: [usize; 4] = [30, 20, 5, 19];

impl<W: Write> ListWriter<W> {
    /// Start the listing with its header.
    ///
    /// # Errors
    /// I/O errors of `out`.
    pub fn new(mut out: W) -> io::Result<Self> {
        Self::write_row(&mut out, &LIST_HEADER.map(str::to_owned))?;
        Ok(ListWriter { out })
    }

    fn write_row(out: &mut W, cells: &[String; 5]) -> io::Result<()> {
        for (cell, width) in cells.iter().zip(LIST_WIDTHS) {
            write!(out, "{cell:<width$}  ")?;
        }
        writeln!(out, "{}", cells[4])
    }

    /// Print one client.
    ///
    /// # Errors
    /// I/O errors of `out`.
    pub fn push(&mut self, client: &ClientSummary<'_>) -> io::Result<()> {
        let cells = [
            sanitize(client.client_id).into_owned(),
            timestamp(client.client_id_issued_at),
            client.registered_via.as_str().to_owned(),
            client.token_endpoint_auth_method.as_str().to_owned(),
            sanitize(client.client_name.unwrap_or("-")).into_owned(),
        ];
        Self::write_row(&mut self.out, &cells)
    }

    /// Flush the listing.
    ///
    /// # Errors
    /// I/O errors of `out`.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::timestamp;

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

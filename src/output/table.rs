//! Tables for people. Every cell is sanitized; times are shown in RFC 3339 UTC; on a
//! terminal every table fits its width ([`super::width`]), and credentials are never in one.

use super::sanitize::sanitize;
use super::width::{display_width, truncate};
use crate::model::{Client, ClientSummary};
use crate::registration::ClientInformation;
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
    fields.splice(3..3, status);
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

/// How a column behaves when its table is wider than the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Never cut: ids and times.
    Whole,
    /// Cut with `…` when needed, lower ranks first, each down to `min` columns before the
    /// next is touched.
    Shrink {
        /// Which shrinks first (lowest first).
        rank: u8,
        /// The width it keeps while other columns can still give room.
        min: usize,
    },
}

/// A column of a [`StreamTable`].
#[derive(Debug, Clone)]
pub struct Column {
    /// Its header.
    pub header: String,
    /// How it fits the terminal.
    pub fit: Fit,
}

impl Column {
    /// A column that is never cut.
    pub fn whole(header: &str) -> Self {
        Column {
            header: header.to_owned(),
            fit: Fit::Whole,
        }
    }

    /// A column cut when the table is too wide, `rank` 0 first.
    pub fn shrink(header: &str, rank: u8, min: usize) -> Self {
        Column {
            header: header.to_owned(),
            fit: Fit::Shrink { rank, min },
        }
    }
}

/// Widths for columns naturally `natural` wide so that the table (two spaces between
/// columns) fits `width`: shrinkable columns give room in rank order, first down to their
/// minimum, then, if that is not enough, down to one column. Whole columns never shrink, so
/// a table of wide ids may still overflow.
fn fit_widths(natural: &[usize], columns: &[Column], width: Option<usize>) -> Vec<usize> {
    let mut widths = natural.to_vec();
    let Some(width) = width else {
        return widths;
    };
    let mut order: Vec<usize> = (0..columns.len())
        .filter(|&i| matches!(columns[i].fit, Fit::Shrink { .. }))
        .collect();
    order.sort_by_key(|&i| match columns[i].fit {
        Fit::Shrink { rank, .. } => rank,
        Fit::Whole => u8::MAX,
    });
    let total =
        |widths: &[usize]| widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
    for floor_at_min in [true, false] {
        for &i in &order {
            let excess = total(&widths).saturating_sub(width);
            if excess == 0 {
                return widths;
            }
            let floor = match columns[i].fit {
                Fit::Shrink { min, .. } if floor_at_min => min.min(widths[i]),
                _ => 1.min(widths[i]),
            };
            widths[i] -= excess.min(widths[i] - floor);
        }
    }
    widths
}

/// How many rows a [`StreamTable`] measures before it prints: enough to size the columns to
/// their content, few enough to keep a listing of any length in constant memory.
const MEASURED_ROWS: usize = 256;

/// A table of single-line cells (already sanitized) that streams: its columns are sized to
/// the content of the first rows (and the headers), then every row is printed as it comes,
/// left-aligned two spaces apart, the last column unpadded. On a terminal (`width`) the
/// columns fit it by [`Fit`]; a later cell longer than its column is cut there, or, when it
/// may not be, shifts its own row.
#[derive(Debug)]
pub struct StreamTable<W: Write> {
    out: W,
    columns: Vec<Column>,
    width: Option<usize>,
    pending: Vec<Vec<String>>,
    widths: Option<Vec<usize>>,
}

impl<W: Write> StreamTable<W> {
    /// A table with these columns, fitted to `width` (see [`super::width::stdout_width`]).
    pub fn new(out: W, columns: Vec<Column>, width: Option<usize>) -> Self {
        StreamTable {
            out,
            columns,
            width,
            pending: Vec::new(),
            widths: None,
        }
    }

    /// Add one row, as many cells as columns.
    ///
    /// # Errors
    /// I/O errors of `out`.
    pub fn push(&mut self, row: Vec<String>) -> io::Result<()> {
        match &self.widths {
            Some(widths) => write_row(&mut self.out, widths, self.width.is_some(), &row),
            None => {
                self.pending.push(row);
                if self.pending.len() >= MEASURED_ROWS {
                    self.start()?;
                }
                Ok(())
            }
        }
    }

    /// Size the columns on what was seen, print the header and the rows held so far.
    fn start(&mut self) -> io::Result<()> {
        let header: Vec<String> = self.columns.iter().map(|c| c.header.clone()).collect();
        let mut natural: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
        for row in &self.pending {
            for (max, cell) in natural.iter_mut().zip(row) {
                *max = (*max).max(display_width(cell));
            }
        }
        let widths = fit_widths(&natural, &self.columns, self.width);
        let cut = self.width.is_some();
        write_row(&mut self.out, &widths, cut, &header)?;
        for row in std::mem::take(&mut self.pending) {
            write_row(&mut self.out, &widths, cut, &row)?;
        }
        self.widths = Some(widths);
        Ok(())
    }

    /// Give up: what is held is dropped, not printed.
    pub fn abandon(self) -> W {
        self.out
    }

    /// Print what is held and flush.
    ///
    /// # Errors
    /// I/O errors of `out`.
    pub fn finish(mut self) -> io::Result<W> {
        if self.widths.is_none() {
            self.start()?;
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

fn write_row(out: &mut impl Write, widths: &[usize], cut: bool, row: &[String]) -> io::Result<()> {
    let mut line = String::new();
    for (i, (cell, &width)) in row.iter().zip(widths).enumerate() {
        let text = if cut {
            truncate(cell, width)
        } else {
            cell.into()
        };
        line.push_str(&text);
        if i + 1 < row.len() {
            let pad = width.saturating_sub(display_width(&text)) + 2;
            line.extend(std::iter::repeat_n(' ', pad));
        }
    }
    writeln!(out, "{line}")
}

/// The columns of `list`: ids and times whole; on a narrow terminal the name gives room
/// first, then the authentication method.
pub fn list_columns() -> Vec<Column> {
    vec![
        Column::whole("CLIENT_ID"),
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
    fn narrow_terminals_cut_shrinkable_columns_in_rank_order() {
        let columns = list_columns();
        let natural = [30, 10, 4, 19, 30];
        assert_eq!(fit_widths(&natural, &columns, None), natural);
        assert_eq!(fit_widths(&natural, &columns, Some(200)), natural);
        // 30+10+4 whole and 8 between: 28 left, the name first down to 12, then the method.
        assert_eq!(
            fit_widths(&natural, &columns, Some(80)),
            [30, 10, 4, 16, 12]
        );
        // Then below their minimums, the name first.
        assert_eq!(fit_widths(&natural, &columns, Some(62)), [30, 10, 4, 9, 1]);
        let at40 = fit_widths(&natural, &columns, Some(40));
        assert_eq!(at40, [30, 10, 4, 1, 1], "whole columns overflow only");
    }

    #[test]
    fn streamed_tables_size_columns_to_content_and_cut_only_on_a_terminal() {
        let columns = vec![Column::whole("ID"), Column::shrink("NOTE", 0, 4)];
        let rows = [["a-long-identifier", "a note that is long"], ["b", "x"]];
        let render = |width| {
            let mut table = StreamTable::new(Vec::new(), columns.clone(), width);
            for row in rows {
                table.push(row.map(str::to_owned).to_vec()).unwrap();
            }
            String::from_utf8(table.finish().unwrap()).unwrap()
        };
        assert_eq!(
            render(None),
            "ID                 NOTE\na-long-identifier  a note that is long\nb                  x\n"
        );
        assert_eq!(
            render(Some(28)),
            "ID                 NOTE\na-long-identifier  a note t…\nb                  x\n"
        );
    }

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

//! JSON renderings. `show` and `list` add the registry's status beside the §4 response.

use crate::model::{Client, ClientSummary};
use crate::registration::ClientInformation;
use serde_json::{Map, Value};
use std::io::{self, Write};

/// The §4 response as a JSON object.
pub fn information(info: &ClientInformation) -> Value {
    serde_json::to_value(info).unwrap_or(Value::Null)
}

/// A stored client: its §4 response plus `registered_via`, `has_secret`, `updated_at` and
/// `last_used_at` (omitted when never used).
pub fn client(client: &Client) -> Value {
    let mut object = match information(&client.information()) {
        Value::Object(object) => object,
        _ => Map::new(),
    };
    object.insert(
        "registered_via".into(),
        client.registered_via.as_str().into(),
    );
    object.insert("has_secret".into(), client.has_secret.into());
    object.insert("updated_at".into(), client.updated_at.into());
    if let Some(last_used_at) = client.last_used_at {
        object.insert("last_used_at".into(), last_used_at.into());
    }
    Value::Object(object)
}

/// The members of the stored metadata object, as JSON text without the braces, ready to be
/// spliced into an object the registry writes around them.
fn metadata_members<'r>(summary: &ClientSummary<'r>) -> io::Result<&'r str> {
    summary
        .metadata_json
        .trim()
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "client {}: stored metadata is not a JSON object",
                    summary.client_id
                ),
            )
        })
}

/// Write one client as `apply` reads it and `export` prints it:
/// `{"client_id":…,<stored metadata members>}`, compact.
///
/// # Errors
/// I/O errors of `out`; `InvalidData` when the stored metadata is not a JSON object.
pub fn write_export(out: &mut impl Write, summary: &ClientSummary<'_>) -> io::Result<()> {
    let members = metadata_members(summary)?;
    out.write_all(b"{\"client_id\":")?;
    serde_json::to_writer(&mut *out, summary.client_id)?;
    if !members.trim().is_empty() {
        out.write_all(b",")?;
        out.write_all(members.as_bytes())?;
    }
    out.write_all(b"}")
}

/// Write a listed client as one compact JSON object, the same members in the same order as
/// [`client`] gives for `show`, by splicing the stored metadata text between the registry's
/// members instead of parsing and re-encoding it.
///
/// # Errors
/// I/O errors of `out`; `InvalidData` when the stored metadata is not a JSON object.
pub fn write_summary(out: &mut impl Write, summary: &ClientSummary<'_>) -> io::Result<()> {
    let members = metadata_members(summary)?;
    out.write_all(b"{\"client_id\":")?;
    serde_json::to_writer(&mut *out, summary.client_id)?;
    write!(
        out,
        ",\"client_id_issued_at\":{}",
        summary.client_id_issued_at
    )?;
    if let Some(expires_at) = summary.response_secret_expiry() {
        write!(out, ",\"client_secret_expires_at\":{expires_at}")?;
    }
    if !members.trim().is_empty() {
        out.write_all(b",")?;
        out.write_all(members.as_bytes())?;
    }
    out.write_all(b",\"registered_via\":")?;
    serde_json::to_writer(&mut *out, summary.registered_via.as_str())?;
    write!(
        out,
        ",\"has_secret\":{},\"updated_at\":{}",
        summary.client_secret_expires_at.is_some(),
        summary.updated_at
    )?;
    if let Some(last_used_at) = summary.last_used_at {
        write!(out, ",\"last_used_at\":{last_used_at}")?;
    }
    out.write_all(b"}")
}

/// Write one value as a JSON document followed by a newline.
///
/// # Errors
/// I/O errors of `out`.
pub fn write_document(out: &mut impl Write, value: &Value) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

/// Writes a JSON array one element at a time, so a listing of any length uses constant memory.
#[derive(Debug)]
pub struct ArrayWriter<W: Write> {
    out: W,
    count: u64,
}

impl<W: Write> ArrayWriter<W> {
    /// Start the array.
    ///
    /// # Errors
    /// I/O errors of `out`.
    pub fn new(mut out: W) -> io::Result<Self> {
        out.write_all(b"[")?;
        Ok(ArrayWriter { out, count: 0 })
    }

    /// Append one element, written by `write`.
    ///
    /// # Errors
    /// I/O errors of `out`, or what `write` returns.
    pub fn push_with(&mut self, write: impl FnOnce(&mut W) -> io::Result<()>) -> io::Result<()> {
        self.out
            .write_all(if self.count == 0 { b"\n" } else { b",\n" })?;
        write(&mut self.out)?;
        self.count += 1;
        Ok(())
    }

    /// Give up on the array without closing it, returning the writer as it is, so the
    /// caller can discard what is still buffered instead of printing a truncated array.
    pub fn abandon(self) -> W {
        self.out
    }

    /// Close the array and flush.
    ///
    /// # Errors
    /// I/O errors of `out`.
    pub fn finish(mut self) -> io::Result<W> {
        self.out
            .write_all(if self.count == 0 { b"]\n" } else { b"\n]\n" })?;
        self.out.flush()?;
        Ok(self.out)
    }
}

//! JSON renderings. `show` and `list` add the registry's status beside the §4 response.
//!
//! Every JSON document dcrctl prints goes through [`write_escaped`]: serde_json escapes only
//! C0 controls, so without it a C1 control (U+009B is an 8-bit CSI that xterm honours) or DEL
//! in a member anyone may register would reach the operator's terminal raw.

use crate::model::{Client, ClientSummary};
use crate::registration::{ClientInformation, RegistryMembers};
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
    let status = Status {
        registered_via: client.registered_via.as_str(),
        has_secret: client.has_secret,
        updated_at: client.updated_at,
        last_used_at: client.last_used_at,
        previous_secret_valid_until: client.previous_secret_valid_until,
    };
    status.each(|name, value| {
        object.insert(name.into(), value);
    });
    Value::Object(object)
}

/// What `show` and `list` add after the §4 response.
struct Status<'a> {
    registered_via: &'a str,
    has_secret: bool,
    updated_at: i64,
    last_used_at: Option<i64>,
    previous_secret_valid_until: Option<i64>,
}

impl Status<'_> {
    /// Hand each member to `each`, in order: the one place that order is written.
    fn each(&self, mut each: impl FnMut(&'static str, Value)) {
        each("registered_via", self.registered_via.into());
        each("has_secret", self.has_secret.into());
        each("updated_at", self.updated_at.into());
        if let Some(last_used_at) = self.last_used_at {
            each("last_used_at", last_used_at.into());
        }
        if let Some(until) = self.previous_secret_valid_until {
            each("previous_secret_valid_until", until.into());
        }
    }
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
/// The text is the stored metadata spliced in verbatim, so write it through
/// [`ArrayWriter`] or [`write_escaped`].
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
/// The text is the stored metadata spliced in verbatim, so write it through
/// [`ArrayWriter`] or [`write_escaped`].
pub fn write_summary(out: &mut impl Write, summary: &ClientSummary<'_>) -> io::Result<()> {
    let members = metadata_members(summary)?;
    let head = RegistryMembers {
        client_id: summary.client_id,
        client_secret: None,
        client_id_issued_at: summary.client_id_issued_at,
        client_secret_expires_at: summary.response_secret_expiry(),
        registration_access_token: None,
        registration_client_uri: None,
    };
    let mut separator = b"{";
    head.each(|name, value| {
        out.write_all(separator)?;
        separator = b",";
        write_member(out, name, &value)
    })?;
    if !members.trim().is_empty() {
        out.write_all(b",")?;
        out.write_all(members.as_bytes())?;
    }
    let status = Status {
        registered_via: summary.registered_via.as_str(),
        has_secret: summary.client_secret_expires_at.is_some(),
        updated_at: summary.updated_at,
        last_used_at: summary.last_used_at,
        previous_secret_valid_until: None,
    };
    let mut written = Ok(());
    status.each(|name, value| {
        if written.is_ok() {
            written = out
                .write_all(b",")
                .and_then(|()| write_member(out, name, &value));
        }
    });
    written?;
    out.write_all(b"}")
}

/// `"name":value`, compact.
fn write_member(out: &mut impl Write, name: &str, value: &impl serde::Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, name)?;
    out.write_all(b":")?;
    serde_json::to_writer(&mut *out, value)?;
    Ok(())
}

/// Write one value as a JSON document followed by a newline.
///
/// # Errors
/// I/O errors of `out`.
pub fn write_document(out: &mut impl Write, value: &Value) -> io::Result<()> {
    let mut text = serde_json::to_vec_pretty(value)?;
    text.push(b'\n');
    write_escaped(out, &text)
}

/// Writes a JSON array one element at a time, so a listing of any length uses constant memory.
/// Each element is written into a reused buffer and goes out through [`write_escaped`].
#[derive(Debug)]
pub struct ArrayWriter<W: Write> {
    out: W,
    element: Vec<u8>,
    count: u64,
}

impl<W: Write> ArrayWriter<W> {
    /// Start the array.
    ///
    /// # Errors
    /// I/O errors of `out`.
    pub fn new(mut out: W) -> io::Result<Self> {
        out.write_all(b"[")?;
        Ok(ArrayWriter {
            out,
            element: Vec::new(),
            count: 0,
        })
    }

    /// Append one element, written by `write`.
    ///
    /// # Errors
    /// I/O errors of `out`, or what `write` returns.
    pub fn push_with(
        &mut self,
        write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>,
    ) -> io::Result<()> {
        self.element.clear();
        self.element
            .extend_from_slice(if self.count == 0 { b"\n" } else { b",\n" });
        write(&mut self.element)?;
        write_escaped(&mut self.out, &self.element)?;
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

/// The first byte of U+0080–U+00BF in UTF-8, so of every C1 control.
const C1_LEAD: u8 = 0xC2;
/// DEL in UTF-8.
const DEL: u8 = 0x7F;

/// Write the JSON text `json` to `out` with DEL (U+007F) and the C1 controls (U+0080–U+009F)
/// escaped as `\u00XX`: serde_json escapes only C0 controls.
///
/// In JSON text these characters can only occur inside strings (anywhere else they are a
/// syntax error), where `\u00XX` means the same character, so the output stays valid JSON
/// with the same meaning. Clean text is scanned once and written as it is, never copied.
///
/// # Errors
/// I/O errors of `out`.
pub fn write_escaped(out: &mut impl Write, json: &[u8]) -> io::Result<()> {
    let mut start = 0;
    let mut from = 0;
    while let Some(offset) = find_special(&json[from..]) {
        let at = from + offset;
        let code = match json[at] {
            DEL => Some((DEL, 1)),
            _ => match json.get(at + 1) {
                Some(&next @ 0x80..=0x9F) => Some((next, 2)),
                _ => None,
            },
        };
        if let Some((code, len)) = code {
            out.write_all(&json[start..at])?;
            write!(out, "\\u{code:04x}")?;
            start = at + len;
        }
        from = at + 1;
    }
    out.write_all(&json[start..])
}

/// The position of the first DEL or 0xC2 in `bytes`. Whole chunks are tested without an
/// early exit, which the compiler vectorises, so clean text is scanned at memory speed.
fn find_special(bytes: &[u8]) -> Option<usize> {
    const LANES: usize = 32;
    let special = |b: &u8| *b == DEL || *b == C1_LEAD;
    let mut chunks = bytes.chunks_exact(LANES);
    let mut base = 0;
    for chunk in &mut chunks {
        if let Ok(lanes) = <&[u8; LANES]>::try_from(chunk) {
            if lanes.iter().fold(false, |any, b| any | special(b)) {
                return lanes.iter().position(special).map(|at| base + at);
            }
        }
        base += LANES;
    }
    chunks
        .remainder()
        .iter()
        .position(special)
        .map(|at| base + at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn escaped(text: &str) -> String {
        let mut out = Vec::new();
        write_escaped(&mut out, text.as_bytes()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_del_and_c1_controls() {
        let value = json!({"x": "a\u{9b}31mb\u{7f}c\u{80}\u{9f}é\u{a0}ü\u{1b}", "\u{85}": 1});
        let text = serde_json::to_string(&value).unwrap();
        // Each position of a special character relative to the scanner's 32-byte chunks.
        for pad in 0..40 {
            let padded = format!("[{}{text}]", " ".repeat(pad));
            let escaped = escaped(&padded);
            assert_eq!(
                escaped,
                format!(
                    "[{}{}]",
                    " ".repeat(pad),
                    "{\"x\":\"a\\u009b31mb\\u007fc\\u0080\\u009fé\u{a0}ü\\u001b\",\"\\u0085\":1}"
                )
            );
            let back: Value = serde_json::from_str(&escaped).unwrap();
            assert_eq!(back[0], value);
        }
        assert_eq!(escaped("\"\u{7f}\""), "\"\\u007f\"");
    }

    #[test]
    fn clean_text_passes_unchanged() {
        let text = "[{\"client_name\":\"Ünïcode © ₿ 😀 \\u0000\"}]\n".repeat(10);
        assert_eq!(escaped(&text), text);
        assert_eq!(find_special(&[b'a'; 100]), None);
        assert_eq!(find_special("a".repeat(70).as_bytes()), None);
        assert_eq!(
            find_special(format!("{}\u{7f}", "a".repeat(70)).as_bytes()),
            Some(70)
        );
        assert_eq!(
            find_special(format!("{}©", "a".repeat(31)).as_bytes()),
            Some(31)
        );
    }

    #[test]
    fn array_and_document_writers_escape() {
        let stored = "{\"x_note\":\"\u{9b}2J\"}";
        let mut array = ArrayWriter::new(Vec::new()).unwrap();
        array
            .push_with(|out| out.write_all(stored.as_bytes()))
            .unwrap();
        let listed = String::from_utf8(array.finish().unwrap()).unwrap();
        assert_eq!(listed, "[\n{\"x_note\":\"\\u009b2J\"}\n]\n");
        let mut document = Vec::new();
        write_document(&mut document, &json!({"x": "\u{7f}"})).unwrap();
        assert_eq!(
            String::from_utf8(document).unwrap(),
            "{\n  \"x\": \"\\u007f\"\n}\n"
        );
    }
}

//! Turning untrusted bytes into a metadata document.
//!
//! Stricter than `serde_json::from_slice`: a key that appears twice anywhere is refused rather
//! than silently resolved to its last value, since two parsers that disagree on which value
//! wins are a classic way to smuggle metadata past a check.

use super::metadata::{MetadataDoc, MAX_DOCUMENT_BYTES, MAX_INPUT_BYTES};
use super::MetadataError;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// The member name under which serde_json (with `arbitrary_precision`, which keeps numbers
/// as written) passes a number to a visitor. An object whose first member has this name reads
/// as that number, as it does for `serde_json::Value` itself.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Parse a metadata document: UTF-8 JSON, an object, at most [`MAX_DOCUMENT_BYTES`] not
/// counting whitespace between tokens (so a pretty-printed document is measured as its
/// compact form, the one the registry stores), no duplicate keys.
///
/// # Errors
/// `invalid_client_metadata` naming `(document)` and what is wrong with it.
pub fn parse_document(bytes: &[u8]) -> Result<MetadataDoc, MetadataError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(MetadataError::metadata(
            "(document)",
            format!(
                "is larger than {MAX_INPUT_BYTES} bytes (a document is at most {MAX_DOCUMENT_BYTES} bytes of JSON)"
            ),
        ));
    }
    if significant_bytes(bytes) > MAX_DOCUMENT_BYTES {
        return Err(MetadataError::metadata(
            "(document)",
            format!(
                "is larger than {MAX_DOCUMENT_BYTES} bytes of JSON (whitespace between tokens not counted)"
            ),
        ));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| MetadataError::metadata("(document)", "is not valid UTF-8"))?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let StrictValue(value) = StrictValue::deserialize(&mut deserializer)
        .map_err(|e| MetadataError::metadata("(document)", format!("is not valid JSON: {e}")))?;
    deserializer
        .end()
        .map_err(|e| MetadataError::metadata("(document)", format!("is not valid JSON: {e}")))?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(MetadataError::metadata(
            "(document)",
            "must be a JSON object",
        )),
    }
}

/// The length of `bytes` without the whitespace between JSON tokens (what compact JSON of the
/// same document takes, or more: escapes such as `\u0041` count as written). Measured before
/// parsing, so an oversized document costs no memory beyond its bytes.
fn significant_bytes(bytes: &[u8]) -> usize {
    let (mut count, mut in_string, mut escaped) = (0, false, false);
    for &byte in bytes {
        if in_string {
            count += 1;
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else if !matches!(byte, b' ' | b'\t' | b'\n' | b'\r') {
            count += 1;
            in_string = byte == b'"';
        }
    }
    count
}

struct StrictValue(Value);

impl<'de> Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(StrictValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        let Some(first) = access.next_key::<String>()? else {
            return Ok(Value::Object(map));
        };
        if first == NUMBER_TOKEN {
            // serde_json's `arbitrary_precision` hands a number over as this one-member map
            // holding its text, which is kept as written (SPEC §1: verbatim). One past the
            // range of a double is still refused, as before: readers in other languages
            // (Go's encoding/json) fail on it.
            let text: String = access.next_value()?;
            let number = text.parse::<Number>().map_err(de::Error::custom)?;
            if number.as_f64().is_none() {
                return Err(de::Error::custom("number out of range"));
            }
            return Ok(Value::Number(number));
        }
        let mut next = Some(first);
        while let Some(key) = next.take() {
            if map.contains_key(&key) {
                return Err(de::Error::custom(format!("duplicate key {key:?}")));
            }
            let StrictValue(value) = access.next_value()?;
            map.insert(key, value);
            next = access.next_key::<String>()?;
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::parse_document;

    #[test]
    fn accepts_an_object() {
        let doc = parse_document(br#"{"client_name":"x","n":{"a":[1,2.5,null,true]}}"#).unwrap();
        assert_eq!(doc["client_name"], "x");
    }

    #[test]
    fn refuses_what_is_not_one_clean_object() {
        for bad in [
            &br#"{"a":1,"a":2}"#[..],
            br#"{"x":{"b":1,"b":1}}"#,
            b"[]",
            b"\"str\"",
            b"{",
            b"{} {}",
            b"\xff\xfe{}",
            b"",
        ] {
            let err = parse_document(bad).unwrap_err();
            assert_eq!(
                err.field,
                "(document)",
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse_document(format!("{{\"a\":{deep}}}").as_bytes()).is_err());
        let huge = format!("{{\"a\":\"{}\"}}", "x".repeat(70_000));
        assert!(parse_document(huge.as_bytes()).is_err());
    }
}

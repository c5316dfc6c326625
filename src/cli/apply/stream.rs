//! Reading an apply file: serde_json walks the array, each element's text is captured while
//! it skips over it, then parsed strictly and checked on its own, and staged.

use super::Error;
use crate::ops;
use crate::registration::{parse_document, MetadataError, MAX_DOCUMENT_BYTES};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, SeqAccess, Visitor};
use std::cell::RefCell;
use std::fmt;
use std::io::{self, BufReader, Read};
use std::rc::Rc;

/// Parse the file, handing each element to `staging`.
///
/// # Errors
/// As [`super::read_documents`] gives them, for the file itself; storage failures while staging.
pub(super) fn stream_documents(
    staging: &mut ops::Staging<'_>,
    input: impl Read,
    name: &str,
    max_bytes: u64,
) -> anyhow::Result<()> {
    let capture = Rc::new(RefCell::new(Capture {
        max_bytes,
        ..Capture::default()
    }));
    let reader = CapturingReader {
        inner: BufReader::with_capacity(64 * 1024, input),
        capture: Rc::clone(&capture),
    };
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    let mut failure = None;
    let read = deserializer
        .deserialize_any(Documents {
            capture: &capture,
            staging,
            failure: &mut failure,
        })
        .and_then(|()| deserializer.end());
    if let Some(error) = failure {
        return Err(error.into());
    }
    let Err(error) = read else {
        return Ok(());
    };
    let over_limit = capture.borrow().over_limit;
    match (over_limit, error.classify()) {
        (true, _) => Err(Error::usage(format!("{name}: is larger than {max_bytes} bytes")).into()),
        (false, serde_json::error::Category::Io) => {
            Err(anyhow::Error::new(io::Error::from(error)).context(name.to_owned()))
        }
        (false, serde_json::error::Category::Data) => {
            Err(Error::usage(format!("{name}: must be a JSON array of client documents")).into())
        }
        (false, _) => Err(Error::usage(format!("{name}: is not valid JSON: {error}")).into()),
    }
}

/// What [`CapturingReader`] shares with the element parser: the bytes of the document being
/// read, so that each element is checked by [`parse_document`] from its own text, exactly as a
/// `--metadata-file` would be.
#[derive(Debug, Default)]
struct Capture {
    /// The file size limit, [`super::MAX_APPLY_BYTES`].
    max_bytes: u64,
    /// Bytes read so far.
    total: u64,
    /// The last byte read: serde_json has read (peeked) a value's first byte before the
    /// element parser starts on it.
    last: u8,
    /// Whether bytes are being kept in `document`.
    capturing: bool,
    document: Vec<u8>,
    /// Whether the document being read went past [`MAX_DOCUMENT_BYTES`]: its bytes are no
    /// longer kept, and it is reported once it has been skipped.
    oversized: bool,
    /// Whether the file went past `max_bytes`.
    over_limit: bool,
}

/// The input as serde_json reads it, one byte per call (which is how its reader pulls bytes
/// anyway; the one-byte reads make [`Capture::last`] exact whatever it asks for).
struct CapturingReader<R> {
    inner: BufReader<R>,
    capture: Rc<RefCell<Capture>>,
}

impl<R: Read> Read for CapturingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(first) = buf.first_mut() else {
            return Ok(0);
        };
        let mut byte = [0u8];
        if self.inner.read(&mut byte)? == 0 {
            return Ok(0);
        }
        *first = byte[0];
        let mut capture = self.capture.borrow_mut();
        capture.total += 1;
        capture.last = byte[0];
        if capture.total > capture.max_bytes {
            capture.over_limit = true;
            return Err(io::Error::other("input too large"));
        }
        if capture.capturing {
            capture.document.push(byte[0]);
            // One more byte than the limit: what serde_json may peek past a scalar.
            if capture.document.len() > MAX_DOCUMENT_BYTES + 1 {
                capture.capturing = false;
                capture.oversized = true;
                capture.document = Vec::new();
            }
        }
        Ok(1)
    }
}

/// The top-level visitor: the file must be an array, whose elements go to [`Element`].
struct Documents<'a, 's> {
    capture: &'a Rc<RefCell<Capture>>,
    staging: &'a mut ops::Staging<'s>,
    failure: &'a mut Option<Error>,
}

impl<'de> Visitor<'de> for Documents<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array of client documents")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(Element {
                capture: self.capture,
                staging: &mut *self.staging,
                failure: &mut *self.failure,
            })?
            .is_some()
        {}
        Ok(())
    }
}

/// One element: its text is captured while serde_json skips over it (checking its syntax and
/// nesting depth), then parsed and checked on its own, staged, and dropped. A storage failure
/// stops the whole read, its error left in `failure`.
struct Element<'a, 's> {
    capture: &'a Rc<RefCell<Capture>>,
    staging: &'a mut ops::Staging<'s>,
    failure: &'a mut Option<Error>,
}

impl<'de> DeserializeSeed<'de> for Element<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        {
            let mut capture = self.capture.borrow_mut();
            let first = capture.last;
            capture.document.clear();
            capture.document.push(first);
            capture.capturing = true;
            capture.oversized = false;
        }
        let skipped = deserializer.deserialize_ignored_any(IgnoredAny);
        let (text, oversized) = {
            let mut capture = self.capture.borrow_mut();
            capture.capturing = false;
            (std::mem::take(&mut capture.document), capture.oversized)
        };
        skipped?;
        let index = self.staging.len();
        let staged = if oversized {
            self.staging.reject(MetadataError::metadata(
                format!("documents[{index}]"),
                format!("is larger than {MAX_DOCUMENT_BYTES} bytes"),
            ))
        } else {
            match check_element(&text, index) {
                Ok(doc) => self.staging.push(doc),
                Err(error) => self.staging.reject(error),
            }
        };
        // Give the buffer back, so the next element reuses its allocation.
        self.capture.borrow_mut().document = text;
        staged.map_err(|error| {
            *self.failure = Some(error);
            de::Error::custom("stopped by a storage failure")
        })
    }
}

/// One element's text as a metadata document, parsed strictly by [`parse_document`].
fn check_element(
    text: &[u8],
    index: u64,
) -> Result<crate::registration::MetadataDoc, MetadataError> {
    // A scalar's text may end with the byte serde_json peeked after it; it is no object
    // either way.
    if text.first() != Some(&b'{') {
        return Err(MetadataError::metadata(
            format!("documents[{index}]"),
            "must be a JSON object",
        ));
    }
    parse_document(text).map_err(|error| MetadataError {
        field: format!("documents[{index}]"),
        // Positions in the message would count from the element, not the file.
        rule: strip_position(&error.rule).to_owned(),
        ..error
    })
}

/// `"… at line 1 column 9"` → `"…"`.
fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(at) if message[at..].contains(" column ") => &message[..at],
        _ => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_only_a_trailing_position() {
        assert_eq!(
            strip_position("duplicate key \"a\" at line 1 column 9"),
            "duplicate key \"a\""
        );
        assert_eq!(
            strip_position("must be a JSON object"),
            "must be a JSON object"
        );
    }
}

//! `dcrctl apply`: make the registry match a JSON file of client documents.
//!
//! The file is streamed: each element of the array is checked as soon as it has been read
//! (with the same strict parser as `--metadata-file`, which refuses duplicate keys, then every
//! metadata rule) and only its compact checked form is kept (see [`ops::DesiredState`]); the
//! first bad document stops the reading, named by its index. Only once the whole file passed
//! is it compared with the database, so a bad document anywhere writes nothing. Memory is
//! what the checked documents take (in proportion to the number of clients read so far) plus
//! a small multiple of the largest document, never the parse tree of the whole file. The 64 KiB
//! limit applies to each document, checked while it is read; the file may hold up to
//! [`MAX_APPLY_BYTES`].

use super::deliver::Delivery;
use super::{progress, prompt, Ctx};
use crate::ops::{self, ApplyAction, ApplyReport};
use crate::output::sanitize::sanitize;
use crate::output::{json, Format};
use crate::registration::{parse_document, MetadataError, MAX_DOCUMENT_BYTES};
use crate::Error;
use anyhow::Context;
use clap::Args;
use indicatif::ProgressBar;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::cell::RefCell;
use std::fmt;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Arguments of `apply`.
///
/// The file is a JSON array of client documents, each an RFC 7591 metadata document with its
/// `client_id` (the format `export` prints). Each document is the client's whole desired
/// metadata: clients that are missing are created (their client_secret and
/// registration_access_token are printed once), clients that differ are replaced, the rest
/// are left alone. Re-applying the same file changes nothing. Nothing is written when any
/// document is invalid.
#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// JSON array of client documents, each with its client_id (`-` = stdin)
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// Also delete clients that are not in the file (asks for confirmation like delete)
    #[arg(long)]
    prune: bool,

    /// Show what would change without changing anything
    #[arg(long)]
    dry_run: bool,
}

/// At most this many client ids are named in the `--prune` confirmation question.
const NAMED_IN_QUESTION: usize = 10;

pub(crate) fn run(ctx: &Ctx, args: &ApplyArgs) -> anyhow::Result<()> {
    let name = args.file.display().to_string();
    let desired = if args.file == Path::new("-") {
        read_documents(io::stdin().lock(), &name)?
    } else {
        let file = std::fs::File::open(&args.file).with_context(|| name.clone())?;
        read_documents(file, &name)?
    };
    let mut store = ctx.open_store()?;
    let plan = ops::plan_apply(&mut store, desired, args.prune)?;
    if args.dry_run {
        let report = plan.preview();
        let mut stdout = BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
        write_report(&mut stdout, ctx, &report)?;
        stdout.flush()?;
        summarize(ctx, &report);
        return Ok(());
    }
    if !plan.deletions().is_empty() {
        prompt::confirm(ctx, &prune_question(plan.deletions(), &name))?;
    }
    let bar = if plan.has_changes() {
        progress::bar(ctx, plan.total(), "apply")
    } else {
        ProgressBar::hidden()
    };
    let mut delivery = Delivery::default();
    let report = ops::apply(
        &mut store,
        &ctx.actor,
        plan,
        &mut |done| bar.set_position(done),
        &mut |report| {
            bar.finish_and_clear();
            delivery.show(ctx, |out| write_report(out, ctx, report))
        },
    );
    bar.finish_and_clear();
    summarize(ctx, &delivery.finish(report)?);
    Ok(())
}

/// The largest file `apply` reads: room for 100,000 client documents of 2.5 KiB each (10,000
/// typical clients take a few MB), while an endless input (`/dev/zero`) is refused after
/// 256 MiB instead of exhausting memory.
const MAX_APPLY_BYTES: u64 = 256 * 1024 * 1024;

/// Read and check an apply file, one document at a time.
///
/// # Errors
/// A usage error naming the file when it is not JSON, not an array, or larger than
/// [`MAX_APPLY_BYTES`]; `invalid_client_metadata` naming `documents[N]` for the first element
/// that is not a clean, valid client document (see [`ops::DesiredState::push`]); an I/O error
/// reading it.
fn read_documents(input: impl Read, name: &str) -> anyhow::Result<ops::DesiredState> {
    read_documents_within(input, name, MAX_APPLY_BYTES)
}

/// [`read_documents`] with a file size limit of `max_bytes`.
fn read_documents_within(
    input: impl Read,
    name: &str,
    max_bytes: u64,
) -> anyhow::Result<ops::DesiredState> {
    let capture = Rc::new(RefCell::new(Capture {
        max_bytes,
        ..Capture::default()
    }));
    let reader = CapturingReader {
        inner: BufReader::with_capacity(64 * 1024, input),
        capture: Rc::clone(&capture),
    };
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    let mut desired = ops::DesiredState::new();
    let mut failure = None;
    let read = deserializer
        .deserialize_any(Documents {
            capture: &capture,
            desired: &mut desired,
            failure: &mut failure,
        })
        .and_then(|()| deserializer.end());
    if let Some(error) = failure {
        return Err(error.into());
    }
    let Err(error) = read else {
        return Ok(desired);
    };
    let limit = capture.borrow().over_limit;
    match (limit, error.classify()) {
        (Some(Limit::File), _) => {
            Err(Error::usage(format!("{name}: is larger than {max_bytes} bytes")).into())
        }
        (Some(Limit::Document), _) => Err(Error::from(MetadataError::metadata(
            format!("documents[{}]", desired.len()),
            format!("is larger than {MAX_DOCUMENT_BYTES} bytes"),
        ))
        .into()),
        (None, serde_json::error::Category::Io) => {
            Err(anyhow::Error::new(io::Error::from(error)).context(name.to_owned()))
        }
        (None, serde_json::error::Category::Data) => {
            Err(Error::usage(format!("{name}: must be a JSON array of client documents")).into())
        }
        (None, _) => Err(Error::usage(format!("{name}: is not valid JSON: {error}")).into()),
    }
}

/// Which size limit the input went past.
#[derive(Debug, Clone, Copy)]
enum Limit {
    /// [`MAX_APPLY_BYTES`] for the file.
    File,
    /// [`MAX_DOCUMENT_BYTES`] for one document.
    Document,
}

/// What [`CapturingReader`] shares with the element parser: the bytes of the document being
/// read, so that each element is checked by [`parse_document`] from its own text, exactly as a
/// `--metadata-file` would be.
#[derive(Debug, Default)]
struct Capture {
    /// The file size limit, [`MAX_APPLY_BYTES`].
    max_bytes: u64,
    /// Bytes read so far.
    total: u64,
    /// The last byte read: serde_json has read (peeked) a value's first byte before the
    /// element parser starts on it.
    last: u8,
    /// Whether bytes are being kept in `document`.
    capturing: bool,
    document: Vec<u8>,
    over_limit: Option<Limit>,
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
            capture.over_limit = Some(Limit::File);
            return Err(io::Error::other("input too large"));
        }
        if capture.capturing {
            capture.document.push(byte[0]);
            // One more byte than the limit: what serde_json may peek past a scalar.
            if capture.document.len() > MAX_DOCUMENT_BYTES + 1 {
                capture.over_limit = Some(Limit::Document);
                return Err(io::Error::other("document too large"));
            }
        }
        Ok(1)
    }
}

/// The top-level visitor: the file must be an array, whose elements go to [`Element`].
struct Documents<'a> {
    capture: &'a Rc<RefCell<Capture>>,
    desired: &'a mut ops::DesiredState,
    failure: &'a mut Option<Error>,
}

impl<'de> Visitor<'de> for Documents<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array of client documents")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(Element {
                capture: self.capture,
                desired: &mut *self.desired,
                failure: &mut *self.failure,
            })?
            .is_some()
        {}
        Ok(())
    }
}

/// One element: its text is captured while serde_json skips over it (checking its syntax and
/// nesting depth), then parsed and checked on its own, and dropped once its compact form is
/// kept. A bad one stops the whole read, its error left in `failure`.
struct Element<'a> {
    capture: &'a Rc<RefCell<Capture>>,
    desired: &'a mut ops::DesiredState,
    failure: &'a mut Option<Error>,
}

impl<'de> DeserializeSeed<'de> for Element<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        {
            let mut capture = self.capture.borrow_mut();
            let first = capture.last;
            capture.document.clear();
            capture.document.push(first);
            capture.capturing = true;
        }
        let skipped = deserializer.deserialize_ignored_any(IgnoredAny);
        let text = {
            let mut capture = self.capture.borrow_mut();
            capture.capturing = false;
            std::mem::take(&mut capture.document)
        };
        skipped?;
        let index = self.desired.len();
        let checked = check_element(&text, index).and_then(|doc| self.desired.push(doc));
        // Give the buffer back, so the next element reuses its allocation.
        let mut capture = self.capture.borrow_mut();
        capture.document = text;
        match checked {
            Ok(()) => Ok(()),
            Err(error) => {
                *self.failure = Some(error);
                Err(de::Error::custom("stopped at an invalid document"))
            }
        }
    }
}

/// One element's text as a metadata document, parsed strictly by [`parse_document`].
fn check_element(text: &[u8], index: usize) -> Result<crate::registration::MetadataDoc, Error> {
    // A scalar's text may end with the byte serde_json peeked after it; it is no object
    // either way.
    if text.first() != Some(&b'{') {
        return Err(MetadataError::metadata(
            format!("documents[{index}]"),
            "must be a JSON object",
        )
        .into());
    }
    parse_document(text).map_err(|error| {
        MetadataError {
            field: format!("documents[{index}]"),
            // Positions in the message would count from the element, not the file.
            rule: strip_position(&error.rule).to_owned(),
            ..error
        }
        .into()
    })
}

/// `"… at line 1 column 9"` → `"…"`.
fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(at) if message[at..].contains(" column ") => &message[..at],
        _ => message,
    }
}

fn prune_question(deletions: &[String], file: &str) -> String {
    let mut names: Vec<String> = deletions
        .iter()
        .take(NAMED_IN_QUESTION)
        .map(|id| sanitize(id).into_owned())
        .collect();
    if deletions.len() > NAMED_IN_QUESTION {
        names.push(format!("and {} more", deletions.len() - NAMED_IN_QUESTION));
    }
    let clients = match deletions.len() {
        1 => "1 client".to_owned(),
        n => format!("{n} clients"),
    };
    format!(
        "Delete {clients} not in {} ({}) with their secrets and tokens? This cannot be undone",
        sanitize(file),
        names.join(", ")
    )
}

/// Render the per-client results; when `apply` changes something, for a [`Delivery`] before
/// its transaction commits (see [`ops::Deliver`]), as created clients' credentials are among
/// them.
fn write_report(mut out: &mut dyn Write, ctx: &Ctx, report: &ApplyReport) -> std::io::Result<()> {
    match ctx.format {
        Format::Json => {
            serde_json::to_writer_pretty(Escaping(&mut out), &ReportJson(report))?;
            out.write_all(b"\n")?;
        }
        // `-o name` is refused for apply before it runs (see `output::check`).
        Format::Table | Format::Name => {
            for client in &report.clients {
                writeln!(
                    out,
                    "{} {}",
                    client.action.as_str(),
                    sanitize(&client.client_id)
                )?;
                let Some(issued) = &client.issued else {
                    continue;
                };
                if let Some(secret) = &issued.client_secret {
                    writeln!(out, "  client_secret: {}", secret.expose())?;
                }
                if let Some(token) = &issued.registration_access_token {
                    writeln!(out, "  registration_access_token: {}", token.expose())?;
                }
            }
        }
    }
    Ok(())
}

/// The stderr lines after the results: the once-only reminder and the counts.
fn summarize(ctx: &Ctx, report: &ApplyReport) {
    if report.clients.iter().any(|client| client.issued.is_some()) {
        ctx.note(
            "note: the client_secret and registration_access_token values above are shown \
             once: store them now, they cannot be shown again",
        );
    }
    let counts = [
        ApplyAction::Created,
        ApplyAction::Updated,
        ApplyAction::Unchanged,
        ApplyAction::Deleted,
    ]
    .map(|action| format!("{} {}", report.count(action), action.as_str()))
    .join(", ");
    if report.dry_run {
        ctx.note(format_args!(
            "apply (dry run, nothing was written): {counts}"
        ));
    } else {
        ctx.note(format_args!("apply: {counts}"));
    }
}

/// `{"created": n, …, "dry_run": bool, "clients": [{"client_id", "result", credentials…}]}`,
/// serialized straight to the output (no JSON tree of the whole report: an apply of 450,000
/// clients would otherwise build one of several hundred MB).
struct ReportJson<'a>(&'a ApplyReport);

impl Serialize for ReportJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        let mut map = serializer.serialize_map(Some(6))?;
        for action in [
            ApplyAction::Created,
            ApplyAction::Updated,
            ApplyAction::Unchanged,
            ApplyAction::Deleted,
        ] {
            map.serialize_entry(action.as_str(), &report.count(action))?;
        }
        map.serialize_entry("dry_run", &report.dry_run)?;
        map.serialize_entry("clients", &ClientsJson(&report.clients))?;
        map.end()
    }
}

struct ClientsJson<'a>(&'a [ops::AppliedClient]);

impl Serialize for ClientsJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(ClientJson))
    }
}

struct ClientJson<'a>(&'a ops::AppliedClient);

impl Serialize for ClientJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let client = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("client_id", &client.client_id)?;
        map.serialize_entry("result", client.action.as_str())?;
        if let Some(issued) = &client.issued {
            if let Some(secret) = &issued.client_secret {
                map.serialize_entry("client_secret", secret.expose())?;
            }
            if let Some(token) = &issued.registration_access_token {
                map.serialize_entry("registration_access_token", token.expose())?;
            }
            if let Some(expires_at) = issued.client_secret_expires_at {
                map.serialize_entry("client_secret_expires_at", &expires_at)?;
            }
        }
        map.end()
    }
}

/// Passes JSON text on through [`json::write_escaped`]. serde_json writes a string in slices
/// cut at ASCII escapes, so no character (a two-byte C1 control in particular) is ever split
/// between two writes.
struct Escaping<W: Write>(W);

impl<W: Write> Write for Escaping<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        json::write_escaped(&mut self.0, buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The client ids `text` holds, or its error: `usage: …` or the metadata error.
    fn read(text: &str) -> Result<Vec<String>, String> {
        read_within(text, MAX_APPLY_BYTES)
    }

    fn read_within(text: &str, max_bytes: u64) -> Result<Vec<String>, String> {
        match read_documents_within(text.as_bytes(), "f.json", max_bytes) {
            Ok(desired) => Ok(desired.client_ids().map(str::to_owned).collect()),
            Err(error) => match error.downcast_ref::<Error>() {
                Some(Error::InvalidMetadata(e)) => Err(e.to_string()),
                Some(e) => Err(format!("usage: {e}")),
                None => Err(format!("other: {error:#}")),
            },
        }
    }

    const A: &str = r#"{"client_id":"a","grant_types":["client_credentials"]}"#;

    #[test]
    fn streams_an_array_of_strict_documents() {
        assert_eq!(read(" [ ] "), Ok(vec![]));
        let two = format!(
            "[{A} ,\n {{\"client_id\": \"b\", \"redirect_uris\": [\"https://b.example/cb\"]}}]"
        );
        assert_eq!(read(&two), Ok(vec!["a".to_owned(), "b".to_owned()]));
        let error = read(&format!("[{A}, {{\"a\":1,\"a\":2}}]")).unwrap_err();
        assert!(error.starts_with("documents[1]: "), "{error}");
        assert!(error.contains("duplicate key"), "{error}");
        assert!(!error.contains("line"), "{error}");
        for scalar in ["3", "\"x\"", "[1]", "null", "-1.5e3", "true"] {
            let error = read(&format!("[{A}, {scalar}]")).unwrap_err();
            assert!(
                error.starts_with("documents[1]: must be a JSON object"),
                "{scalar}: {error}"
            );
        }
        for bad in ["{}", "3", "", "[", "[,]", "\"[]\"", "\u{0}"] {
            let error = read(bad).unwrap_err();
            assert!(error.starts_with("usage: f.json: "), "{bad:?}: {error}");
        }
        for bad in [format!("[{A},]"), format!("[{A}] []"), format!("[{A} {A}]")] {
            let error = read(&bad).unwrap_err();
            assert!(
                error.starts_with("usage: f.json: is not valid JSON"),
                "{bad:?}: {error}"
            );
        }
        // A syntax error's position is the file's own.
        let error = read(&format!("[\n{A},\n{{\"a\" 1}}]")).unwrap_err();
        assert!(error.contains("line 3 column"), "{error}");
    }

    #[test]
    fn stops_at_the_first_invalid_document() {
        // Nothing after the first bad document is read: not even its syntax error.
        let error = read(&format!("[{A}, {{}}, this is not JSON")).unwrap_err();
        assert!(
            error.starts_with("documents[1].client_id: is missing"),
            "{error}"
        );
        let error = read(&format!("[{A}, {A}]")).unwrap_err();
        assert!(error.starts_with("documents[1].client_id: "), "{error}");
        assert!(error.contains("already appears in documents[0]"), "{error}");
    }

    #[test]
    fn size_limits_hold_while_streaming() {
        let big = format!(
            "[{A}, {{\"client_id\":\"b\",\"x\":\"{}\"}}]",
            "x".repeat(MAX_DOCUMENT_BYTES)
        );
        let error = read(&big).unwrap_err();
        assert_eq!(
            error,
            "documents[1]: is larger than 65536 bytes (invalid_client_metadata)"
        );
        // Exactly at the limit is parsed (and then fails on its own rule, not its size).
        let filler = MAX_DOCUMENT_BYTES - r#"{"client_id":"b","x":""}"#.len();
        let at_limit = format!("[{{\"client_id\":\"b\",\"x\":\"{}\"}}]", "x".repeat(filler));
        let outcome = read(&at_limit);
        assert!(
            !outcome.as_ref().is_err_and(|e| e.contains("larger than")),
            "{outcome:?}"
        );
        // Whitespace between documents is not a document, and counts only against the file.
        let spaced = format!("[{A}{}]", " ".repeat(2 * MAX_DOCUMENT_BYTES));
        assert_eq!(read(&spaced), Ok(vec!["a".to_owned()]));
        let error = read_within(&spaced, 1000).unwrap_err();
        assert_eq!(error, "usage: f.json: is larger than 1000 bytes");
    }

    #[test]
    fn the_report_streams_as_the_json_tree_printed_it() {
        use crate::credentials::Secret;
        use ops::{AppliedClient, IssuedCredentials};
        let report = ApplyReport {
            clients: vec![
                AppliedClient {
                    client_id: "new".into(),
                    action: ApplyAction::Created,
                    issued: Some(IssuedCredentials {
                        client_secret: Some(Secret::new("dcrsec_x".into())),
                        registration_access_token: Some(Secret::new("dcrrat_y".into())),
                        client_secret_expires_at: Some(0),
                    }),
                },
                AppliedClient {
                    client_id: "old\u{85}".into(),
                    action: ApplyAction::Unchanged,
                    issued: None,
                },
            ],
            dry_run: false,
        };
        let mut out = Vec::new();
        serde_json::to_writer_pretty(Escaping(&mut out), &ReportJson(&report)).unwrap();
        let expected = serde_json::json!({
            "created": 1, "updated": 0, "unchanged": 1, "deleted": 0, "dry_run": false,
            "clients": [
                {"client_id": "new", "result": "created", "client_secret": "dcrsec_x",
                 "registration_access_token": "dcrrat_y", "client_secret_expires_at": 0},
                {"client_id": "old\u{85}", "result": "unchanged"},
            ],
        });
        let expected = serde_json::to_string_pretty(&expected)
            .unwrap()
            .replace('\u{85}', "\\u0085");
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

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

//! `dcrctl apply`: make the registry match a JSON file of client documents.
//!
//! The file is streamed: each element of the array is checked as soon as it has been read
//! (with the same strict parser as `--metadata-file`, which refuses duplicate keys, then every
//! metadata rule) and staged in a temporary table of the store's connection (see
//! [`ops::stage_apply`]); reading goes on past an invalid document, so that every one is
//! reported (the first [`ops::MAX_REPORTED_INVALID`], then a count). Only once the whole file
//! passed is it compared with the database, so a bad document anywhere writes nothing. The
//! report is written as each client is handled. Memory is a small multiple of the largest
//! document, whatever the number of clients: the 64 KiB limit applies to each document,
//! checked while it is read; the file may hold up to [`MAX_APPLY_BYTES`].

use super::deliver::Delivery;
use super::{progress, prompt, Ctx};
use crate::ops::{self, AppliedClient, ApplyAction, ApplyCounts, Reported, StagedFile};
use crate::output::sanitize::sanitize;
use crate::output::{json, Format};
use crate::registration::{parse_document, MetadataError, MAX_DOCUMENT_BYTES};
use crate::Error;
use anyhow::Context;
use clap::Args;
use indicatif::ProgressBar;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, SeqAccess, Visitor};
use std::cell::RefCell;
use std::fmt;
use std::io::{self, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Arguments of `apply`.
///
/// The file is a JSON array of client documents, each an RFC 7591 metadata document with its
/// `client_id` (the format `export` prints). Each document is the client's whole desired
/// metadata: clients that are missing are created (their client_secret and
/// registration_access_token are printed once), clients that differ are replaced, the rest
/// are left alone. Re-applying the same file changes nothing. Nothing is written when any
/// document is invalid; every invalid document is reported.
#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// JSON array of client documents, each with its client_id (`-` = stdin)
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// Also delete clients that are not in the file (asks for confirmation like delete)
    #[arg(long)]
    prune: bool,

    /// Show what would change without changing anything (every line says "would …")
    #[arg(long)]
    dry_run: bool,
}

pub(crate) fn run(ctx: &Ctx, args: &ApplyArgs) -> anyhow::Result<()> {
    let name = args.file.display().to_string();
    let mut store = ctx.open_store()?;
    let staged = if args.file == Path::new("-") {
        read_documents(&mut store, io::stdin().lock(), &name)?
    } else {
        let file = std::fs::File::open(&args.file).with_context(|| name.clone())?;
        read_documents(&mut store, file, &name)?
    };
    if args.dry_run {
        let mut out = ReportWriter::new(
            BufWriter::with_capacity(64 * 1024, io::stdout().lock()),
            ctx.format,
            true,
        );
        let plan = ops::plan_apply(&mut store, &staged, args.prune, &mut |piece| {
            out.write(piece)
        })?;
        out.into_inner().flush()?;
        summarize(plan.counts(), true, false);
        return Ok(());
    }
    let plan = ops::plan_apply(&mut store, &staged, args.prune, &mut |_| Ok(()))?;
    let deletions = plan.counts().count(ApplyAction::Deleted);
    if deletions > 0 {
        prompt::confirm(
            ctx,
            &prune_question(plan.named_deletions(), deletions, &name),
        )?;
    }
    // The report itself shows progress on a terminal; a bar beside it would garble both.
    let bar = if plan.has_changes() && !io::stdout().is_terminal() {
        progress::bar(ctx, plan.total(), "apply")
    } else {
        ProgressBar::hidden()
    };
    let mut delivery = Delivery::default();
    let mut out = None;
    let mut issued = false;
    let counts = ops::apply(
        &mut store,
        &ctx.actor,
        &plan,
        &mut |done| bar.set_position(done),
        &mut |piece| {
            if let Reported::Client(client) = piece {
                issued |= client.issued.is_some();
            }
            let stream = match &mut out {
                Some(stream) => stream,
                None => out.insert(ReportWriter::new(delivery.stream(ctx), ctx.format, false)),
            };
            stream.write(piece)?;
            if let Reported::End(_) = piece {
                if let Some(stream) = out.take() {
                    bar.finish_and_clear();
                    stream.into_inner().close(&mut delivery)?;
                }
            }
            Ok(())
        },
    );
    // A report cut short by a failure is written out as far as it went, before the error.
    drop(out);
    bar.finish_and_clear();
    let counts = delivery.finish(counts)?;
    summarize(&counts, false, issued);
    Ok(())
}

/// The largest file `apply` reads: room for 100,000 client documents of 2.5 KiB each (10,000
/// typical clients take a few MB), while an endless input (`/dev/zero`) is refused after
/// 256 MiB.
const MAX_APPLY_BYTES: u64 = 256 * 1024 * 1024;

/// Read, check and stage an apply file, one document at a time.
///
/// # Errors
/// A usage error naming the file when it is not JSON, not an array, or larger than
/// [`MAX_APPLY_BYTES`], followed by the invalid documents found before that point; when the
/// file is well formed but has invalid documents (see [`ops::Staging::push`]), the one
/// document's `invalid_client_metadata`, or a usage error listing them all; an I/O error
/// reading it; storage failures.
fn read_documents(
    store: &mut ops::Store,
    input: impl Read,
    name: &str,
) -> anyhow::Result<StagedFile> {
    read_documents_within(store, input, name, MAX_APPLY_BYTES)
}

/// [`read_documents`] with a file size limit of `max_bytes`.
fn read_documents_within(
    store: &mut ops::Store,
    input: impl Read,
    name: &str,
    max_bytes: u64,
) -> anyhow::Result<StagedFile> {
    let (read, staged) = ops::stage_apply(store, |staging| {
        Ok::<_, anyhow::Error>(stream_documents(staging, input, name, max_bytes))
    })?;
    let invalid = staged.invalid().len() as u64 + staged.unreported_invalid();
    if let ([one], 0, Ok(())) = (staged.invalid(), staged.unreported_invalid(), &read) {
        return Err(Error::from(one.clone()).into());
    }
    if invalid > 0 {
        list_invalid(&staged, name);
    }
    match read {
        Ok(()) if invalid == 0 => Ok(staged),
        Ok(()) => Err(Error::usage(format!(
            "{name}: {invalid} documents are invalid (listed above), so nothing was written"
        ))
        .into()),
        Err(error) if invalid == 0 => Err(error),
        Err(error) => match error.downcast::<Error>() {
            Ok(Error::Usage(message)) => Err(Error::usage(format!(
                "{message}; {invalid} invalid documents before that point are listed above"
            ))
            .into()),
            Ok(other) => Err(other.into()),
            Err(other) => Err(other),
        },
    }
}

/// Each reported invalid document on its own stderr line, `FILE: documents[N]…: rule (code)`
/// as a compiler lists errors, then how many more there are: the `error:` line that follows
/// sums them up.
fn list_invalid(staged: &StagedFile, name: &str) {
    let name = sanitize(name);
    for error in staged.invalid() {
        eprintln!("{name}: {}", sanitize(&error.to_string()));
    }
    if staged.unreported_invalid() > 0 {
        eprintln!(
            "{name}: … and {} more invalid documents (only the first {} are listed)",
            staged.unreported_invalid(),
            ops::MAX_REPORTED_INVALID
        );
    }
}

/// Parse the file, handing each element to `staging`.
///
/// # Errors
/// As [`read_documents`] gives them, for the file itself; storage failures while staging.
fn stream_documents(
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
            ));
            Ok(())
        } else {
            match check_element(&text, index) {
                Ok(doc) => self.staging.push(doc),
                Err(error) => {
                    self.staging.reject(error);
                    Ok(())
                }
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

fn prune_question(named: &[String], count: u64, file: &str) -> String {
    let mut names: Vec<String> = named.iter().map(|id| sanitize(id).into_owned()).collect();
    let unnamed = count.saturating_sub(named.len() as u64);
    if unnamed > 0 {
        names.push(format!("and {unnamed} more"));
    }
    let clients = match count {
        1 => "1 client".to_owned(),
        n => format!("{n} clients"),
    };
    format!(
        "Delete {clients} not in {} ({}) with their secrets and tokens? This cannot be undone",
        sanitize(file),
        names.join(", ")
    )
}

/// Writes an apply's report as its pieces come ([`ops::Report`]), so that no part of it is
/// held in memory: in a table, one line per client (`created ID`, with its credentials on
/// their own lines below it; in a dry run `would create ID`, `would update ID`,
/// `would leave unchanged ID`, `would delete ID`); in JSON, one document
/// `{"dry_run": bool, "clients": [{"client_id", "result", credentials…}, …], "created": n,
/// "updated": n, "unchanged": n, "deleted": n}`, whose counts come last because they are
/// known last.
struct ReportWriter<W: Write> {
    out: W,
    format: Format,
    dry_run: bool,
    /// Whether the JSON document's opening was written.
    started: bool,
    /// Clients written so far.
    clients: u64,
}

impl<W: Write> ReportWriter<W> {
    fn new(out: W, format: Format, dry_run: bool) -> Self {
        ReportWriter {
            out,
            format,
            dry_run,
            started: false,
            clients: 0,
        }
    }

    fn into_inner(self) -> W {
        self.out
    }

    fn write(&mut self, piece: Reported<'_>) -> io::Result<()> {
        match (self.format, piece) {
            (Format::Table, Reported::Client(client)) => self.table_line(client),
            (Format::Table, Reported::End(_)) => Ok(()),
            (Format::Json, Reported::Client(client)) => {
                self.json_start()?;
                let separator: &[u8] = if self.clients == 0 { b"\n" } else { b",\n" };
                self.out.write_all(separator)?;
                let text = serde_json::to_string_pretty(&client_json(client))?;
                // Pretty JSON holds no raw newline inside a string, so each of its lines is
                // indented to the object's depth in the document.
                for (n, line) in text.lines().enumerate() {
                    if n > 0 {
                        self.out.write_all(b"\n")?;
                    }
                    self.out.write_all(b"    ")?;
                    json::write_escaped(&mut self.out, line.as_bytes())?;
                }
                self.clients += 1;
                Ok(())
            }
            (Format::Json, Reported::End(counts)) => {
                self.json_start()?;
                let close: &[u8] = if self.clients == 0 { b"]" } else { b"\n  ]" };
                self.out.write_all(close)?;
                for action in ApplyAction::ALL {
                    write!(
                        self.out,
                        ",\n  \"{}\": {}",
                        action.as_str(),
                        counts.count(action)
                    )?;
                }
                self.out.write_all(b"\n}\n")
            }
        }
    }

    fn table_line(&mut self, client: &AppliedClient) -> io::Result<()> {
        let id = sanitize(&client.client_id);
        if self.dry_run {
            let verb = match client.action {
                ApplyAction::Created => "would create",
                ApplyAction::Updated => "would update",
                ApplyAction::Unchanged => "would leave unchanged",
                ApplyAction::Deleted => "would delete",
            };
            return writeln!(self.out, "{verb} {id}");
        }
        writeln!(self.out, "{} {id}", client.action.as_str())?;
        let Some(issued) = &client.issued else {
            return Ok(());
        };
        if let Some(secret) = &issued.client_secret {
            writeln!(self.out, "  client_secret: {}", secret.expose())?;
        }
        if let Some(token) = &issued.registration_access_token {
            writeln!(self.out, "  registration_access_token: {}", token.expose())?;
        }
        Ok(())
    }

    /// The document's opening, before its first piece.
    fn json_start(&mut self) -> io::Result<()> {
        if !self.started {
            write!(
                self.out,
                "{{\n  \"dry_run\": {},\n  \"clients\": [",
                self.dry_run
            )?;
            self.started = true;
        }
        Ok(())
    }
}

/// One client of the JSON report: `client_id`, `result`, then any credentials issued.
fn client_json(client: &AppliedClient) -> serde_json::Value {
    let mut object = serde_json::json!({
        "client_id": client.client_id,
        "result": client.action.as_str(),
    });
    if let Some(issued) = &client.issued {
        if let Some(secret) = &issued.client_secret {
            object["client_secret"] = secret.expose().into();
        }
        if let Some(token) = &issued.registration_access_token {
            object["registration_access_token"] = token.expose().into();
        }
        if let Some(expires_at) = issued.client_secret_expires_at {
            object["client_secret_expires_at"] = expires_at.into();
        }
    }
    object
}

/// The stderr lines after the results: the once-only reminder and the counts.
fn summarize(counts: &ApplyCounts, dry_run: bool, issued: bool) {
    if issued {
        eprintln!(
            "note: the client_secret and registration_access_token values above are shown \
             once: store them now, they cannot be shown again",
        );
    }
    let count = |action| counts.count(action);
    if dry_run {
        eprintln!(
            "apply --dry-run, nothing was written: would create {}, update {}, leave {} \
             unchanged, delete {}",
            count(ApplyAction::Created),
            count(ApplyAction::Updated),
            count(ApplyAction::Unchanged),
            count(ApplyAction::Deleted)
        );
    } else {
        let counts = ApplyAction::ALL
            .map(|action| format!("{} {}", count(action), action.as_str()))
            .join(", ");
        eprintln!("apply: {counts}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::test_support;

    /// How many documents `text` holds, or its error: `usage: …`, or the metadata error of
    /// its one invalid document.
    fn read(text: &str) -> Result<u64, String> {
        read_within(text, MAX_APPLY_BYTES)
    }

    fn read_within(text: &str, max_bytes: u64) -> Result<u64, String> {
        let (_dir, mut store) = test_support::store();
        match read_documents_within(&mut store, text.as_bytes(), "f.json", max_bytes) {
            Ok(staged) => Ok(staged.len()),
            Err(error) => match error.downcast_ref::<Error>() {
                Some(Error::InvalidMetadata(e)) => Err(e.to_string()),
                Some(e) => Err(format!("usage: {e}")),
                None => Err(format!("other: {error:#}")),
            },
        }
    }

    /// The invalid documents' errors of `text`, as staged.
    fn invalid(text: &str) -> (Vec<String>, u64) {
        let (_dir, mut store) = test_support::store();
        let (read, staged) = ops::stage_apply(&mut store, |staging| {
            Ok::<_, anyhow::Error>(stream_documents(
                staging,
                text.as_bytes(),
                "f.json",
                MAX_APPLY_BYTES,
            ))
        })
        .unwrap();
        read.unwrap();
        let errors = staged.invalid().iter().map(ToString::to_string).collect();
        (errors, staged.unreported_invalid())
    }

    const A: &str = r#"{"client_id":"a","grant_types":["client_credentials"]}"#;

    #[test]
    fn streams_an_array_of_strict_documents() {
        assert_eq!(read(" [ ] "), Ok(0));
        let two = format!(
            "[{A} ,\n {{\"client_id\": \"b\", \"redirect_uris\": [\"https://b.example/cb\"]}}]"
        );
        assert_eq!(read(&two), Ok(2));
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
    fn reads_on_past_invalid_documents_and_reports_each() {
        let text = format!(
            "[{A}, {{}}, 3, {A}, {{\"client_id\":\"b\",\"x\":\"{}\"}}, {{\"a\":1,\"a\":2}}, \
             {{\"client_id\":\"c\",\"grant_types\":[\"client_credentials\"]}}]",
            "x".repeat(MAX_DOCUMENT_BYTES)
        );
        let (errors, more) = invalid(&text);
        assert_eq!(more, 0);
        let fields: Vec<&str> = errors
            .iter()
            .map(|e| e.split(": ").next().unwrap())
            .collect();
        assert_eq!(
            fields,
            [
                "documents[1].client_id",
                "documents[2]",
                "documents[3].client_id",
                "documents[4]",
                "documents[5]",
            ]
        );
        assert!(errors[2].contains("\"a\" already appears in documents[0]"));
        assert_eq!(
            errors[3],
            "documents[4]: is larger than 65536 bytes (invalid_client_metadata)"
        );
        // Several invalid documents make one usage error; the first is not singled out.
        let error = read(&text).unwrap_err();
        assert_eq!(
            error,
            "usage: f.json: 5 documents are invalid (listed above), so nothing was written"
        );
        // A syntax error still ends the read, and says that invalid documents came before.
        let error = read(&format!("[{A}, {{}}, {{}}, this is not JSON")).unwrap_err();
        assert!(
            error.starts_with("usage: f.json: is not valid JSON"),
            "{error}"
        );
        assert!(error.ends_with("2 invalid documents before that point are listed above"));
    }

    #[test]
    fn only_the_first_invalid_documents_are_kept() {
        let text = format!("[{}{{}}]", "{},".repeat(ops::MAX_REPORTED_INVALID + 49));
        let (errors, more) = invalid(&text);
        assert_eq!((errors.len(), more), (ops::MAX_REPORTED_INVALID, 50));
        assert!(errors[99].starts_with("documents[99].client_id"));
    }

    #[test]
    fn size_limits_hold_while_streaming() {
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
        assert_eq!(read(&spaced), Ok(1));
        let error = read_within(&spaced, 1000).unwrap_err();
        assert_eq!(error, "usage: f.json: is larger than 1000 bytes");
    }

    /// The report written piece by piece, as the given format.
    fn report(format: Format, dry_run: bool, clients: &[AppliedClient]) -> String {
        let mut out = ReportWriter::new(Vec::new(), format, dry_run);
        let mut counts = ApplyCounts::default();
        for client in clients {
            counts.add(client.action);
            out.write(Reported::Client(client)).unwrap();
        }
        out.write(Reported::End(&counts)).unwrap();
        String::from_utf8(out.into_inner()).unwrap()
    }

    fn client(id: &str, action: ApplyAction) -> AppliedClient {
        AppliedClient {
            client_id: id.into(),
            action,
            issued: None,
        }
    }

    #[test]
    fn the_json_report_is_the_pretty_document_written_piece_by_piece() {
        use crate::credentials::Secret;
        use ops::IssuedCredentials;
        let clients = [
            AppliedClient {
                issued: Some(IssuedCredentials {
                    client_secret: Some(Secret::new("dcrsec_x".into())),
                    registration_access_token: Some(Secret::new("dcrrat_y".into())),
                    client_secret_expires_at: Some(0),
                }),
                ..client("new", ApplyAction::Created)
            },
            client("old\u{85}", ApplyAction::Unchanged),
        ];
        let expected = serde_json::json!({
            "dry_run": false,
            "clients": [
                {"client_id": "new", "result": "created", "client_secret": "dcrsec_x",
                 "registration_access_token": "dcrrat_y", "client_secret_expires_at": 0},
                {"client_id": "old\u{85}", "result": "unchanged"},
            ],
            "created": 1, "updated": 0, "unchanged": 1, "deleted": 0,
        });
        let expected = serde_json::to_string_pretty(&expected)
            .unwrap()
            .replace('\u{85}', "\\u0085")
            + "\n";
        assert_eq!(report(Format::Json, false, &clients), expected);
        let empty = serde_json::json!({
            "dry_run": true, "clients": [], "created": 0, "updated": 0, "unchanged": 0,
            "deleted": 0,
        });
        assert_eq!(
            report(Format::Json, true, &[]),
            serde_json::to_string_pretty(&empty).unwrap() + "\n"
        );
    }

    #[test]
    fn every_line_of_a_dry_run_says_would() {
        let clients = [
            client("a", ApplyAction::Created),
            client("b", ApplyAction::Updated),
            client("c", ApplyAction::Unchanged),
            client("d", ApplyAction::Deleted),
        ];
        assert_eq!(
            report(Format::Table, true, &clients),
            "would create a\nwould update b\nwould leave unchanged c\nwould delete d\n"
        );
        assert_eq!(
            report(Format::Table, false, &clients),
            "created a\nupdated b\nunchanged c\ndeleted d\n"
        );
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

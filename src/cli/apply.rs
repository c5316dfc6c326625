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

mod report;
mod stream;

use super::deliver::Delivery;
use super::{progress, prompt, Ctx};
use crate::ops::{self, ApplyAction, ApplyCounts, Reported, StagedFile};
use crate::output::sanitize::sanitize;
use crate::Error;
use anyhow::Context;
use clap::Args;
use indicatif::ProgressBar;
use report::ReportWriter;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use stream::stream_documents;

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
    // The file first: one that cannot be opened must not leave a new database behind.
    let input: Box<dyn Read> = if args.file == Path::new("-") {
        Box::new(io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(&args.file).with_context(|| name.clone())?)
    };
    let mut store = ctx.open_store()?;
    let staged = read_documents(&mut store, input, &name)?;
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
        summarize(ctx, plan.counts(), true, false);
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
    summarize(ctx, &counts, false, issued);
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

/// The stderr lines after the results (which `-q` silences): the once-only reminder and the
/// counts.
fn summarize(ctx: &Ctx, counts: &ApplyCounts, dry_run: bool, issued: bool) {
    if issued {
        ctx.note(
            "note: the client_secret and registration_access_token values above are shown \
             once: store them now, they cannot be shown again",
        );
    }
    let count = |action| counts.count(action);
    if dry_run {
        ctx.note(format_args!(
            "apply --dry-run, nothing was written: would create {}, update {}, leave {} \
             unchanged, delete {}",
            count(ApplyAction::Created),
            count(ApplyAction::Updated),
            count(ApplyAction::Unchanged),
            count(ApplyAction::Deleted)
        ));
    } else {
        let counts = ApplyAction::ALL
            .map(|action| format!("{} {}", count(action), action.as_str()))
            .join(", ");
        ctx.note(format_args!("apply: {counts}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::test_support;
    use crate::registration::MAX_DOCUMENT_BYTES;

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
}

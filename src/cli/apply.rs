//! `dcrctl apply`: make the registry match a JSON file of client documents.
//!
//! The file is read whole, checked whole (syntax, then each element with the same strict
//! parser as `--metadata-file`, which refuses duplicate keys, then every metadata rule) and
//! only then compared with the database, so a bad document anywhere writes nothing. The 64 KiB
//! limit applies to each document; the file may hold up to [`MAX_APPLY_BYTES`].

use super::args::read_at_most;
use super::deliver::Delivery;
use super::{progress, prompt, Ctx};
use crate::ops::{self, ApplyAction, ApplyReport};
use crate::output::sanitize::sanitize;
use crate::output::{json, Format};
use crate::registration::{parse_document, MetadataDoc, MetadataError};
use crate::Error;
use anyhow::Context;
use clap::Args;
use indicatif::ProgressBar;
use serde::de::IgnoredAny;
use serde_json::{json, Value};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

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
    let bytes = read_input(&args.file)?;
    let documents = parse_documents(&bytes, &name)?;
    let desired = ops::desired_state(documents)?;
    let mut store = ctx.open_store()?;
    let plan = ops::plan_apply(&mut store, desired, args.prune)?;
    if args.dry_run {
        let report = plan.preview();
        let mut stdout = BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
        write_report(&mut stdout, ctx, &report)?;
        stdout.flush()?;
        summarize(&report);
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
    summarize(&delivery.finish(report)?);
    Ok(())
}

/// The largest file `apply` reads: room for 100,000 client documents of 2.5 KiB each (10,000
/// typical clients take a few MB), while an endless input (`/dev/zero`) is refused after
/// 256 MiB instead of exhausting memory.
const MAX_APPLY_BYTES: u64 = 256 * 1024 * 1024;

fn read_input(path: &Path) -> anyhow::Result<Vec<u8>> {
    if path == Path::new("-") {
        read_at_most(std::io::stdin().lock(), MAX_APPLY_BYTES, "stdin")
    } else {
        let name = path.display().to_string();
        let file = std::fs::File::open(path).with_context(|| name.clone())?;
        read_at_most(file, MAX_APPLY_BYTES, &name)
    }
}

/// Split the file into its documents, each parsed strictly by [`parse_document`].
///
/// # Errors
/// A usage error naming the file when it is not JSON or not an array;
/// `invalid_client_metadata` naming `documents[N]` for an element that is not a clean object.
fn parse_documents(bytes: &[u8], name: &str) -> Result<Vec<MetadataDoc>, Error> {
    // Syntax first, over the whole file, so an error's line and column are the file's own.
    serde_json::from_slice::<IgnoredAny>(bytes)
        .map_err(|e| Error::Usage(format!("{name}: is not valid JSON: {e}")))?;
    let not_an_array = || Error::Usage(format!("{name}: must be a JSON array of client documents"));
    let mut pos = skip_whitespace(bytes, 0);
    if bytes.get(pos) != Some(&b'[') {
        return Err(not_an_array());
    }
    pos += 1;
    let mut documents = Vec::new();
    loop {
        pos = skip_whitespace(bytes, pos);
        let rest = bytes.get(pos..).unwrap_or_default();
        if rest.first() == Some(&b']') {
            break;
        }
        let mut stream = serde_json::Deserializer::from_slice(rest).into_iter::<IgnoredAny>();
        if !matches!(stream.next(), Some(Ok(_))) {
            return Err(not_an_array());
        }
        let end = pos + stream.byte_offset();
        let element = bytes.get(pos..end).unwrap_or_default();
        let index = documents.len();
        let document = parse_document(element).map_err(|error| MetadataError {
            field: format!("documents[{index}]"),
            // Positions in the message would count from the element, not the file.
            rule: strip_position(&error.rule).to_owned(),
            ..error
        })?;
        documents.push(document);
        pos = skip_whitespace(bytes, end);
        match bytes.get(pos) {
            Some(b',') => pos += 1,
            Some(b']') => break,
            _ => return Err(not_an_array()),
        }
    }
    Ok(documents)
}

fn skip_whitespace(bytes: &[u8], mut pos: usize) -> usize {
    while bytes
        .get(pos)
        .is_some_and(|b| matches!(b, b' ' | b'\n' | b'\t' | b'\r'))
    {
        pos += 1;
    }
    pos
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
        Format::Json => json::write_document(&mut out, &report_json(report))?,
        Format::Table => {
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
fn summarize(report: &ApplyReport) {
    if report.clients.iter().any(|client| client.issued.is_some()) {
        eprintln!(
            "note: the client_secret and registration_access_token values above are shown \
             once: store them now, they cannot be shown again"
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
        eprintln!("apply (dry run, nothing was written): {counts}");
    } else {
        eprintln!("apply: {counts}");
    }
}

/// `{"created": n, …, "dry_run": bool, "clients": [{"client_id", "result", credentials…}]}`.
fn report_json(report: &ApplyReport) -> Value {
    let clients: Vec<Value> = report
        .clients
        .iter()
        .map(|client| {
            let mut entry = json!({
                "client_id": client.client_id,
                "result": client.action.as_str(),
            });
            if let (Some(issued), Value::Object(entry)) = (&client.issued, &mut entry) {
                if let Some(secret) = &issued.client_secret {
                    entry.insert("client_secret".into(), secret.expose().into());
                }
                if let Some(token) = &issued.registration_access_token {
                    entry.insert("registration_access_token".into(), token.expose().into());
                }
                if let Some(expires_at) = issued.client_secret_expires_at {
                    entry.insert("client_secret_expires_at".into(), expires_at.into());
                }
            }
            entry
        })
        .collect();
    json!({
        "created": report.count(ApplyAction::Created),
        "updated": report.count(ApplyAction::Updated),
        "unchanged": report.count(ApplyAction::Unchanged),
        "deleted": report.count(ApplyAction::Deleted),
        "dry_run": report.dry_run,
        "clients": clients,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Result<Vec<String>, String> {
        match parse_documents(text.as_bytes(), "f.json") {
            Ok(docs) => Ok(docs
                .iter()
                .map(|d| d.keys().cloned().collect::<Vec<_>>().join(","))
                .collect()),
            Err(Error::InvalidMetadata(e)) => Err(e.to_string()),
            Err(e) => Err(format!("usage: {e}")),
        }
    }

    #[test]
    fn splits_an_array_into_strict_documents() {
        assert_eq!(fields(" [ ] "), Ok(vec![]));
        assert_eq!(
            fields("[{\"a\":1,\"b\":[1,2]} ,\n {}]"),
            Ok(vec!["a,b".to_owned(), String::new()])
        );
        let error = fields("[{}, {\"a\":1,\"a\":2}]").unwrap_err();
        assert!(error.starts_with("documents[1]: "), "{error}");
        assert!(error.contains("duplicate key"), "{error}");
        assert!(!error.contains("line"), "{error}");
        let error = fields("[{}, 3]").unwrap_err();
        assert!(
            error.starts_with("documents[1]: must be a JSON object"),
            "{error}"
        );
        for bad in ["{}", "3", "", "[", "[{},]", "[{}] []", "\"[]\""] {
            let error = fields(bad).unwrap_err();
            assert!(error.starts_with("usage: f.json: "), "{bad:?}: {error}");
        }
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

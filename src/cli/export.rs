//! `dcrctl export`: every client as the JSON array that `apply` reads.
//!
//! Each element is `{"client_id": …}` followed by the client's stored effective metadata, and
//! nothing else: no secret, token or hash, and no status member (`client_id_issued_at`,
//! `registered_via`, …) that `apply` would refuse. So `export | apply` into an empty database
//! reproduces the registry's ids and metadata, and applying an export to the database it came
//! from changes nothing. Clients are streamed in registration order in constant memory, the
//! stored metadata spliced in as text rather than parsed and re-encoded.

use super::{progress, Ctx};
use crate::ops;
use crate::output::json::{write_export, ArrayWriter};
use clap::Args;
use indicatif::ProgressBar;
use std::cell::OnceCell;
use std::io::{self, BufWriter};

/// Arguments of `export`.
///
/// The output is always JSON, whatever `-o` says, since its purpose is to be read by `apply`.
/// Secrets cannot be exported: they are stored only as hashes.
#[derive(Debug, Args)]
pub struct ExportArgs {}

pub(crate) fn run(ctx: &Ctx, _args: &ExportArgs) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    let stdout = BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    let mut writer = ArrayWriter::new(stdout)?;
    // Sized by the count `ops::export` reads in the same snapshot as the rows.
    let bar: OnceCell<ProgressBar> = OnceCell::new();
    let result = ops::export(
        &mut store,
        |total| {
            let _ = bar.set(progress::bar(ctx, total, "export"));
        },
        |client| {
            writer.push_with(|out| write_export(out, client))?;
            if let Some(bar) = bar.get() {
                bar.inc(1);
            }
            Ok(())
        },
    );
    if let Some(bar) = bar.get() {
        bar.finish_and_clear();
    }
    if let Err(error) = result {
        // As `list` does: drop what is still buffered rather than flush half an array. A
        // damaged row fails before the first element (see `ops::export`), so stdout stays
        // empty.
        let (_stdout, _unwritten) = writer.abandon().into_parts();
        return Err(error.into());
    }
    writer.finish()?;
    Ok(())
}

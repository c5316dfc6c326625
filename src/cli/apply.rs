//! `dcrctl apply`

use super::Ctx;
use clap::Args;
use std::path::PathBuf;

/// Arguments of `apply`.
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

pub(crate) fn run(_ctx: &Ctx, _args: &ApplyArgs) -> anyhow::Result<()> {
    Err(crate::Error::usage("apply: not implemented yet").into())
}

//! `dcrctl export`

use super::Ctx;
use clap::Args;

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {}

pub(crate) fn run(_ctx: &Ctx, _args: &ExportArgs) -> anyhow::Result<()> {
    Err(crate::Error::usage("export: not implemented yet").into())
}

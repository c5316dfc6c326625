//! `dcrctl db check` and `dcrctl db backup`

use super::Ctx;
use clap::Subcommand;
use std::path::PathBuf;

/// `db` subcommands.
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Check integrity and foreign keys (exit 1 on damage)
    Check,
    /// Write a consistent copy of the database while others keep using it
    Backup {
        /// Where to write the backup (must not exist)
        #[arg(value_name = "PATH")]
        path: PathBuf,
    },
}

pub(crate) fn run(_ctx: &Ctx, _command: &DbCommand) -> anyhow::Result<()> {
    Err(crate::Error::usage("db: not implemented yet").into())
}

//! `dcrctl admin add|list|remove|passwd`

use super::Ctx;
use clap::Subcommand;

/// `admin` subcommands.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Add an account; the password comes from a hidden prompt or --password-stdin
    Add {
        /// The account name
        #[arg(value_name = "NAME")]
        name: String,
        /// Read the password from stdin (one trailing newline is stripped)
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts (never passwords)
    List,
    /// Remove an account
    Remove {
        /// The account name
        #[arg(value_name = "NAME")]
        name: String,
    },
    /// Change an account's password
    Passwd {
        /// The account name
        #[arg(value_name = "NAME")]
        name: String,
        /// Read the password from stdin (one trailing newline is stripped)
        #[arg(long)]
        password_stdin: bool,
    },
}

pub(crate) fn run(_ctx: &Ctx, _command: &AdminCommand) -> anyhow::Result<()> {
    Err(crate::Error::usage("admin: not implemented yet").into())
}

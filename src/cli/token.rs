//! `dcrctl token create|list|revoke`

use super::args::parse_duration;
use super::Ctx;
use clap::Subcommand;
use std::time::Duration;

/// `token` subcommands.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Mint an initial access token, printed once
    Create {
        /// Lifetime, e.g. 7d [default: never expires]
        #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
        expires_in: Option<Duration>,
        /// How many registrations it allows [default: unlimited]
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        max_uses: Option<u64>,
        /// What the token is for
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// List initial access tokens (never the tokens themselves)
    List,
    /// Revoke an initial access token by the id that list shows
    Revoke {
        /// The token id
        #[arg(value_name = "TOKEN_ID")]
        token_id: String,
    },
}

pub(crate) fn run(_ctx: &Ctx, _command: &TokenCommand) -> anyhow::Result<()> {
    Err(crate::Error::usage("token: not implemented yet").into())
}

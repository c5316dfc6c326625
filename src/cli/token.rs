//! `dcrctl token create|list|revoke`: initial access tokens, which let an application call
//! `POST /register` (RFC 7591 §3) without an admin account.
//!
//! `create` prints the token once, as `register` prints secrets; `list` shows ids, states and
//! use counts but never a token, and `revoke` takes the id `list` shows.

use super::args::{lifetime, parse_duration, parse_expiry};
use super::delete::IgnoreMissing;
use super::deliver::Delivery;
use super::output::Listing;
use super::{prompt, Ctx};
use crate::ops::{self, CreateToken, TokenStatus};
use crate::output::sanitize::sanitize;
use crate::output::{accounts, json, width, Format};
use clap::{Subcommand, ValueEnum};
use serde_json::json;
use std::io::Write;
use std::time::Duration;

/// `token` subcommands.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Mint an initial access token, printed once
    Create {
        /// Lifetime, e.g. 7d [default: never expires]
        #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
        expires_in: Option<Duration>,
        /// When the token expires: an RFC 3339 time or a date, in the future
        #[arg(long, value_name = "TIME", value_parser = parse_expiry, conflicts_with = "expires_in")]
        expires_at: Option<i64>,
        /// How many registrations it allows, at least 1 [default: unlimited]
        #[arg(long, value_name = "N", value_parser = parse_max_uses)]
        max_uses: Option<u64>,
        /// What the token is for
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// List initial access tokens (never the tokens themselves)
    List {
        /// Only tokens in this state now (repeatable or comma-separated)
        #[arg(long, value_name = "STATE", value_delimiter = ',', value_enum)]
        status: Vec<TokenState>,
    },
    /// Revoke an initial access token by the id that list shows
    ///
    /// Asks for confirmation on a terminal; without one it needs --yes. A token that does not
    /// exist or is already revoked is exit 3, unless --ignore-missing.
    Revoke {
        /// The token id
        #[arg(value_name = "TOKEN_ID", add = super::complete::token_ids())]
        token_id: String,
        #[command(flatten)]
        missing: IgnoreMissing,
    },
}

/// `--max-uses`: a count that admits at least one registration.
fn parse_max_uses(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err("must be a whole number, at least 1".into()),
    }
}

pub(crate) fn run(ctx: &Ctx, command: &TokenCommand) -> anyhow::Result<()> {
    match command {
        TokenCommand::Create {
            expires_in,
            expires_at,
            max_uses,
            note,
        } => create(
            ctx,
            CreateToken {
                expires_in: lifetime(*expires_in, *expires_at),
                max_uses: *max_uses,
                note: note.clone(),
            },
        ),
        TokenCommand::List { status } => list(ctx, status),
        TokenCommand::Revoke { token_id, missing } => revoke(ctx, token_id, *missing),
    }
}

fn create(ctx: &Ctx, request: CreateToken) -> anyhow::Result<()> {
    let unlimited = request.expires_in.is_none() && request.max_uses.is_none();
    let mut store = ctx.open_store()?;
    let mut delivery = Delivery::default();
    let created =
        ops::create_initial_access_token(&mut store, &ctx.actor, request, &mut |issued| {
            delivery.show(ctx, |out| {
                accounts::write_issued_token(out, ctx.format, issued, width::stdout_width())
            })
        });
    delivery.finish(created)?;
    ctx.note("note: token shown once: store it now, it cannot be shown again");
    if unlimited {
        // The defaults make the riskiest token there is; say so rather than refuse, so
        // scripts that rely on them keep working.
        eprintln!(
            "warning: this token never expires and admits unlimited registrations;\n  \
             limit it with --expires-in and --max-uses, or revoke it when done"
        );
    }
    Ok(())
}

/// A token state as `token list` shows it and `token list --status` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TokenState {
    /// Usable
    Active,
    /// Past its expiry time
    Expired,
    /// Every allowed use spent
    UsedUp,
    /// Revoked with token revoke
    Revoked,
}

impl From<TokenState> for TokenStatus {
    fn from(state: TokenState) -> Self {
        match state {
            TokenState::Active => TokenStatus::Active,
            TokenState::Expired => TokenStatus::Expired,
            TokenState::UsedUp => TokenStatus::UsedUp,
            TokenState::Revoked => TokenStatus::Revoked,
        }
    }
}

fn list(ctx: &Ctx, states: &[TokenState]) -> anyhow::Result<()> {
    let statuses: Vec<TokenStatus> = states.iter().copied().map(Into::into).collect();
    let mut store = ctx.open_store()?;
    let tokens = ops::list_initial_access_tokens_in(&mut store, &statuses)?;
    let mut listing = Listing::new(ctx, std::io::stdout().lock(), accounts::token_columns())?;
    for token in &tokens {
        listing.push(
            || sanitize(&token.token_id).into_owned(),
            || accounts::token_row(token),
            || accounts::token_json(token),
        )?;
    }
    listing.finish()?;
    Ok(())
}

fn revoke(ctx: &Ctx, token_id: &str, missing: IgnoreMissing) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    let revoked = if missing.absent_is_fine(ctx, require_live(&mut store, token_id))? {
        prompt::confirm(
            ctx,
            &format!(
                "This revokes initial access token {}:\nregistrations with it are refused from \
                 now on.",
                sanitize(token_id)
            ),
        )?;
        ops::revoke_initial_access_token(&mut store, &ctx.actor, token_id)?;
        Some(token_id)
    } else {
        None
    };
    let mut stdout = std::io::stdout().lock();
    match (ctx.format, revoked) {
        (Format::Json, _) => json::write_document(
            &mut stdout,
            &json!({ "revoked": revoked.into_iter().collect::<Vec<_>>() }),
        )?,
        (Format::Table, Some(id)) => writeln!(stdout, "revoked {}", sanitize(id))?,
        (Format::Name, Some(id)) => writeln!(stdout, "{}", sanitize(id))?,
        (Format::Table | Format::Name, None) => {}
    }
    Ok(stdout.flush()?)
}

/// A token that exists and is not revoked; a revoked one counts as absent, as a deleted
/// client does, so a second revocation is exit 3 like a second delete.
fn require_live(store: &mut ops::Store, token_id: &str) -> anyhow::Result<()> {
    let token = ops::list_initial_access_tokens(store)?
        .into_iter()
        .find(|token| token.token_id == token_id);
    match token {
        Some(token) if token.revoked_at.is_none() => Ok(()),
        revoked => Err(crate::Error::NotFound {
            what: crate::model::Entity::Token,
            id: if revoked.is_some() {
                format!("{token_id} (it is already revoked)")
            } else {
                token_id.to_owned()
            },
        }
        .into()),
    }
}

//! `dcrctl token create|list|revoke`: initial access tokens, which let an application call
//! `POST /register` (RFC 7591 §3) without an admin account.
//!
//! `create` prints the token once, as `register` prints secrets; `list` shows ids, states and
//! use counts but never a token, and `revoke` takes the id `list` shows.

use super::args::parse_duration;
use super::deliver::Delivery;
use super::Ctx;
use crate::ops::{self, CreateToken, InitialAccessToken, IssuedToken};
use crate::output::sanitize::sanitize;
use crate::output::table::timestamp;
use crate::output::{json, Format};
use clap::Subcommand;
use serde_json::{json, Map, Value};
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

pub(crate) fn run(ctx: &Ctx, command: &TokenCommand) -> anyhow::Result<()> {
    match command {
        TokenCommand::Create {
            expires_in,
            max_uses,
            note,
        } => create(
            ctx,
            CreateToken {
                expires_in: *expires_in,
                max_uses: *max_uses,
                note: note.clone(),
            },
        ),
        TokenCommand::List => list(ctx),
        TokenCommand::Revoke { token_id } => revoke(ctx, token_id),
    }
}

fn create(ctx: &Ctx, request: CreateToken) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    let mut delivery = Delivery::default();
    let created =
        ops::create_initial_access_token(&mut store, &ctx.actor, request, &mut |issued| {
            delivery.show(ctx, |out| write_token(out, ctx, issued))
        });
    delivery.finish(created)?;
    eprintln!("note: token shown once: store it now, it cannot be shown again");
    Ok(())
}

/// Render a new token, for a [`Delivery`] before its transaction commits (see
/// [`ops::Deliver`]).
fn write_token(mut stdout: &mut dyn Write, ctx: &Ctx, issued: &IssuedToken) -> std::io::Result<()> {
    match ctx.format {
        Format::Json => {
            let mut object = Map::new();
            object.insert("token_id".into(), issued.token_id.clone().into());
            object.insert("token".into(), issued.token.expose().into());
            object.insert("expires_at".into(), issued.expires_at.into());
            if let Some(max_uses) = issued.max_uses {
                object.insert("max_uses".into(), max_uses.into());
            }
            if let Some(note) = &issued.note {
                object.insert("note".into(), note.clone().into());
            }
            json::write_document(&mut stdout, &Value::Object(object))?;
        }
        Format::Table => {
            let mut rows = vec![
                vec![
                    "token_id".to_owned(),
                    sanitize(&issued.token_id).into_owned(),
                ],
                vec!["token".to_owned(), issued.token.expose().to_owned()],
                vec!["expires_at".to_owned(), expiry(issued.expires_at)],
                vec![
                    "max_uses".to_owned(),
                    issued
                        .max_uses
                        .map_or_else(|| "unlimited".to_owned(), |max| max.to_string()),
                ],
            ];
            if let Some(note) = &issued.note {
                rows.push(vec!["note".to_owned(), sanitize(note).into_owned()]);
            }
            write_columns(&mut stdout, None, &rows)?;
        }
    }
    stdout.flush()
}

fn list(ctx: &Ctx) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    let tokens = ops::list_initial_access_tokens(&mut store)?;
    let mut stdout = std::io::stdout().lock();
    match ctx.format {
        Format::Json => {
            let array = tokens.iter().map(token_json).collect();
            json::write_document(&mut stdout, &Value::Array(array))?;
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = tokens.iter().map(token_row).collect();
            write_columns(
                &mut stdout,
                Some(&["ID", "STATUS", "USES", "EXPIRES", "CREATED", "NOTE"]),
                &rows,
            )?;
        }
    }
    Ok(stdout.flush()?)
}

fn revoke(ctx: &Ctx, token_id: &str) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    ops::revoke_initial_access_token(&mut store, &ctx.actor, token_id)?;
    let mut stdout = std::io::stdout().lock();
    match ctx.format {
        Format::Json => json::write_document(&mut stdout, &json!({ "revoked": token_id }))?,
        Format::Table => writeln!(stdout, "revoked {}", sanitize(token_id))?,
    }
    Ok(stdout.flush()?)
}

fn expiry(expires_at: i64) -> String {
    if expires_at == 0 {
        "never".to_owned()
    } else {
        timestamp(expires_at)
    }
}

/// A listed token as JSON: absent values are omitted, `expires_at` 0 means never.
fn token_json(token: &InitialAccessToken) -> Value {
    let mut object = Map::new();
    object.insert("token_id".into(), token.token_id.clone().into());
    object.insert("status".into(), token.status.as_str().into());
    object.insert("uses".into(), token.uses.into());
    if let Some(max_uses) = token.max_uses {
        object.insert("max_uses".into(), max_uses.into());
    }
    object.insert("expires_at".into(), token.expires_at.into());
    object.insert("created_at".into(), token.created_at.into());
    if let Some(revoked_at) = token.revoked_at {
        object.insert("revoked_at".into(), revoked_at.into());
    }
    if let Some(note) = &token.note {
        object.insert("note".into(), note.clone().into());
    }
    Value::Object(object)
}

fn token_row(token: &InitialAccessToken) -> Vec<String> {
    let limit = token
        .max_uses
        .map_or_else(|| "∞".to_owned(), |max| max.to_string());
    vec![
        sanitize(&token.token_id).into_owned(),
        token.status.as_str().to_owned(),
        format!("{}/{limit}", token.uses),
        expiry(token.expires_at),
        timestamp(token.created_at),
        sanitize(token.note.as_deref().unwrap_or("-")).into_owned(),
    ]
}

/// Print `rows` (already sanitized) as left-aligned columns two spaces apart, under
/// `header` when given; the last column is not padded.
pub(super) fn write_columns(
    out: &mut impl Write,
    header: Option<&[&str]>,
    rows: &[Vec<String>],
) -> std::io::Result<()> {
    let header: Option<Vec<String>> =
        header.map(|names| names.iter().map(|&name| name.to_owned()).collect());
    let all = || header.iter().chain(rows);
    let mut widths: Vec<usize> = Vec::new();
    for row in all() {
        for (i, cell) in row.iter().enumerate() {
            let width = cell.chars().count();
            match widths.get_mut(i) {
                Some(max) => *max = (*max).max(width),
                None => widths.push(width),
            }
        }
    }
    for row in all() {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                let pad = widths[i] - cell.chars().count();
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', pad + 2));
            }
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::TokenStatus;

    #[test]
    fn columns_align_on_characters_not_bytes() {
        let mut out = Vec::new();
        let rows = vec![
            vec!["iat_a".to_owned(), "0/∞".to_owned(), "x".to_owned()],
            vec!["iat_bb".to_owned(), "10/20".to_owned(), "y".to_owned()],
        ];
        write_columns(&mut out, Some(&["ID", "USES", "NOTE"]), &rows).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "ID      USES   NOTE\niat_a   0/∞    x\niat_bb  10/20  y\n"
        );
    }

    #[test]
    fn listed_tokens_escape_notes_and_omit_absent_values() {
        let token = InitialAccessToken {
            token_id: "iat_x".into(),
            note: Some("evil\x1b]52;c;AAAA\x07".into()),
            created_at: 0,
            expires_at: 0,
            max_uses: None,
            uses: 1,
            revoked_at: None,
            status: TokenStatus::Active,
        };
        let row = token_row(&token);
        assert_eq!(row[2], "1/∞");
        assert_eq!(row[3], "never");
        assert!(!row[5].contains('\x1b'), "{}", row[5]);
        let value = token_json(&token);
        assert!(value.get("max_uses").is_none());
        assert!(value.get("revoked_at").is_none());
        assert_eq!(value["note"], "evil\x1b]52;c;AAAA\x07");
    }
}

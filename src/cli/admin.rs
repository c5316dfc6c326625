//! `dcrctl admin add|list|remove|passwd`: the accounts that `dcrctl serve` accepts with HTTP
//! Basic authentication.
//!
//! Passwords come from a hidden prompt asked twice, or with `--password-stdin` from stdin
//! (one trailing newline stripped), never from an argument, which other users could read in
//! the process list; they have at least [`ops::MIN_ADMIN_PASSWORD_CHARS`] characters.
//! Without a terminal and without `--password-stdin` there is no way to ask, so that is a
//! usage error rather than a hang; stdin that is a terminal is always read without echo.

use super::args::read_secret_stdin;
use super::delete::IgnoreMissing;
use super::output::Listing;
use super::{prompt, Ctx};
use crate::credentials::Secret;
use crate::ops;
use crate::output::sanitize::sanitize;
use crate::output::{accounts, json, Format};
use crate::Error;
use clap::Subcommand;
use serde_json::json;
use std::io::Write;

/// `admin` subcommands.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Add an account; the password (at least 12 characters) comes from a hidden prompt or
    /// --password-stdin
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
    ///
    /// Asks for confirmation on a terminal; without one it needs --yes. An account that does
    /// not exist is exit 3, unless --ignore-missing.
    Remove {
        /// The account name
        #[arg(value_name = "NAME", add = super::complete::admin_names())]
        name: String,
        #[command(flatten)]
        missing: IgnoreMissing,
    },
    /// Change an account's password (at least 12 characters)
    Passwd {
        /// The account name
        #[arg(value_name = "NAME", add = super::complete::admin_names())]
        name: String,
        /// Read the password from stdin (one trailing newline is stripped)
        #[arg(long)]
        password_stdin: bool,
    },
}

pub(crate) fn run(ctx: &Ctx, command: &AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::Add {
            name,
            password_stdin,
        } => add(ctx, name, *password_stdin),
        AdminCommand::List => list(ctx),
        AdminCommand::Remove { name, missing } => remove(ctx, name, *missing),
        AdminCommand::Passwd {
            name,
            password_stdin,
        } => passwd(ctx, name, *password_stdin),
    }
}

/// Whether the account exists, so a typo or a duplicate is reported before anyone is asked
/// for a password or a confirmation. The operation checks again inside its transaction.
fn exists(store: &mut ops::Store, name: &str) -> anyhow::Result<bool> {
    Ok(ops::list_admins(store)?
        .iter()
        .any(|admin| admin.name == name))
}

/// The new password: from stdin with `--password-stdin`, else from a hidden prompt asked
/// twice.
fn new_password(ctx: &Ctx, name: &str, password_stdin: bool) -> anyhow::Result<Secret> {
    if password_stdin && !ctx.stdin_terminal {
        return Ok(Secret::new(read_secret_stdin("password")?));
    }
    if !ctx.interactive {
        let message = if ctx.stdin_terminal {
            // Read from the terminal without a prompt, the password would be shown.
            "the password would be read from the terminal, which would show it: with \
             --no-input, pipe it to --password-stdin"
        } else {
            "no terminal to ask for the password: pass --password-stdin and write it to stdin"
        };
        return Err(Error::usage(message).into());
    }
    let password = prompt::new_secret(
        &format!("Password for {}", sanitize(name)),
        |password: &String| ops::check_admin_password(password).map_err(|e| e.to_string()),
    )?;
    Ok(Secret::new(password))
}

fn add(ctx: &Ctx, name: &str, password_stdin: bool) -> anyhow::Result<()> {
    ops::check_admin_name(name)?;
    let from_stdin = password_stdin && !ctx.stdin_terminal;
    // A password from stdin is checked before the registry is opened (and maybe created), so
    // a refused one leaves nothing behind.
    let piped = if from_stdin {
        let password = new_password(ctx, name, password_stdin)?;
        ops::check_admin_password(password.expose())?;
        Some(password)
    } else {
        None
    };
    let mut store = ctx.open_store()?;
    let password = match piped {
        Some(password) => password,
        None => {
            if ctx.interactive && exists(&mut store, name)? {
                return Err(Error::Conflict {
                    what: crate::model::Entity::Account,
                    id: name.to_owned(),
                }
                .into());
            }
            new_password(ctx, name, password_stdin)?
        }
    };
    ops::add_admin(&mut store, &ctx.actor, name, &password)?;
    report(ctx, "added", "added admin", name)
}

fn list(ctx: &Ctx) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    let admins = ops::list_admins(&mut store)?;
    let mut listing = Listing::new(ctx, std::io::stdout().lock(), accounts::admin_columns())?;
    for admin in &admins {
        listing.push(
            || sanitize(&admin.name).into_owned(),
            || accounts::admin_row(admin),
            || accounts::admin_json(admin),
        )?;
    }
    listing.finish()?;
    Ok(())
}

fn remove(ctx: &Ctx, name: &str, missing: IgnoreMissing) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    let found = if exists(&mut store, name)? {
        Ok(())
    } else {
        Err(not_found(name).into())
    };
    if !missing.absent_is_fine(ctx, found)? {
        let mut stdout = std::io::stdout().lock();
        if ctx.format == Format::Json {
            json::write_document(&mut stdout, &json!({ "removed": [] }))?;
        }
        return Ok(stdout.flush()?);
    }
    prompt::confirm(
        ctx,
        &format!(
            "This removes admin account {}:\nits password stops working at once.",
            sanitize(name)
        ),
    )?;
    ops::remove_admin(&mut store, &ctx.actor, name)?;
    report(ctx, "removed", "removed admin", name)
}

fn passwd(ctx: &Ctx, name: &str, password_stdin: bool) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    // A typo is reported before the password is typed or judged.
    if !exists(&mut store, name)? {
        return Err(not_found(name).into());
    }
    let password = new_password(ctx, name, password_stdin)?;
    ops::set_admin_password(&mut store, &ctx.actor, name, &password)?;
    report(
        ctx,
        "password_changed",
        "changed the password of admin",
        name,
    )
}

fn not_found(name: &str) -> Error {
    Error::NotFound {
        what: crate::model::Entity::Account,
        id: name.to_owned(),
    }
}

/// Print `{"<key>": ["<name>"]}` (the rule of "JSON shapes" in the README), `<verb> <name>`
/// for people, or the name alone.
fn report(ctx: &Ctx, key: &str, verb: &str, name: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match ctx.format {
        Format::Json => json::write_document(&mut stdout, &json!({ key: [name] }))?,
        Format::Table => writeln!(stdout, "{verb} {}", sanitize(name))?,
        Format::Name => writeln!(stdout, "{}", sanitize(name))?,
    }
    Ok(stdout.flush()?)
}

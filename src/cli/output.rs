//! What every command's output shares, decided once: which commands `-o name` and `--field`
//! apply to, the notes that `-q` silences, and printing a listing's objects whatever the
//! format.

use super::admin::AdminCommand;
use super::token::TokenCommand;
use super::{Command, Ctx};
use crate::output::fields::{Kind, Selection};
use crate::output::table::StreamTable;
use crate::output::{json, width, Format};
use crate::Error;
use serde_json::Value;
use std::io::{self, Write};

/// What `-o name` does for a command.
enum Names {
    /// Prints the ids of the clients, tokens or accounts it yields.
    Ids,
    /// Refused: the command yields no ids, or its result is a credential that `-o name`
    /// would throw away for good.
    Refused(&'static str),
}

// `{ .. }` on unit variants: these patterns must keep matching when a subcommand gains flags.
#[allow(clippy::unneeded_struct_pattern)]
fn names(command: &Command) -> Names {
    const NO_IDS: &str = "prints no ids";
    const CREDENTIAL: &str = "prints a new credential that -o name would not show";
    match command {
        Command::Register(_)
        | Command::Show(_)
        | Command::List(_)
        | Command::Update(_)
        | Command::Delete(_)
        | Command::Prune(_)
        | Command::Admin(_) => Names::Ids,
        Command::Token(TokenCommand::List { .. } | TokenCommand::Revoke { .. }) => Names::Ids,
        Command::Token(TokenCommand::Create { .. })
        | Command::RotateSecret(_)
        | Command::RotateToken(_)
        | Command::Apply(_) => Names::Refused(CREDENTIAL),
        Command::VerifySecret(_)
        | Command::Export(_)
        | Command::Events(_)
        | Command::Db(_)
        | Command::Serve(_)
        | Command::Completions(_)
        | Command::Man(_) => Names::Refused(NO_IDS),
    }
}

/// The objects `--field` selects from, for the commands that take it.
#[allow(clippy::unneeded_struct_pattern)]
fn kind(command: &Command) -> Option<Kind> {
    match command {
        Command::Show(_) | Command::List(_) => Some(Kind::Client),
        Command::Events(_) => Some(Kind::Event),
        Command::Token(TokenCommand::List { .. }) => Some(Kind::Token),
        Command::Admin(AdminCommand::List { .. }) => Some(Kind::Admin),
        _ => None,
    }
}

/// The command's name as typed, for messages.
fn name(command: &Command) -> &'static str {
    match command {
        Command::Register(_) => "register",
        Command::Show(_) => "show",
        Command::List(_) => "list",
        Command::Update(_) => "update",
        Command::Delete(_) => "delete",
        Command::RotateSecret(_) => "rotate-secret",
        Command::RotateToken(_) => "rotate-token",
        Command::VerifySecret(_) => "verify-secret",
        Command::Token(TokenCommand::Create { .. }) => "token create",
        Command::Token(_) => "token",
        Command::Admin(_) => "admin",
        Command::Prune(_) => "prune",
        Command::Apply(_) => "apply",
        Command::Export(_) => "export",
        Command::Events(_) => "events",
        Command::Db(_) => "db",
        Command::Serve(_) => "serve",
        Command::Completions(_) => "completions",
        Command::Man(_) => "man",
    }
}

/// Check `-o` and `--field` against the command before anything runs; the selection to
/// print with.
///
/// # Errors
/// A usage error (exit 2) for `-o name` on a command that refuses it, `--field` on a command
/// without objects or with `-o name`, or an unknown field.
pub(crate) fn check(
    command: &Command,
    format: Format,
    fields: &[String],
) -> anyhow::Result<Option<Selection>> {
    if format == Format::Name {
        if let Names::Refused(why) = names(command) {
            return Err(Error::usage(format!(
                "-o name: {} {why}; use -o table or -o json",
                name(command)
            ))
            .into());
        }
    }
    if fields.is_empty() {
        return Ok(None);
    }
    let Some(kind) = kind(command) else {
        return Err(Error::usage(format!(
            "--field: {} has no fields to select (show, list, events, token list and admin list have)",
            name(command)
        ))
        .into());
    };
    if format == Format::Name {
        return Err(Error::usage(
            "--field and -o name cannot be combined: -o name prints ids only",
        )
        .into());
    }
    Ok(Some(Selection::new(kind, fields).map_err(Error::usage)?))
}

impl Ctx {
    /// Tell the user something on stderr that is neither a result nor an error: a reminder, a
    /// summary, what was done. `-q` silences it; errors and warnings are never silenced.
    pub(crate) fn note(&self, text: impl std::fmt::Display) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }
}

/// Prints a listing of objects (clients, events, tokens, accounts) in the chosen format:
/// a JSON array, a table fitted to the terminal, or ids one per line; with `--field`, only the
/// selected members or columns. Rows are streamed in constant memory.
pub(crate) enum Listing<W: Write> {
    /// `-o json`.
    Json(json::ArrayWriter<W>, Option<Selection>),
    /// A table, its columns given or selected.
    Table(StreamTable<W>, Option<Selection>),
    /// `-o name`.
    Names(W),
}

impl<W: Write> Listing<W> {
    /// Start a listing; `columns` are the table's own when no field is selected.
    ///
    /// # Errors
    /// I/O errors of `out`.
    pub(crate) fn new(
        ctx: &Ctx,
        out: W,
        columns: Vec<crate::output::table::Column>,
    ) -> io::Result<Self> {
        let selection = ctx.fields.clone();
        Ok(match ctx.format {
            Format::Json => Listing::Json(json::ArrayWriter::new(out)?, selection),
            Format::Name => Listing::Names(out),
            Format::Table => {
                let columns = selection.as_ref().map_or(columns, Selection::columns);
                Listing::Table(
                    StreamTable::new(out, columns, width::stdout_width()),
                    selection,
                )
            }
        })
    }

    /// Whether rows must be given as JSON objects ([`Listing::push`]) rather than by
    /// their own writers.
    pub(crate) fn selects(&self) -> bool {
        match self {
            Listing::Json(_, selection) | Listing::Table(_, selection) => selection.is_some(),
            Listing::Names(_) => false,
        }
    }

    /// Add one object: `id` for `-o name`, `row` for the command's own table, `object` for
    /// JSON and for selected fields. Each is made only when needed.
    ///
    /// # Errors
    /// I/O errors of the output.
    pub(crate) fn push(
        &mut self,
        id: impl FnOnce() -> String,
        row: impl FnOnce() -> Vec<String>,
        object: impl FnOnce() -> Value,
    ) -> io::Result<()> {
        match self {
            Listing::Names(out) => writeln!(out, "{}", id()),
            Listing::Table(table, None) => table.push(row()),
            Listing::Table(table, Some(selection)) => table.push(selection.row(&object())),
            Listing::Json(array, selection) => {
                let object = object();
                let object = match selection {
                    Some(selection) => selection.project(&object),
                    None => object,
                };
                array.push_with(|out| serde_json::to_writer(out, &object).map_err(io::Error::from))
            }
        }
    }

    /// Add one JSON element written by `write`, for listings that splice stored text rather
    /// than build an object (`list` without `--field`).
    ///
    /// # Errors
    /// I/O errors of the output, or what `write` returns; only for `-o json`.
    pub(crate) fn push_json_with(
        &mut self,
        write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>,
    ) -> io::Result<()> {
        match self {
            Listing::Json(array, _) => array.push_with(write),
            _ => Err(io::Error::other("not a JSON listing")),
        }
    }

    /// Whether this is a JSON listing.
    pub(crate) fn is_json(&self) -> bool {
        matches!(self, Listing::Json(..))
    }

    /// Give up without closing a JSON array (see [`json::ArrayWriter::abandon`]).
    pub(crate) fn abandon(self) -> W {
        match self {
            Listing::Json(array, _) => array.abandon(),
            Listing::Table(table, _) => table.abandon(),
            Listing::Names(out) => out,
        }
    }

    /// End the listing and flush.
    ///
    /// # Errors
    /// I/O errors of the output.
    pub(crate) fn finish(self) -> io::Result<()> {
        match self {
            Listing::Json(array, _) => array.finish().map(drop),
            Listing::Table(table, _) => table.finish().map(drop),
            Listing::Names(mut out) => out.flush(),
        }
    }
}

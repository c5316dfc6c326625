//! The command line: clap definitions and thin adapters from arguments to [`crate::ops`].
//!
//! Parsing is the "low" stage (exactly what was typed); each command converts its arguments
//! into an ops request once, calls one operation, and prints the result. Errors are printed
//! once, as `error: …` on stderr, and mapped to the SPEC's exit codes in [`exit_code`].

mod admin;
mod apply;
mod args;
mod color;
mod complete;
mod db;
mod delete;
mod deliver;
mod events;
mod examples;
mod exit;
mod export;
pub mod generate;
mod list;
mod next_step;
mod output;
mod progress;
mod prompt;
mod prune;
mod register;
mod rotate;
mod serve;
mod show;
mod target;
mod token;
mod update;

pub use exit::{exit_code, ExitStatus};

use crate::ops::{Actor, Location, Store, StoreError};
use crate::output::Format;
use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use std::ffi::{OsStr, OsString};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Administer an OAuth 2.0 client registry (RFC 7591 / RFC 7592) kept in one SQLite file.
///
/// Register, inspect, change, rotate and remove OAuth clients directly in the database. Every
/// secret and token is printed exactly once, when it is issued, and stored only as a hash.
#[derive(Debug, Parser)]
#[command(
    name = "dcrctl",
    version,
    max_term_width = 100,
    propagate_version = true
)]
pub struct Cli {
    /// Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]
    #[arg(long, env = "DCRCTL_DB", global = true, value_name = "PATH", help_heading = GLOBAL)]
    pub db: Option<PathBuf>,

    /// Output format
    #[arg(short, long, value_enum, default_value_t = OutputArg::Table, global = true, help_heading = GLOBAL)]
    pub output: OutputArg,

    /// Only these fields, as JSON members or table columns, in this order (repeatable or
    /// comma-separated; show, list, events, token list, admin list)
    #[arg(
        long = "field",
        global = true,
        value_name = "FIELD",
        value_delimiter = ',',
        help_heading = GLOBAL
    )]
    pub fields: Vec<String>,

    /// Print no notes or progress on stderr (errors and warnings still)
    #[arg(short, long, global = true, help_heading = GLOBAL)]
    pub quiet: bool,

    /// Answer yes to every confirmation
    #[arg(short = 'y', long, global = true, help_heading = GLOBAL)]
    pub yes: bool,

    /// Never prompt; implied when stdin is not a terminal
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub no_input: bool,

    /// When to color output: auto colors a terminal unless NO_COLOR is set
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, global = true, value_name = "WHEN", help_heading = GLOBAL)]
    pub color: ColorArg,

    #[command(subcommand)]
    pub command: Command,
}

/// The heading that sets the global options apart from each command's own in `--help` and
/// the man pages.
const GLOBAL: &str = "Global options";

/// `-o` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputArg {
    /// Human-readable tables
    Table,
    /// Exactly one JSON document on stdout
    Json,
    /// Ids only, one per line
    Name,
}

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Color on a terminal, unless NO_COLOR is set
    Auto,
    /// Always color
    Always,
    /// Never color
    Never,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Register a new client and print its credentials, once
    #[command(after_long_help = examples::REGISTER)]
    Register(register::RegisterArgs),
    /// Show one client's metadata and status (never a secret)
    #[command(after_long_help = examples::SHOW)]
    Show(show::ShowArgs),
    /// List clients, streamed (oldest first unless --sort)
    #[command(after_long_help = examples::LIST)]
    List(list::ListArgs),
    /// Change a client's metadata
    #[command(after_long_help = examples::UPDATE)]
    Update(update::UpdateArgs),
    /// Delete clients with their secrets and tokens
    #[command(after_long_help = examples::DELETE)]
    Delete(delete::DeleteArgs),
    /// Issue a new client secret, printed once
    #[command(after_long_help = examples::ROTATE_SECRET)]
    RotateSecret(rotate::RotateSecretArgs),
    /// Issue a new registration access token, printed once; the old one stops working
    #[command(after_long_help = examples::ROTATE_TOKEN)]
    RotateToken(rotate::RotateTokenArgs),
    /// Check a client secret read from stdin (exit 0 valid, 6 rejected)
    #[command(after_long_help = examples::VERIFY_SECRET)]
    VerifySecret(rotate::VerifySecretArgs),
    /// Initial access tokens for dynamic registration (POST /register)
    #[command(subcommand, after_long_help = examples::TOKEN)]
    Token(token::TokenCommand),
    /// Accounts for HTTP Basic authentication to the registration API
    #[command(subcommand, after_long_help = examples::ADMIN)]
    Admin(admin::AdminCommand),
    /// Delete expired, unused and stale records (for cron)
    #[command(after_long_help = examples::PRUNE)]
    Prune(prune::PruneArgs),
    /// Create, update (and with --prune delete) clients to match a JSON file
    #[command(after_long_help = examples::APPLY)]
    Apply(apply::ApplyArgs),
    /// Print every client as the JSON that apply reads (never a secret)
    #[command(after_long_help = examples::EXPORT)]
    Export(export::ExportArgs),
    /// Show the audit log, newest first
    #[command(after_long_help = examples::EVENTS)]
    Events(events::EventsArgs),
    /// Check, back up or copy the registry database
    #[command(subcommand, after_long_help = examples::DB)]
    Db(db::DbCommand),
    /// Serve the registration API (RFC 7591 / RFC 7592) over HTTP
    #[command(after_long_help = examples::SERVE)]
    Serve(serve::ServeArgs),
    /// Print a shell completion script
    #[command(after_long_help = examples::COMPLETIONS)]
    Completions(generate::CompletionsArgs),
    /// Print the man page as roff, or write one page per command
    #[command(after_long_help = examples::MAN)]
    Man(generate::ManArgs),
}

impl Command {
    /// Whether this command may create the registry when there is none: only those that
    /// create clients or what registers them. Any other command on a missing registry is a
    /// mistyped `--db` (or a cron job pointed at the wrong place), and fails instead of
    /// working on a new empty one. `db copy` creates its destination by itself.
    fn may_create_registry(&self) -> bool {
        matches!(
            self,
            Command::Register(_)
                | Command::Apply(_)
                | Command::Serve(_)
                | Command::Token(token::TokenCommand::Create { .. })
                | Command::Admin(admin::AdminCommand::Add { .. })
        )
    }
}

/// What every command gets besides its own arguments.
pub(crate) struct Ctx {
    pub(crate) db: Option<PathBuf>,
    pub(crate) format: Format,
    pub(crate) yes: bool,
    /// Prompts may be asked: stdin is a terminal and `--no-input` is absent.
    pub(crate) interactive: bool,
    pub(crate) quiet: bool,
    /// `--field`, checked against the command's objects.
    pub(crate) fields: Option<crate::output::fields::Selection>,
    /// Whether stdin is a terminal, `--no-input` or not: what is read from it is typed.
    pub(crate) stdin_terminal: bool,
    /// Whether [`Ctx::open_store`] may create a missing registry.
    pub(crate) may_create: bool,
    pub(crate) actor: Actor,
    /// `--color`: ask it with [`ColorArg::colors`] before styling any output.
    pub(crate) color: ColorArg,
}

impl Ctx {
    /// Where the database is: `--db` (or `DCRCTL_DB`), else the default under the XDG data
    /// folder. The one place the location is resolved, and only by commands that use it, so
    /// `completions` and `man` work without a home folder.
    pub(crate) fn location(&self) -> anyhow::Result<Location> {
        match &self.db {
            Some(given) => Ok(Location::parse(given.as_os_str())),
            None => Ok(Location::Sqlite(default_db_path()?)),
        }
    }

    /// Open the registry, creating it only for a command that may create one (see
    /// `Command::may_create_registry`); every command opens it here.
    pub(crate) fn open_store(&self) -> anyhow::Result<Store> {
        let location = self.location()?;
        if self.may_create {
            open(location)
        } else {
            open_existing(location)
        }
    }
}

/// Open the registry at `location`, creating it if needed, and say so on stderr when it was
/// created: a new registry in an unexpected place should be noticed at once.
pub(crate) fn open(location: Location) -> anyhow::Result<Store> {
    let (store, created) =
        Store::open_or_create(&location).map_err(|error| located(error, &location))?;
    if created {
        eprintln!(
            "note: created a new registry at {}",
            crate::output::sanitize::sanitize(&location.to_string())
        );
    }
    Ok(store)
}

/// Open the registry at `location` only if it exists; when it does not, say where it was
/// looked for and how to create one. Nothing is created, not even a folder.
pub(crate) fn open_existing(location: Location) -> anyhow::Result<Store> {
    Store::open_existing(&location).map_err(|error| match error {
        StoreError::Missing { location: within } => {
            let within = match &location {
                Location::Postgres(_) => format!(" ({within} has no dcrctl tables)"),
                Location::Sqlite(_) => String::new(),
            };
            anyhow::anyhow!(
                "no registry at {location}{within}: create one with `dcrctl register` (or \
                 apply, token create, admin add, serve), or point --db or DCRCTL_DB at an \
                 existing one"
            )
        }
        error => located(error, &location),
    })
}

/// A failure to open the registry at `location`, as the faces print it: one to reach a
/// server names the location (its password masked), as a file's errors name the file. It
/// goes out as a library error, so that a location unusable as written exits 2, not 1.
fn located(error: StoreError, location: &Location) -> anyhow::Error {
    let error = anyhow::Error::new(crate::Error::from(error));
    match location {
        Location::Postgres(_) => error.context(location.to_string()),
        Location::Sqlite(_) => error,
    }
}

/// `$XDG_DATA_HOME/dcrctl/clients.db`, else `$HOME/.local/share/dcrctl/clients.db`.
///
/// An empty or relative `XDG_DATA_HOME` is ignored, as the XDG Base Directory Specification
/// requires ("If an implementation encounters a relative path in any of these variables it
/// should consider the path invalid and ignore it"): taken as is, a cron job started in
/// another working directory would open (and create) another database.
fn default_db_path() -> anyhow::Result<PathBuf> {
    let data_home = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")))
        .context(
            "cannot find a default database path: set --db, DCRCTL_DB, XDG_DATA_HOME or HOME",
        )?;
    Ok(data_home.join("dcrctl").join("clients.db"))
}

/// Who runs the command, for the audit log (`cli:<user>`): `USER` or `LOGNAME` as login
/// sessions set them, else the OS account, because cron, containers and systemd units often
/// run without either variable and the log must still name someone.
fn current_user() -> String {
    ["USER", "LOGNAME"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|name| !name.is_empty()))
        .or_else(os_account)
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The effective uid's name in `/etc/passwd`, or the bare uid when it has no entry there.
/// `/proc/self` belongs to the process's uid, which avoids unsafe `geteuid`; `None` without
/// procfs.
fn os_account() -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata("/proc/self").ok()?.uid();
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let name = passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let entry_uid: u32 = fields.nth(1)?.parse().ok()?;
        (entry_uid == uid && !name.is_empty()).then(|| name.to_owned())
    });
    Some(name.unwrap_or_else(|| uid.to_string()))
}

/// Parse the process arguments, run the command, and report the outcome.
pub fn main() -> ExitCode {
    // Before anything is printed: a completion request is answered and ends the process.
    generate::answer_completion_request();
    let args: Vec<OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(error) => return report_parse_error(error, &args, color::from_args(&args)),
    };
    let color = cli.color.colors(color::Stream::Stderr);
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            let prefix = if color {
                "\x1b[1;31merror:\x1b[0m"
            } else {
                "error:"
            };
            let message = format!("{error:#}");
            let _ = writeln!(
                std::io::stderr().lock(),
                "{prefix} {}",
                crate::output::sanitize::sanitize(&message)
            );
            ExitCode::from(exit_code(&error).code())
        }
    }
}

/// Print clap's error, help or version, and give its exit code.
///
/// clap echoes a rejected value as it was given, so a CR or LF in it forges extra `error:`
/// lines or overwrites what the terminal shows, and an escape sequence reaches a terminal.
/// When an argument holds a control character, the command line is parsed again with those
/// characters escaped as table cells show them (`\u{d}`), and that error is printed: clap's
/// own message, with the value made visible. Should the escaped command line not fail the
/// same clean way, one plain line names the argument instead.
fn report_parse_error(error: clap::Error, args: &[OsString], color: ColorArg) -> ExitCode {
    match escaped_parse_error(error, args) {
        Ok(error) => {
            print_clap(&error, color);
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(ExitStatus::Usage.code()))
        }
        Err(index) => {
            let _ = writeln!(
                std::io::stderr().lock(),
                "error: argument {index} contains a control character"
            );
            ExitCode::from(ExitStatus::Usage.code())
        }
    }
}

/// Print clap's help, version or error where clap would (stdout or stderr), coloured by our
/// one decision for that stream rather than by clap's own.
fn print_clap(error: &clap::Error, color: ColorArg) {
    use color::Stream;
    let stream = if error.use_stderr() {
        Stream::Stderr
    } else {
        Stream::Stdout
    };
    let styled = error.render();
    let text = if color.colors(stream) {
        styled.ansi().to_string()
    } else {
        styled.to_string()
    };
    let _ = match stream {
        Stream::Stdout => std::io::stdout().lock().write_all(text.as_bytes()),
        Stream::Stderr => std::io::stderr().lock().write_all(text.as_bytes()),
    };
}

/// The error to print for `args`: `error` itself when no argument holds a control
/// character, else the error of the escaped command line; `Err(index)` of the first argument
/// with a control character when that error is not a clean one.
fn escaped_parse_error(error: clap::Error, args: &[OsString]) -> Result<clap::Error, usize> {
    let Some(index) = args.iter().skip(1).position(|arg| has_control(arg)) else {
        return Ok(error);
    };
    if !error.use_stderr() {
        return Ok(error);
    }
    let escaped: Vec<OsString> = args.iter().map(escape_control).collect();
    match Cli::try_parse_from(&escaped) {
        Err(again) if again.use_stderr() && !shows_control(&again.render().to_string()) => {
            Ok(again)
        }
        _ => Err(index + 1),
    }
}

/// Whether an argument holds a control character.
fn has_control(arg: &OsStr) -> bool {
    arg.to_string_lossy().chars().any(char::is_control)
}

/// Whether a rendered error holds a control character other than the line breaks of its
/// layout.
fn shows_control(rendered: &str) -> bool {
    rendered.chars().any(|c| c.is_control() && c != '\n')
}

/// `arg` with its control characters escaped, as [`crate::output::sanitize`] does.
fn escape_control(arg: &OsString) -> OsString {
    let text = arg.to_string_lossy();
    if text.chars().any(char::is_control) {
        OsString::from(crate::output::sanitize::sanitize(&text).into_owned())
    } else {
        arg.clone()
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    let broken = |io: &std::io::Error| io.kind() == std::io::ErrorKind::BrokenPipe;
    error.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(broken)
            || matches!(cause.downcast_ref::<crate::Error>(), Some(crate::Error::Io(io)) if broken(io))
    })
}

/// Run a parsed command line.
///
/// # Errors
/// Any failure; [`exit_code`] maps it to the SPEC's exit code.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let format = match cli.output {
        OutputArg::Table => Format::Table,
        OutputArg::Json => Format::Json,
        OutputArg::Name => Format::Name,
    };
    let fields = output::check(&cli.command, format, &cli.fields)?;
    let stdin_terminal = std::io::stdin().is_terminal();
    let ctx = Ctx {
        db: cli.db,
        format,
        fields,
        yes: cli.yes,
        quiet: cli.quiet,
        interactive: !cli.no_input && stdin_terminal,
        stdin_terminal,
        may_create: cli.command.may_create_registry(),
        actor: Actor::cli(&current_user()),
        color: cli.color,
    };
    let outcome = match cli.command {
        Command::Register(args) => register::run(&ctx, args),
        Command::Show(args) => show::run(&ctx, &args),
        Command::List(args) => list::run(&ctx, &args),
        Command::Update(args) => update::run(&ctx, args),
        Command::Delete(args) => delete::run(&ctx, &args),
        Command::RotateSecret(args) => rotate::run_secret(&ctx, &args),
        Command::RotateToken(args) => rotate::run_token(&ctx, &args),
        Command::VerifySecret(args) => rotate::run_verify(&ctx, &args),
        Command::Token(command) => token::run(&ctx, &command),
        Command::Admin(command) => admin::run(&ctx, &command),
        Command::Prune(args) => prune::run(&ctx, &args),
        Command::Apply(args) => apply::run(&ctx, &args),
        Command::Export(args) => export::run(&ctx, &args),
        Command::Events(args) => events::run(&ctx, &args),
        Command::Db(command) => db::run(&ctx, &command),
        Command::Serve(args) => serve::run(&ctx, &args),
        Command::Completions(args) => generate::run_completions(&args),
        Command::Man(args) => generate::run_man(&args),
    };
    outcome.map_err(|error| next_step::attach(&ctx, error))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_error(args: &[&str]) -> Result<String, usize> {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        let error = Cli::try_parse_from(&args).expect_err("a usage error");
        escaped_parse_error(error, &args).map(|error| error.render().to_string())
    }

    #[test]
    fn rejected_values_are_echoed_with_controls_escaped() {
        let shown = parse_error(&["dcrctl", "-o", "json\nerror: spoofed", "list"]).unwrap();
        assert!(
            shown.starts_with("error: invalid value 'json\\u{a}error: spoofed' for '--output"),
            "{shown}"
        );
        assert_eq!(shown.lines().filter(|l| l.starts_with("error:")).count(), 1);
        let shown = parse_error(&["dcrctl", "list", "--bogus\r\x1b[2J"]).unwrap();
        assert!(shown.contains("'--bogus\\u{d}\\u{1b}[2J'"), "{shown}");
        assert!(!shows_control(&shown));
    }

    #[test]
    fn clean_errors_and_help_are_clap_own() {
        let shown = parse_error(&["dcrctl", "-o", "yaml", "list"]).unwrap();
        assert!(
            shown.starts_with("error: invalid value 'yaml' for '--output"),
            "{shown}"
        );
        let args: Vec<OsString> = ["dcrctl", "register", "--client-name", "a\nb", "--help"]
            .iter()
            .map(OsString::from)
            .collect();
        let help = Cli::try_parse_from(&args).expect_err("help");
        let kept = escaped_parse_error(help, &args).unwrap();
        assert_eq!(kept.kind(), clap::error::ErrorKind::DisplayHelp);
    }

    #[test]
    fn control_characters_are_found_in_any_argument() {
        assert!(has_control(OsStr::new("a\u{9b}b")));
        assert!(has_control(OsStr::new("\t")));
        assert!(!has_control(OsStr::new("Ünïcode")));
        assert!(!shows_control("error: x\n\nUsage: y\n"));
        assert!(shows_control("error: x\r\n"));
    }
}

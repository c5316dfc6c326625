//! Shell completions and man pages, rendered from the clap definitions.
//!
//! The repository keeps generated copies in `completions/` and `man/`; the integration test
//! `generated` renders them again with [`completion_files`] and [`man_files`] and fails when
//! the copies are stale. Neither command opens the database.
//!
//! Two kinds of completion: the static scripts complete commands, flags and fixed values
//! with no help from dcrctl; `--dynamic` prints clap_complete's registration script instead,
//! which asks dcrctl at each Tab (`COMPLETE=SHELL dcrctl -- WORDS…`) and so also offers the
//! client ids in the database (see [`super::complete`]).

use super::exit::ExitStatus;
use super::Cli;
use clap::{Args, CommandFactory};
use clap_complete::env::Shells;
use clap_complete::Shell;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell
    #[arg(value_name = "SHELL")]
    shell: Shell,

    /// Print the script that asks dcrctl at each Tab, which also completes client ids from
    /// the database; source it at shell start-up rather than saving it, so it always
    /// matches the installed dcrctl
    #[arg(long)]
    dynamic: bool,
}

/// Arguments of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write one page per command into this folder instead of printing the main page
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
}

/// The shells completions are generated for, with the file name each one's script gets.
pub const SHELLS: [(Shell, &str); 5] = [
    (Shell::Bash, "dcrctl.bash"),
    (Shell::Zsh, "_dcrctl"),
    (Shell::Fish, "dcrctl.fish"),
    (Shell::Elvish, "dcrctl.elv"),
    (Shell::PowerShell, "_dcrctl.ps1"),
];

/// The variable that turns a run of dcrctl into a completion request (clap_complete's).
pub(crate) const COMPLETE_VAR: &str = "COMPLETE";

/// Answer a shell's completion request (`COMPLETE=SHELL dcrctl -- WORDS…`) and end the
/// process; return at once when there is none. A `COMPLETE` that names no shell is some other
/// program's variable, not a request, so it cannot make every command fail.
pub(crate) fn answer_completion_request() {
    let requested = std::env::var_os(COMPLETE_VAR).is_some_and(|shell| {
        let shell = Path::new(&shell).file_stem().unwrap_or_default();
        Shells::builtins()
            .completer(&shell.to_string_lossy())
            .is_some()
    });
    if requested {
        clap_complete::CompleteEnv::with_factory(Cli::command)
            .var(COMPLETE_VAR)
            .complete();
    }
}

/// The completion script for `shell`.
pub fn completion(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "dcrctl", &mut out);
    out
}

/// Every completion script as `(file name, contents)`.
pub fn completion_files() -> Vec<(String, Vec<u8>)> {
    SHELLS
        .iter()
        .map(|(shell, name)| ((*name).to_owned(), completion(*shell)))
        .collect()
}

/// The script that registers dynamic completion with `shell`: what `COMPLETE=SHELL dcrctl`
/// prints, calling this very binary.
fn dynamic_completion(shell: Shell) -> anyhow::Result<Vec<u8>> {
    let shells = Shells::builtins();
    let completer = shells
        .completer(&shell.to_string())
        .ok_or_else(|| anyhow::anyhow!("no dynamic completion for {shell}"))?;
    let binary = std::env::current_exe()
        .map(|path| path.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "dcrctl".to_owned());
    let mut out = Vec::new();
    completer.write_registration(COMPLETE_VAR, "dcrctl", "dcrctl", &binary, &mut out)?;
    Ok(out)
}

/// One man page per command as `(file name, roff)`: `dcrctl.1`, `dcrctl-register.1`, …
///
/// # Errors
/// Only if rendering into memory fails.
pub fn man_files() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    // `help` is clap's, documented by `--help`; it gets no page, so no page may name one.
    let mut command = without_help_subcommand(Cli::command());
    command.build();
    let mut pages = Vec::new();
    render_pages(&command, "dcrctl", &mut pages)?;
    Ok(pages)
}

fn without_help_subcommand(command: clap::Command) -> clap::Command {
    command
        .disable_help_subcommand(true)
        .mut_subcommands(without_help_subcommand)
}

fn render_pages(
    command: &clap::Command,
    name: &str,
    pages: &mut Vec<(String, Vec<u8>)>,
) -> std::io::Result<()> {
    pages.push((format!("{name}.1"), render_page(command)?));
    for sub in command.get_subcommands() {
        render_pages(sub, &format!("{name}-{}", sub.get_name()), pages)?;
    }
    Ok(())
}

/// clap_mangen's sections, then EXAMPLES (the examples of `--help`), EXIT STATUS,
/// ENVIRONMENT and FILES, which every page carries: a page read alone still says how to
/// point it at a database and what its exit codes mean.
fn render_page(command: &clap::Command) -> std::io::Result<Vec<u8>> {
    let man = clap_mangen::Man::new(command.clone());
    let mut roff = Vec::new();
    man.render_title(&mut roff)?;
    man.render_name_section(&mut roff)?;
    man.render_synopsis_section(&mut roff)?;
    man.render_description_section(&mut roff)?;
    if command.get_arguments().any(|arg| !arg.is_hide_set()) {
        man.render_options_section(&mut roff)?;
    }
    if command.get_subcommands().any(|sub| !sub.is_hide_set()) {
        man.render_subcommands_section(&mut roff)?;
    }
    if let Some(examples) = command.get_after_long_help() {
        // The styled heading of `--help` becomes the section's title.
        let text = examples.to_string();
        roff.extend(b".SH EXAMPLES\n.nf\n");
        for line in text.lines().skip(1) {
            writeln!(roff, "{}", escape(line.strip_prefix("  ").unwrap_or(line)))?;
        }
        roff.extend(b".fi\n");
    }
    write_reference_sections(&mut roff)?;
    man.render_version_section(&mut roff)?;
    Ok(once_preamble(&roff))
}

/// `roff` with the preamble clap_mangen puts before each section it renders kept only at
/// the top of the page, where it belongs.
fn once_preamble(roff: &[u8]) -> Vec<u8> {
    const PREAMBLE: &[u8] = b".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    let mut page = PREAMBLE.to_vec();
    let mut rest = roff;
    while !rest.is_empty() {
        if rest.starts_with(PREAMBLE) {
            rest = &rest[PREAMBLE.len()..];
        } else {
            let line = rest
                .iter()
                .position(|&b| b == b'\n')
                .map_or(rest.len(), |at| at + 1);
            page.extend_from_slice(&rest[..line]);
            rest = &rest[line..];
        }
    }
    page
}

/// What each exit status means (SPEC §3).
const EXIT_STATUSES: &[(ExitStatus, &str)] = &[
    (ExitStatus::Success, "Success."),
    (
        ExitStatus::Failure,
        "The environment failed: I/O, the database, a missing database.",
    ),
    (
        ExitStatus::Usage,
        "Usage error or invalid metadata; the message names the field and the rule.",
    ),
    (ExitStatus::NotFound, "No such client, token or account."),
    (ExitStatus::Conflict, "Conflict: it already exists."),
    (
        ExitStatus::Declined,
        "Declined at a confirmation prompt, or confirmation needed without a terminal \
         (give --yes).",
    ),
    (
        ExitStatus::CredentialRejected,
        "Credential rejected (verify-secret).",
    ),
];

/// Every variable dcrctl reads, with what it does.
const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "DCRCTL_DB",
        "The database, as --db takes it (a path or a postgres:// URL).",
    ),
    (
        "XDG_DATA_HOME",
        "Where the default database lives (an absolute path; a relative one is ignored).",
    ),
    (
        "HOME",
        "The default database's folder when XDG_DATA_HOME is unset; where ~/.pgpass and \
         ~/.postgresql/root.crt are looked for.",
    ),
    (
        "NO_COLOR",
        "When set and not empty, --color auto colors nothing (--color always still does).",
    ),
    ("TERM", "dumb: --color auto colors nothing."),
    ("USER, LOGNAME", "Who is named in the audit log (cli:USER)."),
    (
        "PGHOST, PGPORT, PGUSER, PGPASSWORD, PGPASSFILE",
        "PostgreSQL connection settings a postgres:// URL leaves out, as libpq reads them.",
    ),
    (
        "PGSSLMODE, PGSSLROOTCERT",
        "PostgreSQL TLS settings a postgres:// URL leaves out.",
    ),
    (
        "DCRCTL_LOG",
        "serve: which log lines to write (tracing's filter syntax; default info).",
    ),
    ("DCRCTL_LOG_FORMAT", "serve: the default of --log-format."),
    (
        "COMPLETE",
        "Set by the dynamic completion script (completions --dynamic): answer a completion \
         request instead of running a command.",
    ),
];

const FILES: &[(&str, &str)] = &[
    (
        "$XDG_DATA_HOME/dcrctl/clients.db, ~/.local/share/dcrctl/clients.db",
        "The default database, created 0600 (its folder 0700) by the commands that create \
         clients.",
    ),
    (
        "~/.pgpass",
        "PostgreSQL passwords, read as libpq reads them (PGPASSFILE names another file).",
    ),
    (
        "~/.postgresql/root.crt",
        "The PostgreSQL server's root certificate, when the URL names none.",
    ),
];

fn write_reference_sections(roff: &mut Vec<u8>) -> std::io::Result<()> {
    let statuses: Vec<(String, &str)> = EXIT_STATUSES
        .iter()
        .map(|(status, meaning)| (status.code().to_string(), *meaning))
        .collect();
    let sections: [(&str, Vec<(&str, &str)>); 3] = [
        (
            "EXIT STATUS",
            statuses
                .iter()
                .map(|(code, m)| (code.as_str(), *m))
                .collect(),
        ),
        ("ENVIRONMENT", ENVIRONMENT.to_vec()),
        ("FILES", FILES.to_vec()),
    ];
    for (title, entries) in sections {
        writeln!(roff, ".SH \"{title}\"")?;
        for (term, meaning) in entries {
            writeln!(roff, ".TP\n\\fB{}\\fR\n{}", escape(term), escape(meaning))?;
        }
    }
    Ok(())
}

/// `text` as one line of roff: backslashes and hyphens escaped, and a leading `.` or `'`
/// kept from being read as a request.
fn escape(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

pub(crate) fn run_completions(args: &CompletionsArgs) -> anyhow::Result<()> {
    let script = if args.dynamic {
        dynamic_completion(args.shell)?
    } else {
        completion(args.shell)
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&script)?;
    Ok(stdout.flush()?)
}

pub(crate) fn run_man(args: &ManArgs) -> anyhow::Result<()> {
    let pages = man_files()?;
    match &args.out_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            for (name, roff) in &pages {
                std::fs::write(dir.join(name), roff)?;
            }
            eprintln!("wrote {} man pages to {}", pages.len(), dir.display());
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&pages[0].1)?;
            stdout.flush()?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(name: &str) -> String {
        let pages = man_files().unwrap();
        let (_, roff) = pages.iter().find(|(n, _)| n == name).unwrap();
        String::from_utf8(roff.clone()).unwrap()
    }

    #[test]
    fn no_page_names_a_help_page_that_does_not_exist() {
        let pages = man_files().unwrap();
        for (name, roff) in &pages {
            let roff = String::from_utf8_lossy(roff);
            assert!(!roff.contains("help("), "{name} names a help page");
            assert!(!name.contains("-help"), "{name}");
        }
    }

    #[test]
    fn pages_carry_examples_exit_status_environment_and_files() {
        let main = page("dcrctl.1");
        for section in [
            ".SH \"EXIT STATUS\"",
            ".SH \"ENVIRONMENT\"",
            ".SH \"FILES\"",
        ] {
            assert!(main.contains(section), "{section} missing");
        }
        assert!(main.contains("\\fBDCRCTL_DB\\fR"));
        assert!(main.contains("\\fB6\\fR\nCredential rejected"));
        assert!(main.contains(".SH \"GLOBAL OPTIONS\""));
        let register = page("dcrctl-register.1");
        assert!(register.contains(".SH EXAMPLES\n.nf\n# A web client"));
        assert!(register.contains("dcrctl register \\-\\-client\\-name Billing"));
        assert!(!register.contains("\x1b"), "no escape sequence in a page");
    }

    #[test]
    fn the_preamble_opens_each_page_once() {
        for (name, roff) in man_files().unwrap() {
            let roff = String::from_utf8(roff).unwrap();
            assert!(
                roff.starts_with(".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n.TH "),
                "{name}"
            );
            assert_eq!(roff.matches(".ds Aq").count(), 2, "{name}");
        }
    }

    #[test]
    fn every_exit_status_is_described() {
        let codes: Vec<u8> = EXIT_STATUSES.iter().map(|(s, _)| s.code()).collect();
        assert_eq!(codes, [0, 1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn roff_requests_and_escapes_are_neutralised() {
        assert_eq!(escape("a-b\\c"), "a\\-b\\ec");
        assert_eq!(escape(".SH x"), "\\&.SH x");
        assert_eq!(escape("'x"), "\\&'x");
    }
}

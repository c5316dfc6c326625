//! Shell completions and man pages, rendered from the clap definitions.
//!
//! The repository keeps generated copies in `completions/` and `man/`; the integration test
//! `generated` renders them again with [`completion_files`] and [`man_files`] and fails when
//! the copies are stale. Neither command opens the database.

use super::Cli;
use clap::{Args, CommandFactory};
use clap_complete::Shell;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell
    #[arg(value_name = "SHELL")]
    shell: Shell,
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

/// One man page per command as `(file name, roff)`: `dcrctl.1`, `dcrctl-register.1`, …
///
/// # Errors
/// Only if rendering into memory fails.
pub fn man_files() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut command = Cli::command();
    command.build();
    let mut pages = Vec::new();
    render_pages(&command, "dcrctl", &mut pages)?;
    Ok(pages)
}

fn render_pages(
    command: &clap::Command,
    name: &str,
    pages: &mut Vec<(String, Vec<u8>)>,
) -> std::io::Result<()> {
    let mut roff = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut roff)?;
    pages.push((format!("{name}.1"), roff));
    for sub in command
        .get_subcommands()
        .filter(|sub| sub.get_name() != "help")
    {
        render_pages(sub, &format!("{name}-{}", sub.get_name()), pages)?;
    }
    Ok(())
}

pub(crate) fn run_completions(args: &CompletionsArgs) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&completion(args.shell))?;
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

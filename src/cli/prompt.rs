//! Questions on the terminal, and the rules every command follows for them:
//!
//! * Questions are asked only when stdin is a terminal and `--no-input` is absent; otherwise
//!   a missing answer is an error that says why, so scripts never hang.
//! * Every answer waits for Enter: a confirmation reads a whole line (`y`, `yes`, `n`, `no`),
//!   so `yes⏎` is one answer, not `y` followed by a stray `es` for the shell.
//! * An answer that is not valid is explained and asked again, never a reason to exit.
//! * The prompt itself stays short; what it is about goes on its own line above it, because
//!   a prompt that wraps is redrawn twice by the terminal library.
//! * A secret is never read from a terminal with echo on.

use super::Ctx;
use crate::Error;
use dialoguer::{Input, Password};

/// Ask to confirm `what` (a sentence saying what will happen), honouring `--yes`.
///
/// # Errors
/// [`Error::Declined`] when the answer is no, or when no one can be asked and `--yes` is
/// absent; the message then says why no one could be asked.
pub(crate) fn confirm(ctx: &Ctx, what: &str) -> anyhow::Result<()> {
    if ctx.yes {
        return Ok(());
    }
    if !ctx.interactive {
        let why = if ctx.stdin_terminal {
            "--no-input was given"
        } else {
            "stdin is not a terminal"
        };
        return Err(Error::Declined(format!("confirmation needed but {why}: pass --yes")).into());
    }
    eprintln!("{what}");
    let answer = asked(
        Input::<String>::new()
            .with_prompt("Proceed? [y/N]")
            .allow_empty(true)
            .validate_with(|answer: &String| match yes_or_no(answer) {
                Some(_) => Ok(()),
                None => Err("answer y, yes, n or no"),
            })
            .interact_text(),
    )?;
    if yes_or_no(&answer) == Some(true) {
        Ok(())
    } else {
        Err(Error::Declined("declined: nothing was changed".into()).into())
    }
}

/// `Some(true)` for yes, `Some(false)` for no (an empty answer is the default, no), `None`
/// for anything else.
fn yes_or_no(answer: &str) -> Option<bool> {
    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Some(true),
        "" | "n" | "no" => Some(false),
        _ => None,
    }
}

/// Ask for one line of text until `check` accepts it; its error is shown and the question
/// asked again.
pub(crate) fn text(
    question: &str,
    check: impl FnMut(&String) -> Result<(), String>,
) -> anyhow::Result<String> {
    asked(
        Input::<String>::new()
            .with_prompt(question)
            .validate_with(check)
            .interact_text(),
    )
}

/// Ask for a secret without echoing it.
pub(crate) fn secret(question: &str) -> anyhow::Result<String> {
    asked(Password::new().with_prompt(question).interact())
}

/// Ask for a new secret twice without echoing it, until `check` accepts it and both answers
/// match.
pub(crate) fn new_secret(
    question: &str,
    check: impl Fn(&String) -> Result<(), String> + 'static,
) -> anyhow::Result<String> {
    asked(
        Password::new()
            .with_prompt(question)
            .validate_with(check)
            .with_confirmation("Repeat it", "the two do not match")
            .interact(),
    )
}

/// Where a secret that would be read from stdin comes from: `None` when stdin is not a
/// terminal (the caller reads it), a hidden prompt when it is one. A terminal that may not
/// be prompted (`--no-input`) would echo what is typed, so that is refused.
///
/// # Errors
/// A usage error with `--no-input` on a terminal; a failed prompt.
pub(crate) fn secret_from_terminal(ctx: &Ctx, question: &str) -> anyhow::Result<Option<String>> {
    if !ctx.stdin_terminal {
        return Ok(None);
    }
    if !ctx.interactive {
        return Err(Error::usage(format!(
            "{} would be read from the terminal, which would show it: with --no-input, pipe \
             it to stdin (or drop --no-input to be asked without echo)",
            question.to_ascii_lowercase()
        ))
        .into());
    }
    secret(question).map(Some)
}

/// A prompt's outcome; Ctrl-C or a closed terminal while asking is a refusal to answer.
fn asked<T>(result: dialoguer::Result<T>) -> anyhow::Result<T> {
    result.map_err(|dialoguer::Error::IO(error)| match error.kind() {
        std::io::ErrorKind::Interrupted | std::io::ErrorKind::UnexpectedEof => {
            Error::Declined("no answer: nothing was changed".into()).into()
        }
        _ => anyhow::Error::new(error).context("cannot ask on the terminal"),
    })
}

#[cfg(test)]
mod tests {
    use super::yes_or_no;

    #[test]
    fn confirmations_take_whole_words() {
        for yes in ["y", "Y", "yes", "YES", " yes "] {
            assert_eq!(yes_or_no(yes), Some(true), "{yes}");
        }
        for no in ["", "n", "no", "No"] {
            assert_eq!(yes_or_no(no), Some(false), "{no}");
        }
        for other in ["yes please", "yy", "es", "ok", "nyes"] {
            assert_eq!(yes_or_no(other), None, "{other}");
        }
    }
}

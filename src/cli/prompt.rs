//! Questions on the terminal. Only asked when stdin is a terminal and `--no-input` is absent;
//! otherwise a missing answer is an error, so scripts never hang.

use super::Ctx;
use crate::Error;
use dialoguer::{Confirm, Input, Password};

/// Ask for a yes/no confirmation, honouring `--yes`.
///
/// # Errors
/// [`Error::Declined`] when the answer is no, or when no terminal can ask and `--yes` is absent.
pub(crate) fn confirm(ctx: &Ctx, question: &str) -> anyhow::Result<()> {
    if ctx.yes {
        return Ok(());
    }
    if !ctx.interactive {
        return Err(Error::Declined(
            "confirmation needed but there is no terminal to ask: pass --yes".into(),
        )
        .into());
    }
    let agreed = Confirm::new()
        .with_prompt(question)
        .default(false)
        .interact()?;
    if agreed {
        Ok(())
    } else {
        Err(Error::Declined("declined".into()).into())
    }
}

/// Ask for one line of text.
pub(crate) fn text(question: &str) -> anyhow::Result<String> {
    Ok(Input::<String>::new()
        .with_prompt(question)
        .interact_text()?)
}

/// Ask for a secret without echoing it.
pub(crate) fn secret(question: &str) -> anyhow::Result<String> {
    Ok(Password::new().with_prompt(question).interact()?)
}

/// Ask for a new secret twice without echoing it, until both answers match.
pub(crate) fn new_secret(question: &str) -> anyhow::Result<String> {
    Ok(Password::new()
        .with_prompt(question)
        .with_confirmation("Repeat it", "the two do not match")
        .interact()?)
}

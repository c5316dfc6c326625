//! Exit codes: the SPEC's public contract, mapped in one place.

use crate::ErrorKind;

/// The documented exit codes of dcrctl.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: success.
    Success,
    /// 1: the environment failed (I/O, database).
    Failure,
    /// 2: usage error or invalid metadata.
    Usage,
    /// 3: no such client, token or account.
    NotFound,
    /// 4: conflict, already exists.
    Conflict,
    /// 5: declined at a confirmation prompt, or confirmation needed without a terminal.
    Declined,
    /// 6: credential rejected.
    CredentialRejected,
}

impl ExitStatus {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Usage => 2,
            ExitStatus::NotFound => 3,
            ExitStatus::Conflict => 4,
            ExitStatus::Declined => 5,
            ExitStatus::CredentialRejected => 6,
        }
    }
}

/// The exit status for an error: library errors by their kind, anything else 1.
pub fn exit_code(error: &anyhow::Error) -> ExitStatus {
    if let Some(hinted) = error.downcast_ref::<super::next_step::WithNextStep>() {
        return exit_code(&hinted.error);
    }
    let Some(error) = error
        .chain()
        .find_map(|cause| cause.downcast_ref::<crate::Error>())
    else {
        return ExitStatus::Failure;
    };
    match error.kind() {
        ErrorKind::Usage | ErrorKind::InvalidMetadata => ExitStatus::Usage,
        ErrorKind::NotFound => ExitStatus::NotFound,
        ErrorKind::Conflict | ErrorKind::PreconditionFailed => ExitStatus::Conflict,
        ErrorKind::Declined => ExitStatus::Declined,
        ErrorKind::CredentialRejected => ExitStatus::CredentialRejected,
        // Only the server's limits forbid; the command line is trusted and never meets them.
        ErrorKind::Internal | ErrorKind::Forbidden => ExitStatus::Failure,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn codes_match_the_spec() {
        let code = |e: Error| exit_code(&anyhow::Error::new(e)).code();
        assert_eq!(code(Error::Usage("x".into())), 2);
        assert_eq!(
            code(Error::NotFound {
                what: crate::model::Entity::Client,
                id: "a".into()
            }),
            3
        );
        assert_eq!(
            code(Error::Conflict {
                what: crate::model::Entity::Client,
                id: "a".into()
            }),
            4
        );
        assert_eq!(code(Error::Declined("no".into())), 5);
        assert_eq!(code(Error::CredentialRejected), 6);
        assert_eq!(exit_code(&anyhow::anyhow!("disk on fire")).code(), 1);
        let wrapped = anyhow::Error::new(Error::CredentialRejected).context("verifying");
        assert_eq!(exit_code(&wrapped).code(), 6);
    }
}

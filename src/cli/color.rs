//! One colour decision for everything dcrctl prints: its own `error:` lines, clap's help and
//! usage errors, and the server's log lines.
//!
//! `--color` is read before clap parses the command line (a usage error must already obey
//! it), then from the parsed flags. `always` and `never` are final; `auto` colours a stream
//! only when it is a terminal, `NO_COLOR` is unset or empty (no-color.org) and `TERM` is not
//! `dumb`. A flag on the command line overrides `NO_COLOR`, as no-color.org asks.

use super::ColorArg;
use clap::ValueEnum;
use std::ffi::OsString;
use std::io::IsTerminal;

/// Where a piece of output goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    fn is_terminal(self) -> bool {
        match self {
            Stream::Stdout => std::io::stdout().is_terminal(),
            Stream::Stderr => std::io::stderr().is_terminal(),
        }
    }
}

impl ColorArg {
    /// Whether output to `stream` is coloured.
    pub(crate) fn colors(self, stream: Stream) -> bool {
        match self {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => auto_allows_color() && stream.is_terminal(),
        }
    }
}

fn auto_allows_color() -> bool {
    let set = |var: &str| std::env::var_os(var).is_some_and(|value| !value.is_empty());
    !set("NO_COLOR") && std::env::var_os("TERM").is_none_or(|term| term != "dumb")
}

/// The `--color` of a command line clap has not parsed (or refused): the last one given
/// before a `--`, `auto` when there is none or its value is not one clap would take.
pub(crate) fn from_args(args: &[OsString]) -> ColorArg {
    let mut choice = ColorArg::Auto;
    let mut args = args.iter().skip(1).map(|arg| arg.to_str());
    while let Some(arg) = args.next() {
        let value = match arg {
            Some("--") => break,
            Some("--color") => args.next().flatten(),
            Some(arg) => arg.strip_prefix("--color="),
            None => None,
        };
        if let Some(parsed) = value.and_then(|value| ColorArg::from_str(value, false).ok()) {
            choice = parsed;
        }
    }
    choice
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(args: &[&str]) -> ColorArg {
        let args: Vec<OsString> = std::iter::once("dcrctl")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect();
        from_args(&args)
    }

    #[test]
    fn every_spelling_of_color_is_seen_and_the_last_wins() {
        assert_eq!(scan(&["list"]), ColorArg::Auto);
        assert_eq!(scan(&["--color", "never", "list"]), ColorArg::Never);
        assert_eq!(scan(&["list", "--color=always"]), ColorArg::Always);
        assert_eq!(
            scan(&["--color", "never", "list", "--color", "always"]),
            ColorArg::Always
        );
        assert_eq!(scan(&["--color", "sometimes", "list"]), ColorArg::Auto);
        assert_eq!(scan(&["--color"]), ColorArg::Auto);
        assert_eq!(scan(&["show", "--", "--color=never"]), ColorArg::Auto);
    }

    #[test]
    fn always_and_never_are_final() {
        assert!(ColorArg::Always.colors(Stream::Stdout));
        assert!(!ColorArg::Never.colors(Stream::Stderr));
    }
}

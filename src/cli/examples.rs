//! The "Examples:" section of each command's `--help`, which the man pages repeat as their
//! EXAMPLES section. Every example is parsed by a test against the current command line, so
//! a renamed flag cannot leave a stale example behind.

/// The heading as clap styles its own (bold, underlined); clap strips the style when the
/// output is not coloured.
macro_rules! examples {
    ($($line:literal)*) => {
        concat!("\x1b[1m\x1b[4mExamples:\x1b[0m\n", $("  ", $line, "\n",)*)
    };
}

pub(crate) const REGISTER: &str = examples! {
    "# A web client; its secret and registration token are printed once"
    "dcrctl register --client-name Billing --redirect-uri https://app.example/cb"
    "# A public native app (no secret) with a loopback redirect"
    "dcrctl register --client-name cli-tool --application-type native \\"
    "    --token-endpoint-auth-method none --redirect-uri http://127.0.0.1/cb"
    "# A machine client, its id chosen; create it or modify it if it exists"
    "dcrctl register --upsert --client-id cron-job --grant-type client_credentials"
    "# From an RFC 7591 document; flags override its fields"
    "dcrctl register --metadata-file client.json --client-name Override"
};

pub(crate) const SHOW: &str = examples! {
    "dcrctl show billing"
    "dcrctl show --name Billing"
    "dcrctl -o json show billing | jq .redirect_uris"
};

pub(crate) const LIST: &str = examples! {
    "dcrctl list"
    "dcrctl list --name 'billing-*' --grant-type client_credentials"
    "dcrctl list --expired"
    "dcrctl -o json list --created-after 7d --limit 100"
    "# Shell globs: names not starting with t; a literal star"
    "dcrctl list --name '[!t]*' --sort last-used"
    "dcrctl list --name 'release\\*'"
    "# The next page: the clients after the last one of the previous"
    "dcrctl -o json list --sort name --limit 100 --after cron-job"
};

pub(crate) const UPDATE: &str = examples! {
    "dcrctl update billing --client-name 'Billing (EU)'"
    "dcrctl update billing --add-redirect-uri https://eu.billing.example.com/cb"
    "dcrctl update billing --unset logo_uri"
    "# RFC 7592 replacement: fields the file omits are removed"
    "dcrctl update billing --metadata-file full.json --replace"
};

pub(crate) const DELETE: &str = examples! {
    "# Asks for confirmation on a terminal"
    "dcrctl delete billing"
    "# In scripts: all of them, or none when one does not exist"
    "dcrctl --yes delete billing cron-job"
};

pub(crate) const ROTATE_SECRET: &str = examples! {
    "# The new secret is printed once; the old one keeps working for an hour"
    "dcrctl rotate-secret billing --grace 1h"
    "# The new secret expires in 90 days, or at a given time"
    "dcrctl rotate-secret billing --secret-expires-in 90d"
    "dcrctl rotate-secret billing --secret-expires-at 2099-06-30T00:00:00+02:00"
    "# Once every deployment has the new one: the old one stops working now"
    "dcrctl rotate-secret billing --end-grace"
};

pub(crate) const ROTATE_TOKEN: &str = examples! {
    "# The old registration access token stops working at once"
    "dcrctl rotate-token billing"
};

pub(crate) const VERIFY_SECRET: &str = examples! {
    "printf '%s' \"$SECRET\" | dcrctl verify-secret billing && echo valid"
};

pub(crate) const TOKEN: &str = examples! {
    "dcrctl token create --expires-in 7d --max-uses 5 --note 'mcp clients'"
    "dcrctl token create --expires-at 2099-01-01 --max-uses 100"
    "dcrctl token list --status active,used-up"
    "dcrctl token revoke iat_vTEzoTnpWs"
};

pub(crate) const ADMIN: &str = examples! {
    "# The password is asked for twice, hidden"
    "dcrctl admin add alice"
    "printf '%s' \"$PASSWORD\" | dcrctl admin add ci-bot --password-stdin"
    "dcrctl admin passwd alice"
    "dcrctl --yes admin remove ci-bot"
};

pub(crate) const PRUNE: &str = examples! {
    "# What would go, deleting nothing"
    "dcrctl prune --expired-for 30d --unused-for 90d --dry-run"
    "# From cron: also audit entries older than a year"
    "dcrctl --yes prune --expired-for 30d --unused-for 90d --keep-events 365d"
};

pub(crate) const APPLY: &str = examples! {
    "dcrctl apply --dry-run clients.json"
    "dcrctl apply clients.json"
    "# Also delete the clients that are not in the file"
    "dcrctl --yes apply --prune clients.json"
};

pub(crate) const EXPORT: &str = examples! {
    "dcrctl export > clients.json"
    "dcrctl export | dcrctl --db other.db apply -"
};

pub(crate) const EVENTS: &str = examples! {
    "dcrctl events --limit 20"
    "dcrctl events --client billing --since 7d"
    "# November, half-open: from its first second up to, not at, December's"
    "dcrctl -o json events --since 2026-11-01 --until 2026-12-01"
    "dcrctl events --action delete,prune"
};

pub(crate) const DB: &str = examples! {
    "dcrctl db check"
    "dcrctl db backup /backups/clients.db"
    "dcrctl db copy clients.db postgres://dcrctl@db.example/registry"
};

pub(crate) const SERVE: &str = examples! {
    "dcrctl serve --listen 127.0.0.1:8080 --issuer https://auth.example.com"
    "dcrctl serve --issuer https://auth.example.com --path-prefix /oauth"
};

pub(crate) const COMPLETIONS: &str = examples! {
    "dcrctl completions zsh > ~/.zfunc/_dcrctl"
    "# Completion of client ids too, from the database (in ~/.bashrc)"
    "source <(dcrctl completions bash --dynamic)"
};

pub(crate) const MAN: &str = examples! {
    "dcrctl man | man -l -"
    "dcrctl man --out-dir ~/.local/share/man/man1"
};

/// Every command's examples, for the test that parses them.
#[cfg(test)]
const ALL: &[&str] = &[
    REGISTER,
    SHOW,
    LIST,
    UPDATE,
    DELETE,
    ROTATE_SECRET,
    ROTATE_TOKEN,
    VERIFY_SECRET,
    TOKEN,
    ADMIN,
    PRUNE,
    APPLY,
    EXPORT,
    EVENTS,
    DB,
    SERVE,
    COMPLETIONS,
    MAN,
];

#[cfg(test)]
mod tests {
    use super::ALL;
    use crate::cli::Cli;
    use clap::Parser;

    /// The `dcrctl …` commands of an examples section: continued lines joined, and each
    /// command cut where a pipe, redirection or `&&` ends it.
    fn commands(examples: &str) -> Vec<String> {
        let joined = examples.replace("\\\n", " ");
        joined
            .lines()
            .flat_map(|line| line.split(" | "))
            .map(str::trim)
            .filter(|part| part.starts_with("dcrctl "))
            .map(|part| {
                let end = [" > ", " && "]
                    .iter()
                    .filter_map(|stop| part.find(stop))
                    .min()
                    .unwrap_or(part.len());
                part[..end].to_owned()
            })
            .collect()
    }

    /// Shell words, with '…' and "…" quoting (no expansion: `$X` stays as written).
    fn words(command: &str) -> Vec<String> {
        let mut words = Vec::new();
        let (mut word, mut quote, mut started) = (String::new(), None, false);
        for c in command.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), c) => word.push(c),
                (None, '\'' | '"') => {
                    quote = Some(c);
                    started = true;
                }
                (None, ' ') => {
                    if started || !word.is_empty() {
                        words.push(std::mem::take(&mut word));
                    }
                    started = false;
                }
                (None, c) => word.push(c),
            }
        }
        if started || !word.is_empty() {
            words.push(word);
        }
        words
    }

    #[test]
    fn every_example_parses() {
        let mut seen = 0;
        for examples in ALL {
            assert!(examples.starts_with("\x1b[1m\x1b[4mExamples:"));
            for command in commands(examples) {
                seen += 1;
                if let Err(error) = Cli::try_parse_from(words(&command)) {
                    panic!("example `{command}` does not parse:\n{error}");
                }
            }
        }
        assert!(seen >= 40, "only {seen} examples found");
    }

    #[test]
    fn examples_fit_an_80_column_terminal() {
        for line in ALL.iter().flat_map(|examples| examples.lines()).skip(1) {
            assert!(line.chars().count() <= 80, "too wide: {line}");
        }
    }
}

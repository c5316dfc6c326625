//! Arguments shared by several commands: the metadata flags of `register` and `update`,
//! metadata files, durations and points in time.

use super::complete;
use crate::registration::{parse_document, MetadataDoc, MetadataError, MAX_INPUT_BYTES};
use crate::time::Lifetime;
use anyhow::Context;
use clap::Args;
use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Client metadata as flags; each one given sets that RFC 7591 field.
#[derive(Debug, Clone, Default, Args)]
pub(crate) struct MetadataArgs {
    /// Human-readable client name (client_name)
    #[arg(long, value_name = "NAME")]
    pub(crate) client_name: Option<String>,

    /// A redirect URI (repeatable)
    #[arg(long = "redirect-uri", value_name = "URI")]
    pub(crate) redirect_uri: Vec<String>,

    /// Several redirect URIs at once, as Django's command takes them
    #[arg(long = "redirect-uris", value_name = "URI", num_args = 1..)]
    pub(crate) redirect_uris: Vec<String>,

    /// A grant type (repeatable or comma-separated) [default: authorization_code]
    #[arg(long = "grant-type", value_name = "GRANT", value_delimiter = ',', value_parser = complete::grant_types(), hide_possible_values = true)]
    pub(crate) grant_type: Vec<String>,

    /// A response type (repeatable or comma-separated) [default: implied by the grant types]
    #[arg(long = "response-type", value_name = "TYPE", value_delimiter = ',', value_parser = complete::response_types(), hide_possible_values = true)]
    pub(crate) response_type: Vec<String>,

    /// Space-separated scopes the client may request
    #[arg(long, value_name = "SCOPES")]
    pub(crate) scope: Option<String>,

    /// How the client authenticates [default: client_secret_basic]
    #[arg(long, value_name = "METHOD", value_parser = complete::auth_methods())]
    pub(crate) token_endpoint_auth_method: Option<String>,

    /// Kind of client; native apps follow the redirect rules of RFC 8252 [default: web]
    #[arg(long, value_name = "TYPE", value_parser = complete::application_types())]
    pub(crate) application_type: Option<String>,

    /// A contact e-mail address (repeatable)
    #[arg(long = "contact", value_name = "EMAIL")]
    pub(crate) contact: Vec<String>,

    /// Home page of the client
    #[arg(long, value_name = "URI")]
    pub(crate) client_uri: Option<String>,

    /// Logo of the client
    #[arg(long, value_name = "URI")]
    pub(crate) logo_uri: Option<String>,

    /// Terms of service
    #[arg(long, value_name = "URI")]
    pub(crate) tos_uri: Option<String>,

    /// Privacy policy
    #[arg(long, value_name = "URI")]
    pub(crate) policy_uri: Option<String>,

    /// URL of the client's JSON Web Key Set
    #[arg(long, value_name = "URI")]
    pub(crate) jwks_uri: Option<String>,

    /// File holding the client's JSON Web Key Set (jwks)
    #[arg(long, value_name = "FILE")]
    pub(crate) jwks_file: Option<PathBuf>,

    /// Identifier of the client software
    #[arg(long, value_name = "ID")]
    pub(crate) software_id: Option<String>,

    /// Version of the client software
    #[arg(long, value_name = "VERSION")]
    pub(crate) software_version: Option<String>,

    /// Let the authorization server skip the consent screen (true when given without a value)
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub(crate) skip_authorization: Option<bool>,
}

impl MetadataArgs {
    /// The fields given as flags, as a document to lay over a file or a stored client.
    pub(crate) fn to_doc(&self) -> anyhow::Result<MetadataDoc> {
        let mut doc = MetadataDoc::new();
        let mut set = |key: &str, value: Value| {
            doc.insert(key.to_owned(), value);
        };
        let list =
            |items: &[String]| Value::Array(items.iter().cloned().map(Value::String).collect());
        let uris: Vec<String> = self
            .redirect_uri
            .iter()
            .chain(&self.redirect_uris)
            .cloned()
            .collect();
        if !uris.is_empty() {
            set("redirect_uris", list(&uris));
        }
        let texts = [
            ("client_name", &self.client_name),
            ("scope", &self.scope),
            (
                "token_endpoint_auth_method",
                &self.token_endpoint_auth_method,
            ),
            ("application_type", &self.application_type),
            ("client_uri", &self.client_uri),
            ("logo_uri", &self.logo_uri),
            ("tos_uri", &self.tos_uri),
            ("policy_uri", &self.policy_uri),
            ("jwks_uri", &self.jwks_uri),
            ("software_id", &self.software_id),
            ("software_version", &self.software_version),
        ];
        for (key, value) in texts {
            if let Some(value) = value {
                set(key, Value::String(value.clone()));
            }
        }
        for (key, values) in [
            ("grant_types", &self.grant_type),
            ("response_types", &self.response_type),
            ("contacts", &self.contact),
        ] {
            if !values.is_empty() {
                set(key, list(values));
            }
        }
        if let Some(skip) = self.skip_authorization {
            set("skip_authorization", Value::Bool(skip));
        }
        if let Some(path) = &self.jwks_file {
            set("jwks", Value::Object(read_jwks_file(path)?));
        }
        Ok(doc)
    }
}

/// Read a metadata document from a file, or stdin for `-`.
pub(crate) fn read_metadata_file(path: &Path) -> anyhow::Result<MetadataDoc> {
    let limit = read_limit();
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin()
            .take(limit)
            .read_to_end(&mut bytes)
            .context("reading metadata from stdin")?;
    } else {
        std::fs::File::open(path)
            .and_then(|file| file.take(limit).read_to_end(&mut bytes))
            .with_context(|| format!("--metadata-file {}", path.display()))?;
    }
    Ok(parse_document(&bytes).map_err(crate::Error::from)?)
}

/// Read a JSON Web Key Set (a JSON object) with the same limits and strict parsing as a
/// metadata document: at most 64 KiB of JSON, no duplicate keys.
fn read_jwks_file(path: &Path) -> anyhow::Result<MetadataDoc> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(read_limit()).read_to_end(&mut bytes))
        .with_context(|| format!("--jwks-file {}", path.display()))?;
    parse_document(&bytes).map_err(|e| {
        let error = MetadataError::metadata("jwks", format!("--jwks-file {}", e.rule));
        crate::Error::from(error).into()
    })
}

/// How much of a document to read: one byte over [`MAX_INPUT_BYTES`], so an oversized one is
/// refused rather than silently truncated. More than 64 KiB: whitespace (a pretty-printed
/// `show -o json`) does not count against the document limit, which `parse_document` applies.
fn read_limit() -> u64 {
    u64::try_from(MAX_INPUT_BYTES).unwrap_or(u64::MAX) + 1
}

/// The longest secret or password read from stdin. Generated secrets are 50 bytes; this
/// leaves room for any passphrase while a longer input is refused, never truncated.
pub(crate) const MAX_SECRET_BYTES: usize = 64 * 1024;

/// Read a secret or password from stdin, stripping one trailing newline.
///
/// # Errors
/// A usage error (exit 2) when the input is longer than [`MAX_SECRET_BYTES`] or not UTF-8;
/// an I/O error when stdin cannot be read.
pub(crate) fn read_secret_stdin(what: &str) -> anyhow::Result<String> {
    Ok(try_read_secret_stdin(what)?.map_err(crate::Error::usage)?)
}

/// Read a secret or password from stdin, stripping one trailing newline: `Ok(Err(reason))`
/// when the input can be no secret at all (too long, not UTF-8), for callers that reject
/// such input rather than call it a usage error.
///
/// # Errors
/// I/O errors reading stdin.
pub(crate) fn try_read_secret_stdin(what: &str) -> anyhow::Result<Result<String, String>> {
    // Two bytes of room for the CRLF that is stripped, one more to see an overlong input.
    let room = u64::try_from(MAX_SECRET_BYTES).unwrap_or(u64::MAX) + 3;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(room)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading the {what} from stdin"))?;
    Ok(secret_text(bytes, what))
}

/// The secret in `bytes` without one trailing newline, or why there is none.
fn secret_text(mut bytes: Vec<u8>, what: &str) -> Result<String, String> {
    if bytes.ends_with(b"\n") {
        bytes.pop();
        if bytes.ends_with(b"\r") {
            bytes.pop();
        }
    }
    if bytes.len() > MAX_SECRET_BYTES {
        return Err(format!(
            "the {what} on stdin is larger than {MAX_SECRET_BYTES} bytes"
        ));
    }
    String::from_utf8(bytes).map_err(|_| format!("the {what} on stdin is not valid UTF-8"))
}

/// Read all of `input`, refusing it with a usage error (exit 2) once it proves longer than
/// `limit` bytes, so an endless input (`/dev/zero`) cannot exhaust memory. `what` names the
/// input in messages.
///
/// # Errors
/// A usage error when the input is too large; an I/O error when it cannot be read.
pub(crate) fn read_at_most(input: impl Read, limit: u64, what: &str) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    input
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .with_context(|| what.to_owned())?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        return Err(crate::Error::usage(format!("{what}: is larger than {limit} bytes")).into());
    }
    Ok(bytes)
}

/// The longest duration any flag takes: 100 years (of 365.25 days, as `humantime` counts
/// them). Longer lifetimes are meaningless and would put expiry times past what RFC 3339 and
/// the table output can show.
const MAX_DURATION: Duration = Duration::from_secs(100 * 31_557_600);

/// A duration such as `90s`, `1h`, `7d`, `1h 30m`; at most 100 years.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let duration =
        humantime::parse_duration(text).map_err(|e| format!("{e} (use e.g. 30m, 12h, 7d)"))?;
    if duration > MAX_DURATION {
        return Err("must be at most 100y".to_owned());
    }
    Ok(duration)
}

/// A point in time, as every time filter takes one: an RFC 3339 time (any offset,
/// fractional seconds, lowercase `t`/`z`), a date (midnight UTC), or a duration meaning that
/// long ago (`7d`). Returns Unix seconds.
pub(crate) fn parse_time(text: &str) -> Result<i64, String> {
    crate::time::parse(text).or_else(|expected| match parse_duration(text) {
        Ok(ago) => Ok(crate::time::before(crate::time::now(), ago)),
        Err(_) => Err(expected),
    })
}

/// When a credential expires, as every `--…-expires-at` flag takes it: an RFC 3339 time or a
/// date (not a duration: that is `--…-expires-in`), which must be in the future.
pub(crate) fn parse_expiry(text: &str) -> Result<i64, String> {
    let at = crate::time::parse(text).map_err(|_| {
        "expected an RFC 3339 time (2026-01-31T12:00:00Z, any offset) or a date (2026-01-31)"
            .to_owned()
    })?;
    if at <= crate::time::now() {
        return Err(format!("{} is not in the future", crate::time::format(at)));
    }
    Ok(at)
}

/// The lifetime a pair of `--…-expires-in DURATION` / `--…-expires-at TIME` flags gives
/// (clap lets at most one through).
pub(crate) fn lifetime(expires_in: Option<Duration>, expires_at: Option<i64>) -> Option<Lifetime> {
    expires_in
        .map(Lifetime::For)
        .or(expires_at.map(Lifetime::Until))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(7 * 86400)));
        assert!(parse_duration("soon").is_err());
        assert_eq!(parse_duration("100y"), Ok(MAX_DURATION));
        assert_eq!(
            parse_duration("100y 1s"),
            Err("must be at most 100y".to_owned())
        );
        assert!(parse_duration("10000000y").is_err());
    }

    #[test]
    fn secrets_lose_one_newline_and_are_bounded() {
        let text = |bytes: &[u8]| secret_text(bytes.to_vec(), "secret");
        assert_eq!(text(b"s3cret\r\n"), Ok("s3cret".to_owned()));
        assert_eq!(text(b"s3cret\n\n"), Ok("s3cret\n".to_owned()));
        let most = vec![b's'; MAX_SECRET_BYTES];
        assert_eq!(
            text(&[most.as_slice(), b"\r\n"].concat()).map(|s| s.len()),
            Ok(MAX_SECRET_BYTES)
        );
        assert!(text(&[most.as_slice(), b"s"].concat())
            .unwrap_err()
            .contains("larger than 65536 bytes"));
        assert!(text(b"caf\xe9").unwrap_err().contains("not valid UTF-8"));
    }

    #[test]
    fn bounded_reads_refuse_rather_than_truncate() {
        assert_eq!(read_at_most(&b"1234"[..], 4, "f").unwrap(), b"1234");
        let error = read_at_most(std::io::repeat(0), 4, "f").unwrap_err();
        assert_eq!(error.to_string(), "f: is larger than 4 bytes");
        assert_eq!(crate::cli::exit_code(&error).code(), 2);
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("1970-01-02T00:00:00Z"), Ok(86400));
        assert_eq!(parse_time("1970-01-02T01:00:00+01:00"), Ok(86400));
        assert_eq!(parse_time("1970-01-02t00:00:00.5z"), Ok(86400));
        assert_eq!(parse_time("1970-01-02"), Ok(86400));
        let week_ago = parse_time("7d").unwrap();
        let expected = crate::time::now() - 7 * 86400;
        assert!((week_ago - expected).abs() <= 2);
        assert!(parse_time("1h 30m").is_ok());
        assert!(parse_time("yesterday")
            .unwrap_err()
            .contains("or a duration ago (7d)"));
    }

    #[test]
    fn expiry_times_are_absolute_and_in_the_future() {
        assert_eq!(parse_expiry("9999-01-01"), Ok(253_370_764_800));
        assert_eq!(
            parse_expiry("2020-01-01T00:00:00+01:00"),
            Err("2019-12-31T23:00:00Z is not in the future".to_owned())
        );
        assert!(parse_expiry("7d")
            .unwrap_err()
            .starts_with("expected an RFC 3339"));
        assert_eq!(lifetime(None, Some(5)), Some(Lifetime::Until(5)));
        assert_eq!(
            lifetime(Some(Duration::from_secs(5)), None),
            Some(Lifetime::For(Duration::from_secs(5)))
        );
        assert_eq!(lifetime(None, None), None);
    }
}

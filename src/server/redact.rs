//! What the access log may say about a request: its path with anything shaped like a
//! credential replaced by `<redacted>` (SPEC §2: no secret or token in any log line). The
//! query string is never logged at all (`?password=hunter2` is a secret no shape reveals).
//!
//! Tokens belong in the `Authorization` header, which is never logged either, but clients put
//! them in paths too (`GET /register/dcrrat_…` by mistake). A path segment, or a non-standard
//! method, is redacted when, after percent-decoding:
//!
//! * it contains one of our prefixes (`dcrsec_`, `dcrrat_`, `dcriat_`, or any `dcr???_`, in
//!   any case), or decodes from base64 / base64url to something that does (an initial access
//!   token is accepted base64-encoded, SPEC §5);
//! * it looks random and long: at least [`RANDOM_LOOKING_CHARS`] characters of the base64
//!   and base64url alphabets mixing upper case, lower case and digits (a token stripped of
//!   its prefix, any base64 credential). Generated client ids (30 characters) stay readable.

use std::borrow::Cow;

/// What replaces a redacted part.
const REDACTED: &str = "<redacted>";

/// The shortest run of base64-alphabet characters treated as a random token: longer than a
/// generated client id (30), shorter than a token's random part (43).
const RANDOM_LOOKING_CHARS: usize = 32;

/// `path` with every credential-shaped segment redacted.
pub(super) fn path(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if looks_like_credential(&percent_decode(segment)) {
                REDACTED
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The method as logged: a standard one as is, an extension method (any token, even one
/// that is a credential) only when it does not look like one.
pub(super) fn method(method: &axum::http::Method) -> &str {
    let text = method.as_str();
    if looks_like_credential(text) {
        REDACTED
    } else {
        text
    }
}

/// Whether `text` holds one of our prefixes, a base64 form of one, or a long random run.
fn looks_like_credential(text: &str) -> bool {
    has_prefix(text.as_bytes())
        || random_runs(text).any(|run| {
            run.len() >= RANDOM_LOOKING_CHARS && mixes_classes(run)
                || decode_base64(run).is_some_and(|bytes| has_prefix(&bytes))
        })
}

/// Whether `bytes` contain `dcr`, three ASCII letters and `_`, in any case: the shape of
/// every prefix in [`crate::credentials`].
fn has_prefix(bytes: &[u8]) -> bool {
    bytes.windows(7).any(|window| {
        window[..3].eq_ignore_ascii_case(b"dcr")
            && window[3..6].iter().all(u8::is_ascii_alphabetic)
            && window[6] == b'_'
    })
}

/// The maximal runs of base64 / base64url alphabet characters in `text` (`=` included).
fn random_runs(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '-' | '_' | '=')))
        .filter(|run| !run.is_empty())
}

fn mixes_classes(run: &str) -> bool {
    run.bytes().any(|b| b.is_ascii_uppercase())
        && run.bytes().any(|b| b.is_ascii_lowercase())
        && run.bytes().any(|b| b.is_ascii_digit())
}

/// `run` decoded as base64 or base64url, padding optional; `None` when it is neither. Only
/// runs long enough to hold a prefix (7 bytes: 10 characters) are tried.
fn decode_base64(run: &str) -> Option<Vec<u8>> {
    let body = run.trim_end_matches('=');
    if body.len() < 10 || body.len() % 4 == 1 {
        return None;
    }
    let value = |c: u8| -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        }))
    };
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    for chunk in body.as_bytes().chunks(4) {
        let mut bits = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            bits |= value(*c)? << (18 - 6 * i);
        }
        out.extend_from_slice(&bits.to_be_bytes()[1..chunk.len()]);
    }
    Some(out)
}

/// Percent-decoding of a path segment (lossy: what is not UTF-8 is replaced); a `%` not
/// followed by two hex digits stays as is.
fn percent_decode(text: &str) -> Cow<'_, str> {
    if !text.contains('%') {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "dcrrat_q7Wm2ZkR9xTbL4vNc8YhE1uPjG6sAf3DoK0iXyQ5rBt";

    fn b64(bytes: &[u8]) -> String {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let mut bits = 0u32;
            for (i, b) in chunk.iter().enumerate() {
                bits |= u32::from(*b) << (16 - 8 * i);
            }
            for i in 0..=chunk.len() {
                out.push(char::from(ALPHABET[((bits >> (18 - 6 * i)) & 63) as usize]));
            }
        }
        while out.len() % 4 != 0 {
            out.push('=');
        }
        out
    }

    #[test]
    fn paths_lose_tokens_and_keep_client_ids() {
        let id = "1Zx8Kq0aQ3nR7tYb2Lm9Wc4Vd5Ef6G";
        assert_eq!(id.len(), 30);
        assert_eq!(path(&format!("/register/{id}")), format!("/register/{id}"));
        assert_eq!(
            path(&format!("/register/{id}/secret")),
            format!("/register/{id}/secret")
        );
        assert_eq!(path("/healthz"), "/healthz");
        assert_eq!(
            path("/register/my-service.prod"),
            "/register/my-service.prod"
        );
        for hidden in [
            TOKEN.to_owned(),
            TOKEN.to_uppercase(),
            format!("x.{TOKEN}"),
            "dcrsec_short".to_owned(),
            format!("%64crrat_{}", &TOKEN[7..]),
            format!("dcr%72at_{}", &TOKEN[7..]),
            TOKEN[7..].to_owned(),
            b64(TOKEN.as_bytes()),
            b64(TOKEN.as_bytes()).replace('+', "-").replace('/', "_"),
            b64(b"dcriat_x"),
        ] {
            let logged = path(&format!("/register/{hidden}/secret"));
            assert_eq!(logged, "/register/<redacted>/secret", "{hidden}");
        }
    }

    #[test]
    fn methods() {
        assert_eq!(method(&axum::http::Method::GET), "GET");
        let odd = axum::http::Method::from_bytes(TOKEN.as_bytes()).unwrap();
        assert_eq!(method(&odd), "<redacted>");
    }

    #[test]
    fn percent_decoding_is_total() {
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%zz%41"), "%zzA");
        assert_eq!(percent_decode("%ff"), "\u{fffd}");
    }
}

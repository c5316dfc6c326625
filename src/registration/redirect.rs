//! URI rules: redirect URIs for web and native clients (RFC 8252) and the https-only
//! informational URIs (`client_uri`, `logo_uri`, …).
//!
//! Loopback is decided on the host exactly as written, not on what a URL parser normalises it
//! to: `http://0x7f.1/` or `http://127.0.0.%31/` parse to 127.0.0.1 in WHATWG parsers but are
//! not what an authorization server comparing strings will see, so they are refused.

use super::metadata::ApplicationType;
use std::borrow::Cow;
use url::Url;

const NEVER_SCHEMES: &[&str] = &["javascript", "data", "file", "vbscript"];

/// The rule a URI broke, phrased to complete "field: …"; fixed text but for the scheme
/// named in one of them.
pub(super) type BrokenRule = Cow<'static, str>;

/// Check one redirect URI; `Err` holds the rule it broke.
pub(super) fn check_redirect_uri(raw: &str, app: ApplicationType) -> Result<(), BrokenRule> {
    let url = parse_absolute(raw)?;
    if raw.contains('#') {
        return Err("must not contain a fragment".into());
    }
    let loopback = is_literal_loopback(raw, &url);
    match (app, url.scheme()) {
        (_, "https") => Ok(()),
        (_, "http") if loopback => Ok(()),
        (ApplicationType::Web, "http") => {
            Err("web clients may use http only on loopback (127.0.0.1, [::1], localhost)".into())
        }
        (ApplicationType::Web, _) => Err("web clients need an https redirect URI".into()),
        (ApplicationType::Native, "http") => {
            Err("native clients may use http only on loopback (RFC 8252 §7.3)".into())
        }
        (ApplicationType::Native, scheme) if scheme.contains('.') => Ok(()),
        (ApplicationType::Native, _) => Err(
            "native clients need loopback http, https, or a private-use scheme containing a dot \
             (RFC 8252 §7.1)"
                .into(),
        ),
    }
}

/// Check an informational URI field: absolute https, or http on loopback.
pub(super) fn check_https_uri(raw: &str) -> Result<(), BrokenRule> {
    let url = parse_absolute(raw)?;
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_literal_loopback(raw, &url) => Ok(()),
        _ => Err("must be an https URI (http only on loopback)".into()),
    }
}

fn parse_absolute(raw: &str) -> Result<Url, BrokenRule> {
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must not contain whitespace or control characters".into());
    }
    let url = Url::parse(raw).map_err(|_| Cow::Borrowed("must be an absolute URI"))?;
    if NEVER_SCHEMES.contains(&url.scheme()) {
        return Err(format!("the {}: scheme is never allowed", url.scheme()).into());
    }
    if !url.username().is_empty() || url.password().is_some() || raw_authority(raw).contains('@') {
        return Err("must not contain userinfo (user@host)".into());
    }
    // WHATWG parsers repair `https:host`, `https:///host` and `https:\\host` into a host the
    // author never wrote; an authorization server comparing strings would not.
    if matches!(url.scheme(), "http" | "https") {
        let written = raw
            .get(url.scheme().len()..)
            .is_some_and(|rest| rest.starts_with("://"));
        if !written || raw_authority(raw).is_empty() || raw.contains('\\') {
            return Err("must be scheme://host/… with the host written out".into());
        }
    }
    Ok(url)
}

/// The authority as written: between `scheme://` and the next `/`, `?` or `#`.
fn raw_authority(raw: &str) -> &str {
    let Some((_, rest)) = raw.split_once("://") else {
        return "";
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    &rest[..end]
}

fn is_literal_loopback(raw: &str, url: &Url) -> bool {
    let authority = raw_authority(raw);
    let host = if authority.starts_with('[') {
        authority
            .find(']')
            .map_or(authority, |end| &authority[..=end])
    } else {
        authority
            .rsplit_once(':')
            .map_or(authority, |(host, _)| host)
    };
    let literal = host.eq_ignore_ascii_case("localhost") || host == "127.0.0.1" || host == "[::1]";
    let parsed = url.host_str().unwrap_or_default();
    literal && parsed.eq_ignore_ascii_case(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationType::{Native, Web};

    #[test]
    fn web_accepts_https_and_loopback_http() {
        for ok in [
            "https://app.example.com/callback",
            "https://app.example.com:8443/cb?x=1",
            "http://127.0.0.1:8080/cb",
            "http://localhost/cb",
            "http://LOCALHOST:1/cb",
            "http://[::1]:9/cb",
        ] {
            assert_eq!(check_redirect_uri(ok, Web), Ok(()), "{ok}");
        }
    }

    #[test]
    fn web_refuses_everything_else() {
        for bad in [
            "http://app.example.com/cb",
            "http://localhost.evil.com/cb",
            "http://127.0.0.1.evil.com/cb",
            "http://0x7f.0.0.1/cb",
            "http://2130706433/cb",
            "http://127.0.0.%31/cb",
            "com.example.app:/cb",
            "https://app.example.com/cb#frag",
            "https://user:pw@app.example.com/cb",
            "https://@app.example.com/cb",
            "javascript:alert(1)",
            "JavaScript://x/%0aalert(1)",
            "data:text/html,hi",
            "file:///etc/passwd",
            "vbscript:msgbox",
            "/relative/cb",
            "https://app.example.com/a b",
            "https:///nohost",
            "",
        ] {
            assert!(check_redirect_uri(bad, Web).is_err(), "{bad}");
        }
    }

    #[test]
    fn native_follows_rfc8252() {
        for ok in [
            "http://127.0.0.1:51234/cb",
            "http://[::1]/cb",
            "https://app.example.com/cb",
            "com.example.app:/oauth2redirect",
            "com.example.app:/cb",
        ] {
            assert_eq!(check_redirect_uri(ok, Native), Ok(()), "{ok}");
        }
        for bad in [
            "myapp:/cb",
            "http://example.com/cb",
            "javascript:x",
            "com.example.app:/cb#f",
        ] {
            assert!(check_redirect_uri(bad, Native).is_err(), "{bad}");
        }
    }

    #[test]
    fn informational_uris_are_https() {
        assert_eq!(check_https_uri("https://example.com/logo.png"), Ok(()));
        assert_eq!(check_https_uri("http://localhost:3000/tos"), Ok(()));
        assert!(check_https_uri("http://example.com/tos").is_err());
        assert!(check_https_uri("ftp://example.com/tos").is_err());
        assert!(check_https_uri("not a uri").is_err());
    }
}

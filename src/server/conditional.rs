//! The headers of client information responses (RFC 7592, RFC 9110): `Cache-Control:
//! no-store` and `Pragma: no-cache` on all of them, an `ETag` from the client's revision (or
//! a list's), and the `If-Match` list that `PUT` and `DELETE` honour.

use crate::model::Client;
use crate::registration::ClientInformation;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

pub(super) fn no_store() -> [(header::HeaderName, HeaderValue); 2] {
    [
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (header::PRAGMA, HeaderValue::from_static("no-cache")),
    ]
}

/// §4 JSON with the headers every client information response has.
pub(super) fn client_response(
    status: StatusCode,
    information: &ClientInformation,
    revision: i64,
) -> Response {
    let etag = HeaderValue::from_str(&format!("\"r{revision}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("\"r0\""));
    let mut response = (status, no_store(), Json(information)).into_response();
    response.headers_mut().insert(header::ETAG, etag);
    response
}

/// An entity tag for a list of clients: changes whenever the set of clients or any of their
/// revisions does (FNV-1a over ids and revisions; a cache validator, not a security check).
pub(super) fn list_etag(clients: &[Client]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for client in clients {
        for byte in client
            .client_id
            .bytes()
            .chain(client.revision.to_le_bytes())
            .chain([0])
        {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("\"l{hash:016x}\"")
}

/// The revisions an `If-Match` header accepts (RFC 9110 §13.1.1): `None` without the header
/// or for `*` (the client exists, or the request is refused for that anyway). Otherwise the
/// condition holds when any listed entity tag matches the client's, by strong comparison:
/// only a strong tag of ours (`"r<revision>"`, exactly as an `ETag` spells it) names a
/// revision; weak tags (`W/"r3"`) and foreign ones name none. Several `If-Match` field lines
/// make one list (RFC 9110 §5.3). A value that is not a valid `If-Match` list (`*` beside
/// tags, an unquoted tag) can be proved true of nothing: it matches no revision, so the
/// change is refused, never made unconditionally. The `412` comes only after the credential
/// was accepted (RFC 9110 §13.2.1: a request that would be refused anyway gets that refusal,
/// not a precondition failure).
pub(super) fn if_match(headers: &HeaderMap) -> Option<Vec<i64>> {
    let mut lines = headers.get_all(header::IF_MATCH).iter();
    let first = lines.next()?;
    let mut list = first.as_bytes().to_vec();
    for line in lines {
        list.extend_from_slice(b", ");
        list.extend_from_slice(line.as_bytes());
    }
    if list.trim_ascii() == b"*" {
        return None;
    }
    let Some(tags) = entity_tags(&list) else {
        return Some(Vec::new());
    };
    let revisions = tags
        .into_iter()
        .filter_map(|(weak, opaque)| if weak { None } else { revision_of_tag(opaque) })
        .collect();
    Some(revisions)
}

/// A list of entity tags (RFC 9110 §8.8.3, §5.6.1): `(weak, opaque-tag without its quotes)`
/// per element; empty elements are allowed and skipped. `None` when the list is invalid.
fn entity_tags(list: &[u8]) -> Option<Vec<(bool, &[u8])>> {
    let is_ows = |b: &u8| matches!(b, b' ' | b'\t');
    let is_etagc = |b: &u8| matches!(b, 0x21 | 0x23..=0x7E | 0x80..=0xFF);
    let mut tags = Vec::new();
    let mut rest = list;
    loop {
        while let Some((first, tail)) = rest.split_first() {
            if is_ows(first) || *first == b',' {
                rest = tail;
            } else {
                break;
            }
        }
        if rest.is_empty() {
            return Some(tags);
        }
        let (weak, tag) = match rest.strip_prefix(b"W/") {
            Some(tag) => (true, tag),
            None => (false, rest),
        };
        let tag = tag.strip_prefix(b"\"")?;
        let end = tag.iter().position(|b| !is_etagc(b))?;
        if tag[end] != b'"' {
            return None;
        }
        tags.push((weak, &tag[..end]));
        rest = &tag[end + 1..];
        while let Some((first, tail)) = rest.split_first() {
            if is_ows(first) {
                rest = tail;
            } else {
                break;
            }
        }
        match rest.split_first() {
            None => return Some(tags),
            Some((b',', tail)) => rest = tail,
            Some(_) => return None,
        }
    }
}

/// The revision an opaque tag of ours names: `r` and the revision in canonical decimal, as
/// [`client_response`] writes it (strong comparison is byte for byte, so `r06` is not `r6`).
fn revision_of_tag(opaque: &[u8]) -> Option<i64> {
    let digits = std::str::from_utf8(opaque.strip_prefix(b"r")?).ok()?;
    let revision = digits.parse::<i64>().ok()?;
    (revision > 0 && revision.to_string() == digits).then_some(revision)
}

#[cfg(test)]
mod tests {
    use super::if_match;
    use axum::http::{header, HeaderMap, HeaderValue};

    #[test]
    fn if_match_values() {
        let bytes = |value: &[u8]| {
            let mut headers = HeaderMap::new();
            headers.append(header::IF_MATCH, HeaderValue::from_bytes(value).unwrap());
            if_match(&headers)
        };
        let check = |values: &[&str]| {
            let mut headers = HeaderMap::new();
            for value in values {
                headers.append(header::IF_MATCH, HeaderValue::from_str(value).unwrap());
            }
            if_match(&headers)
        };
        assert_eq!(check(&[]), None);
        assert_eq!(check(&["*"]), None);
        assert_eq!(check(&[" * "]), None);
        assert_eq!(check(&["\"r12\""]), Some(vec![12]));
        assert_eq!(check(&[" \"r3\" "]), Some(vec![3]));
        // RFC 9110 §13.1.1: any listed tag may match; weak and foreign tags name nothing.
        assert_eq!(check(&["\"r6\", \"r999\""]), Some(vec![6, 999]));
        assert_eq!(check(&["\"r6\",\"r7\""]), Some(vec![6, 7]));
        assert_eq!(check(&["W/\"r6\", \"r7\""]), Some(vec![7]));
        assert_eq!(check(&["\"x,y\", \t\"r2\" ,, "]), Some(vec![2]));
        assert_eq!(check(&[",\"r2\""]), Some(vec![2]));
        assert_eq!(bytes(b"\"\xff\", \"r2\""), Some(vec![2]));
        // Several field lines are one list.
        assert_eq!(check(&["\"r1\"", "\"r5\""]), Some(vec![1, 5]));
        // Weak tags, strangers and invalid lists can match nothing: 412, once the
        // credential passed.
        for stale in [
            "W/\"r3\"",
            "w/\"r3\"",
            "r3",
            "\"x\"",
            "",
            "\"r03\"",
            "\"r+3\"",
            "\"r0\"",
            "\"r-1\"",
            "\"r99999999999999999999\"",
            "*, \"r3\"",
            "\"r3\" \"r4\"",
            "\"r3",
            "\"r 3\"",
        ] {
            assert_eq!(check(&[stale]), Some(vec![]), "{stale}");
        }
        assert_eq!(check(&["*", "\"r3\""]), Some(vec![]));
        assert_eq!(check(&["\"r3\"", "r4"]), Some(vec![]));
    }
}

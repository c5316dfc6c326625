//! Initial access tokens (RFC 7591 §3): who may register clients over HTTP without an
//! admin account.
//!
//! Minted and revoked only here, by the command line, and consumed by the server in the
//! transaction that inserts the client they admit. A token is 256 random bits, shown once and
//! stored as its SHA-256. Every change is one transaction with its audit row; no token
//! reaches the log.

use super::{delivered, Actor, Deliver, Store};
use crate::credentials::{self, Secret, INITIAL_ACCESS_TOKEN_PREFIX};
use crate::model::Action;
use crate::store::Tx;
use crate::{time, Error, Result};
use serde_json::json;
/// Prefix of the public ids of initial access tokens, which `token list` shows and `token
/// revoke` takes.
pub const TOKEN_ID_PREFIX: &str = "iat_";

/// Random alphanumerics after [`TOKEN_ID_PREFIX`]: about 59 bits, plenty for an id that is
/// not a secret.
const TOKEN_ID_CHARS: usize = 10;

/// What `token create` asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateToken {
    /// Lifetime; the token never expires when `None`.
    pub expires_in: Option<crate::time::Lifetime>,
    /// How many registrations it allows; unlimited when `None`. Must not be 0.
    pub max_uses: Option<u64>,
    /// Free text saying what the token is for.
    pub note: Option<String>,
}

/// A newly minted initial access token: the only time its plaintext exists.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    /// The public id that `token list` shows and `token revoke` takes.
    pub token_id: String,
    /// The token itself, for `Authorization: Bearer …`; never shown again.
    pub token: Secret,
    /// Unix seconds; 0 = never.
    pub expires_at: i64,
    /// How many registrations it allows; `None` = unlimited.
    pub max_uses: Option<u64>,
    /// The note given at creation.
    pub note: Option<String>,
}

/// Whether an initial access token can still be used, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenStatus {
    /// Usable.
    Active,
    /// Past its expiry time.
    Expired,
    /// Every allowed use was spent.
    UsedUp,
    /// Revoked with `token revoke`.
    Revoked,
}

impl TokenStatus {
    /// The name shown in listings: `active`, `expired`, `used-up`, `revoked`.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenStatus::Active => "active",
            TokenStatus::Expired => "expired",
            TokenStatus::UsedUp => "used-up",
            TokenStatus::Revoked => "revoked",
        }
    }

    /// The status at `now`; when several apply, revoked beats expired beats used up. The
    /// same conditions as the store's consume statement.
    fn at(now: i64, expires_at: i64, max_uses: Option<u64>, uses: u64, revoked: bool) -> Self {
        if revoked {
            TokenStatus::Revoked
        } else if expires_at != 0 && expires_at <= now {
            TokenStatus::Expired
        } else if max_uses.is_some_and(|max| uses >= max) {
            TokenStatus::UsedUp
        } else {
            TokenStatus::Active
        }
    }
}

/// A stored initial access token, as listed (never the token or its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitialAccessToken {
    /// The public id.
    pub token_id: String,
    /// The note given at creation.
    pub note: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds; 0 = never.
    pub expires_at: i64,
    /// How many registrations it allows; `None` = unlimited.
    pub max_uses: Option<u64>,
    /// How many registrations it admitted.
    pub uses: u64,
    /// Unix seconds of revocation.
    pub revoked_at: Option<i64>,
    /// Its state when listed.
    pub status: TokenStatus,
}

fn new_token_id() -> String {
    let random: String = credentials::new_client_id()
        .chars()
        .take(TOKEN_ID_CHARS)
        .collect();
    format!("{TOKEN_ID_PREFIX}{random}")
}

/// Mint an initial access token; the result carries it, once.
///
/// # Errors
/// [`Error::Usage`] for a zero lifetime or `max_uses` of 0; storage failures.
pub fn create_initial_access_token(
    store: &mut Store,
    actor: &Actor,
    request: CreateToken,
    deliver: Deliver<'_, IssuedToken>,
) -> Result<IssuedToken> {
    if request
        .expires_in
        .is_some_and(crate::time::Lifetime::is_zero)
    {
        return Err(Error::usage(
            "--expires-in must be at least 1s (omit it for a token that never expires)",
        ));
    }
    if request.max_uses == Some(0) {
        return Err(Error::usage(
            "--max-uses must be at least 1 (omit it for unlimited uses)",
        ));
    }
    let stored_max_uses = request
        .max_uses
        .map(|max| i64::try_from(max).unwrap_or(i64::MAX));
    let token = credentials::new_initial_access_token();
    let token_hash = credentials::hash_generated(&token);
    store.write(|tx| {
        let now = time::now();
        let expires_at = request
            .expires_in
            .map_or(0, |lifetime| lifetime.expires_at(now));
        // 59 random bits make a collision practically impossible; a few retries make it
        // harmless too. A taken id writes nothing, so the retry needs no new transaction.
        let mut attempts = 0;
        let token_id = loop {
            let token_id = new_token_id();
            let inserted = tx.insert_initial_access_token(
                &token_id,
                &token_hash,
                request.note.as_deref(),
                now,
                expires_at,
                stored_max_uses,
            )?;
            if inserted {
                break token_id;
            }
            attempts += 1;
            if attempts > 3 {
                return Err(Error::Conflict {
                    what: crate::model::Entity::Token,
                    id: token_id,
                });
            }
        };
        super::record(
            tx,
            actor,
            Action::TokenCreate,
            None,
            now,
            json!({
                "token_id": token_id,
                "expires_at": expires_at,
                "max_uses": request.max_uses,
                "note": request.note,
            }),
        )?;
        let issued = IssuedToken {
            token_id,
            token,
            expires_at,
            max_uses: request.max_uses,
            note: request.note,
        };
        delivered(issued, deliver)
    })
}

/// Every initial access token with its status now, oldest first.
///
/// # Errors
/// Storage failures.
pub fn list_initial_access_tokens(store: &mut Store) -> Result<Vec<InitialAccessToken>> {
    list_initial_access_tokens_in(store, &[])
}

/// The initial access tokens whose status now is one of `statuses` (all when empty),
/// oldest first. Statuses depend on the time, so they are decided here, by the same rule
/// as [`TokenStatus`], rather than by each backend.
///
/// # Errors
/// Storage failures.
pub fn list_initial_access_tokens_in(
    store: &mut Store,
    statuses: &[TokenStatus],
) -> Result<Vec<InitialAccessToken>> {
    let mut tokens = all_initial_access_tokens(store)?;
    if !statuses.is_empty() {
        tokens.retain(|token| statuses.contains(&token.status));
    }
    Ok(tokens)
}

fn all_initial_access_tokens(store: &mut Store) -> Result<Vec<InitialAccessToken>> {
    let now = time::now();
    let rows = store.read(|tx| Ok::<_, Error>(tx.initial_access_tokens()?))?;
    Ok(rows
        .into_iter()
        .map(|row| {
            // Negative counts can only come from a hand-edited row; show them as 0.
            let max_uses = row.max_uses.map(|max| u64::try_from(max).unwrap_or(0));
            let uses = u64::try_from(row.uses).unwrap_or(0);
            InitialAccessToken {
                status: TokenStatus::at(
                    now,
                    row.expires_at,
                    max_uses,
                    uses,
                    row.revoked_at.is_some(),
                ),
                token_id: row.token_id,
                note: row.note,
                created_at: row.created_at,
                expires_at: row.expires_at,
                max_uses,
                uses,
                revoked_at: row.revoked_at,
            }
        })
        .collect())
}

/// Revoke an initial access token by its id: it stops admitting registrations at once.
/// Revoking a revoked token succeeds and changes nothing (it keeps its first revocation time
/// and gets no second audit row), so scripts can retry.
///
/// # Errors
/// [`Error::NotFound`] (`what: crate::model::Entity::Token`) for an unknown id; storage failures.
pub fn revoke_initial_access_token(store: &mut Store, actor: &Actor, token_id: &str) -> Result<()> {
    store.write(|tx| {
        let now = time::now();
        if tx.revoke_initial_access_token(token_id, now)? {
            super::record(
                tx,
                actor,
                Action::TokenRevoke,
                None,
                now,
                json!({ "token_id": token_id }),
            )
        } else if tx.initial_access_token_exists(token_id)? {
            Ok(())
        } else {
            Err(Error::NotFound {
                what: crate::model::Entity::Token,
                id: token_id.to_owned(),
            })
        }
    })
}

/// Spend one use of the initial access token `presented` (from `Authorization: Bearer …`)
/// inside the caller's write transaction, and return the token's id; `None` when it is
/// unknown, revoked, expired or used up. The token may also come base64-encoded (standard or
/// URL-safe alphabet, padded or not), as pyoidc sends it.
///
/// The server calls this in the same transaction that creates the client, so a rejected
/// registration gives the use back, and one use left admits exactly one registration.
///
/// # Errors
/// Storage failures.
pub(crate) fn consume_initial_access_token(
    tx: &Tx<'_>,
    presented: &str,
    now: i64,
) -> Result<Option<String>> {
    let Some(token) = presented_token(presented) else {
        return Ok(None);
    };
    let hash = credentials::hash_generated(&token);
    Ok(tx.consume_initial_access_token(&hash, now)?)
}

/// The initial access token in `presented`, as given or base64-decoded; `None` when it is
/// neither, so no lookup is spent on it.
fn presented_token(presented: &str) -> Option<Secret> {
    let presented = presented.trim();
    if presented.starts_with(INITIAL_ACCESS_TOKEN_PREFIX) {
        return Some(Secret::new(presented.to_owned()));
    }
    let decoded = String::from_utf8(credentials::decode_base64(
        presented,
        credentials::Base64Alphabets::StandardOrUrlSafe,
    )?)
    .ok()?;
    // Tokens never contain whitespace; `echo … | base64` adds a newline.
    let decoded = decoded.trim();
    decoded
        .starts_with(INITIAL_ACCESS_TOKEN_PREFIX)
        .then(|| Secret::new(decoded.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::test_support::{actor, store};
    use crate::ops::{events, EventFilter};
    use std::time::Duration;

    fn consume(store: &mut Store, presented: &str, now: i64) -> Option<String> {
        store
            .write(|tx| consume_initial_access_token(tx, presented, now))
            .unwrap()
    }

    fn mint(store: &mut Store, request: CreateToken) -> IssuedToken {
        create_initial_access_token(store, &actor(), request, &mut crate::ops::after_commit)
            .unwrap()
    }

    #[test]
    fn a_token_is_accepted_raw_or_base64_encoded() {
        let (_dir, mut store) = store();
        let issued = mint(&mut store, CreateToken::default());
        assert!(issued.token.expose().starts_with("dcriat_"));
        assert!(issued.token_id.starts_with("iat_"));
        assert_eq!(issued.token_id.len(), 4 + 10);
        let raw = issued.token.expose();
        // What pyoidc's b64encode sends, and the URL-safe unpadded variant.
        let standard = {
            let bytes = raw.as_bytes();
            let table = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            let mut out = String::new();
            for chunk in bytes.chunks(3) {
                let n = chunk
                    .iter()
                    .enumerate()
                    .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
                for i in 0..4 {
                    if i <= chunk.len() {
                        out.push(char::from(table[(n >> (18 - 6 * i) & 63) as usize]));
                    } else {
                        out.push('=');
                    }
                }
            }
            out
        };
        assert!(standard.ends_with('='), "{standard}");
        let url_safe = standard
            .trim_end_matches('=')
            .replace('+', "-")
            .replace('/', "_");
        let now = time::now();
        for presented in [raw.to_owned(), standard, url_safe] {
            assert_eq!(
                consume(&mut store, &presented, now).as_deref(),
                Some(issued.token_id.as_str()),
                "{presented}"
            );
        }
        let listed = list_initial_access_tokens(&mut store).unwrap();
        assert_eq!(listed[0].uses, 3);
        assert_eq!(listed[0].status, TokenStatus::Active);
    }

    #[test]
    fn wrong_revoked_expired_and_used_up_tokens_are_refused() {
        let (_dir, mut store) = store();
        let now = time::now();
        let issued = mint(&mut store, CreateToken::default());
        assert_eq!(consume(&mut store, "dcriat_wrong", now), None);
        assert_eq!(consume(&mut store, "not a token", now), None);
        assert_eq!(consume(&mut store, "", now), None);
        revoke_initial_access_token(&mut store, &actor(), &issued.token_id).unwrap();
        assert_eq!(consume(&mut store, issued.token.expose(), now), None);

        let expiring = mint(
            &mut store,
            CreateToken {
                expires_in: Some(Duration::from_secs(60).into()),
                ..CreateToken::default()
            },
        );
        assert!(consume(&mut store, expiring.token.expose(), now).is_some());
        assert_eq!(
            consume(&mut store, expiring.token.expose(), expiring.expires_at),
            None
        );

        let once = mint(
            &mut store,
            CreateToken {
                max_uses: Some(1),
                ..CreateToken::default()
            },
        );
        assert!(consume(&mut store, once.token.expose(), now).is_some());
        assert_eq!(consume(&mut store, once.token.expose(), now), None);
        let statuses: Vec<_> = list_initial_access_tokens(&mut store)
            .unwrap()
            .into_iter()
            .map(|t| (t.token_id, t.status, t.uses))
            .collect();
        assert_eq!(
            statuses,
            [
                (issued.token_id, TokenStatus::Revoked, 0),
                (expiring.token_id, TokenStatus::Active, 1),
                (once.token_id, TokenStatus::UsedUp, 1),
            ]
        );
    }

    #[test]
    fn one_use_left_admits_exactly_one_of_two_consumers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clients.db");
        let mut store = Store::open(&path).unwrap();
        let issued = mint(
            &mut store,
            CreateToken {
                max_uses: Some(2),
                ..CreateToken::default()
            },
        );
        let now = time::now();
        assert!(consume(&mut store, issued.token.expose(), now).is_some());
        // Two connections race for the last use.
        let barrier = std::sync::Barrier::new(2);
        let winners: Vec<Option<String>> = std::thread::scope(|scope| {
            let racers: Vec<_> = (0..2)
                .map(|_| {
                    scope.spawn(|| {
                        let mut store = Store::open(&path).unwrap();
                        barrier.wait();
                        consume(&mut store, issued.token.expose(), now)
                    })
                })
                .collect();
            racers.into_iter().map(|r| r.join().unwrap()).collect()
        });
        assert_eq!(winners.iter().filter(|w| w.is_some()).count(), 1);
        let listed = list_initial_access_tokens(&mut store).unwrap();
        assert_eq!((listed[0].uses, listed[0].status), (2, TokenStatus::UsedUp));
    }

    #[test]
    fn create_refuses_zero_limits_and_writes_nothing() {
        let (_dir, mut store) = store();
        for request in [
            CreateToken {
                max_uses: Some(0),
                ..CreateToken::default()
            },
            CreateToken {
                expires_in: Some(Duration::ZERO.into()),
                ..CreateToken::default()
            },
        ] {
            let error = create_initial_access_token(
                &mut store,
                &actor(),
                request,
                &mut crate::ops::after_commit,
            )
            .unwrap_err();
            assert!(matches!(error, Error::Usage(_)), "{error}");
        }
        assert!(list_initial_access_tokens(&mut store).unwrap().is_empty());
    }

    #[test]
    fn a_listing_keeps_the_tokens_in_the_statuses_asked_for() {
        let (_dir, mut store) = store();
        let active = mint(&mut store, CreateToken::default());
        let revoked = mint(&mut store, CreateToken::default());
        revoke_initial_access_token(&mut store, &actor(), &revoked.token_id).unwrap();
        let ids = |store: &mut Store, statuses: &[TokenStatus]| -> Vec<String> {
            list_initial_access_tokens_in(store, statuses)
                .unwrap()
                .into_iter()
                .map(|token| token.token_id)
                .collect()
        };
        assert_eq!(
            ids(&mut store, &[TokenStatus::Revoked]),
            std::slice::from_ref(&revoked.token_id)
        );
        assert_eq!(
            ids(&mut store, &[TokenStatus::Active]),
            std::slice::from_ref(&active.token_id)
        );
        assert!(ids(&mut store, &[TokenStatus::Expired, TokenStatus::UsedUp]).is_empty());
        assert_eq!(
            ids(&mut store, &[]),
            [active.token_id, revoked.token_id],
            "no status: all"
        );
    }

    #[test]
    fn a_lifetime_until_a_time_expires_at_that_time() {
        let (_dir, mut store) = store();
        let at = time::now() + 12_345;
        let issued = mint(
            &mut store,
            CreateToken {
                expires_in: Some(crate::time::Lifetime::Until(at)),
                ..CreateToken::default()
            },
        );
        assert_eq!(issued.expires_at, at);
    }

    #[test]
    fn revoke_is_idempotent_and_unknown_ids_are_not_found() {
        let (_dir, mut store) = store();
        let issued = mint(&mut store, CreateToken::default());
        revoke_initial_access_token(&mut store, &actor(), &issued.token_id).unwrap();
        let first = list_initial_access_tokens(&mut store).unwrap()[0].revoked_at;
        revoke_initial_access_token(&mut store, &actor(), &issued.token_id).unwrap();
        assert_eq!(
            list_initial_access_tokens(&mut store).unwrap()[0].revoked_at,
            first
        );
        let error = revoke_initial_access_token(&mut store, &actor(), "iat_nope").unwrap_err();
        assert!(matches!(
            error,
            Error::NotFound {
                what: crate::model::Entity::Token,
                ..
            }
        ));
    }

    #[test]
    fn status_precedence() {
        use TokenStatus::*;
        assert_eq!(TokenStatus::at(10, 0, None, 99, false), Active);
        assert_eq!(TokenStatus::at(10, 11, Some(2), 1, false), Active);
        assert_eq!(TokenStatus::at(10, 10, Some(2), 2, false), Expired);
        assert_eq!(TokenStatus::at(10, 0, Some(2), 2, false), UsedUp);
        assert_eq!(TokenStatus::at(10, 5, Some(2), 2, true), Revoked);
    }

    #[test]
    fn audit_rows_name_the_change_but_never_the_token() {
        let (_dir, mut store) = store();
        let issued = mint(
            &mut store,
            CreateToken {
                note: Some("ci".into()),
                ..CreateToken::default()
            },
        );
        revoke_initial_access_token(&mut store, &actor(), &issued.token_id).unwrap();
        let mut seen = Vec::new();
        events(&mut store, &EventFilter::default(), |event| {
            assert!(!event.details.to_string().contains(issued.token.expose()));
            assert_eq!(event.client_id, None);
            assert_eq!(event.actor, "cli:tester");
            seen.push(event.action);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, ["token-revoke", "token-create"]);
    }
}

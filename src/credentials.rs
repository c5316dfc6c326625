//! Client identifiers, secrets and tokens: minted from the OS CSPRNG, shown once, stored as
//! hashes.
//!
//! Generated secrets carry 256 bits of randomness, so a plain SHA-256 is as strong as any
//! slow hash and lets an authorization server verify one in microseconds. Secrets an admin
//! chooses may be weak, so they get Argon2id. The stored formats are a public interface,
//! documented in `docs/storage.md`:
//!
//! * `sha256:<64 lowercase hex digits>` — SHA-256 of the UTF-8 secret;
//! * `$argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>` — a PHC string.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::distr::Alphanumeric;
use rand::rngs::{OsRng, StdRng};
use rand::{Rng, SeedableRng, TryRngCore};
use sha2::{Digest, Sha256};
use std::fmt;
use subtle::ConstantTimeEq;

/// Prefix of generated client secrets, for secret scanners.
pub const CLIENT_SECRET_PREFIX: &str = "dcrsec_";
/// Prefix of registration access tokens.
pub const REGISTRATION_TOKEN_PREFIX: &str = "dcrrat_";
/// Prefix of initial access tokens.
pub const INITIAL_ACCESS_TOKEN_PREFIX: &str = "dcriat_";

/// 22 alphanumerics carry 131 bits (the random part of a client id); 43 carry 256.
const CLIENT_ID_CHARS: usize = 22;
const SECRET_CHARS: usize = 43;

const SHA256_TAG: &str = "sha256:";

/// A plaintext secret, token or password. It has no `Display` and its `Debug` is redacted,
/// so it cannot reach a log line by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wrap a plaintext value received from a user.
    pub fn new(plaintext: String) -> Self {
        Secret(plaintext)
    }

    /// The plaintext, for the one response that shows it or for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// `len` uniformly random alphanumerics. Sampling straight from [`OsRng`] costs one
/// `getrandom` system call per character; a ChaCha12 generator seeded with 256 bits from the
/// OS for each value costs one per value and is as unpredictable.
fn random_alphanumeric(len: usize) -> String {
    StdRng::from_os_rng()
        .sample_iter(Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

/// A new client identifier: URL-safe, starting with a letter or digit, 30 characters.
///
/// The first 8 are the time of creation (Unix milliseconds in base 62, digits in ASCII order)
/// and the other 22 are random (131 bits). Ids made later sort later, so the indexes keyed
/// by `client_id` (the clients' own, their secrets', the audit log's) grow at their end as
/// clients are registered, instead of taking each new id at a random page: a group commit of
/// many registrations then writes a few pages instead of several per client, and the oldest
/// clients, which prune removes first, sit together.
pub fn new_client_id() -> String {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis());
    let mut id = time_prefix(millis);
    id.push_str(&random_alphanumeric(CLIENT_ID_CHARS));
    id
}

/// Base-62 digits in ASCII order, so that strings of them sort as the numbers do.
const BASE62_DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `millis` as 8 base-62 digits (enough until the year 8888), most significant first.
fn time_prefix(millis: u128) -> String {
    let mut digits = [b'0'; 8];
    let mut rest = millis;
    for digit in digits.iter_mut().rev() {
        *digit = BASE62_DIGITS[(rest % 62) as usize];
        rest /= 62;
    }
    digits.iter().map(|&digit| char::from(digit)).collect()
}

/// A new client secret.
pub fn new_client_secret() -> Secret {
    Secret(format!(
        "{CLIENT_SECRET_PREFIX}{}",
        random_alphanumeric(SECRET_CHARS)
    ))
}

/// A new registration access token.
pub fn new_registration_token() -> Secret {
    Secret(format!(
        "{REGISTRATION_TOKEN_PREFIX}{}",
        random_alphanumeric(SECRET_CHARS)
    ))
}

/// A new initial access token.
pub fn new_initial_access_token() -> Secret {
    Secret(format!(
        "{INITIAL_ACCESS_TOKEN_PREFIX}{}",
        random_alphanumeric(SECRET_CHARS)
    ))
}

/// The stored form of a generated (high-entropy) secret or token.
pub fn hash_generated(secret: &Secret) -> String {
    let digest = Sha256::digest(secret.expose().as_bytes());
    let mut hashed = String::with_capacity(SHA256_TAG.len() + 64);
    hashed.push_str(SHA256_TAG);
    for byte in digest {
        hashed.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        hashed.push(char::from(b"0123456789abcdef"[usize::from(byte & 0xf)]));
    }
    hashed
}

/// The stored form of a human-chosen secret or password: Argon2id with a random salt.
///
/// # Errors
/// Only if Argon2 rejects its input (a password over 4 GiB).
pub fn hash_password(password: &Secret) -> Result<String, argon2::password_hash::Error> {
    let mut salt = [0u8; 16];
    OsRng.unwrap_err().fill(&mut salt);
    let salt = SaltString::encode_b64(&salt)?;
    Argon2::default()
        .hash_password(password.expose().as_bytes(), &salt)
        .map(|hash| hash.to_string())
}

/// An Argon2id hash (of a password nobody uses) with the parameters of [`hash_password`].
/// Checking a password for an unknown account runs against it, so the answer takes as long
/// as for a real account and timing reveals no names.
pub(crate) const DUMMY_PASSWORD_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$ZGNyY3RsLWR1bW15LXNhbA$3qXwxIpjDCHtcNqrle0qahvgflBFjkBdtYxsGbmxD9k";

/// Which base64 alphabets (RFC 4648) [`decode_base64`] accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base64Alphabets {
    /// `+` and `/` only (§4), as HTTP Basic credentials use (RFC 7617).
    Standard,
    /// Either `+/` (§4) or `-_` (§5), as clients encode tokens in the wild.
    StandardOrUrlSafe,
}

/// Decode base64 in `alphabets`, with or without `=` padding; `None` for anything else.
pub fn decode_base64(text: &str, alphabets: Base64Alphabets) -> Option<Vec<u8>> {
    use base64ct::{Base64, Base64Unpadded, Base64Url, Base64UrlUnpadded, Encoding};
    if let Ok(bytes) = Base64::decode_vec(text).or_else(|_| Base64Unpadded::decode_vec(text)) {
        return Some(bytes);
    }
    match alphabets {
        Base64Alphabets::Standard => None,
        Base64Alphabets::StandardOrUrlSafe => Base64Url::decode_vec(text)
            .or_else(|_| Base64UrlUnpadded::decode_vec(text))
            .ok(),
    }
}

/// Whether checking a secret against `stored` is costly by design (Argon2id, tens of
/// milliseconds and 19 MiB): such a check belongs outside any write transaction.
pub fn is_costly(stored: &str) -> bool {
    stored.starts_with("$argon2")
}

/// Whether `presented` matches a stored hash of either format. Unknown formats never match.
pub fn verify(presented: &str, stored: &str) -> bool {
    if stored.starts_with(SHA256_TAG) {
        let candidate = hash_generated(&Secret(presented.to_owned()));
        return bool::from(candidate.as_bytes().ct_eq(stored.as_bytes()));
    }
    if stored.starts_with("$argon2") {
        return PasswordHash::new(stored).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(presented.as_bytes(), &parsed)
                .is_ok()
        });
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_both_alphabets_with_and_without_padding() {
        let lenient = |text| decode_base64(text, Base64Alphabets::StandardOrUrlSafe);
        assert_eq!(lenient("").unwrap(), b"");
        assert_eq!(lenient("Zg==").unwrap(), b"f");
        assert_eq!(lenient("Zg").unwrap(), b"f");
        assert_eq!(lenient("Zm8=").unwrap(), b"fo");
        assert_eq!(lenient("Zm9v").unwrap(), b"foo");
        assert_eq!(lenient("Zm9vYmFy").unwrap(), b"foobar");
        assert_eq!(lenient("+/+/").unwrap(), [0xfb, 0xff, 0xbf]);
        assert_eq!(lenient("-_-_").unwrap(), [0xfb, 0xff, 0xbf]);
        assert_eq!(lenient("-_8").unwrap(), [0xfb, 0xff]);
        let standard = |text| decode_base64(text, Base64Alphabets::Standard);
        assert_eq!(standard("Zm9vYg==").unwrap(), b"foob");
        assert_eq!(standard("Zm9vYg").unwrap(), b"foob");
        assert_eq!(standard("+/+/").unwrap(), [0xfb, 0xff, 0xbf]);
        assert_eq!(standard("-_-_"), None);
    }

    #[test]
    fn base64_refuses_what_is_not_base64() {
        for bad in [
            "Z", "Zg=", "Zg===", "Z===", "Zm9v=", "Zm 9v", "Zm9v!", "=Zg=", "é",
        ] {
            assert_eq!(
                decode_base64(bad, Base64Alphabets::StandardOrUrlSafe),
                None,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_does() {
        let real = hash_password(&Secret::new("x".into())).unwrap();
        let params = |hash: &str| hash.split('$').take(4).collect::<Vec<_>>().join("$");
        assert_eq!(params(DUMMY_PASSWORD_HASH), params(&real));
        assert!(verify("dcrctl: no such account", DUMMY_PASSWORD_HASH));
    }

    #[test]
    fn ids_sort_by_creation_time() {
        assert_eq!(time_prefix(0), "00000000");
        assert_eq!(time_prefix(61), "0000000z");
        assert_eq!(time_prefix(62), "00000010");
        let now = 1_795_000_000_000;
        assert!(time_prefix(now) < time_prefix(now + 1));
        assert!(time_prefix(now - 1) < time_prefix(now));
        assert!(time_prefix(now + 999) < time_prefix(now + 1000));
        let earlier = new_client_id();
        std::thread::sleep(std::time::Duration::from_millis(2));
        assert!(earlier < new_client_id());
    }

    #[test]
    fn ids_and_secrets_have_their_shape() {
        let id = new_client_id();
        assert_eq!(id.len(), 30);
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()));
        let secret = new_client_secret();
        assert!(secret.expose().starts_with("dcrsec_"));
        assert_eq!(secret.expose().len(), 7 + 43);
        assert_ne!(new_client_secret(), secret);
        assert!(new_registration_token().expose().starts_with("dcrrat_"));
    }

    #[test]
    fn sha256_matches_known_vector() {
        assert_eq!(
            hash_generated(&Secret::new("abc".into())),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn verify_both_formats() {
        let secret = new_client_secret();
        let stored = hash_generated(&secret);
        assert!(verify(secret.expose(), &stored));
        assert!(!verify("dcrsec_wrong", &stored));
        let chosen = Secret::new("correct horse".into());
        let stored = hash_password(&chosen).unwrap();
        assert!(stored.starts_with("$argon2id$v=19$"));
        assert!(verify("correct horse", &stored));
        assert!(!verify("correct horse ", &stored));
        assert!(!verify("x", "md5:abc"));
    }

    #[test]
    fn debug_never_shows_the_plaintext() {
        let secret = new_client_secret();
        assert!(!format!("{secret:?}").contains(secret.expose()));
    }
}

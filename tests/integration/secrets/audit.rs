//! The secrets audit's machinery: collect every credential, keep every artifact, and scan each
//! artifact for every form of every credential it may not carry.

use crate::util::{Run, TestEnv};
use reqwest::blocking::RequestBuilder;
use reqwest::StatusCode;
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

const ISSUED_FIELDS: [&str; 3] = ["client_secret", "registration_access_token", "token"];

/// Every credential the audit issued or used, and everything to scan for them.
#[derive(Default)]
pub(super) struct Audit {
    /// (what it is, its value)
    pub(super) credentials: Vec<(String, String)>,
    /// (where it came from, its bytes, the credentials it may legitimately carry)
    pub(super) artifacts: Vec<(String, Vec<u8>, Vec<String>)>,
    /// Problems found outside the scan, e.g. a response that shows a credential again.
    findings: Vec<String>,
}

impl Audit {
    pub(super) fn credential(&mut self, what: impl Into<String>, value: &str) -> String {
        self.credentials.push((what.into(), value.to_owned()));
        value.to_owned()
    }

    pub(super) fn artifact(
        &mut self,
        label: impl Into<String>,
        bytes: impl Into<Vec<u8>>,
        allowed: &[String],
    ) {
        self.artifacts
            .push((label.into(), bytes.into(), allowed.to_vec()));
    }

    /// Collect the credentials a response issues, anywhere in it (apply nests them). One
    /// already known is a credential shown twice, except a RAT on HTTP responses to requests
    /// made with it (SPEC §4), when `rat_echo` is set.
    fn collect(&mut self, label: &str, value: &Value, rat_echo: bool, issued: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, item) in map {
                    match item.as_str() {
                        Some(text) if ISSUED_FIELDS.contains(&key.as_str()) => {
                            let known = self.credentials.iter().any(|(_, known)| known == text);
                            if known && !(rat_echo && key == "registration_access_token") {
                                self.findings
                                    .push(format!("{label} shows an earlier {key} again"));
                            } else if !known {
                                self.credential(format!("{key} issued by {label}"), text);
                            }
                            issued.push(text.to_owned());
                        }
                        _ => self.collect(label, item, rat_echo, issued),
                    }
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.collect(label, item, rat_echo, issued);
                }
            }
            _ => {}
        }
    }

    /// `dcrctl ARGS` with `stdin`, which must exit `code`; all its output is scanned.
    pub(super) fn cli(&mut self, env: &TestEnv, args: &[&str], stdin: &str, code: i32) -> Run {
        let run = env.run_stdin(args, stdin);
        let label = format!("dcrctl {}", args.join(" "));
        // stderr only: on a failure, stdout might be the very leak under test.
        assert_eq!(run.code, code, "{label}: {}", run.stderr);
        self.artifact(format!("stdout of {label}"), run.stdout.clone(), &[]);
        self.artifact(format!("stderr of {label}"), run.stderr.clone(), &[]);
        run
    }

    /// `dcrctl -o json ARGS`, a one-time response: it may carry what it issues, nothing else.
    pub(super) fn issuing(&mut self, env: &TestEnv, args: &[&str], stdin: &str) -> Value {
        let args = [&["-o", "json"][..], args].concat();
        let run = env.run_stdin(&args, stdin);
        let label = format!("dcrctl {}", args.join(" "));
        assert_eq!(run.code, 0, "{label}: {}", run.stderr);
        let body = run.json();
        let mut issued = Vec::new();
        self.collect(&label, &body, false, &mut issued);
        assert!(!issued.is_empty(), "{label} issued nothing");
        self.artifact(format!("stdout of {label}"), run.stdout, &issued);
        self.artifact(format!("stderr of {label}"), run.stderr, &[]);
        body
    }

    /// Send `request`, which must answer `expected`. What a success issues is collected (it is
    /// for its caller and not scanned); an error body is scanned, as it issues nothing.
    pub(super) fn http(
        &mut self,
        label: &str,
        request: RequestBuilder,
        expected: StatusCode,
    ) -> Value {
        let response = request.send().unwrap_or_else(|e| panic!("{label}: {e}"));
        let status = response.status();
        let text = response.text().unwrap_or_default();
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        // Only the error code: a body may hold the very credential under test.
        assert_eq!(status, expected, "{label}: {}", body["error"]);
        if status.is_success() {
            let mut issued = Vec::new();
            self.collect(label, &body, true, &mut issued);
        } else {
            self.artifact(format!("the {status} response to {label}"), text, &[]);
        }
        body
    }

    /// The database file and its -wal and -shm as they are now; returns which exist.
    /// On PostgreSQL, every row of the registry's schema instead.
    pub(super) fn database_files(&mut self, env: &TestEnv, when: &str) -> Vec<String> {
        if env.postgres().is_some() {
            self.artifact(format!("every row {when}"), env.snapshot(), &[]);
            return vec!["postgres".to_owned()];
        }
        let mut present = Vec::new();
        for suffix in ["", "-wal", "-shm"] {
            let path = env.db().with_file_name(format!("clients.db{suffix}"));
            if let Ok(bytes) = std::fs::read(&path) {
                assert_eq!(mode(&path), 0o600, "clients.db{suffix} {when}");
                self.artifact(format!("clients.db{suffix} {when}"), bytes, &[]);
                present.push(format!("clients.db{suffix}"));
            }
        }
        present
    }

    /// Every form of every credential in every artifact that may not carry it.
    pub(super) fn scan(&self) -> Vec<String> {
        let mut found = self.findings.clone();
        for (label, bytes, allowed) in &self.artifacts {
            let haystack = String::from_utf8_lossy(bytes);
            for (what, value) in &self.credentials {
                if allowed.contains(value) {
                    continue;
                }
                // The first form found is enough to name the leak.
                if let Some((form, _)) = forms(value)
                    .into_iter()
                    .find(|(_, needle)| haystack.contains(needle.as_str()))
                {
                    found.push(format!("{label} contains the {what} ({form})"));
                }
            }
        }
        found
    }
}

pub(super) fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The ways a credential could be written down: raw, percent-encoded (both hex cases), form
/// encoded, hex, base64 (standard and URL-safe) at each of the three byte alignments, and for
/// generated credentials any 16 characters of their random part.
fn forms(value: &str) -> Vec<(&'static str, String)> {
    let percent = |upper: bool, plus: bool| -> String {
        value
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                b' ' if plus => "+".to_owned(),
                _ if upper => format!("%{b:02X}"),
                _ => format!("%{b:02x}"),
            })
            .collect()
    };
    let mut forms = vec![
        ("raw", value.to_owned()),
        ("percent-encoded", percent(true, false)),
        ("percent-encoded, lower hex", percent(false, false)),
        ("form-encoded", percent(true, true)),
        ("hex", value.bytes().map(|b| format!("{b:02x}")).collect()),
    ];
    for (alphabet, name) in [(STANDARD, "base64"), (URL_SAFE, "base64url")] {
        for offset in 0..3 {
            forms.push((name, base64_core(value.as_bytes(), offset, alphabet)));
        }
    }
    // A truncated generated credential (`dcrsec_AbC…`) still gives most of it away.
    if let Some((_, random)) = value.split_once('_').filter(|_| value.starts_with("dcr")) {
        let chars: Vec<char> = random.chars().collect();
        for window in chars.windows(16) {
            forms.push(("a 16-character fragment", window.iter().collect()));
        }
    }
    let mut seen = std::collections::HashSet::new();
    forms.retain(|(_, needle)| needle.len() >= 8 && seen.insert(needle.clone()));
    forms
}

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The base64 characters that encode `bytes` whatever surrounds them, when they start `offset`
/// bytes into a 3-byte group: the groups shared with unknown neighbours are dropped.
fn base64_core(bytes: &[u8], offset: usize, alphabet: &[u8; 64]) -> String {
    let mut padded = vec![0u8; offset];
    padded.extend_from_slice(bytes);
    let whole_groups = padded.len() / 3;
    let mut out = String::new();
    for (index, group) in padded.chunks(3).take(whole_groups).enumerate() {
        if index == 0 && offset > 0 {
            continue;
        }
        let n = (u32::from(group[0]) << 16) | (u32::from(group[1]) << 8) | u32::from(group[2]);
        for shift in [18, 12, 6, 0] {
            out.push(alphabet[((n >> shift) & 63) as usize] as char);
        }
    }
    out
}

pub(super) fn standard_base64(bytes: &[u8]) -> String {
    let mut out = base64_core(bytes, 0, STANDARD);
    let rest = &bytes[bytes.len() / 3 * 3..];
    if !rest.is_empty() {
        let mut group = [0u8; 3];
        group[..rest.len()].copy_from_slice(rest);
        let tail = base64_core(&group, 0, STANDARD);
        out.push_str(&tail[..rest.len() + 1]);
        out.push_str(&"=".repeat(3 - rest.len()));
    }
    out
}

#[test]
fn base64_cores_match_any_alignment() {
    let secret = b"dcrsec_abcdefghijkl";
    for prefix in ["", "u", "us", "user:"] {
        let encoded = standard_base64(&[prefix.as_bytes(), secret, b"!"].concat());
        for offset in 0..3 {
            let core = base64_core(secret, offset, STANDARD);
            if (prefix.len() % 3) == offset {
                assert!(encoded.contains(&core), "{prefix:?} {offset}");
            }
        }
    }
    assert_eq!(standard_base64(b"foob"), "Zm9vYg==");
}

/// The scan itself: each way of writing a credential down is caught, and a one-time response
/// may carry only its own.
#[test]
fn the_scan_finds_every_form_of_a_credential() {
    let password = "pass word/+=:x";
    let secret = "dcrsec_0123456789abcdefghij";
    let basic = standard_base64(format!("auditor:{password}").as_bytes());
    for (artifact, expected) in [
        (format!("Authorization: Basic {basic}"), "base64"),
        ("p=pass+word%2F%2B%3D%3Ax".to_owned(), "form-encoded"),
        (
            "p=pass%20word%2f%2b%3d%3ax".to_owned(),
            "percent-encoded, lower hex",
        ),
        (format!("x'{}'", forms(password)[4].1), "hex"),
        (format!("note {password} end"), "raw"),
    ] {
        let mut audit = Audit::default();
        audit.credential("password", password);
        audit.credential("secret", secret);
        audit.artifact("log", artifact, &[]);
        assert_eq!(
            audit.scan(),
            [format!("log contains the password ({expected})")]
        );
    }
    let mut audit = Audit::default();
    audit.credential("password", password);
    audit.credential("secret", secret);
    audit.artifact(
        "response",
        format!("{{\"client_secret\":\"{secret}\"}}"),
        &[secret.to_owned()],
    );
    assert!(audit.scan().is_empty());
    audit.artifact("log", "secret=dcrsec_0123456789abcdef…", &[]);
    assert_eq!(
        audit.scan(),
        ["log contains the secret (a 16-character fragment)"]
    );
    audit.artifacts.pop();
    audit.artifact(
        "response",
        format!("{password}{secret}"),
        &[secret.to_owned()],
    );
    assert_eq!(audit.scan().len(), 1);
}

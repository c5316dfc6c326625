//! Hostile use of the management routes and of the server's resources: `If-Match` values,
//! replacement documents, admin lookups, spoofed forwarding headers against the rate limit,
//! bursts and floods, and `null` members. The same [`Fixture`] asserts status, `error` code,
//! an unchanged database and a live server.

use crate::hostile_http::{Fixture, ADMIN, CB, INVALID_TOKEN, SQL};
use crate::http::Server;
use crate::util::{all_cases, TestEnv};
use reqwest::header;
use reqwest::Method;
use serde_json::json;

#[test]
fn hostile_if_match_values_are_412() {
    let f = Fixture::start();
    let path = format!("/register/{}", f.client_id);
    let cases = [
        ("revision past i64", "\"r99999999999999999999\""),
        ("negative revision", "\"r-1\""),
        ("weak tag of the current revision", "W/\"r1\""),
        ("escaped NUL in the tag", "\"r1\\u0000\""),
        ("star in a list", "*, \"r1\""),
        ("unquoted", "r1"),
    ];
    all_cases(&cases, |tag| {
        f.refused(412, Some("precondition_failed"), None, || {
            f.send(
                f.request(Method::PUT, &path)
                    .bearer_auth(&f.rat)
                    .header(header::IF_MATCH, *tag)
                    .json(&json!({ "redirect_uris": [CB] })),
            )
        });
    });
    f.refused(412, Some("precondition_failed"), None, || {
        f.send(
            f.request(Method::DELETE, &path)
                .bearer_auth(&f.rat)
                .header(header::IF_MATCH, "\"r0\""),
        )
    });
}

/// Issue 12, item 7: `If-Match` is a list (RFC 9110 §13.1.1): the condition holds when any
/// listed tag matches the current `ETag` by strong comparison, over one field line or
/// several; a weak tag never matches, and `*` matches the existing client.
#[test]
fn issue_12_if_match_lists_hold_when_any_strong_tag_matches() {
    let f = Fixture::start();
    let path = format!("/register/{}", f.client_id);
    let etag = |reply: &crate::hostile_http::Reply| reply.header("etag").expect("ETag").to_owned();
    let current = etag(&f.send(f.request(Method::GET, &path).bearer_auth(&f.rat)));
    let put = |name: &str, tags: &[&str]| {
        let mut request = f
            .request(Method::PUT, &path)
            .bearer_auth(&f.rat)
            .json(&json!({ "client_name": name, "redirect_uris": [CB] }));
        for tag in tags {
            request = request.header(header::IF_MATCH, *tag);
        }
        f.send(request)
    };
    let accepted = |reply: crate::hostile_http::Reply, name: &str| {
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.json()["client_name"], name);
        etag(&reply)
    };

    // The issue's case: the current tag second in a list.
    let list = format!("\"r999\", {current}");
    let current = accepted(put("listed", &[&list]), "listed");
    // Whitespace (OWS is spaces and tabs), empty elements, a comma inside a foreign tag.
    let list = format!(" \"a,b\" ,\t,{current}\t, W/\"r1\"");
    let current = accepted(put("spaced", &[&list]), "spaced");
    // Two field lines are one list.
    accepted(put("two lines", &["\"r999\"", &current]), "two lines");
    // `*`: the client exists.
    let current = accepted(put("star", &["*"]), "star");
    // A weak tag never matches, even of the current revision, alone or in a list of strangers.
    let weak = format!("W/{current}");
    for tags in [vec![weak.as_str()], vec!["\"r999\"", weak.as_str()]] {
        f.refused(412, Some("precondition_failed"), None, || {
            put("weak", &tags)
        });
    }
    // A list none of whose tags matches, and `*` beside a tag (no valid If-Match value).
    let star_beside = format!("*, {current}");
    for tags in [
        vec!["\"r998\", \"r999\""],
        vec![star_beside.as_str()],
        vec!["*", &current],
    ] {
        f.refused(412, Some("precondition_failed"), None, || {
            put("stale", &tags)
        });
    }
    // DELETE reads the same list.
    let list = format!("\"r999\",{current}");
    let deleted = f.send(
        f.request(Method::DELETE, &path)
            .bearer_auth(&f.rat)
            .header(header::IF_MATCH, "W/\"r1\"")
            .header(header::IF_MATCH, list),
    );
    assert_eq!(deleted.status, 204, "{}", deleted.body);
}

/// RFC 9110 §13.2.1: a request refused for its credential gets that refusal, whatever its
/// `If-Match` says; a wrong token with a foreign tag is 401, never 412.
#[test]
fn a_wrong_token_with_a_foreign_if_match_is_401_not_412() {
    let f = Fixture::start();
    let path = format!("/register/{}", f.client_id);
    for method in [Method::PUT, Method::DELETE] {
        for tag in ["\"x\"", "", "\"r0\""] {
            f.refused(401, Some("invalid_token"), Some(INVALID_TOKEN), || {
                f.send(
                    f.request(method.clone(), &path)
                        .bearer_auth("dcrrat_not-this-client")
                        .header(header::IF_MATCH, tag)
                        .json(&json!({ "redirect_uris": [CB] })),
                )
            });
        }
    }
}

/// A PUT body, its content type, and the status and `error` code it must get.
type Replacement = (String, &'static str, u16, Option<&'static str>);

#[test]
fn hostile_replacement_documents_change_nothing() {
    let f = Fixture::start();
    let path = format!("/register/{}", f.client_id);
    let deep = format!(
        r#"{{"redirect_uris":["{CB}"],"x":{}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let big = format!(
        r#"{{"redirect_uris":["{CB}"],"x":"{}"}}"#,
        "a".repeat(70_000)
    );
    let doc = |extra: serde_json::Value| {
        let mut doc = json!({ "redirect_uris": [CB] });
        for (key, value) in extra.as_object().expect("object") {
            doc[key] = value.clone();
        }
        doc.to_string()
    };
    let metadata = Some("invalid_client_metadata");
    let cases: Vec<(&str, Replacement)> = vec![
        (
            "client_id with SQL",
            (
                doc(json!({ "client_id": SQL })),
                "application/json",
                400,
                metadata,
            ),
        ),
        (
            "ext_param_client_id of another client",
            (
                doc(json!({ "ext_param_client_id": "other" })),
                "application/json",
                400,
                metadata,
            ),
        ),
        (
            "client_secret of the wrong type",
            (
                doc(json!({ "client_secret": 5 })),
                "application/json",
                400,
                metadata,
            ),
        ),
        (
            "a wrong client_secret",
            (
                doc(json!({ "client_secret": "guess" })),
                "application/json",
                400,
                metadata,
            ),
        ),
        (
            "registration_access_token in the body",
            (
                doc(json!({ "registration_access_token": "x" })),
                "application/json",
                400,
                metadata,
            ),
        ),
        (
            "javascript: redirect",
            (
                json!({ "redirect_uris": ["javascript:alert(1)"] }).to_string(),
                "application/json",
                400,
                Some("invalid_redirect_uri"),
            ),
        ),
        (
            "10,000 nested arrays",
            (deep, "application/json", 400, metadata),
        ),
        (
            "over 64 KiB",
            (big, "application/json", 413, Some("invalid_request")),
        ),
        (
            "text/plain",
            (doc(json!({})), "text/plain", 415, Some("invalid_request")),
        ),
    ];
    all_cases(&cases, |(body, content_type, status, code)| {
        f.refused(*status, *code, None, || {
            f.send(
                f.request(Method::PUT, &path)
                    .bearer_auth(&f.rat)
                    .header(header::CONTENT_TYPE, *content_type)
                    .body(body.clone()),
            )
        });
    });
}

#[test]
fn hostile_lookup_queries_find_nothing() {
    let f = Fixture::start();
    // The longest name a client can have (2,048 bytes), percent-encoded: 6,144 characters.
    // A longer request head than 16 KiB is refused with 431 (`hostile_wire`).
    let huge = format!("/register?client_name={}", "%C3%A9".repeat(1024));
    let cases = [
        (
            "invalid percent-encoded UTF-8",
            "/register?client_name=%ff%fe",
        ),
        ("encoded NUL", "/register?client_name=existing%00"),
        ("6,144-character name", huge.as_str()),
        ("trailing space", "/register?client_name=existing%20"),
        ("other case", "/register?client_name=EXISTING"),
        ("plus as space", "/register?client_name=exist+ing"),
    ];
    all_cases(&cases, |path| {
        let reply = f.env.unchanged(|| {
            f.send(
                f.request(Method::GET, path)
                    .basic_auth(ADMIN.0, Some(ADMIN.1)),
            )
        });
        assert_eq!(
            (reply.status, reply.json()),
            (200, json!([])),
            "{}",
            reply.body
        );
        f.alive();
    });
}

/// The open-registration limit is per peer address; headers a client writes itself must not
/// buy it a fresh budget.
#[test]
fn forwarding_headers_do_not_escape_the_rate_limit() {
    let env = TestEnv::new();
    let server = Server::start(&env, &["--open-registration", "--rate-limit", "2/min"]);
    let register = |spoof: &str| {
        server
            .client
            .post(server.url("/register"))
            .header("X-Forwarded-For", spoof)
            .header("X-Real-IP", spoof)
            .header("Forwarded", format!("for={spoof}"))
            .json(&json!({ "redirect_uris": [CB] }))
            .send()
            .expect("POST")
    };
    for spoof in ["203.0.113.1", "203.0.113.2"] {
        assert_eq!(register(spoof).status().as_u16(), 201);
    }
    let before = env.snapshot();
    for spoof in ["203.0.113.3", "::1", "127.0.0.2, 198.51.100.7"] {
        let refused = register(spoof);
        assert_eq!(refused.status().as_u16(), 429, "{spoof}");
        assert!(refused.headers().get(header::RETRY_AFTER).is_some());
        let body: serde_json::Value = refused.json().expect("JSON");
        assert_eq!(body["error"], "too_many_requests");
    }
    assert_eq!(before, env.snapshot(), "the database changed");
    let health = server
        .client
        .get(server.url("/healthz"))
        .send()
        .expect("GET");
    assert_eq!(health.status().as_u16(), 200);
}

/// A burst of hostile requests from many connections at once: every one is answered with a
/// 4xx, nothing is written, and a well-formed request in the middle of it succeeds.
#[test]
fn a_burst_of_hostile_requests_is_answered_and_harmless() {
    let f = Fixture::start();
    let before = f.env.snapshot();
    let bodies: Vec<String> = vec![
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        format!(r#"{{"redirect_uris":["{CB}"],"client_name":"a\u001b[2J"}}"#),
        r#"{"redirect_uris":["javascript:alert(1)"]}"#.to_owned(),
        format!(r#"{{"x":"{}"}}"#, "a".repeat(70_000)),
        "{".to_owned(),
    ];
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..40)
            .map(|i| {
                let body = bodies[i % bodies.len()].clone();
                let f = &f;
                scope.spawn(move || {
                    let mut request = f
                        .request(Method::POST, "/register")
                        .header(header::CONTENT_TYPE, "application/json")
                        .body(body);
                    // Half with the real token (the body is judged), half with a wrong one.
                    request = if i % 2 == 0 {
                        request.bearer_auth(&f.iat)
                    } else {
                        request.bearer_auth("dcriat_wrong")
                    };
                    request.send().expect("POST").status().as_u16()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("worker"))
            .collect()
    });
    assert!(
        statuses.iter().all(|s| (400..500).contains(s)),
        "{statuses:?}"
    );
    assert_eq!(before, f.env.snapshot(), "the database changed");
    let created = f
        .request(Method::POST, "/register")
        .bearer_auth(&f.iat)
        .json(&json!({ "redirect_uris": [CB] }))
        .send()
        .expect("POST");
    assert_eq!(created.status().as_u16(), 201);
    f.alive();
}

/// The peak resident memory of a process, from `/proc` (Linux), in KiB.
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

/// Every `Basic` credential costs an Argon2id verification (19 MiB, t=2), even for an
/// unknown name, and anyone can send one. Without a bound on how many run at once, memory
/// grows by about 19 MiB per concurrent request, up to the 512 blocking threads tokio allows
/// (about 10 GiB). A careful server bounds the concurrent verifications (or refuses beyond
/// them), so a flood costs it a fixed amount of memory.
#[test]
fn a_flood_of_wrong_basic_credentials_keeps_memory_bounded() {
    let f = Fixture::start();
    let before = peak_rss_kib(f.server.pid());
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..48)
            .map(|i| {
                let f = &f;
                scope.spawn(move || {
                    f.request(Method::POST, "/register")
                        .basic_auth("root", Some(format!("guess-{i}")))
                        .json(&json!({ "redirect_uris": [CB] }))
                        .send()
                        .map(|r| r.status().as_u16())
                        .unwrap_or(0)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("worker"))
            .collect()
    });
    let grown_mib = peak_rss_kib(f.server.pid()).saturating_sub(before) / 1024;
    assert!(grown_mib < 256, "peak memory grew by {grown_mib} MiB");
    assert!(
        statuses.iter().all(|s| (400..500).contains(s)),
        "{statuses:?}"
    );
    f.alive();
}

/// The validator and the command line count a top-level `null` as an absent member (SDKs
/// that serialise every field send `"client_id": null`); over HTTP a null `client_id` is taken
/// as naming one: `400` on POST ("may only be chosen by an administrator") and on PUT ("does
/// not match"), although SPEC §5 takes an absent one from the path.
#[test]
fn null_client_id_and_secret_count_as_absent_over_http() {
    let f = Fixture::start();
    let created = f.send(
        f.request(Method::POST, "/register")
            .bearer_auth(&f.iat)
            .json(&json!({ "client_id": null, "client_secret": null, "redirect_uris": [CB] })),
    );
    assert_eq!(
        created.status,
        201,
        "{}",
        created.json()["error_description"]
    );
    let path = format!("/register/{}", f.client_id);
    let replaced = f.send(
        f.request(Method::PUT, &path)
            .bearer_auth(&f.rat)
            .json(&json!({ "client_id": null, "redirect_uris": [CB] })),
    );
    assert_eq!(
        replaced.status,
        200,
        "{}",
        replaced.json()["error_description"]
    );
}

/// Kills the process on drop, so a failing test never leaks a server.
struct Reaper(std::process::Child);

impl Drop for Reaper {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// A log consumer can go away (`dcrctl serve 2>&1 | head`, a crashed sidecar). Logging is
/// best-effort: the server must keep answering and shut down cleanly. tracing-subscriber
/// reports a failed write with `eprintln!`, which panics on a closed stderr, in every request
/// task and at shutdown.
#[test]
fn serve_keeps_answering_when_its_log_reader_goes_away() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let env = TestEnv::new();
    // An existing registry, so that the first line is the address (not a note of creation).
    env.register("existing");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("dcrctl"))
        .env_clear()
        .env("DCRCTL_DB", env.location())
        .env("HOME", env.dir())
        .env("NO_COLOR", "1")
        .current_dir(env.dir())
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--issuer",
            crate::hostile_http::ISSUER,
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn dcrctl serve");
    let stderr = child.stderr.take().expect("stderr");
    let mut server = Reaper(child);
    let mut line = String::new();
    BufReader::new(stderr)
        .read_line(&mut line)
        .expect("first line");
    // The reader (and with it the pipe's read end) is gone from here on.
    let address = line
        .trim()
        .strip_prefix("listening on ")
        .expect("listening on ADDR")
        .to_owned();
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client");
    for _ in 0..3 {
        let health = client
            .get(format!("http://{address}/healthz"))
            .send()
            .map(|r| r.status().as_u16());
        assert_eq!(health.ok(), Some(200), "a request went unanswered");
    }
    let status = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let code = loop {
        if let Some(status) = server.0.try_wait().expect("wait") {
            break status.code();
        }
        assert!(Instant::now() < deadline, "serve ignored SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(code, Some(0), "exit status after SIGTERM");
}

//! Durability of `dcrctl serve` under signals (SPEC §2: "no acknowledged write is lost"; §5:
//! "Shutdown on SIGINT/SIGTERM finishes in-flight requests and loses nothing").
//!
//! Each test fires a burst of registrations at a real server, signals it mid-burst, restarts a
//! server on the same file and checks that every registration answered `201` is still there and
//! readable with its registration access token. Counts depend on the machine's load, so the
//! tests only assert "at least one acknowledged" and "every acknowledged one survives"; every
//! wait is bounded.

use crate::http::{mint_token, Server};
use crate::util::TestEnv;
use reqwest::blocking::Client;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Barrier, Mutex};
use std::time::{Duration, Instant};

/// The longest any single wait may take.
const WAIT: Duration = Duration::from_secs(20);
/// Per-request timeout: generous for a loaded machine, but well inside `WAIT`.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// After this long, burst threads stop sending whatever happened.
const BURST_DEADLINE: Duration = Duration::from_secs(15);

/// One acknowledged registration: its id and registration access token.
#[derive(Debug, Clone)]
struct Acked {
    client_id: String,
    rat: String,
}

/// What one registration request came to.
enum Attempt {
    /// `201` with a complete, valid body.
    Acked(Acked),
    /// The connection was refused: the server is no longer listening.
    Refused,
    /// No response at all (reset or closed before any status line, or a timeout).
    NoResponse(String),
    /// A `201` whose body was cut short or is not a complete registration.
    Truncated(String),
    /// Any status other than `201`.
    Unexpected(String),
}

/// Everything a burst produced.
#[derive(Default)]
struct Outcome {
    acked: Vec<Acked>,
    refused: usize,
    no_response: Vec<String>,
    truncated: Vec<String>,
    unexpected: Vec<String>,
    sent: usize,
}

impl Outcome {
    fn record(&mut self, attempt: Attempt) {
        self.sent += 1;
        match attempt {
            Attempt::Acked(acked) => self.acked.push(acked),
            Attempt::Refused => self.refused += 1,
            Attempt::NoResponse(e) => self.no_response.push(e),
            Attempt::Truncated(e) => self.truncated.push(e),
            Attempt::Unexpected(e) => self.unexpected.push(e),
        }
    }

    fn summary(&self) -> String {
        format!(
            "sent {}, acknowledged {}, refused {}, no response {}, truncated {}, unexpected {}\n\
             no response: {:?}\ntruncated: {:?}\nunexpected: {:?}",
            self.sent,
            self.acked.len(),
            self.refused,
            self.no_response.len(),
            self.truncated.len(),
            self.unexpected.len(),
            first(&self.no_response),
            first(&self.truncated),
            first(&self.unexpected),
        )
    }
}

fn first(items: &[String]) -> &[String] {
    &items[..items.len().min(5)]
}

/// A client that opens a fresh connection for every request (no keep-alive pool), so a request
/// after the listener closed fails to connect instead of racing a closing idle connection.
fn fresh_client() -> Client {
    Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(REQUEST_TIMEOUT)
        .pool_max_idle_per_host(0)
        .build()
        .unwrap()
}

fn metadata(n: usize) -> Value {
    json!({
        "client_name": format!("burst-{n}"),
        "redirect_uris": ["https://app.example.com/callback"],
    })
}

/// POST one registration and classify what came back. A `201` counts as acknowledged only if
/// its whole body arrived and is a registration with an id and a token.
fn register(client: &Client, url: &str, iat: &str, n: usize) -> Attempt {
    let response = match client.post(url).bearer_auth(iat).json(&metadata(n)).send() {
        Ok(response) => response,
        Err(e) if e.is_connect() => return Attempt::Refused,
        Err(e) => return Attempt::NoResponse(format!("{e:?}")),
    };
    let status = response.status();
    let body = match response.bytes() {
        Ok(body) => body,
        Err(e) if status == StatusCode::CREATED => {
            return Attempt::Truncated(format!("201 body unreadable: {e:?}"))
        }
        Err(e) => return Attempt::Unexpected(format!("{status}, body unreadable: {e:?}")),
    };
    let text = String::from_utf8_lossy(&body).into_owned();
    if status != StatusCode::CREATED {
        return Attempt::Unexpected(format!("{status}: {text}"));
    }
    let Ok(value) = serde_json::from_slice::<Value>(&body) else {
        return Attempt::Truncated(format!("201 body is not JSON: {text:?}"));
    };
    let client_id = value["client_id"].as_str().unwrap_or_default();
    let rat = value["registration_access_token"]
        .as_str()
        .unwrap_or_default();
    let uri_ok = value["registration_client_uri"]
        .as_str()
        .is_some_and(|uri| uri.ends_with(&format!("/register/{client_id}")));
    if client_id.is_empty() || rat.is_empty() || !uri_ok {
        return Attempt::Truncated(format!("201 body is not a registration: {text}"));
    }
    Attempt::Acked(Acked {
        client_id: client_id.to_owned(),
        rat: rat.to_owned(),
    })
}

/// Send registrations from `threads` threads as fast as they go (at most `cap` each); once at
/// least 300 ms passed and a few were acknowledged, send `signal` to the server. Threads stop at
/// the first refused connection, at their cap, or at the burst deadline.
fn burst(server: &Server, iat: &str, threads: usize, cap: usize, signal: &str) -> Outcome {
    let url = server.url("/register");
    let outcome = Mutex::new(Outcome::default());
    let acked = AtomicUsize::new(0);
    let gone = AtomicBool::new(false);
    let start = Instant::now();
    std::thread::scope(|scope| {
        for t in 0..threads {
            let (url, outcome, acked, gone) = (&url, &outcome, &acked, &gone);
            scope.spawn(move || {
                let client = fresh_client();
                for i in 0..cap {
                    if gone.load(Ordering::SeqCst) || start.elapsed() > BURST_DEADLINE {
                        break;
                    }
                    let attempt = register(&client, url, iat, t * cap + i);
                    let stop = matches!(attempt, Attempt::Refused);
                    if matches!(attempt, Attempt::Acked(_)) {
                        acked.fetch_add(1, Ordering::SeqCst);
                    }
                    outcome.lock().unwrap().record(attempt);
                    if stop {
                        gone.store(true, Ordering::SeqCst);
                        break;
                    }
                }
            });
        }
        // Signal mid-burst: after ~300 ms, once some registrations went through (bounded).
        while start.elapsed() < WAIT
            && (start.elapsed() < Duration::from_millis(300) || acked.load(Ordering::SeqCst) < 3)
        {
            std::thread::sleep(Duration::from_millis(10));
        }
        server.signal(signal);
    });
    outcome.into_inner().unwrap()
}

/// Wait (bounded) for the signalled server to exit; its exit code (`None`: killed by a signal).
fn exited(server: &mut Server) -> Option<i32> {
    match server.wait_exit(WAIT) {
        Some(code) => code,
        None => panic!(
            "server still running {WAIT:?} after the signal:\n{}",
            server.stderr_log()
        ),
    }
}

/// Restart a server on the same database and check that every acknowledged registration is
/// readable with its token, that `dcrctl db check` passes, and return how many clients the
/// file holds.
fn every_acknowledged_survives(env: &TestEnv, acked: &[Acked]) -> usize {
    let server = Server::start(env, &[]);
    let failures = Mutex::new(Vec::new());
    let chunk = acked.len().div_ceil(4).max(1);
    std::thread::scope(|scope| {
        for part in acked.chunks(chunk) {
            let (server, failures) = (&server, &failures);
            scope.spawn(move || {
                for Acked { client_id, rat } in part {
                    let read = server
                        .client
                        .get(server.url(&format!("/register/{client_id}")))
                        .bearer_auth(rat)
                        .send()
                        .map_err(|e| format!("{e:?}"))
                        .and_then(|r| {
                            let status = r.status();
                            let body = r.text().map_err(|e| format!("{e:?}"))?;
                            Ok((status, body))
                        });
                    let problem = match read {
                        Ok((StatusCode::OK, body)) => {
                            let value: Value = serde_json::from_str(&body).unwrap_or_default();
                            (value["client_id"] != client_id.as_str())
                                .then(|| format!("200 with another body: {body}"))
                        }
                        Ok((status, body)) => Some(format!("{status}: {body}")),
                        Err(e) => Some(e),
                    };
                    if let Some(problem) = problem {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("{client_id}: {problem}"));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "LOST ACKNOWLEDGED REGISTRATIONS: {} of {} not readable after restart, e.g. {:?}",
        failures.len(),
        acked.len(),
        first(&failures)
    );
    drop(server);

    let report = env.run(&["-o", "json", "db", "check"]).ok().json();
    assert_eq!(report["ok"], true, "{report}");

    env.value("SELECT count(*) FROM clients")
}

#[test]
fn sigterm_during_a_burst_loses_no_acknowledged_registration() {
    let env = TestEnv::new();
    let iat = mint_token(&env, None);
    let mut server = Server::start(&env, &[]);

    let outcome = burst(&server, &iat, 8, 60, "TERM");
    let code = exited(&mut server);
    let log = server.stderr_log();
    drop(server);
    let summary = outcome.summary();
    eprintln!("SIGTERM burst: {summary}");

    assert_eq!(code, Some(0), "SIGTERM exit code\n{summary}\n{log}");
    assert!(!outcome.acked.is_empty(), "nothing acknowledged: {summary}");
    assert!(
        outcome.truncated.is_empty(),
        "graceful shutdown cut a 201 short: {summary}"
    );
    assert!(
        outcome.unexpected.is_empty(),
        "non-201 during the burst: {summary}"
    );

    let stored = every_acknowledged_survives(&env, &outcome.acked);
    assert!(stored >= outcome.acked.len(), "{stored} stored: {summary}");
    eprintln!("SIGTERM burst: {stored} clients stored");
}

#[test]
fn sigkill_during_a_burst_then_restart_keeps_every_acknowledged_registration() {
    let env = TestEnv::new();
    let iat = mint_token(&env, None);
    let mut server = Server::start(&env, &[]);

    let outcome = burst(&server, &iat, 8, 60, "KILL");
    let code = exited(&mut server);
    drop(server);
    let summary = outcome.summary();
    eprintln!("SIGKILL burst: {summary}");

    assert_eq!(code, None, "SIGKILL should end the process by signal");
    assert!(!outcome.acked.is_empty(), "nothing acknowledged: {summary}");
    // A body cut short by the kill is not an acknowledgement; any other status is a bug.
    assert!(
        outcome.unexpected.is_empty(),
        "non-201 during the burst: {summary}"
    );

    let stored = every_acknowledged_survives(&env, &outcome.acked);
    assert!(
        stored >= outcome.acked.len(),
        "{stored} clients stored, fewer than acknowledged: {summary}"
    );
    eprintln!("SIGKILL burst: {stored} clients stored");
}

#[test]
fn in_flight_requests_finish_during_shutdown() {
    const N: usize = 24;
    let env = TestEnv::new();
    let iat = mint_token(&env, None);
    let mut server = Server::start(&env, &[]);
    let url = server.url("/register");

    // Each thread warms a keep-alive connection first, so that at the barrier all N POSTs go
    // out at once on open connections, and SIGTERM follows the first answer: the rest are then
    // in flight.
    let barrier = Barrier::new(N + 1);
    let acked = AtomicUsize::new(0);
    let outcome = Mutex::new(Outcome::default());
    let start = Instant::now();
    std::thread::scope(|scope| {
        for n in 0..N {
            let (server, url, iat, barrier, acked, outcome) =
                (&server, &url, &iat, &barrier, &acked, &outcome);
            scope.spawn(move || {
                let client = Client::builder()
                    .timeout(REQUEST_TIMEOUT)
                    .connect_timeout(REQUEST_TIMEOUT)
                    .build()
                    .unwrap();
                let warm = client.get(server.url("/healthz")).send();
                let warm = warm.map(|r| (r.status(), r.bytes().is_ok()));
                barrier.wait();
                if !matches!(warm, Ok((StatusCode::OK, true))) {
                    outcome
                        .lock()
                        .unwrap()
                        .record(Attempt::Unexpected(format!("warm-up: {warm:?}")));
                    return;
                }
                let attempt = register(&client, url, iat, n);
                if matches!(attempt, Attempt::Acked(_)) {
                    acked.fetch_add(1, Ordering::SeqCst);
                }
                outcome.lock().unwrap().record(attempt);
            });
        }
        barrier.wait();
        let sent = Instant::now();
        while acked.load(Ordering::SeqCst) == 0 && sent.elapsed() < WAIT {
            std::thread::sleep(Duration::from_millis(1));
        }
        server.signal("TERM");
    });
    let code = exited(&mut server);
    let log = server.stderr_log();
    drop(server);
    let outcome = outcome.into_inner().unwrap();
    let summary = outcome.summary();
    eprintln!("in-flight shutdown after {:?}: {summary}", start.elapsed());

    assert_eq!(code, Some(0), "SIGTERM exit code\n{summary}\n{log}");
    assert_eq!(outcome.sent, N, "{summary}");
    assert!(!outcome.acked.is_empty(), "nothing acknowledged: {summary}");
    // Every request either got a complete 201 or got no response at all (refused, or its
    // connection closed before the server read it); never a cut-short or failed answer.
    assert!(
        outcome.truncated.is_empty(),
        "graceful shutdown cut a 201 short: {summary}"
    );
    assert!(
        outcome.unexpected.is_empty(),
        "non-201 answer during shutdown: {summary}"
    );

    let stored = every_acknowledged_survives(&env, &outcome.acked);
    assert!(stored >= outcome.acked.len(), "{stored} stored: {summary}");
    eprintln!("in-flight shutdown: {stored} clients stored");
}

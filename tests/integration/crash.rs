//! Crash consistency (SPEC §2: every change is committed durably before success is reported,
//! and no acknowledged write is lost): 20 rounds on one database file, each starting
//! `dcrctl serve`, loading it with concurrent registrations and registration-token rotations,
//! and SIGKILLing it at a random moment.
//!
//! After every kill, `dcrctl db check` passes and every registration acknowledged with `201`
//! in any round so far is still in the file; after every restart, each one acknowledged in the
//! last round opens with its registration access token, and a rotation acknowledged before the
//! kill has taken effect (the new token opens the client, the old one is `401`). At the end
//! every acknowledged registration of every round is read back over HTTP.
//!
//! The kill delays come from a seeded RNG; the seed is printed, and is part of every failure
//! message (`DCRCTL_CRASH_SEED=N` replays the same delays; the machine's timing still varies).

use crate::http::{mint_token, Server};
use crate::util::TestEnv;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::blocking::Client;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Kill-and-restart rounds: 20 with `DCRCTL_SOAK=1` (as `.ci/run` sets), 4 otherwise.
fn rounds() -> usize {
    if crate::util::soak() {
        20
    } else {
        4
    }
}
/// Load threads per round, each with its own HTTP client.
const THREADS: usize = 6;
/// The kill comes this long (milliseconds, uniformly) after the server started listening.
const KILL_AFTER_MS: std::ops::RangeInclusive<u64> = 50..=600;
/// Every third acknowledged registration has its registration access token rotated.
const ROTATE_EVERY: usize = 3;
/// The longest any single wait may take.
const WAIT: Duration = Duration::from_secs(20);
/// Per-request timeout: generous for a loaded machine, well inside `WAIT`.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// A client whose registration was acknowledged, and what its token should be now.
#[derive(Debug, Clone)]
struct Client201 {
    client_id: String,
    /// The token that must open the client; `None` when a rotation was sent but its answer
    /// lost in the kill, so either token may be the live one.
    rat: Option<String>,
    /// Tokens replaced by acknowledged rotations: each must be `401`.
    dead: Vec<String>,
}

/// What one load thread saw in one round.
#[derive(Default)]
struct Load {
    acked: Vec<Client201>,
    rotations: usize,
    /// Answers that are neither a success nor a lost connection: always a bug.
    unexpected: Vec<String>,
}

/// No keep-alive pool: a request after the kill fails to connect instead of racing a closed
/// idle connection, so threads stop promptly.
fn fresh_client() -> Client {
    Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(REQUEST_TIMEOUT)
        .pool_max_idle_per_host(0)
        .build()
        .unwrap()
}

/// The answer to one request: `None` when no complete answer arrived (the server died).
fn send(request: reqwest::blocking::RequestBuilder) -> Option<(StatusCode, Value)> {
    let response = request.send().ok()?;
    let status = response.status();
    let body = response.bytes().ok()?;
    match serde_json::from_slice(&body) {
        Ok(value) => Some((status, value)),
        // A body cut short by the kill is not an answer.
        Err(_) if status.is_success() => None,
        Err(_) => Some((status, Value::Null)),
    }
}

/// Register and rotate as fast as possible until the server stops answering (or `WAIT`).
fn load(server: &Server, iat: &str, thread: usize, round: usize, stop: &AtomicBool) -> Load {
    let client = fresh_client();
    let mut out = Load::default();
    let start = Instant::now();
    let mut n = 0;
    while !stop.load(Ordering::SeqCst) && start.elapsed() < WAIT {
        n += 1;
        let body = json!({
            "client_name": format!("crash-{round}-{thread}-{n}"),
            "redirect_uris": ["https://app.example.com/callback"],
        });
        let request = client
            .post(server.url("/register"))
            .bearer_auth(iat)
            .json(&body);
        let Some((status, value)) = send(request) else {
            break;
        };
        if status != StatusCode::CREATED {
            out.unexpected
                .push(format!("register: {status} {}", value["error"]));
            break;
        }
        let (Some(id), Some(rat)) = (
            value["client_id"].as_str(),
            value["registration_access_token"].as_str(),
        ) else {
            out.unexpected.push("201 without an id or token".into());
            break;
        };
        let mut acked = Client201 {
            client_id: id.to_owned(),
            rat: Some(rat.to_owned()),
            dead: Vec::new(),
        };
        if out.acked.len() % ROTATE_EVERY == ROTATE_EVERY - 1 {
            let request = client
                .post(server.url(&format!("/register/{id}/registration-token")))
                .bearer_auth(rat);
            match send(request) {
                Some((StatusCode::OK, value)) => {
                    match value["registration_access_token"].as_str() {
                        Some(new) if new != rat => {
                            acked.dead.push(rat.to_owned());
                            acked.rat = Some(new.to_owned());
                            out.rotations += 1;
                        }
                        _ => out.unexpected.push("rotation without a new token".into()),
                    }
                }
                Some((status, value)) => {
                    out.unexpected
                        .push(format!("rotate: {status} {}", value["error"]));
                }
                None => acked.rat = None,
            }
        }
        out.acked.push(acked);
    }
    out
}

/// Read `client` back with every token it should (and should no longer) open with.
fn problems_reading(server: &Server, client: &Client201) -> Vec<String> {
    let id = &client.client_id;
    let read = |token: &str| {
        send(
            server
                .client
                .get(server.url(&format!("/register/{id}")))
                .bearer_auth(token),
        )
    };
    let mut problems = Vec::new();
    if let Some(rat) = &client.rat {
        match read(rat) {
            Some((StatusCode::OK, value)) if value["client_id"] == id.as_str() => {}
            // Only the error code: a body could hold a token, which a failure must not print.
            Some((status, value)) => problems.push(format!("{id}: {status} {}", value["error"])),
            None => problems.push(format!("{id}: no answer")),
        }
    }
    for old in &client.dead {
        match read(old) {
            Some((StatusCode::UNAUTHORIZED, _)) => {}
            Some((status, _)) => {
                problems.push(format!("{id}: a rotated-out token answered {status}"));
            }
            None => problems.push(format!("{id}: no answer")),
        }
    }
    problems
}

/// Read `clients` back on `server` from four threads; every problem found.
fn read_back(server: &Server, clients: &[Client201]) -> Vec<String> {
    let problems = Mutex::new(Vec::new());
    let chunk = clients.len().div_ceil(4).max(1);
    std::thread::scope(|scope| {
        for part in clients.chunks(chunk) {
            let problems = &problems;
            scope.spawn(move || {
                for client in part {
                    let found = problems_reading(server, client);
                    problems.lock().unwrap().extend(found);
                }
            });
        }
    });
    problems.into_inner().unwrap()
}

/// The ids in the file.
fn stored_ids(env: &TestEnv) -> std::collections::HashSet<String> {
    env.rows("SELECT client_id FROM clients")
        .into_iter()
        .filter_map(|row| row.into_iter().next().flatten())
        .collect()
}

fn seed() -> u64 {
    std::env::var("DCRCTL_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64)
        })
}

#[test]
fn sigkill_at_random_moments_loses_no_acknowledged_registration_or_rotation() {
    let seed = seed();
    eprintln!("crash test seed {seed} (DCRCTL_CRASH_SEED={seed} replays the kill delays)");
    let mut rng = StdRng::seed_from_u64(seed);
    let env = TestEnv::new();
    let iat = mint_token(&env, None);
    let started = Instant::now();
    // Every acknowledged client so far, by id.
    let mut all: HashMap<String, Client201> = HashMap::new();
    let mut last_round: Vec<Client201> = Vec::new();
    let mut per_round = Vec::new();

    let rounds = rounds();
    for round in 0..=rounds {
        let mut server = Server::start(&env, &[]);
        let at = format!("seed {seed}, round {round}");
        let problems = read_back(&server, &last_round);
        assert!(
            problems.is_empty(),
            "{at}: LOST after restart: {} of {} acknowledged in the last round, e.g. {:?}",
            problems.len(),
            last_round.len(),
            &problems[..problems.len().min(5)]
        );
        if round == rounds {
            let everything: Vec<Client201> = all.values().cloned().collect();
            let problems = read_back(&server, &everything);
            assert!(
                problems.is_empty(),
                "{at}: {} of {} acknowledged registrations not readable at the end, e.g. {:?}",
                problems.len(),
                everything.len(),
                &problems[..problems.len().min(5)]
            );
            break;
        }

        let delay = Duration::from_millis(rng.random_range(KILL_AFTER_MS));
        let stop = AtomicBool::new(false);
        let loads: Vec<Load> = std::thread::scope(|scope| {
            let threads: Vec<_> = (0..THREADS)
                .map(|t| {
                    let (server, iat, stop) = (&server, &iat, &stop);
                    scope.spawn(move || load(server, iat, t, round, stop))
                })
                .collect();
            std::thread::sleep(delay);
            server.signal("KILL");
            stop.store(true, Ordering::SeqCst);
            threads.into_iter().map(|t| t.join().unwrap()).collect()
        });
        match server.wait_exit(WAIT) {
            Some(None) => {}
            other => panic!("{at}: the server did not die of SIGKILL: {other:?}"),
        }
        drop(server);

        let unexpected: Vec<&String> = loads.iter().flat_map(|l| &l.unexpected).collect();
        assert!(
            unexpected.is_empty(),
            "{at}: unexpected answers {unexpected:?}"
        );
        last_round = loads.into_iter().flat_map(|l| l.acked).collect();
        let rotations = last_round.iter().filter(|c| !c.dead.is_empty()).count();
        per_round.push((delay.as_millis(), last_round.len(), rotations));
        for client in &last_round {
            all.insert(client.client_id.clone(), client.clone());
        }

        let report = env.run(&["-o", "json", "db", "check"]).ok().json();
        assert_eq!(
            report["ok"], true,
            "{at}: db check after the kill: {report}"
        );
        let stored = stored_ids(&env);
        let missing: Vec<&String> = all.keys().filter(|id| !stored.contains(*id)).collect();
        assert!(
            missing.is_empty(),
            "{at}: LOST: {} of {} acknowledged registrations missing from the file, e.g. {:?}",
            missing.len(),
            all.len(),
            &missing[..missing.len().min(5)]
        );
    }

    let total: usize = per_round.iter().map(|r| r.1).sum();
    let rotations: usize = per_round.iter().map(|r| r.2).sum();
    eprintln!(
        "crash test: {rounds} rounds in {:?}, {total} registrations and {rotations} rotations \
         acknowledged; per round (kill after ms, registrations, rotations): {per_round:?}",
        started.elapsed()
    );
    assert!(
        total > 0,
        "seed {seed}: no registration was ever acknowledged"
    );
}

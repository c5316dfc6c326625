//! Issue 12 (items 1, 4, 5): the server's write path and its password checks under a lock
//! holder and under floods.
//!
//! * A change whose request was answered `408`, or whose connection closed while it was
//!   queued, is never made (item 1).
//! * A wrong `client_secret` in a `PUT` is checked with Argon2 outside the write transaction
//!   (item 4).
//! * A flood of wrong admin passwords cannot queue a correct login behind it (item 5).
//!
//! A lock holder is another SQLite connection in `BEGIN IMMEDIATE`, as a CLI process or a
//! cron job holding the write lock would be.

use crate::http::{mint_token, Server};
use crate::util::TestEnv;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn web() -> Value {
    json!({ "client_name": "web", "redirect_uris": ["https://app.example.com/cb"] })
}

/// Another connection holding the database's write lock until dropped.
struct LockHolder(rusqlite::Connection);

impl LockHolder {
    fn take(env: &TestEnv) -> LockHolder {
        let conn = rusqlite::Connection::open(env.db()).expect("open the database");
        conn.execute_batch("BEGIN IMMEDIATE")
            .expect("take the write lock");
        LockHolder(conn)
    }

    fn release(self) {
        self.0
            .execute_batch("ROLLBACK")
            .expect("release the write lock");
    }
}

fn count(env: &TestEnv, sql: &str) -> i64 {
    rusqlite::Connection::open(env.db())
        .unwrap()
        .query_row(sql, [], |row| row.get(0))
        .unwrap()
}

fn clients(env: &TestEnv) -> i64 {
    count(env, "SELECT count(*) FROM clients")
}

fn token_uses(env: &TestEnv) -> i64 {
    count(env, "SELECT sum(uses) FROM initial_access_tokens")
}

/// Item 1: a registration queued behind a lock holder past the request's deadline is answered
/// `408` and never made: once the lock is released no client appears, the one-use initial
/// access token is unspent, and it still registers one client.
#[test]
fn issue_12_a_registration_answered_408_is_never_made() {
    crate::util::sqlite_only!("holds SQLite's write lock");
    let env = TestEnv::new();
    let token = mint_token(&env, Some("1"));
    let server = Server::start(&env, &["--request-timeout", "1s"]);
    let lock = LockHolder::take(&env);
    let started = Instant::now();
    let response = server
        .client
        .post(server.url("/register"))
        .bearer_auth(&token)
        .json(&web())
        .send()
        .expect("POST");
    let waited = started.elapsed();
    assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT);
    let body: Value = response.json().unwrap();
    assert_eq!(body["error"], "temporarily_unavailable", "{body}");
    let description = body["error_description"].as_str().unwrap();
    assert!(description.contains("within 1s"), "{description}");
    assert!(description.contains("nothing"), "{description}");
    assert!(waited < Duration::from_secs(5), "{waited:?}");
    // The writer is still waiting for the lock with the change in its batch.
    std::thread::sleep(Duration::from_millis(200));
    lock.release();
    // The next change goes through the writer after the abandoned one: once it is answered,
    // the abandoned one had its turn.
    let retried = server
        .client
        .post(server.url("/register"))
        .bearer_auth(&token)
        .json(&web())
        .send()
        .expect("POST");
    assert_eq!(retried.status(), StatusCode::CREATED);
    assert_eq!(clients(&env), 1, "the 408 registration was made");
    assert_eq!(token_uses(&env), 1);
}

/// Item 1: a registration whose connection closed while it waited for the lock is never
/// made either.
#[test]
fn issue_12_a_registration_whose_connection_closed_while_queued_is_never_made() {
    crate::util::sqlite_only!("holds SQLite's write lock");
    let env = TestEnv::new();
    let token = mint_token(&env, Some("1"));
    let server = Server::start(&env, &[]);
    let lock = LockHolder::take(&env);
    let body = web().to_string();
    let address = server.url("").trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&address).expect("connect");
    write!(
        stream,
        "POST /register HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    stream.flush().unwrap();
    // Queued behind the lock; then the client goes away.
    std::thread::sleep(Duration::from_millis(300));
    drop(stream);
    std::thread::sleep(Duration::from_millis(300));
    lock.release();
    let retried = server
        .client
        .post(server.url("/register"))
        .bearer_auth(&token)
        .json(&web())
        .send()
        .expect("POST");
    assert_eq!(retried.status(), StatusCode::CREATED);
    assert_eq!(clients(&env), 1, "the abandoned registration was made");
    assert_eq!(token_uses(&env), 1);
}

/// A client whose secret an admin chose (stored as Argon2id), and its registration access
/// token.
fn argon2_client(env: &TestEnv) -> String {
    let chosen = env
        .run_stdin(
            &[
                "-o",
                "json",
                "register",
                "--client-id",
                "argon-client",
                "--client-name",
                "chosen",
                "--redirect-uri",
                "https://app.example.com/cb",
                "--client-secret-stdin",
            ],
            "an-admin-chosen-secret",
        )
        .ok()
        .json();
    chosen["registration_access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn replacement(secret: &str) -> Value {
    json!({
        "client_id": "argon-client",
        "client_secret": secret,
        "client_name": "chosen",
        "redirect_uris": ["https://app.example.com/cb"],
    })
}

/// Item 4: `PUT`s with a wrong `client_secret` for a client whose secret is an Argon2id hash
/// do not delay other changes: the secret is checked before the change reaches the writer,
/// not inside the write transaction every change shares. Before, a registration sent behind
/// 60 of them waited for 60 Argon2id checks in a row.
#[test]
fn issue_12_wrong_secrets_in_puts_do_not_hold_up_registrations() {
    crate::util::sqlite_only!("reads the SQLite file");
    let env = TestEnv::new();
    let rat = argon2_client(&env);
    let token = mint_token(&env, None);
    let server = Server::start(&env, &[]);
    let put = server.url("/register/argon-client");
    let flood = 60;
    let barrier = std::sync::Barrier::new(flood + 1);
    let (took, statuses) = std::thread::scope(|scope| {
        let attackers: Vec<_> = (0..flood)
            .map(|_| {
                let (barrier, server, put, rat) = (&barrier, &server, &put, &rat);
                scope.spawn(move || {
                    barrier.wait();
                    let wrong = replacement("not-the-secret");
                    let response = server.client.put(put).bearer_auth(rat).json(&wrong);
                    let response = response.send().expect("PUT");
                    let status = response.status();
                    let body: Value = response.json().unwrap_or(Value::Null);
                    (status, body["error"].as_str().unwrap_or("").to_owned())
                })
            })
            .collect();
        barrier.wait();
        std::thread::sleep(Duration::from_millis(100));
        let started = Instant::now();
        let registered = server
            .client
            .post(server.url("/register"))
            .bearer_auth(&token)
            .json(&web())
            .send()
            .expect("POST");
        let took = started.elapsed();
        assert_eq!(registered.status(), StatusCode::CREATED);
        let statuses: Vec<_> = attackers.into_iter().map(|a| a.join().unwrap()).collect();
        (took, statuses)
    });
    for (status, error) in &statuses {
        match *status {
            StatusCode::BAD_REQUEST => assert_eq!(error, "invalid_client_metadata"),
            StatusCode::TOO_MANY_REQUESTS => assert_eq!(error, "too_many_requests"),
            other => panic!("{other} {error}"),
        }
    }
    assert!(
        took < Duration::from_secs(1),
        "the registration took {took:?}"
    );
    // The right secret is still accepted, and the wrong ones changed nothing.
    let right = server
        .client
        .put(&put)
        .bearer_auth(&rat)
        .json(&replacement("an-admin-chosen-secret"))
        .send()
        .expect("PUT");
    assert_eq!(right.status(), StatusCode::OK);
    assert_eq!(
        count(&env, "SELECT count(*) FROM events WHERE action = 'update'"),
        0
    );
}

/// Latencies of a probe sent every `PROBE_EVERY` while `workers` threads run `attack` in a
/// loop, after a warm-up of `WARM_UP`, for `run_for`. Bounded: every loop ends at the
/// deadline (a request in flight then ends within the client's timeout).
fn under_flood<T>(
    workers: usize,
    run_for: Duration,
    attack: impl Fn(usize) + Sync,
    mut probe: impl FnMut() -> T,
) -> Vec<(Duration, T)> {
    const WARM_UP: Duration = Duration::from_secs(1);
    const PROBE_EVERY: Duration = Duration::from_millis(100);
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        for worker in 0..workers {
            let (stop, attack) = (&stop, &attack);
            scope.spawn(move || {
                let mut round = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    attack(worker + workers * round);
                    round += 1;
                }
            });
        }
        std::thread::sleep(WARM_UP);
        let mut probes = Vec::new();
        let until = Instant::now() + run_for;
        while Instant::now() < until {
            let started = Instant::now();
            let outcome = probe();
            probes.push((started.elapsed(), outcome));
            std::thread::sleep(PROBE_EVERY.saturating_sub(started.elapsed()));
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        probes
    })
}

/// `n=… median=… p99=… max=…` of latencies.
fn summary(latencies: impl IntoIterator<Item = Duration>) -> String {
    let mut latencies: Vec<Duration> = latencies.into_iter().collect();
    if latencies.is_empty() {
        return "n=0".into();
    }
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    format!(
        "n={} median={:?} p99={:?} max={:?}",
        latencies.len(),
        at(0.5),
        at(0.99),
        latencies[latencies.len() - 1]
    )
}

/// A flood parameter from the environment, else `default`.
fn knob(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// Item 4's measurement (not run by default): HTTP registration latency while
/// `FLOOD_WORKERS` (100) loops send `PUT`s with a wrong `client_secret` for a client whose
/// secret an admin chose (Argon2id), for `FLOOD_SECS` (8):
/// `cargo test --test integration -- --ignored --nocapture measure_registration_under_bad_puts`
#[test]
#[ignore = "a measurement; run by hand"]
fn measure_registration_under_bad_puts() {
    let env = TestEnv::new();
    let rat = argon2_client(&env);
    let token = mint_token(&env, None);
    let server = Server::start(&env, &[]);
    let put = server.url("/register/argon-client");
    let wrong = replacement("not-the-secret");
    let probes = under_flood(
        knob("FLOOD_WORKERS", 100) as usize,
        Duration::from_secs(knob("FLOOD_SECS", 8)),
        |_| {
            let _ = server
                .client
                .put(&put)
                .bearer_auth(&rat)
                .json(&wrong)
                .send();
        },
        || {
            server
                .client
                .post(server.url("/register"))
                .bearer_auth(&token)
                .json(&web())
                .send()
                .expect("POST")
                .status()
        },
    );
    println!(
        "registration under bad PUTs: {}",
        summary(probes.iter().map(|(latency, _)| *latency))
    );
    assert!(
        probes.iter().all(|(_, s)| *s == StatusCode::CREATED),
        "{probes:?}"
    );
}

/// Item 5's measurement (not run by default): a correct admin login's latency while
/// `FLOOD_WORKERS` (200) loops send wrong admin passwords from 300 addresses (behind a
/// proxy, by `X-Forwarded-For`), for `FLOOD_SECS` (8):
/// `cargo test --test integration -- --ignored --nocapture measure_admin_login_under_flood`
#[test]
#[ignore = "a measurement; run by hand"]
fn measure_admin_login_under_flood() {
    let env = TestEnv::new();
    env.run_stdin(
        &["admin", "add", "root", "--password-stdin"],
        "correct horse",
    )
    .ok();
    let server = Server::start(
        &env,
        &["--behind-proxy", "--admin-failure-limit", "100000/min"],
    );
    let lookup = server.url("/register?client_name=x");
    let login = |password: &str, from: &str| {
        server
            .client
            .get(&lookup)
            .basic_auth("root", Some(password))
            .header("x-forwarded-for", from)
            .send()
            .expect("GET")
            .status()
    };
    // The admin's usual address has logged in before; each new one never has.
    assert_eq!(login("correct horse", "192.0.2.1"), StatusCode::OK);
    let mut fresh = 0;
    let probes = under_flood(
        knob("FLOOD_WORKERS", 200) as usize,
        Duration::from_secs(knob("FLOOD_SECS", 8)),
        |n| {
            let from = format!("10.0.{}.{}", n % 300 / 256, n % 300 % 256);
            let _ = server
                .client
                .get(&lookup)
                .basic_auth("root", Some("wrong horse"))
                .header("x-forwarded-for", from)
                .send();
        },
        || {
            let timed = |from: &str| {
                let started = Instant::now();
                let status = login("correct horse", from);
                (started.elapsed(), status)
            };
            fresh += 1;
            [
                timed("192.0.2.1"),
                timed(&format!("192.0.2.{}", 2 + fresh % 250)),
            ]
        },
    );
    for (index, what) in ["the usual address", "a new address"]
        .into_iter()
        .enumerate()
    {
        let latencies = probes.iter().map(|(_, both)| both[index].0);
        println!("correct login from {what}: {}", summary(latencies));
        let mut counts = std::collections::BTreeMap::new();
        for (_, both) in &probes {
            *counts.entry(both[index].1.as_u16()).or_insert(0) += 1;
        }
        println!("  statuses: {counts:?}");
    }
}

/// Item 5: a correct admin login from an address that logged in before is answered at once
/// while 200 wrong-password requests from 200 other addresses are in flight: the waiting
/// verifications are bounded (the excess is answered `429` at once) and its address is served
/// first. Before, it queued behind all of them (seconds).
#[test]
fn issue_12_a_correct_admin_login_stays_fast_under_a_flood_of_wrong_ones() {
    let env = TestEnv::new();
    env.run_stdin(
        &["admin", "add", "root", "--password-stdin"],
        "correct horse",
    )
    .ok();
    let server = Server::start(&env, &["--behind-proxy"]);
    let lookup = server.url("/register?client_name=x");
    let login = |password: &str, from: &str| {
        server
            .client
            .get(&lookup)
            .basic_auth("root", Some(password))
            .header("x-forwarded-for", from)
            .send()
            .expect("GET")
    };
    assert_eq!(login("correct horse", "192.0.2.1").status(), StatusCode::OK);
    let flood = 200;
    let barrier = std::sync::Barrier::new(flood + 1);
    let (took, statuses) = std::thread::scope(|scope| {
        let attackers: Vec<_> = (0..flood)
            .map(|n| {
                let (barrier, login) = (&barrier, &login);
                scope.spawn(move || {
                    barrier.wait();
                    login("wrong horse", &format!("10.0.{}.{}", n / 256, n % 256 + 1))
                })
            })
            .collect();
        barrier.wait();
        // Let the flood arrive first.
        std::thread::sleep(Duration::from_millis(300));
        let started = Instant::now();
        let response = login("correct horse", "192.0.2.1");
        let took = started.elapsed();
        assert_eq!(response.status(), StatusCode::OK);
        let statuses: Vec<(StatusCode, Option<String>)> = attackers
            .into_iter()
            .map(|attacker| {
                let response = attacker.join().unwrap();
                let retry = response
                    .headers()
                    .get("retry-after")
                    .map(|value| value.to_str().unwrap().to_owned());
                (response.status(), retry)
            })
            .collect();
        (took, statuses)
    });
    assert!(
        took < Duration::from_secs(2),
        "the correct login took {took:?}"
    );
    let refused = statuses
        .iter()
        .filter(|(status, _)| *status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(refused > 0, "no wrong password was refused at once");
    for (status, retry) in &statuses {
        match *status {
            StatusCode::UNAUTHORIZED => {}
            StatusCode::TOO_MANY_REQUESTS => assert_eq!(retry.as_deref(), Some("1")),
            other => panic!("{other}"),
        }
    }
}

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

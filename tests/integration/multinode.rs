//! Several `dcrctl serve` nodes and CLI processes on one PostgreSQL registry: what one node
//! decides, every node sees at once, and no race between nodes gets past a limit. Each test
//! starts two servers on its own schema; every loop is bounded in count and time.

use crate::http::Server;
use crate::util::TestEnv;
use reqwest::header;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::{Arc, Barrier};

fn client() -> Value {
    json!({ "client_name": "node", "redirect_uris": ["https://app.example.com/callback"] })
}

/// Two nodes on one registry, each with `extra` flags.
fn two_nodes(env: &TestEnv, extra: &[&str]) -> [Server; 2] {
    [Server::start(env, extra), Server::start(env, extra)]
}

/// `count` registrations sent at once, alternating between the nodes; their statuses.
fn register_at_once(nodes: &[Server; 2], count: usize, token: Option<&str>) -> Vec<StatusCode> {
    let barrier = Arc::new(Barrier::new(count));
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..count)
            .map(|i| {
                let (node, barrier) = (&nodes[i % 2], barrier.clone());
                scope.spawn(move || {
                    let mut request = node.client.post(node.url("/register")).json(&client());
                    if let Some(token) = token {
                        request = request.bearer_auth(token);
                    }
                    barrier.wait();
                    request.send().expect("a reply").status()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn created(statuses: &[StatusCode]) -> usize {
    statuses
        .iter()
        .filter(|status| **status == StatusCode::CREATED)
        .count()
}

#[test]
#[cfg_attr(
    not(dcrctl_pg),
    ignore = "needs PostgreSQL: eval \"$(scripts/postgres.sh start)\" then cargo test"
)]
fn an_initial_access_token_with_n_uses_registers_exactly_n_clients_across_nodes() {
    let env = TestEnv::on_postgres_schema();
    let token = crate::http::mint_token(&env, Some("5"));
    let nodes = two_nodes(&env, &[]);
    let statuses = register_at_once(&nodes, 24, Some(&token));
    assert_eq!(created(&statuses), 5, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::UNAUTHORIZED),
        "{statuses:?}"
    );
    let count: i64 = env.value("SELECT count(*) FROM clients");
    assert_eq!(count, 5);
    let uses: i64 = env.value("SELECT uses FROM initial_access_tokens");
    assert_eq!(uses, 5);
}

#[test]
#[cfg_attr(
    not(dcrctl_pg),
    ignore = "needs PostgreSQL: eval \"$(scripts/postgres.sh start)\" then cargo test"
)]
fn max_clients_never_overshoots_across_nodes() {
    let env = TestEnv::on_postgres_schema();
    let nodes = two_nodes(
        &env,
        &[
            "--open-registration",
            "--max-clients",
            "7",
            "--rate-limit",
            "1000/min",
        ],
    );
    let statuses = register_at_once(&nodes, 24, None);
    assert_eq!(created(&statuses), 7, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::FORBIDDEN),
        "{statuses:?}"
    );
    let count: i64 = env.value("SELECT count(*) FROM clients");
    assert_eq!(count, 7);
}

#[test]
#[cfg_attr(
    not(dcrctl_pg),
    ignore = "needs PostgreSQL: eval \"$(scripts/postgres.sh start)\" then cargo test"
)]
fn concurrent_if_match_puts_on_two_nodes_let_exactly_one_through() {
    let env = TestEnv::on_postgres_schema();
    let nodes = two_nodes(&env, &["--open-registration"]);
    let made: Value = nodes[0]
        .client
        .post(nodes[0].url("/register"))
        .json(&client())
        .send()
        .unwrap()
        .json()
        .unwrap();
    let path = format!("/register/{}", made["client_id"].as_str().unwrap());
    let token = made["registration_access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let read = nodes[1]
        .client
        .get(nodes[1].url(&path))
        .bearer_auth(&token)
        .send()
        .unwrap();
    let etag = read.headers()[header::ETAG].to_str().unwrap().to_owned();
    let current: Value = read.json().unwrap();
    let editors = 8;
    let barrier = Arc::new(Barrier::new(editors));
    let statuses: Vec<StatusCode> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..editors)
            .map(|i| {
                let node = &nodes[i % 2];
                let barrier = barrier.clone();
                let mut body = current.clone();
                body["client_name"] = json!(format!("editor {i}"));
                for volatile in [
                    "registration_access_token",
                    "registration_client_uri",
                    "client_secret_expires_at",
                    "client_id_issued_at",
                ] {
                    body.as_object_mut().unwrap().remove(volatile);
                }
                let (path, token, etag) = (&path, &token, &etag);
                scope.spawn(move || {
                    let request = node
                        .client
                        .put(node.url(path))
                        .bearer_auth(token)
                        .header(header::IF_MATCH, etag)
                        .json(&body);
                    barrier.wait();
                    request.send().expect("a reply").status()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let stale = statuses
        .iter()
        .filter(|s| **s == StatusCode::PRECONDITION_FAILED)
        .count();
    assert_eq!((ok, stale), (1, editors - 1), "{statuses:?}");
    let revision: i64 = env.value("SELECT revision FROM clients");
    assert_eq!(revision, 2, "exactly one edit was applied");
}

#[test]
#[cfg_attr(
    not(dcrctl_pg),
    ignore = "needs PostgreSQL: eval \"$(scripts/postgres.sh start)\" then cargo test"
)]
fn a_rotated_or_deleted_clients_token_is_dead_on_every_node_at_once() {
    let env = TestEnv::on_postgres_schema();
    let nodes = two_nodes(&env, &["--open-registration"]);
    let made: Value = nodes[0]
        .client
        .post(nodes[0].url("/register"))
        .json(&client())
        .send()
        .unwrap()
        .json()
        .unwrap();
    let id = made["client_id"].as_str().unwrap().to_owned();
    let path = format!("/register/{id}");
    let old = made["registration_access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let get = |node: &Server, token: &str| {
        node.client
            .get(node.url(&path))
            .bearer_auth(token)
            .send()
            .unwrap()
            .status()
    };
    assert_eq!(get(&nodes[1], &old), StatusCode::OK);
    let rotated = env.run(&["-o", "json", "rotate-token", &id]).ok().json();
    let new = rotated["registration_access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    for node in &nodes {
        assert_eq!(get(node, &old), StatusCode::UNAUTHORIZED, "the old token");
        assert_eq!(get(node, &new), StatusCode::OK, "the new token");
    }
    let deleted = nodes[1]
        .client
        .delete(nodes[1].url(&path))
        .bearer_auth(&new)
        .send()
        .unwrap()
        .status();
    assert_eq!(deleted, StatusCode::NO_CONTENT);
    for node in &nodes {
        assert_eq!(
            get(node, &new),
            StatusCode::UNAUTHORIZED,
            "a deleted client"
        );
    }
}

#[test]
#[cfg_attr(
    not(dcrctl_pg),
    ignore = "needs PostgreSQL: eval \"$(scripts/postgres.sh start)\" then cargo test"
)]
fn a_node_killed_under_load_loses_no_acknowledged_registration() {
    let env = TestEnv::on_postgres_schema();
    let mut nodes = two_nodes(&env, &["--open-registration", "--rate-limit", "100000/min"]);
    let acknowledged: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..8)
            .map(|i| {
                let node = &nodes[i % 2];
                scope.spawn(move || {
                    let mut ids = Vec::new();
                    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(4);
                    for _ in 0..400 {
                        if std::time::Instant::now() > deadline {
                            break;
                        }
                        let Ok(reply) = node
                            .client
                            .post(node.url("/register"))
                            .json(&client())
                            .send()
                        else {
                            break;
                        };
                        if reply.status() != StatusCode::CREATED {
                            continue;
                        }
                        let Ok(body) = reply.json::<Value>() else {
                            break;
                        };
                        ids.push(body["client_id"].as_str().unwrap().to_owned());
                    }
                    ids
                })
            })
            .collect();
        std::thread::sleep(std::time::Duration::from_millis(700));
        nodes[0].signal("KILL");
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    let _ = nodes[0].wait_exit(crate::http::WAIT);
    assert!(
        acknowledged.len() > 10,
        "the load ran: {}",
        acknowledged.len()
    );
    let stored: std::collections::HashSet<String> = env
        .rows("SELECT client_id FROM clients")
        .into_iter()
        .filter_map(|row| row[0].clone())
        .collect();
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|id| !stored.contains(*id))
        .collect();
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    // The surviving node still serves, and the registry is sound.
    let after = nodes[1]
        .client
        .post(nodes[1].url("/register"))
        .json(&client())
        .send()
        .unwrap();
    assert_eq!(after.status(), StatusCode::CREATED);
    let report = env.run(&["-o", "json", "db", "check"]).ok().json();
    assert_eq!(report["ok"], true, "{report}");
}

//! Contention (issue 5): `dcrctl serve` under HTTP load, two CLI processes writing and `prune`
//! in a loop, all on one database file at once.
//!
//! Each actor only touches clients it created, so the end state is known exactly: every client
//! an actor created and did not delete is present with the last metadata it wrote, every deleted
//! one is gone, and `prune` removed exactly the short-lived clients registered for it and
//! nothing else. Any unexpected exit code, status or "database is locked" fails the test.
//! The run lasts `DCRCTL_CONTENTION_SECS` seconds (default 8, or 60 with `DCRCTL_SOAK=1`,
//! as `.ci/run` sets) and then stops on its own.

use crate::http::{mint_token, Server};
use crate::util::{Run, TestEnv};
use reqwest::blocking::{Client, RequestBuilder};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const REDIRECT: &str = "https://app.example.com/callback";
const HTTP_ACTORS: usize = 4;
const CLI_ACTORS: usize = 2;
/// Far above the 30 s busy timeout: only a hang reaches it.
const OP_TIMEOUT: Duration = Duration::from_secs(120);

fn run_for() -> Duration {
    let secs = std::env::var("DCRCTL_CONTENTION_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if crate::util::soak() { 60 } else { 8 });
    Duration::from_secs(secs)
}

/// The deadline every actor watches, and the failures that stop them all early.
struct Shared {
    deadline: Instant,
    stop: AtomicBool,
    failures: Mutex<Vec<String>>,
}

impl Shared {
    fn running(&self) -> bool {
        Instant::now() < self.deadline && !self.stop.load(Ordering::Relaxed)
    }

    /// Record a failure; `what` must never contain a credential.
    fn fail(&self, actor: &str, what: String) {
        self.failures
            .lock()
            .unwrap()
            .push(format!("{actor}: {what}"));
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// A client an actor owns and expects to find at the end.
struct Owned {
    name: String,
    /// Registration access token (HTTP actors).
    rat: Option<String>,
    /// Current client secret (CLI actors, which rotate it).
    secret: Option<String>,
}

/// What one actor did and what it expects to find afterwards.
#[derive(Default)]
struct Actor {
    name: String,
    ops: BTreeMap<&'static str, u64>,
    alive: BTreeMap<String, Owned>,
    /// Deleted clients, with their last RAT when they had one.
    deleted: Vec<(String, Option<String>)>,
    /// Short-lived clients registered for `prune` to remove: (client_id, secret expiry).
    doomed: Vec<(String, i64)>,
    /// Clients `prune` reported removing.
    pruned: u64,
    /// The longest single operation: how close contention came to the busy timeout.
    slowest: Duration,
    stderr: String,
}

impl Actor {
    fn new(name: String) -> Self {
        Actor {
            name,
            ..Actor::default()
        }
    }

    fn count(&mut self, op: &'static str) {
        *self.ops.entry(op).or_default() += 1;
    }

    /// Run `dcrctl ARGS`; on success count it and return it, else record a failure (a process
    /// killed at the timeout exits -1).
    fn cli(
        &mut self,
        shared: &Shared,
        env: &TestEnv,
        op: &'static str,
        args: &[&str],
    ) -> Option<Run> {
        let started = Instant::now();
        // A hung process must not hang the test: assert_cmd kills it at the timeout.
        let output = env
            .cmd()
            .args(args)
            .write_stdin("")
            .timeout(OP_TIMEOUT)
            .output()
            .expect("run dcrctl");
        self.slowest = self.slowest.max(started.elapsed());
        let run = Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        self.stderr.push_str(&run.stderr);
        if run.code != 0 {
            // stderr only: stdout of a register or rotate would carry credentials.
            shared.fail(
                &self.name,
                format!("{op} exited {}: {}", run.code, run.stderr.trim()),
            );
            return None;
        }
        self.count(op);
        Some(run)
    }

    /// Check an HTTP response's status; the body of an error (which carries no credential)
    /// goes into the failure message.
    fn http(
        &mut self,
        shared: &Shared,
        op: &'static str,
        request: RequestBuilder,
        expected: StatusCode,
    ) -> Option<Value> {
        let started = Instant::now();
        let sent = request.send();
        self.slowest = self.slowest.max(started.elapsed());
        let response = match sent {
            Ok(response) => response,
            Err(e) => {
                shared.fail(&self.name, format!("{op}: transport error {e}"));
                return None;
            }
        };
        let status = response.status();
        if status != expected {
            let detail = if status.is_client_error() || status.is_server_error() {
                response.text().unwrap_or_default()
            } else {
                String::new()
            };
            shared.fail(
                &self.name,
                format!("{op}: status {status}, expected {expected} {detail}"),
            );
            return None;
        }
        self.count(op);
        if status == StatusCode::NO_CONTENT || status == StatusCode::UNAUTHORIZED {
            return Some(Value::Null);
        }
        match response.json() {
            Ok(body) => Some(body),
            Err(e) => {
                shared.fail(&self.name, format!("{op}: body is not JSON ({e})"));
                None
            }
        }
    }
}

fn text(value: &Value, field: &str) -> String {
    value[field].as_str().unwrap_or_default().to_owned()
}

/// Registers, reads, replaces and deletes its own clients over HTTP with an initial access
/// token and each client's RAT.
fn http_actor(server: &Server, iat: &str, n: usize, shared: &Shared) -> Actor {
    let mut me = Actor::new(format!("http-{n}"));
    let client = Client::builder().timeout(OP_TIMEOUT).build().unwrap();
    let mut order: Vec<String> = Vec::new();
    let mut i = 0usize;
    while shared.running() {
        i += 1;
        let name = format!("http{n}-{i}");
        let request = client
            .post(server.url("/register"))
            .bearer_auth(iat)
            .json(&json!({ "client_name": name, "redirect_uris": [REDIRECT] }));
        let Some(created) = me.http(shared, "register", request, StatusCode::CREATED) else {
            break;
        };
        let id = text(&created, "client_id");
        let rat = text(&created, "registration_access_token");
        me.alive.insert(
            id.clone(),
            Owned {
                name,
                rat: Some(rat),
                secret: None,
            },
        );
        order.push(id);

        // Replace one of its clients (round robin), then read it back.
        let id = order[i % order.len()].clone();
        let rat = me.alive[&id].rat.clone().unwrap();
        let name = format!("http{n}-{i}-put");
        let path = format!("/register/{id}");
        let request = client
            .put(server.url(&path))
            .bearer_auth(&rat)
            .json(&json!({ "client_name": name, "redirect_uris": [REDIRECT] }));
        let Some(replaced) = me.http(shared, "put", request, StatusCode::OK) else {
            break;
        };
        if replaced["client_name"] != name.as_str() {
            shared.fail(&me.name, format!("PUT {id} answered another client_name"));
            break;
        }
        me.alive.get_mut(&id).unwrap().name = name.clone();
        let request = client.get(server.url(&path)).bearer_auth(&rat);
        let Some(read) = me.http(shared, "get", request, StatusCode::OK) else {
            break;
        };
        if read["client_name"] != name.as_str() {
            shared.fail(&me.name, format!("GET {id} after PUT lost the write"));
            break;
        }

        // Every third round, delete its oldest client; its RAT dies with it.
        if i % 3 == 0 {
            let id = order.remove(0);
            let owned = me.alive.remove(&id).unwrap();
            let rat = owned.rat.unwrap();
            let path = format!("/register/{id}");
            let request = client.delete(server.url(&path)).bearer_auth(&rat);
            if me
                .http(shared, "delete", request, StatusCode::NO_CONTENT)
                .is_none()
            {
                break;
            }
            let request = client.get(server.url(&path)).bearer_auth(&rat);
            if me
                .http(shared, "get-deleted", request, StatusCode::UNAUTHORIZED)
                .is_none()
            {
                break;
            }
            me.deleted.push((id, Some(rat)));
        }
    }
    me
}

/// One CLI "process" writing in a loop: register, update, rotate-secret, delete, plus
/// short-lived clients for `prune` to remove.
fn cli_actor(env: &TestEnv, n: usize, shared: &Shared) -> Actor {
    let mut me = Actor::new(format!("cli-{n}"));
    let mut order: Vec<String> = Vec::new();
    let mut i = 0usize;
    while shared.running() {
        i += 1;
        let name = format!("cli{n}-{i}");
        let args = [
            "-o",
            "json",
            "register",
            "--client-name",
            &name,
            "--redirect-uri",
            REDIRECT,
        ];
        let Some(run) = me.cli(shared, env, "register", &args) else {
            break;
        };
        let created = run.json();
        let id = text(&created, "client_id");
        me.alive.insert(
            id.clone(),
            Owned {
                name,
                rat: None,
                secret: Some(text(&created, "client_secret")),
            },
        );
        order.push(id);

        if i % 2 == 0 {
            let name = format!("doomed{n}-{i}");
            let args = [
                "-o",
                "json",
                "register",
                "--client-name",
                &name,
                "--redirect-uri",
                REDIRECT,
                "--secret-expires-in",
                "1s",
            ];
            let Some(run) = me.cli(shared, env, "register-short-lived", &args) else {
                break;
            };
            let created = run.json();
            let expires_at = created["client_secret_expires_at"].as_i64().unwrap_or(0);
            if expires_at <= 0 {
                shared.fail(&me.name, "a short-lived secret has no expiry".into());
                break;
            }
            me.doomed.push((text(&created, "client_id"), expires_at));
        }

        let id = order[i % order.len()].clone();
        let name = format!("cli{n}-{i}-upd");
        let args = ["-o", "json", "update", &id, "--client-name", &name];
        let Some(run) = me.cli(shared, env, "update", &args) else {
            break;
        };
        if run.json()["client_name"] != name.as_str() {
            shared.fail(
                &me.name,
                format!("update {id} answered another client_name"),
            );
            break;
        }
        me.alive.get_mut(&id).unwrap().name = name;
        let args = ["-o", "json", "rotate-secret", &id, "--grace", "1h"];
        let Some(run) = me.cli(shared, env, "rotate-secret", &args) else {
            break;
        };
        me.alive.get_mut(&id).unwrap().secret = Some(text(&run.json(), "client_secret"));

        if i % 3 == 0 {
            let id = order.remove(0);
            me.alive.remove(&id);
            if me
                .cli(shared, env, "delete", &["--yes", "delete", &id])
                .is_none()
            {
                break;
            }
            me.deleted.push((id, None));
        }
    }
    me
}

/// `prune --expired-for 0s` in a loop: removes the short-lived clients once their secret
/// expired, and must never touch a client with a long-lived secret.
fn prune_once(me: &mut Actor, shared: &Shared, env: &TestEnv) -> bool {
    let Some(run) = me.cli(
        shared,
        env,
        "prune",
        &["-o", "json", "prune", "--expired-for", "0s"],
    ) else {
        return false;
    };
    let summary = run.json();
    if summary["clients"]["unused"] != 0 {
        shared.fail(&me.name, format!("prune removed unused clients: {summary}"));
        return false;
    }
    me.pruned += summary["clients"]["expired"].as_u64().unwrap_or(0);
    true
}

fn pruner(env: &TestEnv, shared: &Shared) -> Actor {
    let mut me = Actor::new("prune".to_owned());
    while shared.running() {
        if !prune_once(&mut me, shared, env) {
            break;
        }
        // A pause so prune runs often without starving the writers of the two cores.
        std::thread::sleep(Duration::from_millis(50));
    }
    me
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .try_into()
        .unwrap()
}

#[test]
fn server_cli_writers_and_prune_share_one_file_without_failures_or_lost_writes() {
    let env = TestEnv::new();
    let iat = mint_token(&env, None);
    let mut server = Server::start(&env, &[]);
    let shared = Shared {
        deadline: Instant::now() + run_for(),
        stop: AtomicBool::new(false),
        failures: Mutex::new(Vec::new()),
    };
    let mut actors: Vec<Actor> = std::thread::scope(|scope| {
        let (server, env, shared, iat) = (&server, &env, &shared, iat.as_str());
        let mut handles = Vec::new();
        for n in 0..HTTP_ACTORS {
            handles.push(scope.spawn(move || http_actor(server, iat, n, shared)));
        }
        for n in 0..CLI_ACTORS {
            handles.push(scope.spawn(move || cli_actor(env, n, shared)));
        }
        handles.push(scope.spawn(move || pruner(env, shared)));
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let failures = shared.failures.lock().unwrap().clone();
    assert!(
        failures.is_empty(),
        "failed operations:\n{}",
        failures.join("\n")
    );

    // One last prune once every short-lived secret has expired (a computed wait, bounded by
    // the secrets' one-second lifetime).
    let last_expiry = actors
        .iter()
        .flat_map(|a| a.doomed.iter().map(|(_, at)| *at))
        .max()
        .unwrap_or(0);
    while unix_now() <= last_expiry {
        std::thread::sleep(Duration::from_millis(100));
    }
    let pruner = actors.last_mut().unwrap();
    let finished = prune_once(pruner, &shared, &env);
    let failures = shared.failures.lock().unwrap().clone();
    assert!(finished, "final prune failed:\n{}", failures.join("\n"));

    for actor in &actors {
        let ops: Vec<String> = actor
            .ops
            .iter()
            .map(|(op, n)| format!("{op}={n}"))
            .collect();
        let total: u64 = actor.ops.values().sum();
        eprintln!(
            "contention: {:<7} {total:>5} ops, slowest {:>5} ms: {}",
            actor.name,
            actor.slowest.as_millis(),
            ops.join(" ")
        );
    }

    // Prune removed exactly the short-lived clients, and nothing else.
    let doomed: BTreeSet<&str> = actors
        .iter()
        .flat_map(|a| a.doomed.iter().map(|(id, _)| id.as_str()))
        .collect();
    let pruned = actors.last().unwrap().pruned;
    eprintln!(
        "contention: {} short-lived clients registered, {pruned} pruned",
        doomed.len()
    );
    assert!(
        !doomed.is_empty(),
        "the writers registered nothing for prune"
    );
    assert_eq!(pruned, doomed.len() as u64, "prune removed other clients");

    // Exactly the clients each actor kept, with the last name it wrote.
    let listed = env.run(&["-o", "json", "list"]).ok().json();
    let listed: BTreeMap<String, String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (text(c, "client_id"), text(c, "client_name")))
        .collect();
    let expected: BTreeMap<String, String> = actors
        .iter()
        .flat_map(|a| a.alive.iter().map(|(id, o)| (id.clone(), o.name.clone())))
        .collect();
    let missing: Vec<&String> = expected
        .keys()
        .filter(|id| !listed.contains_key(*id))
        .collect();
    let extra: Vec<&String> = listed
        .keys()
        .filter(|id| !expected.contains_key(*id))
        .collect();
    assert!(missing.is_empty(), "lost clients: {missing:?}");
    assert!(extra.is_empty(), "clients that should be gone: {extra:?}");
    assert_eq!(listed, expected, "a metadata write was lost");
    eprintln!(
        "contention: {} clients left, {} deleted by their owners",
        expected.len(),
        actors.iter().map(|a| a.deleted.len()).sum::<usize>()
    );

    // Their credentials still work: RATs over HTTP, rotated secrets with verify-secret.
    for actor in &actors {
        for (id, owned) in &actor.alive {
            if let Some(rat) = &owned.rat {
                let read = server
                    .client
                    .get(server.url(&format!("/register/{id}")))
                    .bearer_auth(rat)
                    .send()
                    .unwrap();
                assert_eq!(read.status(), StatusCode::OK, "{id}");
                assert_eq!(
                    read.json::<Value>().unwrap()["client_name"],
                    owned.name.as_str()
                );
            }
            if let Some(secret) = &owned.secret {
                let run = env.run_stdin(&["verify-secret", id], secret);
                assert_eq!(run.code, 0, "{id}: the last rotated secret is rejected");
            }
        }
        for (id, rat) in &actor.deleted {
            if let Some(rat) = rat {
                let read = server
                    .client
                    .get(server.url(&format!("/register/{id}")))
                    .bearer_auth(rat)
                    .send()
                    .unwrap();
                assert_eq!(read.status(), StatusCode::UNAUTHORIZED, "{id}");
            }
        }
    }

    server.signal("TERM");
    let code = server.wait_exit(Duration::from_secs(60));
    let log = server.stderr_log();
    assert_eq!(code, Some(Some(0)), "server exit:\n{log}");
    let check = env.run(&["-o", "json", "db", "check"]).ok().json();
    assert_eq!(check["ok"], true, "{check}");

    for (who, text) in actors
        .iter()
        .map(|a| (a.name.as_str(), a.stderr.as_str()))
        .chain([("server", log.as_str())])
    {
        // Phrases, not bare words: random client ids in the log spell "Busy" now and then.
        let lower = text.to_lowercase();
        for phrase in [
            "database is locked",
            "is busy",
            "sqlite_busy",
            "panicked at",
            "status=5",
        ] {
            assert!(!lower.contains(phrase), "{who} logged {phrase:?}:\n{text}");
        }
    }
}

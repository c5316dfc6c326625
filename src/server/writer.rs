//! The server's one writer: every change runs on a dedicated thread with its own connection,
//! and the changes that arrive while a commit is being made to disk are committed together
//! (group commit).
//!
//! A durable SQLite commit costs an `fsync`, and the write lock lets one commit happen at a
//! time, so one commit per request caps registrations at the disk's fsync rate however many
//! threads wait. Here each request's change runs in its own savepoint of a shared transaction
//! ([`Store::write_batch`]): a change that fails is rolled back alone, and every request
//! learns its outcome only after the one commit that made the whole group durable — a `201`
//! still means the registration is on disk. Batches form by themselves: while one is being
//! committed, the next requests queue up, and the writer takes all of them at once.
//!
//! A change happens only if its request can still be answered with its outcome. A queued
//! change and its request race on one [`Claim`]: the writer claims the change just before
//! running it (inside the write transaction, so after any wait for the lock), and a request
//! that gives up (its deadline passed, its connection closed) abandons it. Whoever is first
//! decides: an abandoned change is never run, and a request whose change was claimed waits
//! for the real outcome instead of answering `408`. See [`RequestWrites`].

use super::error::ApiError;
use crate::ops::Location;
use crate::ops::Store;
use crate::ops::StoreError;
use crate::ops::Tx;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// The most changes committed in one transaction; bounds how long one commit holds the
/// database's write lock against CLI processes and prune.
const MAX_BATCH: usize = 256;

/// How long the writer waits for more changes before committing a group, once groups have
/// had at least [`GATHER_AFTER`] changes: well below an fsync, well below anyone's p99.
const GATHER_TIME: Duration = Duration::from_micros(500);

/// The group size from which the writer gathers before committing the next group.
const GATHER_AFTER: usize = 4;

/// Called once the group's commit is over, with its failure if it failed.
type Finish = Box<dyn FnOnce(Option<&StoreError>) + Send>;
/// What one request's change does: runs in its savepoint, says whether it succeeded, and
/// hands back what delivers its answer after the commit.
type Work = Box<dyn FnOnce(&Tx<'_>) -> (bool, Finish) + Send>;

/// One request's change, with the claim its request and the writer race on.
struct Job {
    claim: Arc<Claim>,
    work: Work,
}

/// Where a queued change stands. It starts queued; the writer moves it to claimed just before
/// running it, the request to abandoned when it gives up. The first move wins, once.
#[derive(Debug, Default)]
struct Claim(AtomicU8);

const QUEUED: u8 = 0;
const CLAIMED: u8 = 1;
const ABANDONED: u8 = 2;

impl Claim {
    /// The writer's move: `true` when the change is to run, `false` when its request gave up.
    fn claim(&self) -> bool {
        self.0
            .compare_exchange(QUEUED, CLAIMED, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    /// The request's move: `true` when the change will never run (abandoned now or before),
    /// `false` when the writer claimed it, so its outcome must be awaited and answered.
    fn abandon(&self) -> bool {
        match self
            .0
            .compare_exchange(QUEUED, ABANDONED, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => true,
            Err(now) => now == ABANDONED,
        }
    }

    fn is_abandoned(&self) -> bool {
        self.0.load(Ordering::Acquire) == ABANDONED
    }
}

/// Abandons its change when dropped while the change is still queued: the request's future
/// was dropped (its connection closed, or its deadline passed), so nobody would learn the
/// outcome.
struct AbandonOnDrop(Arc<Claim>);

impl Drop for AbandonOnDrop {
    fn drop(&mut self) {
        self.0.abandon();
    }
}

/// The changes one request handed to the writer, so that the request's deadline can decide
/// between `408` and waiting: [`RequestWrites::scope`] makes every [`Writer::write`] inside a
/// future report here, and [`RequestWrites::give_up`] abandons what is still queued.
#[derive(Debug, Default)]
pub(super) struct RequestWrites {
    claims: Mutex<Vec<Arc<Claim>>>,
}

tokio::task_local! {
    /// The writes of the request being served by this task.
    static REQUEST_WRITES: Arc<RequestWrites>;
}

impl RequestWrites {
    /// Run `future` (a request's handling) with its writes reported to `self`.
    pub(super) fn scope<F: Future>(self: Arc<Self>, future: F) -> impl Future<Output = F::Output> {
        REQUEST_WRITES.scope(self, future)
    }

    /// Give up on the request: abandon each of its changes still queued. `true` when none of
    /// them ran or will run, so the request may be answered without its outcome; `false` when
    /// the writer already claimed one, whose outcome must then be awaited and answered.
    pub(super) fn give_up(&self) -> bool {
        let claims = self.claims.lock().unwrap_or_else(PoisonError::into_inner);
        // Every queued change is abandoned, also one after a claimed one.
        let mut none_ran = true;
        for claim in claims.iter() {
            none_ran &= claim.abandon();
        }
        none_ran
    }

    fn track(&self, claim: Arc<Claim>) {
        self.claims
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(claim);
    }
}

/// A handle on the writer thread; cloning the state shares it.
#[derive(Debug)]
pub(super) struct Writer {
    jobs: Sender<Job>,
}

impl Writer {
    /// Start the writer thread for the database `db`. It opens its connection on the first
    /// change and ends when every handle is dropped.
    pub(super) fn start(db: Arc<Location>) -> Writer {
        let (jobs, queue) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("dcrctl-writer".into())
            .spawn(move || run(&db, &queue));
        if let Err(error) = spawned {
            // Every change then fails with a 500; reads keep working.
            tracing::error!(%error, "cannot start the database writer thread");
        }
        Writer { jobs }
    }

    /// Run `work` in the next group commit and return its outcome once the group is durable.
    /// A panic in `work` is that request's `500` and rolls back only its own changes.
    ///
    /// Dropping the returned future before the writer claimed the change abandons it: it is
    /// then never run. Inside [`RequestWrites::scope`], the request's deadline can abandon it
    /// too, or learn that it was claimed.
    pub(super) async fn write<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Tx<'_>) -> crate::Result<T> + Send + 'static,
    ) -> Result<T, ApiError> {
        let (job, answer) = job(work);
        let _abandon_on_drop = AbandonOnDrop(job.claim.clone());
        // Outside a request (tests driving the writer directly) there is nothing to report to.
        let _ = REQUEST_WRITES.try_with(|writes| writes.track(job.claim.clone()));
        self.jobs
            .send(job)
            .map_err(|_| ApiError::Internal("the database writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| ApiError::Internal("the database writer dropped a change".into()))?
    }
}

/// `work` as a job for the writer, and where its outcome will arrive.
fn job<T: Send + 'static>(
    work: impl FnOnce(&Tx<'_>) -> crate::Result<T> + Send + 'static,
) -> (Job, oneshot::Receiver<Result<T, ApiError>>) {
    let (reply, answer) = oneshot::channel();
    // The request's span (method, route) goes with its change to the writer thread, so what
    // the operation logs there is attributed to the request.
    let request_span = tracing::Span::current();
    let work: Work = Box::new(move |tx| {
        let _request = request_span.enter();
        let outcome = match catch_unwind(AssertUnwindSafe(|| work(tx))) {
            Ok(outcome) => outcome.map_err(ApiError::from),
            Err(_) => Err(ApiError::Internal("a change panicked".into())),
        };
        let succeeded = outcome.is_ok();
        let finish: Finish = Box::new(move |failure| {
            let outcome = match failure {
                Some(error) if succeeded => {
                    Err(ApiError::Internal(format!("group commit failed: {error}")))
                }
                _ => outcome,
            };
            // The request claimed before it ran waits for this, unless its connection
            // closed meanwhile; then nobody is left to tell.
            let _ = reply.send(outcome);
        });
        (succeeded, finish)
    });
    let job = Job {
        claim: Arc::default(),
        work,
    };
    (job, answer)
}

/// The writer thread: take every change that is waiting (at least one), run them in one
/// transaction, commit, answer them all. A change whose request gave up is dropped, before
/// the transaction when it is known by then, else when its turn comes inside it.
fn run(db: &Location, queue: &Receiver<Job>) {
    let mut store: Option<Store> = None;
    let mut last_batch = 0;
    while let Ok(first) = queue.recv() {
        let mut batch = vec![Some(first)];
        // Under concurrent load (the last group was not a lone change) wait a moment for the
        // changes on their way: one commit for them is cheaper than one each. A lone change
        // on a quiet server is committed at once.
        let gather_until = (last_batch >= GATHER_AFTER).then(|| Instant::now() + GATHER_TIME);
        while batch.len() < MAX_BATCH {
            let next = match gather_until {
                Some(until) => queue.recv_timeout(until.saturating_duration_since(Instant::now())),
                None => queue.try_recv().map_err(|_| RecvTimeoutError::Timeout),
            };
            match next {
                Ok(job) => batch.push(Some(job)),
                Err(_) => break,
            }
        }
        last_batch = batch.len();
        batch.retain(|job| job.as_ref().is_some_and(|job| !job.claim.is_abandoned()));
        if batch.is_empty() {
            continue;
        }
        let store = match &mut store {
            Some(store) => store,
            None => match Store::open(db) {
                Ok(mut opened) => {
                    opened.serve_continuous_writes();
                    store.insert(opened)
                }
                Err(error) => {
                    // Dropping the batch answers each of its requests with a 500.
                    tracing::error!(%error, "the database writer cannot open the database");
                    continue;
                }
            },
        };
        let count = batch.len();
        let group = tracing::debug_span!("group_commit", batch = count);
        let _group = group.enter();
        let started = Instant::now();
        let mut finishers = Vec::with_capacity(count);
        let committed = store.write_batch(count, |tx, index| {
            let Some(job) = batch[index].take() else {
                return false;
            };
            // Here the write lock is held: from now on nothing but the commit stands between
            // this change and its answer.
            if !job.claim.claim() {
                return false;
            }
            let (succeeded, finish) = (job.work)(tx);
            finishers.push(finish);
            succeeded
        });
        match &committed {
            Err(error) => tracing::error!(%error, changes = finishers.len(), "group commit failed"),
            Ok(()) => tracing::debug!(
                changes = finishers.len(),
                micros = started.elapsed().as_micros() as u64,
                "group committed"
            ),
        }
        for finish in finishers {
            finish(committed.as_ref().err());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::dynamic;
    use crate::ops::{self, Limits};
    use crate::registration::{parse_document, Policy};

    fn registration(tx: &Tx<'_>) -> crate::Result<String> {
        let document = parse_document(br#"{"redirect_uris":["https://app.example.com/cb"]}"#)?;
        let limits = Limits::default();
        let prepared = dynamic::prepare_registration(document, &Policy::default(), &limits, None);
        let done = dynamic::register(tx, &limits, prepared, None)?;
        Ok(done.information.client_id)
    }

    /// Issue 12 item 1: the request and the writer race on each change's claim.
    #[test]
    fn an_abandoned_change_is_never_run_and_a_claimed_one_is_never_abandoned() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("clients.db");
        let (sender, queue) = mpsc::channel();
        let gave_up = RequestWrites::default();
        let (abandoned, never) = job(registration);
        gave_up.track(abandoned.claim.clone());
        sender.send(abandoned).unwrap();
        assert!(gave_up.give_up());
        let (kept, answer) = job(registration);
        let claimed = kept.claim.clone();
        sender.send(kept).unwrap();
        drop(sender);

        run(&Location::Sqlite(db.clone()), &queue);

        assert!(never.blocking_recv().is_err(), "an abandoned change ran");
        let id = answer.blocking_recv().unwrap().unwrap();
        // Too late to give up: the request must wait for the real outcome.
        let late = RequestWrites::default();
        late.track(claimed);
        assert!(!late.give_up());
        let mut store = Store::open(&db).unwrap();
        let mut stored = Vec::new();
        ops::list(&mut store, &ops::ListFilter::default(), |client| {
            stored.push(client.client_id.to_owned());
            Ok(())
        })
        .unwrap();
        assert_eq!(stored, [id]);
    }

    #[test]
    fn a_failed_or_panicking_change_is_rolled_back_alone_and_the_rest_commit_together() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("clients.db");
        let (sender, queue) = mpsc::channel();
        let mut answers = Vec::new();
        let (first, answer) = job(registration);
        sender.send(first).unwrap();
        answers.push(answer);
        let (failing, failed) = job(|tx| {
            registration(tx)?;
            Err::<String, _>(crate::Error::Forbidden("refused after writing".into()))
        });
        sender.send(failing).unwrap();
        let (panicking, panicked) = job(|tx| -> crate::Result<String> {
            registration(tx)?;
            panic!("a bug in one request");
        });
        sender.send(panicking).unwrap();
        let (last, answer) = job(registration);
        sender.send(last).unwrap();
        answers.push(answer);
        drop(sender);

        // Everything was queued before the writer ran: one batch, one commit.
        run(&Location::Sqlite(db.clone()), &queue);

        let mut committed: Vec<String> = answers
            .into_iter()
            .map(|mut answer| answer.try_recv().unwrap().unwrap())
            .collect();
        assert!(matches!(
            failed.blocking_recv().unwrap(),
            Err(ApiError::Core(crate::Error::Forbidden(_)))
        ));
        assert!(matches!(
            panicked.blocking_recv().unwrap(),
            Err(ApiError::Internal(_))
        ));
        let mut store = Store::open(&db).unwrap();
        let mut stored = Vec::new();
        ops::list(&mut store, &ops::ListFilter::default(), |client| {
            stored.push(client.client_id.to_owned());
            Ok(())
        })
        .unwrap();
        committed.sort();
        stored.sort();
        assert_eq!(stored, committed);
    }
}

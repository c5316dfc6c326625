//! The server's reader threads: a few long-lived threads, each with its own connection, that
//! take read-only work from one queue.
//!
//! `spawn_blocking` per request wakes a sleeping pool thread for every read and lets the pool
//! grow to one thread (and one connection) per concurrent request; on a small machine the
//! context switches then cost more than the reads. A reader here finishes one read and takes
//! the next without sleeping while requests keep coming, and the number of readers is fixed.
//! Reads never block the writer or each other (WAL snapshots).

use super::error::ApiError;
use crate::ops::Location;
use crate::ops::Store;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// One read: runs with a reader's connection and delivers its own answer.
type Job = Box<dyn FnOnce(&mut Store) + Send>;

/// A handle on the reader threads; cloning the state shares it.
#[derive(Debug)]
pub(super) struct Readers {
    jobs: Sender<Job>,
}

impl Readers {
    /// Start `count` reader threads for the database `db`; each opens its connection on its
    /// first read, and all end when every handle is dropped.
    pub(super) fn start(db: &Arc<Location>, count: usize) -> Readers {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for index in 0..count.max(1) {
            let (db, queue) = (db.clone(), queue.clone());
            let spawned = std::thread::Builder::new()
                .name(format!("dcrctl-reader-{index}"))
                .spawn(move || run(&db, &queue));
            if let Err(error) = spawned {
                tracing::error!(%error, "cannot start a database reader thread");
            }
        }
        Readers { jobs }
    }

    /// Run `work` on a reader thread and return its outcome. A panic in `work` is that
    /// request's `500`.
    pub(super) async fn read<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Store) -> crate::Result<T> + Send + 'static,
    ) -> Result<T, ApiError> {
        let (reply, answer) = oneshot::channel::<Result<T, ApiError>>();
        let job: Job = Box::new(move |store| {
            let outcome = match catch_unwind(AssertUnwindSafe(|| work(store))) {
                Ok(outcome) => outcome.map_err(ApiError::from),
                Err(_) => Err(ApiError::Internal("a read panicked".into())),
            };
            let _ = reply.send(outcome);
        });
        self.jobs
            .send(job)
            .map_err(|_| ApiError::Internal("the database readers have stopped".into()))?;
        answer
            .await
            .map_err(|_| ApiError::Internal("a database reader dropped a read".into()))?
    }
}

fn run(db: &Location, queue: &Mutex<Receiver<Job>>) {
    let mut store: Option<Store> = None;
    loop {
        // One reader waits on the queue, the others on the lock; a poisoned lock cannot
        // happen (nothing panics while holding it) but would end this reader cleanly.
        let Ok(job) = queue.lock().map(|queue| queue.recv()) else {
            return;
        };
        let Ok(job) = job else { return };
        let store = match &mut store {
            Some(store) => store,
            None => match Store::open(db) {
                Ok(opened) => store.insert(opened),
                Err(error) => {
                    // Dropping the job answers its request with a 500.
                    tracing::error!(%error, "a database reader cannot open the database");
                    continue;
                }
            },
        };
        job(store);
    }
}

//! Turns for password verifications: Argon2id checks of admin passwords and of admin-chosen
//! client secrets, which are slow and memory-hungry by design.
//!
//! At most a few run at once, and the requests waiting for a turn are bounded: beyond the
//! bound a request is refused at once (`429` with `Retry-After`) rather than queued behind a
//! flood, where it would wait for every verification ahead of it. Waiting requests are served
//! by [`Lane`], a lane before the ones after it, first come first served within one: an
//! address an admin recently logged in from goes before an unknown one, which goes before one
//! with recent failures. A flood of wrong passwords from many addresses so costs each of them
//! one turn in the unknown lane before it queues behind everyone else.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::oneshot;

/// Where a request waits for its turn; every lane is served before the ones after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// An address an admin recently logged in from.
    Trusted,
    /// An address with neither recent failures nor successes.
    Unknown,
    /// An address with recent failures.
    Suspect,
}

impl Lane {
    const ALL: [Lane; 3] = [Lane::Trusted, Lane::Unknown, Lane::Suspect];

    fn index(self) -> usize {
        self as usize
    }

    /// How many requests may wait in this lane; one more is refused.
    fn capacity(self) -> usize {
        match self {
            Lane::Trusted | Lane::Unknown => MAX_WAITING,
            Lane::Suspect => MAX_WAITING / 2,
        }
    }
}

/// The most requests waiting for a turn in the trusted or the unknown lane (half as many
/// in the suspect lane). With two turns at once and Argon2id at tens of milliseconds, the
/// last one waits a fraction of a second.
pub const MAX_WAITING: usize = 16;

/// The queue is full: the request is refused at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

/// Turns for verifications: at most `turns` at once, the waiting bounded per [`Lane`].
#[derive(Debug)]
pub struct Verifications {
    turns: usize,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    running: usize,
    next_ticket: u64,
    /// Per lane, the tickets waiting and where their turn is sent.
    waiting: [VecDeque<(u64, oneshot::Sender<Turn>)>; 3],
}

/// A turn to run one verification, given back when dropped (to the next waiting request).
#[derive(Debug)]
pub struct Turn(Option<Arc<Verifications>>);

impl Drop for Turn {
    fn drop(&mut self) {
        if let Some(verifications) = self.0.take() {
            verifications.give_back();
        }
    }
}

impl Verifications {
    /// At most `turns` verifications at once (at least one).
    pub fn new(turns: usize) -> Arc<Verifications> {
        Arc::new(Verifications {
            turns: turns.max(1),
            state: Mutex::new(State::default()),
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while the lock was held cannot have left the counts half-changed.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Wait for a turn in `lane`, or [`Busy`] at once when the lane is full. Dropping the
    /// future gives up its place.
    pub async fn turn(self: &Arc<Self>, lane: Lane) -> Result<Turn, Busy> {
        let (ticket, granted) = {
            let mut state = self.state();
            // Requests wait only while every turn is taken, so a free one has no queue.
            if state.running < self.turns {
                state.running += 1;
                return Ok(Turn(Some(self.clone())));
            }
            let queue = &mut state.waiting[lane.index()];
            if queue.len() >= lane.capacity() {
                return Err(Busy);
            }
            let (grant, granted) = oneshot::channel();
            let ticket = state.next_ticket;
            state.next_ticket += 1;
            state.waiting[lane.index()].push_back((ticket, grant));
            (ticket, granted)
        };
        let waiting = Waiting {
            verifications: self,
            lane,
            ticket,
        };
        let turn = granted.await;
        drop(waiting);
        // The sender is only dropped after sending, or when `Verifications` is gone.
        turn.map_err(|_| Busy)
    }

    /// A turn is over: hand it to the first waiting request of the first lane that has one,
    /// or free it.
    fn give_back(self: &Arc<Self>) {
        loop {
            let next = {
                let mut state = self.state();
                let next = Lane::ALL
                    .iter()
                    .find_map(|lane| state.waiting[lane.index()].pop_front());
                if next.is_none() {
                    state.running -= 1;
                }
                next
            };
            let Some((_, grant)) = next else { return };
            match grant.send(Turn(Some(self.clone()))) {
                Ok(()) => return,
                // That request gave up meanwhile: take the turn back for the next one.
                Err(mut turn) => {
                    turn.0 = None;
                }
            }
        }
    }
}

/// A place in a lane, removed when the waiting request is dropped, so abandoned requests do
/// not fill the lane. A turn already sent to it is dropped with its receiver, and so given
/// back.
struct Waiting<'a> {
    verifications: &'a Arc<Verifications>,
    lane: Lane,
    ticket: u64,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let mut state = self.verifications.state();
        state.waiting[self.lane.index()].retain(|(ticket, _)| *ticket != self.ticket);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    fn poll<F: Future>(future: std::pin::Pin<&mut F>) -> Poll<F::Output> {
        future.poll(&mut Context::from_waker(Waker::noop()))
    }

    #[test]
    fn turns_are_bounded_and_lanes_are_served_in_order() {
        let verifications = Verifications::new(1);
        let Poll::Ready(Ok(first)) = poll(pin!(verifications.turn(Lane::Suspect))) else {
            panic!("a free turn is taken at once");
        };
        let mut suspects: Vec<_> = (0..MAX_WAITING / 2)
            .map(|_| Box::pin(verifications.turn(Lane::Suspect)))
            .collect();
        for suspect in &mut suspects {
            assert!(poll(suspect.as_mut()).is_pending());
        }
        // The suspect lane is full; the others are not.
        let refused = poll(pin!(verifications.turn(Lane::Suspect)));
        assert!(matches!(refused, Poll::Ready(Err(Busy))));
        let mut unknown = Box::pin(verifications.turn(Lane::Unknown));
        assert!(poll(unknown.as_mut()).is_pending());
        let mut trusted = Box::pin(verifications.turn(Lane::Trusted));
        assert!(poll(trusted.as_mut()).is_pending());

        // Served trusted first, then unknown, then the suspects in order of arrival.
        drop(first);
        let Poll::Ready(Ok(turn)) = poll(trusted.as_mut()) else {
            panic!("the trusted request is next");
        };
        assert!(poll(unknown.as_mut()).is_pending());
        drop(turn);
        let Poll::Ready(Ok(turn)) = poll(unknown.as_mut()) else {
            panic!("the unknown request is next");
        };
        // A suspect that gives up frees its place and is skipped.
        drop(suspects.remove(0));
        assert_eq!(verifications.state().waiting[2].len(), MAX_WAITING / 2 - 1);
        drop(turn);
        let Poll::Ready(Ok(turn)) = poll(suspects[0].as_mut()) else {
            panic!("the next suspect is next");
        };
        drop(turn);
        drop(suspects);
        let state = verifications.state();
        assert_eq!(
            state.running, 0,
            "a turn handed to a dropped request came back"
        );
        assert!(state.waiting.iter().all(VecDeque::is_empty));
    }

    #[test]
    fn a_turn_sent_to_a_request_that_gave_up_is_given_back() {
        let verifications = Verifications::new(1);
        let Poll::Ready(Ok(first)) = poll(pin!(verifications.turn(Lane::Unknown))) else {
            panic!("a free turn is taken at once");
        };
        let mut gone = Box::pin(verifications.turn(Lane::Unknown));
        assert!(poll(gone.as_mut()).is_pending());
        let mut next = Box::pin(verifications.turn(Lane::Unknown));
        assert!(poll(next.as_mut()).is_pending());
        // The turn goes to `gone`, which is dropped before it looks: `next` gets it.
        drop(first);
        drop(gone);
        assert!(matches!(poll(next.as_mut()), Poll::Ready(Ok(_))));
        assert_eq!(verifications.state().running, 0);
    }
}

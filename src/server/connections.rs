//! Serving connections: HTTP/1.1 over plain TCP or TLS, with graceful shutdown, a deadline
//! on each request head, a bound on each head's size, and a bound on how many connections
//! are open at once.
//!
//! `axum::serve` gives hyper no timer, and hyper then never times out a connection that
//! starts a request and stops sending it (slowloris): each holds a socket and a file
//! descriptor for ever. Here hyper gets tokio's timer, so a request head must arrive within
//! [`HEADER_READ_TIMEOUT`]; the router's own deadline then bounds the body and the work.
//!
//! **Memory.** hyper buffers a request head until it is complete, by default up to ~400 KB per
//! connection, so 400 half-sent heads held 166 MB. The buffer is capped at [`MAX_HEAD_BYTES`]
//! (a registration's head is well under 1 KB, and 16 KiB leaves room for long proxy chains and
//! cookies); a longer head is answered `431` and the connection closed.
//!
//! **Connections.** At most [`ConnectionLimits::total`] are open at once (kept below the
//! process's file-descriptor limit, so `accept` does not fail with `EMFILE` and stall
//! everyone), and at most [`ConnectionLimits::per_address`] from one client address (an IPv4
//! address or an IPv6 /64; not with `--behind-proxy`, where every connection is the proxy's).
//! A full server does not stop accepting: it makes room by closing the **oldest idle**
//! connection, one with no request in progress (a TLS handshake, a head not yet complete, or
//! a kept-alive connection between requests), and only an address over its own cap loses its
//! own oldest idle connection. A connection with a request in flight is never closed to make
//! room, so a health check or a credentialed registration, once its head has arrived, is
//! answered; and a new connection is the last to be shed, so it has until `total` more
//! connections arrive to send its head. Only when every connection has a request in flight
//! (each bounded by the request deadline) does a new one wait, briefly, and then get closed.
//! At shutdown, idle connections are closed at once and the others finish their request.

use super::limit::client_key;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, Semaphore};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// How long a client may take to send a request's line and headers, on a new connection or
/// between requests of a kept-alive one, before the connection is closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(20);

/// The largest request head (request line and headers) buffered: beyond it, `431`.
pub(super) const MAX_HEAD_BYTES: usize = 16 * 1024;

/// The most connections open at once when the file-descriptor limit allows it.
pub(super) const MAX_CONNECTIONS: usize = 1024;

/// File descriptors left for everything but connections: the database (a writer and up to
/// eight readers, each with the file and its WAL), the listener, the runtime, stdio.
const RESERVED_DESCRIPTORS: u64 = 64;

/// How long a new connection waits for room when every open one has a request in flight.
const ROOM_WAIT: Duration = Duration::from_millis(250);

/// How many connections may be open at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ConnectionLimits {
    /// In all.
    pub(super) total: usize,
    /// From one client address; `None` behind a proxy, whose connections all come from it.
    pub(super) per_address: Option<usize>,
}

impl ConnectionLimits {
    /// The limits for this process: [`MAX_CONNECTIONS`], lowered to fit its soft limit on
    /// open files, and a quarter of that (256 by default) per address unless
    /// `behind_proxy`.
    pub(super) fn for_this_process(behind_proxy: bool) -> ConnectionLimits {
        let files = rustix::process::getrlimit(rustix::process::Resource::Nofile).current;
        ConnectionLimits::fitting(files, behind_proxy)
    }

    fn fitting(files: Option<u64>, behind_proxy: bool) -> ConnectionLimits {
        let room = files.map_or(u64::MAX, |files| {
            files.saturating_sub(RESERVED_DESCRIPTORS).max(16)
        });
        let total = usize::try_from(room).map_or(MAX_CONNECTIONS, |room| room.min(MAX_CONNECTIONS));
        ConnectionLimits {
            total,
            per_address: (!behind_proxy).then(|| (total / 4).max(1)),
        }
    }
}

/// Serve `app` on every connection `listener` accepts (after a TLS handshake when `tls` is
/// given) until `shutdown` completes; then stop accepting, let the requests in flight
/// finish, and close idle connections. A request head must arrive within
/// `header_read_timeout`.
///
/// # Errors
/// None today: failures to accept are logged and retried.
pub(super) async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    app: Router,
    limits: ConnectionLimits,
    header_read_timeout: Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout)
        .max_buf_size(MAX_HEAD_BYTES);
    let tracker = Arc::new(Tracker::new(limits));
    let handshakes = Arc::new(Semaphore::new(super::tls::MAX_HANDSHAKES));
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    accept_error(error, &tracker).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(slot) = tracker.admit(peer.ip()).await else {
            tracing::debug!(%peer, "connection refused: every connection is busy");
            continue;
        };
        let connection = Connection {
            http: http.clone(),
            app: app.clone(),
            peer,
            slot,
            graceful: &graceful,
        };
        match &tls {
            None => connection.spawn(stream),
            Some(acceptor) => connection.spawn_tls(stream, acceptor.clone(), handshakes.clone()),
        }
    }
    drop(listener);
    // Connections without a request in flight (handshakes, unfinished heads, kept-alive
    // ones) close now rather than when their timeouts end; the others finish first.
    while tracker.shed_oldest_idle(None) {}
    graceful.shutdown().await;
    Ok(())
}

/// One admitted connection, about to be served.
struct Connection<'g> {
    http: hyper::server::conn::http1::Builder,
    app: Router,
    peer: SocketAddr,
    slot: Slot,
    graceful: &'g GracefulShutdown,
}

impl Connection<'_> {
    /// Serve plain HTTP on `stream`.
    fn spawn(self, stream: TcpStream) {
        tokio::spawn(self.serve_later()(stream));
    }

    /// Serve HTTP on `stream` after a TLS handshake, which waits for one of `handshakes`
    /// and must finish within [`super::tls::HANDSHAKE_TIMEOUT`]. Until it does, the
    /// connection is idle: it may be closed to make room.
    fn spawn_tls(self, stream: TcpStream, acceptor: TlsAcceptor, handshakes: Arc<Semaphore>) {
        let (peer, slot) = (self.peer, self.slot.handle());
        // The graceful watcher is taken now, so shutdown waits for this task; a connection
        // still in its handshake then is idle, and closed at once.
        let serve = self.serve_later();
        tokio::spawn(async move {
            let handshake = async {
                let _permit = handshakes.acquire_owned().await.ok()?;
                let accepted =
                    tokio::time::timeout(super::tls::HANDSHAKE_TIMEOUT, acceptor.accept(stream))
                        .await;
                match accepted {
                    Ok(Ok(tls)) => Some(tls),
                    Ok(Err(error)) => {
                        tracing::debug!(%peer, %error, "TLS handshake failed");
                        None
                    }
                    Err(_) => {
                        tracing::debug!(%peer, "TLS handshake timed out");
                        None
                    }
                }
            };
            let tls = tokio::select! {
                tls = handshake => tls,
                () = slot.shed_while_idle() => None,
            };
            if let Some(tls) = tls {
                serve(tls).await;
            }
        });
    }

    /// What serves HTTP on an `io` to come, watched for graceful shutdown from now on.
    fn serve_later<I>(self) -> impl FnOnce(I) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>>
    where
        I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let Connection {
            http,
            app,
            peer,
            slot,
            graceful,
        } = self;
        let watcher = graceful.watcher();
        move |io: I| {
            let requests = slot.handle();
            // Each request learns its peer's address, which the per-address limits key on,
            // and counts as in flight until its response is produced.
            let service = app
                .map_request(move |request: axum::http::Request<Incoming>| {
                    let mut request = request.map(axum::body::Body::new);
                    request.extensions_mut().insert(ConnectInfo(peer));
                    request
                })
                .map_future(move |response| {
                    let in_flight = requests.begin();
                    async move {
                        let response = response.await;
                        drop(in_flight);
                        response
                    }
                });
            let connection =
                http.serve_connection(TokioIo::new(io), TowerToHyperService::new(service));
            let connection = watcher.watch(connection);
            Box::pin(async move {
                let handle = slot.handle();
                let mut connection = std::pin::pin!(connection);
                tokio::select! {
                    served = &mut connection => {
                        // A connection that fails (reset, timed out, malformed) concerns only
                        // its client.
                        if let Err(error) = served {
                            tracing::debug!(%error, "connection closed with an error");
                        }
                    }
                    () = handle.shed_while_idle() => {
                        tracing::debug!(%peer, "idle connection closed to make room");
                    }
                }
                drop(slot);
            })
        }
    }
}

/// What `axum::serve` does with a failed `accept`, except that running out of file
/// descriptors closes the oldest idle connection and retries at once, rather than pausing a
/// second while every client waits: errors of one connection are skipped; others are logged
/// and retried after a pause, rather than spinning.
async fn accept_error(error: io::Error, tracker: &Tracker) {
    use io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        error.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    ) {
        return;
    }
    // EMFILE (24) and ENFILE (23): descriptors ran out, despite the connection limit (another
    // part of the process, or the system, took them).
    if matches!(error.raw_os_error(), Some(23 | 24)) && tracker.shed_oldest_idle(None) {
        tracing::warn!(%error, "accepting a connection failed; closed an idle one");
        tokio::time::sleep(Duration::from_millis(10)).await;
        return;
    }
    tracing::error!(%error, "accepting a connection failed");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// The open connections, oldest first, with how many requests each has in flight.
#[derive(Debug)]
struct Tracker {
    limits: ConnectionLimits,
    table: Mutex<Table>,
    /// Signalled when a connection closes or falls idle: room may have been made.
    changed: Notify,
}

#[derive(Debug, Default)]
struct Table {
    next_id: u64,
    /// By id, which grows with age: the first entry is the oldest connection.
    open: BTreeMap<u64, Entry>,
    per_address: HashMap<IpAddr, usize>,
}

#[derive(Debug)]
struct Entry {
    key: IpAddr,
    in_flight: usize,
    /// Asked to close; not picked again.
    shedding: bool,
    shed: Arc<Notify>,
}

impl Tracker {
    fn new(limits: ConnectionLimits) -> Tracker {
        Tracker {
            limits,
            table: Mutex::new(Table::default()),
            changed: Notify::new(),
        }
    }

    fn table(&self) -> std::sync::MutexGuard<'_, Table> {
        // Nothing panics while holding the lock; if it did, the table is still a table.
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A slot for a new connection from `address`: at once when there is room; else after
    /// closing the oldest idle connection (of `address` when it is over its own cap); `None`
    /// when there is none to close and no room is made within [`ROOM_WAIT`] (never waiting
    /// when `address` is over its own cap with every one of its connections busy).
    async fn admit(self: &Arc<Self>, address: IpAddr) -> Option<Slot> {
        let key = client_key(address);
        let deadline = tokio::time::Instant::now() + ROOM_WAIT;
        loop {
            {
                let mut table = self.table();
                let own = table.per_address.get(&key).copied().unwrap_or(0);
                let over_own = self.limits.per_address.is_some_and(|cap| own >= cap);
                let over_total = table.open.len() >= self.limits.total;
                if !over_own && !over_total {
                    return Some(self.insert(&mut table, key));
                }
                // One connection closing at a time makes the room this one needs.
                let needed = over_own.then_some(key);
                if !table.shedding(needed) && !table.shed_oldest_idle(needed) && over_own {
                    return None;
                }
            }
            // Wait for the shed connection to close, or for any connection to close or fall
            // idle.
            if tokio::time::timeout_at(deadline, self.changed.notified())
                .await
                .is_err()
            {
                return None;
            }
        }
    }

    fn insert(self: &Arc<Self>, table: &mut Table, key: IpAddr) -> Slot {
        let id = table.next_id;
        table.next_id += 1;
        let shed = Arc::new(Notify::new());
        table.open.insert(
            id,
            Entry {
                key,
                in_flight: 0,
                shedding: false,
                shed: shed.clone(),
            },
        );
        *table.per_address.entry(key).or_insert(0) += 1;
        Slot {
            handle: SlotHandle {
                tracker: self.clone(),
                id,
                shed,
            },
        }
    }

    /// Ask the oldest idle connection (of `key`'s address when given) to close; whether
    /// there was one.
    fn shed_oldest_idle(&self, key: Option<IpAddr>) -> bool {
        self.table().shed_oldest_idle(key)
    }
}

impl Table {
    /// Whether a connection (of `key`'s address when given) was asked to close and has not
    /// yet.
    fn shedding(&self, key: Option<IpAddr>) -> bool {
        self.open
            .values()
            .any(|entry| entry.shedding && key.is_none_or(|key| entry.key == key))
    }

    fn shed_oldest_idle(&mut self, key: Option<IpAddr>) -> bool {
        let victim = self.open.values_mut().find(|entry| {
            entry.in_flight == 0 && !entry.shedding && key.is_none_or(|key| entry.key == key)
        });
        match victim {
            Some(entry) => {
                entry.shedding = true;
                entry.shed.notify_one();
                true
            }
            None => false,
        }
    }
}

/// A connection's place in the [`Tracker`], given up when dropped.
#[derive(Debug)]
struct Slot {
    handle: SlotHandle,
}

impl Slot {
    fn handle(&self) -> SlotHandle {
        self.handle.clone()
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let tracker = &self.handle.tracker;
        let mut table = tracker.table();
        if let Some(entry) = table.open.remove(&self.handle.id) {
            if let Some(count) = table.per_address.get_mut(&entry.key) {
                *count -= 1;
                if *count == 0 {
                    table.per_address.remove(&entry.key);
                }
            }
        }
        drop(table);
        tracker.changed.notify_one();
    }
}

/// What a connection's task and its requests use to report to the [`Tracker`].
#[derive(Debug, Clone)]
struct SlotHandle {
    tracker: Arc<Tracker>,
    id: u64,
    shed: Arc<Notify>,
}

impl SlotHandle {
    /// Count a request in flight until the returned guard is dropped.
    fn begin(&self) -> InFlight {
        let mut table = self.tracker.table();
        if let Some(entry) = table.open.get_mut(&self.id) {
            entry.in_flight += 1;
        }
        InFlight(self.clone())
    }

    /// Completes when the tracker asks this connection to close and it is idle; a request
    /// that began meanwhile keeps it open (and another is picked).
    async fn shed_while_idle(&self) {
        loop {
            self.shed.notified().await;
            let mut table = self.tracker.table();
            match table.open.get_mut(&self.id) {
                Some(entry) if entry.in_flight > 0 => {
                    entry.shedding = false;
                    drop(table);
                    self.tracker.changed.notify_one();
                }
                _ => return,
            }
        }
    }
}

/// A request in flight on a connection.
struct InFlight(SlotHandle);

impl Drop for InFlight {
    fn drop(&mut self) {
        let tracker = &self.0.tracker;
        let mut table = tracker.table();
        let idle = match table.open.get_mut(&self.0.id) {
            Some(entry) => {
                entry.in_flight = entry.in_flight.saturating_sub(1);
                entry.in_flight == 0
            }
            None => false,
        };
        drop(table);
        if idle {
            tracker.changed.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn limits_fit_the_descriptor_limit() {
        let roomy = ConnectionLimits::fitting(Some(65_536), false);
        assert_eq!(roomy.total, MAX_CONNECTIONS);
        assert_eq!(roomy.per_address, Some(256));
        let tight = ConnectionLimits::fitting(Some(128), false);
        assert_eq!(tight.total, 64);
        assert_eq!(tight.per_address, Some(16));
        assert_eq!(ConnectionLimits::fitting(Some(20), true).total, 16);
        assert_eq!(ConnectionLimits::fitting(None, true).per_address, None);
    }

    #[tokio::test]
    async fn a_full_tracker_sheds_the_oldest_idle_connection_never_a_busy_one() {
        let tracker = Arc::new(Tracker::new(ConnectionLimits {
            total: 3,
            per_address: Some(2),
        }));
        let first = tracker.admit(ip("10.0.0.1")).await.unwrap();
        let busy = first.handle().begin();
        let second = tracker.admit(ip("10.0.0.2")).await.unwrap();
        let third = tracker.admit(ip("10.0.0.3")).await.unwrap();
        // Full: the oldest idle one (the second) is asked to close; the first is busy.
        let shed = second.handle();
        let waiting = tokio::spawn({
            let tracker = tracker.clone();
            async move { tracker.admit(ip("10.0.0.4")).await }
        });
        shed.shed_while_idle().await;
        drop(second);
        let fourth = waiting.await.unwrap().expect("room was made");
        assert_eq!(tracker.table().open.len(), 3);
        // Every connection busy: a newcomer waits, then is refused.
        let _busy = (third.handle().begin(), fourth.handle().begin());
        assert!(tracker.admit(ip("10.0.0.5")).await.is_none());
        drop(busy);
        drop(first);
        assert!(tracker.admit(ip("10.0.0.5")).await.is_some());
    }

    #[tokio::test]
    async fn an_address_over_its_cap_loses_its_own_oldest_idle_connection() {
        let tracker = Arc::new(Tracker::new(ConnectionLimits {
            total: 10,
            per_address: Some(2),
        }));
        let other = tracker.admit(ip("10.0.0.9")).await.unwrap();
        let a = tracker.admit(ip("2001:db8::1")).await.unwrap();
        let b = tracker.admit(ip("2001:db8::2")).await.unwrap();
        let _b_busy = b.handle().begin();
        // The same /64: over its cap; its idle connection `a` goes, not the older `other`.
        let waiting = tokio::spawn({
            let tracker = tracker.clone();
            async move { tracker.admit(ip("2001:db8::3")).await }
        });
        a.handle().shed_while_idle().await;
        drop(a);
        let c = waiting.await.unwrap().expect("room was made");
        let _c_busy = c.handle().begin();
        // Both of its connections busy: refused at once, without touching others.
        assert!(tracker.admit(ip("2001:db8::4")).await.is_none());
        assert!(!tracker.table().open.values().any(|entry| entry.shedding));
        drop(other);
    }

    #[tokio::test]
    async fn a_request_that_begins_before_the_close_keeps_the_connection() {
        let tracker = Arc::new(Tracker::new(ConnectionLimits {
            total: 1,
            per_address: None,
        }));
        let only = tracker.admit(ip("10.0.0.1")).await.unwrap();
        assert!(tracker.shed_oldest_idle(None));
        let request = only.handle().begin();
        let handle = only.handle();
        let shed = tokio::time::timeout(Duration::from_millis(50), handle.shed_while_idle());
        assert!(shed.await.is_err(), "a busy connection was closed");
        assert!(!tracker.table().open[&0].shedding);
        drop(request);
    }
}

//! Serving connections: HTTP/1.1 over any [`Listener`] (plain TCP, or TLS), with graceful
//! shutdown and a deadline on each request head.
//!
//! `axum::serve` gives hyper no timer, and hyper then never times out a connection that
//! starts a request and stops sending it (slowloris): each holds a socket and a file
//! descriptor for ever. Here hyper gets tokio's timer, so a request head must arrive within
//! [`HEADER_READ_TIMEOUT`]; the router's own deadline then bounds the body and the work.

use axum::extract::ConnectInfo;
use axum::serve::Listener;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tower::ServiceExt;

/// How long a client may take to send a request's line and headers, on a new connection or
/// between requests of a kept-alive one, before the connection is closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(20);

/// Serve `app` on every connection `listener` accepts until `shutdown` completes; then stop
/// accepting, let the requests in flight finish, and close idle connections. A request head
/// must arrive within `header_read_timeout`.
pub(super) async fn serve<L>(
    mut listener: L,
    app: Router,
    header_read_timeout: Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    L: Listener<Addr = SocketAddr>,
{
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (io, peer) = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        // Each request learns its peer's address, which the per-address limits key on.
        let service = app
            .clone()
            .map_request(move |request: axum::http::Request<Incoming>| {
                let mut request = request.map(axum::body::Body::new);
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            });
        let connection = http.serve_connection(TokioIo::new(io), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A connection that fails (reset, timed out, malformed) concerns only its client.
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection closed with an error");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

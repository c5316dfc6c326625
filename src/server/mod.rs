//! The HTTP face of the registry: RFC 7591 registration and RFC 7592 management over the
//! same [`crate::ops`] the command line calls.
//!
//! [`router`] builds the routes and layers from an [`AppState`] and is what tests drive;
//! [`serve`] runs it on a bound listener until a shutdown future completes, then finishes
//! in-flight requests; [`serve_tls`] does the same behind TLS handshakes. Both bound the
//! connections and request heads they hold (`connections`).
//!
//! Database work never runs on the async threads, and no transaction is held across an
//! `.await`: changes go to one writer thread that commits them in groups (`writer`), reads
//! to a few reader threads (`readers`), each with its own connection; only Argon2 (an
//! admin's password, a client secret an admin chose repeated in a `PUT`) uses tokio's
//! blocking pool, a few at a time (`verifications`), never inside a write transaction.
//! Layers, outermost first: a trace span per request (method, route and path only, anything
//! shaped like a credential in the path redacted by `redact`: never headers, bodies or query
//! strings, where credentials live), the `Host` check, the request deadline
//! (`408`, unless the writer already took the request's change in hand: see `writer`), and
//! the body size limit.

mod auth;
mod body;
mod conditional;
mod connections;
mod discovery;
mod error;
mod limit;
mod manage;
mod readers;
mod redact;
mod register;
mod state;
mod tls;
mod verifications;
mod writer;

pub use connections::HEADER_READ_TIMEOUT;
use discovery::{OAUTH_WELL_KNOWN, OPENID_WELL_KNOWN};
pub use error::ApiError;
pub use limit::{
    parse_rate_limit, AdminGuard, RateLimit, RateLimiter, DEFAULT_ADMIN_FAILURE_LIMIT,
    MAX_CONCURRENT_VERIFICATIONS,
};
pub use state::{parse_issuer, parse_prefix, AppState};
pub use tls::{TlsConfig, HANDSHAKE_TIMEOUT, MAX_HANDSHAKES};
pub use verifications::{Busy, Lane, Turn, Verifications, MAX_WAITING};

use crate::ops::Location;
use crate::ops::{self, Store};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::Request;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use std::cell::RefCell;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

/// The largest request body accepted (`413` beyond it, SPEC §5): 64 KiB as received, the
/// size of a whole document. What the registry stores is kept
/// [`crate::registration::DOCUMENT_ROOM_BYTES`] under it, so a client's own `GET` response,
/// less the members RFC 7592 §2.2 says not to send back, always fits a `PUT` body.
pub const MAX_BODY_BYTES: usize = crate::registration::MAX_DOCUMENT_BYTES;

/// How long one request may take before it is answered `408` (unless the writer already took
/// its change in hand); also bounds how long a hung request can delay shutdown. The default
/// of the state's `request_timeout`.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The application: every route under its path, with the layers.
pub fn router(state: AppState) -> Router {
    let registration = Router::new()
        .route("/register", post(register::register).get(register::lookup))
        .route(
            "/register/{client_id}",
            get(manage::read)
                .put(manage::replace)
                .delete(manage::delete),
        )
        .route("/register/{client_id}/secret", post(manage::rotate_secret))
        .route(
            "/register/{client_id}/registration-token",
            post(manage::rotate_token).delete(manage::rotate_token),
        );
    // axum nests only under a non-empty path; without a prefix the routes sit at the root.
    let app = match &*state.prefix {
        "" => Router::new().merge(registration),
        prefix => Router::new().nest(prefix, registration),
    };
    let issuer_path = state.issuer_path().to_owned();
    let mut app = app
        .route("/healthz", get(healthz))
        .route(OAUTH_WELL_KNOWN, get(discovery::metadata))
        .route(OPENID_WELL_KNOWN, get(discovery::metadata));
    if !issuer_path.is_empty() {
        app = app
            .route(
                &format!("{OAUTH_WELL_KNOWN}{issuer_path}"),
                get(discovery::metadata),
            )
            .route(
                &format!("{OPENID_WELL_KNOWN}{issuer_path}"),
                get(discovery::metadata),
            )
            .route(
                &format!("{issuer_path}{OPENID_WELL_KNOWN}"),
                get(discovery::metadata),
            );
    }
    app.route_layer(axum::middleware::from_fn(record_route))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            deadline,
        ))
        .layer(axum::middleware::from_fn(one_host))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    tracing::info_span!(
                        "request",
                        method = %redact::method(request.method()),
                        route = tracing::field::Empty,
                        path = %redact::path(request.uri().path()),
                    )
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// Serve `state` on `listener` until `shutdown` completes, then stop accepting connections
/// and finish the requests in flight.
///
/// # Errors
/// Failures of the listener.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_connections(listener, None, state, shutdown).await
}

/// [`serve`] over TLS: the same application and shutdown, behind TLS handshakes.
///
/// # Errors
/// Failures of the listener.
pub async fn serve_tls(
    listener: TcpListener,
    tls: &TlsConfig,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_connections(listener, Some(tls.acceptor()), state, shutdown).await
}

async fn serve_connections(
    listener: TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let header_read_timeout = state.header_read_timeout;
    let limits = connections::ConnectionLimits::for_this_process(state.behind_proxy);
    let app = router(state);
    connections::serve(listener, tls, app, limits, header_read_timeout, shutdown).await
}

/// Completes on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

thread_local! {
    /// The connection of this blocking worker thread, with the database it is for. Opening
    /// one (the file, its pragmas, the schema check) costs more than most requests, and
    /// tokio keeps its blocking threads alive between tasks, so each reuses its own.
    static CONNECTION: RefCell<Option<(Arc<Location>, Store)>> = const { RefCell::new(None) };
}

/// Run `work` (Argon2: tens of milliseconds) on tokio's blocking pool, off the async threads.
async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))
}

/// [`off_thread`] with that thread's connection to the database (opened on first use), for
/// an admin's password check. Transactions never outlive `work`: a failed one is rolled back
/// before the connection is used again.
async fn blocking<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&mut Store) -> crate::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    let db = state.db.clone();
    let outcome = off_thread(move || {
        CONNECTION.with(|cell| {
            let mut slot = cell.borrow_mut();
            let store = match &mut *slot {
                Some((path, store)) if *path == db => store,
                _ => {
                    let store = Store::open(&*db)?;
                    &mut slot.insert((db, store)).1
                }
            };
            work(store)
        })
    })
    .await?;
    Ok(outcome?)
}

/// Answer `408` with a JSON body when the request is not done within the state's
/// `request_timeout` (reading a slow body included), unless the writer already took a change
/// of the request in hand: that request is answered with the change's real outcome, once it
/// is known. A change still queued is abandoned and never made, so a `408` changed nothing.
async fn deadline(
    State(state): State<AppState>,
    request: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> Response {
    let writes = Arc::new(writer::RequestWrites::default());
    let mut response = std::pin::pin!(writes.clone().scope(next.run(request)));
    tokio::select! {
        biased;
        response = &mut response => return response,
        () = tokio::time::sleep(state.request_timeout) => {}
    }
    if writes.give_up() {
        ApiError::Timeout(state.request_timeout).into_response()
    } else {
        response.await
    }
}

/// Name the matched route's pattern (`/register/{client_id}`) on the request's span: what an
/// operator filters by, and free of whatever the path itself carries.
async fn record_route(
    request: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> Response {
    if let Some(route) = request.extensions().get::<axum::extract::MatchedPath>() {
        tracing::Span::current().record("route", route.as_str());
    }
    next.run(request).await
}

/// RFC 9112 §3.2: an HTTP/1.1 request must carry exactly one `Host` header; anything else is
/// `400` before any route sees it.
async fn one_host(request: Request<axum::body::Body>, next: axum::middleware::Next) -> Response {
    let hosts = request
        .headers()
        .get_all(axum::http::header::HOST)
        .iter()
        .count();
    if request.version() == axum::http::Version::HTTP_11 && hosts != 1 {
        return ApiError::BadRequest("an HTTP/1.1 request needs exactly one Host header")
            .into_response();
    }
    next.run(request).await
}

/// `GET /healthz`.
async fn healthz(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    state.readers.read(|store| store.read(ops::ping)).await?;
    Ok(Json(json!({ "status": "ok" })))
}

async fn not_found() -> ApiError {
    ApiError::RouteNotFound
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

#[cfg(test)]
mod tests;

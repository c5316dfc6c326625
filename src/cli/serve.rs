//! `dcrctl serve`: run the registration API (RFC 7591 / RFC 7592) over HTTP.
//!
//! Credentials never cross a network in clear text (RFC 7591 §3 requires TLS): plain HTTP is
//! served on loopback addresses only; any other address needs `--tls-cert`/`--tls-key`, or
//! `--behind-proxy` to say that a TLS-terminating proxy is in front. An `http` issuer is
//! accepted only for that plain loopback case (development): with TLS, behind a proxy or on a
//! non-loopback address, clients reach the registry over https, so its public URLs must say
//! so. Certificate and key are read and checked before the port is taken.
//!
//! The bound address is printed on stderr as `listening on ADDR` (useful with port 0);
//! request logs go to stderr, filtered by
//! `DCRCTL_LOG` (tracing's env-filter syntax, default `info`), and never contain a header,
//! a body or a credential.

use super::args::{parse_duration, read_at_most};
use super::Ctx;
use crate::ops::Limits;
use crate::registration::Policy;
use crate::server::{
    self, parse_issuer, parse_prefix, parse_rate_limit, AppState, RateLimit, TlsConfig,
};
use crate::Error;
use anyhow::Context;
use clap::Args;
use serde_json::{Map, Value};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port)
    ///
    /// A non-loopback address needs --tls-cert/--tls-key or --behind-proxy: RFC 7591 §3
    /// requires TLS, and credentials must never cross a network in clear text.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    listen: SocketAddr,

    /// Serve HTTPS with this PEM certificate chain (leaf first); needs --tls-key
    #[arg(long, value_name = "FILE")]
    tls_cert: Option<PathBuf>,

    /// The PEM private key (PKCS#8, PKCS#1 or SEC1) of --tls-cert; needs --tls-cert
    #[arg(long, value_name = "FILE")]
    tls_key: Option<PathBuf>,

    /// A TLS-terminating reverse proxy is in front: allow a non-loopback --listen without
    /// TLS, and take the client's address from X-Forwarded-For
    ///
    /// The right-most X-Forwarded-For entry, the one the proxy appended, then keys the
    /// per-address limits (--rate-limit, --admin-failure-limit); without this flag the header
    /// is ignored, as any client could forge it. Make sure only the proxy can reach the
    /// listening address. --issuer must then be an https URL.
    #[arg(long)]
    behind_proxy: bool,

    /// Public base URL of the registry, e.g. https://auth.example.com
    ///
    /// The registration endpoint is {issuer}{prefix}/register, and every
    /// registration_client_uri is built from it. It must be https unless the server serves
    /// plain HTTP on a loopback address (with TLS, --behind-proxy or a non-loopback --listen,
    /// an http issuer is refused).
    #[arg(long, value_name = "URL", value_parser = parse_issuer)]
    issuer: String,

    /// Path under which the /register routes are served, e.g. /oauth
    #[arg(long, value_name = "PATH", default_value = "", value_parser = parse_prefix)]
    path_prefix: String,

    /// Allow POST /register without an initial access token
    #[arg(long)]
    open_registration: bool,

    /// Grant types HTTP registrations may ask for (comma-separated; default: any)
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_item)]
    allowed_grant_types: Option<Vec<String>>,

    /// Response types HTTP registrations may ask for (comma-separated; default: any)
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_item)]
    allowed_response_types: Option<Vec<String>>,

    /// token_endpoint_auth_method values HTTP registrations may ask for (comma-separated)
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_item)]
    allowed_auth_methods: Option<Vec<String>>,

    /// Scope tokens HTTP registrations may ask for (comma-separated; default: any)
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_item)]
    allowed_scopes: Option<Vec<String>>,

    /// Lifetime of client secrets issued over HTTP, e.g. 90d (default: never expire)
    // `--secret-lifetime` is its name before secret lifetimes were all named
    // --secret-expires-*.
    #[arg(long, alias = "secret-lifetime", value_name = "DURATION", value_parser = parse_duration)]
    secret_expires_in: Option<Duration>,

    /// Refuse HTTP registrations (403) once the registry holds N clients, however registered
    #[arg(long, value_name = "N")]
    max_clients: Option<u64>,

    /// Per-address limit of registrations without a credential, e.g. 20/min or 100/1h
    #[arg(long, value_name = "N/PERIOD", default_value = "20/min", value_parser = parse_rate_limit)]
    rate_limit: RateLimit,

    /// Per-address limit of failed admin (Basic) authentications, e.g. 10/min
    ///
    /// Every admin password check costs an Argon2id verification, so once an address has
    /// this many failures in the period its further admin requests get 429 with Retry-After
    /// before any password is checked. Successful logins are not counted. Independently, at
    /// most 2 password verifications run at once; others wait their turn, up to 16 (429 with
    /// Retry-After beyond), addresses an admin recently logged in from first and addresses
    /// with recent failures last.
    #[arg(long, value_name = "N/PERIOD", default_value = "10/min", value_parser = parse_rate_limit)]
    admin_failure_limit: RateLimit,

    /// The real authorization server's RFC 8414 metadata (a JSON object), under which the
    /// discovery document is merged
    ///
    /// Its members (authorization_endpoint, token_endpoint, jwks_uri, …) are served as they
    /// are; issuer (which must equal --issuer), registration_endpoint and the *_supported
    /// lists dcrctl computes replace the file's.
    #[arg(long, value_name = "FILE")]
    as_metadata: Option<PathBuf>,

    /// How long one request (its body and its work) may take before it is answered 408
    ///
    /// Also bounds how long a hung request can delay shutdown.
    #[arg(long, value_name = "DURATION", value_parser = parse_request_timeout, default_value = "30s")]
    request_timeout: Duration,

    /// How long a client may take to send a request's line and headers before its
    /// connection is closed (slow clients hold a socket and a file descriptor meanwhile)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "20s")]
    header_read_timeout: Duration,

    /// Log lines as text for people, or as one JSON object per line for log shippers
    ///
    /// Either way a line carries the request's method, route (the route's pattern, e.g.
    /// /register/{client_id}), status and latency, and the client id and actor of a change;
    /// never a header, body, secret, token or password. DCRCTL_LOG filters them.
    #[arg(long, value_enum, default_value_t = LogFormat::Text, env = "DCRCTL_LOG_FORMAT")]
    log_format: LogFormat,
}

/// How `serve` writes its log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    /// Human-readable lines
    Text,
    /// One JSON object per line, with the span fields flattened beside the event's
    Json,
}

/// `--request-timeout`: a duration, not zero (every request would be answered 408).
fn parse_request_timeout(text: &str) -> Result<Duration, String> {
    match parse_duration(text)? {
        zero if zero.is_zero() => Err("must be longer than zero".into()),
        timeout => Ok(timeout),
    }
}

/// One value of a comma-separated list: trimmed, not empty.
fn parse_item(text: &str) -> Result<String, String> {
    let item = text.trim();
    if item.is_empty() {
        return Err("expected comma-separated values, none empty".into());
    }
    Ok(item.to_owned())
}

/// Read `--as-metadata`: a JSON object.
fn read_as_metadata(path: &Path) -> anyhow::Result<Map<String, Value>> {
    let file = std::fs::File::open(path)
        .map_err(|e| Error::usage(format!("--as-metadata {}: {e}", path.display())))?;
    // The document a discovery response is merged over: bounded like any metadata document.
    let limit = crate::registration::MAX_DOCUMENT_BYTES as u64;
    let text = read_at_most(file, limit, &format!("--as-metadata {}", path.display()))?;
    match serde_json::from_slice(&text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Error::usage(format!(
            "--as-metadata {}: must be a JSON object",
            path.display()
        ))
        .into()),
        Err(e) => Err(Error::usage(format!("--as-metadata {}: {e}", path.display())).into()),
    }
}

/// Refuse what would expose credentials: plain HTTP beyond loopback, and an `http` issuer
/// for a server that clients reach over TLS.
fn check_transport(args: &ServeArgs) -> Result<(), Error> {
    let loopback = args.listen.ip().is_loopback();
    let tls = args.tls_cert.is_some();
    if !loopback && !tls && !args.behind_proxy {
        return Err(Error::usage(format!(
            "--listen {}: a non-loopback address needs TLS (--tls-cert and --tls-key) or \
             --behind-proxy (a TLS-terminating proxy in front); RFC 7591 requires TLS",
            args.listen
        )));
    }
    if args.issuer.starts_with("http:") && (!loopback || tls || args.behind_proxy) {
        let why = if tls {
            "this server speaks TLS"
        } else if args.behind_proxy {
            "with --behind-proxy clients reach it over TLS"
        } else {
            "it listens beyond loopback"
        };
        return Err(Error::usage(format!(
            "--issuer {}: must be an https URL, as {why}",
            args.issuer
        )));
    }
    Ok(())
}

pub(crate) fn run(ctx: &Ctx, args: &ServeArgs) -> anyhow::Result<()> {
    // Checked here rather than by clap, whose message spans several lines.
    let pair = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some((cert, key)),
        (None, None) => None,
        (Some(_), None) => {
            return Err(Error::usage("--tls-cert needs --tls-key (its private key)").into())
        }
        (None, Some(_)) => {
            return Err(Error::usage("--tls-key needs --tls-cert (its certificate)").into())
        }
    };
    check_transport(args)?;
    let tls = match pair {
        Some((cert, key)) => Some(TlsConfig::load(cert, key)?),
        None => None,
    };
    let db = ctx.location()?;
    // Create or migrate the database now, so a bad location fails before the port is taken.
    super::open(db.clone())?;
    let policy = Policy {
        allowed_grant_types: args.allowed_grant_types.clone(),
        allowed_response_types: args.allowed_response_types.clone(),
        allowed_auth_methods: args.allowed_auth_methods.clone(),
        allowed_scopes: args.allowed_scopes.clone(),
    };
    let limits = Limits {
        max_clients: args.max_clients,
        secret_lifetime: args.secret_expires_in,
    };
    let mut state = AppState::new(
        db,
        &args.issuer,
        &args.path_prefix,
        args.open_registration,
        policy,
    )?
    .with_limits(limits)
    .with_rate_limit(args.rate_limit)
    .with_behind_proxy(args.behind_proxy)
    .with_admin_failure_limit(args.admin_failure_limit)
    .with_request_timeout(args.request_timeout)
    .with_header_read_timeout(args.header_read_timeout);
    if let Some(path) = &args.as_metadata {
        state = state.with_as_metadata(read_as_metadata(path)?)?;
    }
    init_logging(
        args.log_format,
        ctx.color.colors(super::color::Stream::Stderr),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        let address = listener.local_addr().context("reading the bound address")?;
        eprintln!("listening on {address}");
        tracing::info!(
            %address,
            tls = tls.is_some(),
            behind_proxy = args.behind_proxy,
            registration_endpoint = %state.registration_endpoint(),
            open_registration = state.open_registration,
            "serving"
        );
        match &tls {
            Some(tls) => server::serve_tls(listener, tls, state, server::shutdown_signal())
                .await
                .context("serving HTTPS"),
            None => server::serve(listener, state, server::shutdown_signal())
                .await
                .context("serving HTTP"),
        }
    })?;
    tracing::info!("stopped");
    Ok(())
}

fn init_logging(format: LogFormat, ansi: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("DCRCTL_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Logging is best effort: with stderr gone (`serve 2>&1 | head`), tracing would report
    // each failed write with `eprintln!`, which panics, and every request would die with it.
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(filter)
        .log_internal_errors(false);
    // Fails only when a subscriber is already set, which then keeps logging.
    let _ = match format {
        LogFormat::Text => builder.with_ansi(ansi).try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(true)
            .try_init(),
    };
}

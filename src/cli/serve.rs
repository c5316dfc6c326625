//! `dcrctl serve`: run the registration API (RFC 7591 / RFC 7592) over HTTP.
//!
//! Only loopback addresses are accepted until TLS or `--behind-proxy` support exists, so
//! credentials never cross a network in clear text. The bound address is printed on stderr
//! as `listening on ADDR` (useful with port 0); request logs go to stderr, filtered by
//! `DCRCTL_LOG` (tracing's env-filter syntax, default `info`), and never contain a header,
//! a body or a credential.

use super::Ctx;
use crate::ops::Store;
use crate::registration::Policy;
use crate::server::{self, parse_issuer, parse_prefix, AppState};
use crate::Error;
use anyhow::Context;
use clap::Args;
use std::io::IsTerminal;
use std::net::SocketAddr;

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; loopback only for now (port 0 picks a free port)
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    listen: SocketAddr,

    /// Public base URL of the registry, e.g. https://auth.example.com
    ///
    /// The registration endpoint is {issuer}{prefix}/register, and every
    /// registration_client_uri is built from it.
    #[arg(long, value_name = "URL", value_parser = parse_issuer)]
    issuer: String,

    /// Path under which the /register routes are served, e.g. /oauth
    #[arg(long, value_name = "PATH", default_value = "", value_parser = parse_prefix)]
    path_prefix: String,

    /// Allow POST /register without an initial access token
    #[arg(long)]
    open_registration: bool,
}

pub(crate) fn run(ctx: &Ctx, args: &ServeArgs) -> anyhow::Result<()> {
    if !args.listen.ip().is_loopback() {
        return Err(Error::usage(format!(
            "--listen {}: only loopback addresses are supported; TLS and --behind-proxy \
             support are not built yet",
            args.listen
        ))
        .into());
    }
    let db = match &ctx.db {
        Some(path) => path.clone(),
        None => super::default_db_path()?,
    };
    // Create or migrate the file now, so a bad path fails before the port is taken.
    Store::open(&db)?;
    let state = AppState::new(
        db,
        &args.issuer,
        &args.path_prefix,
        args.open_registration,
        Policy::default(),
    )
    .map_err(Error::Usage)?;
    init_logging();
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
            registration_endpoint = %state.registration_endpoint(),
            open_registration = state.open_registration,
            "serving"
        );
        server::serve(listener, state, server::shutdown_signal())
            .await
            .context("serving HTTP")
    })?;
    tracing::info!("stopped");
    Ok(())
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("DCRCTL_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let ansi = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    // Fails only when a subscriber is already set, which then keeps logging.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(filter)
        .with_ansi(ansi)
        .try_init();
}

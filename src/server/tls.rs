//! HTTPS for `serve --tls-cert FILE --tls-key FILE`: RFC 7591 §3 requires TLS for the
//! registration endpoint, and registration carries secrets both ways.
//!
//! rustls with the `ring` provider, chosen explicitly rather than through a process-wide
//! default, so the build needs no C toolchain beyond what `ring` brings and no other
//! dependency can change which provider serves. HTTP/1.1 only, as the plain server.
//!
//! [`TlsListener`] is an [`axum::serve::Listener`], so `axum::serve` keeps doing what it does
//! for plain TCP, graceful shutdown included. Handshakes do not run inside `accept`: one slow
//! or silent client would then stall every other. A task accepts TCP connections and runs each
//! handshake in its own task, bounded in number ([`MAX_HANDSHAKES`]) and in time
//! ([`HANDSHAKE_TIMEOUT`]), and hands finished streams to the listener over a channel. When
//! `axum::serve` drops the listener at shutdown, that task sees the channel close and drops
//! the TCP socket, so the port stops accepting at once.

use axum::serve::Listener;
use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, Semaphore};
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

/// How long a client may take to complete its TLS handshake before the connection is dropped.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The most handshakes in progress at once; further connections wait in the kernel's backlog.
pub const MAX_HANDSHAKES: usize = 256;

/// The largest `--tls-cert` or `--tls-key` file read: a chain of a leaf and several
/// intermediates is a few KiB to tens of KiB; anything far larger (`/dev/zero`, a log file
/// given by mistake) is refused before it can exhaust memory.
const MAX_PEM_BYTES: u64 = 1024 * 1024;

/// The server side of TLS: certificate chain and private key, checked to belong together.
#[derive(Clone)]
pub struct TlsConfig(Arc<ServerConfig>);

impl std::fmt::Debug for TlsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The configuration holds the private key: never print any of it.
        f.write_str("TlsConfig(..)")
    }
}

impl TlsConfig {
    /// Read a PEM certificate chain (leaf first) and a PEM private key (PKCS#8, PKCS#1 or
    /// SEC1) and check that the key is the certificate's.
    ///
    /// # Errors
    /// A one-line message naming the file (by its flag) and what is wrong with it.
    pub fn load(cert: &Path, key: &Path) -> Result<TlsConfig, String> {
        let flag = |name: &str, path: &Path, what: &dyn std::fmt::Display| {
            format!("{name} {}: {what}", path.display())
        };
        let cert_pem = read_pem(cert).map_err(|e| flag("--tls-cert", cert, &e))?;
        let chain = CertificateDer::pem_slice_iter(&cert_pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| flag("--tls-cert", cert, &format!("not valid PEM ({e})")))?;
        if chain.is_empty() {
            return Err(flag("--tls-cert", cert, &"holds no PEM CERTIFICATE block"));
        }
        let key_pem = read_pem(key).map_err(|e| flag("--tls-key", key, &e))?;
        let private = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| {
            flag(
                "--tls-key",
                key,
                &format!("holds no usable PEM private key ({e})"),
            )
        })?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS setup: {e}"))?
            .with_no_client_auth()
            .with_single_cert(chain, private)
            .map_err(|e| {
                let why = match e {
                    rustls::Error::InconsistentKeys(_) => {
                        "the private key is not the certificate's".to_owned()
                    }
                    other => other.to_string(),
                };
                format!(
                    "--tls-key {} does not fit --tls-cert {}: {why}",
                    key.display(),
                    cert.display()
                )
            })?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TlsConfig(Arc::new(config)))
    }
}

/// The contents of a PEM file, at most [`MAX_PEM_BYTES`]: an endless or huge file is an
/// error after reading one byte more than that, never read to its end.
fn read_pem(path: &Path) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_PEM_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_PEM_BYTES {
        return Err(io::Error::other(format!(
            "is larger than {MAX_PEM_BYTES} bytes"
        )));
    }
    Ok(bytes)
}

/// A TCP listener that yields connections after their TLS handshake.
#[derive(Debug)]
pub struct TlsListener {
    local: SocketAddr,
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
}

impl TlsListener {
    /// Start accepting on `listener` with `config`. Must be called inside a tokio runtime.
    ///
    /// # Errors
    /// When the listener's address cannot be read.
    pub fn new(listener: TcpListener, config: &TlsConfig) -> io::Result<TlsListener> {
        let local = listener.local_addr()?;
        let (sender, ready) = mpsc::channel(MAX_HANDSHAKES);
        tokio::spawn(accept_loop(
            listener,
            TlsAcceptor::from(config.0.clone()),
            sender,
        ));
        Ok(TlsListener { local, ready })
    }
}

async fn accept_loop(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    ready: mpsc::Sender<(TlsStream<TcpStream>, SocketAddr)>,
) {
    let handshakes = Arc::new(Semaphore::new(MAX_HANDSHAKES));
    loop {
        let accepted = tokio::select! {
            () = ready.closed() => return,
            accepted = async {
                let permit = handshakes.clone().acquire_owned().await;
                (listener.accept().await, permit)
            } => accepted,
        };
        let ((stream, peer), permit) = match accepted {
            (Ok(connection), Ok(permit)) => (connection, permit),
            (Err(error), _) => {
                accept_error(error).await;
                continue;
            }
            // The semaphore is never closed.
            (Ok(_), Err(_)) => return,
        };
        let acceptor = acceptor.clone();
        let ready = ready.clone();
        tokio::spawn(async move {
            let _permit = permit;
            match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                Ok(Ok(tls)) => {
                    // A closed channel means shutdown: the connection is dropped.
                    let _ = ready.send((tls, peer)).await;
                }
                Ok(Err(error)) => tracing::debug!(%peer, %error, "TLS handshake failed"),
                Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
            }
        });
    }
}

/// What `axum::serve` does with a failed `accept`: errors of one connection are skipped;
/// others (such as running out of file descriptors) are logged and retried after a pause,
/// rather than spinning.
async fn accept_error(error: io::Error) {
    use io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        error.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    ) {
        return;
    }
    tracing::error!(%error, "accepting a connection failed");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

impl Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(connection) => connection,
            // The accept task never ends while this receiver lives.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(self.local)
    }
}

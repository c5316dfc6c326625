//! HTTPS for `serve --tls-cert FILE --tls-key FILE`: RFC 7591 §3 requires TLS for the
//! registration endpoint, and registration carries secrets both ways.
//!
//! rustls with the `ring` provider, chosen explicitly rather than through a process-wide
//! default, so the build needs no C toolchain beyond what `ring` brings and no other
//! dependency can change which provider serves. HTTP/1.1 only, as the plain server.
//!
//! Handshakes run in each connection's own task (`connections`), never in the accept loop:
//! one slow or silent client would then stall every other. They are bounded in number
//! ([`MAX_HANDSHAKES`]) and in time ([`HANDSHAKE_TIMEOUT`]), and a connection still in its
//! handshake counts as idle: it may be closed to make room for others.

use crate::Error;
use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use std::io;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio_rustls::TlsAcceptor;

/// How long a client may take to complete its TLS handshake before the connection is dropped.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The most handshakes in progress at once; further connections wait their turn (idle, so
/// they may be closed to make room).
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
    /// [`Error::Usage`], one line naming the file (by its flag) and what is wrong with it.
    pub fn load(cert: &Path, key: &Path) -> crate::Result<TlsConfig> {
        let flag = |name: &str, path: &Path, what: &dyn std::fmt::Display| {
            Error::usage(format!("{name} {}: {what}", path.display()))
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
            .map_err(|e| Error::usage(format!("TLS setup: {e}")))?
            .with_no_client_auth()
            .with_single_cert(chain, private)
            .map_err(|e| {
                let why = match e {
                    rustls::Error::InconsistentKeys(_) => {
                        "the private key is not the certificate's".to_owned()
                    }
                    other => other.to_string(),
                };
                Error::usage(format!(
                    "--tls-key {} does not fit --tls-cert {}: {why}",
                    key.display(),
                    cert.display()
                ))
            })?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TlsConfig(Arc::new(config)))
    }

    /// What runs the server side of a handshake with this configuration.
    pub(super) fn acceptor(&self) -> TlsAcceptor {
        TlsAcceptor::from(self.0.clone())
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

//! TLS to the server as libpq's `sslmode` and `sslrootcert` ask for it, with rustls.
//!
//! The client library knows only `disable`, `prefer` and `require`, and refuses parameters it
//! does not know, so both are taken out of the URL here ([`split_url`]) and the mode is turned
//! into a certificate verifier ([`connector`]):
//!
//! * `disable`: no TLS. Over a Unix socket TLS is never tried, whatever the mode (libpq).
//! * `prefer` (the default) and `require`: TLS (`prefer` falls back to plain text when the
//!   server has none), the certificate unchecked unless a root file is configured, in which
//!   case its chain is checked, as libpq does (unlike libpq, `prefer` does not then retry in
//!   plain text when the check fails: the client library makes one attempt).
//! * `verify-ca`: the chain must lead to a root; any host name. `verify-full`: the host name too.
//!
//! The roots are `sslrootcert=PATH` (PEM), else `~/.postgresql/root.crt` when it exists, else
//! the system's; `sslrootcert=system` asks for the system's and, as in libpq 16, allows only
//! `verify-full`, which it makes the default. `PGSSLMODE` and `PGSSLROOTCERT` stand in for
//! what the URL leaves out. The ring provider is named explicitly: none is installed for the
//! process, and an unverified certificate must still prove its key in the handshake.

use super::StoreError;
use postgres::config::SslMode as ClientMode;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{verify_server_cert_signed_by_trust_anchor, WebPkiServerVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio_postgres_rustls::MakeRustlsConnect;

/// libpq's `sslmode` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

/// Where the roots for checking the server's certificate come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum RootCert {
    File(PathBuf),
    System,
}

/// The TLS settings a URL (or the environment) asked for; `None` where it said nothing.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct TlsParams {
    pub(super) mode: Option<SslMode>,
    pub(super) root_cert: Option<RootCert>,
}

impl SslMode {
    fn parse(value: &str, what: &str) -> Result<SslMode, StoreError> {
        Ok(match value {
            "disable" => SslMode::Disable,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            // libpq's "allow" is left out: it would need a second, plain-text attempt.
            _ => {
                return Err(invalid(format!(
                    "{what}: unknown value {value:?} (use disable, prefer, require, \
                     verify-ca or verify-full)"
                )))
            }
        })
    }
}

impl RootCert {
    fn parse(value: &str) -> RootCert {
        match value {
            "system" => RootCert::System,
            path => RootCert::File(PathBuf::from(path)),
        }
    }
}

impl TlsParams {
    /// The mode in force: as given, else `verify-full` for `sslrootcert=system` (which allows
    /// nothing weaker, so that asking for the system's roots never quietly skips them), else
    /// libpq's default, `prefer`.
    fn mode(&self) -> Result<SslMode, StoreError> {
        let system = self.root_cert == Some(RootCert::System);
        match self.mode {
            None if system => Ok(SslMode::VerifyFull),
            Some(mode) if system && mode != SslMode::VerifyFull => Err(invalid(
                "sslrootcert=system is allowed only with sslmode=verify-full".to_owned(),
            )),
            mode => Ok(mode.unwrap_or(SslMode::Prefer)),
        }
    }

    /// These settings, with `PGSSLMODE` and `PGSSLROOTCERT` for what is unset.
    pub(super) fn or_env(mut self) -> Result<TlsParams, StoreError> {
        if self.mode.is_none() {
            if let Ok(mode) = std::env::var("PGSSLMODE") {
                self.mode = Some(SslMode::parse(&mode, "PGSSLMODE")?);
            }
        }
        if self.root_cert.is_none() {
            if let Some(path) = std::env::var_os("PGSSLROOTCERT") {
                self.root_cert = Some(match path.to_str() {
                    Some(text) => RootCert::parse(text),
                    None => RootCert::File(path.into()),
                });
            }
        }
        Ok(self)
    }
}

/// `url` without its `sslmode` and `sslrootcert` query parameters, and what they said. The
/// query starts where the client library's parser starts it (the first `?` after the first
/// `@`), so both agree on what is a parameter; every other parameter is kept as written.
///
/// # Errors
/// An unknown `sslmode`, or a parameter that is not valid percent-encoded UTF-8.
pub(super) fn split_url(url: &str) -> Result<(String, TlsParams), StoreError> {
    let query_from = url.find('@').map_or(0, |at| at + 1);
    let Some(question) = url[query_from..].find('?').map(|q| query_from + q) else {
        return Ok((url.to_owned(), TlsParams::default()));
    };
    let mut params = TlsParams::default();
    let mut kept = Vec::new();
    for pair in url[question + 1..].split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match decode(key)?.as_ref() {
            // Later ones win, as they do in the parser.
            "sslmode" => params.mode = Some(SslMode::parse(&decode(value)?, "sslmode")?),
            "sslrootcert" => params.root_cert = Some(RootCert::parse(&decode(value)?)),
            _ => kept.push(pair),
        }
    }
    let mut rest = url[..question].to_owned();
    if !kept.is_empty() {
        rest.push('?');
        rest.push_str(&kept.join("&"));
    }
    Ok((rest, params))
}

/// `%XX` escapes decoded (`+` stays `+`), as the client library reads a URL.
fn decode(text: &str) -> Result<Cow<'_, str>, StoreError> {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map_err(|_| invalid("a connection parameter is not valid UTF-8".to_owned()))
}

/// What the client library should do, and the connector it does it with, for `params`.
/// `home` is where `~/.postgresql/root.crt` is looked for; `unix_only` says every host is a
/// Unix socket, where PostgreSQL has no TLS.
///
/// # Errors
/// A mode that the roots rule out, or roots that cannot be read.
pub(super) fn connector(
    params: &TlsParams,
    home: Option<&Path>,
    unix_only: bool,
) -> Result<(ClientMode, MakeRustlsConnect), StoreError> {
    let mode = params.mode()?;
    let root_cert = params.root_cert.clone().or_else(|| {
        let default = home?.join(".postgresql/root.crt");
        default.exists().then_some(RootCert::File(default))
    });
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let lenient = |roots| -> Arc<dyn ServerCertVerifier> {
        Arc::new(Lenient {
            roots,
            provider: provider.clone(),
        })
    };
    let verifier = match (mode, &root_cert) {
        (SslMode::Disable, _) | (SslMode::Prefer | SslMode::Require, None) => lenient(None),
        (SslMode::Prefer | SslMode::Require | SslMode::VerifyCa, Some(roots)) => {
            lenient(Some(load_roots(roots)?))
        }
        (SslMode::VerifyCa, None) => lenient(Some(load_roots(&RootCert::System)?)),
        (SslMode::VerifyFull, roots) => {
            let roots = load_roots(roots.as_ref().unwrap_or(&RootCert::System))?;
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|error| invalid(format!("the server's roots cannot be used: {error}")))?
        }
    };
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| StoreError::other(format!("TLS setup: {error}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    let client_mode = match mode {
        _ if unix_only => ClientMode::Disable,
        SslMode::Disable => ClientMode::Disable,
        SslMode::Prefer => ClientMode::Prefer,
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => ClientMode::Require,
    };
    Ok((client_mode, MakeRustlsConnect::new(config)))
}

fn load_roots(source: &RootCert) -> Result<RootCertStore, StoreError> {
    let mut roots = RootCertStore::empty();
    match source {
        RootCert::File(path) => {
            let shown = path.display();
            let certs = CertificateDer::pem_file_iter(path)
                .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                .map_err(|error| invalid(format!("sslrootcert {shown}: {error}")))?;
            let (added, _) = roots.add_parsable_certificates(certs);
            if added == 0 {
                return Err(invalid(format!(
                    "sslrootcert {shown}: no usable certificate"
                )));
            }
        }
        RootCert::System => {
            let found = rustls_native_certs::load_native_certs();
            roots.add_parsable_certificates(found.certs);
            if roots.is_empty() {
                return Err(StoreError::other(
                    "no system root certificates found (give sslrootcert=PATH)",
                ));
            }
        }
    }
    Ok(roots)
}

fn invalid(message: String) -> StoreError {
    StoreError::InvalidLocation(message)
}

/// What `WebPkiServerVerifier` does not offer: with no `roots`, any certificate (libpq's
/// `require` without roots); with `roots`, a chain that leads to one of them for any host
/// name (`verify-ca`). Either way the handshake's signature is checked against the
/// certificate's key: without it a verified chain proves nothing, and SCRAM's channel
/// binding, which hashes this certificate, would bind to one the peer need not hold.
#[derive(Debug)]
struct Lenient {
    roots: Option<RootCertStore>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Lenient {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Some(roots) = &self.roots {
            let cert = ParsedCertificate::try_from(end_entity)?;
            verify_server_cert_signed_by_trust_anchor(
                &cert,
                roots,
                intermediates,
                now,
                self.provider.signature_verification_algorithms.all,
            )?;
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests;

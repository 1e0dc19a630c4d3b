//! TLS to PostgreSQL with libpq's `sslmode` semantics, on rustls.
//!
//! - `disable`: plaintext.
//! - `prefer` (the default, as in libpq) and `require`: encrypted when the server offers it
//!   (`require`: or fail), without verifying the server's certificate — exactly what libpq does,
//!   which protects against passive eavesdropping but not against an active man in the middle.
//! - `verify-ca` / `verify-full`: the certificate must chain to a trusted root (the Mozilla roots,
//!   or `sslrootcert=<file.pem>`) and name the host.

use std::path::PathBuf;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    Verify,
}

/// A PostgreSQL URL split into what tokio-postgres reads and what this module handles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The URL for tokio-postgres: `sslmode` mapped to the modes it knows, `sslrootcert` removed.
    pub url: String,
    pub mode: SslMode,
    pub root_cert: Option<PathBuf>,
}

pub fn parse(url: &str) -> Result<Target, StoreError> {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut mode = SslMode::Prefer;
    let mut root_cert = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "sslmode" => {
                mode = match value {
                    "disable" => SslMode::Disable,
                    "allow" | "prefer" => SslMode::Prefer,
                    "require" => SslMode::Require,
                    "verify-ca" | "verify-full" => SslMode::Verify,
                    other => return Err(StoreError::Other(format!("unsupported sslmode {other:?}"))),
                };
            }
            "sslrootcert" => root_cert = Some(PathBuf::from(value)),
            _ => kept.push(pair.to_owned()),
        }
    }
    let pg_mode = match mode {
        SslMode::Disable => "disable",
        SslMode::Prefer => "prefer",
        SslMode::Require | SslMode::Verify => "require",
    };
    kept.push(format!("sslmode={pg_mode}"));
    Ok(Target { url: format!("{base}?{}", kept.join("&")), mode, root_cert })
}

/// The connector for `target`, or `None` for plaintext.
pub fn connector(target: &Target) -> Result<Option<MakeRustlsConnect>, StoreError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::Other(e.to_string()))?;
    let config = match target.mode {
        SslMode::Disable => return Ok(None),
        SslMode::Prefer | SslMode::Require => {
            builder.dangerous().with_custom_certificate_verifier(Arc::new(EncryptOnly(provider))).with_no_client_auth()
        }
        SslMode::Verify => {
            let mut roots = RootCertStore::empty();
            match &target.root_cert {
                Some(path) => {
                    let certs = CertificateDer::pem_file_iter(path)
                        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                        .map_err(|e| StoreError::Other(format!("cannot read sslrootcert {}: {e}", path.display())))?;
                    for cert in certs {
                        roots
                            .add(cert)
                            .map_err(|e| StoreError::Other(format!("bad certificate in sslrootcert: {e}")))?;
                    }
                }
                None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        }
    };
    Ok(Some(MakeRustlsConnect::new(config)))
}

/// libpq's `prefer`/`require`: encryption without authentication of the server. Signatures are
/// still checked, so the handshake itself is sound; only the certificate's trust is not.
#[derive(Debug)]
struct EncryptOnly(Arc<CryptoProvider>);

impl ServerCertVerifier for EncryptOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sslmode_maps_to_what_tokio_postgres_knows() {
        let t = parse("postgresql://u@h/db").unwrap();
        assert_eq!((t.mode, t.url.as_str()), (SslMode::Prefer, "postgresql://u@h/db?sslmode=prefer"));
        let t = parse("postgresql://u@h/db?sslmode=verify-full&sslrootcert=/etc/ca.pem&application_name=x").unwrap();
        assert_eq!(t.mode, SslMode::Verify);
        assert_eq!(t.root_cert, Some(PathBuf::from("/etc/ca.pem")));
        assert_eq!(t.url, "postgresql://u@h/db?application_name=x&sslmode=require");
        assert_eq!(parse("postgresql://u@h/db?sslmode=disable").unwrap().mode, SslMode::Disable);
        assert!(parse("postgresql://u@h/db?sslmode=bogus").is_err());
    }
}

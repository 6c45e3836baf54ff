//! TLS settings for `https://` probes: which certificate authorities to
//! trust, or (explicitly asked for) none at all.

use std::path::PathBuf;
use std::sync::Arc;

use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::client::danger::{
    HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier,
};
use tokio_rustls::rustls::crypto::{self, CryptoProvider};
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use tokio_rustls::rustls::{
    ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};

/// Whom to trust when talking TLS.
#[derive(Debug, Clone, Default)]
pub struct TlsOptions {
    /// Extra PEM certificates to trust, besides the system's.
    pub ca_file: Option<PathBuf>,
    /// Skip certificate verification entirely.
    pub insecure: bool,
}

impl TlsOptions {
    /// A connector honouring these options.
    pub fn connector(&self) -> Result<TlsConnector, String> {
        let provider = Arc::new(crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS setup: {e}"))?;
        let config = if self.insecure {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AcceptAnything(provider)))
                .with_no_client_auth()
        } else {
            builder.with_root_certificates(self.roots()?).with_no_client_auth()
        };
        Ok(TlsConnector::from(Arc::new(config)))
    }

    /// The system's trusted roots (`SSL_CERT_FILE` and `SSL_CERT_DIR` are
    /// honoured) plus `ca_file`.
    fn roots(&self) -> Result<RootCertStore, String> {
        let mut roots = RootCertStore::empty();
        roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
        if let Some(path) = &self.ca_file {
            let shown = path.display();
            let certs = CertificateDer::pem_file_iter(path)
                .map_err(|e| format!("cannot read CA file {shown}: {e}"))?
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("CA file {shown} is not PEM: {e}"))?;
            if certs.is_empty() {
                return Err(format!("CA file {shown} holds no certificate"));
            }
            roots.add_parsable_certificates(certs);
        }
        Ok(roots)
    }
}

/// A reason people can act on for a failed TLS handshake.
pub fn explain(error: &std::io::Error) -> String {
    use tokio_rustls::rustls::{CertificateError, Error, OtherError};
    let rustls = error.get_ref().and_then(|e| e.downcast_ref::<Error>());
    let Some(Error::InvalidCertificate(problem)) = rustls else {
        return format!("TLS: {error}");
    };
    let why = match problem {
        CertificateError::UnknownIssuer => {
            "signed by an unknown authority (trust it with --ca-file, or use --insecure)"
        }
        CertificateError::NotValidForName
        | CertificateError::NotValidForNameContext { .. } => {
            "not valid for this host name"
        }
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => "expired",
        CertificateError::BadSignature => {
            "not signed by the trusted certificate of the same name (trust it with \
             --ca-file, or use --insecure)"
        }
        CertificateError::Other(OtherError(inner))
            if inner.to_string().contains("CaUsedAsEndEntity") =>
        {
            "a CA certificate (CA:TRUE) used as a server certificate; reissue it with \
             basicConstraints CA:FALSE"
        }
        _ => return format!("TLS: invalid server certificate: {problem:?}"),
    };
    format!("TLS: the server's certificate is {why}")
}

/// Accepts any certificate, still checking the handshake signatures so the
/// connection is at least a working TLS session. Only used with
/// `--insecure`.
#[derive(Debug)]
struct AcceptAnything(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnything {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, tokio_rustls::rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, tokio_rustls::rustls::Error> {
        let algorithms = &self.0.signature_verification_algorithms;
        crypto::verify_tls12_signature(message, cert, dss, algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, tokio_rustls::rustls::Error> {
        let algorithms = &self.0.signature_verification_algorithms;
        crypto::verify_tls13_signature(message, cert, dss, algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

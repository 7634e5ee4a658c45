//! `--tls`: HTTPS with a test CA generated at startup (rcgen). The leaf
//! certificate names `localhost` and `127.0.0.1`; clients trust the CA's
//! PEM (written where `--tls-ca-out` says). ALPN offers h2 and http/1.1.

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum_server::accept::Accept;
use axum_server::tls_rustls::{RustlsAcceptor, RustlsConfig};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A generated test CA and the leaf it signed.
pub struct TestPki {
    /// The CA certificate, PEM: what a client must trust.
    pub ca_pem: String,
    leaf_der: CertificateDer<'static>,
    leaf_key: PrivatePkcs8KeyDer<'static>,
}

fn err(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(format!("cannot generate the test certificates: {e}"))
}

impl TestPki {
    pub fn generate() -> io::Result<TestPki> {
        let ca_key = KeyPair::generate().map_err(err)?;
        let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
        ca.distinguished_name
            .push(DnType::CommonName, "xeroctl sandbox test CA");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_cert = ca.self_signed(&ca_key).map_err(err)?;

        let leaf_key = KeyPair::generate().map_err(err)?;
        let mut leaf =
            CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
                .map_err(err)?;
        leaf.distinguished_name
            .push(DnType::CommonName, "xeroctl sandbox");
        let leaf_cert = leaf.signed_by(&leaf_key, &ca_cert, &ca_key).map_err(err)?;
        Ok(TestPki {
            ca_pem: ca_cert.pem(),
            leaf_der: leaf_cert.der().clone(),
            leaf_key: PrivatePkcs8KeyDer::from(leaf_key.serialize_der()),
        })
    }

    /// The server side: the leaf, its key, ALPN h2 then http/1.1.
    pub fn acceptor(&self, connections: Arc<AtomicU64>) -> io::Result<CountingTls> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(err)?
            .with_no_client_auth()
            .with_single_cert(
                vec![self.leaf_der.clone()],
                PrivateKeyDer::Pkcs8(self.leaf_key.clone_key()),
            )
            .map_err(err)?;
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        let tls = RustlsAcceptor::new(RustlsConfig::from_config(Arc::new(config)));
        Ok(CountingTls { tls, connections })
    }
}

/// The TLS acceptor, counting every TCP connection (handshakes that fail
/// included), so tests can tell how many attempts a client made.
#[derive(Clone)]
pub struct CountingTls {
    tls: RustlsAcceptor,
    connections: Arc<AtomicU64>,
}

impl<I, S> Accept<I, S> for CountingTls
where
    RustlsAcceptor: Accept<I, S>,
{
    type Stream = <RustlsAcceptor as Accept<I, S>>::Stream;
    type Service = <RustlsAcceptor as Accept<I, S>>::Service;
    type Future = <RustlsAcceptor as Accept<I, S>>::Future;

    fn accept(&self, stream: I, service: S) -> Self::Future {
        self.connections.fetch_add(1, Ordering::Relaxed);
        self.tls.accept(stream, service)
    }
}

//! Which certificates the client trusts (spec/cli.md, "Transport"): the
//! operating system's store (rustls-native-certs, which honours
//! `SSL_CERT_FILE` / `SSL_CERT_DIR` like OS tools), the webpki roots, and
//! an extra PEM bundle from `--ca-cert`, `XEROCTL_CA_CERT` or the
//! context's `ca_cert`. There is no way to turn verification off.

use std::path::{Path, PathBuf};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;

use crate::error::CliError;

/// The environment variable naming an extra PEM bundle.
pub const ENV_CA_CERT: &str = "XEROCTL_CA_CERT";

/// An extra PEM bundle, read and parsed before any request is sent.
#[derive(Debug, Clone)]
pub struct CaBundle {
    pub path: PathBuf,
    pub certs: Vec<reqwest::Certificate>,
}

impl CaBundle {
    /// Read `path`: a missing or unreadable file, or one without a valid
    /// PEM certificate, is a configuration error (exit 3) naming it.
    pub fn load(path: &Path, from: &str) -> Result<CaBundle, CliError> {
        let shown = path.display();
        let bad = |what: String| {
            CliError::config(format!("CA bundle {shown} (from {from}): {what}"))
                .with_hint("--ca-cert, XEROCTL_CA_CERT and a context's ca_cert name a PEM file of CA certificates")
        };
        let bytes = std::fs::read(path).map_err(|e| bad(format!("cannot read it: {e}")))?;
        let mut certs = Vec::new();
        for (i, der) in CertificateDer::pem_slice_iter(&bytes).enumerate() {
            let der = der.map_err(|e| bad(format!("not a PEM certificate bundle: {e}")))?;
            // Checked now, not at the first request (reqwest parses lazily).
            rustls::RootCertStore::empty()
                .add(der.clone())
                .map_err(|e| bad(format!("certificate {} is not valid: {e}", i + 1)))?;
            certs.push(
                reqwest::Certificate::from_der(&der)
                    .map_err(|e| bad(format!("certificate {} is not valid: {e}", i + 1)))?,
            );
        }
        if certs.is_empty() {
            return Err(bad(
                "no PEM certificate (-----BEGIN CERTIFICATE-----) in it".into(),
            ));
        }
        Ok(CaBundle {
            path: path.to_path_buf(),
            certs,
        })
    }
}

/// The certificate failure inside a transport error, if it is one.
pub fn certificate_failure(err: &reqwest::Error) -> Option<String> {
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        let tls = rustls_inside(s);
        if let Some(tls) = tls {
            return match tls {
                rustls::Error::InvalidCertificate(why) => Some(describe(why)),
                rustls::Error::NoCertificatesPresented => {
                    Some("the server presented no certificate".into())
                }
                _ => None,
            };
        }
        source = s.source();
    }
    None
}

fn describe(why: &rustls::CertificateError) -> String {
    use rustls::CertificateError as E;
    match why {
        E::UnknownIssuer => "issued by a CA that is not trusted here".into(),
        E::Expired | E::ExpiredContext { .. } => "expired".into(),
        E::NotValidYet | E::NotValidYetContext { .. } => "not valid yet".into(),
        E::NotValidForName | E::NotValidForNameContext { .. } => "issued for another name".into(),
        E::Revoked => "revoked".into(),
        other => format!("{other:?}"),
    }
}

/// `err` itself, or what it wraps through io::Errors (hyper-util wraps
/// rustls' io::Error in another; io::Error::source() skips the wrapped one).
fn rustls_inside<'a>(mut err: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    loop {
        if let Some(tls) = err.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        err = err.downcast_ref::<std::io::Error>()?.get_ref()?;
    }
}

/// Whether the TLS layer (rustls) failed somewhere in a transport error:
/// e.g. https spoken to a port that answers plain HTTP.
pub fn is_tls_failure(err: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        if rustls_inside(s).is_some() {
            return true;
        }
        source = s.source();
    }
    false
}

/// Exit 6, not retried: trying again meets the same certificate.
pub fn certificate_error(host: &str, why: &str) -> CliError {
    CliError::network(format!(
        "the certificate of {host} could not be verified ({why})"
    ))
    .with_hint(format!(
        "if {host} uses a private CA, trust it with --ca-cert <pem-file> (or XEROCTL_CA_CERT, or ca_cert in the context); verification cannot be turned off"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_and_non_pem_files_are_config_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.pem");
        let err = CaBundle::load(&missing, "--ca-cert").unwrap_err();
        assert_eq!(err.exit(), crate::error::ExitCode::Config);
        assert!(err.to_string().contains("nope.pem"), "{err}");
        let junk = dir.path().join("junk.pem");
        std::fs::write(&junk, "hello, not a certificate\n").unwrap();
        let err = CaBundle::load(&junk, "--ca-cert").unwrap_err();
        assert_eq!(err.exit(), crate::error::ExitCode::Config);
        assert!(err.to_string().contains("junk.pem"), "{err}");
        let broken = dir.path().join("broken.pem");
        std::fs::write(
            &broken,
            "-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        let err = CaBundle::load(&broken, "--ca-cert").unwrap_err();
        assert!(err.to_string().contains("broken.pem"), "{err}");
    }
}

//! Receivers on the loopback for the tests (feature `test-receivers`): Debian's rsyslogd started
//! with its own configuration (imtcp with the GnuTLS stream driver, octet counting, every
//! message written raw to a file), and an HTTPS webhook receiver. Both can be killed and
//! started again on the same port, to test a sink that goes down.

mod https;
mod rsyslog;

pub use https::{HttpsReceiver, Post};
pub use rsyslog::Rsyslog;

use std::path::{Path, PathBuf};

/// A CA and a server certificate it signed for `localhost` and `127.0.0.1`, as PEM files in a
/// directory: `ca.pem`, `cert.pem`, `key.pem`.
#[derive(Debug, Clone)]
pub struct TestPki {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl TestPki {
    pub fn create(dir: &Path) -> std::io::Result<Self> {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
        let fail = |e: rcgen::Error| std::io::Error::other(e.to_string());
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(fail)?;
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "Help@Work test CA");
        let ca_key = KeyPair::generate().map_err(fail)?;
        let ca = ca_params.self_signed(&ca_key).map_err(fail)?;
        let mut leaf =
            CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
                .map_err(fail)?;
        leaf.distinguished_name
            .push(DnType::CommonName, "localhost");
        let key = KeyPair::generate().map_err(fail)?;
        let cert = leaf.signed_by(&key, &ca, &ca_key).map_err(fail)?;
        let pki = Self {
            ca: dir.join("ca.pem"),
            cert: dir.join("cert.pem"),
            key: dir.join("key.pem"),
        };
        std::fs::write(&pki.ca, ca.pem())?;
        std::fs::write(&pki.cert, cert.pem())?;
        std::fs::write(&pki.key, key.serialize_pem())?;
        Ok(pki)
    }
}

/// A TCP port free on the loopback right now.
pub fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

//! HTTPS servers: `openssl s_server -www` (which answers 200 to a GET) with
//! a self-signed certificate made by the `openssl` CLI once per test run.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use super::{find_program, free_port, kill_child, remove_at_exit, wait_for_port};

/// A self-signed certificate for `localhost` and 127.0.0.1, and its key.
pub struct Certificate {
    /// The certificate, PEM; also what a client must trust.
    pub cert: PathBuf,
    /// The private key, PEM.
    pub key: PathBuf,
}

fn openssl() -> PathBuf {
    find_program("openssl", &[], "install the `openssl` package")
}

/// The certificate shared by every HTTPS test of this run.
pub fn certificate() -> &'static Certificate {
    static CERT: OnceLock<Result<Certificate, String>> = OnceLock::new();
    CERT.get_or_init(make_certificate).as_ref().unwrap_or_else(|e| panic!("{e}"))
}

fn make_certificate() -> Result<Certificate, String> {
    let dir = tempfile::Builder::new()
        .prefix("plinth-it-tls-")
        .tempdir()
        .map_err(|e| format!("temporary directory: {e}"))?
        .keep();
    remove_at_exit(dir.clone());
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    // `openssl req -x509` marks its certificate as a CA by default, and
    // rustls (like browsers) refuses a CA certificate as a server's own;
    // CA:FALSE makes it an ordinary self-signed server certificate.
    let output = Command::new(openssl())
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"])
        .args(["-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        .args(["-addext", "basicConstraints=critical,CA:FALSE"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .map_err(|e| format!("cannot run openssl: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "openssl req failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(Certificate { cert, key })
}

/// `openssl s_server` on a free port of 127.0.0.1; killed on drop.
pub struct HttpsServer {
    port: u16,
    child: Child,
}

impl HttpsServer {
    /// Starts a server presenting the shared certificate.
    pub fn start() -> HttpsServer {
        let certificate = certificate();
        let port = free_port();
        let child = s_server(port, &certificate.cert, &certificate.key);
        let server = HttpsServer { port, child };
        wait_for_port("openssl s_server", port, Duration::from_secs(10));
        server
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }
}

fn s_server(port: u16, cert: &Path, key: &Path) -> Child {
    Command::new(openssl())
        .arg("s_server")
        .args(["-accept", &format!("127.0.0.1:{port}")])
        .arg("-cert")
        .arg(cert)
        .arg("-key")
        .arg(key)
        .args(["-www", "-quiet"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start openssl s_server: {e}"))
}

impl Drop for HttpsServer {
    fn drop(&mut self) {
        kill_child(&mut self.child);
    }
}

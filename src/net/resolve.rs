//! Name resolution and connecting, both without libc's resolver.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use hickory_resolver::config::{ResolveHosts, ResolverConfig};
use hickory_resolver::name_server::TokioConnectionProvider;
use hickory_resolver::{Name, TokioResolver};
use tokio::net::TcpStream;
use tokio::task::JoinSet;

use super::Endpoint;

/// Resolves `host` to every address it has, reading `/etc/hosts` and
/// `/etc/resolv.conf` afresh so that a container that appears later, or
/// moves, is found at the next attempt. The error is a short reason for
/// people ("no such host `kafka`").
pub async fn resolve(host: &str, port: u16) -> Result<Vec<SocketAddr>, String> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let name = host.trim_end_matches('.').to_ascii_lowercase();
    // RFC 6761: `.invalid` never resolves and is not sent to any server;
    // `localhost` and `*.localhost` are always the loopback addresses.
    if name == "invalid" || name.ends_with(".invalid") {
        return Err(format!("no such host `{host}`"));
    }
    if name == "localhost" || name.ends_with(".localhost") {
        return Ok(vec![
            SocketAddr::new(Ipv4Addr::LOCALHOST.into(), port),
            SocketAddr::new(Ipv6Addr::LOCALHOST.into(), port),
        ]);
    }
    // Names are ASCII by now (see `Endpoint`). Taken as they are, not
    // through IDNA, whose rules refuse `_`: Compose v1 container names such
    // as `monasca_kafka_1` carry one, and Docker's DNS and /etc/hosts have
    // them.
    let name =
        Name::from_ascii(host).map_err(|e| format!("cannot resolve `{host}`: {e}"))?;
    let resolver = system_resolver();
    match resolver.lookup_ip(name).await {
        Ok(found) => Ok(found.iter().map(|ip| SocketAddr::new(ip, port)).collect()),
        Err(e) if e.is_nx_domain() || e.is_no_records_found() => {
            Err(format!("no such host `{host}`"))
        }
        // No DNS server configured (no usable /etc/resolv.conf) and the name
        // is not in /etc/hosts.
        Err(e) if e.proto().is_some_and(|p| p.is_no_connections()) => Err(format!(
            "no such host `{host}` (not in /etc/hosts, and no DNS server is set)"
        )),
        Err(e) => Err(format!("cannot resolve `{host}`: {e}")),
    }
}

/// A resolver from the system configuration, with its cache off. Without
/// `/etc/resolv.conf` (some minimal images) only `/etc/hosts` is used:
/// plinth never falls back to a public DNS server.
fn system_resolver() -> TokioResolver {
    let mut builder = TokioResolver::builder_tokio().unwrap_or_else(|e| {
        tracing::debug!("no usable /etc/resolv.conf ({e}); using /etc/hosts only");
        let empty = ResolverConfig::from_parts(None, vec![], vec![]);
        TokioResolver::builder_with_config(empty, TokioConnectionProvider::default())
    });
    let options = builder.options_mut();
    options.cache_size = 0;
    options.use_hosts_file = ResolveHosts::Always;
    builder.build()
}

/// Connects to `endpoint`, trying every address it resolves to at once and
/// keeping the first that answers, so that one black-holed address cannot
/// hide a working one.
pub async fn connect(endpoint: &Endpoint) -> Result<TcpStream, String> {
    let addresses = resolve(&endpoint.host, endpoint.port).await?;
    let mut attempts = JoinSet::new();
    for address in addresses {
        attempts.spawn(async move { (address, TcpStream::connect(address).await) });
    }
    let mut last_error = format!("`{}` resolved to no address", endpoint.host);
    while let Some(Ok((address, outcome))) = attempts.join_next().await {
        match outcome {
            Ok(stream) => return Ok(stream),
            Err(e) => last_error = format!("{} ({address})", describe(&e)),
        }
    }
    Err(last_error)
}

/// A short, stable reason for a failed connect; stable wording matters
/// because the wait loop prints a line only when the reason changes.
pub fn describe(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::ConnectionRefused => "connection refused".into(),
        io::ErrorKind::ConnectionReset => "connection reset".into(),
        io::ErrorKind::TimedOut => "connection timed out".into(),
        io::ErrorKind::HostUnreachable => "host unreachable".into(),
        io::ErrorKind::NetworkUnreachable => "network unreachable".into(),
        io::ErrorKind::AddrNotAvailable => "address not available".into(),
        io::ErrorKind::UnexpectedEof => "connection closed by peer".into(),
        _ => error.to_string(),
    }
}

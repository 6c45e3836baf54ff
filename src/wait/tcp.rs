//! `wait tcp`: the port accepts a connection (the `wait_for.sh` check).

use crate::net::{self, Endpoint};

use super::{Attempt, Probe, ProbeError};

/// Ready when a TCP connection to any address of the endpoint succeeds.
pub struct TcpProbe {
    endpoint: Endpoint,
}

impl TcpProbe {
    /// A probe for `endpoint`.
    pub fn new(endpoint: Endpoint) -> TcpProbe {
        TcpProbe { endpoint }
    }
}

impl Probe for TcpProbe {
    fn target(&self) -> String {
        format!("tcp {}", self.endpoint)
    }

    fn check(&self) -> Attempt<'_> {
        Box::pin(async move {
            net::connect(&self.endpoint).await.map(drop).map_err(ProbeError::NotReady)
        })
    }
}

/// What `wait tcp` and `health tcp` are asked to check.
#[derive(Debug, Clone, clap::Args)]
pub struct TcpArgs {
    /// Addresses to reach: `HOST:PORT`, `[IPv6]:PORT`, or `http(s)://` URLs (only
    /// their host and port are used).
    #[arg(required = true, value_name = "ADDR", value_parser = Endpoint::parse)]
    pub addresses: Vec<Endpoint>,
}

impl TcpArgs {
    /// One probe per address.
    pub fn probes(&self) -> Result<Vec<std::sync::Arc<dyn Probe>>, String> {
        Ok(self
            .addresses
            .iter()
            .map(|a| {
                std::sync::Arc::new(TcpProbe::new(a.clone())) as std::sync::Arc<dyn Probe>
            })
            .collect())
    }
}

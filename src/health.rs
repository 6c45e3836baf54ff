//! `plinth health`: one attempt of a wait probe, for Docker's HEALTHCHECK.
//!
//! Docker gives a health command 2 s by default and reserves exit status 2,
//! so the attempt has its own shorter deadline and every outcome, including
//! bad usage, is reported as 0 (healthy) or 1 (unhealthy).

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::exit::Exit;
use crate::wait::{Probe, ProbeError, schedule};

/// Checks every probe once, all within `deadline`; healthy only if all are.
pub async fn check(probes: Vec<Arc<dyn Probe>>, deadline: Duration) -> Exit {
    let until = Instant::now() + deadline;
    let mut healthy = true;
    for probe in probes {
        match schedule::attempt(probe.as_ref(), until).await {
            Ok(()) => println!("healthy: {}", probe.target()),
            Err(ProbeError::NotReady(reason) | ProbeError::Misconfigured(reason)) => {
                println!("unhealthy: {}: {reason}", probe.target());
                healthy = false;
            }
        }
    }
    if healthy { Exit::Ok } else { Exit::NotReady }
}

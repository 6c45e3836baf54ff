//! `plinth health`: one attempt of a wait probe, for Docker's HEALTHCHECK.
//!
//! Docker gives a health command 2 s by default and reserves exit status 2,
//! so the attempt has its own shorter deadline and every outcome, including
//! bad usage, is reported as 0 (healthy) or 1 (unhealthy).

use std::io::Write;
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
            Ok(()) => verdict(&format!("healthy: {}", probe.target())),
            Err(ProbeError::NotReady(reason) | ProbeError::Misconfigured(reason)) => {
                verdict(&format!("unhealthy: {}: {reason}", probe.target()));
                healthy = false;
            }
        }
    }
    if healthy { Exit::Ok } else { Exit::NotReady }
}

/// Prints one verdict line on standard output. Docker keeps it in the
/// container's health log; when it cannot be written (a closed pipe, a full
/// disk) it is dropped, because the exit status is the verdict that counts
/// and `println!` would abort instead.
pub fn verdict(line: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

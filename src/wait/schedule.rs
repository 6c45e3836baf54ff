//! When to try again, and what to tell people meanwhile.
//!
//! The original scripts slept a fixed interval (5 s) between attempts, so a
//! container noticed a ready dependency up to 5 s late. Here the budget is
//! kept (retries x interval, or `--timeout`) but attempts start 10 ms apart
//! and double up to a ceiling (200 ms by default, never above the interval),
//! so readiness is noticed within about a fifth of a second. Each attempt
//! has its own deadline, so a silent peer cannot hold an attempt past the
//! budget. People see one line when the state of a dependency changes, a
//! "still waiting" line every ten seconds, and one line when it is ready.

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::{Instant, sleep_until, timeout_at};
use tracing::{info, warn};

use super::{Probe, ProbeError};
use crate::exit::Exit;

/// The delay before the second attempt; later delays double from here.
const FIRST_DELAY: Duration = Duration::from_millis(10);

/// How often a "still waiting" line is printed while nothing changes.
const PROGRESS_EVERY: Duration = Duration::from_secs(10);

/// How long to wait and how often to try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// Total time allowed; one last attempt is made when it runs out.
    pub budget: Duration,
    /// The longest pause between two attempts.
    pub max_delay: Duration,
    /// The longest a single attempt may take.
    pub attempt_timeout: Duration,
}

impl Schedule {
    /// The pause after a pause of `previous`.
    fn next_delay(&self, previous: Duration) -> Duration {
        (previous * 2).min(self.max_delay).max(FIRST_DELAY.min(self.max_delay))
    }
}

/// Why waiting ended without every dependency ready.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WaitError {
    /// The budget ran out; `reason` is the last thing the probe reported.
    #[error("gave up on {target} after {waited:.1}s: {reason}")]
    NotReady {
        /// The dependency that was not ready.
        target: String,
        /// Seconds spent waiting.
        waited: f64,
        /// The last reason reported.
        reason: String,
    },
    /// The probe found its own request to be wrong.
    #[error("{target}: {reason}")]
    Misconfigured {
        /// The dependency being checked.
        target: String,
        /// What is wrong with the request.
        reason: String,
    },
}

impl WaitError {
    /// The exit code this outcome maps to.
    pub fn exit(&self) -> Exit {
        match self {
            WaitError::NotReady { .. } => Exit::NotReady,
            WaitError::Misconfigured { .. } => Exit::Usage,
        }
    }
}

/// Waits for every probe at once; returns when all are ready, or at the
/// first one that gives up.
pub async fn wait_for_all(
    probes: Vec<Arc<dyn Probe>>,
    schedule: Schedule,
) -> Result<(), WaitError> {
    let names: Vec<String> = probes.iter().map(|p| p.target()).collect();
    info!("waiting up to {:.1}s for {}", schedule.budget.as_secs_f64(), names.join(", "));
    let start = Instant::now();

    let mut waits = JoinSet::new();
    for probe in probes {
        waits.spawn(wait_for_one(probe, schedule, start));
    }
    while let Some(joined) = waits.join_next().await {
        joined.expect("a wait task panicked")?;
    }

    if names.len() > 1 {
        info!("all {} dependencies ready after {:.2}s", names.len(), elapsed(start));
    }
    Ok(())
}

/// Runs one attempt within `deadline`, turning silence into a reason.
pub async fn attempt(probe: &dyn Probe, deadline: Instant) -> Result<(), ProbeError> {
    let limit = deadline.saturating_duration_since(Instant::now());
    attempt_until(probe, deadline).await.unwrap_or_else(|| Err(silent(limit)))
}

/// Runs one attempt; `None` when `deadline` passed first.
async fn attempt_until(
    probe: &dyn Probe,
    deadline: Instant,
) -> Option<Result<(), ProbeError>> {
    timeout_at(deadline, probe.check()).await.ok()
}

fn silent(limit: Duration) -> ProbeError {
    ProbeError::NotReady(format!("no answer within {:.1}s", limit.as_secs_f64()))
}

async fn wait_for_one(
    probe: Arc<dyn Probe>,
    schedule: Schedule,
    start: Instant,
) -> Result<(), WaitError> {
    let deadline = start + schedule.budget;
    let mut report = Report::new(probe.target(), start);
    let mut delay = Duration::ZERO;

    loop {
        match bounded_attempt(probe.as_ref(), schedule, deadline, report.last()).await {
            Ok(()) => {
                report.ready();
                return Ok(());
            }
            Err(ProbeError::Misconfigured(reason)) => {
                return Err(report.misconfigured(reason));
            }
            Err(ProbeError::NotReady(reason)) => report.not_ready(reason),
        }

        let now = Instant::now();
        if now >= deadline {
            return Err(report.gave_up());
        }
        report.still_waiting(now);
        delay = schedule.next_delay(delay);
        sleep_until((now + delay).min(deadline)).await;
    }
}

/// One attempt within its own timeout and the budget. An attempt that the
/// budget cut short says nothing new, so it keeps the reason people already
/// saw (`seen`) rather than reporting a meaningless timeout.
async fn bounded_attempt(
    probe: &dyn Probe,
    schedule: Schedule,
    deadline: Instant,
    seen: Option<&str>,
) -> Result<(), ProbeError> {
    let began = Instant::now();
    let full = began + schedule.attempt_timeout;
    let attempt_deadline = full.min(deadline).max(began + FIRST_DELAY);
    match (attempt_until(probe, attempt_deadline).await, seen) {
        (Some(outcome), _) => outcome,
        (None, Some(seen)) if attempt_deadline < full => {
            Err(ProbeError::NotReady(seen.into()))
        }
        (None, _) => Err(silent(attempt_deadline - began)),
    }
}

/// What people are told about one dependency: a line per change of state,
/// a reminder every [`PROGRESS_EVERY`], and the outcome.
struct Report {
    target: String,
    start: Instant,
    last_reason: Option<String>,
    next_reminder: Instant,
}

impl Report {
    fn new(target: String, start: Instant) -> Report {
        Report { target, start, last_reason: None, next_reminder: start + PROGRESS_EVERY }
    }

    fn last(&self) -> Option<&str> {
        self.last_reason.as_deref()
    }

    fn not_ready(&mut self, reason: String) {
        if self.last() != Some(reason.as_str()) {
            warn!("not ready: {}: {reason}", self.target);
            self.last_reason = Some(reason);
        }
    }

    fn still_waiting(&mut self, now: Instant) {
        if now >= self.next_reminder {
            let reason = self.last().unwrap_or_default();
            info!(
                "still waiting for {} ({:.0}s): {reason}",
                self.target,
                elapsed(self.start)
            );
            self.next_reminder = now + PROGRESS_EVERY;
        }
    }

    fn ready(self) {
        info!("ready: {} (after {:.2}s)", self.target, elapsed(self.start));
    }

    fn misconfigured(self, reason: String) -> WaitError {
        WaitError::Misconfigured { target: self.target, reason }
    }

    fn gave_up(self) -> WaitError {
        let waited = elapsed(self.start);
        let reason = self.last_reason.unwrap_or_default();
        WaitError::NotReady { target: self.target, waited, reason }
    }
}

fn elapsed(start: Instant) -> f64 {
    start.elapsed().as_secs_f64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_start_fast_and_stop_at_the_ceiling() {
        let schedule = Schedule {
            budget: Duration::from_secs(120),
            max_delay: Duration::from_millis(200),
            attempt_timeout: Duration::from_secs(2),
        };
        let mut delay = Duration::ZERO;
        let mut seen = vec![];
        for _ in 0..7 {
            delay = schedule.next_delay(delay);
            seen.push(delay.as_millis());
        }
        assert_eq!(seen, [10, 20, 40, 80, 160, 200, 200]);
    }
}

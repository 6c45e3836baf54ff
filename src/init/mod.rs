//! `plinth init`: the container's PID 1, replacing tini.
//!
//! The steps are tini's: block the signals a container receives so they
//! queue instead of killing us, become a subreaper when we are not PID 1,
//! spawn the command in its own process group, then loop: wait for a
//! signal, forward it to the command, reap every exited child (the
//! command's orphaned descendants included), until the command itself has
//! exited. We then exit with its code, or 128 + the signal that killed it.
//!
//! With `STAY_ALIVE_ON_FAILURE=true`, a command that failed on its own (not
//! because we passed it a stop signal) leaves the container running for a
//! while, so that someone can `docker exec` in and look; a stop signal still
//! ends it at once.

mod child;
mod memory;
mod signals;

use std::ffi::OsString;
use std::time::{Duration, Instant};

use tracing::{debug, info, warn};

use crate::exit::Exit;
use child::Status;

/// What `plinth init` was asked to do.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The command and its arguments.
    pub command: Vec<OsString>,
    /// Forward signals to the command's whole process group.
    pub kill_group: bool,
    /// Keep running after the command fails on its own.
    pub stay_alive_on_failure: bool,
    /// How long to keep running after such a failure.
    pub stay_alive_for: Duration,
}

/// Runs the command as PID 1 would; returns the exit code to use.
pub fn run(options: &InitOptions) -> Exit {
    let watched = signals::block();
    child::become_subreaper();

    let pid = match child::spawn(&options.command) {
        Ok(pid) => pid,
        // A start script that cannot even start is the failure people most
        // need a shell in the container for.
        Err(exit) => {
            if options.stay_alive_on_failure {
                let what = format!("could not start (exit {})", exit.code());
                stay_alive(&options.command, &what, options.stay_alive_for, &watched);
            }
            return exit;
        }
    };
    debug!("started {} as pid {pid}", shown(&options.command));

    let (status, stopping) = supervise(pid, options.kill_group, &watched);
    let exit = status.exit();
    if options.stay_alive_on_failure && !stopping && status.failed() {
        let what = format!("failed ({status})");
        stay_alive(&options.command, &what, options.stay_alive_for, &watched);
    }
    exit
}

/// Forwards signals and reaps children until `pid` exits. Also says whether
/// a stop signal was passed on, which makes the exit expected.
fn supervise(
    pid: libc::pid_t,
    kill_group: bool,
    watched: &signals::Set,
) -> (Status, bool) {
    let mut stopping = false;
    loop {
        memory::release_startup_pages();
        match watched.wait(None) {
            Some(libc::SIGCHLD) => {
                if let Some(status) = child::reap(pid) {
                    return (status, stopping);
                }
            }
            Some(signal) => {
                stopping |= signals::is_stop(signal);
                signals::forward(pid, signal, kill_group);
            }
            None => {}
        }
    }
}

/// Keeps the container up after a failure until `period` ends or a stop
/// signal arrives, still reaping whatever `docker exec` leaves behind.
fn stay_alive(
    command: &[OsString],
    what: &str,
    period: Duration,
    watched: &signals::Set,
) {
    warn!(
        "{} {what}; STAY_ALIVE_ON_FAILURE is on, so the container stays up for \
         {}s for debugging (docker exec); stop it to exit",
        shown(command),
        period.as_secs()
    );
    let deadline = Instant::now() + period;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            info!("stay-alive period over; exiting");
            return;
        }
        memory::release_startup_pages();
        match watched.wait(Some(left)) {
            Some(libc::SIGCHLD) => child::reap_all(),
            Some(signal) if signals::is_stop(signal) => {
                info!("received signal {signal}; exiting");
                return;
            }
            _ => {}
        }
    }
}

fn shown(command: &[OsString]) -> String {
    command.first().map(|c| c.to_string_lossy().into_owned()).unwrap_or_default()
}

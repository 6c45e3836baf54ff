//! `wait cmd` and `health cmd`: a command of the image's own exits 0.
//!
//! This is how a legacy `health_check.py` runs under `plinth health`: with
//! the same deadline as every other target, and killed (with everything it
//! started) when the deadline passes; whatever it left running is killed
//! when it exits. Neither a hung check nor a sloppy one can pile up
//! processes in the container.

use std::ffi::OsString;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use std::os::unix::process::CommandExt;

use super::{Attempt, Probe, ProbeError};
use crate::launch::CommandLine;

/// How often a running check is looked at.
const POLL: Duration = Duration::from_millis(5);

/// Ready when the command exits with status 0.
pub struct CommandProbe {
    argv: Vec<OsString>,
}

impl CommandProbe {
    /// A probe running `argv` (program first).
    pub fn new(argv: Vec<OsString>) -> CommandProbe {
        CommandProbe { argv }
    }

    fn shown(&self) -> String {
        let words: Vec<_> = self.argv.iter().map(|w| w.to_string_lossy()).collect();
        words.join(" ")
    }

    async fn check_once(&self) -> Result<(), ProbeError> {
        let (program, args) = self.argv.split_first().expect("clap requires a command");
        let child = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| ProbeError::Misconfigured(format!("cannot run it: {e}")))?;
        let mut running = Running(child);
        loop {
            match running.0.try_wait() {
                Ok(Some(status)) if status.success() => return Ok(()),
                Ok(Some(status)) => {
                    return Err(ProbeError::NotReady(format!("it ended with {status}")));
                }
                Ok(None) => tokio::time::sleep(POLL).await,
                Err(e) => {
                    return Err(ProbeError::NotReady(format!("cannot watch it: {e}")));
                }
            }
        }
    }
}

/// A started check. Dropping it, once the check ended or the deadline
/// passed, kills its process group and reaps the leader: whatever the check
/// left running in the background (`sleep 30 &`) would otherwise pile up,
/// one batch every few seconds under a HEALTHCHECK.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let group = -(self.0.id() as libc::pid_t);
        // SAFETY: kill takes no pointers; the group is the one the check
        // leads, created by `process_group(0)` above. A group with no member
        // left makes it fail with ESRCH, which is fine.
        unsafe {
            libc::kill(group, libc::SIGKILL);
        }
        let _ = self.0.wait();
    }
}

impl Probe for CommandProbe {
    fn target(&self) -> String {
        format!("command `{}`", self.shown())
    }

    fn check(&self) -> Attempt<'_> {
        Box::pin(self.check_once())
    }
}

/// What `wait cmd` and `health cmd` are asked to run; ready when it exits 0.
#[derive(Debug, Clone, clap::Args)]
pub struct CmdArgs {
    #[command(flatten)]
    command: CommandLine,
}

impl CmdArgs {
    /// The one probe these settings describe.
    pub fn probes(&self) -> Result<Vec<std::sync::Arc<dyn Probe>>, String> {
        Ok(vec![std::sync::Arc::new(CommandProbe::new(self.command.words.clone()))])
    }
}

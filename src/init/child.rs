//! Starting the command, and collecting exit statuses.

use std::ffi::OsString;
use std::fmt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::Command;

use tracing::{debug, error};

use crate::exit::Exit;

/// How a child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// It called exit with this code.
    Exited(i32),
    /// A signal killed it.
    Killed(i32),
}

impl Status {
    fn from_raw(raw: libc::c_int) -> Status {
        let status = std::process::ExitStatus::from_raw(raw);
        match (status.code(), status.signal()) {
            (Some(code), _) => Status::Exited(code),
            (None, Some(signal)) => Status::Killed(signal),
            (None, None) => Status::Exited(1),
        }
    }

    /// The exit code a shell would report for it.
    pub fn exit(self) -> Exit {
        match self {
            Status::Exited(code) => Exit::Child(code),
            Status::Killed(signal) => Exit::killed_by(signal),
        }
    }

    /// Whether it counts as a failure.
    pub fn failed(self) -> bool {
        self != Status::Exited(0)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Exited(code) => write!(f, "exit code {code}"),
            Status::Killed(signal) => write!(f, "killed by signal {signal}"),
        }
    }
}

/// Orphans re-parent to the nearest subreaper; when plinth is not PID 1
/// (a test, a nested init) it asks to be that subreaper so it can reap them.
pub fn become_subreaper() {
    // SAFETY: getpid and prctl(PR_SET_CHILD_SUBREAPER) take no pointers.
    unsafe {
        if libc::getpid() != 1 {
            libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        }
    }
}

/// Spawns the command in its own process group, in the terminal's
/// foreground when there is one (so Ctrl-C reaches it once, not twice).
/// On failure returns the exit code a shell would use: 127 when the
/// command does not exist, 126 when it cannot be executed.
pub fn spawn(command: &[OsString]) -> Result<libc::pid_t, Exit> {
    let Some((program, args)) = command.split_first() else {
        error!("no command given to run");
        return Err(Exit::Usage);
    };
    let mut process = Command::new(program);
    process.args(args).process_group(0);
    // SAFETY: the closure runs in the forked child before exec and only
    // calls async-signal-safe functions (sigprocmask, isatty, signal,
    // tcsetpgrp, getpid) on memory it owns.
    unsafe {
        process.pre_exec(|| {
            // The mask plinth uses to queue signals would otherwise be
            // inherited, and the command would never see a SIGTERM.
            let mut none = std::mem::MaybeUninit::<libc::sigset_t>::uninit();
            libc::sigemptyset(none.as_mut_ptr());
            libc::sigprocmask(libc::SIG_SETMASK, none.as_ptr(), std::ptr::null_mut());
            if libc::isatty(libc::STDIN_FILENO) == 1 {
                let previous = libc::signal(libc::SIGTTOU, libc::SIG_IGN);
                libc::tcsetpgrp(libc::STDIN_FILENO, libc::getpid());
                libc::signal(libc::SIGTTOU, previous);
            }
            Ok(())
        });
    }
    match process.spawn() {
        Ok(child) => Ok(child.id() as libc::pid_t),
        Err(e) => Err(crate::launch::failed("init", program, &e)),
    }
}

/// Reaps every exited child; returns the status of `pid` if it was one.
pub fn reap(pid: libc::pid_t) -> Option<Status> {
    let mut found = None;
    loop {
        let mut raw = 0;
        // SAFETY: waitpid writes only to the integer it is given.
        let reaped = unsafe { libc::waitpid(-1, &mut raw, libc::WNOHANG) };
        if reaped <= 0 {
            return found;
        }
        if reaped == pid {
            found = Some(Status::from_raw(raw));
        } else {
            debug!("reaped orphan {reaped}");
        }
    }
}

/// Reaps every exited child, when the command itself is already gone.
pub fn reap_all() {
    reap(0);
}

//! Signals as a queue: all signals a container can receive are blocked and
//! then collected one at a time with `sigtimedwait`, so no handler runs
//! asynchronously and nothing is lost between two waits.

use std::mem::MaybeUninit;
use std::time::Duration;

use tracing::debug;

/// Signals a process raises against itself when it faults; blocking them
/// would hide crashes, so they keep their default action (as in tini).
const SYNCHRONOUS: [libc::c_int; 6] = [
    libc::SIGFPE,
    libc::SIGILL,
    libc::SIGSEGV,
    libc::SIGBUS,
    libc::SIGABRT,
    libc::SIGTRAP,
];

/// The set of signals being collected.
pub struct Set(libc::sigset_t);

/// Blocks every signal except the synchronous ones and returns that set.
/// Must run before any thread is started, so that all threads inherit it.
pub fn block() -> Set {
    let mut set = MaybeUninit::<libc::sigset_t>::uninit();
    // SAFETY: sigfillset initialises the set it is given; sigdelset and
    // sigprocmask only read and write that initialised set.
    let set = unsafe {
        libc::sigfillset(set.as_mut_ptr());
        let mut set = set.assume_init();
        for signal in SYNCHRONOUS {
            libc::sigdelset(&mut set, signal);
        }
        libc::sigprocmask(libc::SIG_SETMASK, &set, std::ptr::null_mut());
        set
    };
    Set(set)
}

impl Set {
    /// Waits for the next signal, at most `timeout` when given. `None`
    /// means the time ran out or the wait was interrupted.
    pub fn wait(&self, timeout: Option<Duration>) -> Option<libc::c_int> {
        let signal = match timeout {
            // SAFETY: the set is initialised; a null info pointer is allowed.
            None => unsafe { libc::sigwaitinfo(&self.0, std::ptr::null_mut()) },
            Some(timeout) => {
                let limit = libc::timespec {
                    tv_sec: timeout.as_secs().min(i64::MAX as u64) as libc::time_t,
                    tv_nsec: timeout.subsec_nanos().into(),
                };
                // SAFETY: the set and the timespec are initialised and live
                // for the call; a null info pointer is allowed.
                unsafe { libc::sigtimedwait(&self.0, std::ptr::null_mut(), &limit) }
            }
        };
        (signal > 0).then_some(signal)
    }
}

/// Whether `signal` asks the container to stop.
pub fn is_stop(signal: libc::c_int) -> bool {
    matches!(signal, libc::SIGTERM | libc::SIGINT | libc::SIGQUIT)
}

/// Passes `signal` on to the command, or to its process group.
pub fn forward(pid: libc::pid_t, signal: libc::c_int, kill_group: bool) {
    let target = if kill_group { -pid } else { pid };
    debug!("forwarding signal {signal} to {target}");
    // SAFETY: kill has no memory-safety preconditions. A failure (the
    // command already gone) is harmless: its exit is reaped next.
    unsafe {
        libc::kill(target, signal);
    }
}

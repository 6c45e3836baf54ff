//! Exit codes. Every code plinth itself can return is listed here so that
//! scripts and the README agree; `plinth init` additionally passes through
//! whatever its child returned.

/// What plinth tells its caller through the process exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The dependency is ready, the file was written, the command succeeded.
    Ok,
    /// Not ready when the waiting budget ran out, or unhealthy.
    NotReady,
    /// Bad usage or configuration: a flag, variable or template is wrong.
    /// Retrying cannot help; the message names what to fix.
    Usage,
    /// `su-exec` refused to switch user (unknown user or group, or the
    /// switch failed); nothing was run. 1, as the original su-exec used.
    Refused,
    /// plinth itself failed (an operating-system call it relies on failed).
    Internal,
    /// `plinth init`: the command exists but could not be executed.
    CannotExecute,
    /// `plinth init`: the command was not found.
    NotFound,
    /// A code chosen by the child process, passed through unchanged.
    Child(i32),
}

impl Exit {
    /// The numeric status handed to the operating system.
    pub fn code(self) -> i32 {
        match self {
            Exit::Ok => 0,
            Exit::NotReady => 1,
            Exit::Usage => 2,
            Exit::Refused => 1,
            Exit::Internal => 3,
            Exit::CannotExecute => 126,
            Exit::NotFound => 127,
            Exit::Child(code) => code,
        }
    }

    /// The status a shell reports for a process killed by `signal`.
    pub fn killed_by(signal: i32) -> Exit {
        Exit::Child(128 + signal)
    }
}

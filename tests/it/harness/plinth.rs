//! Running the real `plinth` binary with a controlled environment.
//!
//! The environment is cleared and only PATH plus what the test sets is
//! passed, so a variable on the developer's machine (a `LOG_LEVEL`, a
//! `MYSQL_PASSWORD`) cannot change an outcome. Output goes to files rather
//! than pipes: `plinth init` hands its stdout and stderr to children that
//! may outlive it, and a pipe would then never reach end-of-file.

use std::ffi::OsStr;
use std::fs;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The longest any single plinth run may take before the test fails; it
/// keeps a hung run from stalling the whole suite.
const HARD_LIMIT: Duration = Duration::from_secs(60);

/// PATH for plinth and the commands `plinth init` starts.
const PATH: &str = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";

/// A plinth invocation being prepared.
pub struct Plinth {
    command: Command,
    shown: String,
}

/// `plinth ARGS...` with an empty environment apart from PATH.
pub fn plinth<I, S>(args: I) -> Plinth
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    plinth_as(binary(), args)
}

/// The plinth binary started through `program` (a link with a legacy name
/// such as `wait_for.sh`), with the same controlled environment.
pub fn plinth_as<I, S>(program: &Path, args: I) -> Plinth
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut command = Command::new(program);
    command.env_clear().env("PATH", PATH).stdin(Stdio::null());
    let shown =
        program.file_name().map_or("plinth".into(), |n| n.to_string_lossy().into());
    Plinth { command, shown }.args(args)
}

/// The path of the plinth binary under test.
pub fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_plinth"))
}

impl Plinth {
    /// Appends arguments.
    pub fn args<I, S>(mut self, args: I) -> Plinth
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        for arg in args {
            self.shown.push(' ');
            self.shown.push_str(&arg.as_ref().to_string_lossy());
            self.command.arg(arg);
        }
        self
    }

    /// Sets one environment variable.
    pub fn env(mut self, name: &str, value: impl AsRef<OsStr>) -> Plinth {
        self.command.env(name, value);
        self
    }

    /// Runs in `dir`.
    pub fn current_dir(mut self, dir: &Path) -> Plinth {
        self.command.current_dir(dir);
        self
    }

    /// Starts plinth and returns at once.
    pub fn spawn(mut self) -> Running {
        let output = tempfile::tempdir().expect("temporary directory for output");
        let stdout = fs::File::create(output.path().join("stdout")).expect("stdout file");
        let stderr = fs::File::create(output.path().join("stderr")).expect("stderr file");
        self.command.stdout(stdout).stderr(stderr);
        let started = Instant::now();
        let child =
            self.command.spawn().unwrap_or_else(|e| panic!("cannot run plinth: {e}"));
        Running { child: Some(child), started, output, shown: self.shown }
    }

    /// Runs plinth to completion (at most a minute).
    pub fn run(self) -> Outcome {
        self.spawn().wait(HARD_LIMIT)
    }
}

/// A plinth process that is running, or was.
pub struct Running {
    child: Option<Child>,
    started: Instant,
    output: TempDir,
    shown: String,
}

impl Running {
    /// The process id.
    pub fn pid(&self) -> libc::pid_t {
        let child = self.child.as_ref().expect("not waited for yet");
        libc::pid_t::try_from(child.id()).expect("pid fits pid_t")
    }

    /// Sends `signal` to plinth.
    pub fn signal(&self, signal: libc::c_int) {
        // SAFETY: kill takes no pointers; the pid is our own child, not yet
        // collected, so it cannot have been reused by another process.
        let sent = unsafe { libc::kill(self.pid(), signal) };
        assert_eq!(sent, 0, "cannot send signal {signal} to plinth");
    }

    /// Whether plinth is still running.
    pub fn is_running(&mut self) -> bool {
        let child = self.child.as_mut().expect("not waited for yet");
        child.try_wait().expect("try_wait").is_none()
    }

    /// What plinth wrote to standard error so far.
    pub fn stderr_so_far(&self) -> String {
        read(&self.output.path().join("stderr"))
    }

    /// Waits for plinth to exit, at most `limit`; a run that takes longer
    /// is killed and fails the test.
    pub fn wait(mut self, limit: Duration) -> Outcome {
        let mut child = self.child.take().expect("waited for twice");
        let until = Instant::now() + limit;
        let status = loop {
            if let Some(status) = child.try_wait().expect("try_wait") {
                break status;
            }
            if Instant::now() >= until {
                kill_tree(&mut child);
                panic!(
                    "`{}` still running after {limit:?}; killed it. stderr:\n{}",
                    self.shown,
                    read(&self.output.path().join("stderr"))
                );
            }
            thread::sleep(Duration::from_millis(5));
        };
        let ended = Instant::now();
        Outcome {
            status,
            stdout: read(&self.output.path().join("stdout")),
            stderr: read(&self.output.path().join("stderr")),
            elapsed: ended - self.started,
            ended,
            shown: self.shown.clone(),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            kill_tree(child);
        }
    }
}

/// Kills plinth and, for `plinth init`, the process groups of the children
/// it started, so that a failed test leaves nothing behind.
fn kill_tree(child: &mut Child) {
    for pid in children_of(child.id()) {
        // SAFETY: kill takes no pointers. `plinth init` puts its command in
        // a process group of its own, whose id is the command's pid.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
            libc::kill(pid, libc::SIGKILL);
        }
    }
    super::kill_child(child);
}

/// The pids whose parent is `pid`, from /proc.
pub fn children_of(pid: u32) -> Vec<libc::pid_t> {
    let Ok(tasks) = fs::read_dir(format!("/proc/{pid}/task")) else { return vec![] };
    tasks
        .flatten()
        .filter_map(|task| fs::read_to_string(task.path().join("children")).ok())
        .flat_map(|list| {
            list.split_whitespace().filter_map(|p| p.parse().ok()).collect::<Vec<_>>()
        })
        .collect()
}

fn read(path: &Path) -> String {
    String::from_utf8_lossy(&fs::read(path).unwrap_or_default()).into_owned()
}

/// How a plinth run ended.
pub struct Outcome {
    /// The exit status.
    pub status: ExitStatus,
    /// Everything printed on standard output.
    pub stdout: String,
    /// Everything printed on standard error.
    pub stderr: String,
    /// From start to exit.
    pub elapsed: Duration,
    /// When the exit was seen.
    pub ended: Instant,
    shown: String,
}

impl Outcome {
    /// Panics, showing everything plinth printed, unless it exited with
    /// `code`.
    pub fn expect_code(&self, code: i32) -> &Outcome {
        if self.status.code() != Some(code) {
            panic!("expected exit code {code}, got {}\n{self}", self.status);
        }
        self
    }

    /// Panics, showing the output, unless the run took less than `limit`.
    pub fn expect_within(&self, limit: Duration) -> &Outcome {
        assert!(self.elapsed < limit, "took {:?}, limit {limit:?}\n{self}", self.elapsed);
        self
    }

    /// Panics unless standard error contains every one of `parts`.
    pub fn expect_stderr(&self, parts: &[&str]) -> &Outcome {
        for part in parts {
            assert!(self.stderr.contains(part), "stderr lacks {part:?}\n{self}");
        }
        self
    }

    /// Panics unless standard output contains every one of `parts`.
    pub fn expect_stdout(&self, parts: &[&str]) -> &Outcome {
        for part in parts {
            assert!(self.stdout.contains(part), "stdout lacks {part:?}\n{self}");
        }
        self
    }

    /// Standard output and standard error together.
    pub fn all_output(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "command: {}\nstatus: {} after {:?}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.shown, self.status, self.elapsed, self.stdout, self.stderr
        )
    }
}

//! The test harness: real servers on loopback, each with its own temporary
//! state and free port, and a way to run the real `plinth` binary and see
//! what it printed, how it exited and how long it took.
//!
//! Servers started for one test are killed when their guard is dropped.
//! Servers shared by the whole binary live in statics, which Rust never
//! drops, so their processes and directories are handed to an `atexit`
//! handler: no server outlives the test binary when it exits.

pub mod http;
pub mod mariadb;
pub mod plinth;
pub mod tansu;
pub mod tls;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, Once};
use std::thread;
use std::time::{Duration, Instant};

/// Shared servers and their directories, cleaned up at process exit.
static AT_EXIT: Mutex<Vec<(Option<Child>, PathBuf)>> = Mutex::new(Vec::new());
static REGISTER: Once = Once::new();

/// Hands over a server process and its state directory, which must not
/// outlive the test binary although nothing will ever drop them.
pub fn kill_at_exit(child: Child, dir: PathBuf) {
    at_exit(Some(child), dir);
}

/// Hands over a directory to remove when the test binary exits.
pub fn remove_at_exit(dir: PathBuf) {
    at_exit(None, dir);
}

fn at_exit(child: Option<Child>, dir: PathBuf) {
    REGISTER.call_once(|| {
        // SAFETY: `cleanup` is an `extern "C"` function without arguments
        // that stays valid for the life of the process.
        let failed = unsafe { libc::atexit(cleanup) } != 0;
        assert!(!failed, "cannot register the atexit cleanup of shared servers");
    });
    AT_EXIT.lock().unwrap_or_else(|e| e.into_inner()).push((child, dir));
}

extern "C" fn cleanup() {
    // try_lock: a test thread may have died holding the lock; cleaning up
    // what we can beats hanging at exit.
    let Ok(mut entries) = AT_EXIT.try_lock() else { return };
    for (child, dir) in entries.drain(..) {
        if let Some(mut child) = child {
            kill_child(&mut child);
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Kills a child we started and collects it, so it leaves no zombie.
pub fn kill_child(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// A port nothing listens on right now, picked by the kernel.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local address").port()
}

/// A name no other test in this run uses: `prefix` plus a counter and the
/// pid, so that tests sharing one server never see each other's objects.
pub fn unique(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}_{}_{n}", std::process::id())
}

/// Polls `ready` every 20 ms until it holds or `limit` passes; returns
/// whether it held.
pub fn eventually(limit: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let until = Instant::now() + limit;
    loop {
        if ready() {
            return true;
        }
        if Instant::now() >= until {
            return false;
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// Waits until `port` on 127.0.0.1 accepts connections, or panics naming
/// `what` after `limit`.
pub fn wait_for_port(what: &str, port: u16, limit: Duration) {
    let address = ("127.0.0.1", port);
    let open = eventually(limit, || TcpStream::connect(address).is_ok());
    assert!(open, "{what} did not open 127.0.0.1:{port} within {limit:?}");
}

/// Finds an executable named `name` on PATH or in `extra` directories, or
/// panics: a missing server binary fails the test, it never skips it.
pub fn find_program(name: &str, extra: &[PathBuf], hint: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(extra.iter().cloned())
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
        .unwrap_or_else(|| panic!("`{name}` not found on PATH or in {extra:?}: {hint}"))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The last non-empty line of `text`, where plinth puts its verdict.
pub fn last_line(text: &str) -> &str {
    text.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("")
}

/// How soon after a dependency becomes ready plinth must have noticed and
/// exited. plinth polls at most every 0.2 s by default; the rest is slack
/// for a loaded two-core machine running tests in parallel.
pub const SOON: Duration = Duration::from_secs(3);

/// Slack allowed past a waiting budget before giving up counts as late.
pub const SLACK: Duration = Duration::from_secs(3);

/// Panics unless plinth exited less than [`SOON`] after `event`.
pub fn assert_soon_after(outcome: &plinth::Outcome, event: Instant, what: &str) {
    let lag = outcome.ended.saturating_duration_since(event);
    assert!(lag < SOON, "plinth exited {lag:?} after {what} (limit {SOON:?})\n{outcome}");
}

/// Panics unless the run took at least `budget` (it did not give up early)
/// and less than `budget` + [`SLACK`] (it did not overrun).
pub fn assert_budget_respected(outcome: &plinth::Outcome, budget: Duration) {
    let took = outcome.elapsed;
    assert!(
        took >= budget,
        "gave up after {took:?}, before the {budget:?} budget\n{outcome}"
    );
    assert!(
        took < budget + SLACK,
        "gave up after {took:?}, budget {budget:?}\n{outcome}"
    );
}

/// Panics unless the last line says plinth gave up on `target` and a
/// "not ready" line gave `reason`. (Which reason the final line repeats is
/// pinned separately, by
/// `wait_http::final_attempt_does_not_replace_the_reason_with_a_timeout`.)
pub fn assert_gave_up_because(outcome: &plinth::Outcome, target: &str, reason: &str) {
    let verdict = last_line(&outcome.stderr);
    assert!(
        verdict.contains("gave up on") && verdict.contains(target),
        "the last line should give up on {target}: {verdict:?}\n{outcome}"
    );
    let explained = outcome
        .stderr
        .lines()
        .any(|l| l.contains("not ready:") && l.contains(target) && l.contains(reason));
    assert!(explained, "no \"not ready\" line gave the reason {reason:?}\n{outcome}");
}

//! `plinth init` as a container's PID 1 (here a subreaper, since the test
//! is PID 1's descendant): signals reach the command, its exit code comes
//! back out (126/127/128+N as a shell would say), orphaned grandchildren
//! are reaped, and STAY_ALIVE_ON_FAILURE keeps a failed container up only
//! when the command failed on its own.
//!
//! Commands are small `sh` scripts. Every one of them ends by itself within
//! seconds, so nothing outlives a failed test for long even if it escapes
//! the harness's cleanup.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::harness::plinth::{Running, children_of, plinth};
use crate::harness::{SOON, eventually};

/// A wait loop for scripts: about 20 s at most, in short sleeps so that
/// `sh` runs its traps promptly.
const IDLE: &str = "i=0; while [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done";

/// `plinth init -- sh -c SCRIPT`, run in `dir`.
fn init_sh(dir: &Path, script: &str) -> crate::harness::plinth::Plinth {
    plinth(["init", "--", "sh", "-c", script]).current_dir(dir)
}

/// Waits until the script has created `dir/ready` (its traps are set).
fn wait_ready(dir: &Path, running: &mut Running) {
    let ready = eventually(Duration::from_secs(10), || dir.join("ready").exists());
    assert!(ready, "the command never got ready:\n{}", running.stderr_so_far());
    assert!(running.is_running(), "plinth exited early:\n{}", running.stderr_so_far());
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary directory")
}

#[test]
fn term_is_forwarded_and_the_trapped_exit_code_returned() {
    let dir = temp();
    let script =
        format!("trap 'echo TERM > got; exit 143' TERM; touch ready; {IDLE}; exit 9");
    let mut running = init_sh(dir.path(), &script).spawn();
    wait_ready(dir.path(), &mut running);
    running.signal(libc::SIGTERM);
    let sent = Instant::now();
    let out = running.wait(Duration::from_secs(30));
    out.expect_code(143);
    assert_eq!(
        fs::read_to_string(dir.path().join("got")).ok().as_deref(),
        Some("TERM\n")
    );
    crate::harness::assert_soon_after(&out, sent, "TERM was sent");
}

#[test]
fn term_kills_a_command_with_default_handling_as_143() {
    let dir = temp();
    let mut running = init_sh(dir.path(), "touch ready; exec sleep 20").spawn();
    wait_ready(dir.path(), &mut running);
    stop_promptly(running, 143);
}

#[test]
fn usr1_and_hup_are_forwarded_without_stopping_the_command() {
    let dir = temp();
    let script = format!(
        "trap 'echo USR1 >> got' USR1; trap 'echo HUP >> got' HUP; \
         trap 'exit 7' TERM; touch ready; {IDLE}"
    );
    let mut running = init_sh(dir.path(), &script).spawn();
    wait_ready(dir.path(), &mut running);
    let got = dir.path().join("got");
    let lines = || fs::read_to_string(&got).unwrap_or_default();

    running.signal(libc::SIGUSR1);
    assert!(eventually(SOON, || lines() == "USR1\n"), "USR1 not received: {:?}", lines());
    running.signal(libc::SIGHUP);
    let both = eventually(SOON, || lines() == "USR1\nHUP\n");
    assert!(both, "HUP not received: {:?}", lines());
    assert!(running.is_running(), "USR1/HUP must not stop plinth");

    running.signal(libc::SIGTERM);
    running.wait(Duration::from_secs(30)).expect_code(7);
}

#[test]
fn switch_flags_without_a_value_do_not_swallow_the_command() {
    // `-g` and `--stay-alive-on-failure` take an optional true/false; the
    // word after them is the command, not their value.
    plinth(["init", "-g", "sh", "-c", "exit 4"]).run().expect_code(4).expect_within(SOON);
    plinth([
        "init",
        "--stay-alive-on-failure",
        "--stay-alive-for",
        "0",
        "sh",
        "-c",
        "exit 6",
    ])
    .run()
    .expect_code(6)
    .expect_within(SOON);
    plinth(["init", "--kill-group=false", "sh", "-c", "exit 5"])
        .run()
        .expect_code(5)
        .expect_within(SOON);
}

#[test]
fn exit_codes_pass_through() {
    let dir = temp();
    for code in [0, 3, 42] {
        init_sh(dir.path(), &format!("exit {code}"))
            .run()
            .expect_code(code)
            .expect_within(SOON);
    }
}

#[test]
fn command_killed_by_a_signal_exits_128_plus_n() {
    let dir = temp();
    init_sh(dir.path(), "kill -KILL $$").run().expect_code(128 + libc::SIGKILL);
    // Killed from outside, as the OOM killer would.
    let mut running = init_sh(dir.path(), "touch ready; exec sleep 20").spawn();
    wait_ready(dir.path(), &mut running);
    for child in children_of(running.pid() as u32) {
        // SAFETY: kill takes no pointers; `child` is plinth's child, alive
        // (the command sleeps for 20 s).
        unsafe { libc::kill(child, libc::SIGKILL) };
    }
    running.wait(Duration::from_secs(30)).expect_code(128 + libc::SIGKILL);
}

#[test]
fn command_starts_with_no_signal_blocked() {
    // plinth blocks every signal for itself to collect them; the command
    // must not inherit that mask, or it cannot be stopped by signals. grep
    // (not a shell, which would reset the mask itself) shows its own mask.
    let out = plinth(["init", "--", "grep", "SigBlk", "/proc/self/status"]).run();
    out.expect_code(0);
    assert_eq!(out.stdout.trim(), "SigBlk:\t0000000000000000", "inherited mask\n{out}");
}

#[test]
fn term_stops_a_command_that_is_not_a_shell() {
    let running = plinth(["init", "--", "sleep", "20"]).spawn();
    let up = eventually(Duration::from_secs(10), || {
        !children_of(running.pid() as u32).is_empty()
    });
    assert!(up, "the command did not start");
    stop_promptly(running, 143);
}

#[test]
fn script_waiting_for_a_background_job_does_not_hang() {
    // `service & wait` is how start scripts keep a shell in front of a
    // daemon; the shell must be told when its background job ends.
    let dir = temp();
    init_sh(dir.path(), "sleep 0.2 & wait; exit 4")
        .spawn()
        .wait(Duration::from_secs(10))
        .expect_code(4)
        .expect_within(SOON);
}

#[test]
fn missing_command_exits_127() {
    let dir = temp();
    plinth(["init", "--", "/nonexistent/plinth-no-such-command"])
        .run()
        .expect_code(127)
        .expect_stderr(&["not found"]);
    // Looked up on PATH too.
    plinth(["init", "--", "plinth-no-such-command-on-path"])
        .current_dir(dir.path())
        .run()
        .expect_code(127);
}

#[test]
fn non_executable_file_exits_126() {
    let dir = temp();
    let file = dir.path().join("not-executable.sh");
    fs::write(&file, "#!/bin/sh\nexit 0\n").expect("write script");
    // Mode 0644: not even root may execute it.
    plinth(["init", "--"]).args([&file]).run().expect_code(126);
}

#[test]
fn orphaned_grandchildren_are_reaped() {
    // The subshell starts `sleep` in the background and exits at once, so
    // the sleep is re-parented to plinth; when it exits, plinth must reap
    // it or it stays a zombie for the container's lifetime.
    let dir = temp();
    let script = format!("(sleep 1 & echo $! > grandchild); touch ready; {IDLE}");
    let mut running = init_sh(dir.path(), &script).spawn();
    wait_ready(dir.path(), &mut running);
    let grandchild: i32 = fs::read_to_string(dir.path().join("grandchild"))
        .expect("grandchild pid")
        .trim()
        .parse()
        .expect("a pid");
    let plinth_pid = running.pid();
    let parent = parent_of(grandchild);
    assert_eq!(parent, Some(plinth_pid), "the grandchild was not re-parented to plinth");

    let gone =
        eventually(Duration::from_secs(5), || parent_of(grandchild) != Some(plinth_pid));
    let zombies: Vec<i32> = children_of(plinth_pid as u32)
        .into_iter()
        .filter(|&pid| state_of(pid) == Some('Z'))
        .collect();
    assert!(gone && zombies.is_empty(), "zombies left under plinth: {zombies:?}");
    assert!(running.is_running(), "plinth must keep running its command");
    running.signal(libc::SIGTERM);
    running.wait(Duration::from_secs(30)).expect_code(143);
}

/// The parent pid of `pid`, while it exists (zombies included).
fn parent_of(pid: i32) -> Option<i32> {
    stat_field(pid, 1)?.parse().ok()
}

/// The state letter of `pid` (`Z` for a zombie).
fn state_of(pid: i32) -> Option<char> {
    stat_field(pid, 0)?.chars().next()
}

/// Field `n` after the command name in /proc/PID/stat (0 is the state).
fn stat_field(pid: i32, n: usize) -> Option<String> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may contain spaces.
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(n).map(String::from)
}

#[test]
fn kill_group_forwards_to_the_whole_process_group() {
    // A background subshell in the command's process group records the TERM
    // it gets; without -g only the command itself would get it.
    let dir = temp();
    let script = format!(
        "(trap 'echo TERM > background; exit 0' TERM; touch bg-ready; {IDLE}) & \
         while [ ! -e bg-ready ]; do sleep 0.05; done; touch ready; {IDLE}"
    );
    let mut running =
        plinth(["init", "-g", "--", "sh", "-c", &script]).current_dir(dir.path()).spawn();
    wait_ready(dir.path(), &mut running);
    running.signal(libc::SIGTERM);
    running.wait(Duration::from_secs(30)).expect_code(143);
    let got = || fs::read_to_string(dir.path().join("background")).unwrap_or_default();
    assert!(eventually(SOON, || got() == "TERM\n"), "the background job got no TERM");
}

#[test]
fn without_kill_group_only_the_command_gets_the_signal() {
    let dir = temp();
    let script = format!(
        "(trap 'echo TERM > background; exit 0' TERM; touch bg-ready; sleep 2; echo alive > background) & \
         while [ ! -e bg-ready ]; do sleep 0.05; done; touch ready; {IDLE}"
    );
    let mut running = init_sh(dir.path(), &script).spawn();
    wait_ready(dir.path(), &mut running);
    running.signal(libc::SIGTERM);
    running.wait(Duration::from_secs(30)).expect_code(143);
    let got = || fs::read_to_string(dir.path().join("background")).unwrap_or_default();
    assert!(
        eventually(Duration::from_secs(5), || !got().is_empty()),
        "background job vanished"
    );
    assert_eq!(got(), "alive\n", "the background job got the signal without -g");
}

#[test]
fn stay_alive_on_failure_holds_until_term_then_exits_with_the_code() {
    let dir = temp();
    let mut running =
        init_sh(dir.path(), "exit 3").env("STAY_ALIVE_ON_FAILURE", "true").spawn();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(running.is_running(), "plinth exited although STAY_ALIVE_ON_FAILURE=true");
    assert!(
        running.stderr_so_far().contains("STAY_ALIVE_ON_FAILURE"),
        "no explanation printed"
    );
    stop_promptly(running, 3);
}

#[test]
fn stay_alive_for_ends_by_itself() {
    let dir = temp();
    let out = init_sh(dir.path(), "exit 5")
        .env("STAY_ALIVE_ON_FAILURE", "true")
        .env("PLINTH_STAY_ALIVE_FOR", "1")
        .run();
    out.expect_code(5);
    crate::harness::assert_budget_respected(&out, Duration::from_secs(1));
}

#[test]
fn stay_alive_does_not_hold_after_success() {
    let dir = temp();
    init_sh(dir.path(), "exit 0")
        .env("STAY_ALIVE_ON_FAILURE", "true")
        .run()
        .expect_code(0)
        .expect_within(SOON);
}

#[test]
fn stay_alive_does_not_hold_after_a_forwarded_term() {
    let dir = temp();
    let mut running = init_sh(dir.path(), "touch ready; exec sleep 20")
        .env("STAY_ALIVE_ON_FAILURE", "true")
        .spawn();
    wait_ready(dir.path(), &mut running);
    stop_promptly(running, 143);
}

/// Sends TERM, as `docker stop` does, and checks that plinth exits with
/// `code` soon after.
fn stop_promptly(running: Running, code: i32) -> crate::harness::plinth::Outcome {
    running.signal(libc::SIGTERM);
    let sent = Instant::now();
    let out = running.wait(Duration::from_secs(30));
    out.expect_code(code);
    crate::harness::assert_soon_after(&out, sent, "TERM was sent");
    out
}

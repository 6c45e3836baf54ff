//! `plinth su-exec USER[:GROUP] COMMAND...`: the command runs as the named
//! user and groups, in place of plinth (exec, no extra process), and
//! nothing runs at all when the user or group is unknown.
//!
//! Switching users needs root; the suite runs as root, as the containers
//! plinth is made for start as root.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use crate::harness::plinth::plinth;

fn assert_root() {
    // SAFETY: geteuid takes no arguments and cannot fail.
    let euid = unsafe { libc::geteuid() };
    assert_eq!(euid, 0, "su-exec tests must run as root to switch users");
}

/// `uid:gid:groups` of the command, as `id` reports them.
const IDS: &str = "echo $(id -u):$(id -g):$(id -G)";

#[test]
fn named_user_with_its_groups() {
    assert_root();
    plinth(["su-exec", "nobody", "sh", "-c", IDS])
        .run()
        .expect_code(0)
        .expect_stdout(&["65534:65534:65534\n"]);
}

#[test]
fn numeric_user_and_group() {
    // Numbers without an account are allowed, as `docker run --user` does.
    assert_root();
    plinth(["su-exec", "4321:5432", "sh", "-c", IDS])
        .run()
        .expect_code(0)
        .expect_stdout(&["4321:5432:5432\n"]);
}

#[test]
fn unknown_user_or_group_runs_nothing_and_exits_1() {
    assert_root();
    let dir = tempfile::tempdir().expect("temporary directory");
    // World-writable, so that the command could leave its mark whoever it
    // ran as.
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).expect("chmod");
    for spec in ["no-such-user-p1", "nobody:no-such-group-p1"] {
        let out = plinth(["su-exec", spec, "sh", "-c", "touch ran"])
            .current_dir(dir.path())
            .run();
        out.expect_code(1).expect_stderr(&["no-such-"]);
        assert!(!dir.path().join("ran").exists(), "{spec}: the command ran\n{out}");
    }
}

#[test]
fn command_replaces_plinth_and_keeps_its_exit_code() {
    assert_root();
    let running = plinth(["su-exec", "nobody", "sh", "-c", "echo $$; exit 7"]).spawn();
    let pid = running.pid();
    let out = running.wait(Duration::from_secs(30));
    out.expect_code(7);
    assert_eq!(out.stdout.trim(), pid.to_string(), "the command ran in a child process");
}

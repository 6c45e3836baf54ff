//! `plinth su-exec USER[:GROUP] COMMAND...`: switch user and group, then
//! become the command (exec, no child process), like su-exec and gosu.

use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

use tracing::error;

use super::accounts::{lookup_group, lookup_user, memberships};
use crate::exit::Exit;

const PASSWD: &str = "/etc/passwd";
const GROUP: &str = "/etc/group";

/// The ids to switch to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// User id.
    pub uid: u32,
    /// Primary group id.
    pub gid: u32,
    /// Supplementary groups.
    pub groups: Vec<u32>,
    /// Home directory, when the user has an entry.
    pub home: Option<String>,
}

/// Works out the identity `spec` (`USER`, `USER:GROUP`, numbers allowed)
/// names, from the given account files. A name that is not found is an
/// error; a bare number not found is used as is (its group is the same
/// number unless one is given), as `docker run --user` allows.
pub fn resolve(spec: &str, passwd: &Path, group: &Path) -> Result<Identity, String> {
    let (user, wanted_group) = match spec.split_once(':') {
        Some((user, group)) => (user, Some(group).filter(|g| !g.is_empty())),
        None => (spec, None),
    };
    if user.is_empty() {
        return Err(format!("`{spec}` names no user"));
    }
    let read_error = |e: std::io::Error| format!("cannot read account files: {e}");
    let account = lookup_user(passwd, user).map_err(read_error)?;
    let (uid, primary, home) = match (&account, numeric(user)) {
        (Some(a), _) => (a.uid, a.gid, Some(a.home.clone())),
        (None, Some(uid)) => (uid, uid, None),
        (None, None) => return Err(format!("unknown user `{user}`")),
    };

    let (gid, groups) = match wanted_group {
        Some(name) => {
            let gid =
                match (lookup_group(group, name).map_err(read_error)?, numeric(name)) {
                    (Some(g), _) => g.gid,
                    (None, Some(gid)) => gid,
                    (None, None) => return Err(format!("unknown group `{name}`")),
                };
            (gid, vec![gid])
        }
        None => {
            let mut groups = vec![primary];
            if let Some(a) = &account {
                groups.extend(memberships(group, &a.name).map_err(read_error)?);
            }
            groups.sort_unstable();
            groups.dedup();
            (primary, groups)
        }
    };
    Ok(Identity { uid, gid, groups, home })
}

fn numeric(text: &str) -> Option<u32> {
    text.bytes().all(|b| b.is_ascii_digit()).then(|| text.parse().ok()).flatten()
}

/// Switches to `spec` and executes `command`; returns only on failure.
pub fn run(spec: &str, command: &[OsString]) -> Exit {
    let identity = match resolve(spec, Path::new(PASSWD), Path::new(GROUP)) {
        Ok(identity) => identity,
        Err(reason) => {
            error!("su-exec: {reason}; nothing was run");
            return Exit::Refused;
        }
    };
    let Some((program, args)) = command.split_first() else {
        error!("su-exec: no command given");
        return Exit::Usage;
    };
    if let Err(reason) = switch(&identity) {
        error!("su-exec: {reason}; nothing was run");
        return Exit::Refused;
    }
    let mut process = Command::new(program);
    process.args(args);
    // A user with no entry gets `/`, as the original su-exec did, rather
    // than keeping root's home.
    process.env("HOME", identity.home.as_deref().unwrap_or("/"));
    let e = process.exec();
    crate::launch::failed("su-exec", program, &e)
}

/// Drops to the identity: groups first, then group id, then user id (the
/// only order that works), and checks that root cannot be regained.
fn switch(identity: &Identity) -> Result<(), String> {
    let groups: Vec<libc::gid_t> = identity.groups.clone();
    let last_error = || std::io::Error::last_os_error();
    // SAFETY: setgroups reads `groups.len()` ids from a live vector; the
    // other calls take plain integers.
    unsafe {
        if libc::setgroups(groups.len(), groups.as_ptr()) != 0 {
            return Err(format!("setgroups: {}", last_error()));
        }
        if libc::setgid(identity.gid) != 0 {
            return Err(format!("setgid({}): {}", identity.gid, last_error()));
        }
        if libc::setuid(identity.uid) != 0 {
            return Err(format!("setuid({}): {}", identity.uid, last_error()));
        }
        if identity.uid != 0 && libc::setuid(0) == 0 {
            return Err("could regain root after dropping it".into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let passwd = dir.path().join("passwd");
        let group = dir.path().join("group");
        std::fs::write(&passwd, "mon:x:1000:1001::/home/mon:/bin/false\n").unwrap();
        std::fs::write(&group, "mon:x:1001:\nkafka:x:1002:mon\n").unwrap();
        (dir, passwd, group)
    }

    #[test]
    fn names_resolve_with_their_groups() {
        let (_d, passwd, group) = files();
        let id = resolve("mon", &passwd, &group).unwrap();
        assert_eq!((id.uid, id.gid, id.groups), (1000, 1001, vec![1001, 1002]));
        let id = resolve("mon:kafka", &passwd, &group).unwrap();
        assert_eq!((id.gid, id.groups), (1002, vec![1002]));
        let id = resolve("2000:3000", &passwd, &group).unwrap();
        assert_eq!((id.uid, id.gid, id.home), (2000, 3000, None));
    }

    #[test]
    fn unknown_names_fail_closed() {
        let (_d, passwd, group) = files();
        assert_eq!(
            resolve("nobody", &passwd, &group).unwrap_err(),
            "unknown user `nobody`"
        );
        assert_eq!(
            resolve("mon:nogroup", &passwd, &group).unwrap_err(),
            "unknown group `nogroup`"
        );
        assert!(resolve(":kafka", &passwd, &group).is_err());
    }
}

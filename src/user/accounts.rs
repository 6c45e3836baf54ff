//! Parsing `/etc/passwd` and `/etc/group` lines.

use std::path::Path;

/// One `/etc/passwd` entry, the fields su-exec needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Login name.
    pub name: String,
    /// User id.
    pub uid: u32,
    /// Primary group id.
    pub gid: u32,
    /// Home directory.
    pub home: String,
}

/// One `/etc/group` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Group name.
    pub name: String,
    /// Group id.
    pub gid: u32,
    /// Names of supplementary members.
    pub members: Vec<String>,
}

/// Finds a user by name, or by number when `who` is all digits.
pub fn lookup_user(passwd: &Path, who: &str) -> std::io::Result<Option<Account>> {
    let text = read(passwd)?;
    Ok(text
        .lines()
        .filter_map(account)
        .find(|a| a.name == who || a.uid.to_string() == who))
}

/// Finds a group by name, or by number when `which` is all digits.
pub fn lookup_group(group: &Path, which: &str) -> std::io::Result<Option<Group>> {
    let text = read(group)?;
    Ok(groups(&text).find(|g| g.name == which || g.gid.to_string() == which))
}

/// Every group that lists `user` as a member.
pub fn memberships(group: &Path, user: &str) -> std::io::Result<Vec<u32>> {
    let text = read(group)?;
    Ok(groups(&text)
        .filter(|g| g.members.iter().any(|m| m == user))
        .map(|g| g.gid)
        .collect())
}

/// A missing file is an empty database (scratch images have none).
fn read(path: &Path) -> std::io::Result<String> {
    match std::fs::read_to_string(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        other => other,
    }
}

fn account(line: &str) -> Option<Account> {
    let fields: Vec<&str> = line.split(':').collect();
    match fields[..] {
        [name, _, uid, gid, _, home, ..] if !name.starts_with('#') => Some(Account {
            name: name.into(),
            uid: uid.parse().ok()?,
            gid: gid.parse().ok()?,
            home: home.into(),
        }),
        _ => None,
    }
}

fn groups(text: &str) -> impl Iterator<Item = Group> + '_ {
    text.lines().filter_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        match fields[..] {
            [name, _, gid, members, ..] if !name.starts_with('#') => Some(Group {
                name: name.into(),
                gid: gid.parse().ok()?,
                members: members
                    .split(',')
                    .filter(|m| !m.is_empty())
                    .map(String::from)
                    .collect(),
            }),
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_users_and_groups_and_skips_junk() {
        let dir = tempfile::tempdir().unwrap();
        let passwd = dir.path().join("passwd");
        let group = dir.path().join("group");
        std::fs::write(&passwd, "# c\nroot:x:0:0:root:/root:/bin/sh\nbad\nmon:x:1000:1001::/home/mon:/bin/false\n").unwrap();
        std::fs::write(&group, "root:x:0:\nmon:x:1001:\nkafka:x:1002:mon,other\n")
            .unwrap();

        let mon = lookup_user(&passwd, "mon").unwrap().unwrap();
        assert_eq!((mon.uid, mon.gid, mon.home.as_str()), (1000, 1001, "/home/mon"));
        assert_eq!(lookup_user(&passwd, "1000").unwrap(), Some(mon));
        assert_eq!(lookup_user(&passwd, "nobody").unwrap(), None);
        assert_eq!(lookup_group(&group, "kafka").unwrap().unwrap().gid, 1002);
        assert_eq!(memberships(&group, "mon").unwrap(), vec![1002]);
    }
}

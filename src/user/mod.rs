//! Users and groups, and `plinth su-exec`.
//!
//! The account databases are read straight from `/etc/passwd` and
//! `/etc/group`: a statically linked glibc cannot load the NSS modules its
//! own `getpwnam` would need, and container images only ever use files.
//! Switching is fail-closed: a name that is not found is an error and
//! nothing runs, so a typo never leaves a service running as root.

mod accounts;
mod su_exec;

pub use accounts::{Account, Group, lookup_group, lookup_user};
pub use su_exec::{Identity, resolve, run};

//! Networking shared by the probes: parsing the addresses people write and
//! resolving host names without libc.
//!
//! plinth is linked statically against glibc, whose resolver would need
//! shared NSS modules at run time; so names are resolved here, in Rust, from
//! `/etc/hosts` and the servers in `/etc/resolv.conf` (Docker's embedded DNS
//! and Kubernetes' search domains included), again at every attempt.

mod endpoint;
mod resolve;

pub use endpoint::{Endpoint, mask_url, parse_url};
pub use resolve::{connect, describe, resolve};

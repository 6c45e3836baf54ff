//! Readiness probes and the loop that waits for them.
//!
//! A [`Probe`] makes one attempt and answers ready, not ready yet (with a
//! reason for people), or misconfigured. [`schedule`] decides when to try
//! again and what to print; it is the same for every kind of dependency, so
//! TCP, HTTP, Kafka, MySQL and command waits share their timing, messages and exit
//! codes. `plinth health` runs a single attempt of the same probes.

pub mod budget;
pub mod command;
pub mod http;
pub mod kafka;
pub mod mysql;
pub mod schedule;
pub mod tcp;

use std::future::Future;
use std::pin::Pin;

pub use schedule::{Schedule, WaitError, wait_for_all};

/// Why one attempt did not find the dependency ready.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProbeError {
    /// Worth retrying: the dependency may become ready (refused, unknown
    /// topic, access denied while users are still being created...).
    #[error("{0}")]
    NotReady(String),
    /// Retrying cannot help: the request itself is wrong.
    #[error("{0}")]
    Misconfigured(String),
}

/// The future one attempt returns.
pub type Attempt<'a> = Pin<Box<dyn Future<Output = Result<(), ProbeError>> + Send + 'a>>;

/// One kind of dependency, checked one attempt at a time.
pub trait Probe: Send + Sync {
    /// What is being waited for, as printed to people: `kafka localhost:9092`.
    fn target(&self) -> String;
    /// Makes one attempt. It may be cancelled at any await point when the
    /// attempt's deadline passes.
    fn check(&self) -> Attempt<'_>;
}

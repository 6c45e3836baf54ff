//! plinth: the one static binary behind the monasca-base container image.
//!
//! It replaces the shell and Python helpers the original base image carried
//! (wait scripts, Templer, tini, su-exec) with subcommands of one program that
//! runs unchanged on Debian, Alpine and empty images.
//!
//! # Layout
//! - [`cli`]: the command line, its environment twins, and dispatch.
//! - [`exit`]: every exit code plinth can return, in one place.
//! - [`wait`]: readiness probes (TCP, HTTP, Kafka, MySQL) and the retry
//!   schedule that drives them.
//! - [`health`]: one attempt of the same probes, for Docker's HEALTHCHECK.
//! - [`net`]: address parsing and name resolution done in Rust.
//! - [`template`]: Jinja2 rendering of config files from the environment.
//! - [`init`]: PID 1 duties: spawn, forward signals, reap, exit code.
//! - [`launch`]: commands plinth starts, and why one could not start.
//! - [`user`]: `/etc/passwd` and `/etc/group` lookups and `su-exec`.
//! - [`log`]: the `plinth[PID]: message` lines on standard error.
//! - [`settings`]: parsing of durations, booleans and log levels shared by all.
//!
//! The binary (`src/main.rs`) adds one thing the library must not: a
//! `getaddrinfo` that always fails, in place of static glibc's (see
//! `src/libc_resolver.rs`), so that test programs linking this library
//! keep their own resolver.

pub mod cli;
pub mod exit;
pub mod health;
pub mod init;
pub mod launch;
pub mod log;
pub mod net;
pub mod settings;
pub mod template;
pub mod user;
pub mod wait;

//! Integration tests for `plinth`: the real binary, run against real
//! servers (MariaDB, a Kafka-compatible broker, HTTP and HTTPS listeners)
//! that the harness starts on loopback with temporary state. Each module
//! covers one subcommand or one kind of dependency, and asserts what users
//! rely on: exit codes, what was printed or written, and how quickly plinth
//! reacted.

mod harness;

mod cli;
mod health;
mod init;
mod regressions;
mod su_exec;
mod template;
mod wait_http;
mod wait_kafka;
mod wait_mysql;
mod wait_tcp;

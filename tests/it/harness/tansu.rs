//! Kafka-compatible brokers: the `tansu` binary with in-memory storage on
//! 127.0.0.1. Tests share one broker ([`shared`]) with topic names of their
//! own; a test that needs the broker down at first starts a dedicated one
//! later on a port it chose beforehand ([`Tansu::start_on`]).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use super::{find_program, free_port, kill_at_exit, kill_child, wait_for_port};

fn program() -> PathBuf {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let extra: Vec<PathBuf> = cargo_home.into_iter().map(|h| h.join("bin")).collect();
    find_program(
        "tansu",
        &extra,
        "install it with `cargo install tansu --version 0.6.0 --features dynostore`",
    )
}

/// A running broker.
pub struct Tansu {
    port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

/// The broker shared by every test in the binary, killed at exit.
pub fn shared() -> &'static Tansu {
    static BROKER: OnceLock<Tansu> = OnceLock::new();
    BROKER.get_or_init(|| {
        let mut broker = Tansu::start_on(free_port());
        // Statics are never dropped: the atexit handler kills this one.
        let child = broker.child.take().expect("just started");
        kill_at_exit(child, broker.dir.clone());
        broker
    })
}

impl Tansu {
    /// Starts a broker listening on (and advertising) 127.0.0.1:`port`.
    pub fn start_on(port: u16) -> Tansu {
        let dir = tempfile::Builder::new()
            .prefix("plinth-it-tansu-")
            .tempdir()
            .expect("temporary directory")
            .keep();
        let log = std::fs::File::create(dir.join("tansu.log")).expect("tansu log");
        let url = format!("tcp://127.0.0.1:{port}");
        let child = Command::new(program())
            .arg("broker")
            .args(["--listener-url", &url, "--advertised-listener-url", &url])
            .args(["--storage-engine", "memory://tansu/"])
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("tansu log"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start tansu: {e}"));
        let broker = Tansu { port, dir, child: Some(child) };
        wait_for_port("tansu broker", port, Duration::from_secs(20));
        broker
    }

    /// `127.0.0.1:PORT`, as KAFKA_URI wants it.
    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Creates a topic with one partition; panics on failure.
    pub fn create_topic(&self, name: &str) {
        let output = self.topic_command(&["create", name, "--partitions", "1"]);
        assert!(
            output.status.success(),
            "tansu topic create {name} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Whether the broker lists the topic `name`.
    pub fn has_topic(&self, name: &str) -> bool {
        let output = self.topic_command(&["list"]);
        assert!(
            output.status.success(),
            "tansu topic list failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        // The listing is JSON; a quoted name is a whole-name match.
        String::from_utf8_lossy(&output.stdout).contains(&format!("\"name\":\"{name}\""))
    }

    fn topic_command(&self, args: &[&str]) -> std::process::Output {
        Command::new(program())
            .arg("topic")
            .args(args)
            .args(["--broker", &format!("tcp://127.0.0.1:{}", self.port)])
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run tansu topic: {e}"))
    }
}

impl Drop for Tansu {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            kill_child(child);
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

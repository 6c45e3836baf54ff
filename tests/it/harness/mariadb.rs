//! MariaDB servers from the Debian `mariadb-server` package, each with a
//! temporary data directory, its own unix socket (used by the harness to
//! administer it) and TCP on 127.0.0.1 only (used by plinth).
//!
//! Starting a server takes seconds, so tests share one ([`shared`]) and
//! each creates its own database and user. A test that needs the server
//! down at first gets a dedicated one ([`Stopped`]).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::{eventually, find_program, free_port, kill_at_exit, kill_child, unique};

/// How long a server may take to accept connections.
const START_LIMIT: Duration = Duration::from_secs(60);

fn program(name: &str) -> PathBuf {
    let sbin = [PathBuf::from("/usr/sbin"), PathBuf::from("/usr/local/sbin")];
    find_program(name, &sbin, "install the Debian package `mariadb-server`")
}

/// A database and a user allowed to use it.
pub struct Account {
    /// The database name.
    pub database: String,
    /// The user name.
    pub user: String,
    /// The user's password.
    pub password: String,
}

/// A running MariaDB server.
pub struct MariaDb {
    dir: PathBuf,
    port: u16,
    child: Option<Child>,
}

/// The server shared by every test in the binary, started on first use and
/// killed when the test binary exits.
pub fn shared() -> &'static MariaDb {
    static SERVER: OnceLock<Result<MariaDb, String>> = OnceLock::new();
    let server = SERVER.get_or_init(|| {
        let stopped = Stopped::prepare(None)?;
        let mut server = stopped.start()?;
        // Statics are never dropped: the atexit handler kills this one.
        let child = server.child.take().expect("just started");
        kill_at_exit(child, server.dir.clone());
        Ok(server)
    });
    server.as_ref().unwrap_or_else(|e| panic!("shared MariaDB: {e}"))
}

impl MariaDb {
    /// The TCP port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    fn socket(&self) -> PathBuf {
        self.dir.join("mysqld.sock")
    }

    /// Runs SQL as root over the unix socket; panics on failure.
    pub fn sql(&self, statements: &str) {
        if let Err(e) = client(&self.socket(), statements) {
            panic!("SQL failed: {statements}\n{e}");
        }
    }

    /// A new user (with `password`) allowed to use a new database; when
    /// `create_database` is false the database is left for the test to
    /// create.
    pub fn account(&self, password: &str, create_database: bool) -> Account {
        let account = Account {
            database: unique("db"),
            user: unique("u"),
            password: password.to_string(),
        };
        let Account { database, user, .. } = &account;
        let mut sql = format!(
            "CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY '{password}'; \
             GRANT ALL ON `{database}`.* TO '{user}'@'127.0.0.1';"
        );
        if create_database {
            sql += &format!(" CREATE DATABASE `{database}`;");
        }
        self.sql(&sql);
        account
    }
}

impl Drop for MariaDb {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            kill_child(child);
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn client(socket: &Path, statements: &str) -> Result<(), String> {
    let output = Command::new(program("mariadb"))
        .args(["--no-defaults", "--user=root", "--batch"])
        .arg(format!("--socket={}", socket.display()))
        .args(["-e", statements])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run mariadb: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// A data directory ready for a server that is not running yet, with the
/// port it will listen on already chosen.
pub struct Stopped {
    dir: PathBuf,
    port: u16,
    init_file: Option<PathBuf>,
}

impl Stopped {
    /// Creates the data directory. `init_sql`, when given, runs when the
    /// server starts (so that a user can exist from its first moment).
    pub fn prepare(init_sql: Option<&str>) -> Result<Stopped, String> {
        let dir = tempfile::Builder::new()
            .prefix("plinth-it-mariadb-")
            .tempdir()
            .map_err(|e| format!("temporary directory: {e}"))?
            .keep();
        let output = Command::new(program("mariadb-install-db"))
            .arg("--no-defaults")
            .arg(format!("--datadir={}", dir.join("data").display()))
            .args(user_flag())
            .args(["--auth-root-authentication-method=normal", "--skip-test-db"])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run mariadb-install-db: {e}"))?;
        if !output.status.success() {
            let _ = fs::remove_dir_all(&dir);
            return Err(format!(
                "mariadb-install-db failed:\n{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let init_file = init_sql.map(|sql| {
            let path = dir.join("init.sql");
            fs::write(&path, sql).expect("write init.sql");
            path
        });
        Ok(Stopped { dir, port: free_port(), init_file })
    }

    /// The port the server will listen on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Starts the server and waits until it answers on its socket.
    pub fn start(mut self) -> Result<MariaDb, String> {
        // The server owns the directory from here on (see `Drop`).
        let dir = std::mem::take(&mut self.dir);
        let mut command = Command::new(program("mariadbd"));
        command
            .arg("--no-defaults")
            .arg(format!("--datadir={}", dir.join("data").display()))
            .arg(format!("--socket={}", dir.join("mysqld.sock").display()))
            .arg(format!("--pid-file={}", dir.join("mysqld.pid").display()))
            .arg(format!("--log-error={}", dir.join("error.log").display()))
            .arg(format!("--tmpdir={}", dir.display()))
            .arg(format!("--port={}", self.port))
            .args(["--bind-address=127.0.0.1", "--skip-name-resolve"])
            .args(["--innodb-use-native-aio=0", "--innodb-buffer-pool-size=32M"])
            .args(user_flag())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(init) = &self.init_file {
            command.arg(format!("--init-file={}", init.display()));
        }
        let child = command.spawn().map_err(|e| format!("cannot start mariadbd: {e}"))?;
        let mut server = MariaDb { dir, port: self.port, child: Some(child) };
        let started = Instant::now();
        let socket = server.socket();
        let mut exited = None;
        let up = eventually(START_LIMIT, || {
            let child = server.child.as_mut().expect("running");
            if let Ok(Some(status)) = child.try_wait() {
                exited = Some(status);
                return true;
            }
            socket.exists() && client(&socket, "SELECT 1").is_ok()
        });
        if exited.is_some() || !up {
            let log =
                fs::read_to_string(server.dir.join("error.log")).unwrap_or_default();
            let how = exited.map_or("still starting".into(), |s| s.to_string());
            return Err(format!(
                "mariadbd did not come up within {:?} ({how}):\n{log}",
                started.elapsed()
            ));
        }
        Ok(server)
    }
}

impl Drop for Stopped {
    fn drop(&mut self) {
        if !self.dir.as_os_str().is_empty() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// mariadbd refuses to run as root unless told to.
fn user_flag() -> Vec<String> {
    // SAFETY: geteuid takes no arguments and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    if root { vec!["--user=root".into()] } else { vec![] }
}

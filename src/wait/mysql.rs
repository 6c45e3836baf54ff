//! `wait mysql`: a login succeeds and the database exists (the
//! `mysql_check.py` check).
//!
//! Access denied and unknown database count as "not ready yet", not as
//! misconfiguration: in the Monasca deployments an init job creates the
//! user and the schema after the server is up, so both states are normal
//! for a while. The reason printed says which it is; the password never
//! appears in any message.

use mysql_async::{Conn, Error, IoError, OptsBuilder};

use super::{Attempt, Probe, ProbeError};
use crate::net::{self, Endpoint};

/// MySQL server error: wrong user or password.
const ACCESS_DENIED: u16 = 1045;
/// MySQL server error: the user may not use this database.
const DB_ACCESS_DENIED: u16 = 1044;
/// MySQL server error: no such database.
const UNKNOWN_DATABASE: u16 = 1049;

/// Login details. `Debug` is deliberately not derived: it would print the
/// password.
pub struct Credentials {
    /// The user to log in as.
    pub user: String,
    /// Its password; empty means none.
    pub password: String,
    /// The database that must exist.
    pub database: String,
}

/// Ready when `user` can log in to `database` on `server`.
pub struct MysqlProbe {
    server: Endpoint,
    credentials: Credentials,
}

impl MysqlProbe {
    /// A probe logging in to `server` with `credentials`.
    pub fn new(server: Endpoint, credentials: Credentials) -> MysqlProbe {
        MysqlProbe { server, credentials }
    }

    async fn check_once(&self) -> Result<(), ProbeError> {
        let addresses = net::resolve(&self.server.host, self.server.port)
            .await
            .map_err(ProbeError::NotReady)?;
        let ips: Vec<_> = addresses.iter().map(|a| a.ip()).collect();
        let c = &self.credentials;
        let password = (!c.password.is_empty()).then(|| c.password.clone());
        let options = OptsBuilder::default()
            .ip_or_hostname(self.server.host.clone())
            .resolved_ips(Some(ips))
            .tcp_port(self.server.port)
            .user(Some(c.user.clone()))
            .pass(password)
            .db_name(Some(c.database.clone()))
            .prefer_socket(false);
        let connection = Conn::new(options).await.map_err(|e| self.reason(&e))?;
        // The login already proved readiness; a failed goodbye does not undo it.
        let _ = connection.disconnect().await;
        Ok(())
    }

    fn reason(&self, error: &Error) -> ProbeError {
        let c = &self.credentials;
        let text = match error {
            Error::Server(e) if e.code == ACCESS_DENIED => {
                format!(
                    "access denied for user `{}` (check MYSQL_USER/MYSQL_PASSWORD)",
                    c.user
                )
            }
            Error::Server(e) if e.code == DB_ACCESS_DENIED => {
                format!("user `{}` may not use database `{}`", c.user, c.database)
            }
            Error::Server(e) if e.code == UNKNOWN_DATABASE => {
                format!("unknown database `{}`", c.database)
            }
            Error::Server(e) => format!("server error {}: {}", e.code, e.message),
            Error::Io(IoError::Io(e)) => net::describe(e),
            other => other.to_string(),
        };
        ProbeError::NotReady(text)
    }
}

impl Probe for MysqlProbe {
    fn target(&self) -> String {
        format!("mysql {} database {}", self.server, self.credentials.database)
    }

    fn check(&self) -> Attempt<'_> {
        Box::pin(self.check_once())
    }
}

/// What `wait mysql` and `health mysql` are asked to check. The defaults
/// are the original script's.
#[derive(Clone, clap::Args)]
pub struct MysqlArgs {
    /// Server host name or IP address.
    #[arg(long, env = "MYSQL_HOST", default_value = "mysql")]
    pub host: String,

    /// Server port.
    #[arg(long, env = "MYSQL_PORT", default_value = "3306", value_parser = crate::settings::port)]
    pub port: u16,

    /// User to log in as.
    #[arg(long, env = "MYSQL_USER", default_value = "monapi")]
    pub user: String,

    /// Password (default `password`, as in the original); never printed.
    #[arg(
        long,
        env = "MYSQL_PASSWORD",
        default_value = "password",
        hide_default_value = true,
        hide_env_values = true,
        allow_hyphen_values = true
    )]
    pub password: String,

    /// Database that must exist.
    #[arg(long, env = "MYSQL_DB", default_value = "mon")]
    pub database: String,
}

impl MysqlArgs {
    /// The one probe these settings describe.
    pub fn probes(&self) -> Result<Vec<std::sync::Arc<dyn Probe>>, String> {
        let host = self.host.trim();
        if host.is_empty() {
            return Err("MYSQL_HOST (--host) is empty".into());
        }
        let bare = host.trim_matches(['[', ']']);
        if bare.contains(':') && bare.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(format!(
                "MYSQL_HOST (--host) `{host}` is not a host: give the port in MYSQL_PORT (--port)"
            ));
        }
        let server = Endpoint::new(bare, self.port)
            .map_err(|e| format!("MYSQL_HOST (--host): {e}"))?;
        let credentials = Credentials {
            user: self.user.clone(),
            password: self.password.clone(),
            database: self.database.clone(),
        };
        Ok(vec![std::sync::Arc::new(MysqlProbe::new(server, credentials))])
    }
}

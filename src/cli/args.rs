//! The declaration of every subcommand, flag and environment twin.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::init::InitOptions;
use crate::launch::CommandLine;
use crate::wait::budget::{KafkaBudget, MysqlBudget, PlainBudget};
use crate::wait::command::CmdArgs;
use crate::wait::http::HttpArgs;
use crate::wait::kafka::KafkaArgs;
use crate::wait::mysql::MysqlArgs;
use crate::wait::tcp::TcpArgs;
use crate::wait::{Probe, Schedule};

/// Probes as built from the command line.
type Probes = Vec<Arc<dyn Probe>>;

#[derive(Parser)]
#[command(
    name = "plinth",
    version,
    about = "Init, wait, template and health for service containers",
    after_help = include_str!("help/after.txt"),
    propagate_version = true,
    max_term_width = 100
)]
pub(crate) struct Cli {
    /// Log level, Python names in any case: DEBUG, INFO, WARNING, ERROR,
    /// CRITICAL.
    // Checked after parsing, so that a flag given on the command line
    // replaces a bad variable at every subcommand level.
    #[arg(long, global = true, env = "LOG_LEVEL", default_value = "INFO")]
    pub log_level: String,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub(super) enum Command {
    /// Wait until dependencies are ready (exit 0), or give up (exit 1).
    #[command(after_help = include_str!("help/wait.txt"))]
    Wait {
        #[command(subcommand)]
        target: WaitTarget,
    },
    /// Check a dependency once, for Docker's HEALTHCHECK (exit 0 or 1 only).
    Health(HealthArgs),
    /// Render Jinja2 templates from the environment: SRC... DEST.
    #[command(after_help = include_str!("help/template.txt"))]
    Template(TemplateArgs),
    /// Run a command as PID 1: forward signals, reap zombies, pass its exit
    /// code through.
    #[command(after_help = include_str!("help/init.txt"))]
    Init(InitArgs),
    /// Run a command as another user: USER[:GROUP] COMMAND... (exit 1 and
    /// nothing runs when the user or group is unknown).
    SuExec(SuExecArgs),
}

#[derive(clap::Args)]
pub(super) struct SuExecArgs {
    /// USER or USER:GROUP, names or numbers.
    #[arg(value_name = "USER[:GROUP]")]
    pub spec: String,

    #[command(flatten)]
    pub command: CommandLine,
}

#[derive(Subcommand)]
pub(super) enum WaitTarget {
    /// A TCP port accepts connections (replaces /wait_for.sh).
    Tcp {
        #[command(flatten)]
        target: TcpArgs,
        #[command(flatten)]
        budget: PlainBudget,
    },
    /// A URL answers with an expected status.
    Http {
        #[command(flatten)]
        target: HttpArgs,
        #[command(flatten)]
        budget: PlainBudget,
    },
    /// Kafka topics exist (replaces kafka_wait_for_topics.py).
    Kafka {
        #[command(flatten)]
        target: KafkaArgs,
        #[command(flatten)]
        budget: KafkaBudget,
    },
    /// A MySQL login works and the database exists (replaces mysql_check.py).
    Mysql {
        #[command(flatten)]
        target: MysqlArgs,
        #[command(flatten)]
        budget: MysqlBudget,
    },
    /// A command exits 0 (each attempt is killed at --attempt-timeout).
    Cmd {
        #[command(flatten)]
        budget: PlainBudget,
        #[command(flatten)]
        target: CmdArgs,
    },
}

impl WaitTarget {
    /// The probes to run and the schedule to run them on.
    pub fn probes(&self) -> Result<(Probes, Schedule), String> {
        match self {
            WaitTarget::Tcp { target, budget } => {
                Ok((target.probes()?, budget.schedule()))
            }
            WaitTarget::Http { target, budget } => {
                Ok((target.probes()?, budget.schedule()))
            }
            WaitTarget::Kafka { target, budget } => {
                Ok((target.probes()?, budget.schedule()))
            }
            WaitTarget::Mysql { target, budget } => {
                Ok((target.probes()?, budget.schedule()))
            }
            WaitTarget::Cmd { target, budget } => {
                Ok((target.probes()?, budget.schedule()))
            }
        }
    }
}

#[derive(clap::Args)]
pub(super) struct HealthArgs {
    /// Deadline for the whole check; keep it under Docker's --timeout.
    #[arg(long, global = true, value_name = "SECONDS", env = "PLINTH_HEALTH_TIMEOUT",
          default_value = "1.5", value_parser = crate::settings::duration)]
    pub timeout: Duration,

    /// The target to check when none is given on the command line, written
    /// as it would follow `plinth health` (`http http://localhost:8080/`).
    #[arg(
        long = "declared",
        value_name = "TARGET",
        env = "PLINTH_HEALTH",
        hide_env_values = true
    )]
    pub declared: Option<String>,

    #[command(subcommand)]
    pub target: Option<HealthTarget>,
}

#[derive(Subcommand)]
pub(super) enum HealthTarget {
    /// A TCP port accepts connections.
    Tcp(TcpArgs),
    /// A URL answers with an expected status.
    Http(HttpArgs),
    /// A Kafka broker answers and topics exist.
    Kafka(KafkaArgs),
    /// A MySQL login works and the database exists.
    Mysql(MysqlArgs),
    /// A command exits 0, such as a legacy health_check.py (killed, with
    /// what it started, at the deadline).
    Cmd(CmdArgs),
}

impl HealthTarget {
    /// The probes to run once.
    pub fn probes(&self) -> Result<Probes, String> {
        match self {
            HealthTarget::Tcp(target) => target.probes(),
            HealthTarget::Http(target) => target.probes(),
            HealthTarget::Kafka(target) => target.probes(),
            HealthTarget::Mysql(target) => target.probes(),
            HealthTarget::Cmd(target) => target.probes(),
        }
    }
}

#[derive(clap::Args)]
pub(super) struct TemplateArgs {
    /// Templates to render, then the destination (a directory, or a file
    /// when there is one template).
    #[arg(required = true, num_args = 2.., value_name = "SRC... DEST")]
    pub paths: Vec<PathBuf>,

    /// Accepted for Templer compatibility (outputs are always replaced), so
    /// hidden: it changes nothing and needs no environment twin.
    #[arg(short, long, hide = true)]
    pub force: bool,
}

impl TemplateArgs {
    /// The sources and the destination.
    pub fn split(mut self) -> (Vec<PathBuf>, PathBuf) {
        let dest = self.paths.pop().expect("clap requires two paths");
        (self.paths, dest)
    }
}

#[derive(clap::Args)]
pub(super) struct InitArgs {
    /// Forward signals to the command's whole process group, not just to it.
    #[arg(short = 'g', long, env = "PLINTH_KILL_GROUP", num_args = 0..=1,
          default_value = "false", default_missing_value = "true", require_equals = true,
          value_parser = crate::settings::boolean)]
    pub kill_group: bool,

    /// When the command fails on its own, keep the container up for
    /// debugging instead of exiting (a stop signal still ends it).
    #[arg(long, env = "STAY_ALIVE_ON_FAILURE", num_args = 0..=1, default_value = "false",
          default_missing_value = "true", require_equals = true, value_parser = crate::settings::boolean)]
    pub stay_alive_on_failure: bool,

    /// How long to stay up after such a failure.
    #[arg(long, value_name = "DURATION", env = "PLINTH_STAY_ALIVE_FOR", default_value = "2h",
          value_parser = crate::settings::duration)]
    pub stay_alive_for: Duration,

    /// Accepted for tini compatibility (`tini -s`); plinth always reaps
    /// orphans, as a subreaper when it is not PID 1.
    #[arg(short = 's', hide = true)]
    pub subreaper: bool,

    #[command(flatten)]
    pub command: CommandLine,
}

impl InitArgs {
    /// What the init module needs.
    pub fn options(&self) -> InitOptions {
        InitOptions {
            command: self.command.words.clone(),
            kill_group: self.kill_group,
            stay_alive_on_failure: self.stay_alive_on_failure,
            stay_alive_for: self.stay_alive_for,
        }
    }
}

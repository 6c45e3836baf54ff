//! The command line: subcommands, their flags and environment twins, and
//! dispatch to the modules that do the work.
//!
//! Every flag can also be set through the environment variable shown next
//! to it in `--help`; a flag given on the command line wins. Variable names
//! are those of the original scripts where one existed, so legacy start
//! scripts keep working. A bad value stops with exit code 2 and a message
//! naming the flag, or the variable when the value came from there.

mod args;
mod env_errors;

use std::ffi::OsString;
use std::sync::Arc;

use clap::{CommandFactory, FromArgMatches};
use tracing::{error, info};

use crate::exit::Exit;
use crate::wait::{Probe, wait_for_all};
use crate::{health, init, log, template};
use args::{Cli, Command, HealthArgs, InitArgs, TemplateArgs, WaitTarget};

/// Runs plinth with the process arguments; returns the exit status.
pub fn main() -> i32 {
    run(std::env::args_os().collect()).code()
}

/// Runs plinth with `argv` (program name first).
pub fn run(argv: Vec<OsString>) -> Exit {
    let cli = match parse(&argv) {
        Ok(cli) => cli,
        Err(exit) => return exit,
    };
    log::init(cli.log_level);
    match cli.command {
        Command::Wait { target } => wait(target),
        Command::Health(args) => health(args),
        Command::Template(args) => render(args),
        Command::Init(args) => supervise(args),
    }
}

/// Parses `argv`; on failure prints clap's message and returns the code.
fn parse(argv: &[OsString]) -> Result<Cli, Exit> {
    let mut command = Cli::command();
    let parsed = command
        .try_get_matches_from_mut(argv)
        .and_then(|mut matches| Cli::from_arg_matches_mut(&mut matches));
    parsed.map_err(|e| {
        let e = env_errors::name_the_variable(e, &command, argv);
        let _ = e.print();
        match e.exit_code() {
            0 => Exit::Ok,
            // Docker reserves 2 for health commands: report unhealthy.
            _ if is_health(argv) => Exit::NotReady,
            _ => Exit::Usage,
        }
    })
}

fn is_health(argv: &[OsString]) -> bool {
    argv.iter().skip(1).find(|a| !a.to_string_lossy().starts_with('-')).is_some_and(|a| a == "health")
}

fn wait(target: WaitTarget) -> Exit {
    let (probes, schedule) = match target.probes() {
        Ok(found) => found,
        Err(message) => {
            error!("{message}");
            return Exit::Usage;
        }
    };
    match runtime().block_on(wait_for_all(probes, schedule)) {
        Ok(()) => Exit::Ok,
        Err(e) => {
            error!("{e}");
            e.exit()
        }
    }
}

fn health(args: HealthArgs) -> Exit {
    let probes: Result<Vec<Arc<dyn Probe>>, String> = args.target.probes();
    match probes {
        Ok(probes) => runtime().block_on(health::check(probes, args.timeout)),
        Err(message) => {
            println!("unhealthy: {message}");
            Exit::NotReady
        }
    }
}

fn render(args: TemplateArgs) -> Exit {
    let (sources, dest) = args.split();
    match template::run(&sources, &dest) {
        Ok(written) => {
            for path in written {
                info!("rendered {}", path.display());
            }
            Exit::Ok
        }
        Err(e) => {
            error!("{e}");
            e.exit()
        }
    }
}

fn supervise(args: InitArgs) -> Exit {
    init::run(&args.options())
}

/// One thread is plenty for a handful of probes, and keeps memory low.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("cannot start the async runtime")
}

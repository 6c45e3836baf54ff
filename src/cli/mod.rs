//! The command line: subcommands, their flags and environment twins, and
//! dispatch to the modules that do the work.
//!
//! Every flag can also be set through the environment variable shown next
//! to it in `--help`; a flag given on the command line wins. Variable names
//! are those of the original scripts where one existed, so legacy start
//! scripts keep working. A bad value stops with exit code 2 and a message
//! naming the flag, or the variable when the value came from there.

mod args;
mod compat;
mod environment;

use std::ffi::OsString;
use std::io::Write;

use clap::{CommandFactory, FromArgMatches};
use tracing::{error, info};

use crate::exit::Exit;
use crate::wait::wait_for_all;
use crate::{health, init, log, template, user};
use args::{Cli, Command, HealthArgs, HealthTarget, InitArgs, TemplateArgs, WaitTarget};

/// Runs plinth with the process arguments; returns the exit status.
pub fn main() -> i32 {
    run(std::env::args_os().collect()).code()
}

/// Runs plinth with `argv` (program name first).
pub fn run(argv: Vec<OsString>) -> Exit {
    let argv = compat::translate(argv);
    let cli = match parse(&argv) {
        Ok(cli) => cli,
        Err(exit) => return exit,
    };
    match log::level(&cli.log_level) {
        Ok(level) => log::init(level),
        Err(reason) => {
            let value = &cli.log_level;
            let source = if environment::flag_given(&argv, "--log-level") {
                "--log-level"
            } else {
                "environment variable LOG_LEVEL (--log-level)"
            };
            // Written directly: the logger is not installed yet, and a
            // closed stderr must not turn this usage error into an abort.
            let _ = writeln!(
                std::io::stderr(),
                "error: invalid value '{value}' for {source}: {reason}"
            );
            let health = matches!(cli.command, Command::Health(_));
            return if health { Exit::NotReady } else { Exit::Usage };
        }
    }
    match cli.command {
        Command::Wait { target } => wait(target),
        Command::Health(args) => {
            let timeout_given = environment::flag_given(&argv, "--timeout");
            health(args, timeout_given)
        }
        Command::Template(args) => render(args),
        Command::Init(args) => supervise(args),
        Command::SuExec(args) => user::run(&args.spec, &args.command.words),
    }
}

/// Parses `argv` with empty variables counted as unset, and with errors
/// that name the variable a bad value came from.
fn parse_with(command: clap::Command, argv: &[OsString]) -> Result<Cli, clap::Error> {
    let mut command = environment::ignore_empty_variables(command);
    command
        .try_get_matches_from_mut(argv)
        .and_then(|mut matches| Cli::from_arg_matches_mut(&mut matches))
        .map_err(|e| environment::name_the_variable(e, &command, argv))
}

/// Parses `argv`; on failure prints clap's message and returns the code.
fn parse(argv: &[OsString]) -> Result<Cli, Exit> {
    let command = Cli::command();
    parse_with(command.clone(), argv).map_err(|e| {
        let _ = e.print();
        match e.exit_code() {
            0 => Exit::Ok,
            // Docker reserves 2 for health commands: report unhealthy.
            _ if subcommand(&command, argv).as_deref() == Some("health") => {
                Exit::NotReady
            }
            _ => Exit::Usage,
        }
    })
}

/// The first word of `argv` that is not a global option or its value.
fn subcommand(root: &clap::Command, argv: &[OsString]) -> Option<String> {
    let mut words = argv.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(word) = words.next() {
        let Some(flag) = word.strip_prefix('-') else { return Some(word.into_owned()) };
        let takes_value = root.get_arguments().any(|arg| {
            let named = match flag.strip_prefix('-') {
                Some(long) => arg.get_long() == Some(long),
                None => {
                    flag.len() == 1
                        && arg.get_short().is_some_and(|s| flag.starts_with(s))
                }
            };
            named && arg.get_action().takes_values()
        });
        if takes_value {
            words.next();
        }
    }
    None
}

fn wait(target: WaitTarget) -> Exit {
    let (probes, schedule) = match target.probes() {
        Ok(found) => found,
        Err(message) => {
            error!("{message}");
            return Exit::Usage;
        }
    };
    let outcome = match block_on(wait_for_all(probes, schedule)) {
        Ok(outcome) => outcome,
        Err(exit) => return exit,
    };
    match outcome {
        Ok(()) => Exit::Ok,
        Err(e) => {
            error!("{e}");
            e.exit()
        }
    }
}

fn health(args: HealthArgs, timeout_given: bool) -> Exit {
    // A declared target brings its own flags: its `--timeout` counts too,
    // unless one was given to `plinth health` itself.
    let checked = match args.target {
        Some(target) => target.probes().map(|probes| (probes, args.timeout)),
        None => declared_health_target(args.declared.as_deref()).and_then(
            |(target, declared_timeout)| {
                let timeout = if timeout_given { args.timeout } else { declared_timeout };
                target.probes().map(|probes| (probes, timeout))
            },
        ),
    };
    match checked {
        // Docker reserves 2 for health commands: even an internal error is 1.
        Ok((probes, timeout)) => {
            block_on(health::check(probes, timeout)).unwrap_or(Exit::NotReady)
        }
        Err(message) => {
            health::verdict(&format!("unhealthy: {message}"));
            Exit::NotReady
        }
    }
}

/// The target written in `PLINTH_HEALTH`, parsed as if it followed
/// `plinth health` on the command line.
fn declared_health_target(
    declared: Option<&str>,
) -> Result<(HealthTarget, std::time::Duration), String> {
    let declared = declared.filter(|d| !d.trim().is_empty()).ok_or(
        "no health target: give one (plinth health http URL) or set PLINTH_HEALTH",
    )?;
    let words = shlex::split(declared).ok_or("PLINTH_HEALTH has unbalanced quotes")?;
    let argv: Vec<OsString> = ["plinth", "health"]
        .into_iter()
        .map(String::from)
        .chain(words)
        .map(Into::into)
        .collect();
    // Parsed like a command line, with the same rules for the environment
    // (empty variables count as unset; a bad one is named).
    let cli = parse_with(Cli::command(), &argv)
        .map_err(|e| format!("PLINTH_HEALTH: {}", e.render().to_string().trim()))?;
    match cli.command {
        Command::Health(HealthArgs { target: Some(target), timeout, .. }) => {
            Ok((target, timeout))
        }
        _ => {
            Err("PLINTH_HEALTH names no target (like `http http://localhost:8080/`)"
                .into())
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

/// Runs `work` on a one-thread runtime: plenty for a handful of probes,
/// and light on memory.
fn block_on<F: std::future::Future>(work: F) -> Result<F::Output, Exit> {
    match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => Ok(runtime.block_on(work)),
        Err(e) => {
            error!("cannot start the async runtime: {e}");
            Err(Exit::Internal)
        }
    }
}

//! How the environment twins of flags behave, beyond what clap does.
//!
//! - A variable set to an empty value counts as unset: Compose's
//!   `VAR: ${VAR}` passes an empty value when VAR is not defined, and that
//!   must not stop a container. The password is the exception: an empty
//!   password is a real value.
//! - clap reports a bad value by its flag even when the value came from the
//!   flag's environment twin. In a container the variable is what people
//!   set, so such messages are rewritten to name the variable too.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, Command};

/// Variables whose empty value means something.
const EMPTY_IS_A_VALUE: [&str; 1] = ["MYSQL_PASSWORD"];

/// Detaches every environment twin that is set to an empty value, in
/// `command` and all its subcommands, so the flag's default applies.
pub fn ignore_empty_variables(command: Command) -> Command {
    command
        .mut_args(|arg| {
            let empty = arg.get_env().is_some_and(|name| {
                let keep = EMPTY_IS_A_VALUE.iter().any(|k| name == *k);
                !keep && std::env::var_os(name).is_some_and(|v| v.is_empty())
            });
            if empty { arg.env(None::<&str>) } else { arg }
        })
        .mut_subcommands(ignore_empty_variables)
}

/// Returns `error`, naming the environment variable when the bad value
/// came from one rather than from the command line.
pub fn name_the_variable(
    error: clap::Error,
    root: &Command,
    argv: &[OsString],
) -> clap::Error {
    if !matches!(error.kind(), ErrorKind::InvalidValue | ErrorKind::ValueValidation) {
        return error;
    }
    let Some(ContextValue::String(shown)) = error.get(ContextKind::InvalidArg) else {
        return error;
    };
    // `--timeout <TIMEOUT>`, or `--insecure[=<INSECURE>]` for switches
    // that take an optional value: the name ends at the first other sign.
    let Some(long) = shown
        .strip_prefix("--")
        .and_then(|f| f.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).next())
    else {
        return error;
    };
    let Some(arg) = find_arg(root, argv, long) else {
        return error;
    };
    let Some(variable) = arg.get_env().map(|v| v.to_string_lossy().into_owned()) else {
        return error;
    };
    if given_on_command_line(arg, argv) {
        return error;
    }
    let message = error.to_string();
    let message = message.strip_prefix("error: ").unwrap_or(&message);
    let message = message.replacen(
        &format!("'{shown}'"),
        &format!("environment variable {variable} (--{long})"),
        1,
    );
    clap::Error::raw(error.kind(), message).with_cmd(root)
}

/// Finds the argument `--long` in the subcommand named by `argv`, or in
/// one of its parents (global flags).
fn find_arg<'a>(root: &'a Command, argv: &[OsString], long: &str) -> Option<&'a Arg> {
    let mut path = vec![root];
    for word in argv.iter().skip(1) {
        let current = path.last().expect("path starts at the root");
        if let Some(sub) = current.find_subcommand(word) {
            path.push(sub);
        }
    }
    path.iter().rev().find_map(|c| c.get_arguments().find(|a| a.get_long() == Some(long)))
}

fn given_on_command_line(arg: &Arg, argv: &[OsString]) -> bool {
    let long = arg.get_long().map(|l| format!("--{l}"));
    let short = arg.get_short().map(|s| format!("-{s}"));
    // Only plinth's own arguments: after `--` come a command's.
    argv.iter().skip(1).map(|a| a.to_string_lossy()).take_while(|a| a != "--").any(|a| {
        long.as_ref().is_some_and(|l| a == *l || a.starts_with(&format!("{l}=")))
            || short.as_ref().is_some_and(|s| a.starts_with(s.as_str()))
    })
}

//! How the environment twins of flags behave, beyond what clap does.
//!
//! - A variable set to an empty value counts as unset: Compose's
//!   `VAR: ${VAR}` passes an empty value when VAR is not defined, and that
//!   must not stop a container. The password is the exception: an empty
//!   password is a real value.
//! - clap reports a bad value by its flag even when the value came from the
//!   flag's environment twin. In a container the variable is what people
//!   set, so such messages are rewritten to name the variable too.
//! - clap quotes the bad value. For a setting whose values `--help` hides
//!   (password, headers, body, the declared health target) the quote
//!   becomes `(hidden)`, and a URL's password and query are masked, so that
//!   no secret reaches a log through a typo.

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

/// Returns `error` with its bad value masked where it may hold a secret,
/// naming the environment variable when the value came from one rather
/// than from the command line.
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
    // Positional arguments (`<URL>...`) have none.
    let long = shown
        .strip_prefix("--")
        .and_then(|f| f.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).next());
    let arg = long.and_then(|long| find_arg(root, argv, long));
    let original = error.to_string();
    let mut message = original.strip_prefix("error: ").unwrap_or(&original).to_string();
    if let Some(ContextValue::String(value)) = error.get(ContextKind::InvalidValue) {
        let masked = if arg.is_some_and(Arg::is_hide_env_values_set) {
            "(hidden)".to_string()
        } else {
            crate::net::mask_url(value)
        };
        message = message.replace(&format!("'{value}'"), &format!("'{masked}'"));
    }
    if let (Some(arg), Some(long)) = (arg, long)
        && let Some(variable) =
            arg.get_env().filter(|_| !given_on_command_line(arg, argv))
    {
        message = message.replacen(
            &format!("'{shown}'"),
            &format!("environment variable {} (--{long})", variable.to_string_lossy()),
            1,
        );
    }
    if message == original.strip_prefix("error: ").unwrap_or(&original) {
        return error;
    }
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
    let long = arg.get_long().is_some_and(|l| flag_given(argv, &format!("--{l}")));
    let short = arg
        .get_short()
        .is_some_and(|s| own_arguments(argv).any(|a| a.starts_with(&format!("-{s}"))));
    long || short
}

/// Whether `flag` (as `--flag` or `--flag=VALUE`) is among plinth's own
/// arguments.
pub fn flag_given(argv: &[OsString], flag: &str) -> bool {
    own_arguments(argv).any(|a| a == flag || a.starts_with(&format!("{flag}=")))
}

/// The arguments after the program name up to a `--`: after it come a
/// command's, which may spell the same flags.
fn own_arguments(argv: &[OsString]) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
    argv.iter().skip(1).map(|a| a.to_string_lossy()).take_while(|a| a != "--")
}

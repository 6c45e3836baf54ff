//! Commands plinth starts: how they are written on the command line, and
//! why one could not be started, said the way people can act on.
//!
//! `execve` reports a missing `#!` interpreter as "no such file", which
//! reads as if the script itself were missing; the usual cause is a start
//! script saved with Windows line endings (`#!/bin/sh\r`). When the file
//! exists, the message names the interpreter line instead, and the exit
//! code is a shell's 126 (cannot execute), not 127 (not found).

use std::ffi::{OsStr, OsString};
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use crate::exit::Exit;

/// A command and its arguments: everything after the options of `init`,
/// `su-exec` and the `cmd` targets.
#[derive(Debug, Clone, clap::Args)]
pub struct CommandLine {
    /// The command to run, and its arguments.
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "COMMAND"
    )]
    pub words: Vec<OsString>,
}

/// The exit code for a failed exec of `program`, after logging the reason
/// with `who` (`init`, `su-exec`) as the prefix.
pub fn failed(who: &str, program: &OsStr, error: &io::Error) -> Exit {
    let shown = program.to_string_lossy();
    let path = Path::new(program);
    let exists = shown.contains('/') && path.is_file();
    match (error.kind(), exists) {
        (io::ErrorKind::NotFound, true) => {
            let line = interpreter_line(path).unwrap_or_default();
            tracing::error!(
                "{who}: cannot run {shown}: its interpreter {line:?} was not found \
                 (check the #! line; a trailing \\r means Windows line endings)"
            );
            Exit::CannotExecute
        }
        (io::ErrorKind::NotFound, false) => {
            tracing::error!("{who}: cannot run {shown}: command not found");
            Exit::NotFound
        }
        _ => {
            tracing::error!("{who}: cannot run {shown}: {error}");
            Exit::CannotExecute
        }
    }
}

fn interpreter_line(path: &Path) -> Option<String> {
    let mut first = Vec::new();
    let file = std::fs::File::open(path).ok()?;
    BufReader::new(file.take(256)).read_until(b'\n', &mut first).ok()?;
    let line = String::from_utf8_lossy(&first);
    let line = line.strip_suffix('\n').unwrap_or(&line);
    line.starts_with("#!").then(|| line.to_string())
}

//! The `plinth` binary: parse the command line, run, exit with its code.

#[cfg(all(target_os = "linux", target_env = "gnu", target_feature = "crt-static"))]
mod libc_resolver;

fn main() {
    std::process::exit(plinth::cli::main());
}

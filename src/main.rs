//! The `plinth` binary: parse the command line, run, exit with its code.

fn main() {
    std::process::exit(plinth::cli::main());
}

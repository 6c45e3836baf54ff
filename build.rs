//! Build script: link the release binary without unwind tables.
//!
//! Only the release profile aborts on panic; debug builds and test
//! harnesses unwind (libtest catches a failing test's panic), so they keep
//! their tables. Cargo does not tell a build script the panic strategy,
//! hence the profile name is the switch. Only the `plinth` binary gets the
//! argument, never the test binaries.

use std::env;

fn main() {
    let script = "link/no-unwind-tables.ld";
    println!("cargo::rerun-if-changed={script}");
    let release = env::var("PROFILE").is_ok_and(|p| p == "release");
    let linux = env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    if release && linux {
        let dir = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
        println!("cargo::rustc-link-arg-bins=-Wl,-T,{dir}/{script}");
    }
}

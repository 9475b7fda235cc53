//! The `interdict` binary: wires the library crates into a command line.
fn main() {}

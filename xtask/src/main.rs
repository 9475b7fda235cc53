//! Development tasks for interdict, run with `cargo xtask <task>`.
//!
//! - `ci`: what `.ci/run` does (fmt, clippy, tests on SQLite and PostgreSQL).
//! - `fuzz [SECONDS]`: every `cargo fuzz` target in `fuzz/` for SECONDS each (default 60);
//!   needs the nightly toolchain and `cargo install cargo-fuzz`.
//! - `fuzz-targets`: list the fuzz targets.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("ci") => run(Command::new(root.join(".ci/run")).current_dir(&root)),
        Some("fuzz") => {
            let secs: u64 = match args.get(1).map(|s| s.parse()) {
                None => 60,
                Some(Ok(n)) => n,
                Some(Err(_)) => return usage("SECONDS must be a whole number"),
            };
            fuzz(&root, secs)
        }
        Some("fuzz-targets") => {
            for t in fuzz_targets(&root) {
                println!("{t}");
            }
            Ok(())
        }
        _ => return usage("unknown task"),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage(why: &str) -> ExitCode {
    eprintln!("xtask: {why}\nusage: cargo xtask ci | fuzz [SECONDS] | fuzz-targets");
    ExitCode::FAILURE
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn fuzz_targets(root: &Path) -> Vec<String> {
    let mut targets: Vec<String> = std::fs::read_dir(root.join("fuzz/fuzz_targets"))
        .map(|dir| {
            dir.filter_map(Result::ok)
                .filter_map(|e| {
                    e.path()
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                })
                .collect()
        })
        .unwrap_or_default();
    targets.sort();
    targets
}

fn fuzz(root: &Path, secs: u64) -> Result<(), String> {
    for target in fuzz_targets(root) {
        println!("xtask: fuzzing {target} for {secs} s");
        run(Command::new("cargo")
            .args([
                "+nightly",
                "fuzz",
                "run",
                &target,
                "--",
                &format!("-max_total_time={secs}"),
            ])
            .current_dir(root.join("fuzz")))?;
    }
    Ok(())
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed: {status}"))
    }
}

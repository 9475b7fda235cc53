//! The `interdict` binary: parses the command line and wires the library crates together.
//!
//! Every capability lives in a library crate (`interdict-lists`, `interdict-store`, …); the
//! commands here only open the store, call the library, and print text or JSON. Errors are
//! reported with their chain of causes, and the exit status is non-zero.

mod commands;
mod output;

use std::process::ExitCode;

use clap::Parser;

use crate::commands::Command;

/// interdict: an open-source sanctions engine.
#[derive(Debug, Parser)]
#[command(name = "interdict", version, about, long_about = None)]
struct Cli {
    /// The database: `sqlite://PATH`, a file path, or `postgres://…`. Defaults to an embedded
    /// SQLite file in the user's data directory.
    #[arg(long, global = true, env = "INTERDICT_DATABASE")]
    database: Option<String>,

    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,

    /// Log filter (e.g. `info`, `interdict_store=debug`); also `RUST_LOG`.
    #[arg(
        long,
        global = true,
        env = "INTERDICT_LOG",
        default_value = "warn,sqlx=error"
    )]
    log: String,

    #[command(subcommand)]
    command: Command,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&cli.log));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let ctx = commands::Context {
        database: cli.database,
        json: cli.json,
    };
    match runtime.block_on(cli.command.run(&ctx)) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Whether the error is stdout's reader having gone away (`interdict diff … | head`).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    let broken = |io: &std::io::Error| io.kind() == std::io::ErrorKind::BrokenPipe;
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(broken)
            || c.downcast_ref::<csv::Error>()
                .is_some_and(|e| matches!(e.kind(), csv::ErrorKind::Io(io) if broken(io)))
    })
}

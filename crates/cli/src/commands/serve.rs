//! `interdict serve`: the HTTP API (C3), and `interdict keys`: its API keys.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Args, Subcommand, ValueEnum};
use interdict_server::{AuthMode, Role, Server, ServerConfig, shutdown_signal};
use serde_json::json;

use super::{Context, default_database, redact};
use crate::output::{self, outln};

/// The allocator of the whole binary. Screening allocates many short-lived strings (name
/// forms, explanations, JSON); mimalloc serves them with less contention between the server's
/// threads than the system allocator (measured in docs/PERFORMANCE.md, "Server /match under
/// wrk"). It lives here because the server is what it was measured for; it applies to every
/// command.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How the server writes its logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Arguments of `interdict serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8000", env = "INTERDICT_LISTEN")]
    listen: SocketAddr,
    /// Accept every request as admin, without an API key. For a local demonstration only:
    /// never expose a server started with it.
    #[arg(long)]
    open: bool,
    /// Import the official lists bundled in the binary when the database holds no list
    /// (always done for the embedded default database, i.e. without `--database`).
    #[arg(long)]
    bundled: bool,
    /// Seconds between checks of the database for new list versions (a new version is
    /// indexed beside the old one and swapped in).
    #[arg(long, default_value_t = 30)]
    poll_interval: u64,
    /// Seconds between reloads of the API keys (how long a revoked key may still work).
    #[arg(long, default_value_t = 5)]
    key_reload_interval: u64,
    /// Seconds a request may take before it is answered 503.
    #[arg(long, default_value_t = 30)]
    request_timeout: u64,
    /// The largest request body accepted, in KiB.
    #[arg(long, default_value_t = 4096)]
    body_limit_kib: usize,
    /// Worker threads (default: one per core).
    #[arg(long)]
    workers: Option<usize>,
    /// Log format.
    #[arg(long, value_enum, default_value = "text", env = "INTERDICT_LOG_FORMAT")]
    log_format: LogFormat,
    /// Log filter for the server (`RUST_LOG` overrides it); e.g.
    /// `info,interdict_server::access=warn` to silence the access log.
    #[arg(long, default_value = "info,sqlx=warn", env = "INTERDICT_SERVE_LOG")]
    log_level: String,
}

/// Run the server until Ctrl-C or SIGTERM.
pub async fn serve(ctx: &Context, args: ServeArgs) -> anyhow::Result<ExitCode> {
    // With no --database: the embedded default, and the bundled lists if it is empty.
    let bundled = args.bundled || ctx.database.is_none();
    let url = match &ctx.database {
        Some(url) => url.clone(),
        None => default_database()?,
    };
    // The server runs on a runtime of its own, whose threads log through the server's
    // subscriber (format and level chosen here, not by the one-line CLI default).
    tokio::task::spawn_blocking(move || run(url, bundled, args))
        .await
        .context("the server thread failed")?
}

fn run(url: String, bundled: bool, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .or_else(|_| tracing_subscriber::EnvFilter::try_new(&args.log_level))
        .context("--log-level is not a valid filter")?;
    let dispatch: tracing::Dispatch = match args.log_format {
        LogFormat::Json => tracing_subscriber::fmt()
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .finish()
            .into(),
        LogFormat::Text => tracing_subscriber::fmt()
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .finish()
            .into(),
    };
    let _main = tracing::dispatcher::set_default(&dispatch);
    let for_workers = dispatch.clone();
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder.enable_all().on_thread_start(move || {
        // Every thread of this runtime logs through the server's subscriber for its life.
        std::mem::forget(tracing::dispatcher::set_default(&for_workers));
    });
    if let Some(n) = args.workers {
        builder.worker_threads(n.max(1));
    }
    let runtime = builder.build().context("starting the server runtime")?;
    runtime.block_on(serve_on(url, bundled, args))
}

async fn serve_on(url: String, bundled: bool, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let store = interdict_store::Store::open(&url)
        .await
        .with_context(|| format!("opening the database {}", redact(&url)))?;
    let mode = if args.open {
        AuthMode::Open
    } else {
        AuthMode::Keys
    };
    let config = ServerConfig {
        listen: args.listen,
        auth: mode,
        poll_interval: Duration::from_secs(args.poll_interval.max(1)),
        key_reload_interval: Duration::from_secs(args.key_reload_interval.max(1)),
        request_timeout: Duration::from_secs(args.request_timeout.max(1)),
        body_limit: args.body_limit_kib.max(1) * 1024,
        ..ServerConfig::default()
    };
    let server = Server::bind(config, store.clone())
        .await
        .with_context(|| format!("starting the server on {}", args.listen))?;
    let addr = server.local_addr()?;
    if args.open {
        eprintln!(
            "\n  !!! OPEN MODE: every request is served as admin, without an API key.\n  \
             !!! For a local demonstration only. Never expose this server.\n"
        );
    }
    eprintln!(
        "interdict serving http://{addr} on {} (API explorer: http://{addr}/docs, readiness: /readyz)",
        redact(&url)
    );
    let state = server.state().clone();
    let prepare = async move {
        if bundled {
            let imported = interdict_server::bundle::import_bundled_if_empty(state.store())
                .await
                .map_err(|e| format!("importing the bundled lists: {e}"))?;
            if imported && mode == AuthMode::Keys && state.keys().is_empty() {
                // A fresh machine: give the operator a first key, shown once.
                let (record, key) =
                    interdict_server::auth::create_key(state.store(), "first key", Role::Screening)
                        .await
                        .map_err(|e| format!("creating the first API key: {e}"))?;
                state
                    .keys()
                    .reload(state.store())
                    .await
                    .map_err(|e| format!("loading the API keys: {e}"))?;
                eprintln!(
                    "\n  Created a first API key (id {}, role screening); it is shown only now:\n\n    {key}\n\n  \
                     Send it as `Authorization: ApiKey <key>`. More keys: `interdict keys create --role …`.\n",
                    record.id
                );
            }
        }
        Ok(())
    };
    server.run(prepare, shutdown_signal()).await?;
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `interdict keys`.
#[derive(Debug, Args)]
pub struct KeysArgs {
    #[command(subcommand)]
    command: KeysCommand,
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Create a key and print it once (only its hash is stored).
    Create {
        /// What the key is for.
        #[arg(long, default_value = "api key")]
        name: String,
        /// screening, analyst, approver or admin.
        #[arg(long, value_parser = parse_role, default_value = "screening")]
        role: Role,
    },
    /// Every key: id, name, role, prefix, created, revoked.
    List,
    /// Revoke a key by id (the server stops accepting it within its reload interval).
    Revoke {
        /// The key's id, as `keys list` shows it.
        id: i64,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
}

/// Run `interdict keys …`.
pub async fn keys(ctx: &Context, args: KeysArgs) -> anyhow::Result<ExitCode> {
    let store = ctx.store().await?;
    match args.command {
        KeysCommand::Create { name, role } => {
            let (record, key) = interdict_server::auth::create_key(&store, &name, role)
                .await
                .context("creating the key")?;
            if ctx.json {
                output::json(&json!({ "key": key, "record": record }))?;
            } else {
                outln!("{key}")?;
                eprintln!(
                    "created key {} ({}, role {}); it is shown only now: store it safely",
                    record.id, record.prefix, record.role
                );
            }
        }
        KeysCommand::List => {
            let keys = store.api_keys().await?;
            if ctx.json {
                output::json(&keys)?;
            } else {
                let rows: Vec<Vec<String>> = keys
                    .iter()
                    .map(|k| {
                        vec![
                            k.id.to_string(),
                            k.name.clone(),
                            k.role.clone(),
                            format!("{}…", k.prefix),
                            k.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                            k.revoked_at
                                .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                                .unwrap_or_else(|| "-".into()),
                        ]
                    })
                    .collect();
                output::table(
                    &["id", "name", "role", "prefix", "created", "revoked"],
                    &rows,
                )?;
            }
        }
        KeysCommand::Revoke { id } => {
            let Some(key) = store.revoke_api_key(id).await? else {
                anyhow::bail!("no API key {id}");
            };
            if ctx.json {
                output::json(&key)?;
            } else {
                outln!(
                    "revoked key {} ({}, {}) at {}",
                    key.id,
                    key.prefix,
                    key.name,
                    key.revoked_at.map(|t| t.to_rfc3339()).unwrap_or_default()
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

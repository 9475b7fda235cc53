//! `interdict sync`: fetch the configured official lists and import what changed.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use interdict_sync::{Sources, SyncOutcome, Syncer};
use serde_json::json;

use super::Context;
use crate::output;

/// Arguments of `interdict sync`.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// A sources file (TOML) instead of the built-in official URLs.
    #[arg(long)]
    sources: Option<PathBuf>,
    /// Only these datasets.
    #[arg(long = "dataset")]
    datasets: Vec<String>,
    /// Give up on a download after this many seconds.
    #[arg(long, default_value_t = 300)]
    timeout: u64,
}

pub async fn sync(ctx: &Context, args: SyncArgs) -> anyhow::Result<ExitCode> {
    let mut sources = match &args.sources {
        Some(p) => Sources::load(p)?,
        None => Sources::official(),
    };
    if !args.datasets.is_empty() {
        sources
            .sources
            .retain(|s| args.datasets.contains(&s.dataset));
    }
    let store = ctx.store().await?;
    let reports = Syncer::new(std::time::Duration::from_secs(args.timeout))
        .sync_all(&store, &sources)
        .await;
    let mut failed = false;
    let mut rows = Vec::new();
    for r in &reports {
        let (status, detail) = match &r.outcome {
            SyncOutcome::Disabled => ("disabled", String::new()),
            SyncOutcome::NotModified => ("not modified", String::new()),
            SyncOutcome::Imported {
                version,
                created: true,
            } => (
                "imported",
                format!("version {} ({} entities)", version.id, version.entity_count),
            ),
            SyncOutcome::Imported {
                version,
                created: false,
            } => (
                "unchanged",
                format!("same content as version {}", version.id),
            ),
            SyncOutcome::Failed(e) => {
                failed = true;
                (
                    "failed",
                    format!("{e}; the last good version keeps serving"),
                )
            }
        };
        rows.push((r.dataset.clone(), status, detail));
    }
    if ctx.json {
        let out: Vec<_> = rows
            .iter()
            .map(|(d, s, m)| json!({ "dataset": d, "status": s, "detail": m }))
            .collect();
        output::json(&out)?;
    } else {
        let rows: Vec<Vec<String>> = rows
            .into_iter()
            .map(|(d, s, m)| vec![d, s.to_string(), m])
            .collect();
        output::table(&["dataset", "status", "detail"], &rows)?;
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

//! `import`, `lists`, `diff`, `show`, `history`, `export`: the lists capability (C1).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use futures_util::StreamExt;
use interdict_lists::Format;
use interdict_model::{EntityChange, PropertyType};
use serde_json::json;

use super::Context;
use crate::output::{self, outln};

/// Arguments of `interdict import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The format: ofac-csv, ofac-xml, ofac-advanced-xml, un-xml, eu-fsf-xml, uk-conlist, ftm.
    #[arg(value_parser = parse_format)]
    format: Format,
    /// The files, or a directory holding an OFAC CSV set.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The dataset name for FtM files (default `opensanctions`).
    #[arg(long)]
    dataset: Option<String>,
    /// The publication date (YYYY-MM-DD), for files that do not state one (the OFAC CSVs) or
    /// to correct one. As-of queries use it.
    #[arg(long)]
    published: Option<NaiveDate>,
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        format!("unknown format {s:?}; expected one of {}", names.join(", "))
    })
}

pub async fn import(ctx: &Context, args: ImportArgs) -> anyhow::Result<ExitCode> {
    if args.dataset.is_some() && args.format != Format::Ftm {
        bail!("--dataset applies to ftm files only; the other formats name their dataset");
    }
    let store = ctx.store().await?;
    let outcome = interdict_sync::import_files_with(
        &store,
        args.format,
        &args.paths,
        args.dataset.as_deref(),
        args.published,
    )
    .await
    .context("import failed; the database is unchanged")?;
    let v = &outcome.version;
    if ctx.json {
        output::json(&json!({ "created": outcome.created, "version": v }))?;
    } else if outcome.created {
        outln!(
            "imported {} version {}: {} entities{}",
            v.dataset,
            v.id,
            v.entity_count,
            v.published
                .map(|d| format!(", published {d}"))
                .unwrap_or_default()
        )?;
    } else {
        outln!(
            "already imported: {} version {} has the same input (sha256 {})",
            v.dataset,
            v.id,
            &v.sha256[..12]
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `interdict lists`.
#[derive(Debug, Args)]
pub struct ListsArgs {
    /// Only this dataset.
    #[arg(long)]
    dataset: Option<String>,
}

pub async fn lists(ctx: &Context, args: ListsArgs) -> anyhow::Result<ExitCode> {
    let store = ctx.store().await?;
    let mut versions = store.versions().await?;
    if let Some(d) = &args.dataset {
        versions.retain(|v| &v.dataset == d);
    }
    if ctx.json {
        output::json(&versions)?;
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<Vec<String>> = versions
        .iter()
        .map(|v| {
            vec![
                v.id.to_string(),
                v.dataset.clone(),
                v.format.clone(),
                v.published
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "-".into()),
                v.imported_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                v.entity_count.to_string(),
                v.sha256.chars().take(12).collect(),
            ]
        })
        .collect();
    output::table(
        &[
            "id",
            "dataset",
            "format",
            "published",
            "imported",
            "entities",
            "sha256",
        ],
        &rows,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `interdict diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older version id.
    old: i64,
    /// The newer version id.
    new: i64,
    /// Only main entities (people, organisations, vessels, aircraft), not their addresses,
    /// sanctions and documents.
    #[arg(long)]
    main_only: bool,
}

pub async fn diff(ctx: &Context, args: DiffArgs) -> anyhow::Result<ExitCode> {
    let store = ctx.store().await?;
    let mut changes = store.diff(args.old, args.new).await?;
    if args.main_only {
        changes.retain(|c| schema_of(c).is_matchable());
    }
    if ctx.json {
        output::json(&changes)?;
        return Ok(ExitCode::SUCCESS);
    }
    let count = |f: fn(&EntityChange) -> bool| changes.iter().filter(|c| f(c)).count();
    outln!(
        "{} added, {} removed, {} changed",
        count(|c| matches!(c, EntityChange::Added { .. })),
        count(|c| matches!(c, EntityChange::Removed { .. })),
        count(|c| matches!(c, EntityChange::Changed { .. }))
    )?;
    for c in &changes {
        print_change(c)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn schema_of(c: &EntityChange) -> interdict_model::Schema {
    match c {
        EntityChange::Added { schema, .. }
        | EntityChange::Removed { schema, .. }
        | EntityChange::Changed { schema, .. } => *schema,
    }
}

fn print_change(c: &EntityChange) -> std::io::Result<()> {
    match c {
        EntityChange::Added {
            id,
            schema,
            caption,
        } => outln!("+ {id} {schema} {caption}")?,
        EntityChange::Removed {
            id,
            schema,
            caption,
        } => outln!("- {id} {schema} {caption}")?,
        EntityChange::Changed {
            id,
            schema,
            caption,
            old_schema,
            properties,
        } => {
            outln!("~ {id} {schema} {caption}")?;
            if let Some(old) = old_schema {
                outln!("    schema: {old} -> {schema}")?;
            }
            for p in properties {
                for v in &p.removed {
                    outln!("    {}: - {v}", p.property)?;
                }
                for v in &p.added {
                    outln!("    {}: + {v}", p.property)?;
                }
            }
        }
    }
    Ok(())
}

/// Arguments of `interdict show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The entity id (`ofac-9760`).
    id: String,
    /// Show the entity as the lists held it on this date.
    #[arg(long)]
    as_of: Option<NaiveDate>,
}

pub async fn show(ctx: &Context, args: ShowArgs) -> anyhow::Result<ExitCode> {
    let store = ctx.store().await?;
    let Some(found) = store.entity(&args.id, args.as_of).await? else {
        match args.as_of {
            Some(d) => bail!("no entity {} on the lists as of {d}", args.id),
            None => bail!("no entity {} on the current lists", args.id),
        }
    };
    let related = store.referencing(&args.id, args.as_of).await?;
    if ctx.json {
        output::json(&json!({
            "entity": found.entity,
            "dataset": found.dataset,
            "version_id": found.version_id,
            "first_seen": found.first_seen,
            "last_seen": found.last_seen,
            "last_change": found.last_change,
            "referenced_by": related,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    let e = &found.entity;
    outln!("{} [{}] {}", e.id, e.schema, e.caption())?;
    outln!(
        "dataset {} (version {}), first seen {}, last seen {}, last changed {}",
        found.dataset,
        found.version_id,
        found.first_seen,
        found.last_seen,
        found.last_change
    )?;
    for (prop, values) in &e.properties {
        for v in values {
            match &v.origin {
                Some(o) => outln!("  {prop}: {}    ({o})", v.value)?,
                None => outln!("  {prop}: {}", v.value)?,
            }
        }
    }
    for r in &related {
        let r = &r.entity;
        let summary: Vec<String> = r
            .properties
            .iter()
            .filter(|(p, _)| r.schema.property_type(p) != Some(PropertyType::Entity))
            .map(|(p, vs)| {
                format!(
                    "{p}={}",
                    vs.iter()
                        .map(|v| v.value.as_str())
                        .collect::<Vec<_>>()
                        .join("|")
                )
            })
            .collect();
        outln!("  <- {} {}: {}", r.schema, r.id, summary.join("; "))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `interdict history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The entity id.
    id: String,
}

pub async fn history(ctx: &Context, args: HistoryArgs) -> anyhow::Result<ExitCode> {
    let store = ctx.store().await?;
    let entries = store.history(&args.id).await?;
    if entries.is_empty() {
        bail!("no version of any list holds {}", args.id);
    }
    if ctx.json {
        output::json(&entries)?;
        return Ok(ExitCode::SUCCESS);
    }
    for h in &entries {
        let v = &h.version;
        let head = format!("version {} {} {}:", v.id, v.dataset, v.effective_date());
        match &h.change {
            None => outln!("{head} unchanged")?,
            Some(EntityChange::Added { caption, .. }) => outln!("{head} added ({caption})")?,
            Some(EntityChange::Removed { .. }) => outln!("{head} removed")?,
            Some(c @ EntityChange::Changed { .. }) => {
                outln!("{head} changed")?;
                print_change(c)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Export formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// FollowTheMoney JSON lines, the form OpenSanctions and yente exchange.
    Ftm,
    /// One row per main entity: id, schema, name, aliases, birth dates, countries, identifiers,
    /// programmes, dataset.
    Csv,
}

/// Arguments of `interdict export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The output format.
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// Only this dataset.
    #[arg(long)]
    dataset: Option<String>,
    /// The lists as they stood on this date (default: current).
    #[arg(long)]
    as_of: Option<NaiveDate>,
    /// Write to this file instead of stdout.
    #[arg(long, short)]
    out: Option<PathBuf>,
}

pub async fn export(ctx: &Context, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let store = ctx.store().await?;
    let sink: Box<dyn Write> = match &args.out {
        Some(p) => {
            Box::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let sink = std::io::BufWriter::new(sink);
    let mut stream = match args.as_of {
        Some(d) => store.entities_as_of(d).await?,
        None => store.current_entities().await?,
    };
    enum Out {
        Ftm(std::io::BufWriter<Box<dyn Write>>),
        Csv(Box<csv::Writer<std::io::BufWriter<Box<dyn Write>>>>),
    }
    let mut out = match args.format {
        ExportFormat::Ftm => Out::Ftm(sink),
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(sink);
            w.write_record(CSV_HEADER)?;
            Out::Csv(Box::new(w))
        }
    };
    let mut count = 0u64;
    while let Some(item) = stream.next().await {
        let item = item?;
        if args.dataset.as_ref().is_some_and(|d| d != &item.dataset) {
            continue;
        }
        let e = &item.entity;
        match &mut out {
            Out::Ftm(sink) => {
                let mut obj = e.to_ftm();
                obj["datasets"] = json!([item.dataset]);
                serde_json::to_writer(&mut *sink, &obj)?;
                sink.write_all(b"\n")?;
            }
            Out::Csv(w) => {
                if !e.schema.is_matchable() {
                    continue;
                }
                w.write_record(csv_row(e, &item.dataset))?;
            }
        }
        count += 1;
    }
    match &mut out {
        Out::Ftm(sink) => sink.flush()?,
        Out::Csv(w) => w.flush()?,
    }
    if args.out.is_some() {
        eprintln!("exported {count} entities");
    }
    Ok(ExitCode::SUCCESS)
}

const CSV_HEADER: [&str; 10] = [
    "id",
    "schema",
    "name",
    "aliases",
    "birth_date",
    "countries",
    "identifiers",
    "programs",
    "addresses",
    "dataset",
];

fn csv_row(e: &interdict_model::Entity, dataset: &str) -> Vec<String> {
    let join = |props: &[&str]| {
        let mut vals: Vec<&str> = props.iter().flat_map(|p| e.values(p)).collect();
        vals.dedup();
        vals.join(";")
    };
    let identifiers: Vec<&str> = e
        .values_of_type(PropertyType::Identifier)
        .map(|(_, v)| v)
        .collect();
    vec![
        e.id.clone(),
        e.schema.name().to_string(),
        e.caption().to_string(),
        join(&["alias", "weakAlias", "previousName"]),
        join(&["birthDate", "incorporationDate", "buildDate"]),
        join(&[
            "country",
            "nationality",
            "citizenship",
            "jurisdiction",
            "flag",
        ]),
        identifiers.join(";"),
        join(&["program"]),
        join(&["address"]),
        dataset.to_string(),
    ]
}

//! `interdict ownership` and `interdict import holdings-csv`: ownership and control (C4).
//!
//! `import holdings-csv` reads a registry CSV (`owner,asset,percentage,start_date,end_date`,
//! optionally `type` and `source`), resolves owners and assets with
//! `interdict_ownership::registry` (ids; exact names of exactly one non-person party;
//! ambiguous, person and near-miss names refused; unknown names create a party, reported),
//! and imports the rows as FtM `Ownership` entities plus the created parties as **one full
//! version** of the registry dataset: the file is the whole registry, so a row left out of the
//! next file is a holding that ended (history keeps the old version), and re-importing the
//! same file is a no-op. Any error (parse or resolution) is shown with file, line, column and
//! reason, and nothing is written.
//!
//! `ownership <id>` answers from an ownership view of the store (no screening index is built):
//! the current lists, or with `--as-of` the lists as they stood on that day, registries at
//! their latest version (their holdings carry their own dates).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use futures_util::StreamExt;
use interdict_model::{ImportMode, ListRecord};
use interdict_ownership::registry::{Directory, Resolution, build_registry};
use interdict_ownership::{Effect, Jurisdiction, Meets, Scope, Status, holdings_csv};
use interdict_snapshot::ownership::REGISTRY_FORMAT;
use interdict_snapshot::{OwnershipReport, OwnershipView, View};
use interdict_store::NewVersion;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::{Context, lists};
use crate::output::{self, outln};

/// `interdict import`: list files in their official formats, or a registry's holdings CSV.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ImportCommand {
    #[command(subcommand)]
    registry: Option<ImportRegistry>,
    #[command(flatten)]
    list: Option<lists::ImportArgs>,
}

/// Imports that are not official list files.
#[derive(Debug, Subcommand)]
enum ImportRegistry {
    /// A registry's holdings CSV (columns owner, asset, percentage, start_date, end_date;
    /// optionally type, source), as one full version of the registry dataset.
    ///
    /// The file is the whole registry: a row left out of the next file is a holding that
    /// ended (the old version stays in the history); the same file again changes nothing.
    /// `type` marks control rows (`control: board majority`, `control: voting rights`,
    /// `control: de facto`). Owners and assets are entity ids or names. A name resolves only
    /// when it is, after case and punctuation, the name or alias of exactly one organisation
    /// or company; a person's name, a name of several parties, or a near miss (`OAO Naftan`
    /// for `NAFTAN OAO`) is an error that names the candidates, because a guess could block
    /// the wrong company or miss a block. Any other name creates a company in the registry,
    /// and the import says so. Errors give file, line, column and reason; nothing is written
    /// unless the whole file is good.
    #[command(name = "holdings-csv")]
    HoldingsCsv(HoldingsArgs),
}

/// Arguments of `interdict import holdings-csv`.
#[derive(Debug, Args)]
pub struct HoldingsArgs {
    /// The CSV file: the whole registry (rows left out are holdings that ended).
    file: PathBuf,
    /// The registry dataset to import into.
    #[arg(long, default_value = "registry")]
    dataset: String,
}

impl ImportCommand {
    /// Run the import asked for.
    pub async fn run(self, ctx: &Context) -> anyhow::Result<ExitCode> {
        match (self.registry, self.list) {
            (Some(ImportRegistry::HoldingsCsv(a)), _) => import_holdings(ctx, a).await,
            (None, Some(l)) => lists::import(ctx, l).await,
            (None, None) => bail!("name a format and files, or `holdings-csv <file>`"),
        }
    }
}

/// Import a holdings CSV as a version of the registry dataset.
async fn import_holdings(ctx: &Context, args: HoldingsArgs) -> anyhow::Result<ExitCode> {
    if interdict_snapshot::ownership::list_dataset(&args.dataset).is_some() {
        bail!(
            "{} is an official list's dataset; a registry needs its own name (e.g. registry)",
            args.dataset
        );
    }
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let file = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| args.file.display().to_string());
    let parsed = holdings_csv::parse(&file, bytes.as_slice());
    let store = ctx.store().await?;
    if !parsed.errors.is_empty() {
        return refuse(ctx, &parsed.errors);
    }
    let mut directory = Directory::new();
    let mut current = store.current_entities().await?;
    while let Some(e) = current.next().await {
        let e = e?;
        directory.add(&e.dataset, &e.entity);
    }
    drop(current);
    let (entities, resolutions) = match build_registry(&parsed, &directory, &args.dataset) {
        Ok(built) => built,
        Err(errors) => return refuse(ctx, &errors),
    };
    let holdings = entities
        .iter()
        .filter(|e| e.schema.name() == "Ownership")
        .count();
    let draft = NewVersion {
        dataset: args.dataset.clone(),
        format: REGISTRY_FORMAT.into(),
        mode: ImportMode::Full,
        published: None,
        sha256: hex(&Sha256::digest(&bytes)),
        files: vec![file.clone()],
    };
    let records = entities
        .into_iter()
        .map(|e| Ok::<_, std::convert::Infallible>(ListRecord::Entity(e)));
    let outcome = store
        .import(draft, records)
        .await
        .context("import failed; the database is unchanged")?;
    let v = &outcome.version;
    if ctx.json {
        output::json(&json!({
            "created": outcome.created,
            "version": v,
            "holdings": holdings,
            "resolutions": resolutions,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    if !outcome.created {
        outln!(
            "already imported: {} version {} has the same input (sha256 {})",
            v.dataset,
            v.id,
            &v.sha256[..12.min(v.sha256.len())]
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "imported {} version {} from {file}: {holdings} holdings and control relations, {} entities",
        v.dataset,
        v.id,
        v.entity_count
    )?;
    for r in &resolutions {
        match r {
            Resolution::Name { text, party } => outln!(
                "  resolved by name: {text:?} = {} ({}, {})",
                party.id,
                party.name,
                party.dataset
            )?,
            Resolution::Created { text, party } => outln!(
                "  created {} {} for {text:?}: no party of that name in the lists or registries",
                party.schema,
                party.id
            )?,
            Resolution::Id { .. } => {}
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Show every error and fail without writing.
fn refuse(ctx: &Context, errors: &[holdings_csv::CsvError]) -> anyhow::Result<ExitCode> {
    if ctx.json {
        output::json(&json!({ "errors": errors }))?;
    }
    for e in errors {
        eprintln!("{e}");
    }
    eprintln!(
        "error: {} problem{} in the holdings file; nothing was imported",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    );
    Ok(ExitCode::FAILURE)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Arguments of `interdict ownership`.
#[derive(Debug, Args)]
pub struct OwnershipArgs {
    /// The entity id (`ofac-12860`, `registry-naftan-trading-llc`).
    id: String,
    /// The day asked about: the lists as they stood then, the holdings in force then, the
    /// rule in force then. Default: today, on the current lists.
    #[arg(long)]
    as_of: Option<NaiveDate>,
    /// us (OFAC 50 % rule) or eu (EU ownership-or-control test).
    #[arg(long, value_parser = parse_jurisdiction)]
    jurisdiction: Jurisdiction,
    /// Only listings under this programme count (repeatable), e.g. BELARUS.
    #[arg(long = "programme", alias = "program")]
    programmes: Vec<String>,
}

fn parse_jurisdiction(s: &str) -> Result<Jurisdiction, String> {
    s.parse()
        .map_err(|e: interdict_ownership::UnknownJurisdiction| e.to_string())
}

/// `interdict ownership <id>`: status and proof.
pub async fn ownership(ctx: &Context, args: OwnershipArgs) -> anyhow::Result<ExitCode> {
    let store = ctx.store().await?;
    let view = args.as_of.map_or(View::Current, View::AsOf);
    let ov = OwnershipView::build(&store, view, None)
        .await
        .context("reading the lists and registries")?;
    let mut scope = Scope::new(args.jurisdiction, args.as_of.unwrap_or(ov.as_of()));
    if !args.programmes.is_empty() {
        scope = scope.programmes(args.programmes.iter().cloned());
    }
    if !ov.knows(&args.id) {
        bail!(
            "no entity {} in the lists or registries {}",
            args.id,
            match args.as_of {
                Some(d) => format!("as they stood on {d}"),
                None => "now".into(),
            }
        );
    }
    let report = ov
        .report(&args.id, &scope)
        .with_context(|| format!("explaining {}", args.id))?;
    if ctx.json {
        output::json(&report)?;
    } else {
        print_report(&report)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The report as text: status, sentence, paths, aggregation, listed owners, rule, notes.
fn print_report(r: &OwnershipReport) -> anyhow::Result<()> {
    let p = &r.proof;
    outln!(
        "{} ({}) — {} as of {}{}",
        r.name.as_deref().unwrap_or(&r.entity),
        r.entity,
        r.jurisdiction,
        r.as_of,
        r.programme
            .as_ref()
            .map(|p| format!(", programme {p}"))
            .unwrap_or_default()
    )?;
    let effect = match r.effect {
        Effect::Blocked => "blocked",
        Effect::Review => "review",
        Effect::Clear => "clear",
    };
    outln!("status: {} ({effect})", r.status_text)?;
    outln!("rule:   {} — {} ({})", p.rule.name, p.test, p.rule.basis)?;
    outln!("{}", r.sentence)?;
    if !p.paths.is_empty() {
        outln!("paths:")?;
        for path in &p.paths {
            outln!("  {}", path.render())?;
        }
        if p.paths_truncated {
            outln!("  … more paths than shown")?;
        }
    }
    let steps: Vec<_> = p.steps.iter().filter(|s| !s.owners.is_empty()).collect();
    if !steps.is_empty() {
        outln!("aggregation:")?;
        for s in steps {
            let parts: Vec<String> = s
                .owners
                .iter()
                .map(|o| format!("{} {}", o.owner.label(), o.share))
                .collect();
            let meets = match s.meets {
                Meets::Definitely => "meets the threshold",
                Meets::Possibly => "may meet the threshold (upper bound only)",
                Meets::No => "short of the threshold",
            };
            outln!(
                "  {}: {} = {} — {meets}",
                s.entity.label(),
                parts.join(" + "),
                s.total
            )?;
        }
    }
    if !p.listed_owners.is_empty() {
        outln!("listed owners:")?;
        for o in &p.listed_owners {
            let programmes: Vec<String> = o
                .listings
                .iter()
                .map(|l| match l.from {
                    Some(f) => format!("{} since {f}", l.programme),
                    None => l.programme.clone(),
                })
                .collect();
            outln!(
                "  {} ({}): {} {}",
                o.party.label(),
                o.party.id,
                r.jurisdiction,
                programmes.join(", ")
            )?;
        }
    }
    if r.status == Status::Listed || !r.list_entries.is_empty() {
        for e in &r.list_entries {
            outln!(
                "listed: {} {}{}{}",
                e.dataset,
                e.programme,
                e.from.map(|f| format!(" since {f}")).unwrap_or_default(),
                if e.blocking { "" } else { " (not blocking)" }
            )?;
        }
    }
    for n in &p.notes {
        outln!("note: {n}")?;
    }
    for g in &r.gaps {
        outln!("warning: {g}")?;
    }
    let versions: Vec<String> = r
        .versions
        .iter()
        .map(|v| format!("{}@{} ({})", v.dataset, v.id, v.effective_date))
        .collect();
    outln!(
        "view: {} — {}",
        r.view,
        if versions.is_empty() {
            "no list versions".to_string()
        } else {
            versions.join(", ")
        }
    )?;
    Ok(())
}

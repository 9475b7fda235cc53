//! `interdict decide`: decide dealings (payments, trade declarations, securities orders,
//! travel applications) as of their dates, and replay a recorded decision (C5).
//!
//! The input is read by `interdict-dealings` (pacs.008, MT103 or JSON, sniffed or named with
//! `--format`), the lists of the dealing's date and the specific licences by the store, the
//! programmes from the bundled files (or `--programmes DIR`); `interdict-rules` decides. Text
//! output is the decision memo; `--json` the whole decision, which `--replay` takes back.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{Args, ValueEnum};
use interdict_dealings::{AsOf, InputFormat, Perspective, Tz};
use interdict_decide::{DecideRequest, Decider, licences, prepare};
use interdict_rules::{Decision, DecisionInput, Engine, ListView, OwnershipData, Programmes};

use super::Context;
use crate::output::{self, outln};

/// Whose law to apply.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PerspectiveArg {
    /// A US person (OFAC).
    Us,
    /// An EU operator.
    Eu,
    /// A UK person.
    Uk,
}

impl From<PerspectiveArg> for Perspective {
    fn from(p: PerspectiveArg) -> Perspective {
        match p {
            PerspectiveArg::Us => Perspective::Us,
            PerspectiveArg::Eu => Perspective::Eu,
            PerspectiveArg::Uk => Perspective::Uk,
        }
    }
}

/// Arguments of `interdict decide`.
#[derive(Debug, Args)]
pub struct DecideArgs {
    /// The dealings: pacs.008 XML, MT103 or JSON files (one decision per dealing; a pacs.008
    /// with several transactions gives one per transaction).
    #[arg(required_unless_present = "replay")]
    files: Vec<PathBuf>,
    /// Decide as of this date-time instead of the dealing's own
    /// (`2021-06-03T00:02:00[America/New_York]`, or without a zone together with `--zone`).
    #[arg(long)]
    as_of: Option<String>,
    /// The zone of date-times written without one, in the input and in `--as-of`
    /// (`Europe/Vilnius`).
    #[arg(long)]
    zone: Option<String>,
    /// Whose law to apply; defaults to the dealing's own `perspective`.
    #[arg(long, value_enum)]
    perspective: Option<PerspectiveArg>,
    /// The input format, when it cannot be told from the first bytes: pacs008, mt103, json.
    #[arg(long)]
    format: Option<String>,
    /// Ownership data for this decision from a holdings CSV (`owner,asset,percentage,…`),
    /// instead of the registries imported with `interdict import holdings-csv`.
    #[arg(long)]
    holdings: Option<PathBuf>,
    /// Programme files to apply instead of the bundled ones (a directory of `*.toml`).
    #[arg(long, env = "INTERDICT_PROGRAMMES")]
    programmes: Option<PathBuf>,
    /// Take a decision recorded with `--json` again from the versions it records, and say
    /// whether the result is identical.
    #[arg(long, conflicts_with_all = ["files", "as_of", "perspective", "holdings"])]
    replay: Option<PathBuf>,
}

/// The programmes to apply: the bundled files or a directory.
pub fn load_programmes(dir: Option<&PathBuf>) -> anyhow::Result<Programmes> {
    let loaded = match dir {
        Some(d) => Programmes::load_dir(d),
        None => Programmes::bundled(),
    };
    loaded.map_err(|e| anyhow::anyhow!("{e}"))
}

pub async fn decide(ctx: &Context, args: DecideArgs) -> anyhow::Result<ExitCode> {
    let programmes = load_programmes(args.programmes.as_ref())?;
    let decider = Decider::new(Engine::new(programmes).context("preparing the decision engine")?);
    let store = ctx.store().await?;
    if let Some(path) = &args.replay {
        return replay(ctx, &decider, &store, path).await;
    }
    let zone: Option<Tz> = match &args.zone {
        Some(z) => Some(z.parse().map_err(|_| {
            anyhow::anyhow!("--zone {z:?} is not an IANA time zone (e.g. America/New_York)")
        })?),
        None => None,
    };
    let as_of = match &args.as_of {
        Some(s) => Some(AsOf::parse(s, zone).map_err(|e| anyhow::anyhow!("--as-of: {e}"))?),
        None => None,
    };
    let hint = match &args.format {
        Some(f) => Some(
            InputFormat::from_name(f)
                .with_context(|| format!("--format {f:?}: expected pacs008, mt103 or json"))?,
        ),
        None => None,
    };
    let holdings = match &args.holdings {
        Some(p) => Some(std::fs::read(p).with_context(|| format!("reading {}", p.display()))?),
        None => None,
    };
    let mut decisions: Vec<Decision> = Vec::new();
    for file in &args.files {
        let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        let dealings = interdict_dealings::read_all(&bytes, hint, zone)
            .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        for dealing in dealings {
            let request = DecideRequest {
                dealing,
                perspective: args.perspective.map(Into::into),
                as_of,
            };
            let decision = match &holdings {
                None => decider.decide(&store, request).await?,
                Some(bytes) => {
                    let name = args
                        .holdings
                        .as_ref()
                        .and_then(|p| p.file_name())
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    with_holdings(&decider, &store, request, &name, bytes).await?
                }
            };
            decisions.push(decision);
        }
    }
    if ctx.json {
        if decisions.len() == 1 {
            output::json(&decisions[0])?;
        } else {
            output::json(&decisions)?;
        }
    } else {
        for (i, d) in decisions.iter().enumerate() {
            if i > 0 {
                outln!("\n{}\n", "=".repeat(96))?;
            }
            outln!("{d}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Decide with ownership data from a holdings file: cells naming an entity of the lists (by
/// id, or by a name it lists) become that entity; other names become parties of their own.
async fn with_holdings(
    decider: &Decider,
    store: &interdict_store::Store,
    request: DecideRequest,
    name: &str,
    bytes: &[u8],
) -> anyhow::Result<Decision> {
    let (dealing, perspective, notes) = prepare(request)?;
    let lists = decider
        .lists(store, dealing.as_of.local_date(), perspective)
        .await?;
    let index = &lists.index;
    let ownership = OwnershipData::from_holdings_csv(name, bytes, |cell| {
        let cell = cell.trim();
        if index.contains(cell) {
            return (
                cell.to_string(),
                index.entity(cell).map(|e| e.caption().to_string()),
            );
        }
        let query =
            interdict_matching::Query::new(interdict_model::Schema::named("LegalEntity"), cell);
        let best = index
            .search(&query, &interdict_matching::Options::with_cutoff(1, 0.97))
            .into_iter()
            .next();
        match best {
            Some(m) => (m.entity_id, Some(m.caption)),
            None => (
                format!("holding-{}", interdict_model::id::slug(cell)),
                Some(cell.to_string()),
            ),
        }
    })
    .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let licences = licences(store).await?;
    Ok(decider.engine().decide(DecisionInput {
        dealing: &dealing,
        perspective,
        input_notes: &notes,
        lists: ListView {
            index: &lists.index,
            versions: &lists.versions,
        },
        ownership: Some(&ownership),
        licences: &licences,
    }))
}

async fn replay(
    ctx: &Context,
    decider: &Decider,
    store: &interdict_store::Store,
    path: &PathBuf,
) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let recorded: Decision = serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not a decision written by `interdict decide --json`",
            path.display()
        )
    })?;
    let (again, warnings) = decider.replay(store, &recorded).await?;
    let identical = again.canonical_json() == recorded.canonical_json();
    if ctx.json {
        output::json(&serde_json::json!({
            "identical": identical,
            "warnings": warnings,
            "outcome": again.outcome,
            "recorded_outcome": recorded.outcome,
            "decision": again,
        }))?;
    } else {
        for w in &warnings {
            outln!("warning: {w}")?;
        }
        if identical {
            outln!(
                "replayed {}: identical decision ({}), from {} list version(s) and {} programme file(s)",
                recorded.reference,
                again.outcome,
                recorded.basis.lists.len(),
                recorded.basis.programmes.len()
            )?;
        } else {
            outln!(
                "replayed {}: the decision differs (recorded {}, now {})",
                recorded.reference,
                recorded.outcome,
                again.outcome
            )?;
            outln!("{again}")?;
        }
    }
    if !identical {
        bail!("the replayed decision differs from the recorded one");
    }
    Ok(ExitCode::SUCCESS)
}

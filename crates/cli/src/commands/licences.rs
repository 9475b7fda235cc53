//! `interdict licences create|list|revoke`: the specific licences decisions apply (C5).

use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{Args, Subcommand};
use interdict_decide::{create_licence, from_stored};
use interdict_rules::{Jurisdiction, Moment, SpecificLicence};

use super::Context;
use crate::output::{self, outln};

/// Arguments of `interdict licences`.
#[derive(Debug, Args)]
pub struct LicencesArgs {
    #[command(subcommand)]
    command: LicencesCommand,
}

// The arguments of `create` are larger than the others'; the enum lives once per run.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
enum LicencesCommand {
    /// Record a specific licence issued by an authority.
    Create(CreateArgs),
    /// Every specific licence on record (revoked ones with `--all`).
    List(ListArgs),
    /// Revoke a specific licence: decisions from then on do not apply it.
    Revoke(RevokeArgs),
}

#[derive(Debug, Args)]
struct CreateArgs {
    /// The authority's number (unique).
    #[arg(long)]
    number: String,
    /// The issuing jurisdiction: us, eu or uk.
    #[arg(long)]
    jurisdiction: String,
    /// The licensee: a party of the dealing must be it.
    #[arg(long)]
    holder: String,
    /// A blocked party the licence authorises dealings with: an entity id (`ofac-12860`) or a
    /// name; repeat for several.
    #[arg(long = "party", required = true)]
    parties: Vec<String>,
    /// A programme it relieves (`us-belarus`); repeat; none for every programme of its
    /// jurisdiction.
    #[arg(long = "programme")]
    programmes: Vec<String>,
    /// The most one dealing may be for (exact decimal), with `--currency`.
    #[arg(long)]
    amount_cap: Option<String>,
    /// The currency of the cap.
    #[arg(long)]
    currency: Option<String>,
    /// Valid from: a day (`2021-06-05`) or a local time with its zone.
    #[arg(long)]
    valid_from: String,
    /// Valid until (inclusive): a day or a local time with its zone.
    #[arg(long)]
    valid_until: Option<String>,
    /// A condition, printed with every decision that applies the licence; repeat.
    #[arg(long = "condition")]
    conditions: Vec<String>,
}

#[derive(Debug, Args)]
struct ListArgs {
    /// Include revoked licences.
    #[arg(long)]
    all: bool,
}

#[derive(Debug, Args)]
struct RevokeArgs {
    /// The licence's id (from `interdict licences list`).
    id: i64,
    /// Why it is revoked.
    #[arg(long)]
    reason: String,
}

pub async fn licences(ctx: &Context, args: LicencesArgs) -> anyhow::Result<ExitCode> {
    let store = ctx.store().await?;
    match args.command {
        LicencesCommand::Create(a) => {
            let jurisdiction = match a.jurisdiction.to_ascii_lowercase().as_str() {
                "us" => Jurisdiction::Us,
                "eu" => Jurisdiction::Eu,
                "uk" => Jurisdiction::Uk,
                other => bail!("--jurisdiction {other:?}: expected us, eu or uk"),
            };
            let moment = |flag: &str, s: &str| -> anyhow::Result<Moment> {
                s.parse().map_err(|e| anyhow::anyhow!("--{flag}: {e}"))
            };
            let licence = SpecificLicence {
                id: None,
                number: a.number,
                jurisdiction,
                holder: a.holder,
                parties: a.parties,
                programmes: a.programmes,
                amount_cap: a.amount_cap,
                currency: a.currency.map(|c| c.to_ascii_uppercase()),
                valid_from: moment("valid-from", &a.valid_from)?,
                valid_until: a
                    .valid_until
                    .as_deref()
                    .map(|s| moment("valid-until", s))
                    .transpose()?,
                conditions: a.conditions,
                created_at: None,
                revoked_at: None,
                revocation_reason: None,
            };
            let stored = create_licence(&store, &licence).await?;
            if ctx.json {
                output::json(&stored)?;
            } else {
                outln!(
                    "recorded licence {} (id {}) issued to {}",
                    stored.number,
                    stored.id.unwrap_or_default(),
                    stored.holder
                )?;
            }
        }
        LicencesCommand::List(a) => {
            let all: Vec<SpecificLicence> = store
                .licences()
                .await?
                .into_iter()
                .map(from_stored)
                .collect::<Result<_, _>>()?;
            let shown: Vec<&SpecificLicence> = all
                .iter()
                .filter(|l| a.all || l.revoked_at.is_none())
                .collect();
            if ctx.json {
                output::json(&shown)?;
            } else {
                let rows: Vec<Vec<String>> = shown
                    .iter()
                    .map(|l| {
                        vec![
                            l.id.unwrap_or_default().to_string(),
                            l.number.clone(),
                            l.jurisdiction.code().into(),
                            l.holder.clone(),
                            l.parties.join(", "),
                            match &l.valid_until {
                                Some(u) => format!("{} – {}", l.valid_from, u),
                                None => format!("from {}", l.valid_from),
                            },
                            l.revoked_at
                                .map(|r| format!("revoked {}", r.format("%Y-%m-%d")))
                                .unwrap_or_else(|| "valid".into()),
                        ]
                    })
                    .collect();
                output::table(
                    &[
                        "id",
                        "number",
                        "jurisdiction",
                        "holder",
                        "parties",
                        "validity",
                        "status",
                    ],
                    &rows,
                )?;
            }
        }
        LicencesCommand::Revoke(a) => {
            if a.reason.trim().is_empty() {
                bail!("--reason: say why the licence is revoked");
            }
            let revoked = store
                .revoke_licence(a.id, &a.reason)
                .await?
                .with_context(|| format!("no licence {}", a.id))?;
            let l = from_stored(revoked)?;
            if ctx.json {
                output::json(&l)?;
            } else {
                outln!(
                    "licence {} (id {}) revoked at {}: {}",
                    l.number,
                    a.id,
                    l.revoked_at.map(|r| r.to_rfc3339()).unwrap_or_default(),
                    l.revocation_reason.unwrap_or_default()
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

//! `interdict match`: screen one name against the lists and explain every result (C2).

use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, bail};
use chrono::NaiveDate;
use clap::Args;
use interdict_matching::{DateSpan, Filters, Match, Options, Query, QueryIdentifier};
use interdict_model::Schema;
use interdict_snapshot::{Snapshot, View};
use serde_json::json;

use super::Context;
use crate::output::{self, outln};

/// Arguments of `interdict match`.
#[derive(Debug, Args)]
pub struct MatchArgs {
    /// The name(s) to screen, in any script and order (several: aliases of one party).
    #[arg(required = true)]
    names: Vec<String>,
    /// Birth date: YYYY, YYYY-MM, YYYY-MM-DD or a range YYYY..YYYY (repeatable).
    #[arg(long = "birth-date")]
    birth_dates: Vec<String>,
    /// Country: an ISO code or a name (nationality, residence, jurisdiction; repeatable).
    #[arg(long = "country")]
    countries: Vec<String>,
    /// Identifier as VALUE, VALUE:KIND or VALUE:KIND:COUNTRY (repeatable), e.g.
    /// `--id 9184718:imo` or `--id MP1234567:passport:by`.
    #[arg(long = "id")]
    identifiers: Vec<String>,
    /// male or female.
    #[arg(long)]
    gender: Option<String>,
    /// Person, Organization, Company, LegalEntity, Vessel, Airplane or Thing (any).
    #[arg(long, default_value = "Thing")]
    schema: String,
    /// How many results to show.
    #[arg(long, default_value_t = 5)]
    limit: usize,
    /// The alert line: results at or above it are matches.
    #[arg(long, default_value_t = interdict_matching::DEFAULT_THRESHOLD)]
    threshold: f64,
    /// Show results scoring above this (below the threshold: near misses, for context).
    #[arg(long, default_value_t = 0.5)]
    cutoff: f64,
    /// Only these datasets (repeatable; default all).
    #[arg(long = "dataset")]
    datasets: Vec<String>,
    /// Screen against the lists as they stood on this date (YYYY-MM-DD).
    #[arg(long)]
    as_of: Option<NaiveDate>,
}

/// Build the snapshot screening runs against: the current lists, or those in force on a date.
pub async fn load_snapshot(ctx: &Context, as_of: Option<NaiveDate>) -> anyhow::Result<Snapshot> {
    let store = ctx.store().await?;
    let view = as_of.map_or(View::Current, View::AsOf);
    let snapshot = Snapshot::build(&store, view)
        .await
        .context("building the screening index")?;
    if snapshot.versions().is_empty() {
        bail!(
            "the database holds no list{}: import one with `interdict import`, or start \
             `interdict serve`, which imports the bundled lists",
            as_of
                .map(|d| format!(" in force on {d}"))
                .unwrap_or_default()
        );
    }
    Ok(snapshot)
}

/// Parse `VALUE[:KIND[:COUNTRY]]`.
pub fn parse_identifier(s: &str) -> QueryIdentifier {
    let mut parts = s.splitn(3, ':');
    let value = parts.next().unwrap_or_default().trim().to_string();
    let kind = parts
        .next()
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string);
    let country = parts
        .next()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string);
    QueryIdentifier {
        value,
        kind,
        country,
    }
}

/// A schema as a user writes it (`person`, `individual`, `company`, `vessel` …).
pub fn parse_schema(s: &str) -> Option<Schema> {
    let s = s.trim();
    let name = match s.to_ascii_lowercase().as_str() {
        "" | "any" | "thing" => "Thing",
        "person" | "individual" | "natural person" | "p" => "Person",
        "organization" | "organisation" | "entity" | "org" | "o" => "Organization",
        "company" | "business" | "c" => "Company",
        "legalentity" | "legal entity" => "LegalEntity",
        "vessel" | "ship" => "Vessel",
        "airplane" | "aircraft" | "plane" => "Airplane",
        "publicbody" | "public body" => "PublicBody",
        _ => s,
    };
    Schema::get(name).filter(|s| s.is_matchable() || s.name() == "Thing")
}

/// Run `interdict match`.
pub async fn run(ctx: &Context, args: MatchArgs) -> anyhow::Result<ExitCode> {
    let Some(schema) = parse_schema(&args.schema) else {
        bail!(
            "--schema {:?}: use Person, Organization, Company, LegalEntity, Vessel, Airplane or Thing",
            args.schema
        );
    };
    for d in &args.birth_dates {
        if DateSpan::parse(d).is_none() {
            bail!("--birth-date {d:?}: expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY..YYYY");
        }
    }
    if !(0.0..=1.0).contains(&args.threshold) || !(0.0..=1.0).contains(&args.cutoff) {
        bail!("--threshold and --cutoff are scores from 0 to 1");
    }
    let started = Instant::now();
    let snapshot = load_snapshot(ctx, args.as_of).await?;
    let built = started.elapsed();
    let query = Query {
        schema,
        names: args.names.clone(),
        birth_dates: args.birth_dates.clone(),
        countries: args.countries.clone(),
        gender: args.gender.clone(),
        identifiers: args
            .identifiers
            .iter()
            .map(|s| parse_identifier(s))
            .collect(),
        addresses: Vec::new(),
    };
    let options = Options {
        limit: args.limit,
        threshold: args.threshold,
        cutoff: args.cutoff.min(args.threshold),
        filters: Filters {
            include_datasets: args.datasets.clone(),
            ..Filters::default()
        },
        explain: true,
    };
    let t = Instant::now();
    let results = snapshot.index().search(&query, &options);
    let took = t.elapsed();
    if ctx.json {
        let results: Vec<serde_json::Value> = results
            .iter()
            .map(|m| {
                let dates = snapshot.dates(&m.entity_id);
                json!({
                    "id": m.entity_id,
                    "caption": m.caption,
                    "schema": m.schema.name(),
                    "score": m.score,
                    "match": m.is_match,
                    "datasets": snapshot.index().entity_datasets(&m.entity_id),
                    "first_seen": dates.map(|d| d.first_seen),
                    "last_change": dates.map(|d| d.last_change),
                    "features": m.features,
                    "name": m.name,
                    "explanation": m.name.as_ref().map(|n| n.summary()),
                    "ownership": snapshot.ownership().derived(&m.entity_id),
                })
            })
            .collect();
        output::json(&json!({
            "query": {
                "schema": schema.name(),
                "names": query.names,
                "birth_dates": query.birth_dates,
                "countries": query.countries,
                "identifiers": query.identifiers,
            },
            "threshold": args.threshold,
            "snapshot": snapshot.label(),
            "results": results,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut about = vec![format!("{} {}", schema.name(), quoted(&query.names))];
    if !query.birth_dates.is_empty() {
        about.push(format!("born {}", query.birth_dates.join(" or ")));
    }
    if !query.countries.is_empty() {
        about.push(format!("country {}", query.countries.join(", ")));
    }
    if !query.identifiers.is_empty() {
        about.push(format!("ids {}", args.identifiers.join(", ")));
    }
    outln!("query:  {}", about.join(", "))?;
    let lists: Vec<String> = snapshot
        .datasets()
        .iter()
        .map(|d| {
            format!(
                "{} ({}, {} entities)",
                d.name,
                d.version.effective_date(),
                d.indexed
            )
        })
        .collect();
    outln!(
        "lists:  {}{}",
        lists.join(", "),
        args.as_of
            .map(|d| format!(" — as of {d}"))
            .unwrap_or_default()
    )?;
    outln!(
        "        index built in {:.1} s; searched in {:.2} ms; alert line {:.2}",
        built.as_secs_f64(),
        took.as_secs_f64() * 1e3,
        args.threshold
    )?;
    outln!()?;
    if results.is_empty() {
        outln!("no listed entity scores above {:.2}", options.cutoff)?;
        return Ok(ExitCode::SUCCESS);
    }
    for (i, m) in results.iter().enumerate() {
        print_match(i + 1, m, &snapshot)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// One result, readable: score, verdict, entity; then which query name met which listed name
/// word by word, and every feature that fired with its effect on the score.
fn print_match(rank: usize, m: &Match, snapshot: &Snapshot) -> std::io::Result<()> {
    let verdict = if m.is_match { "MATCH" } else { "below" };
    let datasets = snapshot.index().entity_datasets(&m.entity_id).join(", ");
    outln!(
        "{rank}. {:.2}  {verdict}  {}  {}  {}  [{datasets}]",
        m.score,
        m.entity_id,
        m.schema.name(),
        m.caption
    )?;
    if let Some(n) = &m.name {
        let form = |written: &str, form: &str, system: &str| {
            if system == "as-written" || written.eq_ignore_ascii_case(form) {
                format!("\"{written}\"")
            } else {
                format!("\"{written}\" (read as \"{form}\", {system})")
            }
        };
        outln!(
            "   name     {} met {} [{}]",
            form(&n.query_name, &n.query_form, &n.query_system),
            form(&n.listed_name, &n.listed_form, &n.listed_system),
            n.listed_property
        )?;
        let mut words: Vec<String> = n
            .words
            .iter()
            .map(|w| {
                format!(
                    "{} ≈ {} ({}, {} {:.2})",
                    w.query, w.candidate, w.role, w.method, w.similarity
                )
            })
            .collect();
        words.extend(
            n.unmatched_listed
                .iter()
                .map(|(w, r)| format!("listed {r} {w} not in the query")),
        );
        words.extend(
            n.unmatched_query
                .iter()
                .map(|w| format!("query word {w} not listed")),
        );
        for w in words {
            outln!("            {w}")?;
        }
    }
    for f in &m.features {
        let sign = if f.effect >= 0.0 { "+" } else { "" };
        let compared = match (&f.query, &f.candidate) {
            (Some(q), Some(c)) => format!(" ({q} vs {c})"),
            _ => String::new(),
        };
        outln!(
            "   {:<20} {sign}{:.3}  {}{compared}",
            f.name,
            f.effect,
            if f.name == "name_match" {
                format!("name score {:.2}", f.value)
            } else {
                f.detail.clone()
            }
        )?;
    }
    for s in snapshot.ownership().derived(&m.entity_id) {
        outln!(
            "   ownership ({}) {}: {}",
            s.jurisdiction,
            s.status_text,
            s.sentence
        )?;
    }
    if let Some(d) = snapshot.dates(&m.entity_id) {
        outln!(
            "   listed since {}, last changed {}",
            d.first_seen,
            d.last_change
        )?;
    }
    outln!()
}

//! Benchmark on a synthetic registry: derived status of everything, one entity's proof, and
//! incremental updates.
//!
//! ```text
//! cargo run --release -p interdict-ownership --example bench_registry -- \
//!     [--companies 1000000] [--holdings 3000000] [--listed 3000] [--seed 42] \
//!     [--proofs 2000] [--updates 200] [--verify]
//! ```

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use interdict_ownership::synthetic::{self, RegistrySpec, Rng};
use interdict_ownership::{
    Assessment, Change, Holding, Jurisdiction, Listing, Percent, Scope, Share, Status,
};

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn flag(name: &str) -> bool {
    std::env::args().any(|a| a == name)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn peak_rss_mb() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string())
        })
        .and_then(|kb| kb.parse::<u64>().ok())
        .map(|kb| format!("{} MB", kb / 1024))
        .unwrap_or_else(|| "n/a".into())
}

/// CPU time of this thread so far, from the scheduler's own account (the machine is shared, so
/// wall-clock figures include time spent waiting for a core).
fn cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .next()
                .and_then(|n| n.parse::<u64>().ok())
        })
        .map(Duration::from_nanos)
        .unwrap_or_default()
}

/// Run `f`, returning its result, wall time and CPU time.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration, Duration) {
    let (t, c) = (Instant::now(), cpu());
    let r = f();
    (r, t.elapsed(), cpu().saturating_sub(c))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let spec = RegistrySpec {
        companies: arg("--companies", 1_000_000) as usize,
        persons: (arg("--companies", 1_000_000) / 10) as usize,
        holdings: arg("--holdings", 3_000_000) as usize,
        listed: arg("--listed", 3_000) as usize,
        seed: arg("--seed", 42),
    };
    let proofs = arg("--proofs", 2_000) as usize;
    let updates = arg("--updates", 200) as usize;
    println!("spec: {spec:?}");

    let (mut reg, t_build, c_build) = timed(|| synthetic::generate(&spec));
    println!(
        "generate + build graph: {} wall, {} CPU ({} parties, {} holdings, {} control relations, {} listed persons, {} listings)",
        ms(t_build),
        ms(c_build),
        reg.graph.len(),
        reg.graph.holding_count(),
        reg.graph.control_count(),
        reg.listings.len(),
        reg.listings.iter().count()
    );

    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
    let scopes = [
        (
            "US 2025-01-01 (OFAC, ≥ 50 %, aggregated)",
            Scope::new(Jurisdiction::Us, day("2025-01-01")),
        ),
        (
            "EU 2021-05-15 (> 50 %, one listed person)",
            Scope::new(Jurisdiction::Eu, day("2021-05-15")),
        ),
        (
            "EU 2025-01-01 (≥ 50 %, aggregated, control)",
            Scope::new(Jurisdiction::Eu, day("2025-01-01")),
        ),
    ];
    let mut assessments = Vec::new();
    for (label, scope) in &scopes {
        let ((a, counts), t_all, c_all) = timed(|| {
            let a = Assessment::compute(&reg.graph, &reg.listings, scope);
            let counts = a.counts(&reg.graph);
            (a, counts)
        });
        println!(
            "{label}: derived status of all {} entities: {} wall, {} CPU; listed {}, owned {}, controlled {}, review {}, clear {}",
            reg.graph.len(),
            ms(t_all),
            ms(c_all),
            counts[0],
            counts[1],
            counts[2],
            counts[3],
            counts[4]
        );
        assessments.push(a);
    }

    // Proofs: a sample of owned entities (deep chains included), then of everything else.
    let us_a = &assessments[0];
    let mut owned: Vec<String> = us_a
        .statuses(&reg.graph)
        .filter(|(_, s)| matches!(s, Status::Owned | Status::Controlled | Status::Review))
        .map(|(id, _)| id.to_string())
        .collect();
    let mut rng = Rng::new(7);
    for i in (1..owned.len()).rev() {
        owned.swap(i, rng.below(i as u64 + 1) as usize);
    }
    owned.truncate(proofs);
    let mut times = Vec::with_capacity(owned.len());
    let mut longest = (0usize, String::new());
    let mut slowest: Vec<(Duration, String, Status, usize, usize)> = Vec::new();
    for id in &owned {
        // The best of three runs: the machine is shared and a single run may wait for a core.
        let mut e = Duration::MAX;
        let mut p = us_a.proof(&reg.graph, &reg.listings, id);
        for _ in 0..3 {
            let t = Instant::now();
            p = us_a.proof(&reg.graph, &reg.listings, id);
            e = e.min(t.elapsed());
        }
        times.push(e);
        if let Ok(p) = p {
            if p.steps.len() > longest.0 {
                longest = (p.steps.len(), id.clone());
            }
            slowest.push((e, id.clone(), p.status, p.steps.len(), p.paths.len()));
        }
    }
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (e, id, status, steps, paths) in slowest.iter().take(if flag("--slowest") { 8 } else { 0 })
    {
        println!(
            "  slow proof {id}: {} {status:?}, {steps} steps, {paths} paths",
            us(*e)
        );
    }
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len().max(1) as u32;
    println!(
        "proof of one covered entity (US, {} sampled, best of 3 runs each): mean {}, p50 {}, p99 {}, max {}; longest derivation {} steps ({})",
        times.len(),
        us(mean),
        us(percentile(&times, 0.5)),
        us(percentile(&times, 0.99)),
        us(percentile(&times, 1.0)),
        longest.0,
        longest.1
    );

    let mut clear_times = Vec::new();
    for _ in 0..proofs {
        let id = synthetic::company(rng.below(spec.companies as u64) as usize);
        let mut e = Duration::MAX;
        for _ in 0..3 {
            let t = Instant::now();
            let _ = us_a.proof(&reg.graph, &reg.listings, &id);
            e = e.min(t.elapsed());
        }
        clear_times.push(e);
    }
    clear_times.sort();
    println!(
        "proof of a random company (US, {}, best of 3): mean {}, p99 {}, max {}",
        clear_times.len(),
        us(clear_times.iter().sum::<Duration>() / clear_times.len().max(1) as u32),
        us(percentile(&clear_times, 0.99)),
        us(percentile(&clear_times, 1.0))
    );

    // Incremental updates on the US assessment: listings and holdings added and removed.
    let mut a = assessments.swap_remove(0);
    let scope = a.scope().clone();
    let mut times = Vec::new();
    let mut regions = 0usize;
    let mut changed = 0usize;
    let mut worst = (Duration::ZERO, 0usize);
    let mut cpu_total = Duration::ZERO;
    let mut by_kind: [Vec<(Duration, usize)>; 4] = Default::default();
    for i in 0..updates {
        let change: Change = match i % 4 {
            0 => {
                let id =
                    synthetic::company(rng.below((spec.companies / 20).max(1) as u64) as usize);
                reg.listings
                    .add(Listing::new(id, Jurisdiction::Us, "BENCH"))
            }
            1 => {
                let listed: Vec<String> = reg
                    .listings
                    .iter()
                    .filter(|l| l.programme != "BENCH")
                    .map(|l| l.entity.clone())
                    .take(64)
                    .collect();
                let id = &listed[rng.below(listed.len() as u64) as usize];
                reg.listings.remove_entity(id)
            }
            2 => {
                let owner = reg.listed[rng.below(reg.listed.len() as u64) as usize].clone();
                let asset = synthetic::company(rng.below(spec.companies as u64) as usize);
                match reg.graph.add_holding(Holding::new(
                    owner,
                    asset,
                    Share::exact(Percent::whole(60)),
                )) {
                    Ok(c) => c,
                    Err(_) => continue,
                }
            }
            _ => {
                let asset = synthetic::company(rng.below(spec.companies as u64) as usize);
                let Some(owner) = reg.graph.owners_of(&asset).first().map(|h| h.owner.clone())
                else {
                    continue;
                };
                match reg.graph.remove_between(&owner, &asset) {
                    Some(c) => c,
                    None => continue,
                }
            }
        };
        let (report, e, c) = timed(|| a.update(&reg.graph, &reg.listings, &[change]));
        times.push(e);
        by_kind[i % 4].push((e, report.region));
        cpu_total += c;
        regions += report.region;
        changed += report.changed.len();
        if e > worst.0 {
            worst = (e, report.region);
        }
    }
    times.sort();
    println!(
        "incremental update (US, {} changes: listings and holdings added and removed; wall time): mean {}, p50 {}, p90 {}, p99 {}, max {} (region {}); CPU {} in all; mean region {}, {} statuses changed in all",
        times.len(),
        us(times.iter().sum::<Duration>() / times.len().max(1) as u32),
        us(percentile(&times, 0.5)),
        us(percentile(&times, 0.9)),
        us(percentile(&times, 0.99)),
        us(worst.0),
        worst.1,
        ms(cpu_total),
        regions / times.len().max(1),
        changed
    );
    let kinds = [
        "listing added (a company of the first 5 %)",
        "listing removed",
        "holding of 60 % added by a listed person",
        "holding removed",
    ];
    for (kind, runs) in kinds.iter().zip(by_kind.iter_mut()) {
        runs.sort();
        let t: Vec<Duration> = runs.iter().map(|r| r.0).collect();
        println!(
            "  {kind}: {} changes, p50 {}, mean {}, max {} (region {})",
            t.len(),
            us(percentile(&t, 0.5)),
            us(t.iter().sum::<Duration>() / t.len().max(1) as u32),
            us(percentile(&t, 1.0)),
            runs.last().map_or(0, |r| r.1)
        );
    }
    if flag("--verify") {
        let (fresh, t, c) = timed(|| Assessment::compute(&reg.graph, &reg.listings, &scope));
        let same = fresh.same_statuses(&a, &reg.graph);
        println!(
            "verify: full recompute {} wall, {} CPU — incremental result identical: {same}",
            ms(t),
            ms(c)
        );
        assert!(same, "incremental and full recompute differ");
    }
    println!("peak memory: {}", peak_rss_mb());
}

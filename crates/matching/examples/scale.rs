//! Build an index of N synthetic entities and time queries against it.
//!
//! ```text
//! cargo run --release -p interdict-matching --example scale -- 1000000 2000
//! ```
//! Prints build time, resident memory (VmRSS/VmHWM from /proc) and per-query latency
//! percentiles with explanations on. The criterion bench `match` measures the same queries.

use std::time::Instant;

use interdict_matching::{EntityMeta, IndexBuilder, Options, Query};
use interdict_synthetic::Generator;

fn rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
        .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(" / ")
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let q: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let t = Instant::now();
    let mut builder = IndexBuilder::new();
    let mut queries = Vec::new();
    for (i, e) in Generator::new(2026).take(n).enumerate() {
        if i % (n / q.max(1)).max(1) == 0 && queries.len() < q {
            queries.push(interdict_matching_bench_query(&e));
        }
        builder.add(e, EntityMeta::dataset("synthetic"));
    }
    let generated = t.elapsed();
    let t = Instant::now();
    let index = builder.build().expect("build");
    let built = t.elapsed();
    println!(
        "entities {n}: generated in {generated:.2?}, index built in {built:.2?}; RSS/peak {}",
        rss()
    );
    println!("{:?}", index.stats());
    let opts = Options::default();
    let mut times = Vec::with_capacity(queries.len());
    let mut found = 0;
    let mut slow = Vec::new();
    let mut missed = Vec::new();
    let mut total = [std::time::Duration::ZERO; 4];
    for (query, id) in &queries {
        let t = Instant::now();
        let mut phases = [std::time::Duration::ZERO; 4];
        let r = index.search_timed(query, &opts, &mut phases);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        times.push(ms);
        slow.push((ms, format!("{} {:?}", query.names[0], phases)));
        for k in 0..4 {
            total[k] += phases[k];
        }
        if r.iter().any(|m| &m.entity_id == id) {
            found += 1;
        } else {
            missed.push(query.names[0].clone());
        }
    }
    let nq = queries.len().max(1) as u32;
    println!(
        "mean per query: prepare {:.2?}, candidates {:.2?}, scoring {:.2?}, explanations {:.2?}",
        total[0] / nq,
        total[1] / nq,
        total[2] / nq,
        total[3] / nq
    );
    slow.sort_by(|a, b| b.0.total_cmp(&a.0));
    if std::env::var("SHOW").is_ok() {
        println!("slowest: {:?}", &slow[..slow.len().min(12)]);
        println!("missed: {:?}", &missed[..missed.len().min(30)]);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p) as usize];
    println!(
        "{} queries: p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms; found {found}",
        times.len(),
        pct(0.5),
        pct(0.9),
        pct(0.99),
        times.last().copied().unwrap_or(0.0)
    );
}

/// A query for a generated entity: its name with one letter changed.
fn interdict_matching_bench_query(e: &interdict_model::Entity) -> (Query, String) {
    let name = e.first("name").unwrap_or("").to_string();
    let mut chars: Vec<char> = name.chars().collect();
    if chars.len() > 6 {
        let i = chars.len() / 2;
        if chars[i].is_alphabetic() {
            chars[i] = if chars[i] == 'E' { 'A' } else { 'E' };
        }
    }
    (
        Query::new(e.schema, chars.into_iter().collect::<String>()),
        e.id.clone(),
    )
}

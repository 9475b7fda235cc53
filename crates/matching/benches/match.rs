//! Screening latency and index build, with criterion.
//!
//! ```text
//! cargo bench -p interdict-matching --bench match                  # bundled lists + 1M synthetic
//! INTERDICT_BENCH_ENTITIES=100000 cargo bench -p interdict-matching --bench match
//! ```
//!
//! Two groups:
//! - `bundled`: one index over every bundled official list (OFAC SDN 2023-12-28, OFAC
//!   Consolidated 2025-12, UN 2026-02-27, UK ConList 2020-04-27, EU FSF excerpt); queries are the
//!   evaluation sets (`eval/*.jsonl`, first and held-out: Latin variants, Belarusian Cyrillic and
//!   romanisations, Arabic script), explanations on.
//! - `synthetic`: an index of `INTERDICT_BENCH_ENTITIES` (default 1,000,000) entities from
//!   `interdict-synthetic` (seed 2026), queried by generated names with one letter changed.
//!
//! Besides criterion's estimates, each group prints p50/p90/p99 of single-query thread CPU
//! time over all its queries, the figures `docs/PERFORMANCE.md` quotes.

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use interdict_matching::{EntityMeta, Index, IndexBuilder, Options, Query};
use interdict_synthetic::Generator;

fn eval_queries(file: &str) -> Vec<Query> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("eval");
    common::eval::read(&dir.join(file))
        .iter()
        .map(|c| c.query())
        .collect()
}

fn percentiles(label: &str, index: &Index, queries: &[Query]) {
    let opts = Options::default();
    let mut t: Vec<f64> = queries
        .iter()
        .map(|q| {
            let c0 = cpu_time::ThreadTime::now();
            black_box(index.search(q, &opts));
            c0.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    t.sort_by(|a, b| a.total_cmp(b));
    let p = |x: f64| t[((t.len() as f64 - 1.0) * x) as usize];
    println!(
        "{label}: {} queries, thread CPU per query p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        t.len(),
        p(0.5),
        p(0.9),
        p(0.99),
        t.last().copied().unwrap_or(0.0)
    );
}

fn bundled(c: &mut Criterion) {
    let t = Instant::now();
    let index = common::bundled_index();
    println!(
        "bundled index: {} entities in {:.2?}",
        index.len(),
        t.elapsed()
    );
    let opts = Options::default();
    let mut group = c.benchmark_group("bundled");
    for (name, file) in [
        ("latin", "sdn_variants.jsonl"),
        ("cyrillic-belarus", "belarus.jsonl"),
        ("arabic", "arabic.jsonl"),
        ("latin-heldout", "heldout.jsonl"),
        ("cyrillic-belarus-heldout", "heldout_belarus.jsonl"),
        ("arabic-heldout", "heldout_arabic.jsonl"),
    ] {
        let queries = eval_queries(file);
        percentiles(&format!("bundled/{name}"), &index, &queries);
        let mut i = 0;
        group.bench_function(name, |b| {
            b.iter(|| {
                i = (i + 1) % queries.len();
                black_box(index.search(&queries[i], &opts))
            })
        });
    }
    group.bench_function("lukashenko_with_dob", |b| {
        let q = Query::person("Alexander Lukashenko").with_birth_date("1954-08-30");
        b.iter(|| black_box(index.search(&q, &opts)))
    });
    group.finish();
}

fn synthetic(c: &mut Criterion) {
    let n: usize = std::env::var("INTERDICT_BENCH_ENTITIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let t = Instant::now();
    let mut builder = IndexBuilder::new();
    let mut queries = Vec::new();
    let every = (n / 2_000).max(1);
    for (i, e) in Generator::new(2026).take(n).enumerate() {
        if i % every == 0 {
            let name = e.first("name").unwrap_or("").to_string();
            let mut chars: Vec<char> = name.chars().collect();
            let k = chars.len() / 2;
            if chars.len() > 6 && chars[k].is_alphabetic() {
                chars[k] = if chars[k] == 'E' { 'A' } else { 'E' };
            }
            queries.push(Query::new(e.schema, chars.into_iter().collect::<String>()));
        }
        builder.add(e, EntityMeta::dataset("synthetic"));
    }
    let added = t.elapsed();
    let t = Instant::now();
    let index = builder.build().expect("index");
    println!(
        "synthetic index: {n} entities, added in {added:.2?}, built in {:.2?}; {:?}",
        t.elapsed(),
        index.stats()
    );
    percentiles(&format!("synthetic-{n}"), &index, &queries);
    let opts = Options::default();
    let mut group = c.benchmark_group("synthetic");
    group.measurement_time(Duration::from_secs(10));
    let mut i = 0;
    group.bench_function(format!("search-{n}"), |b| {
        b.iter(|| {
            i = (i + 1) % queries.len();
            black_box(index.search(&queries[i], &opts))
        })
    });
    group.finish();
}

criterion_group!(benches, bundled, synthetic);
criterion_main!(benches);

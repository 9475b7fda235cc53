//! Latency of screening against every bundled list, with explanations on.
//!
//! ```text
//! cargo run --release -p interdict-matching --example bundled
//! SET=heldout ROUNDS=5 cargo run --release -p interdict-matching --example bundled
//! ```
//! `SET` picks the queries (`first`, the default: the first evaluation set; `heldout`; `all`);
//! `ROUNDS=n` also reports, per query, the least CPU time of n runs.
//! Builds one index from the bundled official lists (OFAC SDN 2023-12-28 — the latest complete CSV set —, OFAC
//! Consolidated 2025-12, UN 2026-02-27, UK ConList 2020-04-27, EU FSF excerpt), then runs the
//! evaluation queries (`eval/*.jsonl`) one at a time on one thread and prints p50/p90/p99 of
//! wall-clock time and of the thread's CPU time (which excludes time the machine gave to other
//! processes).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use interdict_matching::{Options, Query};

fn main() {
    let t = Instant::now();
    let index = common::bundled_index();
    println!(
        "bundled lists: {} entities, index built in {:.2?}; {:?}",
        index.len(),
        t.elapsed(),
        index.stats()
    );
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("eval");
    let mut queries: Vec<Query> = Vec::new();
    let mut source: Vec<usize> = Vec::new();
    // SET=first (default: the first evaluation set, 2,685 queries), heldout, or all.
    let set = std::env::var("SET").unwrap_or_default();
    let files: Vec<&str> = match set.as_str() {
        "heldout" => vec![
            "heldout.jsonl",
            "heldout_belarus.jsonl",
            "heldout_arabic.jsonl",
        ],
        "all" => vec![
            "sdn_variants.jsonl",
            "belarus.jsonl",
            "arabic.jsonl",
            "heldout.jsonl",
            "heldout_belarus.jsonl",
            "heldout_arabic.jsonl",
        ],
        _ => vec!["sdn_variants.jsonl", "belarus.jsonl", "arabic.jsonl"],
    };
    for (i, f) in files.iter().enumerate() {
        let cases = common::eval::read(&dir.join(f));
        source.extend(std::iter::repeat_n(i, cases.len()));
        queries.extend(cases.iter().map(|c| c.query()));
    }
    let opts = Options::default();
    // Warm up (first-use tables, caches).
    for q in queries.iter().take(200) {
        let _ = index.search(q, &opts);
    }
    let mut wall = Vec::with_capacity(queries.len());
    let mut cpu = Vec::with_capacity(queries.len());
    let mut slow = Vec::new();
    let mut phases = [std::time::Duration::ZERO; 4];
    for q in &queries {
        let c0 = common::thread_cpu_ns();
        let t = Instant::now();
        let r = index.search_timed(q, &opts, &mut phases);
        let w = t.elapsed().as_secs_f64() * 1e3;
        let c = (common::thread_cpu_ns().saturating_sub(c0)) as f64 / 1e6;
        std::hint::black_box(r);
        wall.push(w);
        cpu.push(c);
        slow.push((c, q.names.join(" | ")));
    }
    let cpu_unsorted = cpu.clone();
    // ROUNDS=n: run every query n - 1 more times and also report the least CPU time each
    // query took, which filters out what other processes on a shared machine cost it.
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    if rounds > 1 {
        let mut least = cpu_unsorted.clone();
        for _ in 1..rounds {
            for (k, q) in queries.iter().enumerate() {
                let c0 = common::thread_cpu_ns();
                std::hint::black_box(index.search(q, &opts));
                let c = (common::thread_cpu_ns().saturating_sub(c0)) as f64 / 1e6;
                least[k] = least[k].min(c);
            }
        }
        let mut v = least;
        v.sort_by(|a, b| a.total_cmp(b));
        let p = |x: f64| v[((v.len() as f64 - 1.0) * x) as usize];
        println!(
            "least of {rounds} runs per query, thread CPU: p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms",
            p(0.5),
            p(0.9),
            p(0.99)
        );
    }
    let pct = |v: &mut Vec<f64>, p: f64| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[((v.len() as f64 - 1.0) * p) as usize]
    };
    println!(
        "{} queries, explanations on: wall p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms; thread CPU p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms",
        queries.len(),
        pct(&mut wall, 0.5),
        pct(&mut wall, 0.9),
        pct(&mut wall, 0.99),
        pct(&mut cpu, 0.5),
        pct(&mut cpu, 0.9),
        pct(&mut cpu, 0.99),
    );
    for (i, f) in files.iter().enumerate() {
        let mut v: Vec<f64> = cpu_unsorted
            .iter()
            .zip(&source)
            .filter(|(_, s)| **s == i)
            .map(|(c, _)| *c)
            .collect();
        if !v.is_empty() {
            println!(
                "  {f}: {} queries, thread CPU p50 {:.3} ms, p99 {:.3} ms",
                v.len(),
                pct(&mut v, 0.5),
                pct(&mut v, 0.99)
            );
        }
    }
    let n = queries.len() as u32;
    println!(
        "mean per query: prepare {:.2?}, candidates {:.2?}, scoring {:.2?}, explanations {:.2?}",
        phases[0] / n,
        phases[1] / n,
        phases[2] / n,
        phases[3] / n
    );
    if let Some(rounds) = std::env::var("PROFILE")
        .ok()
        .and_then(|r| r.parse::<usize>().ok())
    {
        for _ in 0..rounds {
            for q in &queries {
                std::hint::black_box(index.search(q, &opts));
            }
        }
    }
    if std::env::var("SHOW").is_ok() {
        slow.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (ms, q) in slow.iter().take(15) {
            println!("  {ms:.3} ms  {q}");
        }
    }
}

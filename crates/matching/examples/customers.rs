//! Screening cost on a customer file, as `interdict screen` runs it (explanations off, up to 3
//! results, cutoff at the alert line), against every bundled list.
//!
//! ```text
//! python3 crates/server/bench/customers.py 20000 > /tmp/customers.csv
//! cargo run --release -p interdict-matching --example customers -- /tmp/customers.csv
//! DUMP=/tmp/results.txt cargo run --release -p interdict-matching --example customers -- /tmp/customers.csv
//! ```
//! Reads `id,name,birth_date,country,type` rows (the columns of `customers.py`), runs them one
//! at a time on one thread and prints the thread's CPU time per row (mean and percentiles)
//! with the phase breakdown, for all rows and for the clear ones (no result). `ROUNDS=n` runs
//! the file n times and reports the least mean. `DUMP=path` instead writes every result of
//! these rows and of every evaluation query (default options, explained, and with cutoff 0
//! and limit 10) with its exact score, so that two builds can be compared line by line.

#[path = "../tests/common/mod.rs"]
mod common;

use std::fmt::Write as _;
use std::time::Instant;

use interdict_matching::{Index, Options, Query};
use interdict_model::Schema;

/// The fields of one CSV line (double quotes, doubled quotes inside).
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn customer_queries(path: &str) -> Vec<Query> {
    let text = std::fs::read_to_string(path).expect("customer file");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f = fields(l);
            let get = |i: usize| f.get(i).map(|s| s.trim()).filter(|s| !s.is_empty());
            let schema = match get(4) {
                Some("person") => "Person",
                Some("company") => "Company",
                _ => "Thing",
            };
            let mut q = Query::new(Schema::named(schema), get(1).unwrap_or(""));
            if let Some(d) = get(2) {
                q = q.with_birth_date(d);
            }
            if let Some(c) = get(3) {
                q = q.with_country(c);
            }
            q
        })
        .collect()
}

fn batch_options() -> Options {
    Options {
        limit: 3,
        explain: false,
        ..Options::default()
    }
}

fn dump(index: &Index, customers: &[Query], path: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("eval");
    let mut eval: Vec<Query> = Vec::new();
    for f in [
        "sdn_variants.jsonl",
        "belarus.jsonl",
        "arabic.jsonl",
        "heldout.jsonl",
        "heldout_belarus.jsonl",
        "heldout_arabic.jsonl",
    ] {
        eval.extend(common::eval::read(&dir.join(f)).iter().map(|c| c.query()));
    }
    let wide = Options {
        limit: 10,
        cutoff: 0.0,
        ..Options::default()
    };
    let mut out = String::new();
    let runs: [(&str, &[Query], Options); 4] = [
        ("customers", customers, batch_options()),
        ("customers-wide", customers, wide.clone()),
        ("eval", &eval, Options::default()),
        ("eval-wide", &eval, wide),
    ];
    for (label, queries, opts) in runs {
        for (i, q) in queries.iter().enumerate() {
            let r = index.search(q, &opts);
            writeln!(out, "{label} {i} {:?}", q.names).expect("write to a string");
            for m in r {
                writeln!(out, "  {m:?}").expect("write to a string");
            }
        }
    }
    std::fs::write(path, out).expect("write dump");
    println!("wrote {path}");
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/customers.csv".into());
    let t = Instant::now();
    let index = common::bundled_index();
    println!(
        "bundled lists: {} entities, index built in {:.2?}",
        index.len(),
        t.elapsed()
    );
    let queries = customer_queries(&path);
    if let Ok(out) = std::env::var("DUMP") {
        dump(&index, &queries, &out);
        return;
    }
    let opts = batch_options();
    for q in queries.iter().take(500) {
        std::hint::black_box(index.search(q, &opts));
    }
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    let mut best_mean = f64::MAX;
    let mut best_clear_mean = f64::MAX;
    let mut cpu = Vec::new();
    let mut clear = Vec::new();
    let mut phases = [std::time::Duration::ZERO; 4];
    for round in 0..rounds {
        cpu.clear();
        clear.clear();
        let mut ph = [std::time::Duration::ZERO; 4];
        for q in &queries {
            let c0 = common::thread_cpu_ns();
            let r = index.search_timed(q, &opts, &mut ph);
            let c = (common::thread_cpu_ns().saturating_sub(c0)) as f64 / 1e3;
            cpu.push(c);
            if r.is_empty() {
                clear.push(c);
            }
        }
        let mean = cpu.iter().sum::<f64>() / cpu.len().max(1) as f64;
        let clear_mean = clear.iter().sum::<f64>() / clear.len().max(1) as f64;
        println!("round {round}: mean {mean:.1} µs per row, clear rows {clear_mean:.1} µs");
        if mean < best_mean {
            best_mean = mean;
            best_clear_mean = clear_mean;
            phases = ph;
        }
    }
    let pct = |v: &mut Vec<f64>, p: f64| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[((v.len() as f64 - 1.0) * p) as usize]
    };
    println!(
        "{} rows ({} clear), thread CPU per row: mean {best_mean:.1} µs (clear {best_clear_mean:.1} µs); last round p50 {:.1} µs, p90 {:.1} µs, p99 {:.1} µs",
        queries.len(),
        clear.len(),
        pct(&mut cpu, 0.5),
        pct(&mut cpu, 0.9),
        pct(&mut cpu, 0.99)
    );
    let n = queries.len() as u32;
    println!(
        "mean per row: prepare {:.2?}, candidates {:.2?}, scoring {:.2?}, results {:.2?}",
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
}

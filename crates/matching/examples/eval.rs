//! Run the evaluation set (`crates/matching/eval/*.jsonl`) against the real lists and print
//! recall per class and the alert rate on near misses at the default threshold.
//!
//! ```text
//! cargo run --release -p interdict-matching --example eval            # report
//! SHOW=20 cargo run --release -p interdict-matching --example eval    # and up to 20 failures per class
//! ```
//!
//! - `sdn_variants.jsonl` and `belarus.jsonl` run against the whole 2021-07 SDN list.
//! - `arabic.jsonl` runs against the SDN list plus the UN list with every original-script name
//!   removed, so an Arabic query can only be found through transliteration.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use interdict_lists::Format;
use interdict_matching::DEFAULT_THRESHOLD;

fn main() {
    let show: usize = std::env::var("SHOW")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("eval");
    let t = Instant::now();
    let sdn = common::sdn_2021();
    let index = common::build(&[("us_ofac_sdn", sdn.clone())]);
    println!(
        "SDN 2021-07 index: {} entities, built in {:.2?}",
        index.len(),
        t.elapsed()
    );
    for file in ["sdn_variants.jsonl", "belarus.jsonl"] {
        let cases = common::eval::read(&dir.join(file));
        let t = Instant::now();
        let report = common::eval::run(&index, &cases, DEFAULT_THRESHOLD);
        report.print(&format!(
            "{file} ({} queries, {:.2?})",
            cases.len(),
            t.elapsed()
        ));
        if show > 0 {
            report.print_failures(show);
        }
    }
    let un = common::entities(Format::UnXml, "un/consolidated_2026-02-27.xml");
    let stripped = common::eval::without_original_script(&un);
    let index = common::build(&[("us_ofac_sdn", sdn), ("un_sc_sanctions", stripped)]);
    let cases = common::eval::read(&dir.join("arabic.jsonl"));
    let t = Instant::now();
    let report = common::eval::run(&index, &cases, DEFAULT_THRESHOLD);
    report.print(&format!(
        "arabic.jsonl ({} queries against SDN + UN without original scripts, {:.2?})",
        cases.len(),
        t.elapsed()
    ));
    if show > 0 {
        report.print_failures(show);
    }
}

//! Run the evaluation sets (`crates/matching/eval/*.jsonl`) against the real lists and print
//! recall per class and the alert rate on near misses at the default threshold.
//!
//! ```text
//! cargo run --release -p interdict-matching --example eval            # both sets
//! SET=first cargo run --release -p interdict-matching --example eval  # the first set only
//! SET=heldout cargo run --release -p interdict-matching --example eval
//! SHOW=20 cargo run --release -p interdict-matching --example eval    # and up to 20 failures per class
//! ```
//!
//! - The first set (`sdn_variants.jsonl`, `belarus.jsonl`, made by `gen_eval`) and the
//!   held-out set (`heldout.jsonl`, `heldout_belarus.jsonl`, made by `gen_heldout`) run
//!   against the whole 2021-07 SDN list.
//! - `arabic.jsonl` and `heldout_arabic.jsonl` run against the SDN list plus the UN list with
//!   every original-script name removed, so an Arabic query can only be found through
//!   transliteration.

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
    let set = std::env::var("SET").unwrap_or_default();
    let (sdn_files, arabic_files): (Vec<&str>, Vec<&str>) = match set.as_str() {
        "first" => (
            vec!["sdn_variants.jsonl", "belarus.jsonl"],
            vec!["arabic.jsonl"],
        ),
        "heldout" => (
            vec!["heldout.jsonl", "heldout_belarus.jsonl"],
            vec!["heldout_arabic.jsonl"],
        ),
        _ => (
            vec![
                "sdn_variants.jsonl",
                "belarus.jsonl",
                "heldout.jsonl",
                "heldout_belarus.jsonl",
            ],
            vec!["arabic.jsonl", "heldout_arabic.jsonl"],
        ),
    };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("eval");
    let t = Instant::now();
    let sdn = common::sdn_2021();
    let index = common::build(&[("us_ofac_sdn", sdn.clone())]);
    println!(
        "SDN 2021-07 index: {} entities, built in {:.2?}",
        index.len(),
        t.elapsed()
    );
    let mut summary = Vec::new();
    for file in sdn_files {
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
        summary.push((file, report.summary()));
    }
    let un = common::entities(Format::UnXml, "un/consolidated_2026-02-27.xml");
    let stripped = common::eval::without_original_script(&un);
    let index = common::build(&[("us_ofac_sdn", sdn), ("un_sc_sanctions", stripped)]);
    for file in arabic_files {
        let cases = common::eval::read(&dir.join(file));
        let t = Instant::now();
        let report = common::eval::run(&index, &cases, DEFAULT_THRESHOLD);
        report.print(&format!(
            "{file} ({} queries against SDN + UN without original scripts, {:.2?})",
            cases.len(),
            t.elapsed()
        ));
        if show > 0 {
            report.print_failures(show);
        }
        summary.push((file, report.summary()));
    }
    println!("## summary");
    for (file, s) in summary {
        println!("{file}: {s}");
    }
}

//! The quality bars of the evaluation set (`eval/*.jsonl`) on the real lists: at the default
//! threshold, at least 95 % of the variants of SDN-listed names are found, at most 5 % of the
//! near misses alert, every spelling of a Belarus-programme person is found, and at least
//! 90 % of UN-listed people and organisations are found by their Arabic-script name with the
//! original-script names removed from the index.
//!
//! The figures per class are printed (`cargo test -p interdict-matching --test eval --
//! --nocapture`); `cargo run --release -p interdict-matching --example eval` prints them too.

mod common;

use interdict_lists::Format;
use interdict_matching::DEFAULT_THRESHOLD;

fn eval_file(name: &str) -> Vec<common::eval::Case> {
    common::eval::read(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("eval")
            .join(name),
    )
}

#[test]
fn quality_bars_hold_on_the_evaluation_set() {
    let sdn = common::sdn_2021();
    let index = common::build(&[("us_ofac_sdn", sdn.clone())]);

    let report = common::eval::run(&index, &eval_file("sdn_variants.jsonl"), DEFAULT_THRESHOLD);
    report.print("sdn_variants.jsonl");
    let (found, variants) = report.positives();
    let (alerts, misses) = report.negatives();
    assert!(
        found as f64 >= 0.95 * variants as f64,
        "variants found: {found}/{variants}"
    );
    assert!(
        alerts as f64 <= 0.05 * misses as f64,
        "near misses alerting: {alerts}/{misses}"
    );

    let report = common::eval::run(&index, &eval_file("belarus.jsonl"), DEFAULT_THRESHOLD);
    report.print("belarus.jsonl");
    report.print_failures(20);
    let (found, total) = report.positives();
    assert_eq!(
        found, total,
        "every spelling of a Belarus-programme person must be found"
    );

    let un = common::entities(Format::UnXml, "un/consolidated_2026-02-27.xml");
    let index = common::build(&[
        ("us_ofac_sdn", sdn),
        (
            "un_sc_sanctions",
            common::eval::without_original_script(&un),
        ),
    ]);
    let report = common::eval::run(&index, &eval_file("arabic.jsonl"), DEFAULT_THRESHOLD);
    report.print("arabic.jsonl");
    let (found, total) = report.positives();
    assert!(
        found as f64 >= 0.90 * total as f64,
        "Arabic-script names found: {found}/{total}"
    );
}

//! Screen one name against the 2021-07 SDN list (and the UN list) and print the results with
//! their explanations.
//!
//! ```text
//! cargo run --release -p interdict-matching --example explain -- Person "Alexander Lukashenko" 1954-08-30
//! ```

#[path = "../tests/common/mod.rs"]
mod common;

use interdict_lists::Format;
use interdict_matching::{Options, Query};
use interdict_model::Schema;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let schema = Schema::get(args.first().map(String::as_str).unwrap_or("Person"))
        .unwrap_or(Schema::named("Thing"));
    let name = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "Alexander Lukashenko".into());
    let mut query = Query::new(schema, name);
    if let Some(d) = args.get(2) {
        query = query.with_birth_date(d.clone());
    }
    let un = common::entities(Format::UnXml, "un/consolidated_2026-02-27.xml");
    let index = common::build(&[
        ("us_ofac_sdn", common::sdn_2021()),
        (
            "un_sc_sanctions",
            common::eval::without_original_script(&un),
        ),
    ]);
    let opts = Options {
        limit: 5,
        cutoff: 0.3,
        ..Options::default()
    };
    let results = index.search(&query, &opts);
    println!(
        "{}",
        serde_json::to_string_pretty(&results).unwrap_or_default()
    );
}

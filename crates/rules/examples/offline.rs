//! Decide the example dealings against the SDN files on disk, without a database: a quick way
//! to see what the engine says while editing the programme files.
//!
//! ```text
//! cargo run --release -p interdict-rules --example offline -- us examples/decisions/naftan-payment.json
//! ```

use std::path::PathBuf;

use interdict_lists::{Format, open};
use interdict_matching::{EntityMeta, IndexBuilder};
use interdict_model::{ListRecord, ListVersion};
use interdict_rules::{
    DecisionInput, Engine, Jurisdiction, ListBasis, ListView, OwnershipData, Programmes,
    select_versions,
};

const SDN: &[(&str, &str)] = &[
    ("ofac/sdn_csv_2021-07", "2021-07-07"),
    ("ofac/sdn_csv_snapshots/sdn_2021-08-18.csv", "2021-08-18"),
    ("ofac/sdn_csv_2023-12-28", "2023-12-28"),
    ("ofac/sdn_csv_snapshots/sdn_2024-05-03.csv", "2024-05-03"),
];

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut args = std::env::args().skip(1);
    let perspective = match args.next().as_deref() {
        Some("eu") => Jurisdiction::Eu,
        Some("uk") => Jurisdiction::Uk,
        _ => Jurisdiction::Us,
    };
    let engine = Engine::new(Programmes::bundled().expect("programmes")).expect("engine");
    let versions: Vec<ListVersion> = SDN
        .iter()
        .enumerate()
        .map(|(i, (_, date))| ListVersion {
            id: i as i64 + 1,
            dataset: "us_ofac_sdn".into(),
            format: "ofac-csv".into(),
            published: date.parse().ok(),
            imported_at: chrono::Utc::now(),
            sha256: format!("{:064}", i + 1),
            entity_count: 0,
            files: vec![],
        })
        .collect();
    let holdings =
        std::fs::read(root.join("crates/rules/tests/data/belarus-holdings.csv")).expect("holdings");
    for file in args {
        let bytes = std::fs::read(&file).expect("read");
        let mut dealing = interdict_dealings::read(&bytes, None, None).expect("dealing");
        if let Ok(at) = std::env::var("AS_OF") {
            dealing.as_of = interdict_dealings::AsOf::parse(&at, None).expect("as of");
        }
        let day = dealing.as_of.local_date();
        let chosen = select_versions(&versions, day);
        let mut builder = IndexBuilder::new();
        let mut basis = Vec::new();
        for (v, sel) in &chosen {
            let (path, _) = SDN[(v.id - 1) as usize];
            for r in open(Format::OfacCsv, &[root.join("data/lists").join(path)]).expect("open") {
                if let Ok(ListRecord::Entity(e)) = r {
                    builder.add(e, EntityMeta::dataset("us_ofac_sdn"));
                }
            }
            basis.push(ListBasis::of(v, *sel));
        }
        let index = builder.build().expect("index");
        let ownership =
            OwnershipData::from_holdings_csv("belarus-holdings.csv", &holdings, |text| {
                if index.contains(text) {
                    (
                        text.to_string(),
                        index.entity(text).map(|e| e.caption().to_string()),
                    )
                } else {
                    (
                        format!("registry-{}", interdict_model::id::slug(text)),
                        Some(text.to_string()),
                    )
                }
            })
            .expect("holdings");
        let decision = engine.decide(DecisionInput {
            dealing: &dealing,
            perspective,
            input_notes: &[],
            lists: ListView {
                index: &index,
                versions: &basis,
            },
            ownership: Some(&ownership),
            licences: &[],
        });
        println!("==== {file}\n{decision}");
    }
}

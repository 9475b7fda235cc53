//! Loading the real lists bundled with the repository, for tests and the evaluation.

#![allow(dead_code, missing_docs)]

use std::path::{Path, PathBuf};

use interdict_lists::{Format, open};
use interdict_matching::{EntityMeta, Index, IndexBuilder};
use interdict_model::{Entity, ListRecord};

pub mod eval;

pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/lists")
        .join(rel)
}

pub fn entities(format: Format, path: &str) -> Vec<Entity> {
    let import = open(format, &[data(path)]).expect("open list");
    import
        .filter_map(|r| match r.expect("record") {
            ListRecord::Entity(e) => Some(e),
            ListRecord::Delete(_) => None,
        })
        .collect()
}

pub fn sdn_2021() -> Vec<Entity> {
    entities(Format::OfacCsv, "ofac/sdn_csv_2021-07")
}

pub fn build(sets: &[(&str, Vec<Entity>)]) -> Index {
    let mut b = IndexBuilder::new();
    for (dataset, list) in sets {
        for e in list {
            b.add(e.clone(), EntityMeta::dataset(*dataset));
        }
    }
    b.build().expect("index")
}

/// One index over every list bundled with the binary (what `interdict serve` imports on a fresh
/// machine), for the speed examples and benchmarks.
pub fn bundled_index() -> Index {
    build(&[
        (
            "us_ofac_sdn",
            entities(Format::OfacCsv, "ofac/sdn_csv_2023-12-28"),
        ),
        (
            "us_ofac_cons",
            entities(Format::OfacCsv, "ofac/consolidated_csv_2025-12"),
        ),
        (
            "un_sc_sanctions",
            entities(Format::UnXml, "un/consolidated_2026-02-27.xml"),
        ),
        (
            "gb_hmt_sanctions",
            entities(Format::UkConlist, "uk/ConList_2020-04-27.csv"),
        ),
        (
            "eu_fsf",
            entities(Format::EuFsfXml, "eu/fsf_1_1_excerpt_2020-04-15.xml"),
        ),
    ])
}

/// The calling thread's CPU time in nanoseconds: unlike wall time, it does not count what the
/// machine gave to other processes.
pub fn thread_cpu_ns() -> u64 {
    cpu_time::ThreadTime::now().as_duration().as_nanos() as u64
}

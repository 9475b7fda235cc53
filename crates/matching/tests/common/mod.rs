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

//! The official lists bundled in the binary, so that `interdict serve` on a fresh machine, with
//! an empty embedded database, is a working screening service without a network.
//!
//! Only government data is bundled (US, UN, EU and UK; see `data/lists/SOURCES.md`), never the
//! OpenSanctions fixtures, which are CC BY-NC. The files are embedded byte for byte, written to
//! a temporary directory when needed, and imported through [`interdict_sync::import_files_with`]
//! like any other file, so the bundle obeys the same rules as `interdict import` (one
//! transaction per list, re-importing is a no-op).

use std::path::PathBuf;

use interdict_lists::Format;
use interdict_store::{ImportOutcome, Store};
use interdict_sync::SyncError;

/// One bundled list: its format, publication date (for files that state none) and files.
#[derive(Debug, Clone, Copy)]
pub struct BundledList {
    /// The import format.
    pub format: Format,
    /// The dataset the files hold.
    pub dataset: &'static str,
    /// The publication date to record when the files state none (the OFAC CSVs), ISO.
    pub published: Option<&'static str>,
    /// File name and content.
    pub files: &'static [(&'static str, &'static [u8])],
}

macro_rules! list_file {
    ($name:literal, $path:literal) => {
        (
            $name,
            include_bytes!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../data/lists/",
                $path
            )) as &[u8],
        )
    };
}

/// The bundle: the latest complete OFAC SDN CSV set (2023-12-28), the OFAC Consolidated CSV
/// set (downloaded by 2025-12-19; the files carry no date), the UN list of 2026-02-27, the EU
/// FSF excerpt of 2020-04-15 and the UK ConList of 2020-04-27.
pub const BUNDLE: [BundledList; 5] = [
    BundledList {
        format: Format::OfacCsv,
        dataset: "us_ofac_sdn",
        published: Some("2023-12-28"),
        files: &[
            list_file!("sdn.csv", "ofac/sdn_csv_2023-12-28/sdn.csv"),
            list_file!("add.csv", "ofac/sdn_csv_2023-12-28/add.csv"),
            list_file!("alt.csv", "ofac/sdn_csv_2023-12-28/alt.csv"),
            list_file!(
                "sdn_comments.csv",
                "ofac/sdn_csv_2023-12-28/sdn_comments.csv"
            ),
        ],
    },
    BundledList {
        format: Format::OfacCsv,
        dataset: "us_ofac_cons",
        published: Some("2025-12-19"),
        files: &[
            list_file!(
                "cons_prim.csv",
                "ofac/consolidated_csv_2025-12/cons_prim.csv"
            ),
            list_file!("cons_add.csv", "ofac/consolidated_csv_2025-12/cons_add.csv"),
            list_file!("cons_alt.csv", "ofac/consolidated_csv_2025-12/cons_alt.csv"),
            list_file!(
                "cons_comments.csv",
                "ofac/consolidated_csv_2025-12/cons_comments.csv"
            ),
        ],
    },
    BundledList {
        format: Format::UnXml,
        dataset: "un_sc_sanctions",
        published: None,
        files: &[list_file!(
            "consolidated_2026-02-27.xml",
            "un/consolidated_2026-02-27.xml"
        )],
    },
    BundledList {
        format: Format::EuFsfXml,
        dataset: "eu_fsf",
        published: None,
        files: &[list_file!(
            "fsf_1_1_excerpt_2020-04-15.xml",
            "eu/fsf_1_1_excerpt_2020-04-15.xml"
        )],
    },
    BundledList {
        format: Format::UkConlist,
        dataset: "gb_hmt_sanctions",
        published: None,
        files: &[list_file!(
            "ConList_2020-04-27.csv",
            "uk/ConList_2020-04-27.csv"
        )],
    },
];

/// Import every bundled list, one transaction each, and return what each import did. A list
/// already imported from the same bytes is not imported again.
pub async fn import_bundled(store: &Store) -> Result<Vec<ImportOutcome>, SyncError> {
    let mut outcomes = Vec::new();
    for list in BUNDLE {
        let dir = tempfile::Builder::new()
            .prefix("interdict-bundle-")
            .tempdir()?;
        let mut paths: Vec<PathBuf> = Vec::new();
        for (name, bytes) in list.files {
            let path = dir.path().join(name);
            tokio::fs::write(&path, bytes).await?;
            paths.push(path);
        }
        let published = list
            .published
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let outcome = interdict_sync::import_files_with(
            store,
            list.format,
            &paths,
            Some(list.dataset),
            published,
        )
        .await?;
        tracing::info!(
            dataset = list.dataset,
            version = outcome.version.id,
            entities = outcome.version.entity_count,
            created = outcome.created,
            "bundled list imported"
        );
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// Import the bundle if the store holds no list version at all; returns whether it did.
pub async fn import_bundled_if_empty(store: &Store) -> Result<bool, SyncError> {
    if !store.versions().await?.is_empty() {
        return Ok(false);
    }
    tracing::warn!(
        "the database holds no list: importing the official lists bundled in the binary"
    );
    import_bundled(store).await?;
    Ok(true)
}

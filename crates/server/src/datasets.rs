//! Datasets and collections as OpenSanctions names them, and the scope a `{dataset}` path
//! segment selects.
//!
//! A source dataset is one list (`us_ofac_sdn`); a collection is a union (`default` holds
//! every loaded dataset, `sanctions` every loaded official sanctions list). The well-known
//! OpenSanctions names of the official lists are always accepted, loaded or not (a list not
//! imported simply yields nothing); every imported dataset is accepted by its own name.

use interdict_snapshot::Snapshot;

use crate::error::ApiError;

/// The official lists by their OpenSanctions names, with a title and a summary.
pub const WELL_KNOWN: [(&str, &str, &str); 5] = [
    (
        "us_ofac_sdn",
        "US OFAC Specially Designated Nationals (SDN) List",
        "People, companies, vessels and aircraft whose property US persons must block.",
    ),
    (
        "us_ofac_cons",
        "US OFAC Consolidated (non-SDN) Sanctions List",
        "OFAC's non-SDN lists: sectoral sanctions (SSI), Chinese military companies (NS-CMIC), \
         Palestinian Legislative Council (NS-PLC) and others.",
    ),
    (
        "un_sc_sanctions",
        "UN Security Council Consolidated List",
        "Individuals and entities subject to measures imposed by the UN Security Council.",
    ),
    (
        "eu_fsf",
        "EU Financial Sanctions Files (FSF)",
        "Persons, groups and entities subject to EU financial sanctions.",
    ),
    (
        "gb_hmt_sanctions",
        "UK HM Treasury / OFSI Consolidated List",
        "Financial sanctions targets of the United Kingdom.",
    ),
];

/// The collection of every loaded dataset.
pub const DEFAULT: &str = "default";
/// The collection of every loaded official sanctions list.
pub const SANCTIONS: &str = "sanctions";

/// Whether a dataset comes from an official sanctions list (not an FtM file of other data).
fn is_official(snapshot: &Snapshot, dataset: &str) -> bool {
    snapshot
        .versions()
        .iter()
        .find(|v| v.dataset == dataset)
        .is_some_and(|v| {
            v.format != "ftm" && v.format != interdict_snapshot::ownership::REGISTRY_FORMAT
        })
        || WELL_KNOWN.iter().any(|(n, _, _)| *n == dataset)
}

/// Every dataset name the snapshot loads, sorted.
pub fn loaded(snapshot: &Snapshot) -> Vec<String> {
    snapshot
        .versions()
        .iter()
        .map(|v| v.dataset.clone())
        .collect()
}

/// The datasets a collection holds.
pub fn children(snapshot: &Snapshot, collection: &str) -> Vec<String> {
    let all = loaded(snapshot);
    match collection {
        DEFAULT => all,
        SANCTIONS => all
            .into_iter()
            .filter(|d| is_official(snapshot, d))
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether a name is a known dataset (well-known or loaded), not a collection.
pub fn is_dataset(snapshot: &Snapshot, name: &str) -> bool {
    WELL_KNOWN.iter().any(|(n, _, _)| *n == name)
        || snapshot.versions().iter().any(|v| v.dataset == name)
}

/// The datasets a name stands for: a collection's children or the dataset itself; `None` if
/// the name is unknown.
pub fn expand(snapshot: &Snapshot, name: &str) -> Option<Vec<String>> {
    if name == DEFAULT || name == SANCTIONS {
        Some(children(snapshot, name))
    } else if is_dataset(snapshot, name) {
        Some(vec![name.to_string()])
    } else {
        None
    }
}

/// The datasets a request may return: the path's scope, narrowed by `include_dataset` and
/// with `exclude_dataset` removed. `Err(404)` for an unknown scope, `Err(400)` for an unknown
/// name in the parameters.
pub fn scope(
    snapshot: &Snapshot,
    path_dataset: &str,
    include: &[String],
    exclude: &[String],
) -> Result<Vec<String>, ApiError> {
    let mut datasets = expand(snapshot, path_dataset).ok_or_else(|| {
        ApiError::not_found(format!("dataset not found: {path_dataset:?}; see /catalog"))
    })?;
    let names = |param: &str, values: &[String]| -> Result<Vec<String>, ApiError> {
        let mut out = Vec::new();
        for v in values {
            let e = expand(snapshot, v).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "query parameter `{param}`: unknown dataset {v:?}; see /catalog"
                ))
            })?;
            out.extend(e);
        }
        Ok(out)
    };
    if !include.is_empty() {
        let inc = names("include_dataset", include)?;
        datasets.retain(|d| inc.contains(d));
    }
    let exc = names("exclude_dataset", exclude)?;
    datasets.retain(|d| !exc.contains(d));
    Ok(datasets)
}

/// A readable title of a dataset or collection.
pub fn title(name: &str) -> (String, String) {
    match name {
        DEFAULT => (
            "All loaded lists".into(),
            "Every dataset this server loads.".into(),
        ),
        SANCTIONS => (
            "Official sanctions lists".into(),
            "Every loaded official sanctions list (OFAC, UN, EU, UK).".into(),
        ),
        _ => WELL_KNOWN
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, t, s)| (t.to_string(), s.to_string()))
            .unwrap_or_else(|| (name.to_string(), format!("The imported dataset {name}."))),
    }
}

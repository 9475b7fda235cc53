//! What an importer yields and the store consumes.

use crate::entity::Entity;

/// One record of a list file: an entity to hold in the new version, or (in a delta file) the id
/// of an entity to drop from the previous version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListRecord {
    /// The entity as the list now describes it (added or changed).
    Entity(Entity),
    /// The entity with this id is no longer on the list (delta files only).
    Delete(String),
}

/// Whether a file describes a whole list or the changes to the previous version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportMode {
    /// The file is the whole list: entities missing from it are removed.
    Full,
    /// The file holds changes (ADD/MOD/DEL) to the latest version of the dataset.
    Delta,
}

//! OFAC classic XML.

use std::path::PathBuf;

use crate::{Import, ImportError, Location};

/// Open files of this format for import (see [`crate::open`]).
pub fn open(paths: &[PathBuf]) -> Result<Import, ImportError> {
    let file = paths.first().cloned().unwrap_or_default();
    Err(ImportError::new(file, Location::File, "this format is not implemented yet"))
}

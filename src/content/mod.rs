//! Content: from the files of `content/` to a validated `Catalogue`. Knows nothing of HTML.

pub mod catalogue;
pub mod entry;
pub mod fields;
pub mod load;
pub mod page;
pub mod registry;
pub mod validate;
pub mod yaml;

pub use catalogue::{Catalogue, Innovation};

use crate::diagnostics::Diagnostic;
use std::path::Path;

/// load → validate → Catalogue. The catalogue is `None` when any error was found.
pub fn read_catalogue(
    root: &Path,
    opts: &validate::Options,
) -> (Option<Catalogue>, Vec<Diagnostic>) {
    validate::validate(load::load(root), opts)
}

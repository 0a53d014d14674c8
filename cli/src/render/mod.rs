//! Text rendering of the reports, one module per report. JSON is the reports' serde form; text
//! is written here. `common` holds what every report shares (header lines, wrapping, plurals);
//! `plumbing` folds the class-loader plumbing of dominator trees and GC-root paths; `entries`
//! says what a suspect's entries hold (shared with the HTML page).

mod common;
mod dominators;
pub(crate) mod entries;
mod growth;
mod histogram;
mod info;
mod leaks;
mod path;
mod plumbing;
mod runtime;
mod scan;
mod waste;

pub(crate) use common::{plural, set_width};
pub(crate) use dominators::dominators;
pub(crate) use growth::{diff, growth};
pub(crate) use histogram::histogram;
pub(crate) use info::info;
pub(crate) use leaks::leaks;
pub(crate) use path::{path, root_path_lines};
pub(crate) use plumbing::{collapse_loader_plumbing, LOADER_PLUMBING_LEVELS};
pub(crate) use runtime::{classloaders, resources, threadlocals};
pub(crate) use scan::{scan_line, scan_summary};
pub(crate) use waste::waste;

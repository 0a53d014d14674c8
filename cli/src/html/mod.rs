//! The self-contained HTML report (`hprofscan report`): one file with inline CSS, JS and SVG,
//! no network access and no external assets. Every string from a report is escaped with
//! [`common::escape`]; the reports are also embedded once as JSON in `<script id="data">`.
//!
//! `page` is the skeleton; each section has its module (`summary`, `suspects`, `dominators`
//! with the `treemap` layout, `tables`, `charts` for the growth across dumps, `waste`);
//! `common` holds escaping and the small helpers they share, `assets` the inline CSS and JS.

mod assets;
mod charts;
mod common;
mod dominators;
mod page;
mod summary;
mod suspects;
mod tables;
#[cfg(test)]
mod tests;
mod treemap;
pub(crate) mod waste;

use analyzer::leaks::LeakReport;
use analyzer::report::classloaders::ClassLoaderReport;
use analyzer::report::domtree::DominatorReport;
use analyzer::report::histogram::Histogram;
use analyzer::report::resources::ResourceReport;
use analyzer::report::threadlocals::ThreadLocalReport;
use serde::Serialize;

pub(crate) use page::render_html;

/// Everything one dump contributes to the HTML report.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct DumpReports {
    /// Leak suspects and big retainers.
    pub(crate) leaks: LeakReport,
    /// The dominator tree's biggest retainers.
    pub(crate) dominators: DominatorReport,
    /// The class histogram.
    pub(crate) histogram: Histogram,
    /// ThreadLocal values.
    pub(crate) threadlocals: ThreadLocalReport,
    /// Class loaders.
    pub(crate) classloaders: ClassLoaderReport,
    /// Open resources.
    pub(crate) resources: ResourceReport,
    /// Waste and the native memory referenced from the heap.
    pub(crate) waste: analyzer::report::waste::WasteReport,
}

/// The options of the dominator report the page draws: the default depth, plus the levels of
/// class-loader plumbing the page collapses (see [`crate::render::collapse_loader_plumbing`]).
pub(crate) fn dominator_options() -> analyzer::report::domtree::DominatorOptions {
    let d = analyzer::report::domtree::DominatorOptions::default();
    analyzer::report::domtree::DominatorOptions {
        depth: d.depth + crate::render::LOADER_PLUMBING_LEVELS,
        ..d
    }
}

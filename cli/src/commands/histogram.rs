//! `hprofscan histogram`: the class histogram, with retained bytes per class when asked (which
//! needs the graph and dominators; the plain histogram needs only the census).

use std::path::Path;
use std::time::Instant;

use analyzer::report::histogram::{HistogramOptions, SortBy};

use crate::args::SortKey;
use crate::exit::Failure;
use crate::render;

use super::Ctx;

/// The row order: `--sort` as given, or retained with `--retained`, else shallow.
fn sort_by(sort: Option<SortKey>, retained: bool) -> Result<SortBy, Failure> {
    let key = sort.unwrap_or(if retained {
        SortKey::Retained
    } else {
        SortKey::Shallow
    });
    Ok(match key {
        SortKey::Shallow => SortBy::Shallow,
        SortKey::Count => SortBy::Count,
        SortKey::Retained if retained => SortBy::Retained,
        SortKey::Retained => return Err(Failure::Usage("--sort retained needs --retained".into())),
    })
}

/// Runs `histogram` on one dump.
pub(crate) fn run(
    ctx: &Ctx<'_>,
    dump: &Path,
    top: Option<usize>,
    sort: Option<SortKey>,
    retained: bool,
) -> Result<u8, Failure> {
    if top == Some(0) {
        return Err(Failure::Usage("--top must be at least 1".into()));
    }
    let opts = HistogramOptions {
        top,
        sort: sort_by(sort, retained)?,
    };
    let heap = ctx.load(dump, retained)?;
    let report = if retained {
        let a = ctx.analyse(heap)?;
        let t = Instant::now();
        let per_class = analyzer::dom::retained_classes::retained_by_class(&a);
        ctx.reporter.note("by class", t);
        let mut r = analyzer::report::histogram::histogram_with(&a.heap, &opts, Some(&per_class));
        r.warnings = a.warnings();
        r
    } else {
        analyzer::report::histogram::histogram(&heap, &opts)
    };
    ctx.emit(&report, render::histogram)?;
    Ok(0)
}

//! `hprofscan dominators`: the dominator tree's biggest retainers; text folds the class-loader
//! plumbing, so it asks the analyzer for the levels the folding saves.

use std::path::Path;
use std::time::Instant;

use analyzer::report::domtree::DominatorOptions;

use crate::args::Format;
use crate::exit::Failure;
use crate::render;

use super::Ctx;

/// Runs `dominators` on one dump.
pub(crate) fn run(
    ctx: &Ctx<'_>,
    dump: &Path,
    top: usize,
    depth: usize,
    min_share: f64,
) -> Result<u8, Failure> {
    if top == 0 || depth == 0 || !(0.0..=1.0).contains(&min_share) {
        return Err(Failure::Usage(
            "--top and --depth must be at least 1, --min-share between 0 and 1".into(),
        ));
    }
    let a = ctx.analysis(dump)?;
    let t = Instant::now();
    // Text collapses the class-loader plumbing, so it asks for the levels it saves.
    let text = ctx.common.format == Format::Text;
    let extra = if text {
        render::LOADER_PLUMBING_LEVELS
    } else {
        0
    };
    let opts = DominatorOptions {
        top,
        depth: depth + extra,
        min_share,
    };
    let mut report = analyzer::report::domtree::dominator_report(&a, &opts);
    if text {
        render::collapse_loader_plumbing(&mut report, depth);
    }
    ctx.reporter.note("report", t);
    ctx.emit(&report, render::dominators)?;
    super::keep_until_exit(a);
    Ok(0)
}

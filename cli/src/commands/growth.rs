//! `hprofscan growth` and `hprofscan diff`: each dump summarised in turn (one loaded at a
//! time), then the summaries compared.

use std::path::{Path, PathBuf};

use analyzer::report::growth::{GrowthOptions, GrowthReport};

use crate::exit::Failure;
use crate::render;

use super::Ctx;

/// How many classes `diff` lists.
const DIFF_TOP_CLASSES: usize = 20;

/// Summarises each dump in turn (one loaded at a time), then compares the summaries.
fn report(ctx: &Ctx<'_>, dumps: &[PathBuf], top_classes: usize) -> Result<GrowthReport, Failure> {
    let mut summaries = Vec::with_capacity(dumps.len());
    let mut order = Vec::with_capacity(dumps.len());
    for d in dumps {
        let mut opts = crate::config::load_options(ctx.common);
        let (d, snapshot) = crate::config::split_snapshot(d);
        opts.snapshot = snapshot.or(opts.snapshot);
        let s = analyzer::report::growth::summarize_file(&d, &opts, &ctx.reporter)?;
        order.push(s.meta.path.clone());
        summaries.push(s);
        // Each dump's graph is gone now; hand its memory back before the next one.
        analyzer::Progress::finish(&ctx.reporter);
    }
    Ok(analyzer::report::growth::growth_report_with(
        summaries,
        &order,
        &GrowthOptions { top_classes },
    ))
}

/// Runs `growth` on two or more dumps.
pub(crate) fn growth(ctx: &Ctx<'_>, dumps: &[PathBuf], top_classes: usize) -> Result<u8, Failure> {
    let r = report(ctx, dumps, top_classes)?;
    ctx.emit(&r, render::growth)?;
    Ok(0)
}

/// Runs `diff` on two dumps.
pub(crate) fn diff(ctx: &Ctx<'_>, old: &Path, new: &Path) -> Result<u8, Failure> {
    let dumps = [old.to_path_buf(), new.to_path_buf()];
    let r = report(ctx, &dumps, DIFF_TOP_CLASSES)?;
    ctx.emit(&r, render::diff)?;
    Ok(0)
}

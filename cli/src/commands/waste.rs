//! `hprofscan waste`: memory held for nothing, by holder, with what a fix would save.

use std::path::Path;
use std::time::Instant;

use crate::exit::Failure;
use crate::render;

use super::Ctx;

/// Runs `waste` on one dump.
pub(crate) fn run(ctx: &Ctx<'_>, dump: &Path, top_values: usize) -> Result<u8, Failure> {
    let a = ctx.analysis(dump)?;
    let t = Instant::now();
    let opts = analyzer::report::waste::WasteOptions { top_values };
    let r = analyzer::report::waste::waste_report(&a, &opts, &ctx.reporter);
    ctx.reporter.note("waste", t);
    ctx.emit(&r, render::waste)?;
    Ok(0)
}

//! `hprofscan info`: what the file is and what it holds (builds the graph for the off-heap
//! line).

use std::path::Path;

use crate::exit::Failure;
use crate::render;

use super::Ctx;

/// Runs `info` on one dump.
pub(crate) fn run(ctx: &Ctx<'_>, dump: &Path) -> Result<u8, Failure> {
    let a = ctx.analysis(dump)?;
    let report = analyzer::report::info::info(&a);
    ctx.emit(&report, render::info)?;
    Ok(0)
}

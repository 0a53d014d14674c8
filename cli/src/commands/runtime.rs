//! `hprofscan threadlocals`, `classloaders` and `resources`: one analysed dump, one report.

use std::path::Path;

use crate::exit::Failure;
use crate::render;

use super::Ctx;

/// Runs `threadlocals` on one dump.
pub(crate) fn threadlocals(ctx: &Ctx<'_>, dump: &Path) -> Result<u8, Failure> {
    let a = ctx.analysis(dump)?;
    let r = analyzer::report::threadlocals::threadlocal_report(&a, &Default::default());
    ctx.emit(&r, render::threadlocals)?;
    Ok(0)
}

/// Runs `classloaders` on one dump.
pub(crate) fn classloaders(ctx: &Ctx<'_>, dump: &Path) -> Result<u8, Failure> {
    let a = ctx.analysis(dump)?;
    let r = analyzer::report::classloaders::classloader_report(&a, &Default::default());
    ctx.emit(&r, render::classloaders)?;
    Ok(0)
}

/// Runs `resources` on one dump.
pub(crate) fn resources(ctx: &Ctx<'_>, dump: &Path, max_open: u64) -> Result<u8, Failure> {
    let a = ctx.analysis(dump)?;
    let opts = analyzer::report::resources::ResourceOptions { max_open };
    let r = analyzer::report::resources::resource_report(&a, &opts);
    ctx.emit(&r, render::resources)?;
    Ok(0)
}

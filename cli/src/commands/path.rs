//! `hprofscan path`: the path from a GC root to an object, given by id or as the biggest
//! instance of a class.

use std::path::Path;

use analyzer::report::path::PathTarget;

use crate::exit::Failure;
use crate::render;

use super::Ctx;

/// An object id as typed: hex with `0x`, or decimal.
fn parse_id(s: &str) -> Result<u64, Failure> {
    let t = s.trim();
    let parsed = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => t.parse(),
    };
    parsed.map_err(|_| Failure::Usage(format!("--id {s:?} is not a number (use 0x... for hex)")))
}

/// Runs `path` on one dump.
pub(crate) fn run(
    ctx: &Ctx<'_>,
    dump: &Path,
    id: Option<&str>,
    class: Option<&str>,
) -> Result<u8, Failure> {
    let target = match (id, class) {
        (Some(id), _) => PathTarget::Id(parse_id(id)?),
        (None, Some(c)) => PathTarget::BiggestOf(c.to_owned()),
        (None, None) => return Err(Failure::Usage("give --id or --class".into())),
    };
    let a = ctx.analysis(dump)?;
    let report = analyzer::report::path::path_report(&a, &target)?;
    ctx.emit(&report, render::path)?;
    Ok(0)
}

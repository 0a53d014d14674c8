//! Text of `hprofscan growth` and `hprofscan diff`.

use std::io::{self, Write};

use crate::escape::name;
use crate::fmt::{bytes, thousands, utc};

use super::common::{series, warnings};

fn growth_holders(w: &mut dyn Write, r: &analyzer::report::growth::GrowthReport) -> io::Result<()> {
    writeln!(w, "Holders:")?;
    if r.holders.is_empty() {
        writeln!(w, "  (none)")?;
    }
    for h in &r.holders {
        let verdict = serde_json::to_value(h.verdict)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let rate = h
            .bytes_per_hour
            .map(|b| format!("  {}/hour", bytes(b.max(0.0) as u64)))
            .unwrap_or_default();
        writeln!(
            w,
            "  {}  {} entries  {}  {verdict}{rate}",
            name(&h.holder.display()),
            series(&h.entries, thousands),
            series(&h.retained_bytes, bytes)
        )?;
    }
    Ok(())
}

fn growth_classes(w: &mut dyn Write, r: &analyzer::report::growth::GrowthReport) -> io::Result<()> {
    writeln!(w, "Classes that grew most:")?;
    if r.classes.is_empty() {
        writeln!(w, "  (none)")?;
    }
    for c in &r.classes {
        let inst: Vec<Option<u64>> = c.instances.iter().map(|&x| Some(x)).collect();
        let sh: Vec<Option<u64>> = c.shallow_bytes.iter().map(|&x| Some(x)).collect();
        writeln!(
            w,
            "  {}  {} instances  {}",
            name(&c.class),
            series(&inst, thousands),
            series(&sh, bytes)
        )?;
    }
    Ok(())
}

fn growth_dumps(w: &mut dyn Write, r: &analyzer::report::growth::GrowthReport) -> io::Result<()> {
    for d in &r.dumps {
        writeln!(
            w,
            "dump      {}  {}  {} objects, reachable {}{}",
            name(&d.path),
            utc(d.timestamp_ms),
            thousands(d.objects),
            bytes(d.reachable_bytes),
            if d.complete { "" } else { "  (incomplete)" }
        )?;
    }
    writeln!(w)
}

/// Renders `growth`.
pub(crate) fn growth(
    w: &mut dyn Write,
    r: &analyzer::report::growth::GrowthReport,
) -> io::Result<()> {
    growth_dumps(w, r)?;
    growth_holders(w, r)?;
    writeln!(w)?;
    growth_classes(w, r)?;
    warnings(w, &r.warnings)
}

/// Renders `diff`: the same comparison, the class delta first.
pub(crate) fn diff(
    w: &mut dyn Write,
    r: &analyzer::report::growth::GrowthReport,
) -> io::Result<()> {
    growth_dumps(w, r)?;
    growth_classes(w, r)?;
    writeln!(w)?;
    growth_holders(w, r)?;
    warnings(w, &r.warnings)
}

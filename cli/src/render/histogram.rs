//! Text of `hprofscan histogram`.

use std::io::{self, Write};

use crate::escape::name;
use crate::fmt::{bytes, thousands};
use analyzer::report::histogram::Histogram;

use super::common::{dump_lines, model_line, warnings};

/// Renders `histogram`.
pub(crate) fn histogram(w: &mut dyn Write, r: &Histogram) -> io::Result<()> {
    dump_lines(w, &r.dump)?;
    writeln!(w)?;
    let retained = r
        .classes
        .first()
        .is_some_and(|c| c.retained_bytes.is_some());
    let ret_head = if retained { "  retained bytes" } else { "" };
    writeln!(
        w,
        "{:>5}  {:>13}  {:>15}{ret_head}  class",
        "#", "instances", "shallow bytes"
    )?;
    for (i, c) in r.classes.iter().enumerate() {
        let loaders = if c.loaders > 1 {
            format!("  ({} loaders)", c.loaders)
        } else {
            String::new()
        };
        let ret = c
            .retained_bytes
            .map(|b| format!("  {:>14}", thousands(b)))
            .unwrap_or_default();
        writeln!(
            w,
            "{:>5}  {:>13}  {:>15}{ret}  {}{}",
            i + 1,
            thousands(c.instances),
            thousands(c.shallow_bytes),
            name(&c.class),
            loaders
        )?;
    }
    if r.classes.is_empty() {
        writeln!(w, "{:>5}  (none)", "")?;
    }
    if r.rows_omitted > 0 {
        writeln!(
            w,
            "{:>5}  ({} more {})",
            "",
            thousands(r.rows_omitted as u64),
            if r.rows_omitted == 1 {
                "class"
            } else {
                "classes"
            }
        )?;
    }
    writeln!(w)?;
    writeln!(
        w,
        "total     {} objects and {} class objects, {} ({} bytes)",
        thousands(r.totals.objects),
        thousands(r.totals.classes),
        bytes(r.totals.shallow_bytes),
        thousands(r.totals.shallow_bytes)
    )?;
    writeln!(w, "sizes     {}", model_line(&r.size_model))?;
    warnings(w, &r.warnings)
}

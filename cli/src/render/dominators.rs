//! Text of `hprofscan dominators`.

use std::io::{self, Write};

use crate::escape::name;
use crate::fmt::{bytes, thousands};

use super::common::{dump_lines, node_name, plural, summary_lines, warnings};

/// Renders `dominators`.
pub(crate) fn dominators(
    w: &mut dyn Write,
    r: &analyzer::report::domtree::DominatorReport,
) -> io::Result<()> {
    dump_lines(w, &r.dump)?;
    summary_lines(w, &r.heap)?;
    writeln!(w)?;
    writeln!(
        w,
        "{:>12} {:>6}  {:>10}  retainer",
        "retained", "share", "shallow"
    )?;
    // Iterative walk; the shown tree is at most --depth deep.
    let mut stack: Vec<(&analyzer::report::domtree::DomNode, usize)> =
        r.tree.iter().rev().map(|n| (n, 0)).collect();
    while let Some((n, depth)) = stack.pop() {
        let via = n
            .via
            .as_deref()
            .map(|v| format!("{}  ", name(v)))
            .unwrap_or_default();
        writeln!(
            w,
            "{:>12} {:>5.1}%  {:>10}  {}{}{} {}",
            bytes(n.retained_bytes),
            n.share * 100.0,
            thousands(n.shallow_bytes),
            "  ".repeat(depth),
            via,
            node_name(n.kind, &n.class),
            n.id
        )?;
        for c in n.children.iter().rev() {
            stack.push((c, depth + 1));
        }
    }
    if r.tree.is_empty() {
        writeln!(w, "{:>12}  (none)", "")?;
    }
    if r.roots_omitted > 0 {
        writeln!(
            w,
            "({} not shown)",
            plural(
                r.roots_omitted,
                "smaller top-level retainer",
                "smaller top-level retainers"
            )
        )?;
    }
    warnings(w, &r.warnings)
}

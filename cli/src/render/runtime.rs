//! Text of `hprofscan threadlocals`, `classloaders` and `resources`.

use std::io::{self, Write};

use analyzer::report::threadlocals::ThreadLocalGroup;

use crate::escape::name;
use crate::fmt::{bytes, thousands};

use super::common::{dump_lines, holder_text, plural, warnings};

/// Renders `threadlocals`.
pub(crate) fn threadlocals(
    w: &mut dyn Write,
    r: &analyzer::report::threadlocals::ThreadLocalReport,
) -> io::Result<()> {
    dump_lines(w, &r.dump)?;
    let t = &r.totals;
    writeln!(
        w,
        "threads   {} ({} with ThreadLocal values); {}, {} stale; values retain {}",
        thousands(t.threads),
        thousands(t.threads_with_entries),
        plural(t.entries, "entry", "entries"),
        thousands(t.stale_entries),
        bytes(t.entries_retained_bytes)
    )?;
    writeln!(w)?;
    if r.groups.is_empty() {
        writeln!(w, "(none)")?;
    }
    for p in &r.per_object {
        let what = format!(
            "ThreadLocals {} (one per object, {})",
            holder_text(&p.group.declared_by),
            plural(p.thread_locals, "ThreadLocal", "ThreadLocals")
        );
        group_line(w, &what, &p.group)?;
    }
    // A per-object field's keys are each a group of their own: listed once, above.
    for g in r.groups.iter().filter(|g| !r.in_per_object(g)) {
        let what = if g.stale {
            plural(g.entries, "stale entry", "stale entries")
        } else {
            format!("ThreadLocal {}", holder_text(&g.declared_by))
        };
        group_line(w, &what, g)?;
    }
    warnings(w, &r.warnings)
}

/// One group's line: `what`, then its entries, threads and bytes.
fn group_line(w: &mut dyn Write, what: &str, g: &ThreadLocalGroup) -> io::Result<()> {
    writeln!(
        w,
        "{what}: {} x {} on {} ({}), {} {}",
        thousands(g.entries),
        name(&g.value_class),
        plural(g.threads, "thread", "threads"),
        name(&g.thread_pattern),
        if g.entries == 1 { "retains" } else { "retain" },
        bytes(g.entries_retained_bytes)
    )
}

/// Renders `classloaders`.
pub(crate) fn classloaders(
    w: &mut dyn Write,
    r: &analyzer::report::classloaders::ClassLoaderReport,
) -> io::Result<()> {
    dump_lines(w, &r.dump)?;
    writeln!(
        w,
        "loaders   {} ({} stale), {} defined",
        thousands(r.totals.loaders),
        thousands(r.totals.stale_loaders),
        plural(r.totals.classes, "class", "classes")
    )?;
    writeln!(w)?;
    writeln!(w, "{:>10} {:>8}  loader", "retained", "classes")?;
    if r.loaders.is_empty() {
        writeln!(w, "{:>10} {:>8}  (none)", "", "")?;
    }
    for l in &r.loaders {
        let loader_name = l
            .name
            .as_deref()
            .map(|n| format!(" \"{}\"", name(n)))
            .unwrap_or_default();
        let stale = if l.stale { "  STALE" } else { "" };
        let kept = if l.kept_alive_by.is_empty() {
            String::new()
        } else {
            format!("  kept by {}", name(&l.kept_alive_by.join("; ")))
        };
        writeln!(
            w,
            "{:>10} {:>8}  {}{loader_name} {}{stale}{kept}",
            bytes(l.retained_bytes),
            thousands(l.classes),
            name(&l.class),
            l.id
        )?;
    }
    writeln!(w)?;
    writeln!(w, "Classes defined by more than one loader:")?;
    if r.duplicate_classes.is_empty() {
        writeln!(w, "  (none)")?;
    }
    {
        for d in &r.duplicate_classes {
            writeln!(
                w,
                "  {} x{} ({} stale)",
                name(&d.class),
                d.copies,
                d.stale_copies
            )?;
        }
    }
    warnings(w, &r.warnings)
}

/// Renders `resources`.
pub(crate) fn resources(
    w: &mut dyn Write,
    r: &analyzer::report::resources::ResourceReport,
) -> io::Result<()> {
    dump_lines(w, &r.dump)?;
    let t = &r.totals;
    // zlib streams are named only when there are some (older reports had no such count).
    let zlib = if t.native_streams > 0 {
        format!(
            ", {}",
            plural(
                t.native_streams,
                "zlib stream not ended",
                "zlib streams not ended"
            )
        )
    } else {
        String::new()
    };
    writeln!(
        w,
        "open      {} ({}, {}, {}, {}{zlib}); {} closed",
        thousands(t.open),
        plural(t.files, "file", "files"),
        plural(t.sockets, "socket", "sockets"),
        plural(t.server_sockets, "server socket", "server sockets"),
        plural(
            t.pooled_borrowed,
            "borrowed pooled connection",
            "borrowed pooled connections"
        ),
        thousands(t.closed)
    )?;
    writeln!(w)?;
    if r.groups.is_empty() {
        writeln!(w, "(none)")?;
    }
    for g in &r.groups {
        writeln!(
            w,
            "{:>7} open of {:>7}  {}  {}  (retain {})",
            thousands(g.open),
            thousands(g.total),
            name(&g.class),
            holder_text(&g.holder),
            bytes(g.retained_bytes)
        )?;
    }
    warnings(w, &r.warnings)
}

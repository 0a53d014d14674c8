//! The table sections: class histogram, ThreadLocals, class loaders, open resources.

use std::fmt::Write as _;

use analyzer::base::text::{bytes, thousands};
use analyzer::report::classloaders::ClassLoaderReport;
use analyzer::report::histogram::Histogram;
use analyzer::report::resources::ResourceReport;
use analyzer::report::threadlocals::ThreadLocalReport;

use super::common::{escape, holder, kebab, pct, warnings};
use crate::render::plural;

/// The class histogram section.
pub(super) fn histogram_section(h: &mut String, p: &str, r: &Histogram) {
    let _ = writeln!(h, "<section id=\"{p}histogram\"><h2>Class histogram</h2>");
    let t = &r.totals;
    let _ = writeln!(
        h,
        "<p>{} ({} instances, {} object arrays, {} primitive arrays), {}, {} shallow.</p>",
        plural(t.objects, "object", "objects"),
        thousands(t.instances),
        thousands(t.object_arrays),
        thousands(t.primitive_arrays),
        plural(t.classes, "class", "classes"),
        escape(&bytes(t.shallow_bytes))
    );
    let retained = r.classes.iter().any(|c| c.retained_bytes.is_some());
    let _ = writeln!(
        h,
        "<input class=\"filter\" type=\"search\" placeholder=\"Filter classes\" data-table=\"{p}histogram-table\" aria-label=\"Filter classes\">"
    );
    let _ = writeln!(
        h,
        "<table class=\"sortable\" id=\"{p}histogram-table\"><thead><tr><th>Class</th><th class=\"n\">Instances</th><th class=\"n\">Shallow</th><th class=\"n\">Share</th><th class=\"n\">Loaders</th>{}</tr></thead><tbody>",
        if retained { "<th class=\"n\">Retained</th>" } else { "" }
    );
    for c in &r.classes {
        let share = if t.shallow_bytes > 0 {
            c.shallow_bytes as f64 / t.shallow_bytes as f64
        } else {
            0.0
        };
        let _ = write!(
            h,
            "<tr><td class=\"c\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{share}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td>",
            escape(&c.class),
            c.instances,
            thousands(c.instances),
            c.shallow_bytes,
            escape(&bytes(c.shallow_bytes)),
            pct(share),
            c.loaders,
            c.loaders
        );
        if retained {
            let v = c.retained_bytes.unwrap_or(0);
            let _ = write!(
                h,
                "<td class=\"n\" data-v=\"{v}\">{}</td>",
                escape(&bytes(v))
            );
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n");
    if r.rows_omitted > 0 {
        let _ = writeln!(
            h,
            "<p class=\"muted\">{} smaller classes not shown.</p>",
            thousands(r.rows_omitted as u64)
        );
    }
    h.push_str("</section>\n");
}

/// The ThreadLocal section: values by declaring field, stale entries apart.
pub(super) fn threadlocals_section(h: &mut String, p: &str, r: &ThreadLocalReport) {
    let _ = writeln!(h, "<section id=\"{p}threadlocals\"><h2>ThreadLocals</h2>");
    let t = &r.totals;
    let _ = writeln!(
        h,
        "<p>{} ({} with ThreadLocal values); {}, {} stale; values retain {}.</p>",
        plural(t.threads, "thread", "threads"),
        thousands(t.threads_with_entries),
        plural(t.entries, "entry", "entries"),
        thousands(t.stale_entries),
        escape(&bytes(t.entries_retained_bytes))
    );
    if !r.groups.is_empty() {
        h.push_str("<table class=\"sortable\"><thead><tr><th>ThreadLocal</th><th class=\"n\">Entries</th><th>Values</th><th class=\"n\">Threads</th><th>Thread names</th><th class=\"n\">Retained</th></tr></thead><tbody>\n");
        let per_object = r.per_object.iter().map(|p| {
            let name = format!(
                "{} (one per object, {})",
                p.group
                    .declared_by
                    .as_ref()
                    .map_or_else(|| "?".to_owned(), holder),
                plural(p.thread_locals, "ThreadLocal", "ThreadLocals")
            );
            (name, &p.group)
        });
        let single = r.groups.iter().filter(|g| !r.in_per_object(g)).map(|g| {
            let name = if g.stale {
                "<span class=\"bad\">stale entries</span>".to_owned()
            } else if let Some(d) = &g.declared_by {
                holder(d)
            } else if let Some(k) = &g.key {
                format!("{} {}", escape(&k.class), escape(&k.id.to_string()))
            } else {
                "?".to_owned()
            };
            (name, g)
        });
        for (name, g) in per_object.chain(single) {
            let _ = writeln!(
                h,
                "<tr><td class=\"c\">{name}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"c\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td>{}</td><td class=\"n\" data-v=\"{}\">{}</td></tr>",
                g.entries,
                thousands(g.entries),
                escape(&g.value_class),
                g.threads,
                thousands(g.threads),
                escape(&g.thread_pattern),
                g.entries_retained_bytes,
                escape(&bytes(g.entries_retained_bytes))
            );
        }
        h.push_str("</tbody></table>\n");
    }
    warnings(h, &r.warnings);
    h.push_str("</section>\n");
}

/// The class-loader section: every loader, then classes defined more than once.
pub(super) fn classloaders_section(h: &mut String, p: &str, r: &ClassLoaderReport) {
    let _ = writeln!(h, "<section id=\"{p}classloaders\"><h2>Class loaders</h2>");
    let t = &r.totals;
    let _ = writeln!(
        h,
        "<p>{} ({} stale), {} defined ({} by the bootstrap loader), {} defined more than once.</p>",
        plural(t.loaders, "loader", "loaders"),
        thousands(t.stale_loaders),
        plural(t.classes, "class", "classes"),
        thousands(t.bootstrap_classes),
        plural(t.duplicate_class_names, "class name", "class names")
    );
    if !r.loaders.is_empty() {
        h.push_str("<table class=\"sortable\"><thead><tr><th>Loader</th><th class=\"n\">Classes</th><th class=\"n\">Live instances</th><th class=\"n\">Retained</th><th>State</th><th>Kept alive by</th></tr></thead><tbody>\n");
        for l in &r.loaders {
            let kept = match &l.holder {
                Some(hd) => format!("field {}", holder(hd)),
                None => escape(&l.kept_alive_by.join(", ")),
            };
            let _ = writeln!(
                h,
                "<tr><td class=\"c loader\">{}{} <span class=\"muted\">{}</span></td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td>{}</td><td class=\"c loader\">{}</td></tr>",
                escape(&l.class),
                l.name.as_ref().map(|n| format!(" &quot;{}&quot;", escape(n))).unwrap_or_default(),
                escape(&l.id.to_string()),
                l.classes,
                thousands(l.classes),
                l.live_instances,
                thousands(l.live_instances),
                l.retained_bytes,
                escape(&bytes(l.retained_bytes)),
                if l.stale { "<span class=\"bad\">stale</span>" } else { "live" },
                kept
            );
        }
        h.push_str("</tbody></table>\n");
    }
    if !r.duplicate_classes.is_empty() {
        h.push_str("<h3>Classes defined by more than one loader</h3><table class=\"sortable\"><thead><tr><th>Class</th><th class=\"n\">Copies</th><th class=\"n\">Stale copies</th></tr></thead><tbody>\n");
        for d in &r.duplicate_classes {
            let _ = writeln!(
                h,
                "<tr><td class=\"c\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td></tr>",
                escape(&d.class),
                d.copies,
                thousands(d.copies),
                d.stale_copies,
                thousands(d.stale_copies)
            );
        }
        h.push_str("</tbody></table>\n");
    }
    warnings(h, &r.warnings);
    h.push_str("</section>\n");
}

/// The open-resources section, by holder.
pub(super) fn resources_section(h: &mut String, p: &str, r: &ResourceReport) {
    let _ = writeln!(h, "<section id=\"{p}resources\"><h2>Open resources</h2>");
    let t = &r.totals;
    let _ = writeln!(
        h,
        "<p>{} open: {} files, {} sockets, {} server sockets, {} datagram sockets, {} pooled connections borrowed, {} zlib streams not ended; {} closed, {} standard streams.</p>",
        thousands(t.open),
        thousands(t.files),
        thousands(t.sockets),
        thousands(t.server_sockets),
        thousands(t.datagrams),
        thousands(t.pooled_borrowed),
        thousands(t.native_streams),
        thousands(t.closed),
        thousands(t.standard_streams)
    );
    if !r.groups.is_empty() {
        h.push_str("<table class=\"sortable\"><thead><tr><th>Held by</th><th>Kind</th><th>Class</th><th class=\"n\">Open</th><th class=\"n\">Total</th><th class=\"n\">Retained</th><th>Example</th></tr></thead><tbody>\n");
        for g in &r.groups {
            let _ = writeln!(
                h,
                "<tr><td class=\"c\">{}</td><td>{}</td><td class=\"c\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"c\">{}</td></tr>",
                g.holder.as_ref().map(holder).unwrap_or_else(|| "<span class=\"muted\">no application field</span>".into()),
                escape(&kebab(&g.kind)),
                escape(&g.class),
                g.open,
                thousands(g.open),
                g.total,
                thousands(g.total),
                g.retained_bytes,
                escape(&bytes(g.retained_bytes)),
                escape(&g.example.to_string())
            );
        }
        h.push_str("</tbody></table>\n");
    }
    warnings(h, &r.warnings);
    h.push_str("</section>\n");
}

//! The leak suspects section: one card per suspect with its evidence, explanation and path.

use std::fmt::Write as _;

use analyzer::base::text::{bytes, thousands};
use analyzer::leaks::{LeakReport, Suspect};
use analyzer::report::finding::name_pattern;

use super::common::{escape, holder, kebab, pct};

fn series_text(v: &[Option<u64>], f: fn(u64) -> String) -> String {
    v.iter()
        .map(|x| x.map_or("–".to_owned(), f))
        .collect::<Vec<_>>()
        .join(" → ")
}

/// The anchor of a suspect's box in the page.
pub(super) fn suspect_anchor(p: &str, s: &Suspect) -> String {
    format!("{p}suspect-{}", s.rank)
}

/// One suspect's box: its headline, what it holds, the evidence, the path, why.
fn suspect(h: &mut String, p: &str, s: &Suspect) {
    headline(h, p, s);
    holds(h, s);
    evidence(h, s);
    path(h, s);
    let _ = writeln!(
        h,
        "<dt>why</dt><dd>{}</dd></dl></div>",
        escape(&s.explanation)
    );
}

/// The box's heading (rank, verdict, kind, holder) and what it retains; opens the `<dl>`.
fn headline(h: &mut String, p: &str, s: &Suspect) {
    let _ = write!(
        h,
        "<div class=\"suspect\" id=\"{}\"><h3>",
        suspect_anchor(p, s)
    );
    let _ = write!(
        h,
        "#{} <span class=\"kind\">{} · {} confidence</span> <span class=\"kind\">{}</span><span class=\"holder\">{}</span></h3>",
        s.rank,
        escape(s.verdict.as_str()),
        escape(&kebab(&s.confidence)),
        escape(&kebab(&s.kind)),
        holder(&s.holder)
    );
    let native = s
        .native_bytes
        .map(|n| {
            format!(
                " and <b>{}</b> of native memory outside the heap",
                escape(&bytes(n))
            )
        })
        .unwrap_or_default();
    let _ = write!(
        h,
        "<div>retains <b>{}</b> ({} of the reachable heap){native}</div><dl class=\"kv\">",
        escape(&bytes(s.retained_bytes)),
        pct(s.share)
    );
}

/// What the suspect holds: the way to it, the collection, its entries and their facts, values,
/// stale entries, threads, growth.
fn holds(h: &mut String, s: &Suspect) {
    if !s.holder_via.is_empty() {
        let _ = write!(
            h,
            "<dt>via</dt><dd class=\"mono\">{}</dd>",
            escape(&s.holder_via.join(" "))
        );
    }
    let _ = write!(
        h,
        "<dt>collection</dt><dd class=\"mono\">{} <span class=\"muted\">{}</span></dd>",
        escape(&s.collection_class),
        escape(&s.collection.id.to_string())
    );
    if s.entries > 0 || !s.element_class.is_empty() {
        let _ = write!(
            h,
            "<dt>entries</dt><dd class=\"mono\">{}",
            escape(&crate::render::entries::entries_line(s))
        );
        if s.element_classes.len() > 1 {
            let list: Vec<String> = s
                .element_classes
                .iter()
                .take(5)
                .map(|c| format!("{} {}", escape(&c.class), thousands(c.count)))
                .collect();
            let _ = write!(
                h,
                " <span class=\"muted\">(sample: {})</span>",
                list.join(", ")
            );
        }
        h.push_str("</dd>");
    }
    for (label, text) in crate::render::entries::facts(s) {
        let _ = write!(
            h,
            "<dt>{label}</dt><dd class=\"mono\">{}</dd>",
            escape(&text)
        );
    }
    if let Some(v) = &s.value_class {
        let _ = write!(h, "<dt>values</dt><dd class=\"mono\">{}</dd>", escape(v));
    }
    if let Some(n) = s.stale_entries {
        let _ = write!(h, "<dt>stale entries</dt><dd>{}</dd>", thousands(n));
    }
    if !s.threads.is_empty() {
        let _ = write!(
            h,
            "<dt>threads</dt><dd>{}</dd>",
            escape(&name_pattern(&s.threads))
        );
    }
    if let Some(g) = &s.growth {
        let _ = write!(
            h,
            "<dt>growth</dt><dd>{} entries, {} retained <b>{}</b></dd>",
            escape(&series_text(&g.entries, thousands)),
            escape(&series_text(&g.retained_bytes, bytes)),
            escape(g.verdict.as_str())
        );
    }
}

/// The evidence for (▲) and against (▼) a leak.
fn evidence(h: &mut String, s: &Suspect) {
    if !s.evidence.is_empty() {
        h.push_str("<dt>evidence</dt><dd><ul class=\"evidence\">");
        for e in &s.evidence {
            let _ = write!(
                h,
                "<li>{} <b>{}</b> {}: {}</li>",
                if e.supports == analyzer::leaks::Supports::Leak {
                    "▲"
                } else {
                    "▼"
                },
                escape(&kebab(&e.strength)),
                escape(&kebab(&e.name)),
                escape(&e.detail)
            );
        }
        h.push_str("</ul></dd>");
    }
}

/// The path from a GC root, the class-loader plumbing folded.
fn path(h: &mut String, s: &Suspect) {
    if !s.gc_root_path.is_empty() {
        h.push_str("<dt>path</dt><dd><ol class=\"path\">");
        for step in crate::render::root_path_lines(&s.gc_root_path) {
            let _ = write!(h, "<li>{}</li>", escape(&step));
        }
        h.push_str("</ol></dd>");
    }
}

/// The leak suspects section, then the big retainers that are not suspects.
pub(super) fn suspects_section(h: &mut String, p: &str, r: &LeakReport) {
    let _ = writeln!(h, "<section id=\"{p}suspects\"><h2>Leak suspects</h2>");
    if r.suspects.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"ok\">No leak suspects (threshold {} of the reachable heap).</p>",
            pct(r.threshold)
        );
    }
    for s in &r.suspects {
        suspect(h, p, s);
    }
    if !r.top_retainers.is_empty() {
        let _ = writeln!(h, "<h3>Big retainers that are not suspects</h3><table class=\"sortable\"><thead><tr><th>Object</th><th>Holder</th><th class=\"n\">Retained</th><th class=\"n\">Share</th><th>Why not a leak</th></tr></thead><tbody>");
        for t in &r.top_retainers {
            let _ = writeln!(
                h,
                "<tr><td class=\"c\">{} {}</td><td class=\"c\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td>{}</td></tr>",
                escape(&t.class),
                escape(&t.id.to_string()),
                t.holder.as_ref().map(holder).unwrap_or_default(),
                t.retained_bytes,
                escape(&bytes(t.retained_bytes)),
                t.share,
                pct(t.share),
                escape(&t.reason)
            );
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str("</section>\n");
}

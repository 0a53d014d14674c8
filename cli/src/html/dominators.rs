//! The biggest retainers section: a treemap of the dominator tree (a suspect's boxes link to
//! the suspect) and its table.

use std::fmt::Write as _;

use analyzer::base::text::{bytes, thousands};
use analyzer::leaks::LeakReport;
use analyzer::report::domtree::{DomNode, DominatorReport};

use super::common::{escape, pct, warnings};
use super::suspects::suspect_anchor;
use super::treemap::{squarify, Rect};

const PALETTE: [(u16, u8); 8] = [
    (212, 55),
    (28, 70),
    (145, 45),
    (350, 55),
    (265, 40),
    (48, 75),
    (185, 50),
    (0, 0),
];

fn truncate_label(s: &str, width: f64) -> Option<String> {
    let max = ((width - 6.0) / 6.2).floor();
    if max < 4.0 {
        return None;
    }
    let max = max as usize;
    let n = s.chars().count();
    if n <= max {
        return Some(s.to_owned());
    }
    // Keep the end: the simple class name is the informative part.
    let tail: String = s.chars().skip(n - (max - 1)).collect();
    Some(format!("…{tail}"))
}

fn node_label(n: &DomNode) -> String {
    match &n.via {
        Some(v) if !v.starts_with("gc root") => format!("{} {}", v, n.class),
        _ => n.class.clone(),
    }
}

/// Objects of the treemap that are a suspect's collection or accumulation point: their anchor and
/// rank.
type SuspectLinks = std::collections::HashMap<String, (String, usize)>;

/// What every box of one treemap shares.
struct Treemap<'a> {
    /// The suspects' objects and their anchors.
    links: &'a SuspectLinks,
    /// The reachable heap: the denominator of each box's share.
    total: u64,
}

/// The boxes of `nodes` (and of `rest`, what the shown nodes leave of their parent) laid out
/// in `r`, their children nested inside down to depth 3.
fn treemap_nodes(
    h: &mut String,
    t: &Treemap,
    nodes: &[&DomNode],
    rest: u64,
    r: Rect,
    depth: usize,
    hue: Option<(u16, u8)>,
) {
    let mut values: Vec<f64> = nodes.iter().map(|n| n.retained_bytes as f64).collect();
    if rest > 0 {
        values.push(rest as f64);
    }
    let rects = squarify(&values, r);
    for (k, rect) in rects.iter().enumerate() {
        if rect.w < 1.0 || rect.h < 1.0 {
            continue;
        }
        let Some(n) = nodes.get(k) else {
            // The part of the parent not in any shown child.
            if depth == 0 {
                other_box(h, *rect, rest);
            }
            continue;
        };
        let (hue_v, sat) = hue.unwrap_or(PALETTE[k % PALETTE.len()]);
        let header = node_box(h, t, n, *rect, depth, (hue_v, sat));
        // Children nested inside, below the label.
        let inner = Rect {
            x: rect.x + 3.0,
            y: rect.y + header.max(3.0),
            w: rect.w - 6.0,
            h: rect.h - header.max(3.0) - 3.0,
        };
        if depth < 3 && !n.children.is_empty() && inner.w > 24.0 && inner.h > 20.0 {
            let kids: Vec<&DomNode> = n.children.iter().collect();
            let shown: u64 = kids.iter().map(|c| c.retained_bytes).sum();
            treemap_nodes(
                h,
                t,
                &kids,
                n.retained_bytes.saturating_sub(shown),
                inner,
                depth + 1,
                Some((hue_v, sat)),
            );
        }
    }
}

/// The box of what the shown children leave of their parent (top level only).
fn other_box(h: &mut String, rect: Rect, rest: u64) {
    let _ = write!(
        h,
        "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#e9ecf1\" stroke=\"#fff\"><title>other objects: {}</title></rect>",
        rect.x, rect.y, rect.w, rect.h, escape(&bytes(rest))
    );
    if let Some(l) = truncate_label("other objects", rect.w) {
        if rect.h > 16.0 {
            let _ = write!(
                h,
                "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                rect.x + 4.0,
                rect.y + 13.0,
                escape(&l)
            );
        }
    }
}

/// One node's box: its rectangle (a link when it is a suspect's), the title with its sizes and
/// a label when there is room; returns the height the label takes.
fn node_box(
    h: &mut String,
    t: &Treemap,
    n: &DomNode,
    rect: Rect,
    depth: usize,
    (hue_v, sat): (u16, u8),
) -> f64 {
    let (links, total) = (t.links, t.total);
    let light = (88 - 10 * depth as i32).max(50);
    let link = links.get(&n.id.to_string());
    if let Some((anchor, _)) = link {
        let _ = write!(h, "<a href=\"#{}\">", escape(anchor));
    }
    let _ = write!(
        h,
        "<g><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"hsl({},{}%,{}%)\" stroke=\"#fff\" stroke-width=\"{}\"><title>{}{}\n{}  retained {} ({}), shallow {}</title></rect>",
        rect.x,
        rect.y,
        rect.w,
        rect.h,
        hue_v,
        sat,
        light,
        if depth == 0 { 2 } else { 1 },
        link.map(|(_, rank)| format!("leak suspect #{rank}: "))
            .unwrap_or_default(),
        escape(&node_label(n)),
        escape(&n.id.to_string()),
        escape(&bytes(n.retained_bytes)),
        pct(if total > 0 { n.retained_bytes as f64 / total as f64 } else { n.share }),
        escape(&bytes(n.shallow_bytes)),
    );
    let mut header: f64 = 0.0;
    if rect.h > 16.0 {
        // A collapsed class-loader step is labelled with its class; the title has the loader.
        let class = n.class.split(", defined by ").next().unwrap_or(&n.class);
        let mark = link
            .map(|(_, rank)| format!("#{rank} "))
            .unwrap_or_default();
        if let Some(l) = truncate_label(
            &format!("{mark}{class} {}", bytes(n.retained_bytes)),
            rect.w,
        ) {
            let _ = write!(
                h,
                "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                rect.x + 4.0,
                rect.y + 13.0,
                escape(&l)
            );
            header = 17.0;
        }
    }
    h.push_str("</g>");
    if link.is_some() {
        h.push_str("</a>");
    }
    header
}

/// One row of the table per node, children indented below their parent.
fn rows(h: &mut String, n: &DomNode, depth: usize) {
    let _ = writeln!(
        h,
        "<tr><td class=\"c\" style=\"padding-left:{}px\">{} <span class=\"muted\">{}</span></td><td class=\"c\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
        8 + 18 * depth,
        escape(&n.class),
        escape(&n.id.to_string()),
        escape(n.via.as_deref().unwrap_or("")),
        escape(&bytes(n.retained_bytes)),
        pct(n.share),
        escape(&bytes(n.shallow_bytes))
    );
    for c in &n.children {
        rows(h, c, depth + 1);
    }
}

/// The treemap of the tree's roots in a 1200 x 560 SVG; `total` is the reachable heap.
fn treemap(h: &mut String, roots: &[&DomNode], total: u64, links: &SuspectLinks) {
    let shown: u64 = roots.iter().map(|n| n.retained_bytes).sum();
    let (w, hh) = (1200.0, 560.0);
    let _ = write!(
        h,
        "<svg class=\"treemap\" viewBox=\"0 0 {w} {hh}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\" aria-label=\"Treemap of the biggest retainers; the boxes of leak suspects link to them\">"
    );
    treemap_nodes(
        h,
        &Treemap { links, total },
        roots,
        total.saturating_sub(shown),
        Rect {
            x: 0.0,
            y: 0.0,
            w,
            h: hh,
        },
        0,
        None,
    );
    h.push_str("</svg>\n");
}

/// The biggest retainers section: the treemap, then the tree as a table.
pub(super) fn dominators_section(h: &mut String, p: &str, r: &DominatorReport, leaks: &LeakReport) {
    // The class-loader plumbing is one step here too; the embedded JSON keeps every step.
    let mut collapsed = r.clone();
    crate::render::collapse_loader_plumbing(
        &mut collapsed,
        analyzer::report::domtree::DominatorOptions::default().depth,
    );
    let r = &collapsed;
    let mut links = SuspectLinks::new();
    for s in &leaks.suspects {
        for id in [&s.accumulation_point.id, &s.collection.id] {
            links.insert(id.to_string(), (suspect_anchor(p, s), s.rank));
        }
    }
    let _ = writeln!(
        h,
        "<section id=\"{p}dominators\"><h2>Biggest retainers (dominator tree)</h2>"
    );
    let total = r.heap.reachable_bytes;
    let roots: Vec<&DomNode> = r.tree.iter().collect();
    let _ = writeln!(
        h,
        "<p class=\"muted\">Each box is an object; its area is what it retains, boxes inside it are what it dominates. The whole area is the reachable heap ({}). Hover for details.</p>",
        escape(&bytes(total))
    );
    treemap(h, &roots, total, &links);
    // The same as an indented table.
    h.push_str("<table><thead><tr><th>Object</th><th>Held by</th><th class=\"n\">Retained</th><th class=\"n\">Share</th><th class=\"n\">Shallow</th></tr></thead><tbody>\n");
    for n in &r.tree {
        rows(h, n, 0);
    }
    h.push_str("</tbody></table>\n");
    if r.roots_omitted > 0 {
        let _ = writeln!(
            h,
            "<p class=\"muted\">{} smaller top-level retainers not shown.</p>",
            thousands(r.roots_omitted)
        );
    }
    warnings(h, &r.warnings);
    h.push_str("</section>\n");
}

//! Text rendering of the reports. JSON is the reports' serde form; text is written here.

use std::io::{self, Write};

use analyzer::histogram::{Histogram, Totals};
use analyzer::path::Shown;
use analyzer::size::SizeModel;
use analyzer::DumpMeta;

use crate::escape::name;
use crate::fmt::{bytes, thousands, utc};
pub use crate::render_info::info;

pub(crate) fn dump_lines(w: &mut dyn Write, d: &DumpMeta) -> io::Result<()> {
    writeln!(w, "dump      {}", name(&d.path))?;
    let size = if d.gzip {
        format!(
            "{} bytes gzip, {} bytes uncompressed",
            thousands(d.bytes),
            thousands(d.uncompressed_bytes)
        )
    } else {
        format!("{} bytes", thousands(d.bytes))
    };
    hanging(
        w,
        "format    ",
        &format!(
            "{}, {}-byte ids, {}; written {}",
            name(&d.format),
            d.id_size,
            size,
            utc(d.timestamp_ms)
        ),
    )?;
    if !d.complete {
        writeln!(
            w,
            "complete  NO: analysed as far as it is intact (--partial)"
        )?;
    }
    Ok(())
}

pub(crate) fn model_line(m: &SizeModel) -> String {
    let kind = if m.art {
        "Android ART".to_string()
    } else if m.field_layout == analyzer::size::FieldLayout::PerClass {
        format!("{}, JDK 14 field layout", model_line_base(m))
    } else {
        model_line_base(m)
    };
    format!(
        "{kind} ({}-byte headers, {}-byte references, {}-byte array headers)",
        m.object_header, m.reference, m.array_header
    )
}

fn model_line_base(m: &SizeModel) -> String {
    if m.reference == 4 && m.object_header == 8 {
        "32-bit JVM".to_string()
    } else if m.compressed_oops {
        "64-bit JVM, compressed oops".to_string()
    } else if m.compressed_class_pointers {
        "64-bit JVM, uncompressed oops".to_string()
    } else {
        "64-bit JVM, nothing compressed".to_string()
    }
}

pub(crate) fn totals_lines(w: &mut dyn Write, t: &Totals) -> io::Result<()> {
    writeln!(
        w,
        "objects   {} (instances {}, object arrays {}, primitive arrays {})",
        thousands(t.objects),
        thousands(t.instances),
        thousands(t.object_arrays),
        thousands(t.primitive_arrays)
    )?;
    writeln!(w, "classes   {}", thousands(t.classes))?;
    Ok(())
}

pub(crate) fn warnings(w: &mut dyn Write, list: &[String]) -> io::Result<()> {
    for x in list {
        hanging(w, "warning: ", &name(x))?;
    }
    Ok(())
}

/// Renders `histogram`.
pub fn histogram(w: &mut dyn Write, r: &Histogram) -> io::Result<()> {
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

fn summary_lines(w: &mut dyn Write, h: &analyzer::analysis::HeapSummary) -> io::Result<()> {
    hanging(
        w,
        "heap      ",
        &format!(
            "{}, {}, {}; reachable {} in {}",
            plural(h.objects, "object", "objects"),
            plural(h.classes, "class", "classes"),
            plural(h.gc_roots, "GC root", "GC roots"),
            bytes(h.reachable_bytes),
            plural(h.reachable_objects, "object", "objects")
        ),
    )?;
    if h.weakly_reachable_objects > 0 || h.unreachable_objects > 0 {
        hanging(
            w,
            "          ",
            &format!(
                "weakly reachable {} in {}; unreachable {} in {}",
                bytes(h.weakly_reachable_bytes),
                plural(h.weakly_reachable_objects, "object", "objects"),
                bytes(h.unreachable_bytes),
                plural(h.unreachable_objects, "object", "objects")
            ),
        )?;
    }
    Ok(())
}

fn node_name(kind: analyzer::objects::NodeKind, class: &str) -> String {
    if kind == analyzer::objects::NodeKind::Class {
        format!("class {}", name(class))
    } else {
        name(class).into_owned()
    }
}

/// Extra levels asked of the analyzer so that the class-loader plumbing a text tree collapses
/// does not use up `--depth`.
pub const LOADER_PLUMBING_LEVELS: usize = 3;

/// How a class loader is named in a collapsed step.
fn loader_phrase(loader: &analyzer::domtree::DomNode) -> String {
    loader_phrase_of(&loader.class, &loader.id)
}

/// How the class loader of class `class` and id `id` is named in a collapsed step.
fn loader_phrase_of(class: &str, id: &str) -> String {
    match class {
        "jdk.internal.loader.ClassLoaders$AppClassLoader" | "sun.misc.Launcher$AppClassLoader" => {
            "the system class loader".into()
        }
        "jdk.internal.loader.ClassLoaders$PlatformClassLoader"
        | "sun.misc.Launcher$ExtClassLoader" => "the platform class loader".into(),
        c => format!("class loader {c} {id}"),
    }
}

/// The class objects a loader holds through `.classes -> .elementData -> [i]`, and the loader's
/// other children; None when `n` is not a class loader holding classes that way.
fn loader_classes(
    n: &analyzer::domtree::DomNode,
) -> Option<(
    Vec<analyzer::domtree::DomNode>,
    Vec<analyzer::domtree::DomNode>,
)> {
    use analyzer::objects::NodeKind;
    if n.kind == NodeKind::Class || !n.class.contains("ClassLoader") {
        return None;
    }
    let pos = n.children.iter().position(|c| {
        c.via.as_deref() == Some(".classes")
            && c.children.len() == 1
            && c.children[0].via.as_deref() == Some(".elementData")
            && c.children[0]
                .children
                .iter()
                .all(|k| k.kind == NodeKind::Class)
            && !c.children[0].children.is_empty()
    })?;
    let mut rest = n.children.clone();
    let list = rest.remove(pos);
    let classes = list.children[0].children.clone();
    Some((classes, rest))
}

/// Whether `steps` (at least four) start with the class-loader plumbing
/// `ClassLoader -> .classes -> .elementData -> [i] class X`.
fn is_loader_plumbing(steps: &[&analyzer::path::PathStep]) -> bool {
    use analyzer::objects::NodeKind;
    matches!(steps, [loader, list, array, class, ..]
        if loader.kind != NodeKind::Class
            && loader.class.contains("ClassLoader")
            && list.via.as_deref() == Some(".classes")
            && array.via.as_deref() == Some(".elementData")
            && class.kind == NodeKind::Class
            && class.via.as_deref().is_some_and(|v| v.starts_with('[')))
}

/// The one step that stands for the plumbing from `loader` to `class`: `class X, defined by the
/// system class loader`, reached through the loader's own edge (marked `(its loader)`).
fn collapsed_step(
    loader: &analyzer::path::PathStep,
    class: &analyzer::path::PathStep,
) -> analyzer::path::PathStep {
    let mut c = class.clone();
    c.class = format!(
        "{}, defined by {}",
        class.class,
        loader_phrase_of(&loader.class, &loader.id)
    );
    c.via = loader.via.as_ref().map(|v| format!("{v} (its loader)"));
    c
}

/// A GC-root path with the class-loader plumbing collapsed into one step (text and HTML; the
/// JSON keeps every step).
pub fn collapse_path_plumbing(path: &[analyzer::path::PathStep]) -> Vec<analyzer::path::PathStep> {
    let refs: Vec<&analyzer::path::PathStep> = path.iter().collect();
    let mut out = Vec::with_capacity(path.len());
    let mut i = 0;
    while i < refs.len() {
        if is_loader_plumbing(&refs[i..]) {
            out.push(collapsed_step(refs[i], refs[i + 3]));
            i += 4;
        } else {
            out.push(refs[i].clone());
            i += 1;
        }
    }
    out
}

/// Whether the first step of a GC-root path is a class loader whose plumbing is collapsed: the
/// root is then the loader, and its line says so (`(its loader)`).
pub fn root_is_collapsed_loader(path: &[analyzer::path::PathStep]) -> bool {
    let refs: Vec<&analyzer::path::PathStep> = path.iter().take(4).collect();
    is_loader_plumbing(&refs) && refs[0].via.is_none()
}

/// A leak suspect's typed GC-root path with the class-loader plumbing collapsed into one step.
pub fn collapse_root_path_plumbing(
    path: &[analyzer::leaks::RootPathStep],
) -> Vec<analyzer::leaks::RootPathStep> {
    use analyzer::leaks::RootPathStep;
    let mut out = Vec::with_capacity(path.len());
    let mut i = 0;
    while i < path.len() {
        let steps: Vec<&analyzer::path::PathStep> = path[i..]
            .iter()
            .take(4)
            .map_while(|p| match p {
                RootPathStep::Step(s) => Some(s),
                _ => None,
            })
            .collect();
        if is_loader_plumbing(&steps) {
            out.push(RootPathStep::Step(collapsed_step(steps[0], steps[3])));
            i += 4;
        } else {
            out.push(path[i].clone());
            i += 1;
        }
    }
    out
}

/// Collapses `ClassLoader -> .classes -> .elementData -> [i] class X` into one step per class,
/// `class X, defined by the system class loader` (via the loader's own label), then cuts the
/// tree at `depth` levels. The report was asked for [`LOADER_PLUMBING_LEVELS`] more levels, so
/// the levels saved show what the class's static fields hold.
pub fn collapse_loader_plumbing(r: &mut analyzer::domtree::DominatorReport, depth: usize) {
    use analyzer::domtree::DomNode;
    fn walk(nodes: Vec<DomNode>, depth: usize) -> Vec<DomNode> {
        let mut out = Vec::with_capacity(nodes.len());
        for mut n in nodes {
            if let Some((classes, rest)) = loader_classes(&n) {
                let phrase = loader_phrase(&n);
                for mut c in classes {
                    c.class = format!("{}, defined by {phrase}", c.class);
                    c.via = n.via.as_ref().map(|v| format!("{v} (its loader)"));
                    out.push(c);
                }
                if !rest.is_empty() {
                    n.children = rest;
                    out.push(n);
                }
            } else {
                out.push(n);
            }
        }
        out.sort_by_key(|n| std::cmp::Reverse(n.retained_bytes));
        for n in &mut out {
            if depth <= 1 {
                n.children_omitted += n.children.len() as u64;
                n.children.clear();
            } else {
                n.children = walk(std::mem::take(&mut n.children), depth - 1);
            }
        }
        out
    }
    r.tree = walk(std::mem::take(&mut r.tree), depth);
}

/// Renders `dominators`.
pub fn dominators(w: &mut dyn Write, r: &analyzer::domtree::DominatorReport) -> io::Result<()> {
    dump_lines(w, &r.dump)?;
    summary_lines(w, &r.heap)?;
    writeln!(w)?;
    writeln!(
        w,
        "{:>12} {:>6}  {:>10}  retainer",
        "retained", "share", "shallow"
    )?;
    // Iterative walk; the shown tree is at most --depth deep.
    let mut stack: Vec<(&analyzer::domtree::DomNode, usize)> =
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

/// Renders `path`.
pub fn path(w: &mut dyn Write, r: &analyzer::path::PathReport) -> io::Result<()> {
    dump_lines(w, &r.dump)?;
    writeln!(
        w,
        "object    {} {} (shallow {}, retains {})",
        node_name(r.target.kind, &r.target.class),
        r.target.id,
        thousands(r.target.shallow_bytes),
        bytes(r.target.retained_bytes)
    )?;
    if !r.strongly_reachable {
        writeln!(w, "path      none: not strongly reachable")?;
        return warnings(w, &r.warnings);
    }
    writeln!(w)?;
    let its_loader = if root_is_collapsed_loader(&r.path) {
        " (its loader)"
    } else {
        ""
    };
    if let Some(root) = &r.root {
        match &root.thread {
            Some(t) => writeln!(
                w,
                "  gc root ({}) of thread \"{}\"{its_loader}",
                root.kinds.join(", "),
                name(t)
            )?,
            None => writeln!(w, "  gc root ({}){its_loader}", root.kinds.join(", "))?,
        }
    }
    // The class-loader plumbing is one step, and a long run of one class (a deep linked list)
    // shows its ends; the JSON has every step.
    let steps = collapse_path_plumbing(&r.path);
    let shown = analyzer::path::shown_steps(steps.len(), |i, j| {
        steps[i].class == steps[j].class && steps[i].kind == steps[j].kind
    });
    let mut class = "";
    for line in &shown {
        let i = match *line {
            Shown::Step(i) => i,
            Shown::Cut(n) => {
                writeln!(w, "     {}", name(&analyzer::path::cut_line(n, class)))?;
                continue;
            }
        };
        let s = &steps[i];
        class = &s.class;
        let via = s
            .via
            .as_deref()
            .map(|v| format!("{} ", name(v)))
            .unwrap_or_default();
        writeln!(
            w,
            "  -> {via}{} {}  (retains {})",
            node_name(s.kind, &s.class),
            s.id,
            bytes(s.retained_bytes)
        )?;
    }
    writeln!(w)?;
    if !shown.iter().any(|l| matches!(l, Shown::Cut(_))) {
        let chain = if steps.len() == r.path.len() {
            r.chain.clone()
        } else {
            let root = r.root.as_ref().map(|root| {
                format!(
                    "{}{its_loader} -> ",
                    analyzer::path::chain_text(Some(root), &[])
                )
            });
            format!(
                "{}{}",
                root.unwrap_or_default(),
                analyzer::path::chain_text(None, &steps)
            )
        };
        writeln!(w, "{}", name(&chain))?;
    }
    warnings(w, &r.warnings)
}

/// The lines of a typed GC-root path: the root, then one line a step or cut run; the
/// class-loader plumbing is one step.
pub fn root_path_lines(path: &[analyzer::leaks::RootPathStep]) -> Vec<String> {
    use analyzer::leaks::RootPathStep;
    let first: Vec<analyzer::path::PathStep> = path
        .iter()
        .skip(1)
        .take(4)
        .filter_map(|p| match p {
            RootPathStep::Step(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    let its_loader = if matches!(path.first(), Some(RootPathStep::Root(_)))
        && first.len() == 4
        && root_is_collapsed_loader(&first)
    {
        " (its loader)"
    } else {
        ""
    };
    collapse_root_path_plumbing(path)
        .iter()
        .map(|p| match p {
            RootPathStep::Root(r) => {
                format!("{}{its_loader}", analyzer::path::chain_text(Some(r), &[]))
            }
            RootPathStep::Step(s) => analyzer::path::chain_text(None, std::slice::from_ref(s)),
            RootPathStep::Cut { left_out, class } => analyzer::path::cut_line(*left_out, class),
        })
        .collect()
}

/// The one-line outcome of a leak report: the first thing a reader sees.
pub fn leak_headline(r: &analyzer::leaks::LeakReport) -> String {
    use analyzer::leaks::Verdict;
    let leaks = r
        .suspects
        .iter()
        .filter(|s| s.verdict == Verdict::Leak)
        .count();
    let possible = r.suspects.len() - leaks;
    match (leaks, possible) {
        (0, 0) => format!(
            "No leak suspects: nothing big shows evidence of a leak (threshold {:.0}% of the reachable heap).",
            r.threshold * 100.0
        ),
        (l, 0) => format!("{} found.", plural(l as u64, "leak", "leaks")),
        (0, p) => format!(
            "{}: evidence of accumulation that one dump cannot confirm.",
            plural(p as u64, "possible leak", "possible leaks")
        ),
        (l, p) => format!(
            "{} and {} found.",
            plural(l as u64, "leak", "leaks"),
            plural(p as u64, "possible leak", "possible leaks")
        ),
    }
}

/// The width text is wrapped to: the terminal's when standard output is one, else 100.
static WIDTH: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(100);

/// Sets the width text is wrapped to (at least 60 columns, so labelled text keeps room).
pub fn set_width(columns: usize) {
    WIDTH.store(columns.max(60), std::sync::atomic::Ordering::Relaxed);
}

/// The width text is wrapped to.
pub fn width() -> usize {
    WIDTH.load(std::sync::atomic::Ordering::Relaxed)
}

/// `1 thread`, `2 threads`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// Writes `head` then `text` wrapped to the width, later lines indented by `head`'s width.
pub(crate) fn hanging(w: &mut dyn Write, head: &str, text: &str) -> io::Result<()> {
    let indent = head.chars().count();
    if text.trim().is_empty() {
        return writeln!(w, "{}", head.trim_end());
    }
    for (i, line) in wrap(text, width().saturating_sub(indent).max(20))
        .iter()
        .enumerate()
    {
        if i == 0 {
            writeln!(w, "{head}{line}")?;
        } else {
            writeln!(w, "{:indent$}{line}", "")?;
        }
    }
    Ok(())
}

/// Writes `text` after a 15-column label, wrapped.
fn labelled(w: &mut dyn Write, label: &str, text: &str) -> io::Result<()> {
    for (i, line) in wrap(&name(text), width() - 15).iter().enumerate() {
        let head = if i == 0 { label } else { "" };
        writeln!(w, "   {head:<12}{line}")?;
    }
    Ok(())
}

fn evidence_lines(w: &mut dyn Write, ev: &[analyzer::leaks::Evidence]) -> io::Result<()> {
    use analyzer::leaks::Supports;
    for (i, e) in ev.iter().enumerate() {
        let sign = match e.supports {
            Supports::Leak => "+",
            Supports::MemoryHungry => "-",
        };
        let text = format!("{sign} {:?}: {}", e.strength, e.detail).to_lowercase_first();
        labelled(w, if i == 0 { "evidence" } else { "" }, &text)?;
    }
    Ok(())
}

trait LowerFirst {
    fn to_lowercase_first(self) -> String;
}

impl LowerFirst for String {
    fn to_lowercase_first(self) -> String {
        // `+ Strong: ...` -> `+ strong: ...`
        let mut out = String::with_capacity(self.len());
        let mut done = false;
        for ch in self.chars() {
            if !done && ch.is_ascii_uppercase() {
                out.push(ch.to_ascii_lowercase());
                done = true;
            } else {
                out.push(ch);
            }
        }
        out
    }
}

fn suspect_lines(w: &mut dyn Write, s: &analyzer::leaks::Suspect) -> io::Result<()> {
    writeln!(
        w,
        "#{} {} ({} confidence)  {}  {}",
        s.rank,
        s.verdict.as_str(),
        serde_json::to_value(s.confidence)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        s.kind.as_str(),
        name(&s.holder.display()),
    )?;
    writeln!(
        w,
        "   retains     {} ({:.1}% of the reachable heap)",
        bytes(s.retained_bytes),
        s.share * 100.0
    )?;
    if let Some(n) = s.native_bytes {
        writeln!(w, "   native      {} outside the Java heap", bytes(n))?;
    }
    let via = if s.holder_via.is_empty() {
        String::new()
    } else {
        format!(" (via {})", name(&s.holder_via.join(" ")))
    };
    writeln!(w, "   collection  {}{via}", name(&s.collection_class))?;
    labelled(w, "entries", &crate::entries::entries_line(s))?;
    for (label, text) in crate::entries::facts(s) {
        labelled(w, label, &text)?;
    }
    if !s.threads.is_empty() {
        labelled(w, "threads", &s.threads.join(", "))?;
    }
    if let Some(g) = &s.growth {
        writeln!(
            w,
            "   growth      {} entries  {}  {}",
            series(&g.entries, thousands),
            series(&g.retained_bytes, bytes),
            g.verdict.as_str()
        )?;
    }
    evidence_lines(w, &s.evidence)?;
    for (i, step) in root_path_lines(&s.gc_root_path).iter().enumerate() {
        if i == 0 {
            writeln!(w, "   path        {}", name(step))?;
        } else {
            writeln!(w, "               -> {}", name(step))?;
        }
    }
    labelled(w, "why", &s.explanation)?;
    if let Some(a) = &s.advice {
        labelled(w, "next", a)?;
    }
    writeln!(w)
}

fn retainer_lines(w: &mut dyn Write, t: &analyzer::leaks::Retainer) -> io::Result<()> {
    writeln!(
        w,
        "  {:>10} {:>5.1}%  {} {}  [{}]",
        bytes(t.retained_bytes),
        t.share * 100.0,
        name(&t.class),
        t.id,
        t.verdict.as_str()
    )?;
    if let Some(h) = &t.holder {
        writeln!(w, "                      held by {}", name(&h.display()))?;
    }
    if let Some(n) = t.native_bytes {
        writeln!(w, "                      and {} of native memory", bytes(n))?;
    }
    for line in wrap(&name(&t.reason), width() - 22) {
        writeln!(w, "                      {line}")?;
    }
    Ok(())
}

/// Renders `leaks`: the outcome first, then the dump, each suspect with its evidence, the big
/// retainers that are not suspects, and the verdict table of a series.
pub fn leaks(w: &mut dyn Write, r: &analyzer::leaks::LeakReport) -> io::Result<()> {
    writeln!(w, "{}", leak_headline(r))?;
    writeln!(w)?;
    dump_lines(w, &r.dump)?;
    if !r.series.is_empty() {
        writeln!(
            w,
            "series    {} earlier: {}",
            plural(r.series.len() as u64, "dump", "dumps"),
            name(&r.series.join(", "))
        )?;
    }
    summary_lines(w, &r.heap)?;
    let o = &r.off_heap;
    writeln!(
        w,
        "native    {} direct ({}), {} mapped ({}) referenced from the heap",
        bytes(o.direct_bytes),
        plural(o.direct_buffers, "buffer", "buffers"),
        bytes(o.mapped_bytes),
        plural(o.mapped_buffers, "buffer", "buffers")
    )?;
    writeln!(w)?;
    for s in &r.suspects {
        suspect_lines(w, s)?;
    }
    writeln!(w, "Big retainers that are not suspects:")?;
    if r.top_retainers.is_empty() {
        writeln!(w, "  (none)")?;
    }
    for t in &r.top_retainers {
        retainer_lines(w, t)?;
    }
    if let Some(a) = &r.advice {
        writeln!(w)?;
        for line in wrap(&name(a), width()) {
            writeln!(w, "{line}")?;
        }
    }
    if !r.series.is_empty() && !r.verdicts.is_empty() {
        writeln!(w)?;
        writeln!(w, "Verdicts across the series:")?;
        for v in &r.verdicts {
            writeln!(
                w,
                "  {:<14} {:>10}  {:<12} {}",
                v.verdict.as_str(),
                bytes(v.retained_bytes),
                v.growth.map_or("-", |g| g.as_str()),
                name(&v.holder)
            )?;
        }
    }
    warnings(w, &r.warnings)
}

/// Splits text into lines of at most `width` characters at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        if !cur.is_empty() && cur.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

fn holder_text(h: &Option<analyzer::holders::Holder>) -> String {
    h.as_ref()
        .map(|h| name(&h.display()).into_owned())
        .unwrap_or_else(|| "(no application field)".into())
}

/// Renders `threadlocals`.
pub fn threadlocals(
    w: &mut dyn Write,
    r: &analyzer::threadlocals::ThreadLocalReport,
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
    for g in &r.groups {
        let what = if g.stale {
            plural(g.entries, "stale entry", "stale entries")
        } else {
            format!("ThreadLocal {}", holder_text(&g.declared_by))
        };
        writeln!(
            w,
            "{what}: {} x {} on {} ({}), {} {}",
            thousands(g.entries),
            name(&g.value_class),
            plural(g.threads, "thread", "threads"),
            name(&g.thread_pattern),
            if g.entries == 1 { "retains" } else { "retain" },
            bytes(g.entries_retained_bytes)
        )?;
    }
    warnings(w, &r.warnings)
}

/// Renders `classloaders`.
pub fn classloaders(
    w: &mut dyn Write,
    r: &analyzer::classloaders::ClassLoaderReport,
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
pub fn resources(w: &mut dyn Write, r: &analyzer::resources::ResourceReport) -> io::Result<()> {
    dump_lines(w, &r.dump)?;
    let t = &r.totals;
    writeln!(
        w,
        "open      {} ({}, {}, {}, {}); {} closed",
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

fn series(values: &[Option<u64>], f: impl Fn(u64) -> String) -> String {
    values
        .iter()
        .map(|v| v.map(&f).unwrap_or_else(|| "-".into()))
        .collect::<Vec<_>>()
        .join(" -> ")
}

fn growth_holders(w: &mut dyn Write, r: &analyzer::growth::GrowthReport) -> io::Result<()> {
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

fn growth_classes(w: &mut dyn Write, r: &analyzer::growth::GrowthReport) -> io::Result<()> {
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

fn growth_dumps(w: &mut dyn Write, r: &analyzer::growth::GrowthReport) -> io::Result<()> {
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
pub fn growth(w: &mut dyn Write, r: &analyzer::growth::GrowthReport) -> io::Result<()> {
    growth_dumps(w, r)?;
    growth_holders(w, r)?;
    writeln!(w)?;
    growth_classes(w, r)?;
    warnings(w, &r.warnings)
}

/// Renders `diff`: the same comparison, the class delta first.
pub fn diff(w: &mut dyn Write, r: &analyzer::growth::GrowthReport) -> io::Result<()> {
    growth_dumps(w, r)?;
    growth_classes(w, r)?;
    writeln!(w)?;
    growth_holders(w, r)?;
    warnings(w, &r.warnings)
}

fn saved_share(saved: u64, reachable: u64) -> String {
    if reachable == 0 {
        String::new()
    } else {
        format!(" ({:.1}%)", saved as f64 * 100.0 / reachable as f64)
    }
}

/// `hprofscan waste`: what could be saved, then each kind by holder. Never a String's contents.
pub fn waste(w: &mut dyn Write, r: &analyzer::waste::WasteReport) -> io::Result<()> {
    dump_lines(w, &r.dump)?;
    let t = &r.totals;
    writeln!(
        w,
        "could be saved  {}{} of {} reachable",
        bytes(t.could_be_saved),
        saved_share(t.could_be_saved, t.reachable_bytes),
        bytes(t.reachable_bytes)
    )?;
    writeln!(
        w,
        "  duplicate strings  {:>12}  {} Strings",
        bytes(t.duplicate_string_bytes),
        thousands(t.duplicate_strings)
    )?;
    writeln!(
        w,
        "  duplicate arrays   {:>12}  {} arrays",
        bytes(t.duplicate_array_bytes),
        thousands(t.duplicate_arrays)
    )?;
    writeln!(
        w,
        "  empty collections  {:>12}  {} collections",
        bytes(t.empty_collection_bytes),
        thousands(t.empty_collections)
    )?;
    writeln!(
        w,
        "  under-filled       {:>12}  {} collections",
        bytes(t.under_filled_collection_bytes),
        thousands(t.under_filled_collections)
    )?;
    writeln!(
        w,
        "  boxed primitives   {:>12}  {} elements",
        bytes(t.boxed_bytes),
        thousands(t.boxed_elements)
    )?;
    let o = &r.off_heap.totals;
    writeln!(
        w,
        "off-heap        {} native in {} direct buffers, {} file-backed in {} mapped buffers ({} views, {} foreign not counted); heap {}",
        bytes(o.direct_bytes),
        thousands(o.direct_buffers),
        bytes(o.mapped_bytes),
        thousands(o.mapped_buffers),
        thousands(o.views),
        thousands(o.foreign),
        bytes(o.heap_reachable_bytes)
    )?;
    const SHOWN: usize = 15;
    if !r.duplicate_strings.is_empty() {
        writeln!(w, "\nDuplicate strings (interning or an enum would save):")?;
        for g in r.duplicate_strings.iter().take(SHOWN) {
            writeln!(
                w,
                "  {:>10}  {}: {} Strings, {} distinct values",
                bytes(g.bytes_saved),
                holder_text(&g.holder),
                thousands(g.strings),
                thousands(g.distinct_values)
            )?;
        }
    }
    if !r.top_duplicate_values.is_empty() {
        writeln!(w, "\nMost duplicated values (contents not shown):")?;
        for v in r.top_duplicate_values.iter().take(SHOWN) {
            writeln!(
                w,
                "  {:>9} copies  length {:>5} {}  {:>10}  {}",
                thousands(v.count),
                thousands(v.length),
                if v.utf16 { "UTF-16 " } else { "Latin-1" },
                bytes(v.bytes_saved),
                holder_text(&v.holder)
            )?;
        }
    }
    if !r.duplicate_arrays.is_empty() {
        writeln!(w, "\nDuplicate primitive arrays:")?;
        for g in r.duplicate_arrays.iter().take(SHOWN) {
            writeln!(
                w,
                "  {:>10}  {}: {} x {}, {} distinct",
                bytes(g.bytes_saved),
                holder_text(&g.holder),
                thousands(g.arrays),
                g.class,
                thousands(g.distinct_values)
            )?;
        }
    }
    if !r.collections.is_empty() {
        writeln!(w, "\nEmpty and under-filled collections:")?;
        for g in r.collections.iter().take(SHOWN) {
            writeln!(
                w,
                "  {:>10}  {}: {} x {}, {} empty, {} under-filled, fill {:.0}%",
                bytes(g.empty_bytes_saved + g.under_filled_bytes_saved),
                holder_text(&g.holder),
                thousands(g.collections),
                name(&g.class),
                thousands(g.empty),
                thousands(g.under_filled),
                g.fill_ratio * 100.0
            )?;
        }
    }
    if !r.boxed.is_empty() {
        writeln!(
            w,
            "\nBoxed primitives in arrays and maps (a primitive collection would save):"
        )?;
        for g in r.boxed.iter().take(SHOWN) {
            let (role, kind) = crate::html_waste::boxed_words(g.role);
            writeln!(
                w,
                "  {:>10}  {}: {} x {} {role} in {} {kind}",
                bytes(g.bytes_saved),
                holder_text(&g.holder),
                thousands(g.elements),
                g.class,
                thousands(g.containers)
            )?;
        }
    }
    if !r.off_heap.groups.is_empty() {
        writeln!(w, "\nNative memory referenced from the heap:")?;
        for g in r.off_heap.groups.iter().take(SHOWN) {
            let kind = match g.kind {
                analyzer::offheap::OffHeapKind::Direct => "direct",
                analyzer::offheap::OffHeapKind::Mapped => "mapped",
            };
            writeln!(
                w,
                "  {:>10}  {}: {} {kind} buffers",
                bytes(g.bytes),
                holder_text(&g.holder),
                thousands(g.buffers)
            )?;
        }
    }
    warnings(w, &r.warnings)
}

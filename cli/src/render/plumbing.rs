//! Class-loader plumbing (a loader, its class list, the array behind it) folded into one step,
//! in dominator trees and paths from GC roots.

/// Extra levels asked of the analyzer so that the class-loader plumbing a text tree collapses
/// does not use up `--depth`.
pub(crate) const LOADER_PLUMBING_LEVELS: usize = 3;

/// How a class loader is named in a collapsed step.
fn loader_phrase(loader: &analyzer::report::domtree::DomNode) -> String {
    loader_phrase_of(&loader.class, &loader.id.to_string())
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
    n: &analyzer::report::domtree::DomNode,
) -> Option<(
    Vec<analyzer::report::domtree::DomNode>,
    Vec<analyzer::report::domtree::DomNode>,
)> {
    use analyzer::query::objects::NodeKind;
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
fn is_loader_plumbing(steps: &[&analyzer::report::path::PathStep]) -> bool {
    use analyzer::query::objects::NodeKind;
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
    loader: &analyzer::report::path::PathStep,
    class: &analyzer::report::path::PathStep,
) -> analyzer::report::path::PathStep {
    let mut c = class.clone();
    c.class = format!(
        "{}, defined by {}",
        class.class,
        loader_phrase_of(&loader.class, &loader.id.to_string())
    );
    c.via = loader.via.as_ref().map(|v| format!("{v} (its loader)"));
    c
}

/// A GC-root path with the class-loader plumbing collapsed into one step (text and HTML; the
/// JSON keeps every step).
pub(crate) fn collapse_path_plumbing(
    path: &[analyzer::report::path::PathStep],
) -> Vec<analyzer::report::path::PathStep> {
    let refs: Vec<&analyzer::report::path::PathStep> = path.iter().collect();
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
pub(crate) fn root_is_collapsed_loader(path: &[analyzer::report::path::PathStep]) -> bool {
    let refs: Vec<&analyzer::report::path::PathStep> = path.iter().take(4).collect();
    is_loader_plumbing(&refs) && refs[0].via.is_none()
}

/// A leak suspect's typed GC-root path with the class-loader plumbing collapsed into one step.
pub(crate) fn collapse_root_path_plumbing(
    path: &[analyzer::leaks::RootPathStep],
) -> Vec<analyzer::leaks::RootPathStep> {
    use analyzer::leaks::RootPathStep;
    let mut out = Vec::with_capacity(path.len());
    let mut i = 0;
    while i < path.len() {
        let steps: Vec<&analyzer::report::path::PathStep> = path[i..]
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
pub(crate) fn collapse_loader_plumbing(
    r: &mut analyzer::report::domtree::DominatorReport,
    depth: usize,
) {
    use analyzer::report::domtree::DomNode;
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

//! `hprofscan path`: the shortest chain of strong references from a GC root to an object.

use crate::base::id::ObjectId;
use serde::Serialize;

use hprof_parser::RootKind;

use crate::base::shared::NodeFilter;
use crate::base::text::{simple_name, thousands};
use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::load::dump::DumpMeta;
use crate::query::objects::{edge_label, locate, node_class, node_kind, read_object, NodeKind};
use crate::query::strings::string_value;
use crate::AnalyzeError;

/// One object on the path.
#[derive(Clone, Debug, Serialize)]
pub struct PathStep {
    /// Object id (`0x7f3a10`).
    pub id: ObjectId,
    /// Class (for a class object: the class it stands for).
    pub class: String,
    /// What the object is.
    pub kind: NodeKind,
    /// How the previous step references it (`.field`, `[i]`, `.FIELD (static)`, `<class>`);
    /// None on the first step.
    pub via: Option<String>,
    /// Shallow bytes.
    pub shallow_bytes: u64,
    /// Retained bytes.
    pub retained_bytes: u64,
}

/// The GC root the path starts at.
#[derive(Clone, Debug, Serialize)]
pub struct RootInfo {
    /// Root kinds of the first object.
    pub kinds: Vec<String>,
    /// For thread roots (Java frame, JNI local, thread object, ...), the thread's name.
    pub thread: Option<String>,
}

/// `hprofscan/path/1`.
#[derive(Clone, Debug, Serialize)]
pub struct PathReport {
    /// Schema name and version.
    pub schema: &'static str,
    /// The dump.
    pub dump: DumpMeta,
    /// The object asked for.
    pub target: PathStep,
    /// Whether a strong path exists.
    pub strongly_reachable: bool,
    /// The root at the start of the path.
    pub root: Option<RootInfo>,
    /// The path, root first, target last (empty when not strongly reachable).
    pub path: Vec<PathStep>,
    /// The path as one line.
    pub chain: String,
    /// Damage and guesses.
    pub warnings: Vec<String>,
}

/// Which object to explain.
#[derive(Clone, Debug)]
pub enum PathTarget {
    /// By object id.
    Id(u64),
    /// The instance of this class (Java name) with the largest retained size.
    BiggestOf(String),
}

/// `a.B.C` and `a.B$C` read alike: a nested class may be named with `.` as in Java source.
fn dotted(name: &str) -> String {
    name.replace('$', ".")
}

/// The dump's class name that `asked` names: the name itself, or the one name that reads the
/// same with `.` for `$` (`testdata.LeakStaticMap.Item` for `testdata.LeakStaticMap$Item`).
/// Otherwise the error says so and suggests up to three close names (by Jaro-Winkler
/// similarity of the whole name, and names whose simple name is the one asked).
pub fn class_name_in(names: &[&str], asked: &str) -> Result<String, String> {
    if names.contains(&asked) {
        return Ok(asked.to_string());
    }
    let want = dotted(asked.trim());
    let mut same: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| dotted(n) == want)
        .collect();
    same.sort_unstable();
    same.dedup();
    match same.as_slice() {
        [one] => return Ok(one.to_string()),
        [] => {}
        many => {
            return Err(format!(
                "class name {asked} is ambiguous: {}; give it with $ for nested classes",
                many.join(", ")
            ))
        }
    }
    let simple = |n: &str| simple_name(&dotted(n)).to_string();
    let want_simple = simple(asked);
    let mut scored: Vec<(f64, &str)> = names
        .iter()
        .copied()
        .filter(|n| !n.ends_with(']'))
        .map(|n| {
            let d = dotted(n);
            let mut score = strsim::jaro_winkler(&d, &want);
            if !want_simple.is_empty() && simple(n).eq_ignore_ascii_case(&want_simple) {
                score = score.max(0.95);
            }
            (score, n)
        })
        .filter(|(score, _)| *score >= 0.85)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    let close: Vec<&str> = scored.iter().take(3).map(|(_, n)| *n).collect();
    Err(if close.is_empty() {
        format!("no class named {asked} in the dump")
    } else {
        format!(
            "no class named {asked} in the dump; did you mean {}?",
            close.join(" or ")
        )
    })
}

/// Finds the node a target names.
pub fn resolve_target(a: &Analysis, t: &PathTarget) -> Result<u32, AnalyzeError> {
    match t {
        PathTarget::Id(id) => a.graph.ids.get(*id).ok_or_else(|| {
            AnalyzeError::NotFound(format!("no object with id 0x{id:x} in the dump"))
        }),
        PathTarget::BiggestOf(asked) => {
            let names: Vec<&str> = a.heap.classes.iter().map(|c| c.name.as_str()).collect();
            let name = &class_name_in(&names, asked).map_err(AnalyzeError::NotFound)?;
            let classes: Vec<u32> = a
                .heap
                .classes
                .iter()
                .enumerate()
                .filter(|(_, c)| &c.name == name)
                .map(|(i, _)| i as u32)
                .collect();
            (0..a.graph.len() as u32)
                .filter(|&v| {
                    classes.contains(&a.graph.class_of(v)) && a.graph.class_object(v).is_none()
                })
                .max_by_key(|&v| (a.dom.retained.get(v), std::cmp::Reverse(v)))
                .ok_or_else(|| {
                    AnalyzeError::NotFound(format!("class {name} has no instances in the dump"))
                })
        }
    }
}

/// Shortest strong path from any GC root to `target`, root first (breadth-first search over
/// strong references, roots in dump order).
pub fn shortest_path(a: &Analysis, target: u32) -> Option<Vec<u32>> {
    shortest_paths(a, &[target]).pop().flatten()
}

/// Shortest strong paths from any GC root to each of `targets` (root first; `None` when the
/// target is not strongly reachable), from one breadth-first search over strong references
/// (roots in dump order) that stops once it has met every target.
pub fn shortest_paths(a: &Analysis, targets: &[u32]) -> Vec<Option<Vec<u32>>> {
    let g = &a.graph;
    let reachable = |t: u32| (t as usize) < g.len() && a.dom.is_reachable(t);
    let wanted = NodeFilter::new(targets.iter().copied().filter(|&t| reachable(t)));
    if wanted.is_empty() {
        return vec![None; targets.len()];
    }
    let mut left = wanted.len();
    let mut parent = vec![NONE; g.len()];
    const ROOT: u32 = NONE - 1;
    let mut queue: std::collections::VecDeque<u32> = std::collections::VecDeque::new();
    for &(r, _) in &g.roots {
        if parent[r as usize] == NONE {
            parent[r as usize] = ROOT;
            queue.push_back(r);
        }
    }
    while let Some(v) = queue.pop_front() {
        if wanted.contains(v) {
            left -= 1;
            if left == 0 {
                break;
            }
        }
        g.for_each_successor(v, |w| {
            if parent[w as usize] == NONE {
                parent[w as usize] = v;
                queue.push_back(w);
            }
        });
    }
    targets
        .iter()
        .map(|&t| {
            if !reachable(t) || parent[t as usize] == NONE {
                return None;
            }
            let mut path = vec![t];
            let mut v = t;
            while parent[v as usize] != ROOT {
                v = parent[v as usize];
                path.push(v);
            }
            path.reverse();
            Some(path)
        })
        .collect()
}

/// The name of the thread a root belongs to, through its thread serial.
pub fn thread_name(a: &Analysis, serial: u32) -> Option<String> {
    let thread = a
        .heap
        .census
        .roots
        .iter()
        .find(|r| r.kind == RootKind::ThreadObject && r.thread_serial == Some(serial))?;
    let node = a.graph.ids.get(thread.id)?;
    let offs = locate(a, &[node]);
    let view = read_object(a, *offs.get(&node)?, false)?;
    let name = a.graph.ids.get(view.reference("name")?)?;
    string_value(a, name)
}

fn step(a: &Analysis, v: u32, via: Option<String>) -> PathStep {
    PathStep {
        id: ObjectId(a.graph.ids.id(v)),
        class: node_class(a, v),
        kind: node_kind(a, v),
        via,
        shallow_bytes: a.graph.shallow(v),
        retained_bytes: a.dom.retained.get(v),
    }
}

/// Renders a path as one line: `thread "main" (java_frame) -> com.acme.App -> .cache java.util.HashMap`.
pub fn chain_text(root: Option<&RootInfo>, path: &[PathStep]) -> String {
    let mut parts = Vec::new();
    if let Some(r) = root {
        let kinds = r.kinds.join(", ");
        parts.push(match &r.thread {
            Some(t) => format!("thread \"{t}\" ({kinds})"),
            None => format!("gc root ({kinds})"),
        });
    }
    for s in path {
        let what = if s.kind == NodeKind::Class {
            format!("class {}", s.class)
        } else {
            s.class.clone()
        };
        parts.push(match &s.via {
            Some(v) => format!("{v} {what}"),
            None => what,
        });
    }
    parts.join(" -> ")
}

/// Root kinds and thread of the root node `v`.
pub fn root_info(a: &Analysis, v: u32) -> RootInfo {
    let records: Vec<_> = a
        .graph
        .roots
        .iter()
        .filter(|&&(n, _)| n == v)
        .filter_map(|&(_, i)| a.heap.census.roots.get(i as usize).copied())
        .collect();
    let mut kinds: Vec<RootKind> = records.iter().map(|r| r.kind).collect();
    kinds.sort();
    kinds.dedup();
    let thread = records
        .iter()
        .find_map(|r| r.thread_serial)
        .and_then(|s| thread_name(a, s));
    let mut kinds: Vec<String> = kinds.iter().map(|k| k.key().to_string()).collect();
    if kinds.is_empty() && a.graph.classes_as_roots {
        kinds.push("class standing in for missing roots".into());
    }
    RootInfo { kinds, thread }
}

/// The steps of a node path, with the field of each hop.
pub fn path_steps(a: &Analysis, nodes: &[u32]) -> Vec<PathStep> {
    let all: Vec<usize> = (0..nodes.len()).collect();
    path_steps_at(a, nodes, &all)
}

/// The steps at positions `which` of the path `nodes` (each with the field through which the
/// node before it holds it), reading from the dump only the objects those steps need.
pub fn path_steps_at(a: &Analysis, nodes: &[u32], which: &[usize]) -> Vec<PathStep> {
    let mut needed: Vec<u32> = Vec::with_capacity(2 * which.len());
    for &i in which {
        needed.push(nodes[i]);
        if i > 0 {
            needed.push(nodes[i - 1]);
        }
    }
    let offsets = locate(a, &needed);
    which
        .iter()
        .map(|&i| {
            let v = nodes[i];
            let via = (i > 0)
                .then(|| edge_label(a, nodes[i - 1], v, &offsets))
                .flatten();
            step(a, v, via)
        })
        .collect()
}

/// The longest run of objects of one class that a long path shows in full.
pub const RUN_SHOWN: usize = 4;

/// One line of a long path as shown: a step, or the count of steps left out of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// The step at this position of the path.
    Step(usize),
    /// This many steps of one class were left out here (after the step before).
    Cut(u64),
}

/// How to show a path of `len` steps, given whether steps `i` and `j` are objects of one
/// class: every step, except that a run longer than [`RUN_SHOWN`] of one class keeps its first
/// two and its last around a [`Shown::Cut`].
pub fn shown_steps(len: usize, same_class: impl Fn(usize, usize) -> bool) -> Vec<Shown> {
    let mut shown = Vec::new();
    let mut i = 0;
    while i < len {
        let mut j = i;
        while j + 1 < len && same_class(i, j + 1) {
            j += 1;
        }
        if j - i + 1 > RUN_SHOWN {
            shown.extend([
                Shown::Step(i),
                Shown::Step(i + 1),
                Shown::Cut((j - i - 2) as u64),
                Shown::Step(j),
            ]);
        } else {
            shown.extend((i..=j).map(Shown::Step));
        }
        i = j + 1;
    }
    shown
}

/// The line that stands for `left_out` steps of `class` left out of a run.
pub fn cut_line(left_out: u64, class: &str) -> String {
    format!("... {} more {class} in a row ...", thousands(left_out))
}

/// Builds the report.
pub fn path_report(a: &Analysis, target: &PathTarget) -> Result<PathReport, AnalyzeError> {
    let t = resolve_target(a, target)?;
    let nodes = shortest_path(a, t);
    let (path, root) = match &nodes {
        Some(n) => (path_steps(a, n), Some(root_info(a, n[0]))),
        None => (Vec::new(), None),
    };
    let mut warnings = a.warnings();
    if nodes.is_none() {
        warnings.push(if a.dom.idom[t as usize] == NONE {
            "the object is not strongly reachable: it is held only through soft, weak or phantom references, or by nothing".into()
        } else {
            "no path found".into()
        });
    }
    Ok(PathReport {
        schema: "hprofscan/path/1",
        dump: a.heap.dump.meta(),
        target: step(a, t, None),
        strongly_reachable: nodes.is_some(),
        chain: chain_text(root.as_ref(), &path),
        root,
        path,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_runs_of_one_class_are_cut_in_root_paths() {
        // Root, a class, then 1,000 list nodes, then one more object.
        let class = |i: usize| match i {
            0 => 7,
            1 => 8,
            1002 => 10,
            _ => 9,
        };
        use Shown::{Cut, Step};
        let shown = shown_steps(1003, |i, j| class(i) == class(j));
        assert_eq!(
            shown,
            vec![
                Step(0),
                Step(1),
                Step(2),
                Step(3),
                Cut(997),
                Step(1001),
                Step(1002)
            ]
        );
        assert_eq!(cut_line(997, "a.B"), "... 997 more a.B in a row ...");
        // Runs up to RUN_SHOWN long are shown whole; an empty path shows nothing.
        let shown = shown_steps(6, |i, j| (i < 2) == (j < 2));
        assert_eq!(shown, (0..6).map(Step).collect::<Vec<_>>());
        assert!(shown_steps(0, |_, _| true).is_empty());
    }
}

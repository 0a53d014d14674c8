//! The leak finding shared by the ThreadLocal, class-loader and open-resource analyses
//! ([`crate::threadlocals`], [`crate::classloaders`], [`crate::resources`]), which the `leaks`
//! report merges with its collection suspects; and the small batched helpers those analyses
//! share (instances of a set of classes, objects re-read in one pass, strings, name patterns).
//!
//! Every helper works on a few thousand candidate objects at most: one parallel scan of the
//! class array finds them, and each batch of re-reads is one [`crate::objects::locate`] pass.

use rustc_hash::FxHashMap;
use serde::Serialize;

use hprof_parser::BasicType;

use crate::analysis::Analysis;
use crate::graph::NONE;
use crate::holders::Holder;
use crate::objects::{locate, read_object, ObjectView};
use crate::shared::{par_scan_nodes, NodeFilter};

/// A leak found by one of the specialised analyses, in the shape the `leaks` report needs.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LeakFinding {
    /// `threadlocal`, `classloaders` or `open-resources`.
    pub kind: &'static str,
    /// The application field that keeps the leak (for ThreadLocals: the field that declares
    /// the ThreadLocal, else `java.lang.Thread.threadLocals`).
    pub holder: Option<Holder>,
    /// The object to show a GC-root path to.
    pub node: Option<u32>,
    /// How many things leak: ThreadLocal entries, class loaders, open resources.
    pub entries: u64,
    /// Their class: the ThreadLocal value class, the loader class, the resource class.
    pub element_class: String,
    /// Bytes that would be freed if the leak were fixed.
    pub retained_bytes: u64,
    /// Why this is a leak, in a sentence or two.
    pub explanation: String,
    /// For ThreadLocals: the names of the threads that hold values.
    pub threads: Vec<String>,
    /// ThreadLocal entries whose key was collected; stale class loaders among `entries`.
    pub stale_entries: u64,
    /// For ThreadLocals: the class of the values.
    pub value_class: Option<String>,
}

/// An element class with a count.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ClassCount {
    /// Class name in Java source form.
    pub class: String,
    /// How many.
    pub count: u64,
}

/// For every class, the index in `names` of the first of them it is or extends (walking the
/// super chain), or `None`.
pub(crate) fn subclass_table(a: &Analysis, names: &[&str]) -> Vec<Option<usize>> {
    let classes = &a.heap.classes;
    let direct: Vec<Option<usize>> = classes
        .iter()
        .map(|c| names.iter().position(|n| *n == c.name))
        .collect();
    // Memoised over the hierarchy: linear in the number of classes, whatever its depth.
    classes.inherited(|ci| direct[ci as usize])
}

/// The instances (class objects excluded) of the classes marked in `wanted`, in node order:
/// one parallel scan of the class array.
pub(crate) fn instances_of(a: &Analysis, wanted: &[bool]) -> Vec<u32> {
    if !wanted.iter().any(|&w| w) {
        return Vec::new();
    }
    let g = &a.graph;
    let class_class = a.heap.classes.by_name("java.lang.Class").unwrap_or(NONE);
    par_scan_nodes(g.len(), |v, out| {
        let k = g.class_of(v);
        if k != NONE && k != class_class && wanted[k as usize] {
            out.push(v);
        }
    })
}

/// The direct strong referrers of `targets` as (referrer, target) pairs, in referrer order: one
/// parallel scan of the references (the implicit edge to a class object is not included).
pub(crate) fn referrers(a: &Analysis, targets: impl IntoIterator<Item = u32>) -> Vec<(u32, u32)> {
    let wanted = NodeFilter::new(targets);
    if wanted.is_empty() {
        return Vec::new();
    }
    par_scan_nodes(a.graph.len(), |v, out| {
        for &w in a.graph.refs(v) {
            if wanted.contains(w) {
                out.push((v, w));
            }
        }
    })
}

/// Re-reads `nodes` from the dump in one pass.
pub(crate) fn views(a: &Analysis, nodes: &[u32]) -> FxHashMap<u32, ObjectView> {
    let offs = locate(a, nodes);
    offs.into_iter()
        .filter_map(|(v, o)| read_object(a, o, false).map(|view| (v, view)))
        .collect()
}

/// The node a reference field of `view` points to.
pub(crate) fn ref_node(a: &Analysis, view: &ObjectView, field: &str) -> Option<u32> {
    view.reference(field).and_then(|id| a.graph.ids.get(id))
}

/// A boolean field (false when absent).
pub(crate) fn flag(view: &ObjectView, field: &str) -> bool {
    view.field(field)
        .is_some_and(|f| f.ty == BasicType::Boolean && f.raw != 0)
}

/// Decodes the text of `java.lang.String` nodes (thread and class-loader names only) in two
/// passes: the strings, then their arrays.
pub(crate) fn strings(a: &Analysis, nodes: &[u32]) -> FxHashMap<u32, String> {
    if a.heap.dump.redact_names {
        // Named, but not shown: the contents are never read.
        return nodes
            .iter()
            .map(|&v| (v, crate::dump::REDACTED.to_string()))
            .collect();
    }
    strings_never_shown(a, nodes)
}

/// Decodes the text of `java.lang.String` nodes for what the analysis reads from it (the shape
/// of map keys), never shown: `--redact-names` does not change it, so it cannot change a verdict.
pub(crate) fn strings_never_shown(a: &Analysis, nodes: &[u32]) -> FxHashMap<u32, String> {
    let strs = views(a, nodes);
    let arrays: Vec<u32> = strs
        .values()
        .filter_map(|s| ref_node(a, s, "value"))
        .collect();
    let offs = locate(a, &arrays);
    let mut out = FxHashMap::default();
    for (&s, view) in &strs {
        let Some(arr_node) = ref_node(a, view, "value") else {
            continue;
        };
        let Some(arr) = offs.get(&arr_node).and_then(|&o| read_object(a, o, true)) else {
            continue;
        };
        let coder = view.field("coder").map_or(0, |f| f.raw);
        let text = match arr.elem {
            Some(BasicType::Byte) if coder == 0 => arr.data.iter().map(|&b| b as char).collect(),
            Some(t @ (BasicType::Byte | BasicType::Char)) => {
                // UTF-16: the JVM's byte order in byte[] (little-endian on x86 and ARM),
                // big-endian in a char[].
                let le = t == BasicType::Byte;
                let units: Vec<u16> = arr
                    .data
                    .chunks_exact(2)
                    .map(|c| {
                        if le {
                            u16::from_le_bytes([c[0], c[1]])
                        } else {
                            u16::from_be_bytes([c[0], c[1]])
                        }
                    })
                    .collect();
                String::from_utf16_lossy(&units)
            }
            _ => continue,
        };
        out.insert(s, text);
    }
    out
}

/// Splits `name` into a prefix and a numeric suffix (`ingest-worker-12` -> (`ingest-worker-`,
/// 12)).
fn split_number(name: &str) -> (&str, Option<u64>) {
    let digits = name.len() - name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 18 {
        return (name, None);
    }
    let (p, n) = name.split_at(name.len() - digits);
    (p, n.parse().ok())
}

/// Natural order of names: by prefix, then by numeric suffix (`w-2` before `w-10`).
pub(crate) fn natural_cmp(x: &str, y: &str) -> std::cmp::Ordering {
    let (px, nx) = split_number(x);
    let (py, ny) = split_number(y);
    px.cmp(py).then(nx.cmp(&ny)).then(x.cmp(y))
}

/// Sorts names in natural order.
pub(crate) fn sort_names(names: &mut [String]) {
    names.sort_by(|x, y| natural_cmp(x, y));
}

/// A compact pattern for a set of names: a common prefix with a numeric range
/// (`ingest-worker-1..8`, `w-1..3,5`), several patterns joined by `, `.
pub fn name_pattern(names: &[String]) -> String {
    let mut groups: Vec<(&str, Vec<u64>, Vec<&str>)> = Vec::new();
    for n in names {
        let (prefix, num) = split_number(n);
        let i = match groups.iter().position(|g| g.0 == prefix) {
            Some(i) => i,
            None => {
                groups.push((prefix, Vec::new(), Vec::new()));
                groups.len() - 1
            }
        };
        match num {
            Some(k) => groups[i].1.push(k),
            None => groups[i].2.push(n),
        }
    }
    groups.sort_by(|x, y| x.0.cmp(y.0));
    let mut parts: Vec<String> = Vec::new();
    for (prefix, mut nums, plain) in groups {
        nums.sort_unstable();
        nums.dedup();
        let mut ranges: Vec<String> = Vec::new();
        let mut i = 0;
        while i < nums.len() {
            let mut j = i;
            while j + 1 < nums.len() && nums[j + 1] == nums[j] + 1 {
                j += 1;
            }
            ranges.push(if j > i {
                format!("{}..{}", nums[i], nums[j])
            } else {
                nums[i].to_string()
            });
            i = j + 1;
        }
        if !ranges.is_empty() {
            parts.push(format!("{prefix}{}", ranges.join(",")));
        }
        let mut plain: Vec<&str> = plain;
        plain.dedup();
        parts.extend(plain.into_iter().map(str::to_string));
    }
    parts.join(", ")
}

pub(crate) use crate::text::{bytes as fmt_bytes, thousands};

/// Object id as `0x...`.
pub(crate) fn hex_id(a: &Analysis, v: u32) -> String {
    format!("0x{:x}", a.graph.ids.id(v))
}

/// Class counts, most frequent first, then by name.
pub(crate) fn counted(mut m: FxHashMap<String, u64>) -> Vec<ClassCount> {
    let mut v: Vec<ClassCount> = m
        .drain()
        .map(|(class, count)| ClassCount { class, count })
        .collect();
    v.sort_by(|x, y| y.count.cmp(&x.count).then(x.class.cmp(&y.class)));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn patterns() {
        assert_eq!(
            name_pattern(&s(&[
                "w-3", "w-1", "w-2", "w-8", "w-4", "w-5", "w-6", "w-7"
            ])),
            "w-1..8"
        );
        assert_eq!(name_pattern(&s(&["w-1", "w-2", "w-3", "w-5"])), "w-1..3,5");
        assert_eq!(name_pattern(&s(&["main", "w-1", "w-2"])), "main, w-1..2");
        assert_eq!(name_pattern(&s(&["x-7"])), "x-7");
        assert_eq!(name_pattern(&[]), "");
        let mut n = s(&["w-10", "w-2", "a"]);
        sort_names(&mut n);
        assert_eq!(n, s(&["a", "w-2", "w-10"]));
        assert_eq!(thousands(4949760), "4,949,760");
        assert_eq!(fmt_bytes(1536), "1.5 KiB");
    }
}

//! Recognising Java collections in the heap and reading what they hold: the number of entries
//! (from the collection's own size field) and the classes of its elements (from a sample).

use hprof_parser::BasicType;
use rustc_hash::FxHashMap;

use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
pub use crate::query::jdk::is_jdk_class;
use crate::query::objects::{locate, read_object, ObjectView};
use crate::query::tables;
use crate::query::wrappers::unwrap_task;

/// How a collection keeps its elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Hash table of nodes with a value field (`table` -> nodes -> `value`).
    HashTable {
        /// Field of the map holding the bucket array.
        table: &'static str,
        /// Field of a node holding the value.
        value: &'static str,
    },
    /// A set backed by a map in the given field (elements are the map's keys).
    MapBackedSet(&'static str),
    /// A wrapper around another collection in the given field.
    Wrapper(&'static str),
    /// Elements in an array field (`elementData`, `array`, `queue`, ...).
    Array(&'static str),
    /// Linked nodes whose non-node successor is the element.
    Linked,
    /// A sorted tree of entries.
    Tree,
    /// A chain of node objects of one class linked by a field, each holding one element in
    /// another (`SubmissionPublisher`'s subscriptions).
    Chain(&'static super::chained::ChainSpec),
}

/// A collection class hprofscan understands.
#[derive(Clone, Copy, Debug)]
pub struct CollectionSpec {
    /// The JDK class (subclasses match too).
    pub class: &'static str,
    /// How it stores elements.
    pub shape: Shape,
    /// The int field with the number of entries; `None`: count the non-null slots.
    pub size_field: Option<&'static str>,
    /// Whether this is a map (entries are key/value pairs).
    pub map: bool,
}

const fn spec(
    class: &'static str,
    shape: Shape,
    size: Option<&'static str>,
    map: bool,
) -> CollectionSpec {
    CollectionSpec {
        class,
        shape,
        size_field: size,
        map,
    }
}

/// The collection classes, most specific first.
pub const SPECS: &[CollectionSpec] = &[
    spec(
        "java.util.LinkedHashMap",
        Shape::HashTable {
            table: "table",
            value: "value",
        },
        Some("size"),
        true,
    ),
    spec(
        "java.util.HashMap",
        Shape::HashTable {
            table: "table",
            value: "value",
        },
        Some("size"),
        true,
    ),
    spec(
        "java.util.WeakHashMap",
        Shape::HashTable {
            table: "table",
            value: "value",
        },
        Some("size"),
        true,
    ),
    // Since JDK 9 a `Properties` keeps its entries in a `ConcurrentHashMap` of its own (`map`),
    // its inherited `Hashtable` table unused; before, in that table (see [`legacy_spec`]).
    spec("java.util.Properties", Shape::Wrapper("map"), None, true),
    spec(
        "java.util.Hashtable",
        Shape::HashTable {
            table: "table",
            value: "value",
        },
        Some("count"),
        true,
    ),
    spec(
        "java.util.concurrent.ConcurrentHashMap",
        Shape::HashTable {
            table: "table",
            value: "val",
        },
        Some("baseCount"),
        true,
    ),
    spec(
        "java.util.IdentityHashMap",
        Shape::Array("table"),
        Some("size"),
        true,
    ),
    // Every object an ObjectOutputStream wrote since it was created or last reset().
    spec(
        "java.io.ObjectOutputStream$HandleTable",
        Shape::Array("objs"),
        Some("size"),
        false,
    ),
    spec("java.util.TreeMap", Shape::Tree, Some("size"), true),
    spec(
        "java.util.concurrent.ConcurrentSkipListMap",
        Shape::Linked,
        None,
        true,
    ),
    spec("java.util.HashSet", Shape::MapBackedSet("map"), None, false),
    spec("java.util.TreeSet", Shape::MapBackedSet("m"), None, false),
    spec(
        "java.util.concurrent.ConcurrentSkipListSet",
        Shape::MapBackedSet("m"),
        None,
        false,
    ),
    // `ConcurrentHashMap.newKeySet()` and `Collections.newSetFromMap(map)`.
    spec(
        "java.util.concurrent.ConcurrentHashMap$KeySetView",
        Shape::MapBackedSet("map"),
        None,
        false,
    ),
    spec(
        "java.util.Collections$SetFromMap",
        Shape::MapBackedSet("m"),
        None,
        false,
    ),
    spec(
        "java.util.concurrent.CopyOnWriteArraySet",
        Shape::Wrapper("al"),
        None,
        false,
    ),
    spec(
        "java.util.Collections$SynchronizedMap",
        Shape::Wrapper("m"),
        None,
        true,
    ),
    spec(
        "java.util.Collections$SynchronizedCollection",
        Shape::Wrapper("c"),
        None,
        false,
    ),
    spec(
        "java.util.ArrayList",
        Shape::Array("elementData"),
        Some("size"),
        false,
    ),
    spec(
        "java.util.Vector",
        Shape::Array("elementData"),
        Some("elementCount"),
        false,
    ),
    spec(
        "java.util.concurrent.CopyOnWriteArrayList",
        Shape::Array("array"),
        None,
        false,
    ),
    spec(
        "java.util.ArrayDeque",
        Shape::Array("elements"),
        None,
        false,
    ),
    spec(
        "java.util.PriorityQueue",
        Shape::Array("queue"),
        Some("size"),
        false,
    ),
    spec(
        "java.util.TaskQueue",
        Shape::Array("queue"),
        Some("size"),
        false,
    ),
    spec(
        "java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue",
        Shape::Array("queue"),
        Some("size"),
        false,
    ),
    spec(
        "java.util.concurrent.PriorityBlockingQueue",
        Shape::Array("queue"),
        Some("size"),
        false,
    ),
    spec(
        "java.util.concurrent.ArrayBlockingQueue",
        Shape::Array("items"),
        Some("count"),
        false,
    ),
    spec("java.util.LinkedList", Shape::Linked, Some("size"), false),
    spec(
        "java.util.concurrent.LinkedBlockingQueue",
        Shape::Linked,
        None,
        false,
    ),
    spec(
        "java.util.concurrent.LinkedBlockingDeque",
        Shape::Linked,
        Some("count"),
        false,
    ),
    spec(
        "java.util.concurrent.ConcurrentLinkedQueue",
        Shape::Linked,
        None,
        false,
    ),
    spec(
        "java.util.concurrent.ConcurrentLinkedDeque",
        Shape::Linked,
        None,
        false,
    ),
    // A Flow publisher's subscriptions, each holding its subscriber.
    spec(
        "java.util.concurrent.SubmissionPublisher",
        Shape::Chain(&super::chained::SUBSCRIPTIONS),
        None,
        false,
    ),
    // A hand-off queue: its nodes keep the queued items (and a waiting consumer's thread).
    spec(
        "java.util.concurrent.LinkedTransferQueue",
        Shape::Linked,
        None,
        false,
    ),
];

/// Collections whose contents are fixed once built: reference data, not accumulation.
pub const IMMUTABLE_PREFIXES: &[&str] = &[
    "java.util.Collections$Unmodifiable",
    "java.util.ImmutableCollections$",
    "java.util.Collections$Empty",
    "java.util.Collections$Singleton",
];

/// For every class, the collection spec it matches (itself or through a super class).
pub fn collection_specs(a: &Analysis) -> Vec<Option<&'static CollectionSpec>> {
    let classes = &a.heap.classes;
    // Memoised over the hierarchy: linear in the number of classes, whatever its depth.
    classes.inherited(|ci| {
        let name = &classes.get(ci).name;
        SPECS.iter().find(|s| s.class == name)
    })
}

/// A class name with a hidden-class suffix removed: `Foo$$Lambda$14+0x00007f...` becomes
/// `Foo$$Lambda`, so that lambdas of one site group together across dumps.
pub fn normalise_class(name: &str) -> String {
    if let Some(i) = name.find("$$Lambda") {
        return format!("{}$$Lambda", &name[..i]);
    }
    match name.find('+') {
        Some(i) if name[i + 1..].starts_with("0x") => name[..i].to_string(),
        _ => name.to_string(),
    }
}

/// What a collection holds.
#[derive(Clone, Debug, Default)]
pub struct Contents {
    /// Number of entries (elements, or key/value pairs for maps).
    pub entries: u64,
    /// Element (map value) classes in the sample, most frequent first, with counts.
    pub element_classes: Vec<(String, u64)>,
    /// Whether the map is an access-ordered `LinkedHashMap` (an LRU cache).
    pub access_order: bool,
    /// For array-backed collections: the array's length (capacity).
    pub capacity: Option<u64>,
    /// The sampled elements (map values), up to 256.
    pub values: Vec<u32>,
    /// Whether `values` are in the collection's own order (a list's index order, a linked
    /// queue's order): for a collection appended to, the order the entries were added.
    pub ordered: bool,
    /// The sampled keys of a map (the same entries as `values`).
    pub keys: Vec<u32>,
    /// Sampled (key, value) pairs of a hash map.
    pub pairs: Vec<(u32, u32)>,
    /// Of a hash table: (value of a sampled bucket's first entry, value of the entry chained
    /// after it). A bucket chains its entries in the order they were added, whatever order the
    /// collector left them in the heap (HashMap and ConcurrentHashMap append, Hashtable and
    /// WeakHashMap prepend).
    pub chained: Vec<(u32, u32)>,
    /// The keys of the same chained pairs (where both have one): keys of one hash, so equal
    /// ones mean a key class without a working `equals`.
    pub chained_keys: Vec<(u32, u32)>,
}

pub(super) const SAMPLE: usize = 256;

pub(super) fn node(a: &Analysis, id: u64) -> Option<u32> {
    a.graph.ids.get(id)
}

/// The spec an older JDK's class of `spec` matches, where the field it wraps does not exist
/// yet: a `Properties` before JDK 9 (or on Android) is the `Hashtable` it extends.
fn legacy_spec(spec: &CollectionSpec) -> Option<&'static CollectionSpec> {
    let base = match spec.class {
        "java.util.Properties" => "java.util.Hashtable",
        _ => return None,
    };
    SPECS.iter().find(|s| s.class == base)
}

/// Reads the entries and a sample of element classes of collection node `c`.
pub fn contents(a: &Analysis, c: u32, spec: &CollectionSpec) -> Contents {
    let mut out = Contents::default();
    let offs = locate(a, &[c]);
    let Some(view) = offs.get(&c).and_then(|&o| read_object(a, o, false)) else {
        return out;
    };
    out.access_order = view
        .field("accessOrder")
        .is_some_and(|f| f.ty == BasicType::Boolean && f.raw != 0);
    if let Some(f) = spec.size_field {
        out.entries = super::sizes::size_of(a, c, &view, f);
    }
    let mut sample: Vec<u32> = Vec::new();
    match spec.shape {
        Shape::HashTable { table, value } => {
            if let Some(t) = view.reference(table).and_then(|id| node(a, id)) {
                tables::hash_table(a, t, value, &mut out, &mut sample);
            }
        }
        Shape::Wrapper(field) if view.field(field).is_none() => {
            if let Some(s) = legacy_spec(spec) {
                return contents(a, c, s);
            }
        }
        Shape::MapBackedSet(field) | Shape::Wrapper(field) => {
            if let Some(inner) = view.reference(field).and_then(|id| node(a, id)) {
                let specs = collection_specs(a);
                let cls = a.graph.class_of(inner);
                if cls != NONE {
                    if let Some(s) = specs[cls as usize] {
                        let mut inner_contents = contents(a, inner, s);
                        if let Shape::MapBackedSet(_) = spec.shape {
                            // The set's elements are the map's keys; the values are a marker.
                            inner_contents.element_classes = key_classes(a, inner, s)
                                .unwrap_or_else(|| class_counts(a, &inner_contents.keys));
                            inner_contents.values = std::mem::take(&mut inner_contents.keys);
                            inner_contents.chained = inner_contents.chained_keys.clone();
                        }
                        return inner_contents;
                    }
                }
            }
        }
        Shape::Array(field) if spec.class == tables::IDENTITY_MAP => {
            if let Some(t) = view.reference(field).and_then(|id| node(a, id)) {
                tables::identity_table(a, t, &mut out, &mut sample);
            }
        }
        Shape::Array(field) => {
            if let Some(arr) = view.reference(field).and_then(|id| node(a, id)) {
                let first = deque_first(&view, spec);
                array_elements(a, arr, spec, first, &mut out, &mut sample);
            }
        }
        Shape::Chain(chain) => {
            out.entries = super::chained::walk(a, c, chain, &mut sample);
            out.ordered = true;
        }
        Shape::Linked | Shape::Tree => {
            // The element is the successor of a node object that is not itself a node (for a
            // map, the node itself: its key and value are read from it). With a size field
            // only a sample is walked; without one every node is, to count them.
            let count =
                super::nodes::walk_nodes(a, c, spec.size_field.is_none(), spec.map, &mut sample);
            out.ordered = matches!(spec.shape, Shape::Linked) && !spec.map;
            if spec.size_field.is_none() {
                out.entries = count;
            }
            if spec.map {
                sample = tables::map_nodes(a, &sample, &mut out);
            }
        }
    }
    out.element_classes = class_counts(a, &sample);
    out.values = sample.iter().map(|&v| unwrap_task(a, v)).collect();
    if out.entries == 0 && !sample.is_empty() && spec.size_field.is_none() {
        out.entries = sample.len() as u64;
    }
    out
}

/// Where the elements of an `ArrayDeque` start among its array's non-null slots: its slots
/// `[head, tail)` are in use, going round the end of the array when `tail < head`; the first
/// element then follows the `tail` slots filled at the start of the array. 0 for any other
/// collection.
pub(crate) fn deque_first(view: &ObjectView, spec: &CollectionSpec) -> usize {
    if spec.class != "java.util.ArrayDeque" {
        return 0;
    }
    match (view.int("head"), view.int("tail")) {
        (Some(head), Some(tail)) if 0 < tail && tail < head => tail as usize,
        _ => 0,
    }
}

/// The elements of an array-backed collection's array `arr`, in the collection's order (index
/// order from the non-null slot `first` on, then from the start): a sample into `sample`,
/// their count (without a size field) and the array's length into `out`.
fn array_elements(
    a: &Analysis,
    arr: u32,
    spec: &CollectionSpec,
    first: usize,
    out: &mut Contents,
    sample: &mut Vec<u32>,
) {
    let refs = a.graph.refs(arr);
    if spec.size_field.is_none() {
        out.entries = refs.len() as u64;
    }
    out.capacity = array_len(a, arr);
    out.ordered = true;
    let first = first.min(refs.len());
    if first == 0 {
        sample.extend(spread(refs));
    } else {
        let ordered: Vec<u32> = refs[first..]
            .iter()
            .chain(&refs[..first])
            .copied()
            .collect();
        sample.extend(spread(&ordered));
    }
}

/// What an object array holds, read as a list: its non-null elements in index order.
pub fn array_contents(a: &Analysis, arr: u32) -> Contents {
    let refs = a.graph.refs(arr);
    let sample = spread(refs);
    Contents {
        entries: refs.len() as u64,
        element_classes: class_counts(a, &sample),
        capacity: array_len(a, arr),
        values: sample.iter().map(|&v| unwrap_task(a, v)).collect(),
        ordered: true,
        ..Contents::default()
    }
}

fn key_classes(a: &Analysis, map: u32, spec: &CollectionSpec) -> Option<Vec<(String, u64)>> {
    let Shape::HashTable { table, .. } = spec.shape else {
        return None;
    };
    let offs = locate(a, &[map]);
    let view = read_object(a, *offs.get(&map)?, false)?;
    let t = node(a, view.reference(table)?)?;
    let buckets = spread(a.graph.refs(t));
    let offs = locate(a, &buckets);
    let keys: Vec<u32> = buckets
        .iter()
        .filter_map(|b| offs.get(b).and_then(|&o| read_object(a, o, false)))
        .filter_map(|v| v.reference("key").and_then(|id| node(a, id)))
        .collect();
    Some(class_counts(a, &keys))
}

/// Up to SAMPLE elements spread evenly over the slice (so a list of 5,000 lambdas followed by
/// 3,000 anonymous classes shows both).
pub(crate) fn spread(all: &[u32]) -> Vec<u32> {
    spread_to(all, SAMPLE)
}

/// At most `n` (at least one) of `all`, evenly spread over them in their order.
pub(crate) fn spread_to(all: &[u32], n: usize) -> Vec<u32> {
    let n = n.max(1);
    if all.len() <= n {
        return all.to_vec();
    }
    (0..n).map(|i| all[i * all.len() / n]).collect()
}

/// Length of an object array node, from its shallow size.
pub(crate) fn array_len(a: &Analysis, arr: u32) -> Option<u64> {
    let m = &a.heap.model;
    let s = a.graph.shallow(arr);
    let h = m.array_header as u64;
    (s >= h).then(|| (s - h) / m.reference as u64)
}

/// Classes of `nodes` (task wrappers unwrapped, hidden-class suffixes removed), most frequent
/// first.
pub fn class_counts(a: &Analysis, nodes: &[u32]) -> Vec<(String, u64)> {
    let mut counts: FxHashMap<String, u64> = FxHashMap::default();
    for &v in nodes {
        let v = unwrap_task(a, v);
        let k = a.graph.class_of(v);
        let name = if k == NONE {
            "<unknown class>".to_string()
        } else {
            normalise_class(&a.heap.classes.get(k).name)
        };
        *counts.entry(name).or_default() += 1;
    }
    let mut v: Vec<(String, u64)> = counts.into_iter().collect();
    v.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    v
}

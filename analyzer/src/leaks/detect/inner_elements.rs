//! Collections whose entries are collections (a ThreadLocal's per-thread lists, a map of
//! per-tenant maps, a listener registry's per-property arrays): the entries judged are the inner collections' elements, not the
//! collections, so that what accumulates in them is counted, sampled and judged like any
//! other collection's entries (their growth, their ages, their keys).

use crate::dom::analysis::Analysis;
use crate::query::collections::{array_contents, contents};
use crate::query::elements::{size_fields, SpecOf};
use crate::query::objects::{node_kind, NodeKind};

use super::super::candidate::Candidate;

/// Sampled elements kept over all the inner collections.
const SAMPLE: usize = 1024;
/// Collections read in full (for their samples); the others give only their sizes.
const MAX_READ: usize = 32;

/// What the inner collections hold: their elements' number, a sample, keys and classes.
#[derive(Default)]
struct Elements {
    entries: u64,
    /// Each collection's number of elements.
    sizes: Vec<u64>,
    sample: Vec<u32>,
    runs: Vec<u32>,
    /// Collections read that added elements to the sample (each adds a run if it keeps order).
    fully: usize,
    keys: Vec<u32>,
    pairs: Vec<(u32, u32)>,
    chained: Vec<(u32, u32)>,
    chained_keys: Vec<(u32, u32)>,
    classes: Vec<(String, u64)>,
}

/// Gives `c` the elements of `collections`: their number as entries, a sample of them (each
/// collection's in its own order, as one run), the maps' keys, and their classes. Nothing
/// changes when they hold no element.
pub(crate) fn flatten(a: &Analysis, c: &mut Candidate, collections: &[u32], spec_of: &SpecOf) {
    let Some(mut classes) = sample_elements(a, c, collections, spec_of) else {
        return;
    };
    classes
        .1
        .sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
    c.entries = classes.0;
    if let Some((class, _)) = classes.1.first() {
        c.element_class = class.clone();
    }
    c.element_classes = classes.1;
}

/// Gives `c` a sample of the elements of `collections` to judge, in place of the collections
/// themselves (kept in [`Candidate::entry_collections`]): the elements, each collection's in
/// its own order as one run, and the inner maps' keys and pairs when they have any (else the
/// outer ones stay: an upload id keying a list of parts). Its entries stay the collections.
/// The elements' number and classes, None when they hold no element.
pub(crate) fn sample_elements(
    a: &Analysis,
    c: &mut Candidate,
    collections: &[u32],
    spec_of: &SpecOf,
) -> Option<(u64, Vec<(String, u64)>)> {
    let e = read(a, collections, spec_of);
    if e.entries == 0 || e.sample.is_empty() {
        return None;
    }
    c.inner_sizes.clone_from(&e.sizes);
    // Runs only when every collection read kept its order: they must cover the sample.
    c.ordered_runs = if e.runs.len() == e.fully {
        e.runs
    } else {
        Vec::new()
    };
    c.entry_collections = std::mem::replace(&mut c.values, e.sample);
    if !e.keys.is_empty() {
        c.outer_keys = std::mem::replace(&mut c.keys, e.keys);
        c.pairs = e.pairs;
    }
    (c.chained, c.chained_keys) = (e.chained, e.chained_keys);
    Some((e.entries, e.classes))
}

/// Reads the sizes of all `collections` (in one batch where the class keeps a size field)
/// and the contents of a spread few.
fn read(a: &Analysis, collections: &[u32], spec_of: &SpecOf) -> Elements {
    let sized = size_fields(a, collections, spec_of);
    let step = collections.len().div_ceil(MAX_READ).max(1);
    let read: Vec<u32> = collections.iter().copied().step_by(step).collect();
    let per = (SAMPLE / read.len().max(1)).max(1);
    let mut e = Elements::default();
    for &v in collections {
        // Collections without a size field are read whatever their number.
        if let Some(&n) = sized.get(&v).filter(|_| !read.contains(&v)) {
            e.entries += n;
            e.sizes.push(n);
            continue;
        }
        let cont = match spec_of(v) {
            Some(spec) => contents(a, v, spec),
            None if node_kind(a, v) == NodeKind::ObjectArray => array_contents(a, v),
            None => continue,
        };
        e.entries += cont.entries;
        e.sizes.push(cont.entries);
        let taken = spread(&cont.values, per);
        // An empty collection adds nothing to the sample, and no run.
        if !taken.is_empty() {
            e.fully += 1;
            if cont.ordered {
                e.runs.push(taken.len() as u32);
            }
        }
        e.sample.extend(taken);
        // A map's keys say what it is keyed by (a UUID per request).
        e.keys.extend(spread(&cont.keys, per));
        e.pairs.extend(spread(&cont.pairs, per));
        e.chained.extend(spread(&cont.chained, per));
        e.chained_keys.extend(spread(&cont.chained_keys, per));
        e.add_classes(cont.element_classes);
    }
    fill_from_lists(a, collections, &read, spec_of, per, &mut e);
    e
}

impl Elements {
    fn add_classes(&mut self, classes: Vec<(String, u64)>) {
        for (class, n) in classes {
            match self.classes.iter_mut().find(|(k, _)| *k == class) {
                Some(x) => x.1 += n,
                None => self.classes.push((class, n)),
            }
        }
    }
}

/// Array lists whose elements the object graph gives without reading the dump (the backing
/// array's references are the elements in index order).
const GRAPH_LISTS: [&str; 3] = [
    "java.util.ArrayList",
    "java.util.Vector",
    "java.util.concurrent.CopyOnWriteArrayList",
];

/// Tops the sample up from the array lists among `collections` not read (up to `per` each, one
/// run each, spread over them) when the ones read held fewer than [`SAMPLE`] elements: many
/// small lists (3,000 inboxes of three) then give a sample of 1,024 elements from some 340
/// lists, not 100 from 32, whose judgement would depend on which 32 the heap order spread.
fn fill_from_lists(
    a: &Analysis,
    collections: &[u32],
    read: &[u32],
    spec_of: &SpecOf,
    per: usize,
    e: &mut Elements,
) {
    let lists: Vec<u32> = collections
        .iter()
        .copied()
        .filter(|v| !read.contains(v))
        .filter(|&v| spec_of(v).is_some_and(|s| GRAPH_LISTS.contains(&s.class)))
        .collect();
    let room = SAMPLE.saturating_sub(e.sample.len());
    if lists.is_empty() || room == 0 || e.runs.len() != e.fully {
        return;
    }
    let mean = (e.sample.len() / e.fully.max(1)).clamp(1, per);
    let step = (lists.len() * mean).div_ceil(room).max(1);
    for &v in lists.iter().step_by(step) {
        let Some(&arr) = a
            .graph
            .refs(v)
            .iter()
            .rev()
            .find(|&&r| node_kind(a, r) == NodeKind::ObjectArray)
        else {
            continue;
        };
        let cont = array_contents(a, arr);
        let taken = spread(&cont.values, per.min(SAMPLE - e.sample.len()));
        if taken.is_empty() {
            continue;
        }
        e.fully += 1;
        e.runs.push(taken.len() as u32);
        e.sample.extend(taken);
        e.add_classes(cont.element_classes);
        if e.sample.len() >= SAMPLE {
            break;
        }
    }
}

/// At most `per` of `items`, evenly spread over them in their order: the oldest and the newest
/// elements of a list that only grows are both in the sample.
fn spread<T: Copy>(items: &[T], per: usize) -> Vec<T> {
    let step = items.len().div_ceil(per.max(1)).max(1);
    items.iter().copied().step_by(step).collect()
}

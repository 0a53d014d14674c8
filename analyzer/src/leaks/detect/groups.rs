//! Class groups: many instances of one application class that no single collection holds,
//! retaining at least the floor together (MAT's retained bytes per class), with a sample of
//! instances spread over all of them for the holders and the evidence.
//!
//! The instances of the classes that can make a group are gathered in one parallel pass over
//! the class array per batch (at most [`BATCH`] instances, a bigger class alone), and serve
//! both the retained bytes (a climb up the dominators from each instance) and the samples.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::dom::analysis::Analysis;
use crate::dom::climb::Memo;
use crate::dom::dominators::SUPER_ROOT;
use crate::graph::ids::NONE;
use crate::query::collections::{collection_specs, is_jdk_class, normalise_class};
use crate::query::find::{instances_of, node_counts};
use crate::query::holders::Holding;
use crate::query::objects::{locate, node_kind, read_object, NodeKind};

use super::super::candidate::Candidate;
use super::super::model::LeakKind;
use super::objects::MIN_OBJECTS;

/// Instances of a class group sampled for holders and evidence.
const GROUP_SAMPLE: usize = 64;
/// Instances gathered at once, at most (a class with more is gathered alone): 4 bytes each.
const BATCH: u64 = 1 << 23;
/// Instances climbed from by one task.
const CHUNK: usize = 1 << 15;

/// A class whose instances retain at least the floor together.
pub(super) struct Group {
    class: u32,
    bytes: u64,
    instances: u64,
    /// Reachable instances spread over all of them.
    pub sample: Vec<u32>,
}

/// Application classes whose instances outside `skip` (sorted) retain at least `floor`
/// together.
pub(super) fn class_groups(a: &Analysis, floor: u64, skip: &[u32]) -> Vec<Group> {
    let specs = collection_specs(a);
    let instances = node_counts(a);
    let eligible = |k: usize| {
        let c = a.heap.classes.get(k as u32);
        instances[k] >= MIN_OBJECTS
            && !is_jdk_class(&c.name)
            && !c.name.ends_with("[]")
            && specs[k].is_none()
    };
    // Retained bytes (MAT's way) only of the classes that can make a group.
    let classes: Vec<u32> = (0..a.heap.classes.len())
        .filter(|&k| eligible(k))
        .map(|k| k as u32)
        .collect();
    let memo = Memo::new(a.graph.len());
    let mut groups = Vec::new();
    let mut first = 0;
    while first < classes.len() {
        let (mut last, mut sum) = (first + 1, instances[classes[first] as usize]);
        while last < classes.len() && sum + instances[classes[last] as usize] <= BATCH {
            sum += instances[classes[last] as usize];
            last += 1;
        }
        let batch = &classes[first..last];
        for (&k, all) in batch.iter().zip(gather(a, batch)) {
            let bytes = retained_outside(a, &memo, k, &all, skip);
            if bytes < floor.max(1) {
                continue;
            }
            groups.push(Group {
                class: k,
                bytes,
                instances: instances[k as usize],
                sample: spread(a, &all, instances[k as usize]),
            });
        }
        first = last;
    }
    groups
}

/// The instances of each class of `batch`, in node order (class objects are of
/// java.lang.Class, never of an application class).
fn gather(a: &Analysis, batch: &[u32]) -> Vec<Vec<u32>> {
    let mut wanted = vec![false; a.heap.classes.len()];
    for &k in batch {
        wanted[k as usize] = true;
    }
    let found = instances_of(a, &wanted);
    if let [_] = batch {
        return vec![found];
    }
    batch
        .iter()
        .map(|&k| {
            found
                .iter()
                .copied()
                .filter(|&v| a.graph.class_of(v) == k)
                .collect()
        })
        .collect()
}

/// Every `count / GROUP_SAMPLE`-th of the `instances` of a class (`count` of them in all), from
/// the first, the unreachable ones dropped, at most [`GROUP_SAMPLE`]. Spread over all
/// instances: the first ones in the heap are the oldest, or one neighbourhood of a list, and
/// would speak for the group alone.
fn spread(a: &Analysis, instances: &[u32], count: u64) -> Vec<u32> {
    let step = (count as usize / GROUP_SAMPLE).max(1);
    instances
        .iter()
        .copied()
        .step_by(step)
        .filter(|&v| a.dom.is_reachable(v))
        .take(GROUP_SAMPLE)
        .collect()
}

/// The retained bytes of the `instances` of class `k` outside `skip` (sorted) that have no
/// dominator of class `k` or in `skip`, as
/// [`crate::dom::climb::retained_of_classes_outside`] counts them; leaves `memo` with no
/// answer.
fn retained_outside(a: &Analysis, memo: &Memo, k: u32, instances: &[u32], skip: &[u32]) -> u64 {
    let skipped = |v: u32| skip.binary_search(&v).is_ok();
    let hit = |v: u32| a.graph.class_of(v) == k || skipped(v);
    let sum = instances
        .par_chunks(CHUNK)
        .map(|chunk| {
            let (mut path, mut sum) = (Vec::new(), 0u64);
            for &v in chunk.iter().filter(|&&v| !skipped(v)) {
                let counted = match a.dom.idom[v as usize] {
                    NONE => false,
                    SUPER_ROOT => true,
                    d => !memo.answer(a, d, &hit, &mut path),
                };
                if counted {
                    sum += a.dom.retained.get(v);
                }
            }
            sum
        })
        .sum();
    memo.clear();
    sum
}

/// A class group with its most common holder among the sampled instances.
pub(super) fn group_candidate(
    a: &Analysis,
    g: Group,
    holdings: &[Option<Holding>],
) -> Option<Candidate> {
    let mut tally: FxHashMap<String, (u64, &Holding)> = FxHashMap::default();
    for h in holdings.iter().flatten() {
        tally.entry(h.holder.display()).or_insert((0, h)).0 += 1;
    }
    let (_, (held, best)) = tally
        .into_iter()
        .max_by_key(|(name, (c, _))| (*c, name.clone()))?;
    let name = a.heap.classes.get(g.class).name.clone();
    let first = g.sample.first().copied();
    let mut c = Candidate::new(LeakKind::ClassGroup, first, name.clone(), g.bytes);
    c.holding = Some(best.clone());
    c.element_class = normalise_class(&name);
    c.element_classes = vec![(c.element_class.clone(), g.instances)];
    c.entries = g.instances;
    c.values = g.sample;
    in_slot_order(a, &mut c, g.class);
    super::group_lists::add_sizes(a, &mut c);
    // How many of the sampled instances this holder accounts for is the holder's claim.
    c.finding.explanation = format!(
        "{} of {} sampled instances are held through this field",
        held,
        holdings.len()
    );
    Some(c)
}

/// When the holder field is an object array filled from slot 0 and empty after it (a
/// hand-written list: `Event[] items; int count;`), the sample becomes instances spread over
/// its slots in slot order, one run ([`Candidate::ordered_runs`]): the order they were appended
/// in, which no collector changes, as a list's is.
fn in_slot_order(a: &Analysis, c: &mut Candidate, class: u32) {
    let Some(&[arr, _]) = c.holding.as_ref().map(|h| &h.chain[..]) else {
        return;
    };
    if node_kind(a, arr) != NodeKind::ObjectArray {
        return;
    }
    let offs = locate(a, &[arr]);
    let Some(view) = offs.get(&arr).and_then(|&o| read_object(a, o, false)) else {
        return;
    };
    let filled = view.elements.iter().take_while(|&&e| e != 0).count();
    if filled == view.elements.len() || view.elements[filled..].iter().any(|&e| e != 0) {
        return;
    }
    let step = (filled / GROUP_SAMPLE).max(1);
    let sample: Vec<u32> = view.elements[..filled]
        .iter()
        .step_by(step)
        .filter_map(|&id| a.graph.ids.get(id))
        .filter(|&v| a.graph.class_of(v) == class)
        .take(GROUP_SAMPLE)
        .collect();
    if sample.len() * 2 >= c.values.len() {
        c.ordered_runs = vec![sample.len() as u32];
        c.values = sample;
    }
}

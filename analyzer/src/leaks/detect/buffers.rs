//! Buffers that are appended to ([`crate::query::buffers`]): a `StringBuilder`, `StringBuffer`,
//! `ByteArrayOutputStream` or `CharArrayWriter` retaining at least the floor, held by an
//! application field. One array holds everything appended since the buffer was last reset, so
//! a debug or audit buffer that nothing resets keeps every line ever written; its size alone
//! does not tell that from a big buffer in use (the evidence modules and a series do).

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::query::buffers::{buffer_specs, read, Buffer};
use crate::query::holders::find_holders;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeakKind, Strength, Supports};

/// How many levels of references the holder search walks back.
const HOLDER_LEVELS: usize = 8;

/// One candidate per buffer among `big` (the nodes retaining at least `floor`) that an
/// application field holds.
pub(crate) fn detect(a: &Analysis, big: &[u32]) -> Vec<Candidate> {
    let specs = buffer_specs(a);
    let spec_of = |v: u32| {
        let k = a.graph.class_of(v);
        if k == NONE || a.graph.class_object(v).is_some() {
            None
        } else {
            specs[k as usize]
        }
    };
    let nodes: Vec<u32> = big
        .iter()
        .copied()
        .filter(|&v| a.dom.is_reachable(v) && spec_of(v).is_some())
        .collect();
    let holders = find_holders(a, &nodes, HOLDER_LEVELS);
    nodes
        .into_iter()
        .zip(holders)
        .filter_map(|(v, h)| {
            let h = h.filter(|h| !h.holder.field.starts_with('<'))?;
            let b = read(a, v, spec_of(v)?, false)?;
            let mut c = candidate(a, v, &b);
            c.holding = Some(h);
            Some(c)
        })
        .collect()
}

/// The candidate of buffer `v`: its entries are the chars or bytes it holds.
fn candidate(a: &Analysis, v: u32, b: &Buffer) -> Candidate {
    let class = crate::query::objects::node_class(a, v);
    let mut c = Candidate::new(LeakKind::Buffer, Some(v), class, a.dom.retained.get(v));
    c.entries = b.count;
    c.element_class = if b.text { "char" } else { "byte" }.to_string();
    c.element_classes = vec![(c.element_class.clone(), b.count)];
    if let Some(e) = reset_evidence(b) {
        c.add(e);
    }
    c
}

/// Buffers read at most for a field's total; the others are counted at the read ones' mean.
const FIELD_READ: usize = 4096;
/// Buffers a field candidate samples for its evidence.
const FIELD_SAMPLE: usize = 256;

/// The candidate of one field's buffers in many objects (`n`: the field's candidate with its
/// holder, instances and retained bytes; `buffers`: one per object): its entries are the
/// chars or bytes they hold together, its values a spread sample of the buffers.
pub(crate) fn field_of_buffers(
    a: &Analysis,
    mut n: Candidate,
    buffers: &[u32],
) -> Option<Candidate> {
    let specs = buffer_specs(a);
    let step = buffers.len().div_ceil(FIELD_READ).max(1);
    let read_ones: Vec<Buffer> = buffers
        .iter()
        .step_by(step)
        .filter_map(|&v| {
            read(
                a,
                v,
                specs.get(a.graph.class_of(v) as usize).copied()??,
                false,
            )
        })
        .collect();
    let first = read_ones.first()?;
    let held: u64 = read_ones.iter().map(|b| b.count).sum();
    n.kind = LeakKind::Buffer;
    n.entries = held * buffers.len() as u64 / read_ones.len() as u64;
    n.element_class = if first.text { "char" } else { "byte" }.to_string();
    n.element_classes = vec![(n.element_class.clone(), n.entries)];
    let sample_step = buffers.len().div_ceil(FIELD_SAMPLE).max(1);
    n.values = buffers.iter().step_by(sample_step).copied().collect();
    let reset = read_ones
        .iter()
        .filter(|b| reset_evidence(b).is_some())
        .count();
    if reset * 2 >= read_ones.len() {
        n.add(evidence(
            EvidenceName::Bound,
            Supports::MemoryHungry,
            Strength::Moderate,
            format!(
                "{reset} of {} buffers read hold less than half of what their arrays can hold: reset (or sized ahead) since their arrays last grew, which appending without a reset never leaves",
                read_ones.len()
            ),
        ));
    }
    Some(n)
}

/// A buffer holding less than half of its array: it was reset (or sized ahead) since its
/// array last grew, as appending without a reset never leaves it (an append that does not fit
/// doubles the array).
fn reset_evidence(b: &Buffer) -> Option<super::super::model::Evidence> {
    (b.capacity > 0 && b.count < b.capacity / 2).then(|| {
        evidence(
            EvidenceName::Bound,
            Supports::MemoryHungry,
            Strength::Moderate,
            format!(
                "holds {} of the {} {} its array can hold: reset (or sized ahead) since the array last grew, which appending without a reset never leaves",
                thousands(b.count),
                thousands(b.capacity),
                if b.text { "chars" } else { "bytes" },
            ),
        )
    })
}

//! A bounded domain: entries that each refer to their own element of another structure of the
//! same size (one stock level per SKU of the catalog) have reached their bound: the map holds
//! one entry per element of that catalog.

use rustc_hash::FxHashSet;

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::query::find::ref_node;

use super::super::candidate::{evidence, Candidate};
use super::super::detect::dominated_by;
use super::super::model::{EvidenceName, Strength, Supports};
use super::Reads;

/// Sampled entries needed for a judgement.
const MIN_ENTRIES: usize = 20;
/// Share of sampled entries that must refer into the other structure.
const REFERRING: f64 = 0.9;
/// The other structure's size must be within this share of the entries.
const SAME_SIZE: f64 = 0.9;
/// How far up the dominator tree an element may lie below its structure.
const DEPTH: usize = 8;

/// Another structure: (node, entries, holder as displayed, its sampled element classes).
pub(crate) type Structure = (u32, u64, String, Vec<String>);

/// The structures entries may refer into: every collection candidate.
pub(crate) fn structures(cands: &[Candidate]) -> Vec<Structure> {
    cands
        .iter()
        .filter(|c| c.collection.is_some())
        .filter_map(|c| {
            let classes = c.element_classes.iter().map(|e| e.0.clone()).collect();
            Some((c.node?, c.entries, c.holder_display(), classes))
        })
        .collect()
}

/// Adds the bounded-domain evidence.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads, others: &[Structure]) {
    if c.values.len() < MIN_ENTRIES || c.collection.is_none() {
        return;
    }
    let Some(me) = c.node else { return };
    for (other, entries, holder, element) in others {
        if *other == me || *entries < c.entries || (c.entries as f64) < SAME_SIZE * *entries as f64
        {
            continue;
        }
        let mut referring = 0usize;
        let mut distinct: FxHashSet<u32> = FxHashSet::default();
        for v in &c.values {
            let Some(view) = reads.views.get(v) else {
                continue;
            };
            let hit = view.fields.iter().find_map(|f| {
                let w = ref_node(a, view, &f.name)?;
                let class = crate::query::collections::normalise_class(
                    &crate::query::objects::node_class(a, w),
                );
                (dominated_by(a, w, *other, DEPTH)
                    || (!crate::query::collections::is_jdk_class(&class)
                        && element.contains(&class)))
                .then_some(w)
            });
            if let Some(w) = hit {
                referring += 1;
                distinct.insert(w);
            }
        }
        let n = c.values.len();
        if (referring as f64) >= REFERRING * n as f64 && distinct.len() == referring {
            let element = crate::query::collections::normalise_class(
                &crate::query::objects::node_class(a, *distinct.iter().next().unwrap_or(&me)),
            );
            c.add(evidence(
                EvidenceName::Bound,
                Supports::MemoryHungry,
                Strength::Strong,
                format!(
                    "each of {referring} sampled entries refers to its own {element} of {holder} ({} entries): one entry per element, at its bound",
                    thousands(*entries)
                ),
            ));
            return;
        }
    }
}

//! Lapsed listeners: a listener registry whose listeners, most of them, nothing but the
//! registry keeps — nor the application object each listener belongs to (the view, session
//! or connection it references through one field). A listener whose owner is in use is kept
//! by that owner's other holders too (a map of open sessions); one whose owner was closed
//! without unregistering it is kept by the registry alone, with its owner. Listeners with no
//! owner of their own (a startup component, a shared lambda) are not judged. Judged on the
//! sample; the lapsed ones are then counted over every listener when all can be found
//! (`every.rs`). Values are read only to count.

use rustc_hash::FxHashMap;

use crate::base::text::{simple_name, thousands};
use crate::dom::analysis::Analysis;
use crate::query::collections::normalise_class;
use crate::query::find::ref_node;
use crate::query::holders::is_application;
use crate::query::objects::{node_class, node_kind, NodeKind};

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeakKind, LeftBy, Strength, Supports};
use super::dropped::{dominated_by, own_arrays};
use super::Reads;

/// Sampled listeners with an owner needed for a judgement.
const MIN_OWNED: usize = 20;
/// Share of the sampled listeners that must have an owner through one field.
const OWNED: f64 = 0.8;
/// Share of those whose owner only the registry keeps.
const LAPSED: f64 = 0.8;
/// Estimated lapsed listeners from which the evidence is strong (fewer: moderate).
const MANY: u64 = 1_000;

/// Adds the lapsed-listeners evidence to a registry of listeners.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    let Some(node) = c.node.filter(|_| c.kind == LeakKind::Listeners) else {
        return;
    };
    let Some((field, owned)) = owner_field(a, c, reads) else {
        return;
    };
    let n = c.values.len();
    if owned.len() < MIN_OWNED || (owned.len() as f64) < OWNED * n as f64 {
        return;
    }
    let mut tops = own_arrays(a, node);
    tops.push(node);
    tops.extend(&c.entry_collections);
    let lapsed = owned
        .iter()
        .filter(|&&(v, owner)| dominated_by(a, v, &tops) && dominated_by(a, owner, &tops))
        .count();
    if (lapsed as f64) < LAPSED * owned.len() as f64 {
        return;
    }
    let estimate = c.entries * lapsed as u64 / n as u64;
    let strength = if estimate >= MANY {
        Strength::Strong
    } else {
        Strength::Moderate
    };
    let owner_class = simple_name(&normalise_class(&node_class(a, owned[0].1))).to_string();
    let (k, m) = every_lapsed(a, c, reads, &field, &tops).unwrap_or((lapsed as u64, n as u64));
    c.left_in_sample = Some((LeftBy::State, k, m));
    c.add(evidence(
        EvidenceName::LapsedListeners,
        Supports::Leak,
        strength,
        format!(
            "{lapsed} of {n} sampled listeners, with the {owner_class} each belongs to (through {field}), are kept by this registry alone: their owners are gone, yet they stay registered (about {} in all)",
            thousands(estimate)
        ),
    ));
}

/// The field through which most sampled listeners reference an application object of their
/// own, and the (listener, owner) pairs it gives.
fn owner_field(a: &Analysis, c: &Candidate, reads: &Reads) -> Option<(String, Vec<(u32, u32)>)> {
    let mut by_field: FxHashMap<&str, Vec<(u32, u32)>> = FxHashMap::default();
    for &v in &c.values {
        let Some(view) = reads.views.get(&v) else {
            continue;
        };
        for f in &view.fields {
            let Some(w) = ref_node(a, view, &f.name) else {
                continue;
            };
            if is_application(a, w) && node_kind(a, w) == NodeKind::Instance {
                by_field.entry(f.name.as_str()).or_default().push((v, w));
            }
        }
    }
    let (field, pairs) = by_field.into_iter().max_by_key(|(f, p)| (p.len(), *f))?;
    Some((field.to_string(), pairs))
}

/// (lapsed, judged) over every listener of the registry, when [`super::every::values`] finds
/// them all: each read for its owner in `field`, lapsed when the registry's `tops` alone keep
/// both. A count, where the sample gives an estimate.
fn every_lapsed(
    a: &Analysis,
    c: &Candidate,
    reads: &Reads,
    field: &str,
    tops: &[u32],
) -> Option<(u64, u64)> {
    let all = super::every::values(a, c, reads)?;
    let views = crate::query::find::views(a, &all);
    if views.len() != all.len() {
        return None;
    }
    let lapsed = all
        .iter()
        .filter(|&&v| {
            let owner = views.get(&v).and_then(|view| ref_node(a, view, field));
            owner.is_some_and(|o| {
                is_application(a, o) && dominated_by(a, v, tops) && dominated_by(a, o, tops)
            })
        })
        .count();
    Some((lapsed as u64, all.len() as u64))
}

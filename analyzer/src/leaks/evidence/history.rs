//! History chains: entries that each keep a chain of earlier objects of their own class through
//! one field (`previous`, `prior`, `older`) that only they keep. Versioned records linked to the
//! version they replaced, where the code reads one step back but never cuts the older link,
//! keep every version ever saved: memory grows with the saves, not with the entries, and the
//! collection holding the newest versions does not grow at all. Chains of one length (a
//! history trimmed to a depth) keep a bounded history on purpose.

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::Reads;

/// Sampled entries needed for a judgement.
const MIN_ENTRIES: usize = 20;
/// Earlier objects per entry, on average, from which the chains are a history.
const MIN_MEAN: f64 = 2.0;
/// Earlier objects (estimated over all entries) from which they are an accumulation.
const MANY: f64 = 1000.0;
/// Share of what the sampled entries retain that their chains must hold.
const SHARE: f64 = 0.5;
/// Share of the chains at the longest length from which the history is trimmed to a depth.
const AT_CAP: f64 = 0.3;
/// Longest chain walked.
const MAX_WALK: usize = 100_000;

/// The chain entry `v` keeps: the objects of its class each reached from the one before and
/// kept by it alone (its dominator), in order.
fn chain(a: &Analysis, v: u32) -> Vec<u32> {
    let k = a.graph.class_of(v);
    let mut out = Vec::new();
    let mut u = v;
    while out.len() < MAX_WALK {
        let next = a
            .graph
            .refs(u)
            .iter()
            .copied()
            .find(|&w| w != u && a.graph.class_of(w) == k && a.dom.idom[w as usize] == u);
        match next {
            Some(w) => {
                out.push(w);
                u = w;
            }
            None => break,
        }
    }
    out
}

/// The field of `v`'s view that references `w`.
fn field_to(reads: &Reads, v: u32, w_id: u64) -> Option<String> {
    let view = reads.views.get(&v)?;
    view.fields
        .iter()
        .find(|f| f.ty == hprof_parser::BasicType::Object && f.raw == w_id)
        .map(|f| f.name.clone())
}

/// Adds the history-chain evidence.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    if c.collection.is_none() || c.values.len() < MIN_ENTRIES || c.entries == 0 {
        return;
    }
    let chains: Vec<(u32, Vec<u32>)> = c
        .values
        .iter()
        .filter(|&&v| a.dom.is_reachable(v) && a.graph.class_object(v).is_none())
        .map(|&v| (v, chain(a, v)))
        .collect();
    let n = chains.len();
    let linked: Vec<&(u32, Vec<u32>)> = chains.iter().filter(|(_, ch)| !ch.is_empty()).collect();
    let total: usize = chains.iter().map(|(_, ch)| ch.len()).sum();
    let mean = total as f64 / n.max(1) as f64;
    let Some(&(first, ref first_chain)) = linked.first().copied() else {
        return;
    };
    if n < MIN_ENTRIES || mean < MIN_MEAN || mean * (c.entries as f64) < MANY {
        return;
    }
    let retained: u64 = chains.iter().map(|&(v, _)| a.dom.retained.get(v)).sum();
    let in_chains: u64 = linked.iter().map(|(_, ch)| a.dom.retained.get(ch[0])).sum();
    if (in_chains as f64) < SHARE * retained as f64 {
        return;
    }
    let longest = chains.iter().map(|(_, ch)| ch.len()).max().unwrap_or(0);
    let at_cap = chains.iter().filter(|(_, ch)| ch.len() == longest).count();
    if at_cap as f64 >= AT_CAP * n as f64 {
        return;
    }
    let field =
        field_to(reads, first, a.graph.ids.id(first_chain[0])).unwrap_or_else(|| "a field".into());
    let class = crate::query::objects::node_class(a, first);
    c.add(evidence(
        EvidenceName::HistoryChains,
        Supports::Leak,
        Strength::Moderate,
        format!(
            "the sampled entries each keep a chain of earlier {class} objects through field {field} ({mean:.1} on average, up to {}; about {} in all), {:.0}% of what they retain: every object ever linked stays, though the chains' lengths follow no limit",
            thousands(longest as u64),
            thousands((mean * c.entries as f64).round() as u64),
            100.0 * in_chains as f64 / retained.max(1) as f64,
        ),
    ));
}

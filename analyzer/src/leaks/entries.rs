//! What one entry retains: the average over the sampled entries, and the field and class that
//! make most of it ("each entry retains ~4.2 KiB, mostly byte[] via .body"), so that a map of
//! 6,000 lists says what the lists hold.

use rustc_hash::FxHashMap;

use crate::analysis::Analysis;
use crate::finding::ref_node;

use super::candidate::Candidate;
use super::evidence::Reads;
use super::model::PerEntry;

/// A part must make at least this share of an entry to be named.
const MOSTLY: f64 = 0.5;

/// The per-entry composition of a candidate's sampled values: what each retains on average,
/// and which field of the entry (and which class behind it) retains most of that.
pub(crate) fn per_entry(a: &Analysis, c: &Candidate, reads: &Reads) -> Option<PerEntry> {
    if c.entries == 0 {
        return None;
    }
    let average = c.retained / c.entries;
    let values: Vec<u32> = c
        .values
        .iter()
        .copied()
        .filter(|&v| a.dom.is_reachable(v))
        .collect();
    if values.is_empty() {
        return Some(PerEntry {
            average_bytes: average,
            mostly_class: None,
            via: None,
            share: None,
        });
    }
    let total: u64 = values.iter().map(|&v| a.dom.retained[v as usize]).sum();
    let mut parts: FxHashMap<(String, String), u64> = FxHashMap::default();
    for &v in &values {
        let Some(view) = reads.views.get(&v) else {
            continue;
        };
        for f in &view.fields {
            let Some(w) = ref_node(a, view, &f.name) else {
                continue;
            };
            if a.dom.idom[w as usize] == v {
                let class = crate::collections::normalise_class(&crate::objects::node_class(a, w));
                *parts.entry((f.name.clone(), class)).or_default() += a.dom.retained[w as usize];
            }
        }
    }
    let best = parts
        .into_iter()
        .max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(&x.0)))
        .filter(|(_, bytes)| total > 0 && *bytes as f64 >= MOSTLY * total as f64);
    Some(match best {
        Some(((field, class), bytes)) => PerEntry {
            average_bytes: average,
            mostly_class: Some(class),
            via: Some(format!(".{field}")),
            share: Some(bytes as f64 / total as f64),
        },
        None => PerEntry {
            average_bytes: average,
            mostly_class: None,
            via: None,
            share: None,
        },
    })
}

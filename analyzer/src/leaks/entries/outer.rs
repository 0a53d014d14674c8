//! The outer object of inner-class entries: javac gives an inner (or anonymous) class a
//! `this$0` field (`this$1`, ... when nested deeper) that holds the object it was created in, so
//! a listener registered and forgotten pins that object too.

use rustc_hash::FxHashMap;

use crate::dom::analysis::Analysis;
use crate::leaks::evidence::Reads;
use crate::leaks::model::OuterObject;

/// Whether a field is the compiler's link to an outer instance (`this$0`, `this$1`, ...).
fn is_outer_link(name: &str) -> bool {
    name.strip_prefix("this$")
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// The outer objects of the sampled `values`, when any of them is an inner-class instance.
pub(crate) fn outer(a: &Analysis, values: &[u32], reads: &Reads) -> Option<OuterObject> {
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let mut field = String::new();
    for &v in values {
        let Some(view) = reads.views.get(&v) else {
            continue;
        };
        let link = view.fields.iter().find(|f| {
            f.ty == hprof_parser::BasicType::Object && f.raw != 0 && is_outer_link(&f.name)
        });
        let Some(f) = link else {
            continue;
        };
        if let Some(w) = a.graph.ids.get(f.raw) {
            if field.is_empty() {
                field = f.name.clone();
            }
            pairs.push((v, w));
        }
    }
    if pairs.is_empty() {
        return None;
    }
    let pinned: Vec<u32> = pairs
        .iter()
        .filter(|&&(v, w)| a.dom.idom[w as usize] == v)
        .map(|p| p.1)
        .collect();
    let mut outers: Vec<u32> = pairs.iter().map(|p| p.1).collect();
    outers.sort_unstable();
    let mut counts: FxHashMap<u32, u64> = FxHashMap::default();
    for &w in &outers {
        *counts.entry(w).or_default() += 1;
    }
    outers.dedup();
    let most = counts
        .iter()
        .max_by(|x, y| x.1.cmp(y.1).then(y.0.cmp(x.0)))
        .map(|(&w, _)| w)?;
    let classes = crate::query::collections::class_counts(a, &outers);
    let retained_bytes = if pinned.is_empty() {
        a.dom.retained.get(most)
    } else {
        pinned.iter().map(|&w| a.dom.retained.get(w)).sum::<u64>() / pinned.len() as u64
    };
    Some(OuterObject {
        class: classes.first().map(|c| c.0.clone()).unwrap_or_default(),
        field,
        entries: pairs.len() as u64,
        sampled: values.len() as u64,
        distinct: outers.len() as u64,
        pinned: pinned.len() as u64,
        retained_bytes,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn outer_links_are_this_and_a_number() {
        assert!(super::is_outer_link("this$0"));
        assert!(super::is_outer_link("this$12"));
        assert!(!super::is_outer_link("this$"));
        assert!(!super::is_outer_link("this$x"));
        assert!(!super::is_outer_link("val$ctx"));
    }
}

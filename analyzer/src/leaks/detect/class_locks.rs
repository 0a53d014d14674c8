//! Class-name locks: a parallel-capable class loader (the JDK's application and platform
//! loaders) keeps one lock object per class name it was ever asked to load, found or not, in
//! its `parallelLockMap`, for as long as it lives. A service loads a fixed set of classes;
//! thousands of names that name no class in the heap were built at run time (`Class.forName`
//! of a plugin name taken from a request) and each left a lock for good. Names are read only to
//! compare them with the loaded classes' names and are never shown.

use rustc_hash::FxHashSet;

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::query::collections::{collection_specs, contents};
use crate::query::find::{ref_node, views};
use crate::query::holders::{Holder, Holding};
use crate::query::objects::node_class;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeakKind, Strength, Supports};

/// The class of the lock map.
const LOCK_MAP_CLASS: &str = "java.util.concurrent.ConcurrentHashMap";
/// The loader field holding the locks.
pub(crate) const FIELD: &str = "parallelLockMap";
/// More names than a service's classes and their failed lookups make worth judging.
const MANY: u64 = 1000;
/// Sampled names needed for a judgement.
const MIN_NAMES: usize = 20;
/// Share of the sampled names that must name no loaded class.
const UNLOADED_SHARE: f64 = 2.0 / 3.0;

/// The lock map, of the loaders of the dump's classes, retaining the most, when it retains
/// `floor` bytes or more and holds [`MANY`] names or more, two thirds of the sampled ones naming
/// no loaded class. The loaders' maps are weighed in the graph first: a dump whose biggest one
/// keeps less than `floor` costs no pass over the dump.
pub(crate) fn detect(a: &Analysis, floor: u64) -> Option<Candidate> {
    let mut loaders: Vec<u32> = a
        .heap
        .classes
        .iter()
        .filter(|c| c.loader_id != 0)
        .filter_map(|c| a.graph.ids.get(c.loader_id))
        .collect();
    loaders.sort_unstable();
    loaders.dedup();
    let chm = a.heap.classes.by_name(LOCK_MAP_CLASS)?;
    let biggest = loaders
        .iter()
        .flat_map(|&l| a.graph.refs(l).iter().copied())
        .filter(|&w| a.graph.class_of(w) == chm)
        .map(|w| a.dom.retained.get(w))
        .max()?;
    if biggest < floor {
        return None;
    }
    let read = views(a, &loaders);
    let (loader, map) = loaders
        .iter()
        .filter_map(|&l| Some((l, ref_node(a, read.get(&l)?, FIELD)?)))
        .max_by_key(|&(_, m)| a.dom.retained.get(m))?;
    let spec = collection_specs(a)[a.graph.class_of(map) as usize]?;
    let cont = contents(a, map, spec);
    if cont.entries < MANY {
        return None;
    }
    let names = crate::query::strings::strings_never_shown(a, &cont.keys);
    let loaded: FxHashSet<&str> = a.heap.classes.iter().map(|c| c.name.as_str()).collect();
    let unloaded = names
        .values()
        .filter(|n| !loaded.contains(n.as_str()))
        .count();
    if names.len() < MIN_NAMES || (unloaded as f64) < UNLOADED_SHARE * names.len() as f64 {
        return None;
    }
    let mut c = Candidate::new(
        LeakKind::UnboundedMap,
        Some(map),
        node_class(a, map),
        a.dom.retained.get(map),
    );
    c.holding = Some(Holding {
        holder: Holder {
            class: node_class(a, loader),
            field: FIELD.into(),
            is_static: false,
        },
        owner: loader,
        chain: vec![map],
        via: Vec::new(),
    });
    c.entries = cont.entries;
    c.element_classes = cont.element_classes.clone();
    c.element_class = c
        .element_classes
        .first()
        .map(|e| e.0.clone())
        .unwrap_or_default();
    c.add(evidence(
        EvidenceName::KeyShape,
        Supports::Leak,
        Strength::Strong,
        format!(
            "{} class names were looked up through this class loader, which keeps a lock object for each: {unloaded} of {} sampled names name no class loaded in the heap, so names are built at run time (a class looked up by a name taken from a request) and every one stays",
            thousands(cont.entries),
            names.len()
        ),
    ));
    Some(c)
}

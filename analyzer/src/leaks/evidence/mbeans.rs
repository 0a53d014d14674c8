//! MBeans registered per job: `MBeanServer.registerMBean` puts each MBean in the server's
//! repository (a map per domain of `NamedObject`s, keyed by the name's key properties), which
//! only `unregisterMBean` empties. A JVM registers a few dozen MBeans and a service some more
//! (pools, caches), under fixed names; thousands whose names carry an id
//! (`type=AnalysisJob,job=118734`) are one per job, connection or request. When the MBean
//! server alone keeps the objects they expose, their jobs ended without unregistering them.
//! Names are read only to find the ids and are never shown.

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::query::find::{ref_node, views};
use crate::query::objects::node_class;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::dropped::{dominated_by, own_arrays};
use super::Reads;

/// The class of the repository's entries.
const NAMED_OBJECT: &str = "com.sun.jmx.mbeanserver.NamedObject";
/// More MBeans than a JVM and a service's components register.
const MANY: u64 = 1000;
/// Share of the sampled names that must carry an id.
const ID_SHARE: f64 = 2.0 / 3.0;
/// Sampled names needed for a judgement.
const MIN_KEYS: usize = 20;
/// Share of the sampled MBeans whose objects the repository alone must keep for strong
/// evidence.
const ALONE_SHARE: f64 = 0.8;

/// Adds leak evidence to an MBean repository's map of [`MANY`] MBeans or more most of whose
/// sampled names carry an id: moderate, strong when the map alone keeps most of the objects
/// the sampled MBeans expose.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    let Some(node) = c.node else { return };
    if c.element_class != NAMED_OBJECT || c.entries < MANY {
        return;
    }
    let (with_id, n) = super::system_props::names_with_ids(c, reads);
    if n < MIN_KEYS || (with_id as f64) < ID_SHARE * n as f64 {
        return;
    }
    let exposed = exposed_objects(a, c, reads);
    let mut tops = own_arrays(a, node);
    tops.push(node);
    let alone = exposed
        .iter()
        .filter(|&&o| dominated_by(a, o, &tops))
        .count();
    let kept_alone = !exposed.is_empty() && alone as f64 >= ALONE_SHARE * exposed.len() as f64;
    let (strength, why) = if kept_alone {
        (
            Strength::Strong,
            format!("; the MBean server alone keeps {alone} of the {} objects they expose: their jobs ended without unregisterMBean", exposed.len()),
        )
    } else {
        (
            Strength::Moderate,
            "; one dump cannot tell whether what they expose is still in use".to_string(),
        )
    };
    c.add(evidence(
        EvidenceName::KeyShape,
        Supports::Leak,
        strength,
        format!(
            "{} MBeans are registered in this MBean server domain, where a JVM registers a few dozen: {with_id} of {n} sampled names carry an id (a number or token), so one is registered per job, connection or request, and only unregisterMBean removes it{why}",
            thousands(c.entries),
        ),
    ));
}

/// The objects the sampled MBeans expose: a `StandardMBean`'s implementation, or the
/// registered object itself.
fn exposed_objects(a: &Analysis, c: &Candidate, reads: &Reads) -> Vec<u32> {
    let registered: Vec<u32> = c
        .values
        .iter()
        .filter_map(|v| ref_node(a, reads.views.get(v)?, "object"))
        .collect();
    let wrappers: Vec<u32> = registered
        .iter()
        .copied()
        .filter(|&o| node_class(a, o).starts_with("javax.management.StandardMBean"))
        .collect();
    let wrapped = views(a, &wrappers);
    registered
        .into_iter()
        .map(|o| {
            wrapped
                .get(&o)
                .and_then(|w| ref_node(a, w, "implementation"))
                .unwrap_or(o)
        })
        .collect()
}

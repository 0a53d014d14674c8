//! The settings of the enclosing class: a service keeps its constants in its outer class
//! (`TaxiFares.MAX_FARE_ADJUSTMENTS`), and a nested component's structure is capped by the one
//! named for what it holds (`TaxiFares$FareAudit.TRAIL` of `FareAdjustment`s). A structure a
//! housekeeping pass trims to that cap now and then is at it, or over it by what came since
//! the last pass: at most [`OVER`] of the cap.

use crate::base::text::{simple_name, thousands};
use crate::dom::analysis::Analysis;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{Evidence, EvidenceName, Strength, Supports};
use super::bound::{class_caps, holder_words, AT_CAP};

/// How far over its cap a structure trimmed now and then may be.
const OVER: f64 = 0.1;

/// Bound evidence when the class enclosing the holder's declares a cap constant named like the
/// holder field or the elements' class, and the size (per collection) is from [`AT_CAP`] of it
/// to [`OVER`] beyond it.
pub(super) fn at_outer_cap(a: &Analysis, c: &Candidate) -> Option<Evidence> {
    let holder = &c.holding.as_ref()?.holder;
    let (outer, _) = holder.class.rsplit_once('$')?;
    let element = simple_name(&c.element_class);
    let element = element.rsplit('$').next().unwrap_or(element);
    let entries = c.entries / c.instances.max(1);
    let near = |cap: u64| {
        entries as f64 >= AT_CAP * cap as f64 && entries as f64 <= (1.0 + OVER) * cap as f64
    };
    let (name, cap) = class_caps(a, outer, &holder_words(c, Some(element)))
        .into_iter()
        .filter(|&(_, cap)| cap > 0 && cap != i32::MAX as u64 && near(cap))
        .min_by_key(|x| x.1)?;
    Some(evidence(
        EvidenceName::Bound,
        Supports::MemoryHungry,
        Strength::Strong,
        format!(
            "size-capped and at its cap: {} entries, cap {}.{name} = {} (a setting of the enclosing class, named for what it holds; trimmed now and then, a structure is over its cap by what came since)",
            thousands(entries),
            simple_name(outer),
            thousands(cap)
        ),
    ))
}

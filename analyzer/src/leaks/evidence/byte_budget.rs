//! Byte budgets exceeded: an application subclass of a collection (a `LinkedHashMap` LRU)
//! that counts its entries' bytes in a field of its own (`bytes`, `totalBytes`) beside a byte
//! cap — its own (`maxBytes`) or a constant of the class that encloses it (`MAX_BYTES`) — that
//! the count far exceeds. The eviction does not measure what the budget counts (a
//! `removeEldestEntry` that compares the entry count with the byte budget never fires), so
//! nothing bounds the map, however much it looks like an LRU. A budget kept holds the count
//! at or under the cap. The count and the cap are sizes, shown as such.

use hprof_parser::BasicType;

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::query::objects::{FieldValue, ObjectView};

use super::super::candidate::{evidence, Candidate};
use super::super::model::{Evidence, EvidenceName, Strength, Supports};
use super::bound::{is_cap_name, number};

/// What to change when a byte budget is exceeded.
pub(super) const ADVICE: &str = "Evict by what the budget counts: after each put, remove the eldest entries while the byte count exceeds the budget (size() in removeEldestEntry counts entries, not bytes).";

/// How many times its budget the byte count must be.
const OVER: u64 = 2;

/// Whether a name speaks of bytes.
pub(super) fn of_bytes(name: &str) -> bool {
    super::bound::constant_words(name)
        .iter()
        .any(|w| w == "bytes" || w == "byte")
}

/// The byte caps among `fields`: cap-named, of bytes, set, and not unlimited.
fn byte_caps(fields: &[FieldValue]) -> Vec<(String, u64)> {
    fields
        .iter()
        .filter(|f| is_cap_name(&f.name) && of_bytes(&f.name))
        .filter_map(|f| Some((f.name.clone(), number(f)?)))
        .filter(|&(_, cap)| cap > 0 && cap < i32::MAX as u64)
        .collect()
}

/// The evidence that application collection `c` (its own fields `own`) holds far more bytes
/// than its byte budget.
pub(super) fn exceeded(a: &Analysis, c: &Candidate, own: Option<&ObjectView>) -> Option<Evidence> {
    let own = own?;
    let counter = own.fields.iter().find(|f| {
        matches!(f.ty, BasicType::Long | BasicType::Int)
            && of_bytes(&f.name)
            && !is_cap_name(&f.name)
            && number(f).is_some_and(|n| n > 0)
    })?;
    let count = number(counter)?;
    let mut caps = byte_caps(&own.fields);
    if let Some((outer, _)) = c.class.rsplit_once('$') {
        caps.extend(byte_caps(&crate::query::find::class_statics(a, outer)));
    }
    let (name, cap) = caps.into_iter().max_by_key(|x| x.1)?;
    if count < OVER * cap {
        return None;
    }
    Some(evidence(
        EvidenceName::Bound,
        Supports::Leak,
        Strength::Strong,
        format!(
            "its byte count {} = {} is {:.1}x its byte budget {name} = {}: the eviction does not measure what the budget counts (a removeEldestEntry comparing the entry count with a byte budget never fires), so nothing bounds its {} entries",
            counter.name,
            thousands(count),
            count as f64 / cap as f64,
            thousands(cap),
            thousands(c.entries)
        ),
    ))
}

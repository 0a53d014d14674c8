//! Bounds: what keeps a structure from growing. Immutable collections, bounded queues, LRU
//! maps, `LinkedHashMap` subclasses (whose `removeEldestEntry` caps them), a cap field beside
//! the structure that its size has reached, and an eviction-order queue beside a map.

use hprof_parser::BasicType;

use crate::base::text::{simple_name, thousands};
use crate::dom::analysis::Analysis;
use crate::query::collections::{class_counts, collection_specs, contents};
use crate::query::find::ref_node;
use crate::query::objects::{FieldValue, ObjectView};

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::Reads;

/// A size at least this share of its cap is "at its cap".
pub(super) const AT_CAP: f64 = 0.9;
/// Queues whose presence beside a map suggests FIFO eviction.
const QUEUES: &[&str] = &[
    "java.util.concurrent.ConcurrentLinkedQueue",
    "java.util.concurrent.ConcurrentLinkedDeque",
    "java.util.ArrayDeque",
    "java.util.LinkedList",
    "java.util.concurrent.LinkedBlockingQueue",
    "java.util.concurrent.LinkedBlockingDeque",
];

/// Adds the bound evidence.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    let Some(facts) = c.collection.clone() else {
        let single = c.kind == super::super::model::LeakKind::SingleObject;
        // Stale slots by the owner's indexes, or a hand-written list: the array grows.
        use super::stale_slots::{growable, stale};
        let slots = || {
            (stale(a, c, reads).is_none() && !growable(a, c, reads)).then(|| fixed_slots(a, c))?
        };
        if let Some(e) = slots() {
            c.fixed_slots = true;
            c.add(e);
        } else if let Some(e) = single.then(|| cap_field(a, c, reads)).flatten() {
            c.add(e);
        }
        return;
    };
    if facts.immutable {
        c.add(evidence(
            EvidenceName::Immutable,
            Supports::MemoryHungry,
            Strength::Strong,
            format!(
                "an immutable {}: built once, it cannot grow",
                simple_name(&c.class)
            ),
        ));
        return;
    }
    let own = c.node.and_then(|v| reads.views.get(&v));
    if let Some(e) = queue_capacity(facts.spec.class, own, c.entries) {
        c.add(e);
    }
    let exceeded = order_bound(a, c, &facts, own, reads);
    if exceeded.is_none() {
        if let Some(e) = cap_field(a, c, reads).or_else(|| super::outer_caps::at_outer_cap(a, c)) {
            c.add(e);
        }
    }
    if super::trimmed::trimmed_front(a, c, reads) {
        c.add(evidence(
            EvidenceName::Bound,
            Supports::MemoryHungry,
            Strength::Moderate,
            format!(
                "entries were removed from the front of this ArrayDeque (it no longer starts at its first slot): a history trimmed oldest first, or a queue consumed, of {} entries",
                thousands(c.entries)
            ),
        ));
    }
    if facts.spec.map {
        if let Some(e) = eviction_queue(a, c, reads) {
            c.add(e);
        }
    }
}

/// The bound of a map's own order or subclass (an LRU, a `removeEldestEntry`), unless its cap
/// fields say that bound does not hold (exceeded, or never configured): that evidence then,
/// returned so that no cap field is counted as a bound either.
fn order_bound(
    a: &Analysis,
    c: &mut Candidate,
    facts: &super::super::candidate::CollectionFacts,
    own: Option<&ObjectView>,
    reads: &Reads,
) -> Option<super::super::model::Evidence> {
    let owner = c.holding.as_ref().and_then(|h| reads.views.get(&h.owner));
    let ordered = facts.access_order || facts.app_subclass;
    let outer = if facts.app_subclass {
        enclosing_caps(a, c)
    } else {
        Vec::new()
    };
    let over_budget = facts
        .app_subclass
        .then(|| super::byte_budget::exceeded(a, c, own))
        .flatten();
    if over_budget.is_some() && c.finding.explanation.is_empty() {
        c.finding.explanation = super::byte_budget::ADVICE.to_string();
    }
    // A JDK class's cap-named fields bound something else (a SubmissionPublisher's
    // `maxBufferCapacity` is each subscriber's buffer): only an application subclass's own.
    let exceeded = exceeded_cap(c, own.filter(|_| facts.app_subclass), &outer)
        .or(over_budget)
        .or_else(|| {
        let (e, field) = ordered.then(|| unlimited_cap(c, own, owner))??;
        if c.finding.explanation.is_empty() {
            c.finding.explanation = format!(
                "Give {field} a real value (read from a setting? check that the setting is set, under the name the code reads): at MAX_VALUE, or 0, nothing is ever evicted."
            );
        }
        Some(e)
    });
    if let Some(e) = exceeded.clone() {
        // Its own bound does not hold: neither its order nor its cap field bounds it.
        c.add(e);
    } else if facts.access_order {
        c.add(evidence(
            EvidenceName::Bound,
            Supports::MemoryHungry,
            Strength::Strong,
            format!(
                "an access-ordered LinkedHashMap (an LRU cache) of {} entries",
                thousands(c.entries)
            ),
        ));
    } else if facts.app_subclass && facts.spec.class == "java.util.LinkedHashMap" {
        c.add(evidence(
            EvidenceName::Bound,
            Supports::MemoryHungry,
            Strength::Strong,
            format!(
                "{} subclasses LinkedHashMap, whose removeEldestEntry caps a map (a FIFO or LRU cache)",
                c.class
            ),
        ));
    }
    exceeded
}

/// A single object whose memory sits in one object array it alone holds, with a slot for every
/// entry: a ring buffer or preallocated table, which cannot grow unless replaced by a bigger
/// one (not asked of a hand-written list's, [`super::stale_slots::growable`]).
fn fixed_slots(a: &Analysis, c: &Candidate) -> Option<super::super::model::Evidence> {
    if c.kind == super::super::model::LeakKind::ClassGroup {
        return group_slots(a, c);
    }
    if c.kind != super::super::model::LeakKind::SingleObject {
        return None;
    }
    let v = c.node?;
    let arr = a.graph.refs(v).iter().copied().find(|&w| {
        a.dom.idom[w as usize] == v
            && crate::query::objects::node_kind(a, w)
                == crate::query::objects::NodeKind::ObjectArray
            && 2 * a.dom.retained.get(w) >= c.retained
    })?;
    let slots = crate::query::objects::array_length(a, arr)?;
    (slots >= c.entries).then(|| {
        evidence(
            EvidenceName::Bound,
            Supports::MemoryHungry,
            Strength::Strong,
            format!(
                "its {} entries sit in one fixed array of {} slots (a ring buffer or preallocated table): it cannot grow unless the field is given a bigger one (a second dump tells)",
                thousands(c.entries),
                thousands(slots)
            ),
        )
    })
}

/// A class group whose holder field is itself an object array holding the instances: a ring
/// buffer or preallocated table of a fixed number of slots, which cannot grow.
fn group_slots(a: &Analysis, c: &Candidate) -> Option<super::super::model::Evidence> {
    let h = c.holding.as_ref()?;
    let [arr, _] = h.chain[..] else { return None };
    if crate::query::objects::node_kind(a, arr) != crate::query::objects::NodeKind::ObjectArray {
        return None;
    }
    let slots = crate::query::objects::array_length(a, arr)?;
    Some(evidence(
        EvidenceName::Bound,
        Supports::MemoryHungry,
        Strength::Strong,
        format!(
            "the instances sit in one fixed array of {} slots that the field holds (a ring buffer or preallocated table): it cannot grow unless the field is given a bigger one (a second dump tells)",
            thousands(slots)
        ),
    ))
}

/// Bounded queues: `ArrayBlockingQueue`, and linked blocking queues given a capacity.
fn queue_capacity(
    spec_class: &str,
    own: Option<&ObjectView>,
    entries: u64,
) -> Option<super::super::model::Evidence> {
    let bounded = match spec_class {
        "java.util.concurrent.ArrayBlockingQueue" => Some(None),
        "java.util.concurrent.LinkedBlockingQueue" | "java.util.concurrent.LinkedBlockingDeque" => {
            let cap = own?.int("capacity")?;
            (cap != i32::MAX && cap > 0).then_some(Some(cap as u64))
        }
        _ => None,
    }?;
    let detail = match bounded {
        Some(cap) => format!(
            "a bounded queue: capacity {}, {} used",
            thousands(cap),
            thousands(entries)
        ),
        None => format!(
            "a bounded queue (ArrayBlockingQueue), {} used: it cannot grow past its capacity",
            thousands(entries)
        ),
    };
    Some(evidence(
        EvidenceName::Bound,
        Supports::MemoryHungry,
        Strength::Strong,
        detail,
    ))
}

/// Whether a field name reads like a cap (`maxSize`, `capacity`, `MAX_ENTRIES`, `limit`,
/// `INBOX_KEEP`, `keepLast`; not `keepAlive`).
pub(super) fn is_cap_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    let keep = n.contains("keep") && !n.contains("alive");
    (n.contains("max")
        || n.contains("capacity")
        || n.contains("limit")
        || n.ends_with("cap")
        || keep)
        && !n.contains("age")
        && !n.contains("time")
        && !n.contains("millis")
        && !n.contains("ttl")
}

/// Words of a field's name that say it records the most a size has reached (`maxDepth`,
/// `peakSize`, `highWater`, `largestSeen`): a statistic, never below the size, not a cap.
const HIGH_WATER_WORDS: [&str; 6] = ["depth", "peak", "high", "largest", "seen", "reached"];

/// Words of a cap-named field that say it is a setting (`maxEntries`, `queueCapacity`,
/// `sizeLimit`), whatever its value.
const SETTING_WORDS: [&str; 6] = ["capacity", "limit", "cap", "size", "entries", "keep"];

/// Whether `n` is a value someone configures: a power of two, a multiple of 64 (a count of
/// workers times 256), or two significant digits (`2_000`, `64_000`, `1_500`).
fn round(n: u64) -> bool {
    let mut m = n;
    while m >= 100 && m.is_multiple_of(10) {
        m /= 10;
    }
    n.is_power_of_two() || n.is_multiple_of(64) || m < 100
}

/// Whether cap-named field `f` of value `cap`, beside a structure of `entries`, is a
/// high-water mark, a statistic never below the size: a value no one would configure and
/// either a statistic word in its name (a stack's `maxDepth = 5_602` is the deepest it has
/// been; `maxQueueDepth = 10_000` is a cap) or, named for what the structure holds
/// (`maxPending`, `maxInFlight`) rather than as a setting, reached by the size: the most ever
/// pending equals what is pending in a structure that only grows.
fn high_water(f: &FieldValue, cap: u64, entries: u64) -> bool {
    let words = super::ages::words(&f.name);
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    let reached = entries as f64 >= AT_CAP * cap as f64;
    !round(cap) && (has(&HIGH_WATER_WORDS) || (reached && !has(&SETTING_WORDS)))
}

pub(super) fn number(f: &FieldValue) -> Option<u64> {
    match f.ty {
        BasicType::Int => Some((f.raw as u32 as i32).max(0) as u64),
        BasicType::Long => Some((f.raw as i64).max(0) as u64),
        _ => None,
    }
}

/// A cap field in the object that owns the holder field (or in the collection itself, for
/// an application subclass; or in the single object holding the entries: a hand-written cache
/// with its `maximumSize`) that the size has reached, or stays under.
fn cap_field(a: &Analysis, c: &Candidate, reads: &Reads) -> Option<super::super::model::Evidence> {
    let owner = c.holding.as_ref()?.owner;
    let mut views: Vec<&ObjectView> = Vec::new();
    views.extend(reads.views.get(&owner));
    views.extend(c.node.and_then(|v| reads.views.get(&v)));
    let entries = per_collection(c);
    // A class's constants are the settings of all its structures: a static holder's cap is
    // the constant named like it (`MAX_SESSIONS` for `SESSIONS`, not `LABEL_CAP`).
    let words = a.graph.class_object(owner).map(|_| holder_words(c, None));
    let mut best: Option<(String, u64)> = None;
    for v in views {
        for f in &v.fields {
            let Some(cap) = number(f) else { continue };
            if !is_cap_name(&f.name)
                || cap == 0
                || cap == i32::MAX as u64
                || high_water(f, cap, entries)
            {
                continue;
            }
            if words.as_ref().is_some_and(|w| !shares_word(&f.name, w)) {
                continue;
            }
            if entries <= cap && best.as_ref().is_none_or(|b| cap < b.1) {
                best = Some((f.name.clone(), cap));
            }
        }
    }
    let (name, cap) = best?;
    let at_cap = entries as f64 >= AT_CAP * cap as f64;
    let (strength, detail) = if at_cap {
        (
            Strength::Strong,
            format!(
                "size-capped and at its cap: {}, cap field {name} = {}",
                entries_text(c, entries),
                thousands(cap)
            ),
        )
    } else {
        (
            Strength::Strong,
            format!(
                "a cap field {name} = {} bounds its {}",
                thousands(cap),
                entries_text(c, entries)
            ),
        )
    };
    Some(evidence(
        EvidenceName::Bound,
        Supports::MemoryHungry,
        strength,
        detail,
    ))
}

/// The entries of one collection: a candidate of one field in several objects (each object's
/// collection capped on its own) counts their average.
fn per_collection(c: &Candidate) -> u64 {
    c.entries / c.instances.max(1)
}

/// `entries` (of one collection, [`per_collection`]) as text.
fn entries_text(c: &Candidate, entries: u64) -> String {
    if c.instances > 1 {
        format!(
            "{} entries in each of {} collections on average",
            thousands(entries),
            thousands(c.instances)
        )
    } else {
        format!("{} entries", thousands(entries))
    }
}

/// Entries beyond which a cap is exceeded, at least.
const OVER_CAP: u64 = 100;

/// An application subclass of a collection whose own cap field its size has far exceeded
/// (twice the cap, and by at least [`OVER_CAP`] entries), with no cap field it stays under:
/// the code meant to bound it (a `removeEldestEntry`, an eviction) does not.
fn exceeded_cap(
    c: &Candidate,
    own: Option<&ObjectView>,
    outer: &[(String, u64)],
) -> Option<super::super::model::Evidence> {
    // The enclosing class's first: on a tie the collection's own field is the one named.
    let mut caps: Vec<(&str, u64)> = outer.iter().map(|(n, cap)| (n.as_str(), *cap)).collect();
    caps.extend(
        own.iter()
            .flat_map(|v| v.fields.iter())
            .filter(|f| is_cap_name(&f.name))
            .filter_map(|f| Some((f.name.as_str(), number(f)?))),
    );
    // A byte budget bounds bytes, not entries ([`super::byte_budget`] weighs it).
    caps.retain(|&(name, cap)| {
        cap > 0 && cap != i32::MAX as u64 && !super::byte_budget::of_bytes(name)
    });
    let entries = per_collection(c);
    if caps.is_empty()
        || caps
            .iter()
            .any(|&(_, cap)| entries < 2 * cap || entries < cap + OVER_CAP)
    {
        return None;
    }
    let (name, cap) = caps.into_iter().max_by_key(|x| x.1)?;
    Some(evidence(
        EvidenceName::Bound,
        Supports::Leak,
        Strength::Strong,
        format!(
            "its own cap field {name} = {} is exceeded: {}, {:.1}x the cap: the code meant to bound it (a removeEldestEntry, an eviction) does not",
            thousands(cap),
            entries_text(c, entries),
            entries as f64 / cap as f64
        ),
    ))
}

/// The cap constants of the class enclosing an application collection subclass
/// (`Service.QUOTE_CAP` for `Service$QuoteCache`) whose name shares a word with the subclass's
/// or the holder field's (`quote`): the cap its `removeEldestEntry` compares with, written
/// where the service keeps its settings. Another structure's cap (`RENDER_CAP`) is not.
fn enclosing_caps(a: &Analysis, c: &Candidate) -> Vec<(String, u64)> {
    let Some((outer, inner)) = c.class.rsplit_once('$') else {
        return Vec::new();
    };
    class_caps(a, outer, &holder_words(c, Some(inner)))
}

/// The cap constants (static cap-named numbers) of class `class` whose names share a word with
/// `names` ([`holder_words`]), by name and value; none when the class is not in the dump.
pub(super) fn class_caps(a: &Analysis, class: &str, names: &[String]) -> Vec<(String, u64)> {
    crate::query::find::class_statics(a, class)
        .iter()
        .filter(|f| is_cap_name(&f.name) && shares_word(&f.name, names))
        .filter_map(|f| Some((f.name.clone(), number(f)?)))
        .collect()
}

/// A word without its plural `s`: `quotes` and `QUOTE` match.
pub(super) fn stem(w: &str) -> String {
    w.trim_end_matches('s').to_string()
}

/// The stemmed words that name a candidate: its holder field's and, given, its class's simple
/// name's, without the words every collection's name may carry (`cache`, `map`...).
pub(super) fn holder_words(c: &Candidate, class: Option<&str>) -> Vec<String> {
    let mut names: Vec<String> = class
        .map(constant_words)
        .unwrap_or_default()
        .iter()
        .map(|w| stem(w))
        .collect();
    if let Some(h) = &c.holding {
        names.extend(constant_words(&h.holder.field).iter().map(|w| stem(w)));
    }
    names.retain(|w| {
        !matches!(
            w.as_str(),
            "cache" | "map" | "list" | "set" | "queue" | "by"
        )
    });
    names
}

/// Whether the cap constant or field `name` shares a word with `names` ([`holder_words`]).
pub(super) fn shares_word(name: &str, names: &[String]) -> bool {
    constant_words(name)
        .iter()
        .any(|w| names.contains(&stem(w)))
}

/// The words of a field's name, a constant's (`QUOTE_CAP`) split at its underscores.
pub(super) fn constant_words(name: &str) -> Vec<String> {
    if name.chars().any(|ch| ch.is_ascii_lowercase()) {
        return super::ages::words(name);
    }
    name.split('_')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// The largest value a cap can be given: `Integer.MAX_VALUE`, `Long.MAX_VALUE` (a `long`
/// cap read from a setting whose default is `Integer.MAX_VALUE` holds that).
fn unlimited(raw: u64, ty: BasicType) -> bool {
    match ty {
        BasicType::Int => raw as u32 == i32::MAX as u32,
        BasicType::Long => raw == i64::MAX as u64 || raw == i32::MAX as u64,
        _ => false,
    }
}

/// A collection whose every cap field (in itself, an application subclass; else in the object
/// holding it) is `Integer.MAX_VALUE` or `Long.MAX_VALUE`, or 0 beside 100 entries or more: the
/// default of a cap that was never configured. Its `removeEldestEntry` or eviction never fires, so its order bounds nothing.
fn unlimited_cap(
    c: &Candidate,
    own: Option<&ObjectView>,
    owner: Option<&ObjectView>,
) -> Option<(super::super::model::Evidence, String)> {
    let caps_of = |v: Option<&ObjectView>| -> Vec<FieldValue> {
        v.into_iter()
            .flat_map(|v| v.fields.iter())
            .filter(|f| is_cap_name(&f.name) && number(f).is_some())
            .cloned()
            .collect()
    };
    let mut caps = caps_of(own);
    // A cap of the collection's own of 0 or less beside entries is a setting never given (or
    // "0 = no limit"): a cap that held would have left it empty. Not an owner's field: an
    // owner's `maxRetries = 0` bounds no map.
    let own_caps = !caps.is_empty();
    if caps.is_empty() {
        caps = caps_of(owner);
    }
    let unset =
        |f: &FieldValue| own_caps && number(f).is_some_and(|n| n == 0) && c.entries >= OVER_CAP;
    if caps.is_empty() || !caps.iter().all(|f| unlimited(f.raw, f.ty) || unset(f)) {
        return None;
    }
    let f = &caps[0];
    let value = match (f.raw == i32::MAX as u64, unset(f)) {
        (_, true) => "0",
        (true, _) => "Integer.MAX_VALUE",
        _ => "Long.MAX_VALUE",
    };
    let e = evidence(
        EvidenceName::Bound,
        Supports::Leak,
        Strength::Moderate,
        format!(
            "its cap field {} is {value}, a cap never configured: the eviction it guards (a removeEldestEntry, a size check) never fires, so nothing bounds its {} entries",
            f.name,
            thousands(c.entries)
        ),
    );
    Some((e, f.name.clone()))
}

/// Whether queue `q` can be the eviction order of map candidate `c`: it holds at least half
/// as many elements as the map has entries, and its elements are of the class of the map's keys
/// or of its values (the keys in put order, or the entries themselves). An unrelated queue
/// beside the map (an audit trail, a work queue) is no bound on it.
fn orders_the_map(a: &Analysis, c: &Candidate, q: u32) -> bool {
    let class = a.graph.class_of(q);
    let Some(spec) = collection_specs(a).get(class as usize).copied().flatten() else {
        return false;
    };
    let queue = contents(a, q, spec);
    if queue.entries.saturating_mul(2) < c.entries {
        return false;
    }
    let keys = class_counts(a, &c.keys);
    let top = |counts: &[(String, u64)]| counts.iter().max_by_key(|x| x.1).map(|x| x.0.clone());
    let Some(elements) = top(&queue.element_classes) else {
        return false;
    };
    top(&keys).as_ref() == Some(&elements) || top(&c.element_classes).as_ref() == Some(&elements)
}

/// A queue in another field of the holder's owner, ordering the map's keys or entries: the
/// eviction order of a FIFO cache.
fn eviction_queue(
    a: &Analysis,
    c: &Candidate,
    reads: &Reads,
) -> Option<super::super::model::Evidence> {
    let h = c.holding.as_ref()?;
    let owner = reads.views.get(&h.owner)?;
    for f in &owner.fields {
        if f.ty != BasicType::Object || f.name == h.holder.field {
            continue;
        }
        let Some(w) = ref_node(a, owner, &f.name) else {
            continue;
        };
        if Some(w) == c.node {
            continue;
        }
        let class = crate::query::objects::node_class(a, w);
        if QUEUES.contains(&class.as_str()) && orders_the_map(a, c, w) {
            return Some(evidence(
                EvidenceName::Bound,
                Supports::MemoryHungry,
                Strength::Moderate,
                format!(
                    "an eviction-order queue ({} in field {}) beside the map: entries are removed oldest first",
                    simple_name(&class),
                    f.name
                ),
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{high_water, shares_word, unlimited, BasicType, FieldValue};

    fn int(name: &str, raw: u64) -> FieldValue {
        FieldValue {
            name: name.into(),
            ty: BasicType::Int,
            raw,
        }
    }

    #[test]
    fn a_constant_splits_at_its_underscores() {
        assert_eq!(super::constant_words("QUOTE_CAP"), ["quote", "cap"]);
        assert_eq!(super::constant_words("maxQuotes"), ["max", "quotes"]);
        assert_eq!(super::constant_words("QuoteCache"), ["quote", "cache"]);
    }

    #[test]
    fn a_cap_constant_is_named_like_its_structure() {
        let words = |ws: &[&str]| ws.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        assert!(shares_word("MAX_SESSIONS", &words(&["session"])));
        assert!(shares_word("QUOTE_CAP", &words(&["quote"])));
        assert!(!shares_word("LABEL_CAP", &words(&["material", "code"])));
    }

    #[test]
    fn high_water_marks_are_not_caps() {
        assert!(high_water(&int("maxDepth", 5_602), 5_602, 10));
        assert!(high_water(&int("peakSize", 1_234), 1_234, 10));
        // Named for what it counts and reached by the size: the most ever pending.
        assert!(high_water(&int("maxPending", 7_102), 7_102, 7_100));
        assert!(!high_water(&int("maxPending", 7_102), 7_102, 30));
        // Configured values are round; setting names are caps whatever their value.
        assert!(!high_water(&int("maxQueueDepth", 10_000), 10_000, 10_000));
        assert!(!high_water(&int("maxDepth", 4_096), 4_096, 4_096));
        assert!(!high_water(&int("maxDepth", 1_500), 1_500, 1_500));
        assert!(!high_water(&int("maxPending", 1_536), 1_536, 1_536));
        assert!(!high_water(&int("maxEntries", 5_602), 5_602, 5_602));
    }

    #[test]
    fn a_long_cap_at_integer_max_is_unlimited() {
        assert!(unlimited(i32::MAX as u64, BasicType::Long));
        assert!(unlimited(i64::MAX as u64, BasicType::Long));
        assert!(unlimited(i32::MAX as u64, BasicType::Int));
        assert!(!unlimited(2_000, BasicType::Long));
    }
}

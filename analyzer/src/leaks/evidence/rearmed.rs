//! Index entries never re-armed: a structure of entries that hold nothing but a deadline and
//! the one object they are about (`Expiry { sessionId, deadline }` in a `DelayQueue`), many
//! of them about the same objects. Code that should move a member's deadline (remove its entry,
//! add one with the new deadline) but only adds keeps one entry per touch: each member's
//! earlier entries stay until their own deadline passes, and only the latest counts. The
//! structure grows with the traffic, several entries per member, where re-arming keeps one.
//!
//! Counted over every instance of the entry class ([`super::index_members`]): the members they
//! name, and how many are distinct, by object, or by text for a String member (an id parsed
//! from each request). Deadlines are read only on the sampled entries, to recognise the
//! entries, and never shown.

use hprof_parser::BasicType;

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::query::find::ref_node;
use crate::query::objects::{node_class, ObjectView};

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeftBy, Strength, Supports};
use super::ages::MIN_ENTRIES;
use super::expiry::expiry_of;
use super::index_members::{IndexMembers, MIN_TOTAL};
use super::Reads;

/// Words of the evidence's detail that the advice looks for.
pub(crate) const REARM_WORDS: &str = "an entry is added every time a deadline moves";
/// Share of the sampled entries that must be index entries (a deadline, one member).
const MOST: f64 = 0.8;
/// Entries per distinct member, on average, for entries never re-armed.
const PER_MEMBER: f64 = 4.0;
/// Share of the sampled entries' members that must be distinct: a member per entry, not a
/// category shared by all (a status constant).
const DISTINCT: f64 = 0.5;
/// Fewest distinct members over all entries.
const MIN_MEMBERS: u64 = 100;
/// Most instances of the entry class outside the structure: a share of its entries.
const ELSEWHERE: f64 = 0.1;

/// The member an index entry is about: its one non-null reference besides its deadline field,
/// as the field's name and the node.
pub(crate) fn member(a: &Analysis, view: &ObjectView, deadline: &str) -> Option<(String, u32)> {
    let mut refs = view
        .fields
        .iter()
        .filter(|f| f.ty == BasicType::Object && f.raw != 0 && f.name != deadline);
    let f = refs.next()?;
    if refs.next().is_some() {
        return None;
    }
    Some((f.name.clone(), ref_node(a, view, &f.name)?))
}

/// The member field and the member class of the sampled entries of `c`, when most of them
/// are index entries (a deadline and one member, of one class) and their members mostly
/// distinct.
pub(crate) fn member_field(
    a: &Analysis,
    c: &Candidate,
    reads: &Reads,
    now: u64,
) -> Option<(String, u32)> {
    let mut found: Vec<(String, u32)> = Vec::new();
    let mut members: Vec<u32> = Vec::new();
    for v in &c.values {
        let Some(view) = reads.views.get(v) else {
            continue;
        };
        let Some((deadline, _)) = expiry_of(a, view, reads, now) else {
            continue;
        };
        if let Some((name, w)) = member(a, view, &deadline) {
            found.push((name, a.graph.class_of(w)));
            members.push(w);
        }
    }
    let first = found.first()?.clone();
    let same = found.iter().filter(|m| **m == first).count();
    members.sort_unstable();
    members.dedup();
    let distinct = members.len() as f64 >= DISTINCT * found.len() as f64;
    (distinct && same >= MIN_ENTRIES && same as f64 >= MOST * c.values.len() as f64)
        .then_some(first)
}

/// Adds the evidence of index entries never re-armed, counted over the `indexes` read (every
/// entry of each index entry class, its member keyed by value for a String).
pub(crate) fn add(a: &Analysis, c: &mut Candidate, indexes: &[IndexMembers]) {
    if c.collection.is_none() || c.entries < MIN_TOTAL {
        return;
    }
    let Some(&first) = c.values.first() else {
        return;
    };
    let class = a.graph.class_of(first);
    let Some(index) = indexes.iter().find(|x| x.class == class) else {
        return;
    };
    let (field, member_class) = (&index.field, index.member_class);
    let (total, distinct) = (index.keyed.len() as u64, index.distinct());
    let elsewhere = total.saturating_sub(c.entries) as f64 > ELSEWHERE * c.entries as f64;
    if elsewhere || distinct < MIN_MEMBERS || (total as f64) < PER_MEMBER * distinct as f64 {
        return;
    }
    let stale = total - distinct;
    c.left_in_sample = Some((LeftBy::State, stale, total));
    c.add(evidence(
        EvidenceName::HistoryChains,
        Supports::Leak,
        Strength::Strong,
        format!(
            "{} {} entries name only {} distinct {} {} in field {field} ({:.1} each): {REARM_WORDS} and the earlier ones stay until their own deadline; only the latest of each counts, {} are left over",
            thousands(total),
            node_class(a, first),
            thousands(distinct),
            a.heap.classes.get(member_class).name,
            if index.by_text(a) { "texts" } else { "objects" },
            total as f64 / distinct as f64,
            thousands(stale)
        ),
    ));
}

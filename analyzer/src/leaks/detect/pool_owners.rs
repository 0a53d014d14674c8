//! Who keeps each pool of a group whose pools an application field holds: a pool per owner
//! object (a tenant's own scheduler in `Tenant.scheduler`, the tenants in a directory) is made
//! per tenant by design and goes with its tenant; a pool of the same kind that nothing holds
//! any more but its own threads lost its owner without being shut down. Only those are the
//! leak: counting the pools still in use with them blames every tenant.

use crate::dom::analysis::Analysis;
use crate::query::elements::spec_lookup;
use crate::query::holders::{find_holders, Holder, Holding};
use crate::query::objects::{node_kind, NodeKind};

/// Pools of a group whose holders are all looked up, at most (beyond, the sample decides).
const MAX_POOLS: usize = 4096;
/// References searched back from a pool, or from its owner, for a holder.
const LEVELS: usize = 8;
/// Orphaned pools that make the group's leak: as many as make a group of pools.
const MIN_ORPHANS: usize = super::threads::MIN_POOLS;
/// Share of the owners that one collection field must hold for them to be a directory.
const DIRECTORY_SHARE: f64 = 0.9;

/// What the holders of a group's pools say.
pub(super) enum Ownership {
    /// Nothing more than the group's holder: judged as pools made per call.
    Unknown,
    /// Every pool held by an owner object of its own, through one instance field, and the
    /// owners kept in one directory (`owners`, a collection field).
    PerOwner {
        /// The field that holds the owners.
        owners: Holder,
    },
    /// Pools held by nothing but their own threads (sorted), while `held` others of the group
    /// are held by a field (`by`, the one that holds most of them).
    Orphans {
        /// The orphaned pools.
        pools: Vec<u32>,
        /// How many pools a field holds.
        held: usize,
        /// The field that holds most of the others.
        by: Holder,
    },
}

/// The ownership of the `pools` of a group: held by a field (for most of a sample), or by no
/// field (some of them may still be).
pub(super) fn ownership(a: &Analysis, pools: &[u32]) -> Ownership {
    if pools.len() > MAX_POOLS {
        return Ownership::Unknown;
    }
    let holders = find_holders(a, pools, LEVELS);
    let mut orphans: Vec<u32> = pools
        .iter()
        .zip(&holders)
        .filter(|(_, h)| h.is_none())
        .map(|(&p, _)| p)
        .collect();
    let held: Vec<&Holding> = holders.iter().flatten().collect();
    if let Some(by) = most_common(&held).filter(|_| orphans.len() >= MIN_ORPHANS) {
        orphans.sort_unstable();
        return Ownership::Orphans {
            pools: orphans,
            held: held.len(),
            by,
        };
    }
    if !orphans.is_empty() || !one_each(a, &held) {
        return Ownership::Unknown;
    }
    let owners: Vec<u32> = held.iter().map(|h| h.owner).collect();
    match directory(a, &owners) {
        Some(owners) => Ownership::PerOwner { owners },
        None => Ownership::Unknown,
    }
}

/// The field of most of the `held` holdings.
fn most_common(held: &[&Holding]) -> Option<Holder> {
    let mut tally: Vec<(&Holder, usize)> = Vec::new();
    for h in held {
        match tally.iter_mut().find(|t| *t.0 == h.holder) {
            Some(t) => t.1 += 1,
            None => tally.push((&h.holder, 1)),
        }
    }
    tally.into_iter().max_by_key(|t| t.1).map(|t| t.0.clone())
}

/// Whether every holding is one instance field of a distinct owner, with no collection or
/// array between the field and the pool (`Tenant.scheduler`, not a list of pools).
fn one_each(a: &Analysis, held: &[&Holding]) -> bool {
    let Some(first) = held.first() else {
        return false;
    };
    let spec_of = spec_lookup(a);
    let plain = |h: &Holding| {
        h.holder == first.holder
            && !h.holder.is_static
            && h.chain
                .iter()
                .all(|&v| spec_of(v).is_none() && node_kind(a, v) == NodeKind::Instance)
    };
    let mut owners: Vec<u32> = held.iter().map(|h| h.owner).collect();
    owners.sort_unstable();
    owners.dedup();
    owners.len() == held.len() && held.iter().all(|h| plain(h))
}

/// The field that holds most of the `owners` through a collection (a directory of tenants),
/// if one does.
fn directory(a: &Analysis, owners: &[u32]) -> Option<Holder> {
    let spec_of = spec_lookup(a);
    let found = find_holders(a, owners, LEVELS);
    let mut tally: Vec<(&Holder, usize)> = Vec::new();
    let in_collection = |h: &&Holding| h.chain.iter().any(|&v| spec_of(v).is_some());
    for h in found.iter().flatten().filter(in_collection) {
        match tally.iter_mut().find(|t| *t.0 == h.holder) {
            Some(t) => t.1 += 1,
            None => tally.push((&h.holder, 1)),
        }
    }
    let (best, n) = tally.into_iter().max_by_key(|t| t.1)?;
    (n as f64 >= DIRECTORY_SHARE * owners.len() as f64).then(|| best.clone())
}

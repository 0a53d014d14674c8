//! Which timestamp field of the entries records when each was added: the one whose times
//! follow an order the entries were added in — the heap's (a compacting collector keeps
//! allocation order; G1's and the parallel collector's copying scramble it), a list's own, or
//! the order a hash bucket chains its entries in (which no collector changes).

use super::super::candidate::Candidate;
use super::ages::{entry_times, TimeField};
use super::Reads;

/// Correlation with an order the entries were added in from which a field records when its
/// entry was added.
const FOLLOWS_ALLOCATION: f64 = 0.5;

/// Spearman rank correlation between where the entries lie in the heap (node order, which
/// is address order) and the times: near 1 or -1 when the times record when each entry was
/// allocated (a collector that compacts keeps allocation order, in one direction or the
/// other), near 0 for business dates that have nothing to do with this process.
fn order_correlation(pairs: &[(u32, u64)]) -> f64 {
    let (xs, ys): (Vec<u64>, Vec<u64>) = pairs.iter().map(|&(v, t)| (v as u64, t)).unzip();
    rank_correlation(&xs, &ys)
}

/// Spearman rank correlation of two series of equal length (0 for fewer than 3 values or a
/// constant series).
pub(crate) fn rank_correlation(xs: &[u64], ys: &[u64]) -> f64 {
    let n = xs.len().min(ys.len());
    if n < 3 {
        return 0.0;
    }
    let ranks = |key: &[u64]| -> Vec<f64> {
        let mut idx: Vec<usize> = (0..n).collect();
        idx.sort_by_key(|&i| key[i]);
        let mut r = vec![0.0; n];
        let mut i = 0;
        while i < n {
            let mut j = i;
            while j + 1 < n && key[idx[j + 1]] == key[idx[i]] {
                j += 1;
            }
            for &k in &idx[i..=j] {
                r[k] = (i + j) as f64 / 2.0;
            }
            i = j + 1;
        }
        r
    };
    let x = ranks(&xs[..n]);
    let y = ranks(&ys[..n]);
    let mean = (n - 1) as f64 / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (dx, dy) = (x[i] - mean, y[i] - mean);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx == 0.0 || syy == 0.0 {
        0.0
    } else {
        sxy / (sxx * syy).sqrt()
    }
}

/// Where each sampled value lies in its collection: (run, index in the run), for the values
/// of [`Candidate::ordered_runs`].
fn run_positions(c: &Candidate) -> rustc_hash::FxHashMap<u32, (u32, u32)> {
    let mut out = rustc_hash::FxHashMap::default();
    let mut values = c.values.iter();
    for (run, &len) in c.ordered_runs.iter().enumerate() {
        for (i, &v) in values.by_ref().take(len as usize).enumerate() {
            out.insert(v, (run as u32, i as u32));
        }
    }
    out
}

/// How well the times follow the collections' own order: each run's rank correlation, weighed
/// by the entries it has a time for.
fn in_list_correlation(
    position: &rustc_hash::FxHashMap<u32, (u32, u32)>,
    vals: &[(u32, u64)],
) -> f64 {
    let mut runs: rustc_hash::FxHashMap<u32, Vec<(u32, u64)>> = Default::default();
    for &(v, t) in vals {
        if let Some(&(run, i)) = position.get(&v) {
            runs.entry(run).or_default().push((i, t));
        }
    }
    let n: usize = runs.values().map(Vec::len).sum();
    if n == 0 {
        return 0.0;
    }
    runs.values()
        .map(|r| order_correlation(r).abs() * r.len() as f64)
        .sum::<f64>()
        / n as f64
}

/// Chained pairs with a time in both needed for [`chain_correlation`].
const MIN_CHAINED: i64 = 20;

/// How well field `name` follows the order the hash buckets chain their entries in (the order
/// they were added, which no collector changes): Kendall's tau over the chained pairs with
/// different times in both, as a magnitude; 0 with fewer than [`MIN_CHAINED`] such pairs.
fn chain_correlation(
    a: &crate::dom::analysis::Analysis,
    c: &Candidate,
    reads: &Reads,
    now: u64,
    name: &str,
) -> f64 {
    let time = |v: u32| {
        let view = reads.views.get(&v)?;
        let times = entry_times(view, reads, a, now);
        times.into_iter().find(|f| f.0 == name).map(|f| f.1)
    };
    let (mut agree, mut differ) = (0i64, 0i64);
    for &(x, y) in &c.chained {
        if let (Some(tx), Some(ty)) = (time(x), time(y)) {
            agree += i64::from(tx < ty);
            differ += i64::from(tx > ty);
        }
    }
    let n = agree + differ;
    if n < MIN_CHAINED {
        0.0
    } else {
        (agree - differ).abs() as f64 / n as f64
    }
}

/// How well the times follow the map's numeric keys (boxed `Long` or `Integer`): keys taken
/// from a sequence (a counter, a sequence number) rise with the time each entry was added, in
/// whatever order the map keeps them (a `TreeMap` sorts by key, a hash map scatters). Where a
/// field's maps in many objects add up, each map's keys are a sequence of their own (a
/// partition's offsets): each map's correlation, weighed by the pairs it has.
fn key_correlation(
    a: &crate::dom::analysis::Analysis,
    c: &Candidate,
    reads: &Reads,
    vals: &[(u32, u64)],
) -> f64 {
    let number = |k| super::keys::boxed_number(a, reads, k);
    let (ks, ts) = keyed_times(&c.pairs, vals, number);
    if ks.len() * 2 < vals.len() {
        return 0.0;
    }
    if c.members.len() < 2 {
        return rank_correlation(&ks, &ts);
    }
    let set: rustc_hash::FxHashSet<u32> = c.members.iter().copied().collect();
    let mut groups: rustc_hash::FxHashMap<u32, Vec<(u32, u32)>> = Default::default();
    for &(k, v) in &c.pairs {
        if let Some(m) = in_member(a, k, &set) {
            groups.entry(m).or_default().push((k, v));
        }
    }
    let (mut sum, mut n) = (0.0, 0usize);
    for pairs in groups.values() {
        let (ks, ts) = keyed_times(pairs, vals, number);
        sum += rank_correlation(&ks, &ts) * ks.len() as f64;
        n += ks.len();
    }
    if n * 2 < vals.len() {
        return 0.0;
    }
    sum / n as f64
}

/// Dominator steps from an entry's key up to its collection searched at most.
const MAX_DEPTH: usize = 64;

/// The collection of `members` that key (or entry) `v` sits in: the first up its chain of
/// dominators.
pub(super) fn in_member(
    a: &crate::dom::analysis::Analysis,
    v: u32,
    members: &rustc_hash::FxHashSet<u32>,
) -> Option<u32> {
    let mut u = v;
    for _ in 0..MAX_DEPTH {
        u = *a.dom.idom.get(u as usize)?;
        if members.contains(&u) {
            return Some(u);
        }
        if u == crate::dom::dominators::SUPER_ROOT || !a.dom.is_reachable(u) {
            return None;
        }
    }
    None
}

/// Of the (key, value) `pairs` whose value has a time in `vals` ((value node, ms)) and whose
/// key has a `number`: the key numbers and the times, side by side.
pub(super) fn keyed_times(
    pairs: &[(u32, u32)],
    vals: &[(u32, u64)],
    number: impl Fn(u32) -> Option<u64>,
) -> (Vec<u64>, Vec<u64>) {
    let mut times = vals.to_vec();
    times.sort_unstable();
    let (mut ks, mut ts) = (Vec::new(), Vec::new());
    for &(k, v) in pairs {
        let Ok(i) = times.binary_search_by_key(&v, |p| p.0) else {
            continue;
        };
        if let Some(n) = number(k) {
            ks.push(n);
            ts.push(times[i].1);
        }
    }
    (ks, ts)
}

/// A field that records when each entry was added: its times follow the heap's allocation
/// order, a list's or a queue's own order, the hash buckets' chains or the map's numeric keys
/// (a sequence). The one that follows best.
pub(super) fn creation_field<'f>(
    a: &crate::dom::analysis::Analysis,
    c: &Candidate,
    reads: &Reads,
    now: u64,
    fields: &'f [TimeField],
) -> Option<(&'f String, &'f [(u32, u64)])> {
    let position = run_positions(c);
    let follows = |name: &str, vals: &[(u32, u64)]| -> f64 {
        order_correlation(vals)
            .abs()
            .max(in_list_correlation(&position, vals))
            .max(chain_correlation(a, c, reads, now, name))
            .max(key_correlation(a, c, reads, vals))
    };
    fields
        .iter()
        .map(|(name, vals)| (name, vals, follows(name, vals)))
        .filter(|(_, _, r)| *r >= FOLLOWS_ALLOCATION)
        .max_by(|x, y| x.2.total_cmp(&y.2))
        .map(|(name, vals, _)| (name, vals.as_slice()))
}

//! The growth report's document: what one dump contributes (`DumpSummary`), the report across the
//! series (`GrowthReport`) and the thresholds of the method.

use serde::Serialize;

use super::verdict::holder_verdict;
use crate::load::dump::DumpMeta;
use crate::query::collections::normalise_class;
use crate::query::holders::Holder;

/// Schema name and version of [`GrowthReport`].
pub const SCHEMA: &str = "hprofscan/growth/1";

/// A collection is recorded when it retains at least this share of the reachable heap...
pub const MIN_HOLDER_SHARE: f64 = 0.001;

/// ... or has at least this many entries.
pub const MIN_HOLDER_ENTRIES: u64 = 100;

/// A step that changes a value by less than this share of the larger value is noise.
pub const NOISE_SHARE: f64 = 0.02;

/// Fixed-point scale of the per-collection averages of a holder nested in another.
const PER_MILLE: u64 = 1000;

/// A step that changes entries by at most this many is noise ("a few entries").
pub const NOISE_ENTRIES: u64 = 10;

/// A step that changes retained bytes by at most this many is noise.
pub const NOISE_BYTES: u64 = 16 << 10;

/// How far back (in references) the holder of a collection is searched.
pub(super) const HOLDER_LEVELS: usize = 8;

/// One holder in one dump: the collections an application field owns, summed.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct HolderSample {
    /// The application field (class name normalised).
    pub holder: Holder,
    /// Class of the largest collection held by the field.
    pub collection_class: String,
    /// Object id of the largest collection. Valid in this dump only (ids are addresses):
    /// for reports on the same heap, such as `leaks` promoting a growing holder of the last
    /// dump; never used to match dumps.
    pub collection_id: u64,
    /// Dominant element (map value) class of the largest collection; `<empty>` when no
    /// element was sampled.
    pub element_class: String,
    /// How many collections were aggregated under this holder (1 for a static field of a
    /// class defined once).
    pub collections: u64,
    /// Entries, summed over the collections.
    pub entries: u64,
    /// Retained bytes, summed over the collections (a collection inside another one of the
    /// same holder, in a recursive structure, is not counted twice).
    pub retained_bytes: u64,
    /// The part of `retained_bytes` not retained by other recorded holders nested inside
    /// (every byte under a recorded collection belongs to the nearest recorded collection
    /// above it).
    pub own_retained_bytes: u64,
    /// The recorded holder whose collection contains this holder's (largest nested)
    /// collection, with no class object in between: `Tenant.users` within
    /// `Registry.TENANTS (static)`. `None` for a holder that is not inside another one.
    pub within: Option<Holder>,
}

/// One class name in one dump.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ClassSample {
    /// Class name in Java source form, hidden-class suffixes removed.
    pub class: String,
    /// Strongly reachable objects of the class (for `java.lang.Class`: class objects).
    pub instances: u64,
    /// Their shallow bytes.
    pub shallow_bytes: u64,
}

/// What a growth report needs of one dump: small enough to keep one per dump while the heaps
/// themselves are dropped.
#[derive(Clone, Debug, Serialize)]
pub struct DumpSummary {
    /// The dump (path as given, header timestamp, completeness).
    pub meta: DumpMeta,
    /// Objects in the graph (instances, arrays and class objects), as `heap.objects` of the
    /// graph-based reports.
    pub objects: u64,
    /// Shallow bytes of the strongly reachable objects.
    pub reachable_bytes: u64,
    /// Holders recorded, largest retained bytes first.
    pub holders: Vec<HolderSample>,
    /// Every class name with at least one strongly reachable object, by name.
    pub classes: Vec<ClassSample>,
    /// The analysis' warnings for this dump.
    pub warnings: Vec<String>,
}

/// How a series evolves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Rising at every step, or doubling and doubling again: a leak.
    Growing,
    /// Grew, then flat: typically a cache warming up.
    Warming,
    /// Every change is noise.
    Stable,
    /// Went down and never up.
    Shrinking,
    /// Up and down.
    Fluctuating,
}

impl Verdict {
    /// The verdict as in JSON (`growing`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Growing => "growing",
            Verdict::Warming => "warming",
            Verdict::Stable => "stable",
            Verdict::Shrinking => "shrinking",
            Verdict::Fluctuating => "fluctuating",
        }
    }

    /// Ranking order: growing first.
    pub(super) fn order(self) -> u8 {
        match self {
            Verdict::Growing => 0,
            Verdict::Warming => 1,
            Verdict::Fluctuating => 2,
            Verdict::Shrinking => 3,
            Verdict::Stable => 4,
        }
    }
}

/// One dump of the report.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct DumpEntry {
    /// The path as given.
    pub path: String,
    /// Header timestamp, milliseconds since the epoch.
    pub timestamp_ms: u64,
    /// Objects in the graph (instances, arrays and class objects).
    pub objects: u64,
    /// Shallow bytes of the strongly reachable objects.
    pub reachable_bytes: u64,
    /// False when the dump was damaged and analysed with `--partial`.
    pub complete: bool,
}

/// One holder across the series.
#[derive(Clone, Debug, Serialize)]
pub struct HolderGrowth {
    /// The application field.
    pub holder: Holder,
    /// Class of its (largest) collection, in the latest dump that has the holder.
    pub collection_class: String,
    /// Dominant element class, in the latest dump that has the holder.
    pub element_class: String,
    /// Entries per dump, in chronological order; `None` where the holder was not recorded.
    pub entries: Vec<Option<u64>>,
    /// Retained bytes per dump; `None` where the holder was not recorded.
    pub retained_bytes: Vec<Option<u64>>,
    /// How many collections the holder aggregates per dump; `None` where not recorded.
    pub collections: Vec<Option<u64>>,
    /// Per dump, the part of `retained_bytes` not retained by other holders nested inside.
    pub own_retained_bytes: Vec<Option<u64>>,
    /// The holder this one is nested in (in the latest dump that has it), if any.
    pub within: Option<Holder>,
    /// The verdict.
    pub verdict: Verdict,
    /// Retained bytes added per hour from the first dump to the last (negative when it
    /// shrank); `None` when the first and last dumps have the same timestamp.
    pub bytes_per_hour: Option<f64>,
}

impl HolderGrowth {
    /// Entries per dump with missing values as 0.
    pub fn entries_or_zero(&self) -> Vec<u64> {
        self.entries.iter().map(|e| e.unwrap_or(0)).collect()
    }

    /// Retained bytes per dump with missing values as 0.
    pub fn retained_or_zero(&self) -> Vec<u64> {
        self.retained_bytes.iter().map(|e| e.unwrap_or(0)).collect()
    }

    /// The verdict ([`holder_verdict`]) on the entries and the own retained bytes; for a
    /// holder nested in another one, on the entries and own bytes per collection, so that
    /// collections that only multiply with their owners (the lists of the sessions in a
    /// growing map) are not a growth of their own. `outer` is the holder this one is nested
    /// in: when its entries stayed the same, the owners did not multiply and more collections
    /// recorded is this holder's own growth (per-entry memos filling up past the recording
    /// floor one by one). An array (a holder field referencing a primitive or object array
    /// directly) is judged by its slots alone.
    pub fn judge(&self, outer: Option<&HolderGrowth>) -> Verdict {
        let zero = |v: &[Option<u64>]| -> Vec<u64> { v.iter().map(|x| x.unwrap_or(0)).collect() };
        let (mut e, mut b) = (zero(&self.entries), zero(&self.own_retained_bytes));
        let owners_flat = outer.is_some_and(|o| {
            let oe = o.entries_or_zero();
            let (lo, hi) = (oe.iter().min(), oe.iter().max());
            matches!((lo, hi), (Some(&lo), Some(&hi)) if lo > 0 && hi - lo <= NOISE_ENTRIES)
        });
        if self.within.is_some() && !owners_flat {
            // Per collection, in thousandths: a queue per price level growing from 2.9 to 5.7
            // orders on average is growth, where whole entries would round it away. Noise is
            // one entry, or 1 KiB, per collection.
            for (i, c) in self.collections.iter().enumerate() {
                let c = c.unwrap_or(0).max(1);
                e[i] = e[i].saturating_mul(PER_MILLE) / c;
                b[i] = b[i].saturating_mul(PER_MILLE) / c;
            }
            return super::verdict::holder_verdict_with(&e, &b, PER_MILLE, PER_MILLE << 10);
        }
        if self.collection_class.ends_with("[]") {
            // An array's entries are its slots: a ring filling up holds more bytes in the same
            // slots; only a bigger array is growth.
            return super::verdict::classify(&e, NOISE_ENTRIES);
        }
        holder_verdict(&e, &b)
    }

    /// Retained bytes added from the first dump to the last (missing values as 0).
    pub fn bytes_added(&self) -> i64 {
        let r = self.retained_or_zero();
        match (r.first(), r.last()) {
            (Some(&f), Some(&l)) => l as i64 - f as i64,
            _ => 0,
        }
    }
}

/// One class name across the series.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ClassGrowth {
    /// Class name, hidden-class suffixes removed.
    pub class: String,
    /// Objects per dump (0 where the class had none).
    pub instances: Vec<u64>,
    /// Shallow bytes per dump.
    pub shallow_bytes: Vec<u64>,
    /// The verdict on instances and shallow bytes, by the holders' rules.
    pub verdict: Verdict,
}

/// `hprofscan/growth/1`: what grew across a series of dumps (two dumps: a diff).
#[derive(Clone, Debug, Serialize)]
pub struct GrowthReport {
    /// Schema name and version.
    pub schema: &'static str,
    /// The dumps, oldest first (by header timestamp).
    pub dumps: Vec<DumpEntry>,
    /// Every holder recorded in any dump, ranked: growing first, by bytes added.
    pub holders: Vec<HolderGrowth>,
    /// The classes whose shallow bytes grew most, most first.
    pub classes: Vec<ClassGrowth>,
    /// Order corrections, incomplete dumps, each dump's own warnings.
    pub warnings: Vec<String>,
}

impl GrowthReport {
    /// The holders whose verdict is `growing`, in rank order.
    pub fn growing(&self) -> impl Iterator<Item = &HolderGrowth> {
        self.holders
            .iter()
            .filter(|h| h.verdict == Verdict::Growing)
    }

    /// The series of one holder, if it was recorded in any dump.
    pub fn holder(&self, class: &str, field: &str, is_static: bool) -> Option<&HolderGrowth> {
        let class = normalise_class(class);
        self.holders.iter().find(|h| {
            h.holder.class == class && h.holder.field == field && h.holder.is_static == is_static
        })
    }

    /// Milliseconds from the first dump to the last.
    pub fn elapsed_ms(&self) -> u64 {
        match (self.dumps.first(), self.dumps.last()) {
            (Some(f), Some(l)) => l.timestamp_ms.saturating_sub(f.timestamp_ms),
            _ => 0,
        }
    }
}

/// Options of the growth report.
#[derive(Clone, Debug)]
pub struct GrowthOptions {
    /// How many of the classes that grew most are listed.
    pub top_classes: usize,
}

impl Default for GrowthOptions {
    fn default() -> Self {
        GrowthOptions { top_classes: 20 }
    }
}

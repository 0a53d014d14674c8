//! One rule for object ids that occur more than once: the first copy in the file wins, every
//! later copy is dropped — by the census (so `info` and `histogram` count what `leaks` and the
//! graph see) and by the graph. The number dropped is reported in the totals.
//!
//! Usually no search is needed: the census proves, as HotSpot's dumps allow, that no id
//! repeats (see `provably_distinct`). Otherwise, finding them needs no hash map keyed by id: a
//! bitmap over the id range (at 8-byte
//! granularity, the alignment of every JVM's objects) marks each id; an id whose bit is
//! already set is a candidate. When the ids are too sparse for a bitmap of at most 8 bytes per
//! object, the ids are sorted instead. Only the candidates (normally none) are then looked
//! up again, exactly, with the offset of each copy.

use std::sync::atomic::{AtomicU64, Ordering};

use hprof_parser::{BasicType, ClassDump, HeapVisitor, Instance, ObjectArray, PrimitiveArray};

use crate::base::progress::Progress;
use crate::load::census::Census;
use crate::load::dump::Dump;
use crate::load::pass::par_walk;

/// Bitmap bytes allowed per object before the ids are sorted instead.
const BITMAP_BYTES_PER_OBJECT: u64 = 8;

/// Marks ids in a shared bitmap at 8-byte granularity.
struct Marks {
    min: u64,
    words: Vec<AtomicU64>,
}

impl Marks {
    /// Sets the bit of `id`; returns whether it was already set (a candidate duplicate).
    fn test_and_set(&self, id: u64) -> bool {
        let off = id.wrapping_sub(self.min) >> 3;
        let Some(w) = self.words.get((off >> 6) as usize) else {
            return false;
        };
        let bit = 1u64 << (off & 63);
        w.fetch_or(bit, Ordering::Relaxed) & bit != 0
    }
}

/// Collects candidate duplicates while walking (dense ids) or every id (sparse ids).
struct Seen<'a> {
    marks: Option<&'a Marks>,
    out: Vec<u64>,
}

impl Seen<'_> {
    #[inline]
    fn see(&mut self, id: u64) {
        match self.marks {
            Some(m) => {
                if m.test_and_set(id) {
                    self.out.push(id);
                }
            }
            None => self.out.push(id),
        }
    }
}

impl HeapVisitor for Seen<'_> {
    fn class_dump(&mut self, c: &ClassDump<'_>) {
        self.see(c.id)
    }
    fn instance(&mut self, o: &Instance<'_>) {
        self.see(o.id)
    }
    fn object_array(&mut self, a: &ObjectArray<'_>) {
        self.see(a.id)
    }
    fn primitive_array(&mut self, a: &PrimitiveArray<'_>) {
        self.see(a.id)
    }
}

/// What one copy of a duplicated id was.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Class,
    Instance(u64),
    ObjectArray(u64, u64),
    PrimitiveArray(BasicType, u64),
}

/// Collects every copy of the candidate ids, with its offset.
struct Copies<'a> {
    ids: &'a [u64],
    found: Vec<(u64, u64, Kind)>,
}

impl Copies<'_> {
    #[inline]
    fn see(&mut self, id: u64, offset: u64, c: Kind) {
        if self.ids.binary_search(&id).is_ok() {
            self.found.push((id, offset, c));
        }
    }
}

impl HeapVisitor for Copies<'_> {
    fn class_dump(&mut self, c: &ClassDump<'_>) {
        self.see(c.id, c.offset, Kind::Class)
    }
    fn instance(&mut self, o: &Instance<'_>) {
        self.see(o.id, o.offset, Kind::Instance(o.class_id))
    }
    fn object_array(&mut self, a: &ObjectArray<'_>) {
        self.see(a.id, a.offset, Kind::ObjectArray(a.class_id, a.len as u64))
    }
    fn primitive_array(&mut self, a: &PrimitiveArray<'_>) {
        self.see(a.id, a.offset, Kind::PrimitiveArray(a.elem, a.len as u64))
    }
}

/// Whether no id can repeat, without looking again: every piece's object ids strictly
/// increase and hit no class id (see [`crate::load::census::PieceIdOrder`]), the pieces' object id
/// ranges are disjoint, and the class dumps' ids are distinct LOAD_CLASS ids. HotSpot's dumps
/// are like that, so `info` and `histogram` need no extra pass over the heap.
fn provably_distinct(dump: &Dump, census: &Census) -> bool {
    let order = &census.piece_id_order;
    if order.len() != census.piece_nodes.len()
        || !order.iter().all(|o| o.increasing && !o.hits_class_id)
    {
        return false;
    }
    let mut ranges: Vec<(u64, u64)> = order
        .iter()
        .filter(|o| o.min <= o.max)
        .map(|o| (o.min, o.max))
        .collect();
    ranges.sort_unstable();
    if !ranges.windows(2).all(|w| w[0].1 < w[1].0) {
        return false;
    }
    let mut loaded: Vec<u64> = dump.index.load_classes.iter().map(|l| l.class_id).collect();
    loaded.sort_unstable();
    let mut classes: Vec<u64> = census.classes.iter().map(|c| c.id).collect();
    classes.sort_unstable();
    classes.windows(2).all(|w| w[0] < w[1])
        && classes.iter().all(|id| loaded.binary_search(id).is_ok())
}

/// Candidate duplicate ids (sorted, distinct; a superset of the real ones).
fn candidates(dump: &Dump, census: &Census, progress: &dyn Progress) -> Vec<u64> {
    let n: u64 = census.piece_nodes.iter().sum();
    let (min, max) = census
        .piece_id_ranges
        .iter()
        .fold((u64::MAX, 0u64), |(lo, hi), &(a, b)| (lo.min(a), hi.max(b)));
    if n < 2 || min > max || provably_distinct(dump, census) {
        return Vec::new();
    }
    let span = ((max - min) >> 3).saturating_add(1);
    let dense = span / 8 <= n.saturating_mul(BITMAP_BYTES_PER_OBJECT);
    let marks = dense.then(|| Marks {
        min,
        words: (0..span.div_ceil(64)).map(|_| AtomicU64::new(0)).collect(),
    });
    let mut out: Vec<u64> = Vec::new();
    if !census.piece_ids.is_empty() {
        // The census kept the ids for the graph: no walk needed.
        let mut seen = Seen {
            marks: marks.as_ref(),
            out: Vec::new(),
        };
        for piece in &census.piece_ids {
            for &id in piece {
                seen.see(id);
            }
        }
        out = seen.out;
    } else {
        for (s, _) in par_walk(dump, "duplicate ids", progress, |_| Seen {
            marks: marks.as_ref(),
            out: Vec::new(),
        }) {
            out.extend(s.out);
        }
    }
    out.sort_unstable();
    if marks.is_none() {
        // Every id was collected: the duplicates are the repeats.
        let mut dups: Vec<u64> = out
            .windows(2)
            .filter(|w| w[0] == w[1])
            .map(|w| w[0])
            .collect();
        dups.dedup();
        return dups;
    }
    out.dedup();
    out
}

/// Drops every later copy of a repeated object id from the census counts (the first copy in
/// the file wins, as in the graph); returns how many copies were dropped. Class dumps are
/// counted here too; the class table itself keeps the first class dump of an id.
pub fn drop_later_copies(dump: &Dump, census: &mut Census, progress: &dyn Progress) -> u64 {
    let ids = candidates(dump, census, progress);
    if ids.is_empty() {
        return 0;
    }
    let mut found: Vec<(u64, u64, Kind)> = Vec::new();
    for (c, _) in par_walk(dump, "duplicate ids", progress, |_| Copies {
        ids: &ids,
        found: Vec::new(),
    }) {
        found.extend(c.found);
    }
    found.sort_unstable_by_key(|&(id, off, _)| (id, off));
    let mut dropped = 0u64;
    for (i, &(id, _, copy)) in found.iter().enumerate() {
        if i == 0 || found[i - 1].0 != id {
            continue; // the first copy of this id
        }
        dropped += 1;
        match copy {
            Kind::Class => {}
            Kind::Instance(class_id) => {
                if let Some(n) = census.instances.get_mut(&class_id) {
                    *n = n.saturating_sub(1);
                }
            }
            Kind::ObjectArray(class_id, len) => {
                if let Some(s) = census.object_arrays.get_mut(&class_id) {
                    s.remove(len, 4);
                }
            }
            Kind::PrimitiveArray(elem, len) => {
                census.primitive_arrays[elem.code() as usize]
                    .remove(len, elem.size_in_dump(8) as u64);
            }
        }
    }
    census.instances.retain(|_, n| *n > 0);
    census.object_arrays.retain(|_, s| s.count > 0);
    dropped
}

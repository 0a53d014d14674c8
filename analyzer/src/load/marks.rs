//! Marks in the heap pieces: every [`MARK_EVERY`] objects and class dumps of a piece, the
//! census notes where the stretch starts and the smallest and largest id in it, so that an
//! object is looked for again ([`crate::query::objects::locate`]) only in the stretches whose
//! id range holds its id, not in every record of its piece.

use hprof_parser::split::Piece;

use super::census::Census;

/// Objects and class dumps per stretch (a power of two): about 60 KiB of records on the bench
/// dump, 46 k marks for its 47 M objects (1.1 MiB).
const MARK_EVERY: u64 = 1024;

/// Where a stretch of [`MARK_EVERY`] objects and class dumps of a heap piece starts (the
/// offset of its first one's sub-record) and the smallest and largest id in it. A stretch
/// ends where the piece's next one starts, or at the piece's end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdMark {
    /// Offset of the stretch's first object or class dump.
    pub offset: u64,
    /// Smallest id in the stretch.
    pub min: u64,
    /// Largest id in the stretch.
    pub max: u64,
}

/// Notes the piece's object or class dump number `nth` (from 0), of id `id` at `offset`.
#[inline]
pub(crate) fn note(marks: &mut Vec<IdMark>, nth: u64, id: u64, offset: u64) {
    if nth & (MARK_EVERY - 1) == 0 {
        marks.push(IdMark {
            offset,
            min: id,
            max: id,
        });
    } else if let Some(m) = marks.last_mut() {
        m.min = m.min.min(id);
        m.max = m.max.max(id);
    }
}

/// The pieces' marks in one array (allocated on this thread: the pieces' small vectors,
/// spread over the walkers' arenas, are freed before the ids around them are) and where each
/// piece's start, with the end last. Empty when there are too many to index with `u32`.
pub(crate) fn flatten(pieces: Vec<Vec<IdMark>>) -> (Vec<IdMark>, Vec<u32>) {
    let total: usize = pieces.iter().map(Vec::len).sum();
    if u32::try_from(total).is_err() {
        return (Vec::new(), Vec::new());
    }
    let mut marks = Vec::with_capacity(total);
    let mut starts = Vec::with_capacity(pieces.len() + 1);
    for m in pieces {
        starts.push(marks.len() as u32);
        marks.extend_from_slice(&m);
    }
    starts.push(marks.len() as u32);
    (marks, starts)
}

impl Census {
    /// Piece `piece`'s marks, when the census kept them.
    pub fn piece_marks(&self, piece: usize) -> Option<&[IdMark]> {
        let lo = *self.mark_starts.get(piece)? as usize;
        let hi = *self.mark_starts.get(piece + 1)? as usize;
        self.marks.get(lo..hi)
    }
}

/// The stretches `(start, end)` of `pieces`, in dump order (adjacent ones joined), whose id
/// range holds one of `want` (sorted): every record outside them has an id not in `want`.
/// `None` when the census kept no marks for these pieces.
pub(crate) fn spans(census: &Census, pieces: &[Piece], want: &[u64]) -> Option<Vec<(u64, u64)>> {
    let ranges = &census.piece_id_ranges;
    if ranges.len() != pieces.len() || census.mark_starts.len() != pieces.len() + 1 {
        return None;
    }
    let holds = |lo: u64, hi: u64| {
        let i = want.partition_point(|&id| id < lo);
        i < want.len() && want[i] <= hi
    };
    let mut spans: Vec<(u64, u64)> = Vec::new();
    for (i, p) in pieces.iter().enumerate() {
        if !holds(ranges[i].0, ranges[i].1) {
            continue;
        }
        let marks = census.piece_marks(i)?;
        for (j, m) in marks.iter().enumerate() {
            if !holds(m.min, m.max) {
                continue;
            }
            let end = marks.get(j + 1).map_or(p.end, |n| n.offset);
            match spans.last_mut() {
                Some(s) if s.1 == m.offset => s.1 = end,
                _ => spans.push((m.offset, end)),
            }
        }
    }
    Some(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_every_stretch_with_its_id_range() {
        let mut marks = Vec::new();
        for n in 0..(MARK_EVERY + 2) {
            // Ids fall then rise: the range is the stretch's smallest and largest.
            let id = if n < 3 { 100 - n } else { 1000 + n };
            note(&mut marks, n, id, 10 * n);
        }
        assert_eq!(marks.len(), 2);
        assert_eq!(
            marks[0],
            IdMark {
                offset: 0,
                min: 98,
                max: 1000 + MARK_EVERY - 1
            }
        );
        assert_eq!(marks[1].offset, 10 * MARK_EVERY);
        assert_eq!(marks[1].min, 1000 + MARK_EVERY);
        assert_eq!(marks[1].max, 1000 + MARK_EVERY + 1);
    }

    #[test]
    fn spans_only_where_a_wanted_id_can_be() {
        let mut c = Census::default();
        c.piece_id_ranges = vec![(10, 39), (40, 59)];
        let m = |offset, min, max| IdMark { offset, min, max };
        (c.marks, c.mark_starts) = flatten(vec![
            vec![m(0, 10, 19), m(100, 20, 29), m(200, 30, 39)],
            vec![m(1000, 40, 49), m(1100, 50, 59)],
        ]);
        let pieces = [
            Piece { start: 0, end: 300 },
            Piece {
                start: 1000,
                end: 1200,
            },
        ];
        assert_eq!(
            spans(&c, &pieces, &[21, 35, 55]),
            Some(vec![(100, 300), (1100, 1200)])
        );
        assert_eq!(spans(&c, &pieces, &[5, 45]), Some(vec![(1000, 1100)]));
        assert_eq!(spans(&c, &pieces, &[60]), Some(vec![]));
        c.mark_starts.clear();
        assert_eq!(spans(&c, &pieces, &[21]), None);
    }
}

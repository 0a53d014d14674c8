//! Marks in the heap pieces: every 1024 objects of a piece whose object ids strictly increase
//! (HotSpot's), the census notes where the stretch starts and its first id, so that an object
//! is looked for again ([`crate::query::objects::locate`]) only in the stretches whose id
//! range holds its id, not in every record of its piece.

use hprof_parser::split::Piece;

use super::census::Census;

/// Objects per stretch (a power of two): about 60 KiB of records on the bench dump, 46 k
/// marks for its 47 M objects (740 KiB).
const MARK_EVERY: u64 = 1024;

/// Where a stretch of 1024 objects of a heap piece starts (the offset of its first
/// object's sub-record) and that object's id. Kept only for a piece whose object ids strictly
/// increase in file order and that holds no class dump (HotSpot's), so that a stretch's ids
/// are at least its own mark's id and below the next mark's: it ends where the piece's next
/// one starts, or at the piece's end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdMark {
    /// Offset of the stretch's first object.
    pub offset: u64,
    /// Its id, the smallest in the stretch.
    pub id: u64,
}

/// Notes the piece's object number `nth` (from 0, class dumps aside), of id `id` at `offset`:
/// one predictable branch per object in the census.
#[inline]
pub(crate) fn note(marks: &mut Vec<IdMark>, nth: u64, id: u64, offset: u64) {
    if nth & (MARK_EVERY - 1) == 0 {
        marks.push(IdMark { offset, id });
    }
}

/// A piece's `marks`, or none when its object ids do not strictly increase or it holds a
/// class dump (`usable` false): the whole piece is then walked.
pub(crate) fn kept(marks: Vec<IdMark>, usable: bool) -> Vec<IdMark> {
    if usable {
        marks
    } else {
        Vec::new()
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
/// range holds one of `want` (sorted), and the whole of each piece without marks whose range
/// does: every record outside them has an id not in `want`.
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
    let mut add = |start: u64, end: u64| match spans.last_mut() {
        Some(s) if s.1 == start => s.1 = end,
        _ => spans.push((start, end)),
    };
    for (i, p) in pieces.iter().enumerate() {
        let (lo, hi) = ranges[i];
        if !holds(lo, hi) {
            continue;
        }
        let marks = census.piece_marks(i)?;
        if marks.is_empty() {
            add(p.start, p.end);
            continue;
        }
        for (j, m) in marks.iter().enumerate() {
            let next = marks.get(j + 1);
            let top = next.map_or(hi, |n| n.id - 1);
            if holds(m.id, top) {
                add(m.offset, next.map_or(p.end, |n| n.offset));
            }
        }
    }
    Some(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_every_stretch() {
        let mut marks = Vec::new();
        for n in 0..(MARK_EVERY + 2) {
            note(&mut marks, n, 1000 + n, 10 * n);
        }
        assert_eq!(
            marks,
            vec![
                IdMark {
                    offset: 0,
                    id: 1000
                },
                IdMark {
                    offset: 10 * MARK_EVERY,
                    id: 1000 + MARK_EVERY
                }
            ]
        );
    }

    #[test]
    fn spans_only_where_a_wanted_id_can_be() {
        let mut c = Census::default();
        c.piece_id_ranges = vec![(10, 39), (40, 59), (60, 69)];
        let m = |offset, id| IdMark { offset, id };
        // The third piece kept no marks: walked whole when its range can hold an id.
        (c.marks, c.mark_starts) = flatten(vec![
            vec![m(0, 10), m(100, 20), m(200, 30)],
            vec![m(1000, 40), m(1100, 50)],
            vec![],
        ]);
        let pieces = [
            Piece { start: 0, end: 300 },
            Piece {
                start: 1000,
                end: 1200,
            },
            Piece {
                start: 1200,
                end: 1500,
            },
        ];
        assert_eq!(
            spans(&c, &pieces, &[21, 35, 55]),
            Some(vec![(100, 300), (1100, 1200)])
        );
        assert_eq!(spans(&c, &pieces, &[5, 45]), Some(vec![(1000, 1100)]));
        assert_eq!(
            spans(&c, &pieces, &[19, 59, 65]),
            Some(vec![(0, 100), (1100, 1500)])
        );
        assert_eq!(spans(&c, &pieces, &[70]), Some(vec![]));
        c.mark_starts.clear();
        assert_eq!(spans(&c, &pieces, &[21]), None);
    }
}

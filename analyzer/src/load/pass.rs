//! The parallel driver: walks every heap piece with a visitor, on all of rayon's threads.

use hprof_parser::split::Piece;
use hprof_parser::{walk_heap, HeapVisitor, ParseError};
use rayon::prelude::*;

use crate::base::progress::Progress;
use crate::load::dump::Dump;

/// Walks every piece of the heap in parallel. `make` creates a visitor for a piece; the
/// visitors come back in piece order (so results do not depend on the number of threads),
/// each with the damage that stopped its walk, if any. The dump's pages are released after
/// each piece so that a pass over a large dump does not keep it resident.
pub fn par_walk<V, F>(
    dump: &Dump,
    phase: &str,
    progress: &dyn Progress,
    make: F,
) -> Vec<(V, Option<ParseError>)>
where
    V: HeapVisitor + Send,
    F: Fn(&Piece) -> V + Sync,
{
    let data = dump.data();
    let id_size = dump.id_size();
    let total: u64 = dump.pieces.iter().map(|p| p.end - p.start).sum();
    progress.start(phase, total);
    let out = dump
        .pieces
        .par_iter()
        .map(|p| {
            let mut v = make(p);
            let bytes = &data[p.start as usize..p.end as usize];
            let err = walk_heap(bytes, p.start, id_size, &mut v).err();
            dump.source.release(p.start as usize, p.end as usize);
            progress.advance(p.end - p.start);
            (v, err)
        })
        .collect();
    // A piece releases only the pages wholly inside it; a neighbour's later read may map a
    // whole folio across the boundary again. Drop what is left.
    dump.source.release(0, data.len());
    progress.finish();
    out
}

/// Walks only the pieces at the given indices (in parallel), without progress reporting.
pub fn par_walk_some<V, F>(dump: &Dump, which: &[usize], make: F) -> Vec<(V, Option<ParseError>)>
where
    V: HeapVisitor + Send,
    F: Fn(&Piece) -> V + Sync,
{
    let data = dump.data();
    let id_size = dump.id_size();
    which
        .par_iter()
        .filter_map(|&i| dump.pieces.get(i))
        .map(|p| {
            let mut v = make(p);
            let bytes = &data[p.start as usize..p.end as usize];
            let err = walk_heap(bytes, p.start, id_size, &mut v).err();
            dump.release_around(p.start, p.end);
            (v, err)
        })
        .collect()
}

/// Walks only the given stretches `(start, end)` of the heap (in parallel), each starting and
/// ending on sub-record boundaries inside one piece, without progress reporting. The visitors
/// come back in the order of `spans`.
pub fn par_walk_spans<V, F>(
    dump: &Dump,
    spans: &[(u64, u64)],
    make: F,
) -> Vec<(V, Option<ParseError>)>
where
    V: HeapVisitor + Send,
    F: Fn() -> V + Sync,
{
    let data = dump.data();
    let id_size = dump.id_size();
    spans
        .par_iter()
        .map(|&(start, end)| {
            let mut v = make();
            let bytes = &data[start as usize..end as usize];
            let err = walk_heap(bytes, start, id_size, &mut v).err();
            dump.release_around(start, end);
            (v, err)
        })
        .collect()
}

/// Records the damage that stopped any piece's walk (an error without `--partial`).
pub fn note_piece_damage<V>(
    dump: &mut Dump,
    results: &mut [(V, Option<ParseError>)],
) -> Result<(), crate::AnalyzeError> {
    for (_, e) in results.iter_mut() {
        if let Some(e) = e.take() {
            dump.note_damage(e)?;
        }
    }
    Ok(())
}

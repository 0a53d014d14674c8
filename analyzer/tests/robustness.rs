//! Thousands of damaged variants of a real dump go through the whole pipeline (index, census,
//! graph, dominators, reports): no panic, and every error names an offset inside the input.

mod common;

use common::dump;
use std::path::Path;

use analyzer::analysis::Analysis;
use analyzer::domtree::{dominator_report, DominatorOptions};
use analyzer::histogram::{histogram, HistogramOptions};
use analyzer::{AnalyzeError, Dump, Heap, LoadOptions, NoProgress};
use hprof_parser::{DumpIndex, DumpSource, ParseError};

/// xorshift64*: a fixed seed gives the same variants on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn check_error(e: &AnalyzeError, len: usize) {
    let pe: Option<&ParseError> = match e {
        AnalyzeError::Parse(p) => Some(p),
        AnalyzeError::Damaged { source } => Some(source),
        _ => None,
    };
    if let Some(p) = pe {
        if let Some(o) = p.offset() {
            assert!(o <= len as u64, "error offset {o} beyond {len}: {p}");
        }
    }
}

/// Runs everything on `bytes`; returns whether it analysed.
fn run(bytes: Vec<u8>, partial: bool) -> bool {
    let len = bytes.len();
    let source = DumpSource::from_vec(Path::new("variant.hprof"), bytes);
    let opts = LoadOptions {
        partial,
        temp_dir: None,
        ..Default::default()
    };
    let dump = match Dump::from_source(source, &opts) {
        Ok(d) => d,
        Err(e) => {
            check_error(&e, len);
            return false;
        }
    };
    let heap = match Heap::from_dump(dump, &NoProgress) {
        Ok(h) => h,
        Err(e) => {
            check_error(&e, len);
            return false;
        }
    };
    let _ = histogram(&heap, &HistogramOptions::default());
    match Analysis::build(heap, &NoProgress) {
        Ok(a) => {
            // Memory stays proportional to the input: a damaged length never makes the
            // analysis allocate for objects that are not there.
            assert!(
                a.graph.memory_bytes() <= 16 * len + (1 << 20),
                "graph of {} bytes for {len} bytes of input",
                a.graph.memory_bytes()
            );
            let r = dominator_report(
                &a,
                &DominatorOptions {
                    top: 3,
                    depth: 3,
                    min_share: 0.0,
                },
            );
            assert!(r.heap.reachable_bytes <= r.heap.shallow_bytes);
            true
        }
        Err(e) => {
            check_error(&e, len);
            false
        }
    }
}

#[test]
fn mutated_real_dumps_never_panic() {
    let original = std::fs::read(dump("basic.hprof")).unwrap();
    let index = DumpIndex::scan(&original, false).unwrap();
    // Offsets of heap record headers (their length fields are the riskiest bytes).
    let heads: Vec<usize> = index
        .heap_ranges
        .iter()
        .map(|r| r.start as usize - 9)
        .collect();
    let mut rng = Rng(0x5EED_CAFE_F00D_0001);
    let (mut analysed, mut rejected) = (0, 0);
    for i in 0..400 {
        let mut b = original.clone();
        match i % 5 {
            0 => {
                for _ in 0..1 + rng.below(8) {
                    let p = rng.below(b.len());
                    b[p] ^= 1 << rng.below(8);
                }
            }
            1 => {
                let h = heads[rng.below(heads.len())];
                let huge = [0xFFFF_FFF0u32, 0x7FFF_FFFF, 0, 1, 8][rng.below(5)];
                b[h + 5..h + 9].copy_from_slice(&huge.to_be_bytes());
            }
            2 => {
                let cut = rng.below(b.len());
                b.truncate(cut);
            }
            3 => {
                let p = rng.below(b.len());
                let n = (1 + rng.below(64)).min(b.len() - p);
                for x in &mut b[p..p + n] {
                    *x = rng.next() as u8;
                }
            }
            _ => {
                // A damaged sub-record inside a segment: overwrite a sub-record tag.
                let h = heads[rng.below(heads.len())] + 9;
                let p = (h + rng.below(1 << 16)).min(b.len() - 1);
                b[p] = [0x00, 0x99, 0xC4, 0x21, 0x22][rng.below(5)];
            }
        }
        for partial in [false, true] {
            if run(b.clone(), partial) {
                analysed += 1;
            } else {
                rejected += 1;
            }
        }
    }
    // Both outcomes occur, so the damage paths really ran.
    assert!(
        analysed > 100 && rejected > 100,
        "{analysed} analysed, {rejected} rejected"
    );
}

#[test]
fn truncated_gzip_is_an_error_or_a_partial_analysis() {
    let gz = std::fs::read(dump("basic.jcmd.hprof.gz")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(42);
    for _ in 0..12 {
        let cut = 100 + rng.below(gz.len() - 100);
        let p = dir.path().join("cut.hprof.gz");
        std::fs::write(&p, &gz[..cut]).unwrap();
        let strict = Heap::load(&p, &LoadOptions::default(), &NoProgress);
        assert!(
            strict.is_err(),
            "a cut gzip must not load without --partial"
        );
        let partial = Heap::load(
            &p,
            &LoadOptions {
                partial: true,
                temp_dir: Some(dir.path().to_path_buf()),
                ..Default::default()
            },
            &NoProgress,
        );
        match partial {
            Ok(h) => {
                assert!(!h.dump.is_complete());
                let _ = Analysis::build(h, &NoProgress);
            }
            Err(e) => check_error(&e, cut),
        }
    }
}

/// Walks every heap range of a dump the way the passes do; returns whether anything failed.
fn parse_only(data: &[u8], partial: bool) -> bool {
    struct Touch(u64);
    impl hprof_parser::HeapVisitor for Touch {
        fn instance(&mut self, o: &hprof_parser::Instance<'_>) {
            self.0 ^= o.id ^ o.class_id ^ o.fields.len() as u64;
        }
        fn object_array(&mut self, a: &hprof_parser::ObjectArray<'_>) {
            self.0 ^= a.element_ids(8).fold(a.id, |x, y| x ^ y);
        }
        fn primitive_array(&mut self, a: &hprof_parser::PrimitiveArray<'_>) {
            self.0 ^= a.len as u64;
        }
        fn class_dump(&mut self, c: &hprof_parser::ClassDump<'_>) {
            self.0 ^= c.statics.statics().count() as u64 ^ c.fields.fields().count() as u64;
        }
    }
    match DumpIndex::scan(data, partial) {
        Err(e) => {
            assert!(e.offset().is_none_or(|o| o <= data.len() as u64), "{e}");
            false
        }
        Ok(idx) => {
            let mut ok = true;
            for r in &idx.heap_ranges {
                let body = &data[r.start as usize..(r.end as usize).min(data.len())];
                let mut t = Touch(0);
                if let Err(e) = hprof_parser::walk_heap(body, r.start, idx.header.id_size, &mut t) {
                    assert!(e.offset().is_some_and(|o| o <= data.len() as u64), "{e}");
                    ok = false;
                }
            }
            ok
        }
    }
}

#[test]
fn thousands_of_mutated_real_dumps_parse_or_fail_with_an_offset() {
    let original = std::fs::read(dump("basic.hprof")).unwrap();
    let mut rng = Rng(0x0DD5_EED5_0000_0003);
    let (mut clean, mut damaged) = (0, 0);
    for i in 0..3_000 {
        let mut b = original.clone();
        match i % 4 {
            0 => {
                let p = rng.below(b.len());
                b[p] ^= 1 << rng.below(8);
            }
            1 => b.truncate(rng.below(b.len())),
            2 => {
                // A length or count field set to a huge value somewhere.
                let p = rng.below(b.len() - 4);
                b[p..p + 4].copy_from_slice(&0xFFFF_FFF0u32.to_be_bytes());
            }
            _ => {
                let p = rng.below(b.len());
                let n = (1 + rng.below(32)).min(b.len() - p);
                for x in &mut b[p..p + n] {
                    *x = rng.next() as u8;
                }
            }
        }
        if parse_only(&b, i % 2 == 0) {
            clean += 1;
        } else {
            damaged += 1;
        }
    }
    assert!(
        clean > 100 && damaged > 100,
        "{clean} clean, {damaged} damaged"
    );
}

/// Counts instances and arrays.
#[derive(Default)]
struct CountObjects(u64);

impl hprof_parser::HeapVisitor for CountObjects {
    fn instance(&mut self, _: &hprof_parser::heap::Instance<'_>) {
        self.0 += 1;
    }
    fn object_array(&mut self, _: &hprof_parser::heap::ObjectArray<'_>) {
        self.0 += 1;
    }
    fn primitive_array(&mut self, _: &hprof_parser::heap::PrimitiveArray<'_>) {
        self.0 += 1;
    }
}

fn objects_counted(bytes: Vec<u8>, partial: bool) -> (u64, Vec<String>) {
    let source = DumpSource::from_vec(Path::new("damaged.hprof"), bytes);
    let opts = LoadOptions {
        partial,
        temp_dir: None,
        ..Default::default()
    };
    let dump = Dump::from_source(source, &opts).unwrap();
    let heap = Heap::from_dump(dump, &NoProgress).unwrap();
    let h = histogram(&heap, &HistogramOptions::default());
    (h.totals.objects, heap.warnings())
}

#[test]
fn partial_analysis_skips_a_damaged_segment_of_a_real_dump_and_reads_the_rest() {
    let clean = std::fs::read(dump("basic.hprof")).unwrap();
    let idx = DumpIndex::scan(&clean, false).unwrap();
    assert!(
        idx.heap_ranges.len() >= 3,
        "{} segments",
        idx.heap_ranges.len()
    );
    let victim = idx.heap_ranges[1];
    let mut lost = CountObjects::default();
    hprof_parser::walk_heap(
        &clean[victim.start as usize..victim.end as usize],
        victim.start,
        idx.header.id_size,
        &mut lost,
    )
    .unwrap();
    assert!(lost.0 > 0);
    let (all, _) = objects_counted(clean.clone(), false);

    // The segment's tag byte is damaged: only its objects are lost.
    let mut data = clean;
    let header = victim.start as usize - 9;
    data[header] = 0x77;
    assert!(Dump::from_source(
        DumpSource::from_vec(Path::new("damaged.hprof"), data.clone()),
        &LoadOptions::default()
    )
    .is_err());
    let (found, warnings) = objects_counted(data, true);
    assert_eq!(found, all - lost.0);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains(&format!("unknown record tag 0x77 at offset {header}"))),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains(&format!("bytes {header}..{} could not be read", victim.end))),
        "{warnings:?}"
    );
}

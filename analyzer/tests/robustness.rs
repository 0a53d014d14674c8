//! Thousands of damaged variants of a real dump go through the whole pipeline (index, census,
//! graph, dominators, reports): no panic, and every error names an offset inside the input.

use crate::common::dump;
use std::path::Path;

use analyzer::dom::analysis::Analysis;
use analyzer::report::domtree::{dominator_report, DominatorOptions};
use analyzer::report::histogram::{histogram, HistogramOptions};
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

// ---------------------------------------------------------------------------------------------
// Hostile inputs built with the synthetic writer (issue #14).

use analyzer::leaks::{leak_report, LeakOptions};
use hprof_parser::writer::{ClassDef, HprofWriter, Value};
use hprof_parser::{BasicType, RootKind};

const OBJECT: u64 = 0x1000;
const HOLDER: u64 = 0x1010;

/// Opens synthetic bytes as a dump.
fn open_bytes(bytes: Vec<u8>) -> Result<Dump, AnalyzeError> {
    Dump::from_source(
        DumpSource::from_vec(Path::new("hostile.hprof"), bytes),
        &LoadOptions::default(),
    )
}

/// Every report over `bytes`; panics are the failure this guards against.
fn every_report(bytes: Vec<u8>) -> Analysis {
    let heap = Heap::from_dump_for(open_bytes(bytes).unwrap(), true, &NoProgress).unwrap();
    let _ = analyzer::report::info::info_of_heap(&heap);
    let _ = histogram(&heap, &HistogramOptions::default());
    let a = Analysis::build(heap, &NoProgress).unwrap();
    let _ = dominator_report(&a, &DominatorOptions::default());
    let _ = leak_report(&a, &LeakOptions::default(), None);
    let _ = analyzer::report::threadlocals::threadlocal_report(&a, &Default::default());
    let _ = analyzer::report::classloaders::classloader_report(&a, &Default::default());
    let _ = analyzer::report::resources::resource_report(&a, &Default::default());
    let _ = analyzer::dom::retained_classes::retained_by_class(&a);
    let _ = analyzer::report::growth::summarize(&a);
    a
}

/// java.lang.Object and a holder class with one reference field, plus `objects` (id, refers
/// to) instances of the holder, each a JNI global root.
fn holders(objects: &[(u64, u64)]) -> Vec<u8> {
    let mut w = HprofWriter::new(8);
    w.utf8(1, "java/lang/Object")
        .utf8(2, "com/acme/Holder")
        .utf8(3, "next");
    w.load_class(1, OBJECT, 1).load_class(2, HOLDER, 2);
    w.begin_segment();
    w.class_dump(&ClassDef::new(OBJECT, 0));
    w.class_dump(&ClassDef::new(HOLDER, OBJECT).with_fields(8, vec![(3, BasicType::Object)]));
    w.root(RootKind::StickyClass, OBJECT)
        .root(RootKind::StickyClass, HOLDER);
    for &(id, next) in objects {
        w.instance(id, HOLDER, &[Value::Object(next)]);
        w.root(RootKind::JniGlobal, id);
    }
    w.heap_dump_end();
    w.finish()
}

#[test]
fn object_ids_zero_and_max_do_not_panic() {
    // Issue #14 item 1: the id span 0..=2^64-1 overflowed and the bitmap had zero words.
    let a = every_report(holders(&[(0, u64::MAX), (u64::MAX, 0), (8, u64::MAX)]));
    assert_eq!(a.graph.len(), 5);
    let s = a.summary();
    assert_eq!(s.reachable_objects, 5);
}

#[test]
fn a_dump_with_only_a_header_is_damaged_not_an_empty_heap() {
    // Issue #14 item 9.
    let header_only = HprofWriter::new(8).finish();
    assert_eq!(header_only.len(), 31);
    let e = open_bytes(header_only.clone()).err().expect("refused");
    let text = e.to_string();
    assert!(
        text.contains("the dump holds no heap dump records; it ends after the header at offset 31"),
        "{text}"
    );
    assert!(matches!(e, AnalyzeError::Damaged { .. }), "{e:?}");

    // Records, but the writer was cut off before the heap.
    let mut w = HprofWriter::new(8);
    w.utf8(1, "java/lang/Object").load_class(1, OBJECT, 1);
    let records_only = w.finish();
    let len = records_only.len();
    let text = open_bytes(records_only).err().expect("refused").to_string();
    assert!(
        text.contains(&format!("it ends after its last record at offset {len}")),
        "{text}"
    );

    // --partial analyses the nothing there is, and says why it is nothing.
    let dump = Dump::from_source(
        DumpSource::from_vec(Path::new("hostile.hprof"), header_only),
        &LoadOptions {
            partial: true,
            temp_dir: None,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(!dump.is_complete());
    let heap = Heap::from_dump(dump, &NoProgress).unwrap();
    assert!(heap
        .warnings()
        .iter()
        .any(|w| w.contains("no heap dump records")));
}

#[test]
fn non_regular_files_are_refused_before_they_are_opened() {
    // Issue #14 item 7: a directory, /dev/zero (never "the file is empty") and a FIFO with no
    // writer (open() would block for ever) are refused from their metadata.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.hprof");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let mut cases = vec![
        (dir.path().to_path_buf(), "is a directory"),
        (
            Path::new("/dev/zero").to_path_buf(),
            "is a character device",
        ),
    ];
    if made {
        cases.push((fifo, "is a FIFO (named pipe)"));
    }
    for (p, want) in cases {
        let e = Dump::open(&p, &LoadOptions::default())
            .err()
            .expect("refused");
        let text = e.to_string();
        assert!(text.contains(want), "{}: {text}", p.display());
        assert!(text.contains("not a regular file"), "{text}");
    }
}

#[test]
fn duplicate_ids_follow_one_rule_in_every_command() {
    // Issue #14 item 8: the first copy of an id wins in the census (info, histogram) and the
    // graph (leaks, histogram --retained) alike, and the totals say how many were dropped.
    let mut w = HprofWriter::new(8);
    w.utf8(1, "java/lang/Object")
        .utf8(2, "com/acme/Holder")
        .utf8(3, "next")
        .utf8(4, "[B");
    const BYTES: u64 = 0x1020;
    w.load_class(1, OBJECT, 1)
        .load_class(2, HOLDER, 2)
        .load_class(3, BYTES, 4);
    w.begin_segment();
    w.class_dump(&ClassDef::new(OBJECT, 0));
    w.class_dump(&ClassDef::new(HOLDER, OBJECT).with_fields(8, vec![(3, BasicType::Object)]));
    w.class_dump(&ClassDef::new(BYTES, OBJECT));
    for c in [OBJECT, HOLDER, BYTES] {
        w.root(RootKind::StickyClass, c);
    }
    w.instance(0x10_0000, HOLDER, &[Value::Object(0x10_0040)]);
    w.primitive_array(0x10_0040, BasicType::Byte, 100, &[0; 100]);
    w.root(RootKind::JniGlobal, 0x10_0000);
    // Later copies: the holder again (as a byte[]), the byte[] again (as a holder), the
    // holder a third time.
    w.primitive_array(0x10_0000, BasicType::Byte, 5_000, &[0; 5_000]);
    w.instance(0x10_0040, HOLDER, &[Value::Object(0)]);
    w.instance(0x10_0000, HOLDER, &[Value::Object(0)]);
    w.heap_dump_end();
    let bytes = w.finish();

    let heap = Heap::from_dump(open_bytes(bytes.clone()).unwrap(), &NoProgress).unwrap();
    let h = histogram(&heap, &HistogramOptions::default());
    assert_eq!(h.totals.duplicate_ids_dropped, 3);
    assert_eq!((h.totals.instances, h.totals.primitive_arrays), (1, 1));
    let row = |name: &str| {
        h.classes
            .iter()
            .find(|r| r.class == name)
            .map(|r| r.instances)
    };
    assert_eq!(row("com.acme.Holder"), Some(1));
    assert_eq!(row("byte[]"), Some(1));
    assert!(heap
        .warnings()
        .iter()
        .any(|w| w.contains("3 objects repeat an id")));
    let info = analyzer::report::info::info_of_heap(&heap);
    assert_eq!(info.totals, h.totals);

    let a = every_report(bytes);
    let s = a.summary();
    assert_eq!(s.duplicate_ids_dropped, 3);
    assert_eq!(s.objects, h.totals.objects + h.totals.classes);
    // The first byte[] (100 bytes), not the 5,000-byte later copy, is the one in the graph.
    assert!(s.shallow_bytes < 1_000, "{}", s.shallow_bytes);
    // Named once, not by both the census and the graph.
    let warned = a
        .warnings()
        .iter()
        .filter(|w| w.contains("repeat an id"))
        .count();
    assert_eq!(warned, 1);

    // Ids in increasing order, so the census's cheap proof is tried: an instance that reuses
    // a class's id is still found (the class dump came first and wins).
    let mut w = HprofWriter::new(8);
    w.utf8(1, "java/lang/Object")
        .utf8(2, "com/acme/Holder")
        .utf8(3, "next");
    w.load_class(1, OBJECT, 1).load_class(2, HOLDER, 2);
    w.begin_segment();
    w.class_dump(&ClassDef::new(OBJECT, 0));
    w.class_dump(&ClassDef::new(HOLDER, OBJECT).with_fields(8, vec![(3, BasicType::Object)]));
    w.instance(0x800, HOLDER, &[Value::Object(0)]);
    w.instance(HOLDER, HOLDER, &[Value::Object(0)]);
    w.instance(0x10_0000, HOLDER, &[Value::Object(0)]);
    w.heap_dump_end();
    let bytes = w.finish();
    let heap = Heap::from_dump(open_bytes(bytes.clone()).unwrap(), &NoProgress).unwrap();
    let h = histogram(&heap, &HistogramOptions::default());
    assert_eq!(h.totals.duplicate_ids_dropped, 1);
    assert_eq!(h.totals.instances, 2);
    assert_eq!(every_report(bytes).summary().duplicate_ids_dropped, 1);

    // And the clean version of it needs no search and drops nothing.
    let clean = holders(&[(0x10_0000, 0), (0x10_0040, 0x10_0000)]);
    let heap = Heap::from_dump(open_bytes(clean).unwrap(), &NoProgress).unwrap();
    let h = histogram(&heap, &HistogramOptions::default());
    assert_eq!(h.totals.duplicate_ids_dropped, 0);
}

/// Total flattened layout entries kept by the class table.
fn layout_entries(a: &Analysis) -> u64 {
    a.heap.classes.iter().map(|c| c.layout.len() as u64).sum()
}

#[test]
fn class_cycles_and_missing_supers_are_cut_and_named() {
    // Issue #14 items 2 and 3: A -> B -> A, C -> C, D -> (missing).
    let (a_id, b_id, c_id, d_id, gone) = (0x2000u64, 0x2010, 0x2020, 0x2030, 0x9990);
    let mut w = HprofWriter::new(8);
    w.utf8(1, "java/lang/Object").utf8(2, "f");
    w.load_class(1, OBJECT, 1);
    w.begin_segment();
    w.class_dump(&ClassDef::new(OBJECT, 0));
    for (id, sup) in [(a_id, b_id), (b_id, a_id), (c_id, c_id), (d_id, gone)] {
        w.class_dump(&ClassDef::new(id, sup).with_fields(8, vec![(2, BasicType::Object)]));
    }
    for (i, class) in [a_id, b_id, c_id, d_id].into_iter().enumerate() {
        let id = 0x10_0000 + i as u64 * 0x100;
        w.instance(id, class, &[Value::Object(OBJECT)]);
        w.root(RootKind::JniGlobal, id);
    }
    w.heap_dump_end();
    let a = every_report(w.finish());
    let warnings = a.warnings();
    let cycles = warnings
        .iter()
        .find(|w| w.contains("super-class cycles were cut"))
        .unwrap_or_else(|| panic!("{warnings:?}"));
    assert!(cycles.starts_with("2 "), "{cycles}");
    assert!(cycles.contains("class 0x2020 (super 0x2020)"), "{cycles}");
    let missing = warnings
        .iter()
        .find(|w| w.contains("not in the dump"))
        .unwrap();
    assert!(missing.contains("class 0x2030 (super 0x9990)"), "{missing}");
    // Every class is resolved once: one field each, plus the super's where there is one.
    for c in a.heap.classes.iter() {
        assert!(
            c.layout.len() <= 2,
            "{} has {} fields",
            c.name,
            c.layout.len()
        );
    }
    let order = a.heap.classes.supers_first();
    assert_eq!(order.len(), a.heap.classes.len());
}

/// `n` classes of one shape, one instance each (rooted), built by `super_of(i)`.
fn many_classes(n: u64, fields: usize, super_of: impl Fn(u64) -> u64) -> Vec<u8> {
    let mut w = HprofWriter::new(8);
    w.utf8(1, "java/lang/Object").utf8(2, "f");
    w.load_class(1, OBJECT, 1);
    w.begin_segment();
    w.class_dump(&ClassDef::new(OBJECT, 0));
    let class = |i: u64| 0x100_0000 + i * 0x10;
    for i in 0..n {
        let decl = vec![(2, BasicType::Int); fields];
        w.class_dump(&ClassDef::new(class(i), super_of(i)).with_fields(8, decl));
    }
    for i in 0..n.min(20_000) {
        let id = 0x1000_0000 + i * 0x10;
        // Field data of this class only; deeper layouts find it short, which is counted.
        w.instance_raw(id, class(i), &vec![0u8; 4 * fields]);
        w.root(RootKind::JniGlobal, id);
    }
    w.heap_dump_end();
    w.finish()
}

#[test]
fn deep_cyclic_and_wide_hierarchies_stay_linear() {
    // Issue #14 items 2 and 3, bounded by counts (not time): the flattened layouts stay
    // within a small multiple of the classes' own field declarations, whatever the shape.
    let class = |i: u64| 0x100_0000 + i * 0x10;
    let cases: Vec<(&str, Vec<u8>, u64)> = vec![
        // 100,000 classes, each its own super class, no fields.
        (
            "100,000 self-super classes",
            many_classes(100_000, 0, class),
            100_000,
        ),
        // A chain 20,000 levels deep, one field per level.
        (
            "20,000 levels",
            many_classes(20_000, 1, |i| if i == 0 { OBJECT } else { class(i - 1) }),
            20_000,
        ),
        // One ring of 20,000 classes.
        (
            "a 20,000-class cycle",
            many_classes(20_000, 1, |i| class((i + 1) % 20_000)),
            20_000,
        ),
        // One class with 65,535 fields whose super chain loops through two classes.
        (
            "65,535 fields in a loop",
            many_classes(2, 65_535, |i| class(1 - i)),
            2,
        ),
    ];
    for (what, bytes, n) in cases {
        let len = bytes.len() as u64;
        let a = every_report(bytes);
        assert_eq!(a.heap.classes.len() as u64, n + 1, "{what}");
        let own: u64 = a
            .heap
            .classes
            .iter()
            .map(|c| c.record.fields.len() as u64)
            .sum();
        let kept = layout_entries(&a);
        assert!(
            kept <= 16 * own + (1 << 20),
            "{what}: {kept} layout entries for {own} declared fields"
        );
        assert!(
            a.graph.memory_bytes() as u64 <= 16 * len + (1 << 20),
            "{what}: graph of {} bytes for {len} bytes",
            a.graph.memory_bytes()
        );
        // Every cycle was cut: each class is at a finite depth, supers first.
        let order = a.heap.classes.supers_first();
        let mut pos = vec![0usize; order.len()];
        for (p, &ci) in order.iter().enumerate() {
            pos[ci as usize] = p;
        }
        for (ci, c) in a.heap.classes.iter().enumerate() {
            if let Some(s) = c.super_idx {
                assert!(pos[s as usize] < pos[ci], "{what}: super after subclass");
            }
        }
    }
}

/// Cases of the structure-aware generator run by `cargo test` (the fuzz target in `fuzz/`
/// runs the same generator for as long as it is given). `HPROFSCAN_FUZZ_CASES` raises it.
fn generated_cases() -> u64 {
    std::env::var("HPROFSCAN_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

#[test]
fn generated_hostile_dumps_never_panic_and_stay_bounded() {
    let mut rng = Rng(0x0F0F_5EED_0000_0014);
    let (mut analysed, mut rejected) = (0u64, 0u64);
    for case in 0..generated_cases() {
        let len = 64 + rng.below(1 << 14);
        let decisions: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let bytes = hprof_parser::hostile::generate(&decisions);
        let n = bytes.len();
        for partial in [false, true] {
            match analyzer::run::everything::run_everything(bytes.clone(), partial) {
                Ok(o) => {
                    analysed += 1;
                    let bound = 16 * o.input_bytes + (1 << 20);
                    assert!(o.graph_bytes <= bound, "case {case}: {o:?}");
                    assert!(
                        o.layout_entries <= 16 * o.input_bytes + (1 << 20),
                        "case {case}: {o:?}"
                    );
                }
                Err(e) => {
                    rejected += 1;
                    check_error(&e, n);
                }
            }
        }
    }
    eprintln!("generated dumps: {analysed} analysed, {rejected} rejected");
    assert!(
        analysed > 0 && rejected > 0,
        "{analysed} analysed, {rejected} rejected"
    );
}

/// With `HPROFSCAN_BLESS=1`, rewrites `fuzz/corpus/pipeline` from the structured seeds: the
/// generated dumps of at most 64 KiB, as raw dumps for the `pipeline` target.
fn bless_pipeline_seeds(dir: &Path) {
    if std::env::var("HPROFSCAN_BLESS").as_deref() != Ok("1") {
        return;
    }
    let mut seeds: Vec<_> = std::fs::read_dir(dir.join("structured"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    seeds.sort();
    for p in seeds {
        let dump = hprof_parser::hostile::generate(&std::fs::read(&p).unwrap());
        if dump.len() <= 64 << 10 {
            // No .hprof extension: the repository ignores *.hprof.
            let name = format!("{}.dump", p.file_name().unwrap().to_string_lossy());
            std::fs::write(dir.join("pipeline").join(name), dump).unwrap();
        }
    }
}

#[test]
fn the_committed_fuzz_seeds_run_through_everything() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus");
    bless_pipeline_seeds(&dir);
    let mut seen = 0;
    for target in ["structured", "pipeline"] {
        let Ok(entries) = std::fs::read_dir(dir.join(target)) else {
            continue;
        };
        for e in entries.flatten() {
            let data = std::fs::read(e.path()).unwrap();
            let bytes = if target == "structured" {
                hprof_parser::hostile::generate(&data)
            } else {
                data
            };
            for partial in [false, true] {
                let n = bytes.len();
                if let Err(e) = analyzer::run::everything::run_everything(bytes.clone(), partial) {
                    check_error(&e, n);
                }
            }
            seen += 1;
        }
    }
    assert!(seen >= 4, "{seen} seeds in fuzz/corpus");
}

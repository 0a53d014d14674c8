//! Dumps other than HotSpot's JDK 15+ ones, built with `HprofWriter`: Android (ART) with every
//! Android record and heap kind, files with several heap snapshots, and the JDK 14 field
//! layout. Every count is exact.

use std::path::Path;

use analyzer::dom::analysis::Analysis;
use analyzer::load::census::{HEAP_APP, HEAP_IMAGE, HEAP_ZYGOTE};
use analyzer::load::size::{FieldLayout, SizeModel};
use analyzer::report::histogram::{histogram, HistogramOptions, SortBy};
use analyzer::{Dump, Heap, LoadOptions, NoProgress};
use hprof_parser::writer::{ClassDef, HprofWriter, Value};
use hprof_parser::{BasicType, DumpSource, RootKind};

fn heap(bytes: Vec<u8>, opts: &LoadOptions) -> Heap {
    let source = DumpSource::from_vec(Path::new("synthetic.hprof"), bytes);
    let dump = Dump::from_source(source, opts).expect("dump opens");
    Heap::from_dump_for(dump, true, &NoProgress).expect("census")
}

fn instances(h: &Heap, class: &str) -> u64 {
    let r = histogram(
        h,
        &HistogramOptions {
            top: None,
            sort: SortBy::Count,
        },
    );
    r.classes
        .iter()
        .find(|c| c.class == class)
        .map(|c| c.instances)
        .unwrap_or(0)
}

const OBJECT: u64 = 0x1000;
const FOO: u64 = 0x2000;
const BYTES: u64 = 0x3000;

/// An ART dump: image heap (5 Objects, 2 byte[]), zygote heap (4 Objects), app heap (12
/// Foo, 3 byte[], 1 int[] without data), every Android root kind, an UNREACHABLE record, and
/// a second segment that starts in the default heap as ART's writer does.
fn art_dump() -> Vec<u8> {
    let mut w = HprofWriter::with_header("JAVA PROFILE 1.0.3", 4, 1_700_000_000_000);
    for (id, s) in [
        (1, "java.lang.Object"),
        (2, "com.example.Foo"),
        (3, "image"),
        (4, "zygote"),
        (5, "app"),
        (6, "byte[]"),
        (7, "next"),
        (8, "x"),
    ] {
        w.utf8(id, s);
    }
    w.load_class(1, OBJECT, 1)
        .load_class(2, FOO, 2)
        .load_class(3, BYTES, 6);
    w.begin_segment();
    w.heap_dump_info(HEAP_IMAGE, 3);
    w.class_dump(&ClassDef::new(OBJECT, 0));
    w.class_dump(&ClassDef::new(BYTES, OBJECT));
    for i in 0..5 {
        w.instance(0x10_0000 + i * 8, OBJECT, &[]);
    }
    w.byte_array(0x11_0000, &[1, 2, 3]);
    w.byte_array(0x11_0010, &[4]);
    w.heap_dump_info(HEAP_ZYGOTE, 4);
    for i in 0..4 {
        w.instance(0x20_0000 + i * 8, OBJECT, &[]);
    }
    w.heap_dump_info(HEAP_APP, 5);
    w.class_dump(
        &ClassDef::new(FOO, OBJECT)
            .with_fields(4, vec![(7, BasicType::Object), (8, BasicType::Int)]),
    );
    for i in 0..10u64 {
        let next = if i == 0 { 0 } else { 0x30_0000 + (i - 1) * 16 };
        w.instance(
            0x30_0000 + i * 16,
            FOO,
            &[Value::Object(next), Value::Int(i as i32)],
        );
    }
    for i in 0..3 {
        w.byte_array(0x31_0000 + i * 16, &[0; 5]);
    }
    w.end_segment();
    // A new segment: the default heap until HEAP_DUMP_INFO says otherwise.
    w.begin_segment();
    for kind in [
        RootKind::Unknown,
        RootKind::JniGlobal,
        RootKind::JniLocal,
        RootKind::JavaFrame,
        RootKind::NativeStack,
        RootKind::StickyClass,
        RootKind::ThreadBlock,
        RootKind::MonitorUsed,
        RootKind::ThreadObject,
        RootKind::InternedString,
        RootKind::Finalizing,
        RootKind::Debugger,
        RootKind::ReferenceCleanup,
        RootKind::VmInternal,
        RootKind::JniMonitor,
    ] {
        w.root(kind, 0x30_0000 + 9 * 16);
    }
    w.heap_dump_info(HEAP_APP, 5);
    w.instance(0x40_0000, FOO, &[Value::Object(0), Value::Int(10)]);
    w.instance(0x40_0010, FOO, &[Value::Object(0), Value::Int(11)]);
    w.primitive_array_nodata(0x40_0020, BasicType::Int, 1000);
    w.unreachable(0x40_0000);
    w.end_segment();
    w.heap_dump_end();
    w.finish()
}

#[test]
fn art_dump_counts_the_app_heap_and_says_what_image_and_zygote_hold() {
    let h = heap(art_dump(), &LoadOptions::default());
    assert_eq!(h.dump.index.header.version, hprof_parser::Version::V1_0_3);
    // Objects per heap kind, in order of appearance (class dumps are not counted there).
    assert_eq!(
        h.census.heap_objects,
        vec![(HEAP_IMAGE, 7), (HEAP_ZYGOTE, 4), (HEAP_APP, 16)]
    );
    assert_eq!(instances(&h, "com.example.Foo"), 12);
    assert_eq!(instances(&h, "byte[]"), 3);
    assert_eq!(instances(&h, "int[]"), 1);
    assert_eq!(instances(&h, "java.lang.Object"), 0);
    let r = histogram(
        &h,
        &HistogramOptions {
            top: None,
            sort: SortBy::Count,
        },
    );
    assert_eq!(r.totals.instances, 12);
    assert_eq!(r.totals.objects, 16);
    assert_eq!(h.other_heaps_totals().0, 11);
    let w = h.warnings().join("\n");
    assert!(
        w.contains("the image (7 objects) and zygote (4 objects) heaps"),
        "{w}"
    );
    // ART's layout: 8-byte header + 4-byte reference + int = 16.
    assert!(h.model.art);
    assert_eq!(h.layout.how, "android");
    let foo = h.classes.by_name("com.example.Foo").unwrap();
    assert_eq!(h.instance_size(foo), 16);
    assert_eq!(h.census.unreachable, 1);
    // Every Android root kind is named.
    let info = analyzer::report::info::info_of_heap(&h);
    assert_eq!(info.producer.kind, "art");
    assert_eq!(info.gc_roots_by_kind.len(), 15);
    for k in [
        "interned_string",
        "finalizing",
        "debugger",
        "reference_cleanup",
        "vm_internal",
        "jni_monitor",
    ] {
        assert_eq!(info.gc_roots_by_kind[k], 1, "{k}");
    }
    assert_eq!(info.heaps.len(), 3);
    assert!(!info.heaps[0].counted && !info.heaps[1].counted && info.heaps[2].counted);
    // The graph holds every heap's objects: 27 objects and 3 class objects.
    let a = Analysis::build(h, &NoProgress).unwrap();
    assert_eq!(a.graph.len(), 30);
    assert_eq!(a.graph.duplicates, 0);
}

#[test]
fn art_dump_with_include_heaps_counts_everything() {
    let h = heap(
        art_dump(),
        &LoadOptions {
            all_heaps: true,
            ..Default::default()
        },
    );
    assert_eq!(instances(&h, "java.lang.Object"), 9);
    assert_eq!(instances(&h, "byte[]"), 5);
    assert_eq!(instances(&h, "com.example.Foo"), 12);
    assert!(!h.warnings().join("\n").contains("Android:"));
}

/// Two snapshots in one file: an old-style HEAP_DUMP with 3 Foo, then segments closed by
/// HEAP_DUMP_END with 5 Foo, 3 of them repeating the first snapshot's ids.
fn two_snapshots() -> Vec<u8> {
    let mut w = HprofWriter::new(8);
    w.utf8(1, "java/lang/Object")
        .utf8(2, "Foo")
        .load_class(1, OBJECT, 1)
        .load_class(2, FOO, 2);
    let classes = |w: &mut HprofWriter| {
        w.class_dump(&ClassDef::new(OBJECT, 0));
        w.class_dump(&ClassDef::new(FOO, OBJECT).with_fields(8, vec![(2, BasicType::Int)]));
        w.root(RootKind::StickyClass, FOO);
    };
    w.begin_heap_dump();
    classes(&mut w);
    for i in 0..3 {
        w.instance(0x1_0000 + i * 16, FOO, &[Value::Int(i as i32)]);
    }
    w.end_segment();
    w.begin_segment();
    classes(&mut w);
    for i in 0..3 {
        w.instance(0x1_0000 + i * 16, FOO, &[Value::Int(i as i32)]);
    }
    w.begin_segment();
    for i in 3..5 {
        w.instance(0x1_0000 + i * 16, FOO, &[Value::Int(i as i32)]);
    }
    w.end_segment();
    w.heap_dump_end();
    w.finish()
}

#[test]
fn several_snapshots_are_never_mixed() {
    let bytes = two_snapshots();
    let last = heap(bytes.clone(), &LoadOptions::default());
    assert_eq!(last.dump.index.snapshots.len(), 2);
    assert_eq!(last.dump.snapshot, 1);
    assert_eq!(instances(&last, "Foo"), 5);
    assert!(last.dump.meta().path.ends_with("synthetic.hprof#2"));
    let info = analyzer::report::info::info_of_heap(&last);
    let objects: Vec<u64> = info.snapshots.iter().map(|s| s.objects).collect();
    assert_eq!(objects, vec![5, 7]);
    let segments: Vec<u64> = info.snapshots.iter().map(|s| s.segments).collect();
    assert_eq!(segments, vec![1, 2]);
    assert!(info.snapshots[1].analysed && !info.snapshots[0].analysed);
    assert!(last
        .warnings()
        .iter()
        .any(|w| w.contains("holds 2 heap snapshots; snapshot 2 of 2")));
    let a = Analysis::build(last, &NoProgress).unwrap();
    assert_eq!(a.graph.len(), 7);
    assert_eq!(a.graph.duplicates, 0);

    let first = heap(
        bytes.clone(),
        &LoadOptions {
            snapshot: Some(1),
            ..Default::default()
        },
    );
    assert_eq!(instances(&first, "Foo"), 3);
    let source = DumpSource::from_vec(Path::new("x.hprof"), bytes);
    let bad = Dump::from_source(
        source,
        &LoadOptions {
            snapshot: Some(3),
            ..Default::default()
        },
    );
    assert!(matches!(bad, Err(analyzer::AnalyzeError::NotFound(_))));
}

/// A <- B <- C, one byte field each; instances of C 40 bytes apart (their ids are addresses).
fn byte_chain(gap: u64) -> Vec<u8> {
    byte_chain_ids(8, gap)
}

/// [`byte_chain`] with ids of `id_size` bytes.
fn byte_chain_ids(id_size: u8, gap: u64) -> Vec<u8> {
    let (a, b, c) = (0x100u64, 0x200u64, 0x300u64);
    let mut w = HprofWriter::new(id_size);
    for (id, s) in [
        (1, "java/lang/Object"),
        (2, "A"),
        (3, "B"),
        (4, "C"),
        (5, "f"),
    ] {
        w.utf8(id, s);
    }
    w.load_class(1, OBJECT, 1)
        .load_class(2, a, 2)
        .load_class(3, b, 3)
        .load_class(4, c, 4);
    w.class_dump(&ClassDef::new(OBJECT, 0));
    w.class_dump(&ClassDef::new(a, OBJECT).with_fields(8, vec![(5, BasicType::Byte)]));
    w.class_dump(&ClassDef::new(b, a).with_fields(8, vec![(5, BasicType::Byte)]));
    w.class_dump(&ClassDef::new(c, b).with_fields(8, vec![(5, BasicType::Byte)]));
    for i in 0..50 {
        w.instance(
            0x10_0000 + i * gap,
            c,
            &[Value::Byte(1), Value::Byte(2), Value::Byte(3)],
        );
    }
    w.end_segment();
    w.heap_dump_end();
    w.finish()
}

#[test]
fn jdk14_field_blocks_are_inferred_and_can_be_forced() {
    // 40 bytes apart: only uncompressed oops with per-class field blocks predicts that.
    let h = heap(byte_chain(40), &LoadOptions::default());
    assert_eq!(h.model.field_layout, FieldLayout::PerClass);
    assert_eq!(h.layout.chosen, "uncompressed+per-class");
    assert_eq!(h.layout.how, "inferred");
    let c = h.classes.by_name("C").unwrap();
    assert_eq!(h.instance_size(c), 40);
    assert_eq!(
        analyzer::report::info::info_of_heap(&h).producer.kind,
        "hotspot"
    );
    assert!(analyzer::report::info::info_of_heap(&h)
        .producer
        .description
        .contains("JDK 14 or earlier"));
    // 16 bytes apart: the JDK 15+ compressed layout (12 + 3 bytes).
    let h = heap(byte_chain(16), &LoadOptions::default());
    assert_eq!(h.layout.chosen, "compressed");
    assert_eq!(h.instance_size(h.classes.by_name("C").unwrap()), 16);
    // Forced.
    for (layout, size) in [
        ("uncompressed", 24),
        ("uncompressed+per-class", 40),
        ("compressed+per-class", 24),
        ("wide-oops+per-class", 32),
        ("32-bit+per-class", 24),
    ] {
        let h = heap(
            byte_chain(16),
            &LoadOptions {
                layout: Some(SizeModel::parse(layout).unwrap()),
                ..Default::default()
            },
        );
        assert_eq!(h.layout.how, "override");
        assert_eq!(
            h.instance_size(h.classes.by_name("C").unwrap()),
            size,
            "{layout}"
        );
    }
    assert!(SizeModel::parse("compressed+sideways").is_err());
    assert!(SizeModel::parse("64").is_err());
}

#[test]
fn array_list_sizes_per_field_layout() {
    // AbstractList { int modCount } <- ArrayList { Object elementData; int size }.
    let (al, list) = (0x100u64, 0x200u64);
    let mut w = HprofWriter::new(8);
    for (id, s) in [
        (1, "java/lang/Object"),
        (2, "java/util/AbstractList"),
        (3, "java/util/ArrayList"),
        (4, "f"),
    ] {
        w.utf8(id, s);
    }
    w.load_class(1, OBJECT, 1)
        .load_class(2, al, 2)
        .load_class(3, list, 3);
    w.class_dump(&ClassDef::new(OBJECT, 0));
    w.class_dump(&ClassDef::new(al, OBJECT).with_fields(8, vec![(4, BasicType::Int)]));
    w.class_dump(
        &ClassDef::new(list, al).with_fields(8, vec![(4, BasicType::Object), (4, BasicType::Int)]),
    );
    w.end_segment();
    w.heap_dump_end();
    let bytes = w.finish();
    for (layout, size) in [
        ("uncompressed+per-class", 40),
        ("uncompressed", 32),
        ("compressed+per-class", 24),
        ("compressed", 24),
    ] {
        let h = heap(
            bytes.clone(),
            &LoadOptions {
                layout: Some(SizeModel::parse(layout).unwrap()),
                ..Default::default()
            },
        );
        let ci = h.classes.by_name("java.util.ArrayList").unwrap();
        assert_eq!(h.instance_size(ci), size, "{layout}");
    }
}

#[test]
fn serial_four_byte_ids_say_they_are_sized_as_32_bit_and_how_to_change_it() {
    // The -agentlib:hprof agent writes 4-byte serials even on a 64-bit JVM: consecutive ids,
    // no distance any layout predicts.
    let h = heap(byte_chain_ids(4, 1), &LoadOptions::default());
    assert_eq!(h.layout.chosen, "32-bit");
    let w = h.warnings();
    assert!(
        w.iter().any(
            |m| m.starts_with("4-byte ids and no neighbour distance matches any layout")
                && m.contains("--layout compressed")
        ),
        "{w:?}"
    );
    // Told, it sizes as asked and says nothing.
    let h = heap(
        byte_chain_ids(4, 1),
        &LoadOptions {
            layout: Some(SizeModel::parse("compressed").unwrap()),
            ..Default::default()
        },
    );
    assert_eq!(h.instance_size(h.classes.by_name("C").unwrap()), 16);
    assert!(h.warnings().iter().all(|m| !m.starts_with("4-byte ids")));
    // 4-byte ids that are addresses (a 32-bit JVM, 16 bytes apart): no warning.
    let h = heap(byte_chain_ids(4, 16), &LoadOptions::default());
    assert!(
        h.warnings().iter().all(|m| !m.starts_with("4-byte ids")),
        "{:?}",
        h.layout
    );
}

//! Issue #15, built with `HprofWriter`: ART's declared instance sizes checked against the
//! layout (ART's `java.lang.Object` writes its header as two fields), `android.graphics.Bitmap`
//! pixel memory (in the heap and native), and a ProGuard/R8 mapping file applied to an
//! obfuscated dump. Every number is exact.

use std::path::Path;
use std::sync::Arc;

use analyzer::dom::analysis::Analysis;
use analyzer::load::census::{HEAP_APP, HEAP_ZYGOTE};
use analyzer::load::mapping::Mapping;
use analyzer::report::art_sizes::SizeMismatch;
use analyzer::report::bitmaps::BitmapSummary;
use analyzer::report::histogram::{histogram, HistogramOptions, SortBy};
use analyzer::report::path::{path_report, PathTarget};
use analyzer::{Dump, Heap, LoadOptions, NoProgress};
use hprof_parser::writer::{ClassDef, HprofWriter, Value};
use hprof_parser::{BasicType, DumpSource, RootKind};

fn heap(bytes: Vec<u8>, opts: &LoadOptions) -> Heap {
    let source = DumpSource::from_vec(Path::new("synthetic.hprof"), bytes);
    let dump = Dump::from_source(source, opts).expect("dump opens");
    Heap::from_dump_for(dump, true, &NoProgress).expect("census")
}

const OBJECT: u64 = 0x1000;
const BITMAP: u64 = 0x2000;
const BYTES: u64 = 0x3000;
const POINT: u64 = 0x4000;
const PAIR: u64 = 0x5000;
const STRING: u64 = 0x6000;

/// ART's `java.lang.Object` fields, written after every instance's own fields.
fn object_fields() -> [Value; 2] {
    [Value::Object(0), Value::Int(0)]
}

/// A bitmap instance: mBuffer, mNativePtr, mWidth, mHeight, mRecycled, then Object's fields.
fn bitmap(w: &mut HprofWriter, id: u64, buffer: u64, native: i64, wh: (i32, i32), recycled: bool) {
    let mut v = vec![
        Value::Object(buffer),
        Value::Long(native),
        Value::Int(wh.0),
        Value::Int(wh.1),
        Value::Boolean(recycled),
    ];
    v.extend(object_fields());
    w.instance(id, BITMAP, &v);
}

/// An ART dump (4-byte ids) whose classes declare their sizes as ART does (`GetObjectSize`,
/// header included, not rounded up), `point_size` for com.example.Point; with bitmaps in the
/// app and zygote heaps.
fn art_dump(point_size: u32) -> Vec<u8> {
    let mut w = HprofWriter::with_header("JAVA PROFILE 1.0.3", 4, 1_700_000_000_000);
    let names = [
        "java.lang.Object",
        "shadow$_klass_",
        "shadow$_monitor_",
        "android.graphics.Bitmap",
        "mBuffer",
        "mNativePtr",
        "mWidth",
        "mHeight",
        "mRecycled",
        "app",
        "zygote",
        "byte[]",
        "com.example.Point",
        "x",
        "y",
        "com.example.Pair",
        "first",
        "flag",
        "java.lang.String",
        "count",
        "hash",
        "value",
    ];
    for (i, s) in names.iter().enumerate() {
        w.utf8(i as u64 + 1, s);
    }
    for (serial, (class, name)) in [
        (OBJECT, 1),
        (BITMAP, 4),
        (BYTES, 12),
        (POINT, 13),
        (PAIR, 16),
        (STRING, 19),
    ]
    .into_iter()
    .enumerate()
    {
        w.load_class(serial as u32 + 1, class, name);
    }
    let class = |id, sup, size, fields: Vec<(u64, BasicType)>| ClassDef {
        instance_size: size,
        fields,
        ..ClassDef::new(id, sup)
    };
    w.begin_segment();
    w.heap_dump_info(HEAP_ZYGOTE, 11);
    use BasicType::*;
    w.class_dump(&class(OBJECT, 0, 8, vec![(2, Object), (3, Int)]));
    // References first (mBuffer at 8), an int in the gap before the long at 16: 29 bytes.
    let bitmap_fields = vec![(5, Object), (6, Long), (7, Int), (8, Int), (9, Boolean)];
    w.class_dump(&class(BITMAP, OBJECT, 29, bitmap_fields));
    w.class_dump(&class(BYTES, OBJECT, 0, vec![]));
    // Declared as ART does: the size of an empty string; never compared.
    let string_fields = vec![(20, Int), (21, Int), (22, Object)];
    w.class_dump(&class(STRING, OBJECT, 16, string_fields));
    // A zygote bitmap: not counted unless --include-heaps.
    bitmap(&mut w, 0x10_0000, 0, 0x7000, (1000, 1000), false);
    w.heap_dump_info(HEAP_APP, 10);
    w.class_dump(&class(
        POINT,
        OBJECT,
        point_size,
        vec![(14, Int), (15, Int)],
    ));
    w.class_dump(&class(PAIR, OBJECT, 13, vec![(17, Object), (18, Byte)]));
    let mut point = vec![Value::Int(1), Value::Int(2)];
    point.extend(object_fields());
    w.instance(0x20_0000, POINT, &point);
    // Android 3.0 to 7.1: pixels in a byte[] (and a native pointer beside it).
    bitmap(&mut w, 0x30_0000, 0x31_0000, 0x1234, (100, 100), false);
    w.byte_array(0x31_0000, &[0; 40_000]);
    // Android 8+: native pixels, 200 x 50 x 4 bytes.
    bitmap(&mut w, 0x30_0100, 0, 0xdead, (200, 50), false);
    // Recycled, and neither buffer nor pointer: no pixels.
    bitmap(&mut w, 0x30_0200, 0, 0, (10, 10), true);
    bitmap(&mut w, 0x30_0300, 0, 0, (10, 10), false);
    // A repeated id counts once.
    bitmap(&mut w, 0x30_0100, 0, 0xdead, (200, 50), false);
    for id in [0x30_0000u64, 0x30_0100, 0x30_0200, 0x30_0300, 0x20_0000] {
        w.root(RootKind::JniGlobal, id);
    }
    w.end_segment();
    w.heap_dump_end();
    w.finish()
}

#[test]
fn art_sizes_agree_with_the_declared_ones() {
    let h = heap(art_dump(16), &LoadOptions::default());
    assert!(h.model.art);
    // java.lang.Object's two fields are ART's 8-byte header, counted once.
    let size = |name: &str| h.instance_size(h.classes.by_name(name).unwrap());
    assert_eq!(size("java.lang.Object"), 8);
    assert_eq!(size("com.example.Point"), 16);
    assert_eq!(size("com.example.Pair"), 16);
    assert_eq!(size("android.graphics.Bitmap"), 32);
    let info = analyzer::report::info::info_of_heap(&h);
    let check = info.art_sizes.expect("an Android dump");
    // Object, Bitmap, Point, Pair: byte[] (declared 0) and String are not compared.
    assert_eq!((check.checked, check.mismatches), (4, 0));
    assert!(check.examples.is_empty());
}

#[test]
fn a_declared_size_that_differs_is_reported() {
    let h = heap(art_dump(20), &LoadOptions::default());
    let check = analyzer::report::info::info_of_heap(&h).art_sizes.unwrap();
    assert_eq!((check.checked, check.mismatches), (4, 1));
    assert_eq!(
        check.examples,
        vec![SizeMismatch {
            class: "com.example.Point".into(),
            declared: 24,
            computed: 16,
        }]
    );
}

#[test]
fn bitmap_pixels_in_the_heap_and_native() {
    let h = heap(art_dump(16), &LoadOptions::default());
    assert_eq!(
        analyzer::report::info::info_of_heap(&h).bitmaps,
        Some(BitmapSummary {
            bitmaps: 4,
            in_heap: 1,
            in_heap_bytes: 40_000,
            native: 1,
            native_estimated_bytes: 40_000,
            without_pixels: 2,
        })
    );
    let all = heap(
        art_dump(16),
        &LoadOptions {
            all_heaps: true,
            ..Default::default()
        },
    );
    assert_eq!(
        analyzer::report::info::info_of_heap(&all).bitmaps,
        Some(BitmapSummary {
            bitmaps: 5,
            in_heap: 1,
            in_heap_bytes: 40_000,
            native: 2,
            native_estimated_bytes: 4_040_000,
            without_pixels: 2,
        })
    );
}

#[test]
fn hotspot_dumps_have_no_art_check_and_no_bitmaps() {
    let h = heap(obfuscated_dump(), &LoadOptions::default());
    let info = analyzer::report::info::info_of_heap(&h);
    assert_eq!(info.art_sizes, None);
    assert_eq!(info.bitmaps, None);
    assert_eq!(info.mapping, None);
}

const REGISTRY: u64 = 0x7000;
const NODE: u64 = 0x8000;
const NODES: u64 = 0x9000;

/// A HotSpot-style dump of an obfuscated app: `a.a` holds static `a`, a chain of `a.b` (fields
/// `a` (reference), `b` (int) and `b` (long)), and an `a.b[]`.
fn obfuscated_dump() -> Vec<u8> {
    let mut w = HprofWriter::new(8);
    for (id, s) in [
        (1, "java/lang/Object"),
        (2, "a/a"),
        (3, "a/b"),
        (4, "[La/b;"),
        (5, "a"),
        (6, "b"),
    ] {
        w.utf8(id, s);
    }
    w.load_class(1, OBJECT, 1)
        .load_class(2, REGISTRY, 2)
        .load_class(3, NODE, 3)
        .load_class(4, NODES, 4);
    w.begin_segment();
    w.class_dump(&ClassDef::new(OBJECT, 0));
    let mut registry = ClassDef::new(REGISTRY, OBJECT);
    registry.statics = vec![(5, Value::Object(0x1_0000))];
    w.class_dump(&registry);
    w.class_dump(&ClassDef::new(NODE, OBJECT).with_fields(
        8,
        vec![
            (5, BasicType::Object),
            (6, BasicType::Int),
            (6, BasicType::Long),
        ],
    ));
    w.class_dump(&ClassDef::new(NODES, OBJECT));
    w.instance(
        0x1_0000,
        NODE,
        &[Value::Object(0x1_0020), Value::Int(1), Value::Long(2)],
    );
    w.instance(
        0x1_0020,
        NODE,
        &[Value::Object(0), Value::Int(3), Value::Long(4)],
    );
    w.object_array(0x1_0040, NODES, &[0x1_0000]);
    w.root(RootKind::StickyClass, REGISTRY);
    w.root(RootKind::JniGlobal, 0x1_0040);
    w.heap_dump_end();
    w.finish()
}

const MAPPING: &str = "\
# compiler: R8
com.example.Registry -> a.a:
    com.example.Node entries -> a
    1:3:void register(com.example.Node):10:12 -> a
com.example.Node -> a.b:
    com.example.Node next -> a
    int value -> b
    long stamp -> b
";

#[test]
fn a_mapping_file_names_classes_and_fields_as_in_the_source() {
    let mapping = Arc::new(Mapping::parse(MAPPING).unwrap());
    let opts = LoadOptions {
        mapping: Some(mapping),
        ..Default::default()
    };
    let h = heap(obfuscated_dump(), &opts);
    let rows: Vec<(String, u64)> = histogram(
        &h,
        &HistogramOptions {
            top: None,
            sort: SortBy::Count,
        },
    )
    .classes
    .into_iter()
    .map(|r| (r.class, r.instances))
    .collect();
    assert!(rows.contains(&("com.example.Node".into(), 2)), "{rows:?}");
    assert!(rows.contains(&("com.example.Node[]".into(), 1)), "{rows:?}");
    assert!(!rows.iter().any(|r| r.0.starts_with("a.")), "{rows:?}");
    let info = analyzer::report::info::info_of_heap(&h);
    let m = info.mapping.expect("a mapping was given");
    // Classes a.a, a.b and a.b[]; fields: the static and the three of a.b.
    assert_eq!(
        (m.classes_in_file, m.classes_renamed, m.fields_renamed),
        (2, 3, 4)
    );
    let a = Analysis::build(h, &NoProgress).unwrap();
    let p = path_report(&a, &PathTarget::Id(0x1_0020)).unwrap();
    assert_eq!(
        p.chain,
        "gc root (sticky_class) -> class com.example.Registry -> .entries (static) com.example.Node -> .next com.example.Node"
    );
    // Without the mapping, the names are the dump's.
    let plain = Analysis::build(
        heap(obfuscated_dump(), &LoadOptions::default()),
        &NoProgress,
    )
    .unwrap();
    let p = path_report(&plain, &PathTarget::Id(0x1_0020)).unwrap();
    assert_eq!(
        p.chain,
        "gc root (sticky_class) -> class a.a -> .a (static) a.b -> .a a.b"
    );
}

/// A crafted dump whose string ids leave no room past the last one: the classes are renamed,
/// the fields keep the dump's names, nothing panics.
#[test]
fn a_mapping_on_a_dump_with_no_free_string_ids_renames_classes_only() {
    let mut bytes = obfuscated_dump();
    // Append a UTF8 record with id u64::MAX after the heap (records may come in any order).
    let mut w = HprofWriter::new(8);
    w.utf8(u64::MAX, "last");
    let header_len = HprofWriter::new(8).finish().len();
    bytes.extend_from_slice(&w.finish()[header_len..]);
    let opts = LoadOptions {
        mapping: Some(Arc::new(Mapping::parse(MAPPING).unwrap())),
        ..Default::default()
    };
    let h = heap(bytes, &opts);
    let m = analyzer::report::info::info_of_heap(&h).mapping.unwrap();
    assert_eq!((m.classes_renamed, m.fields_renamed), (3, 0));
    let a = Analysis::build(h, &NoProgress).unwrap();
    let p = path_report(&a, &PathTarget::Id(0x1_0020)).unwrap();
    assert_eq!(
        p.chain,
        "gc root (sticky_class) -> class com.example.Registry -> .a (static) com.example.Node -> .a com.example.Node"
    );
}

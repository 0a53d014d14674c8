//! `hprofscan waste` and the off-heap totals on the dumps of testdata/programs/testdata/Waste.java,
//! WasteBoxedMaps.java and OffHeap.java: exact counts and bytes per holder.

use std::sync::OnceLock;

use analyzer::dom::analysis::Analysis;
use analyzer::query::holders::Holder;
use analyzer::report::waste::{waste_report, BoxedRole, WasteOptions, WasteReport};
use analyzer::NoProgress;

fn waste_dump() -> &'static Analysis {
    static A: OnceLock<Analysis> = OnceLock::new();
    A.get_or_init(|| crate::common::analyse("waste.hprof"))
}

fn report() -> &'static WasteReport {
    static R: OnceLock<WasteReport> = OnceLock::new();
    R.get_or_init(|| waste_report(waste_dump(), &WasteOptions::default(), &NoProgress))
}

fn holder(class: &str, field: &str, is_static: bool) -> Option<Holder> {
    Some(Holder {
        class: class.into(),
        field: field.into(),
        is_static,
    })
}

#[test]
fn duplicate_strings_by_holder() {
    let r = report();
    let country = r
        .duplicate_strings
        .iter()
        .find(|g| g.holder == holder("testdata.Waste$Customer", "country", false))
        .expect("Customer.country");
    // 20,000 Strings, 14 values; each extra copy is a String (24 B) and its byte[9] (32 B).
    assert_eq!(
        (
            country.strings,
            country.distinct_values,
            country.bytes_saved
        ),
        (20_000, 14, 19_986 * 56)
    );
    let tags = r
        .duplicate_strings
        .iter()
        .find(|g| g.holder == holder("testdata.Waste", "TAGS", true))
        .expect("Waste.TAGS");
    // 5,000 Strings, 5 values; each extra copy is a String (24 B) and its byte[5] (24 B).
    assert_eq!(
        (tags.strings, tags.distinct_values, tags.bytes_saved),
        (5_000, 5, 4_995 * 48)
    );
    // The distinct customer names are no waste.
    assert!(!r
        .duplicate_strings
        .iter()
        .any(|g| g.holder == holder("testdata.Waste$Customer", "name", false)));
    // The top values: the 14 countries (1,429 or 1,428 copies of 9 Latin-1 chars) first.
    let top = &r.top_duplicate_values[..14];
    assert!(top.iter().all(|v| v.length == 9 && !v.utf16));
    assert_eq!(top.iter().filter(|v| v.count == 1_429).count(), 8);
    assert_eq!(top.iter().filter(|v| v.count == 1_428).count(), 6);
    assert_eq!(r.top_duplicate_values[14].count, 1_000);
    assert_eq!(r.top_duplicate_values[14].length, 5);
    assert_eq!(r.top_duplicate_values.len(), 20);
}

#[test]
fn duplicate_arrays_by_holder() {
    let r = report();
    let w = r
        .duplicate_arrays
        .iter()
        .find(|g| g.holder == holder("testdata.Waste$Sample", "weights", false))
        .expect("Sample.weights");
    // 1,000 int[8] {1..8}: 999 extra copies of 48 B.
    assert_eq!(
        (w.class.as_str(), w.arrays, w.distinct_values, w.bytes_saved),
        ("int[]", 1_000, 1, 999 * 48)
    );
    // String values are counted as Strings, never as byte[] duplicates.
    assert!(!r
        .duplicate_arrays
        .iter()
        .any(|g| g.holder == holder("testdata.Waste$Customer", "country", false)));
}

#[test]
fn empty_and_under_filled_collections() {
    let r = report();
    let find = |field: &str| {
        r.collections
            .iter()
            .find(|g| g.holder == holder("testdata.Waste$Order", field, false))
            .unwrap_or_else(|| panic!("Order.{field}"))
    };
    let notes = find("notes");
    // new ArrayList<>(10), empty: the list (24 B) and its Object[10] (56 B).
    assert_eq!(
        (
            notes.class.as_str(),
            notes.collections,
            notes.empty,
            notes.under_filled
        ),
        ("java.util.ArrayList", 3_000, 3_000, 0)
    );
    assert_eq!(
        (notes.capacity, notes.empty_bytes_saved),
        (30_000, 3_000 * 80)
    );
    let attrs = find("attrs");
    // new HashMap<>(), never used: the map (48 B), no table.
    assert_eq!(
        (attrs.class.as_str(), attrs.empty, attrs.empty_bytes_saved),
        ("java.util.HashMap", 3_000, 3_000 * 48)
    );
    let items = find("items");
    // new ArrayList<>(100) with 2 entries: Object[100] (416 B) instead of Object[2] (24 B).
    assert_eq!(
        (
            items.empty,
            items.under_filled,
            items.entries,
            items.capacity
        ),
        (0, 3_000, 6_000, 300_000)
    );
    assert_eq!(items.under_filled_bytes_saved, 3_000 * 392);
    assert!((items.fill_ratio - 0.02).abs() < 1e-12);
    // Full lists are no waste.
    assert!(!r
        .collections
        .iter()
        .any(|g| g.holder == holder("testdata.Waste", "SCORES", true)
            || g.holder == holder("testdata.Waste", "TAGS", true)));
}

#[test]
fn boxed_primitives_by_holder() {
    let r = report();
    let scores = r
        .boxed
        .iter()
        .find(|g| g.holder == holder("testdata.Waste", "SCORES", true))
        .expect("Waste.SCORES");
    // 10,000 Integers of 16 B; an int is as big as a compressed reference.
    assert_eq!(
        (
            scores.class.as_str(),
            scores.role,
            scores.containers,
            scores.elements,
            scores.boxes
        ),
        ("java.lang.Integer", BoxedRole::Element, 1, 10_000, 10_000)
    );
    assert_eq!((scores.box_bytes, scores.bytes_saved), (160_000, 160_000));
    let ids = r
        .boxed
        .iter()
        .find(|g| g.holder == holder("testdata.Waste", "IDS", true))
        .expect("Waste.IDS");
    // 2,000 Longs of 24 B; a long (8 B) costs 4 B more than a compressed reference.
    assert_eq!(
        (ids.class.as_str(), ids.elements, ids.boxes),
        ("java.lang.Long", 2_000, 2_000)
    );
    assert_eq!(
        (ids.box_bytes, ids.bytes_saved),
        (48_000, 48_000 + 8_000 - 16_000)
    );
}

#[test]
fn totals_add_up() {
    let r = report();
    let t = &r.totals;
    assert_eq!(
        t.could_be_saved,
        t.duplicate_string_bytes
            + t.duplicate_array_bytes
            + t.empty_collection_bytes
            + t.under_filled_collection_bytes
            + t.boxed_bytes
    );
    assert_eq!(
        t.duplicate_string_bytes,
        r.duplicate_strings
            .iter()
            .map(|g| g.bytes_saved)
            .sum::<u64>()
    );
    // The program's own waste is a lower bound of the heap's.
    let own = 19_986 * 56 + 4_995 * 48 + 999 * 48 + 3_000 * (80 + 48 + 392) + 160_000 + 40_000;
    assert!(t.could_be_saved >= own, "{} < {own}", t.could_be_saved);
    assert_eq!(t.reachable_bytes, waste_dump().dom.reachable_bytes);
}

// ---- waste-boxed-maps.hprof ------------------------------------------------------------

#[test]
fn boxed_map_keys_and_values_by_holder() {
    let a = crate::common::analyse("waste-boxed-maps.hprof");
    let r = waste_report(&a, &WasteOptions::default(), &NoProgress);
    let row = |class: &str, field: &str, is_static: bool, role: BoxedRole| {
        let h = holder(class, field, is_static);
        let rows: Vec<_> = r
            .boxed
            .iter()
            .filter(|g| g.holder == h && g.role == role)
            .collect();
        assert_eq!(rows.len(), 1, "{class}.{field} {role:?}: {rows:?}");
        let g = rows[0];
        (
            g.class.as_str(),
            g.containers,
            g.elements,
            g.boxes,
            g.box_bytes,
            g.bytes_saved,
        )
    };
    let main = "testdata.WasteBoxedMaps";
    // HashMap<Long, Integer> of 3,000: Long keys of 24 B (a long is 4 B more than a compressed
    // reference) and Integer values of 16 B (an int is as big as the reference), one line each.
    assert_eq!(
        row(main, "PRICES", true, BoxedRole::Key),
        (
            "java.lang.Long",
            1,
            3_000,
            3_000,
            72_000,
            72_000 + 12_000 - 24_000
        )
    );
    assert_eq!(
        row(main, "PRICES", true, BoxedRole::Value),
        ("java.lang.Integer", 1, 3_000, 3_000, 48_000, 48_000)
    );
    // HashSet<Integer> of 2,000: keys of its HashMap; the values are the set's marker object.
    assert_eq!(
        row(main, "SEEN", true, BoxedRole::Key),
        ("java.lang.Integer", 1, 2_000, 2_000, 32_000, 32_000)
    );
    assert!(!r
        .boxed
        .iter()
        .any(|g| g.holder == holder(main, "SEEN", true) && g.role != BoxedRole::Key));
    // ConcurrentHashMap<String, Double> of 1,500 in an instance field: Double values of 24 B.
    assert_eq!(
        row(
            "testdata.WasteBoxedMaps$Rates",
            "byName",
            false,
            BoxedRole::Value
        ),
        (
            "java.lang.Double",
            1,
            1_500,
            1_500,
            36_000,
            36_000 + 6_000 - 12_000
        )
    );
    // TreeMap<Short, String> of 700: Short keys of 16 B, a short is 2 B.
    assert_eq!(
        row(main, "SLOTS", true, BoxedRole::Key),
        (
            "java.lang.Short",
            1,
            700,
            700,
            11_200,
            11_200 + 2_800 - 1_400
        )
    );
    let own = 60_000 + 48_000 + 32_000 + 30_000 + 12_600;
    let t = &r.totals;
    assert_eq!(
        t.boxed_bytes,
        r.boxed.iter().map(|g| g.bytes_saved).sum::<u64>()
    );
    assert!(t.boxed_bytes >= own && t.boxed_elements >= 10_200);
    // The program's lines come first: nothing else in this JVM holds that many boxes.
    assert_eq!(r.boxed[..5].iter().map(|g| g.bytes_saved).sum::<u64>(), own);
}

// ---- offheap.hprof ---------------------------------------------------------------------

#[test]
fn off_heap_buffers_by_holder() {
    let a = crate::common::analyse("offheap.hprof");
    let o = analyzer::report::offheap::off_heap(&a);
    let group = |class: &str, field: &str| {
        o.groups
            .iter()
            .find(|g| g.holder == holder(class, field, true))
            .unwrap_or_else(|| panic!("{class}.{field}"))
    };
    use analyzer::report::offheap::OffHeapKind::{Direct, Mapped};
    let direct = group("testdata.OffHeap$Buffers", "DIRECT");
    assert_eq!(
        (direct.kind, direct.buffers, direct.bytes),
        (Direct, 8, 8 << 20)
    );
    let one = group("testdata.OffHeap$Buffers", "ONE");
    assert_eq!((one.kind, one.buffers, one.bytes), (Direct, 1, 300_000));
    let files = group("testdata.OffHeap$Mapped", "FILES");
    assert_eq!(
        (files.kind, files.buffers, files.bytes),
        (Mapped, 2, 65_536 + 12_288)
    );
    // The 4 views of DIRECT[0] share its memory: no group, counted as views.
    assert!(!o
        .groups
        .iter()
        .any(|g| g.holder == holder("testdata.OffHeap$Buffers", "SLICES", true)));
    let t = &o.totals;
    // Nothing else in this JVM allocated a buffer: the totals are the program's.
    assert_eq!((t.views, t.direct_buffers, t.mapped_buffers), (4, 9, 2));
    assert_eq!(t.mapped_bytes, 65_536 + 12_288);
    assert_eq!(t.direct_bytes, (8 << 20) + 300_000);
    assert_eq!(o.groups.len(), 3);
    assert_eq!(t.heap_reachable_bytes, a.dom.reachable_bytes);
}

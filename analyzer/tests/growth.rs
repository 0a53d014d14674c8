//! `growth` and `diff` on the series dumps of testdata/SCENARIOS.md (sections 10 and 11): the
//! leaking static map is the only holder growing, with its exact entries and retained bytes in
//! each dump; the control series grows nothing. Plus the verdict rules on synthetic series.

use crate::common::dump;
use std::path::Path;
use std::sync::OnceLock;

use analyzer::dom::analysis::Analysis;
use analyzer::report::growth::{
    classify, diff_report, growth_report, holder_verdict, summarize, summarize_file, DumpSummary,
    GrowthReport, HolderGrowth, Verdict, NOISE_BYTES, NOISE_ENTRIES, SCHEMA,
};
use analyzer::{Dump, Heap, LoadOptions, NoProgress};
use hprof_parser::writer::{ClassDef, HprofWriter, Value};
use hprof_parser::{BasicType, DumpSource, RootKind};

const LEAK: [&str; 3] = [
    "growth-leak-1.hprof",
    "growth-leak-2.hprof",
    "growth-leak.hprof",
];
const STEADY: [&str; 3] = [
    "growth-steady-1.hprof",
    "growth-steady-2.hprof",
    "growth-steady.hprof",
];

const SESSIONS: (&str, &str) = ("testdata.GrowthLeak$SessionStore", "SESSIONS");

fn path_of(name: &str) -> String {
    dump(name).display().to_string()
}

/// Each dump is loaded, summarised and dropped before the next one is loaded.
fn summaries(names: &[&str; 3]) -> Vec<DumpSummary> {
    names
        .iter()
        .map(|n| summarize_file(&dump(n), &LoadOptions::default(), &NoProgress).expect("analysed"))
        .collect()
}

fn leak_summaries() -> &'static [DumpSummary] {
    static S: OnceLock<Vec<DumpSummary>> = OnceLock::new();
    S.get_or_init(|| summaries(&LEAK))
}

fn steady_summaries() -> &'static [DumpSummary] {
    static S: OnceLock<Vec<DumpSummary>> = OnceLock::new();
    S.get_or_init(|| summaries(&STEADY))
}

fn given(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| path_of(n)).collect()
}

fn pick(all: &[DumpSummary], names: &[&str], order: &[&str]) -> Vec<DumpSummary> {
    order
        .iter()
        .map(|o| all[names.iter().position(|n| n == o).unwrap()].clone())
        .collect()
}

fn holder<'r>(r: &'r GrowthReport, class: &str, field: &str) -> &'r HolderGrowth {
    r.holder(class, field, true).unwrap_or_else(|| {
        let found: Vec<String> = r.holders.iter().map(|h| h.holder.display()).collect();
        panic!("no holder {class}.{field}; holders: {found:?}")
    })
}

fn growing(r: &GrowthReport) -> Vec<String> {
    r.growing().map(|h| h.holder.display()).collect()
}

fn some(v: &[u64]) -> Vec<Option<u64>> {
    v.iter().copied().map(Some).collect()
}

/// The checks shared by every ordering of the growth-leak series.
fn check_leak_series(r: &GrowthReport) {
    assert_eq!(r.schema, SCHEMA);
    assert_eq!(
        r.dumps.iter().map(|d| d.path.clone()).collect::<Vec<_>>(),
        given(&LEAK),
        "chronological order"
    );
    for w in r.dumps.windows(2) {
        assert!(
            w[1].timestamp_ms >= w[0].timestamp_ms + 1_100,
            "{:?}",
            r.dumps
        );
    }
    assert!(r.dumps.iter().all(|d| d.complete && d.objects > 0));

    assert_eq!(
        growing(r),
        ["testdata.GrowthLeak$SessionStore.SESSIONS (static)"]
    );
    let s = holder(r, SESSIONS.0, SESSIONS.1);
    assert_eq!(r.holders[0].holder, s.holder, "ranked first");
    assert_eq!(s.verdict, Verdict::Growing);
    assert_eq!(s.entries, some(&[20_000, 40_000, 80_000]));
    assert_eq!(s.retained_bytes, some(&[5_411_136, 10_822_208, 21_644_352]));
    assert_eq!(s.collections, some(&[1, 1, 1]));
    assert_eq!(s.collection_class, "java.util.HashMap");
    assert_eq!(s.element_class, "testdata.GrowthLeak$Session");
    let hours = r.elapsed_ms() as f64 / 3_600_000.0;
    let bph = s.bytes_per_hour.expect("timestamps differ");
    assert!(
        (bph - (21_644_352.0 - 5_411_136.0) / hours).abs() < 1.0,
        "{bph}"
    );

    // Constant beside it.
    let c = holder(r, "testdata.GrowthLeak$ConfigRegistry", "CONFIGS");
    assert_eq!(c.verdict, Verdict::Stable);
    assert_eq!(c.entries, some(&[5_000; 3]));
    assert_eq!(c.retained_bytes, some(&[700_040; 3]));
    assert_eq!(c.collection_class, "java.util.ArrayList");
    assert_eq!(c.element_class, "testdata.GrowthLeak$Config");
    assert_eq!(c.bytes_per_hour, Some(0.0));
    let l = holder(r, "testdata.GrowthLeak$RecentPages", "LRU");
    assert_eq!(l.verdict, Verdict::Stable);
    assert_eq!(l.entries, some(&[1_000; 3]));
    assert_eq!(l.retained_bytes, some(&[128_264; 3]));
    assert_eq!(l.collection_class, "testdata.GrowthLeak$RecentPages$1");
    assert_eq!(l.element_class, "testdata.GrowthLeak$PageView");
    assert_eq!(r.holders.len(), 3, "{:?}", r.holders);

    // The classes that grew most: what the sessions are made of.
    let class = |name: &str| {
        r.classes
            .iter()
            .find(|c| c.class == name)
            .unwrap_or_else(|| panic!("{name} not among {:?}", r.classes))
    };
    let session = class("testdata.GrowthLeak$Session");
    assert_eq!(session.instances, [20_000, 40_000, 80_000]);
    assert_eq!(session.shallow_bytes, [640_000, 1_280_000, 2_560_000]);
    assert_eq!(session.verdict, Verdict::Growing);
    let top: Vec<&str> = r.classes.iter().take(4).map(|c| c.class.as_str()).collect();
    assert_eq!(
        top,
        [
            "byte[]",
            "java.util.HashMap$Node",
            "testdata.GrowthLeak$Session",
            "java.lang.String"
        ]
    );
    assert!(r
        .classes
        .iter()
        .all(|c| c.class != "testdata.GrowthLeak$Config"
            && c.class != "testdata.GrowthLeak$PageView"));
}

#[test]
fn growth_leak_series_flags_exactly_the_static_map() {
    let r = growth_report(leak_summaries().to_vec(), &given(&LEAK));
    check_leak_series(&r);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn growth_steady_series_grows_nothing() {
    let r = growth_report(steady_summaries().to_vec(), &given(&STEADY));
    assert!(growing(&r).is_empty(), "{:?}", r.holders);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let t = holder(&r, "testdata.GrowthSteady$TokenCache", "TOKENS");
    assert_eq!(t.verdict, Verdict::Stable);
    assert_eq!(t.entries, some(&[10_000; 3]));
    assert_eq!(t.retained_bytes, some(&[2_065_600; 3]));
    assert_eq!(t.element_class, "testdata.GrowthSteady$Token");
    let c = holder(&r, "testdata.GrowthSteady$ConfigRegistry", "CONFIGS");
    assert_eq!(c.verdict, Verdict::Stable);
    assert_eq!(c.entries, some(&[2_000; 3]));
    assert_eq!(c.retained_bytes, some(&[280_040; 3]));
    assert_eq!(r.holders.len(), 2, "{:?}", r.holders);
    assert!(r.holders.iter().all(|h| h.verdict == Verdict::Stable));
    // The unreachable int[] fillers of the last dump (about 800 KB) are not growth.
    assert!(r.classes.is_empty(), "{:?}", r.classes);
}

#[test]
fn dumps_are_ordered_by_timestamp_with_a_warning() {
    let order = [
        "growth-leak-2.hprof",
        "growth-leak.hprof",
        "growth-leak-1.hprof",
    ];
    let r = growth_report(pick(leak_summaries(), &LEAK, &order), &given(&order));
    check_leak_series(&r);
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert!(
        r.warnings[0].contains("given in the order") && r.warnings[0].contains("timestamps"),
        "{}",
        r.warnings[0]
    );
    // The summaries' own order does not matter, only the given one.
    let r = growth_report(pick(leak_summaries(), &LEAK, &order), &given(&LEAK));
    check_leak_series(&r);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn two_dumps_make_a_diff() {
    let (first, last) = (&leak_summaries()[0], &leak_summaries()[2]);
    let r = diff_report(first.clone(), last.clone());
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.dumps.len(), 2);
    assert_eq!(
        growing(&r),
        ["testdata.GrowthLeak$SessionStore.SESSIONS (static)"]
    );
    let s = holder(&r, SESSIONS.0, SESSIONS.1);
    assert_eq!(s.entries, some(&[20_000, 80_000]));
    assert_eq!(s.retained_bytes, some(&[5_411_136, 21_644_352]));
    let session = r
        .classes
        .iter()
        .find(|c| c.class == "testdata.GrowthLeak$Session")
        .unwrap();
    assert_eq!(session.instances, [20_000, 80_000]);

    // Given newest first: reordered, with a warning, same result.
    let r = diff_report(last.clone(), first.clone());
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert_eq!(r.dumps[0].path, path_of(LEAK[0]));
    assert_eq!(
        holder(&r, SESSIONS.0, SESSIONS.1).entries,
        some(&[20_000, 80_000])
    );

    // A diff of the control grows nothing.
    let s = steady_summaries();
    let r = diff_report(s[0].clone(), s[2].clone());
    assert!(growing(&r).is_empty(), "{:?}", r.holders);
}

#[test]
fn summaries_are_small() {
    // Per dump: the holders and a row per class, nothing per object.
    for s in leak_summaries().iter().chain(steady_summaries()) {
        assert!(!s.meta.path.is_empty());
        assert!(s.holders.len() <= 3, "{:?}", s.holders);
        assert!(s.classes.len() < 400, "{}", s.classes.len());
        assert!(s.objects > 70_000 && s.reachable_bytes > 2_000_000);
    }
    let s = &leak_summaries()[2];
    // The id of SESSIONS' map is its id in this dump (the leaks report on the same dump names
    // the same object).
    let sessions = s
        .holders
        .iter()
        .find(|h| h.holder.field == "SESSIONS")
        .unwrap();
    let a = Analysis::load(&dump(LEAK[2]), &LoadOptions::default(), &NoProgress).unwrap();
    let node = a
        .graph
        .ids
        .get(sessions.collection_id)
        .expect("an object of this dump");
    assert_eq!(a.dom.retained.get(node), 21_644_352);
    drop(a);
    let session = s
        .classes
        .iter()
        .find(|c| c.class == "testdata.GrowthLeak$Session")
        .unwrap();
    assert_eq!(
        (session.instances, session.shallow_bytes),
        (80_000, 2_560_000)
    );
}

#[test]
fn a_holder_missing_from_a_dump_counts_as_zero() {
    let mut s = leak_summaries().to_vec();
    s[0].holders.retain(|h| h.holder.field != "SESSIONS");
    let r = growth_report(s, &given(&LEAK));
    let h = holder(&r, SESSIONS.0, SESSIONS.1);
    assert_eq!(h.entries, vec![None, Some(40_000), Some(80_000)]);
    assert_eq!(h.verdict, Verdict::Growing);
    assert_eq!(h.bytes_added(), 21_644_352);
}

#[test]
fn equal_timestamps_give_no_rate() {
    let mut s = leak_summaries().to_vec();
    for x in &mut s {
        x.meta.timestamp_ms = 1_000;
    }
    let r = growth_report(s, &given(&LEAK));
    // Kept in the given order, with a warning per tie.
    assert_eq!(r.dumps[0].path, path_of(LEAK[0]));
    assert_eq!(r.warnings.len(), 2, "{:?}", r.warnings);
    let h = holder(&r, SESSIONS.0, SESSIONS.1);
    assert_eq!(h.verdict, Verdict::Growing);
    assert_eq!(h.bytes_per_hour, None);
}

// Instance holders on synthetic heaps: `com.acme.Tenant.users` is an ArrayList of
// `com.acme.User` in every tenant; the tenants are either GC roots of their own or the elements
// of the static list `com.acme.Registry.TENANTS`.

const OBJECT: u64 = 0x1000;
const LIST: u64 = 0x1010;
const ARRAY: u64 = 0x1020;
const TENANT: u64 = 0x1030;
const USER: u64 = 0x1040;
const REGISTRY: u64 = 0x1050;

fn tenants_heap(tenants: u64, users: u64, registry: bool, timestamp_ms: u64) -> Vec<u8> {
    let mut w = HprofWriter::with_header("JAVA PROFILE 1.0.2", 8, timestamp_ms);
    for (sid, name) in [
        (1, "java/lang/Object"),
        (2, "java/util/ArrayList"),
        (3, "[Ljava/lang/Object;"),
        (4, "com/acme/Tenant"),
        (5, "com/acme/User"),
        (6, "com/acme/Registry"),
        (7, "elementData"),
        (8, "size"),
        (9, "users"),
        (10, "id"),
        (11, "TENANTS"),
    ] {
        w.utf8(sid, name);
    }
    for (serial, (id, name)) in [OBJECT, LIST, ARRAY, TENANT, USER, REGISTRY]
        .into_iter()
        .zip(1..)
        .enumerate()
    {
        w.load_class(serial as u32 + 1, id, name);
    }
    // Objects as (id, class, field values) and arrays as (id, elements), ids 0x40 apart.
    let mut objects: Vec<(u64, u64, Vec<Value>)> = Vec::new();
    let mut arrays: Vec<(u64, Vec<u64>)> = Vec::new();
    let mut next = 0x10_0000u64;
    let mut alloc = || {
        next += 0x40;
        next
    };
    let list = |elements: Vec<u64>,
                objects: &mut Vec<(u64, u64, Vec<Value>)>,
                arrays: &mut Vec<(u64, Vec<u64>)>,
                l: u64,
                arr: u64| {
        let size = Value::Int(elements.len() as i32);
        objects.push((l, LIST, vec![Value::Object(arr), size]));
        arrays.push((arr, elements));
    };
    let mut tenant_ids = Vec::new();
    for t in 0..tenants {
        let ids: Vec<u64> = (0..users).map(|_| alloc()).collect();
        for (i, &u) in ids.iter().enumerate() {
            objects.push((u, USER, vec![Value::Int((t * users + i as u64) as i32)]));
        }
        let (l, arr, tenant) = (alloc(), alloc(), alloc());
        list(ids, &mut objects, &mut arrays, l, arr);
        objects.push((tenant, TENANT, vec![Value::Object(l)]));
        tenant_ids.push(tenant);
    }
    let registry_list = registry.then(|| {
        let (l, arr) = (alloc(), alloc());
        list(tenant_ids.clone(), &mut objects, &mut arrays, l, arr);
        l
    });

    w.begin_segment();
    w.class_dump(&ClassDef::new(OBJECT, 0));
    w.class_dump(
        &ClassDef::new(LIST, OBJECT)
            .with_fields(8, vec![(7, BasicType::Object), (8, BasicType::Int)]),
    );
    w.class_dump(&ClassDef::new(ARRAY, OBJECT));
    w.class_dump(&ClassDef::new(TENANT, OBJECT).with_fields(8, vec![(9, BasicType::Object)]));
    w.class_dump(&ClassDef::new(USER, OBJECT).with_fields(8, vec![(10, BasicType::Int)]));
    let mut reg = ClassDef::new(REGISTRY, OBJECT);
    reg.statics = vec![(11, Value::Object(registry_list.unwrap_or(0)))];
    w.class_dump(&reg);
    for c in [OBJECT, LIST, ARRAY, TENANT, USER, REGISTRY] {
        w.root(RootKind::StickyClass, c);
    }
    for (id, class, values) in objects {
        w.instance(id, class, &values);
    }
    for (id, elements) in arrays {
        w.object_array(id, ARRAY, &elements);
    }
    if !registry {
        for t in tenant_ids {
            w.root(RootKind::JniGlobal, t);
        }
    }
    w.heap_dump_end();
    w.finish()
}

/// Summaries of three synthetic dumps, an hour apart, of (tenants, users per tenant).
fn tenants_series(series: [(u64, u64); 3], registry: bool) -> GrowthReport {
    let mut sums = Vec::new();
    let mut order = Vec::new();
    for (i, (tenants, users)) in series.into_iter().enumerate() {
        let name = format!("tenants-{i}.hprof");
        let bytes = tenants_heap(
            tenants,
            users,
            registry,
            1_800_000_000_000 + i as u64 * 3_600_000,
        );
        let dump = Dump::from_source(
            DumpSource::from_vec(Path::new(&name), bytes),
            &LoadOptions::default(),
        )
        .unwrap();
        let heap = Heap::from_dump_for(dump, true, &NoProgress).unwrap();
        let a = Analysis::build(heap, &NoProgress).unwrap();
        sums.push(summarize(&a));
        order.push(name);
    }
    let r = growth_report(sums, &order);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    r
}

fn instance_holder<'r>(r: &'r GrowthReport, class: &str, field: &str) -> &'r HolderGrowth {
    r.holder(class, field, false).unwrap_or_else(|| {
        let found: Vec<String> = r.holders.iter().map(|h| h.holder.display()).collect();
        panic!("no holder {class}.{field}; holders: {found:?}")
    })
}

#[test]
fn one_field_of_many_instances_is_one_aggregated_holder() {
    let r = tenants_series([(3, 200), (3, 400), (3, 800)], false);
    assert_eq!(r.holders.len(), 1, "{:?}", r.holders);
    let h = instance_holder(&r, "com.acme.Tenant", "users");
    assert_eq!(h.collections, some(&[3, 3, 3]));
    assert_eq!(h.entries, some(&[600, 1_200, 2_400]));
    assert_eq!(h.collection_class, "java.util.ArrayList");
    assert_eq!(h.element_class, "com.acme.User");
    assert_eq!(h.within, None);
    assert_eq!(h.own_retained_bytes, h.retained_bytes);
    assert_eq!(h.verdict, Verdict::Growing);
    // An hour between the first and the last dump... and another: bytes per hour is half the
    // bytes added.
    assert_eq!(r.elapsed_ms(), 7_200_000);
    assert_eq!(h.bytes_per_hour, Some(h.bytes_added() as f64 / 2.0));

    // More owners, each the same: the sum grows, and nothing holds the owners but their roots.
    let r = tenants_series([(3, 200), (6, 200), (12, 200)], false);
    let h = instance_holder(&r, "com.acme.Tenant", "users");
    assert_eq!(h.collections, some(&[3, 6, 12]));
    assert_eq!(h.entries, some(&[600, 1_200, 2_400]));
    assert_eq!(h.verdict, Verdict::Growing);
}

#[test]
fn a_field_of_long_lived_instances_inside_a_static_list() {
    // Three tenants for good, each list growing: the lists grow, the registry does not.
    let r = tenants_series([(3, 200), (3, 400), (3, 800)], true);
    assert_eq!(r.holders.len(), 2, "{:?}", r.holders);
    assert_eq!(growing(&r), ["com.acme.Tenant.users"]);
    let users = instance_holder(&r, "com.acme.Tenant", "users");
    assert_eq!(users.entries, some(&[600, 1_200, 2_400]));
    let registry = holder(&r, "com.acme.Registry", "TENANTS");
    assert_eq!(users.within.as_ref(), Some(&registry.holder));
    assert_eq!(registry.within, None);
    assert_eq!(registry.entries, some(&[3, 3, 3]));
    assert_eq!(registry.element_class, "com.acme.Tenant");
    assert_eq!(registry.verdict, Verdict::Stable);
    // The registry retains the lists, but they are not its own bytes.
    for i in 0..3 {
        assert_eq!(
            registry.retained_bytes[i].unwrap() - registry.own_retained_bytes[i].unwrap(),
            users.retained_bytes[i].unwrap()
        );
    }
    assert_eq!(
        registry.own_retained_bytes[0],
        registry.own_retained_bytes[2]
    );
}

#[test]
fn lists_that_multiply_with_their_owners_are_not_a_growth_of_their_own() {
    // The sessions-in-a-map shape: ever more tenants, each list the same size.
    let r = tenants_series([(100, 150), (200, 150), (400, 150)], true);
    assert_eq!(growing(&r), ["com.acme.Registry.TENANTS (static)"]);
    let registry = holder(&r, "com.acme.Registry", "TENANTS");
    assert_eq!(registry.entries, some(&[100, 200, 400]));
    let users = instance_holder(&r, "com.acme.Tenant", "users");
    assert_eq!(users.collections, some(&[100, 200, 400]));
    assert_eq!(users.entries, some(&[15_000, 30_000, 60_000]));
    assert_eq!(users.verdict, Verdict::Stable);
    assert_eq!(r.holders[0].holder, registry.holder, "growing first");
}

// Verdicts on synthetic series.

#[test]
fn doubling_twice_is_growing() {
    assert_eq!(
        classify(&[20_000, 40_000, 80_000], NOISE_ENTRIES),
        Verdict::Growing
    );
    assert_eq!(
        classify(&[100, 200, 400, 800], NOISE_ENTRIES),
        Verdict::Growing
    );
    // Rising at every step by more than noise.
    assert_eq!(
        classify(&[10_000, 10_500, 11_000], NOISE_ENTRIES),
        Verdict::Growing
    );
    // Flat, then rising: it started to grow.
    assert_eq!(
        classify(&[10_000, 10_000, 12_000], NOISE_ENTRIES),
        Verdict::Growing
    );
    // Doubled and doubled again with a dip on the way, ending at the top.
    assert_eq!(
        classify(&[100, 300, 250, 500], NOISE_ENTRIES),
        Verdict::Growing
    );
    // A diff: any rise beyond noise.
    assert_eq!(classify(&[1_000, 1_500], NOISE_ENTRIES), Verdict::Growing);
    // From nothing.
    assert_eq!(classify(&[0, 500, 1_000], NOISE_ENTRIES), Verdict::Growing);
    // A slow creep over four or more dumps: each step under 2%, the whole over it.
    assert_eq!(
        classify(&[10_000, 10_150, 10_300, 10_450], NOISE_ENTRIES),
        Verdict::Growing
    );
}

#[test]
fn fifty_percent_then_flat_is_warming() {
    assert_eq!(
        classify(&[10_000, 15_000, 15_000], NOISE_ENTRIES),
        Verdict::Warming
    );
    assert_eq!(
        classify(&[10_000, 15_000, 15_100], NOISE_ENTRIES),
        Verdict::Warming
    );
    assert_eq!(
        classify(&[1_000, 5_000, 9_000, 9_050], NOISE_ENTRIES),
        Verdict::Warming
    );
}

#[test]
fn noise_is_stable() {
    assert_eq!(
        classify(&[10_000, 10_000, 10_000], NOISE_ENTRIES),
        Verdict::Stable
    );
    // Under 2%, up and down.
    assert_eq!(
        classify(&[10_000, 10_150, 10_020], NOISE_ENTRIES),
        Verdict::Stable
    );
    // A few entries of a small collection.
    assert_eq!(classify(&[100, 108, 104], NOISE_ENTRIES), Verdict::Stable);
    // Three dumps drifting by under 2% each: not yet a creep.
    assert_eq!(
        classify(&[10_000, 10_150, 10_300], NOISE_ENTRIES),
        Verdict::Stable
    );
    // Bytes: 16 KiB is noise even on a small holder.
    assert_eq!(
        classify(&[100_000, 116_000, 100_500], NOISE_BYTES),
        Verdict::Stable
    );
    // One dump: nothing to compare.
    assert_eq!(classify(&[5], NOISE_ENTRIES), Verdict::Stable);
    assert_eq!(classify(&[], NOISE_ENTRIES), Verdict::Stable);
}

#[test]
fn going_down_is_shrinking() {
    assert_eq!(
        classify(&[80_000, 40_000, 20_000], NOISE_ENTRIES),
        Verdict::Shrinking
    );
    assert_eq!(
        classify(&[10_000, 10_000, 5_000], NOISE_ENTRIES),
        Verdict::Shrinking
    );
    assert_eq!(classify(&[500, 0], NOISE_ENTRIES), Verdict::Shrinking);
}

#[test]
fn up_and_down_is_fluctuating() {
    assert_eq!(
        classify(&[10_000, 15_000, 10_000], NOISE_ENTRIES),
        Verdict::Fluctuating
    );
    assert_eq!(
        classify(&[10_000, 5_000, 12_000, 6_000], NOISE_ENTRIES),
        Verdict::Fluctuating
    );
    // Up, down, up to a new high but not 4x the first.
    assert_eq!(
        classify(&[100, 300, 150, 350], NOISE_ENTRIES),
        Verdict::Fluctuating
    );
}

#[test]
fn holder_verdict_combines_entries_and_bytes() {
    // Growing bytes with constant entries (values that grow) is growing.
    assert_eq!(
        holder_verdict(&[10, 10, 10], &[1 << 20, 2 << 20, 4 << 20]),
        Verdict::Growing
    );
    // Growing entries whatever the bytes do.
    assert_eq!(
        holder_verdict(&[1_000, 2_000, 4_000], &[1 << 20, 1 << 20, 1 << 20]),
        Verdict::Growing
    );
    // Stable entries take the bytes' verdict.
    assert_eq!(
        holder_verdict(&[1_000, 1_000, 1_000], &[1 << 20, 3 << 19, 3 << 19]),
        Verdict::Warming
    );
    // Otherwise the entries' verdict.
    assert_eq!(
        holder_verdict(&[1_000, 1_500, 1_500], &[1 << 20, 1 << 20, 1 << 20]),
        Verdict::Warming
    );
    assert_eq!(
        holder_verdict(&[1_000, 500, 250], &[1 << 20, 1 << 20, 1 << 20]),
        Verdict::Shrinking
    );
    assert_eq!(holder_verdict(&[5; 3], &[1 << 20; 3]), Verdict::Stable);
}

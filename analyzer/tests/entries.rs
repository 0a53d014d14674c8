//! What a suspect's entries hold one level down (issue #18 items 7 and 8), on real dumps with
//! exact numbers: a map of lists says what the lists hold in all, inner-class listeners say
//! which outer object they pin through `this$0`, a structure whose size is mostly one array
//! says so, and a class group does not call its holder field a container of the group.

use crate::common::{analyse, dump};

use analyzer::leaks::{leak_report, LeakOptions, LeakReport, Series, Suspect, Verdict};
use analyzer::report::growth::{growth_report, summarize, summarize_file};
use analyzer::{LoadOptions, NoProgress};

fn leaks(name: &str) -> LeakReport {
    leak_report(&analyse(name), &LeakOptions::default(), None)
}

fn suspect<'r>(r: &'r LeakReport, class: &str, field: &str) -> &'r Suspect {
    r.suspects
        .iter()
        .find(|s| s.holder.class == class && s.holder.field == field)
        .unwrap_or_else(|| panic!("no suspect {class}.{field}"))
}

#[test]
fn a_map_of_lists_says_what_the_lists_hold() {
    // LeakNested: 6,000 upload ids (UUID strings) -> ArrayList of 4 byte[512]. Per entry: the
    // HashMap$Node (32), the key String (24) and its byte[36] (56), the ArrayList (24), its
    // Object[10] (56) and 4 byte[512] (4 x 528) = 2,304 B; plus the map (48) and its table of
    // 8,192 slots (32,784).
    let r = leaks("leak-nested.hprof");
    let s = suspect(&r, "testdata.LeakNested$UploadIndex", "PARTS");
    assert_eq!(s.entries, 6_000);
    assert_eq!(s.retained_bytes, 6_000 * 2_304 + 48 + 32_784);
    let p = s.per_entry.as_ref().expect("per entry");
    let inner = p.inner.as_ref().expect("inner entries");
    // Every one of the 6,000 lists counted from its size field (found from the map's chain
    // nodes, not from the 256 sampled ones): 4 parts each.
    assert_eq!(inner.counted, 6_000);
    assert!(inner.exact);
    assert_eq!(inner.entries, 24_000);
    assert_eq!(inner.element_class.as_deref(), Some("byte[512]"));
    assert_eq!(inner.phrase(), "holding 24,000 byte[512] in all");
    assert!(p.outer.is_none() && p.one_object.is_none());
    assert!(
        s.explanation.contains(
            "The 6,000 java.util.ArrayList are collections holding 24,000 byte[512] in all."
        ),
        "{}",
        s.explanation
    );
}

#[test]
fn a_map_of_lists_in_a_series_counts_the_events() {
    // SvcLeakHistory: 2,000 accounts, 20 ActivityEvent each in the last dump.
    let names = [
        "svc-leak-history-1.hprof",
        "svc-leak-history-2.hprof",
        "svc-leak-history.hprof",
    ];
    let mut sums: Vec<_> = names[..2]
        .iter()
        .map(|n| summarize_file(&dump(n), &LoadOptions::default(), &NoProgress).unwrap())
        .collect();
    let a = analyse(names[2]);
    let last = summarize(&a);
    sums.push(last.clone());
    let order: Vec<String> = sums.iter().map(|s| s.meta.path.clone()).collect();
    let series = Series {
        growth: growth_report(sums, &order),
        last,
    };
    let r = leak_report(&a, &LeakOptions::default(), Some(&series));
    let s = suspect(&r, "testdata.SvcLeakHistory$CustomerActivity", "history");
    assert_eq!(s.entries, 2_000);
    let inner = s.per_entry.as_ref().unwrap().inner.as_ref().expect("inner");
    assert_eq!(inner.entries, 40_000);
    assert_eq!(
        inner.element_class.as_deref(),
        Some("testdata.SvcLeakHistory$ActivityEvent")
    );
}

#[test]
fn inner_class_listeners_say_they_pin_their_outer_object() {
    // LeakNested: 3,000 anonymous listeners made inside Screen; each Screen (24 B) holds a
    // byte[2048] (2,064 B) and is referenced by its listener alone.
    let r = leaks("leak-nested.hprof");
    let s = suspect(&r, "testdata.LeakNested$EventBus", "LISTENERS");
    assert_eq!(s.entries, 3_000);
    // 3,000 x (listener 16 + Screen 2,088) + the ArrayList (24) and its Object[4164] (16,672).
    assert_eq!(s.retained_bytes, 3_000 * (16 + 2_088) + 24 + 16_672);
    let o = s.per_entry.as_ref().unwrap().outer.as_ref().expect("outer");
    assert_eq!(o.class, "testdata.LeakNested$Screen");
    assert_eq!(o.field, "this$0");
    assert_eq!(
        (o.entries, o.sampled, o.distinct, o.pinned),
        (256, 256, 256, 256)
    );
    assert_eq!(o.retained_bytes, 2_088);
    assert!(
        s.explanation.contains(
            "256 of 256 sampled entries are inner-class instances that pin their own testdata.LeakNested$Screen through this$0 (~2.0 KiB retained each)."
        ),
        "{}",
        s.explanation
    );
}

#[test]
fn listeners_sharing_one_outer_object_say_so() {
    // SvcLeakListeners: lambdas first, then anonymous listeners, all made by the one
    // CheckoutHandler (RUNNING), which the listeners do not keep alive alone.
    let r = leaks("svc-leak-listeners.hprof");
    let s = suspect(&r, "testdata.SvcLeakListeners$EventBus", "listeners");
    let o = s.per_entry.as_ref().unwrap().outer.as_ref().expect("outer");
    assert_eq!(o.class, "testdata.SvcLeakListeners$CheckoutHandler");
    assert_eq!(
        (o.entries, o.sampled, o.distinct, o.pinned),
        (95, 256, 1, 0)
    );
    assert!(o.phrase().contains("holding one shared testdata.SvcLeakListeners$CheckoutHandler through this$0, which retains"));
}

#[test]
fn a_chain_mostly_one_array_says_so() {
    // LeakChainBlob: the Journal (24 B) holds 10,000 Entry nodes (32 B each) and one
    // byte[1000000] (1,000,016 B).
    let r = leaks("leak-chain-blob.hprof");
    let s = suspect(&r, "testdata.LeakChainBlob", "CURRENT");
    assert_eq!(s.entries, 10_000);
    assert_eq!(s.retained_bytes, 24 + 10_000 * 32 + 1_000_016);
    let p = s.per_entry.as_ref().unwrap();
    let one = p.one_object.as_ref().expect("one object");
    assert_eq!(one.class, "byte[1000000]");
    assert_eq!(one.bytes, 1_000_016);
    assert_eq!(one.share, 1_000_016.0 / 1_320_040.0);
    // A chain's next node is the structure, not what an entry holds.
    assert_eq!(p.mostly_class, None);
    assert!(
        s.explanation
            .contains("1,000,016 B of it is one byte[1000000] (76%): that size is one object, not an accumulation of entries."),
        "{}",
        s.explanation
    );
}

#[test]
fn a_class_group_does_not_call_its_holder_a_container() {
    // Basic: 12,345 Foo of 32 B in the array of Basic.FOOS; 777 of them are also referenced by
    // a Bar.baseRef each. The group is sampled over all its instances, so its holder is the
    // field that holds most of them (it was baseRef while the first 64 instances in the heap,
    // all referenced by a Bar, made the sample).
    let a = analyse("basic.hprof");
    let opts = LeakOptions {
        threshold: 0.01,
        ..LeakOptions::default()
    };
    let r = leak_report(&a, &opts, None);
    let t = r
        .top_retainers
        .iter()
        .find(|t| t.holder.as_ref().is_some_and(|h| h.field == "FOOS") && t.entries.is_some())
        .expect("the Foo group");
    assert_eq!(t.entries, Some(12_345));
    assert_eq!(t.retained_bytes, 12_345 * 32);
    assert!(
        t.reason.starts_with(
            "12,345 testdata.Basic$Foo objects, 385.8 KiB in all, none big alone: testdata.Basic.FOOS (static) is a field on the path to them, not one object that holds them all ("
        ),
        "{}",
        t.reason
    );
    // The array holding them is a fixed table: bound evidence, not a leak.
    assert_eq!(t.verdict, Verdict::MemoryHungry, "{}", t.reason);
}

#[test]
fn a_contended_concurrent_hash_map_counts_its_counter_cells() {
    // ContendedCounts: 40,000 sessions put by four threads at once; the program dumps only once
    // the map's `baseCount` holds fewer than all of them (the rest are in `CounterCell`s).
    let a = analyse("contended-counts.hprof");
    let r = leak_report(&a, &LeakOptions::default(), None);
    let t = r
        .top_retainers
        .iter()
        .find(|t| t.holder.as_ref().is_some_and(|h| h.field == "open"))
        .expect("the registry's map is a big retainer");
    assert_eq!(t.entries, Some(40_000));
    assert_eq!(t.verdict, Verdict::Undetermined);
    let s = summarize(&a);
    let h = s
        .holders
        .iter()
        .find(|h| h.holder.field == "open")
        .expect("sampled for growth");
    assert_eq!(h.entries, 40_000);
}

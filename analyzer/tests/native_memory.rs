//! Native memory in `leaks`: structures that keep direct `ByteBuffer`s alive are found, ranked
//! and judged by their heap plus native bytes, and report the native bytes apart. Real dumps:
//! `SvcLeakGateway` (a registry of connections that never unregisters them, each with a 16 KiB
//! direct read buffer, beside a full pool of 48 direct 128 KiB buffers; a series of three dumps)
//! and `OffHeap` (8 direct buffers of 1 MiB in a static list).

use crate::common::{analyse, dump};

use analyzer::leaks::{
    leak_report, EvidenceName, LeakKind, LeakOptions, LeakReport, Series, Strength, Verdict,
};
use analyzer::report::growth::{growth_report, summarize, summarize_file};
use analyzer::{LoadOptions, NoProgress};

const REGISTRY: &str = "testdata.SvcLeakGateway$ConnectionRegistry.open";
const POOL: &str = "testdata.SvcLeakGateway$BufferPool.free";
/// 4,000 connections x 16,384 bytes.
const REGISTRY_NATIVE: u64 = 65_536_000;
/// 48 buffers x 131,072 bytes.
const POOL_NATIVE: u64 = 6_291_456;

fn gateway_series() -> LeakReport {
    let earlier: Vec<_> = ["svc-leak-gateway-1.hprof", "svc-leak-gateway-2.hprof"]
        .iter()
        .map(|n| summarize_file(&dump(n), &LoadOptions::default(), &NoProgress).unwrap())
        .collect();
    let a = analyse("svc-leak-gateway.hprof");
    let last = summarize(&a);
    let mut sums = earlier;
    sums.push(last.clone());
    let order: Vec<String> = sums.iter().map(|s| s.meta.path.clone()).collect();
    let series = Series {
        growth: growth_report(sums, &order),
        last,
    };
    leak_report(&a, &LeakOptions::default(), Some(&series))
}

#[test]
fn a_registry_of_direct_buffers_that_grows_is_the_leak_with_its_native_bytes() {
    let r = gateway_series();
    assert_eq!(r.suspects.len(), 1, "{:?}", r.verdicts);
    let s = &r.suspects[0];
    assert_eq!(s.holder.display(), REGISTRY);
    assert_eq!(s.verdict, Verdict::Leak);
    assert_eq!(s.entries, 4_000);
    assert_eq!(s.native_bytes, Some(REGISTRY_NATIVE));
    // The heap part alone is far under the native part.
    assert!(
        s.retained_bytes * 10 < REGISTRY_NATIVE,
        "{}",
        s.retained_bytes
    );
    assert!(s
        .explanation
        .contains("62.5 MiB of native memory outside the heap"));
    let g = s.growth.as_ref().expect("growth");
    assert_eq!(g.entries, vec![Some(1_000), Some(2_000), Some(4_000)]);
    assert_eq!(r.off_heap.direct_buffers, 4_000 + 48);
    assert_eq!(r.off_heap.direct_bytes, REGISTRY_NATIVE + POOL_NATIVE);
}

#[test]
fn one_dump_finds_the_registry_by_its_closed_entries_and_the_full_pool_is_bounded() {
    let r = leak_report(
        &analyse("svc-leak-gateway.hprof"),
        &LeakOptions::default(),
        None,
    );
    // Its heap part is 15% of a 5.8 MiB heap; its native part is what makes it big. Every
    // connection in it has `closed = true`: finished entries still held.
    assert_eq!(r.suspects.len(), 1, "{:?}", r.verdicts);
    let s = &r.suspects[0];
    assert_eq!(s.holder.display(), REGISTRY);
    assert_eq!(s.verdict, Verdict::Leak);
    assert_eq!(s.native_bytes, Some(REGISTRY_NATIVE));
    let finished = s
        .evidence
        .iter()
        .find(|e| e.name == EvidenceName::Finished)
        .expect("finished evidence");
    assert_eq!(finished.strength, Strength::Strong);
    assert!(finished
        .detail
        .starts_with("256 of 256 sampled entries have closed = true"));
    let pool = r
        .top_retainers
        .iter()
        .find(|t| t.holder.as_ref().map(|h| h.display()).as_deref() == Some(POOL))
        .expect("the pool is listed");
    assert_eq!(pool.native_bytes, Some(POOL_NATIVE));
    assert_eq!(pool.verdict, Verdict::MemoryHungry);
}

#[test]
fn a_list_of_direct_buffers_is_of_kind_direct_buffers() {
    let opts = LeakOptions {
        min_entries: 1,
        threshold: 0.01,
        ..LeakOptions::default()
    };
    let r = leak_report(&analyse("offheap.hprof"), &opts, None);
    let list = r
        .verdicts
        .iter()
        .find(|v| v.holder == "testdata.OffHeap$Buffers.DIRECT (static)")
        .expect("the list of 8 direct buffers is judged");
    assert_eq!(list.kind, LeakKind::DirectBuffers);
    assert_eq!(list.entries, 8);
    // DIRECT[0] is also reached through the views in SLICES, so the list keeps 7 of its 8
    // buffers alive on its own (retained, as in the dominator tree).
    let t = r
        .top_retainers
        .iter()
        .find(|t| t.holder.as_ref().map(|h| h.display()).as_deref() == Some(list.holder.as_str()))
        .expect("the list is listed with its verdict");
    assert_eq!(t.native_bytes, Some(7 * 1_048_576));
    // Eight buffers in a static list: nothing in one dump says whether it grows.
    assert_eq!(t.verdict, Verdict::Undetermined);
}

//! Leak kinds that the real scenario dumps do not show, on small synthetic heaps built with the
//! HPROF writer: many instances of one class held by many holders (class-group), and a heap with
//! no accumulation at all.

use std::path::Path;

use analyzer::dom::analysis::Analysis;
use analyzer::leaks::{leak_report, LeakKind, LeakOptions, Verdict};
use analyzer::{Dump, Heap, LoadOptions, NoProgress};
use hprof_parser::writer::{ClassDef, HprofWriter, Value};
use hprof_parser::{BasicType, DumpSource, RootKind};

const OBJECT: u64 = 0x1000;
const WORKER: u64 = 0x1010;
const ORDER: u64 = 0x1020;
const BYTES: u64 = 0x1030;

/// `workers` instances of com.acme.Worker, each a JNI global root, each holding one
/// com.acme.Order with a byte[payload].
fn heap(workers: u64, payload: u32) -> Vec<u8> {
    let mut w = HprofWriter::new(8);
    for (sid, name) in [
        (1, "java/lang/Object"),
        (2, "com/acme/Worker"),
        (3, "com/acme/Order"),
        (4, "[B"),
        (5, "order"),
        (6, "data"),
    ] {
        w.utf8(sid, name);
    }
    w.load_class(1, OBJECT, 1)
        .load_class(2, WORKER, 2)
        .load_class(3, ORDER, 3)
        .load_class(4, BYTES, 4);
    w.begin_segment();
    w.class_dump(&ClassDef::new(OBJECT, 0));
    w.class_dump(&ClassDef::new(WORKER, OBJECT).with_fields(8, vec![(5, BasicType::Object)]));
    w.class_dump(&ClassDef::new(ORDER, OBJECT).with_fields(8, vec![(6, BasicType::Object)]));
    w.class_dump(&ClassDef::new(BYTES, OBJECT));
    for c in [OBJECT, WORKER, ORDER, BYTES] {
        w.root(RootKind::StickyClass, c);
    }
    let data = vec![0u8; payload as usize];
    for i in 0..workers {
        let (worker, order, bytes) = (
            0x10_0000 + i * 0x100,
            0x10_0040 + i * 0x100,
            0x10_0080 + i * 0x100,
        );
        w.instance(worker, WORKER, &[Value::Object(order)]);
        w.instance(order, ORDER, &[Value::Object(bytes)]);
        w.primitive_array(bytes, BasicType::Byte, payload, &data);
        w.root(RootKind::JniGlobal, worker);
    }
    w.heap_dump_end();
    w.finish()
}

fn analyse(bytes: Vec<u8>) -> Analysis {
    let dump = Dump::from_source(
        DumpSource::from_vec(Path::new("synthetic.hprof"), bytes),
        &LoadOptions::default(),
    )
    .unwrap();
    let heap = Heap::from_dump_for(dump, true, &NoProgress).unwrap();
    Analysis::build(heap, &NoProgress).unwrap()
}

#[test]
fn many_instances_held_by_many_holders_are_a_class_group_judged_on_evidence() {
    let a = analyse(heap(2_000, 200));
    let r = leak_report(&a, &LeakOptions::default(), None);
    // Nothing but their number and size: listed as undetermined, not a suspect.
    assert!(r.suspects.is_empty(), "{:?}", r.suspects);
    let g = r
        .verdicts
        .iter()
        .find(|v| v.kind == LeakKind::ClassGroup)
        .expect("the class group is judged");
    assert_eq!(g.holder, "com.acme.Worker.order");
    assert_eq!(g.entries, 2_000);
    assert_eq!(g.verdict, Verdict::Undetermined);
    // Each Order retains itself and its byte[200].
    let m = a.heap.model;
    assert_eq!(
        g.retained_bytes,
        2_000 * (m.instance(0, 1) + m.array(200, 1))
    );
    let t = r
        .top_retainers
        .iter()
        .find(|t| t.class == "com.acme.Order")
        .expect("listed as a big retainer");
    assert_eq!(t.holder.as_ref().unwrap().field, "order");
    assert!(r.advice.is_some());
}

#[test]
fn a_few_instances_are_not_a_group() {
    let a = analyse(heap(50, 20_000));
    let r = leak_report(&a, &LeakOptions::default(), None);
    assert!(r.suspects.is_empty(), "{:?}", r.suspects);
    assert!(r.verdicts.iter().all(|v| v.kind != LeakKind::ClassGroup));
}

//! Leak kinds that the real scenario dumps do not show, on small synthetic heaps built with the
//! HPROF writer: many instances of one class held by many holders (class-group), and a heap with
//! no accumulation at all.

use analyzer::leaks::{leak_report, LeakKind, LeakOptions, Verdict};
use hprof_parser::writer::{ClassDef, HprofWriter, Value};
use hprof_parser::{BasicType, RootKind};

use crate::common::analyse_bytes;

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

#[test]
fn many_instances_held_by_many_holders_are_a_class_group_judged_on_evidence() {
    let a = analyse_bytes(heap(2_000, 200));
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
    let a = analyse_bytes(heap(50, 20_000));
    let r = leak_report(&a, &LeakOptions::default(), None);
    assert!(r.suspects.is_empty(), "{:?}", r.suspects);
    assert!(r.verdicts.iter().all(|v| v.kind != LeakKind::ClassGroup));
}

const PROPERTIES: u64 = 0x1100;
const HASHTABLE: u64 = 0x1110;
const ENTRY: u64 = 0x1120;
const ENTRIES: u64 = 0x1130;
const STRING: u64 = 0x1140;

/// A JDK 8 `java.util.Properties` (its entries in the table of the `Hashtable` it extends; no
/// `map` field) of `n` entries, held by a JNI global.
fn legacy_properties(n: u64) -> Vec<u8> {
    let mut w = HprofWriter::new(8);
    for (sid, name) in [
        (1, "java/lang/Object"),
        (2, "java/util/Properties"),
        (3, "java/util/Hashtable"),
        (4, "java/util/Hashtable$Entry"),
        (5, "[Ljava/util/Hashtable$Entry;"),
        (6, "java/lang/String"),
        (7, "table"),
        (8, "count"),
        (9, "defaults"),
        (10, "key"),
        (11, "value"),
        (12, "next"),
    ] {
        w.utf8(sid, name);
    }
    for (serial, class, name) in [
        (1, OBJECT, 1),
        (2, PROPERTIES, 2),
        (3, HASHTABLE, 3),
        (4, ENTRY, 4),
        (5, ENTRIES, 5),
        (6, STRING, 6),
    ] {
        w.load_class(serial, class, name);
    }
    use BasicType::{Int, Object};
    w.begin_segment();
    w.class_dump(&ClassDef::new(OBJECT, 0));
    w.class_dump(&ClassDef::new(HASHTABLE, OBJECT).with_fields(8, vec![(7, Object), (8, Int)]));
    w.class_dump(&ClassDef::new(PROPERTIES, HASHTABLE).with_fields(8, vec![(9, Object)]));
    let entry_fields = vec![(10, Object), (11, Object), (12, Object)];
    w.class_dump(&ClassDef::new(ENTRY, OBJECT).with_fields(8, entry_fields));
    w.class_dump(&ClassDef::new(ENTRIES, OBJECT));
    w.class_dump(&ClassDef::new(STRING, OBJECT));
    let (props, table) = (0x20_0000, 0x20_0100);
    // Properties' own field first, then Hashtable's.
    let fields = [Value::Object(0), Value::Object(table), Value::Int(n as i32)];
    w.instance(props, PROPERTIES, &fields);
    // Entry i at base + 0x80, its key at base, its value at base + 0x40.
    let bases: Vec<u64> = (0..n).map(|i| 0x30_0000 + i * 0x100).collect();
    let entries: Vec<u64> = bases.iter().map(|b| b + 0x80).collect();
    w.object_array(table, ENTRIES, &entries);
    for &b in &bases {
        w.instance(b, STRING, &[]);
        w.instance(b + 0x40, STRING, &[]);
        let fields = [Value::Object(b), Value::Object(b + 0x40), Value::Object(0)];
        w.instance(b + 0x80, ENTRY, &fields);
    }
    w.root(RootKind::JniGlobal, props);
    w.heap_dump_end();
    w.finish()
}

#[test]
fn a_legacy_properties_is_read_as_its_hashtable() {
    let a = analyse_bytes(legacy_properties(40));
    let specs = analyzer::query::collections::collection_specs(&a);
    let class = a
        .heap
        .classes
        .by_name("java.util.Properties")
        .expect("class");
    let spec = specs[class as usize].expect("a collection");
    assert_eq!(spec.class, "java.util.Properties");
    let node = a.graph.ids.get(0x20_0000).expect("the object");
    let c = analyzer::query::collections::contents(&a, node, spec);
    assert_eq!(c.entries, 40);
}

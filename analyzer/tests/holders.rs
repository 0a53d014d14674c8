//! The holder named for a structure that two application objects reference on the same level:
//! the one whose field keeps it alive, whatever the order of the objects' addresses in the dump
//! (a garbage collector moves objects, so the order differs from one run to the next).

use analyzer::query::holders::find_holders;
use hprof_parser::writer::{ClassDef, HprofWriter, Value};
use hprof_parser::{BasicType, RootKind};

use crate::common::analyse_bytes;

const OBJECT: u64 = 0x1000;
const SERVICE: u64 = 0x1010;
const TRIMMER: u64 = 0x1020;
const ARRAY: u64 = 0x1030;
const SESSIONS: u64 = 0x10_0040;

/// A com.acme.Service (a JNI global root) whose field `sessions` holds an Object[] and whose
/// field `trimmer` holds a com.acme.Trimmer given the same array in its own `sessions`, the
/// service at `service` and the trimmer at `trimmer`.
fn heap(service: u64, trimmer: u64) -> Vec<u8> {
    let mut w = HprofWriter::new(8);
    for (sid, name) in [
        (1, "java/lang/Object"),
        (2, "com/acme/Service"),
        (3, "com/acme/Trimmer"),
        (4, "[Ljava/lang/Object;"),
        (5, "sessions"),
        (6, "trimmer"),
    ] {
        w.utf8(sid, name);
    }
    w.load_class(1, OBJECT, 1)
        .load_class(2, SERVICE, 2)
        .load_class(3, TRIMMER, 3)
        .load_class(4, ARRAY, 4);
    w.begin_segment();
    w.class_dump(&ClassDef::new(OBJECT, 0));
    let fields = vec![(5, BasicType::Object), (6, BasicType::Object)];
    w.class_dump(&ClassDef::new(SERVICE, OBJECT).with_fields(8, fields));
    w.class_dump(&ClassDef::new(TRIMMER, OBJECT).with_fields(8, vec![(5, BasicType::Object)]));
    w.class_dump(&ClassDef::new(ARRAY, OBJECT));
    for c in [OBJECT, SERVICE, TRIMMER, ARRAY] {
        w.root(RootKind::StickyClass, c);
    }
    let service_fields = [Value::Object(SESSIONS), Value::Object(trimmer)];
    w.instance(service, SERVICE, &service_fields);
    w.instance(trimmer, TRIMMER, &[Value::Object(SESSIONS)]);
    w.object_array(SESSIONS, ARRAY, &[]);
    w.root(RootKind::JniGlobal, service);
    w.heap_dump_end();
    w.finish()
}

/// The holder of the array, as `Class.field`.
fn holder_of_sessions(service: u64, trimmer: u64) -> String {
    let a = analyse_bytes(heap(service, trimmer));
    let node = a.graph.ids.get(SESSIONS).expect("the array is in the dump");
    let holding = find_holders(&a, &[node], 8).remove(0).expect("a holder");
    holding.holder.display()
}

#[test]
fn the_owner_that_keeps_a_structure_alive_holds_it_not_the_helper_it_gave_it_to() {
    // The trimmer first in the dump, then the service: the order a collector may leave.
    assert_eq!(
        holder_of_sessions(0x10_0080, 0x10_0000),
        "com.acme.Service.sessions"
    );
    // The order of allocation.
    assert_eq!(
        holder_of_sessions(0x10_0000, 0x10_0080),
        "com.acme.Service.sessions"
    );
}
